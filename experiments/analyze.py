"""``netwerkregie analyze DIR``: which parameters drive a metric, from a finished (or partial) sweep.

The method follows the design in the sweep's manifest:

- ``sobol``: first-order and total-order Sobol' indices (SALib, Jansen/Saltelli estimators) with bootstrap 95%
  confidence intervals;
- ``morris``: mu* (mean absolute elementary effect, per full range of the parameter) with its 95% interval, and
  sigma (the spread of the effects: interaction or non-linearity);
- ``grid`` and ``lhs`` (or a Sobol'/Morris sweep with failed runs): main effects, the share of the metric's
  variance explained by each parameter alone (the correlation ratio eta^2 over the parameter's values, or over
  quantile bins of a sampled range), with percentile bootstrap 95% intervals. eta^2 is biased upwards in small
  samples: compare parameters with each other, not with zero.

Sobol' and Morris use the mean over replications per point, on the design matrix regenerated from the
specification. Categorical lists in a sampled design are analysed per combination of categories (``group``).
The same functions (:func:`analyze_design`) analyse any function on a design from :mod:`experiments.designs`;
the tests check them on the Ishigami function, whose indices are known.

Output: a table (printed, and written as CSV next to the figure) and a PNG with one panel per metric.

The results folder is checked before anything is computed: the manifest (:func:`experiments.store.read_manifest`),
the specification stored in it (validated again like a file's), and the columns of ``runs.parquet`` and
``timeseries.parquet`` (:func:`experiments.store.check_results`). A damaged folder, an output path that cannot be
written or an unknown metric is an :class:`model.inputs.InputError` (exit status 2, nothing written). A sweep that
is still running can be analysed: its files are always whole.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.designs import SweepSpec, combinations, spec_from_raw, unit_samples
from experiments.files import atomic_write
from experiments.store import MANIFEST, RUNS, check_results, read_manifest
from model import METRICS
from model.inputs import InputError, check_output_file

TABLE_COLUMNS = ["metric", "method", "group", "parameter", "index", "value", "ci_low", "ci_high"]
BOOTSTRAP = 500
MAX_LEVELS = 12  # a parameter with more distinct values than this is binned into quantiles for main effects


def sobol_indices(unit: np.ndarray, y: np.ndarray, names: list[str], seed: int = 0) -> pd.DataFrame:
    """First- and total-order Sobol' indices with 95% intervals from a Saltelli design (no second order).

    Args:
        unit: the design matrix of :func:`experiments.designs.unit_samples` (N * (D + 2) rows).
        y: the output at each row.
        names: the D parameter names.
        seed: seed of the bootstrap.
    """
    from SALib.analyze import sobol

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    res = sobol.analyze(problem, np.asarray(y, dtype=float), calc_second_order=False, conf_level=0.95, seed=seed)
    rows = []
    for j, name in enumerate(names):
        for index, conf in (("S1", "S1_conf"), ("ST", "ST_conf")):
            value, half = float(res[index][j]), float(res[conf][j])
            rows.append(
                {"parameter": name, "index": index, "value": value, "ci_low": value - half, "ci_high": value + half}
            )
    return pd.DataFrame(rows)


def morris_indices(unit: np.ndarray, y: np.ndarray, names: list[str], levels: int = 4, seed: int = 0) -> pd.DataFrame:
    """Morris mu* (with 95% interval) and sigma from a trajectory design on the unit cube."""
    from SALib.analyze import morris

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    res = morris.analyze(
        problem,
        np.asarray(unit, dtype=float),
        np.asarray(y, dtype=float),
        conf_level=0.95,
        num_levels=levels,
        seed=seed,
    )
    rows = []
    for j, name in enumerate(names):
        mu, half = float(res["mu_star"][j]), float(res["mu_star_conf"][j])
        rows.append({"parameter": name, "index": "mu_star", "value": mu, "ci_low": mu - half, "ci_high": mu + half})
        sigma = float(res["sigma"][j])
        rows.append({"parameter": name, "index": "sigma", "value": sigma, "ci_low": np.nan, "ci_high": np.nan})
    return pd.DataFrame(rows)


def _levels(x: pd.Series) -> np.ndarray:
    """Integer level codes of one input: its values, or quantile bins when it has many distinct values."""
    if x.dtype.kind in "fiu" and x.nunique() > MAX_LEVELS:
        bins = int(np.clip(round(np.sqrt(len(x) / 5)), 2, 10))
        ranks = x.rank(method="first").to_numpy()
        return np.minimum((ranks - 1) * bins // len(x), bins - 1).astype(int)
    return pd.factorize(x, sort=True)[0]


def _eta_squared(codes: np.ndarray, y: np.ndarray) -> float:
    total = np.sum((y - y.mean()) ** 2)
    if total == 0:
        return 0.0
    counts = np.bincount(codes)
    sums = np.bincount(codes, weights=y)
    present = counts > 0
    means = sums[present] / counts[present]
    return float(np.sum(counts[present] * (means - y.mean()) ** 2) / total)


def main_effects(inputs: pd.DataFrame, y: np.ndarray, seed: int = 0, n_boot: int = BOOTSTRAP) -> pd.DataFrame:
    """Share of variance explained by each input alone (eta^2), with percentile bootstrap 95% intervals.

    Args:
        inputs: one column per parameter, one row per run.
        y: the output of each run.
        seed: seed of the bootstrap.
        n_boot: bootstrap resamples (of runs, with replacement).
    """
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(y), size=(n_boot, len(y)))
    rows = []
    for name in inputs.columns:
        codes = _levels(inputs[name])
        value = _eta_squared(codes, y)
        boot = np.array([_eta_squared(codes[d], y[d]) for d in draws])
        low, high = np.percentile(boot, [2.5, 97.5])
        rows.append({"parameter": name, "index": "eta2", "value": value, "ci_low": float(low), "ci_high": float(high)})
    return pd.DataFrame(rows)


def analyze_design(
    kind: str,
    unit: np.ndarray | None,
    inputs: pd.DataFrame,
    y: np.ndarray,
    levels: int = 4,
    seed: int = 0,
) -> tuple[str, pd.DataFrame]:
    """Sensitivity indices of one output on one design; returns ``(method, table)``.

    Sobol' and Morris need the complete design matrix ``unit`` (rows in design order, one output each, no NaN);
    otherwise, or for a grid or a Latin hypercube, main effects are computed from ``inputs``.
    """
    y = np.asarray(y, dtype=float)
    complete = unit is not None and len(y) == len(unit) and np.all(np.isfinite(y))
    names = list(inputs.columns)
    if kind == "sobol" and complete:
        return "sobol", sobol_indices(unit, y, names, seed=seed)
    if kind == "morris" and complete:
        return "morris", morris_indices(unit, y, names, levels=levels, seed=seed)
    keep = np.isfinite(y)
    return "main effects", main_effects(inputs[keep].reset_index(drop=True), y[keep], seed=seed)


def load_sweep(directory: str | Path) -> tuple[SweepSpec, pd.DataFrame, dict[str, Any]]:
    """The specification, the runs and the manifest of a results folder, each checked.

    Raises:
        InputError: the folder is missing or holds no sweep results, its manifest or a result file is damaged or
            of another schema, or it has no finished runs yet.
    """
    directory = Path(directory)
    shown = repr(str(directory))
    if not directory.exists():
        raise InputError(f"results folder {shown} does not exist")
    if not directory.is_dir():
        raise InputError(f"results folder {shown} is a file; expected the --out folder of a sweep")
    if not os.path.lexists(directory / MANIFEST):
        raise InputError(f"{shown} holds no sweep results (expected {MANIFEST} and {RUNS})")
    manifest = read_manifest(directory)
    spec = spec_from_raw(manifest["spec"], f"sweep manifest {str(directory / MANIFEST)!r}: spec")
    done = check_results(directory, spec)
    if not done:
        raise InputError(f"{shown} has no finished runs to analyse yet")
    runs_path = directory / RUNS
    try:
        runs = pd.read_parquet(runs_path)
    except (OSError, ValueError) as e:  # pyarrow's errors are ValueErrors or OSErrors
        raise InputError(f"result file {str(runs_path)!r} cannot be read ({str(e).splitlines()[0][:120]})") from None
    return spec, runs, manifest


def analyze_sweep(spec: SweepSpec, runs: pd.DataFrame, metrics: list[str], seed: int = 0) -> pd.DataFrame:
    """The sensitivity table of a sweep: one row per metric, group, parameter and index (see ``TABLE_COLUMNS``)."""
    tables = []
    range_names = [r.name for r in spec.ranges]
    if spec.kind == "grid":
        swept = [name for name, values in spec.lists.items() if len(values) > 1]
        for metric in metrics:
            if not swept:
                break
            method, table = analyze_design("grid", None, runs[swept], runs[metric].to_numpy(), seed=seed)
            tables.append(table.assign(metric=metric, method=method, group="all"))
    else:
        unit = unit_samples(spec)
        n = spec.n_samples
        for c, combo in enumerate(combinations(spec)):
            label = ", ".join(f"{k}={v}" for k, v in combo.items()) or "all"
            ids = np.arange(c * n, (c + 1) * n)
            group_runs = runs[runs["point_id"].between(ids[0], ids[-1])]
            if group_runs.empty:
                continue
            means = group_runs.groupby("point_id")[metrics].mean().reindex(ids)
            for metric in metrics:
                if means[metric].notna().all():
                    inputs = pd.DataFrame({name: unit[:, j] for j, name in enumerate(range_names)})
                    method, table = analyze_design(
                        spec.kind, unit, inputs, means[metric].to_numpy(), levels=spec.levels, seed=seed
                    )
                else:  # failed or missing runs: the design is incomplete
                    method, table = analyze_design(
                        "lhs",
                        None,
                        group_runs[range_names].reset_index(drop=True),
                        group_runs[metric].to_numpy(),
                        seed=seed,
                    )
                tables.append(table.assign(metric=metric, method=method, group=label))
        swept = [name for name, values in spec.lists.items() if len(values) > 1]
        if swept:  # the categories themselves: main effects over all runs
            for metric in metrics:
                method, table = analyze_design("grid", None, runs[swept], runs[metric].to_numpy(), seed=seed)
                tables.append(table.assign(metric=metric, method=method, group="categories"))
    if not tables:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    return pd.concat(tables, ignore_index=True)[TABLE_COLUMNS]


def missing_runs(runs: pd.DataFrame, metrics: list[str]) -> dict[str, int]:
    """Per metric, the number of runs whose value is missing (NaN: no active partner or relation was left at the
    end, ODD 7.8), for the metrics that have any. The analysis leaves those runs out; ``main`` says how many."""
    counts = {metric: int(runs[metric].isna().sum()) for metric in metrics}
    return {metric: count for metric, count in counts.items() if count}


def plot_indices(table: pd.DataFrame, path: str | Path, title: str = "") -> None:
    """A PNG with one panel per metric: horizontal bars of the indices with their 95% intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = list(dict.fromkeys(table["metric"]))
    heights = []
    for metric in metrics:
        part = table[table["metric"] == metric]
        heights.append(max(2.0, 0.28 * len(part) + 1.0))
    fig, axes = plt.subplots(len(metrics), 1, figsize=(8, sum(heights) + 0.5), height_ratios=heights, squeeze=False)
    for ax, metric in zip(axes[:, 0], metrics, strict=True):
        part = table[table["metric"] == metric].reset_index(drop=True)
        labels = [
            f"{row.parameter} [{row.index}]" + (f"  ({row.group})" if row.group not in ("all",) else "")
            for row in part.itertuples()
        ]
        pos = np.arange(len(part))[::-1]
        err = np.vstack([part["value"] - part["ci_low"], part["ci_high"] - part["value"]])
        err = np.where(np.isfinite(err), np.maximum(err, 0), 0)
        colors = [
            {"S1": "#1f77b4", "ST": "#ff7f0e", "mu_star": "#2ca02c", "sigma": "#9467bd"}.get(i, "#8c564b")
            for i in part["index"]
        ]
        ax.barh(pos, part["value"], xerr=err, color=colors, capsize=3)
        ax.set_yticks(pos, labels, fontsize=8)
        ax.axvline(0, color="black", linewidth=0.6)
        methods = ", ".join(dict.fromkeys(part["method"]))
        ax.set_title(f"{metric} — {methods}", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)


