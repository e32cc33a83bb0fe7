"""Regression: the model reproduces its stored reference outputs for the same seeds.

Performance work must not change what the model computes. This test reruns a few short runs (every built-in
scenario for 20 weeks with three strategies, and ``synthetic`` at 200 partners with its final partner and relation
tables) and compares them with the CSV files in ``tests/data/regression/``.

The references are regenerated only deliberately, when a mechanism or a default changes on purpose (calibration),
in a commit of its own that says why:

    .venv/bin/python benchmarks/make_regression_reference.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.make_regression_reference import DATA_DIR, reference_tables

# Bulk sums may be reordered by an optimisation; anything beyond the last few bits is a changed result.
RTOL = 1e-9
ATOL = 1e-12


@pytest.fixture(scope="module")
def current() -> dict[str, pd.DataFrame]:
    return reference_tables()


def test_every_reference_file_is_produced(current):
    stored = sorted(p.name for p in DATA_DIR.glob("*.csv"))
    assert stored, f"no reference files in {DATA_DIR}"
    assert sorted(current) == stored


@pytest.mark.parametrize("name", sorted(p.name for p in DATA_DIR.glob("*.csv")))
def test_outputs_equal_stored_reference(current, name):
    stored = pd.read_csv(DATA_DIR / name)
    now = current[name].reset_index(drop=True)
    assert list(now.columns) == list(stored.columns), f"{name}: columns differ"
    assert len(now) == len(stored), f"{name}: {len(now)} rows, reference has {len(stored)}"
    for column in stored.columns:
        if not pd.api.types.is_numeric_dtype(stored[column]):
            assert (now[column].astype(str) == stored[column]).all(), f"{name}: column {column} differs"
            continue
        np.testing.assert_allclose(
            now[column].to_numpy(dtype=float),
            stored[column].to_numpy(dtype=float),
            rtol=RTOL,
            atol=ATOL,
            err_msg=f"{name}: column {column} differs from the stored reference",
        )
