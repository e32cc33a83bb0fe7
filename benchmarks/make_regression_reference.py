"""Stored reference outputs of a few short runs, for the regression test (``tests/test_regression.py``).

The test reruns the same runs and compares them with the files in ``tests/data/regression/``: an optimisation
that changes any output for the same seed fails it. The references describe the model's *mechanisms*; when a
mechanism or a default changes on purpose (calibration), regenerate them deliberately, in its own commit:

    .venv/bin/python benchmarks/make_regression_reference.py                # both sets
    .venv/bin/python benchmarks/make_regression_reference.py --second-only  # the second version's only

Runs: every built-in scenario for 20 weeks, seed 1, with three strategies (per-week model metrics), and
``synthetic`` at 200 partners (per-week metrics, and the final partner and relation tables).

Two sets: the model as it is (every mechanism switch on, ``tests/data/regression/model2/``) and the model with
every switch of the second version off (:data:`model.switches.FIRST_VERSION`, ``tests/data/regression/``), which
must stay the first version's outputs exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from model import CollaborationModel
from model.scenarios import list_scenarios
from model.switches import FIRST_VERSION

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "regression"
SECOND_DIR = DATA_DIR / "model2"
STEPS = 20
SEED = 1
STRATEGIES = ("balanced", "task_focus", "adaptive")
LARGE = {"scenario": "synthetic", "n_partners": 200, "strategy": "balanced"}
PARTNER_COLUMNS = ["active", "trust", "trusted", "respect", "equality", "freedom", "accountability", "commitment"]
RELATION_COLUMNS = ["trust", "respect", "understanding", "expectation", "active"]


def _metrics(model: CollaborationModel) -> pd.DataFrame:
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    df.insert(0, "step", np.arange(len(df)))
    return df


def _run(switches: dict[str, bool] | None, **params) -> CollaborationModel:
    model = CollaborationModel(rng=SEED, switches=switches, **params)
    model.run_for(STEPS)
    return model


def reference_tables(switches: dict[str, bool] | None = FIRST_VERSION) -> dict[str, pd.DataFrame]:
    """Run the reference runs with the current model and these switches (default: the first version's);
    return ``{file name: table}``."""
    tables: dict[str, pd.DataFrame] = {}
    for scenario in list_scenarios():
        parts = []
        for strategy in STRATEGIES:
            df = _metrics(_run(switches, scenario=scenario, strategy=strategy))
            df.insert(0, "strategy", strategy)
            parts.append(df)
        tables[f"{scenario}.csv"] = pd.concat(parts, ignore_index=True)
    large = _run(switches, **LARGE)
    tables["synthetic_200.csv"] = _metrics(large)
    partners = large.partner_table()
    tables["synthetic_200_partners.csv"] = partners[["name", *PARTNER_COLUMNS]].astype({"active": int})
    relations = large.relation_table()
    tables["synthetic_200_relations.csv"] = relations[["source", "target", *RELATION_COLUMNS]].astype({"active": int})
    return tables


def write(directory: Path = DATA_DIR, switches: dict[str, bool] | None = FIRST_VERSION) -> list[Path]:
    """Write the reference tables as CSV (full float precision); return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in reference_tables(switches).items():
        path = directory / name
        tmp = path.with_suffix(".csv.tmp")
        table.to_csv(tmp, index=False, float_format="%.17g")
        tmp.replace(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] != "--second-only":
        written = write(Path(sys.argv[1]))  # a directory of one's own: the first version's tables
    else:
        written = [] if len(sys.argv) > 1 else write(DATA_DIR, FIRST_VERSION)
        written += write(SECOND_DIR, None)
    for path in written:
        print(path)