def main(args: argparse.Namespace) -> int:
    """The ``analyze`` command: print the table, write it as CSV and the figure as PNG (default ``DIR/analysis``).

    Everything is checked before anything is written; bad input is an :class:`InputError` (exit status 2).
    """
    metrics = list(dict.fromkeys(args.metric or ["task_progress"]))
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        shown = repr(unknown[0]) if len(unknown[0]) <= 60 else repr(unknown[0][:57] + "...")
        raise InputError(f"--metric {shown} is not a metric; expected one of {', '.join(METRICS)}")
    out = Path(args.out) if args.out else Path(args.dir) / "analysis.png"
    if out.suffix.lower() != ".png":
        raise InputError(f"--out {str(out)!r}: expected a file ending in .png")
    spec, runs, manifest = load_sweep(args.dir)
    check_output_file(out, "--out", (".png",))
    csv = check_output_file(out.with_suffix(".csv"), "the table next to --out", (".csv",))
    table = analyze_sweep(spec, runs, metrics)
    if table.empty:
        raise InputError(f"{args.dir}: the sweep varies no parameter, so there is nothing to analyse")
    with pd.option_context("display.width", 160, "display.max_rows", 500, "display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))
    failed = len(manifest.get("failed", []))
    if failed:
        print(f"note: {failed} runs failed and are left out (see manifest.json)")
    for metric, count in missing_runs(runs, metrics).items():
        print(
            f"note: {count} of {len(runs)} runs have no value for {metric} (no active partner left: missing, ODD "
            "7.8); they are left out of its indices (a point's mean is over its replications with a value)"
        )
    title = f"{spec.kind} design, {len(runs)} runs"
    atomic_write(out, lambda p: plot_indices(table, p, title=title))
    atomic_write(csv, lambda p: table.to_csv(p, index=False))
    print(f"figure written to {out}; table to {csv}")
    return 0
