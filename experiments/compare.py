"""What-if comparisons: a scenario (the baseline) against variants, over the same seeds.

``netwerkregie compare SCENARIO VARIANT.toml [...] --replications R`` runs the baseline and every variant with the
same R seeds (common random numbers: replication r of every arm uses seed r, derived from ``--seed``), so each
variant's difference from the baseline is measured seed by seed. Every arm is measured against the baseline's
``reference_rate`` (the baseline network's output at full health), so task progress stays comparable when a
variant changes the network.

What is paired: the seed, hence the world's random streams (one stream per tick) and the director's stream. A
variant with the same partners and relations (governance, parameters) draws exactly the same random numbers in
the same roles as the baseline. A variant that changes the network draws a different number of uniforms per tick
(it is sized by the partners and relations), so the same numbers land in other roles: the arms still share their
seeds and the pairs stay independent across seeds, so the paired intervals remain valid, but the pairing removes
less noise.

Per metric (its value at the end of the horizon): the mean with a 95% t-interval per arm; the paired difference
(variant - baseline) with a 95% t-interval over the seeds; the effect size Cohen's d_z (mean difference / standard
deviation of the differences); and the share of seeds in which the variant does better (higher is better except
for the metrics in :data:`LOWER_IS_BETTER`; ``hours_spent`` has no direction; ties count as not better). Each metric's
direction is its declaration's (:mod:`model.metrics`).

Calibration constants (:mod:`model.constants`) given to :func:`prepare` (``--constant NAME=VALUE``) apply to every
arm, the baseline's reference rate included. The runs go to an :class:`experiments.evaluator.Evaluator` (in this
process, on local processes or on a Dask cluster: the same numbers wherever they run). The ``compare`` command
itself, which also writes the report (:mod:`experiments.report`, which builds on this module), is in
:mod:`experiments.cli`.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.evaluator import Evaluator
from experiments.runner import derive_seed, run_one
from experiments.variants import Variant, variant_scenario
from model import METRICS, CollaborationModel, Scenario, load_scenario
from model.constants import check_constants
from model.inputs import InputError, check_limit
from model.metrics import METRIC_DECLARATIONS, lower_is_better, without_direction
from model.parameters import PARAMETERS
from model.switches import check_switches

LEVEL = 0.95
#: The metrics for which lower is better, and those without a better direction: from :mod:`model.metrics`.
LOWER_IS_BETTER = lower_is_better()
NO_DIRECTION = without_direction()
BASELINE = "baseline"


def direction(metric: str) -> int:
    """+1 if higher is better, -1 if lower is better, 0 if the metric has no better direction."""
    if metric in NO_DIRECTION:
        return 0
    return -1 if metric in LOWER_IS_BETTER else 1


# ---- statistics -------------------------------------------------------------------------------------------------


def mean_interval(x: Sequence[float] | np.ndarray, level: float = LEVEL, axis: int = 0) -> tuple[Any, Any, Any]:
    """Mean and two-sided t-interval of the mean (``level``) along ``axis``: ``(mean, low, high)``.

    With all values equal the interval is the point itself.
    """
    from scipy import stats  # seconds to import: here, so that the command line starts quickly

    x = np.asarray(x, dtype=float)
    n = x.shape[axis]
    if n < 2:
        raise ValueError(f"an interval needs at least 2 values, got {n}")
    mean = x.mean(axis=axis)
    se = x.std(axis=axis, ddof=1) / math.sqrt(n)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * se
    return mean, mean - half, mean + half


def paired_difference(
    variant: Sequence[float] | np.ndarray, baseline: Sequence[float] | np.ndarray, level: float = LEVEL
) -> dict[str, float]:
    """The paired difference variant - baseline over seeds: mean, t-interval and Cohen's d_z.

    d_z = mean(d) / sd(d); it is 0 when every difference is 0 and +-inf when all differences are equal and
    non-zero.
    """
    d = np.asarray(variant, dtype=float) - np.asarray(baseline, dtype=float)
    mean, low, high = mean_interval(d, level)
    sd = d.std(ddof=1)
    dz = mean / sd if sd > 0 else (0.0 if mean == 0 else math.copysign(math.inf, mean))
    return {"mean": float(mean), "low": float(low), "high": float(high), "dz": float(dz)}


def share_better(variant: np.ndarray, baseline: np.ndarray, metric: str) -> float:
    """The share of seeds in which the variant does better than the baseline (NaN for a metric without
    direction; a tie is not better)."""
    sign = direction(metric)
    if sign == 0:
        return float("nan")
    d = (np.asarray(variant, dtype=float) - np.asarray(baseline, dtype=float)) * sign
    return float(np.mean(d > 0))


# ---- the comparison --------------------------------------------------------------------------------------------


@dataclass
class Arm:
    """The baseline or one variant: its label, variant and per-seed scenarios and keyword arguments."""

    label: str
    variant: Variant | None
    scenarios: list[Scenario]  # one per seed (the same object for a fixed scenario)
    kwargs: dict[str, Any]


@dataclass
class Comparison:
    """A finished comparison.

    Attributes:
        scenario: the baseline scenario as given (a generated one is not yet drawn).
        arms: the baseline first, then the variants.
        seeds: the R seeds every arm ran with.
        steps: the horizon in weeks.
        base_seed: the ``--seed`` the seeds derive from.
        strategy: the director's strategy given for all arms (``None``: the scenario's or the default).
        constants: calibration constants given for all arms (empty: the declared values and the scenario's).
        switches: mechanism switches given for all arms (empty: every switch on, or the scenario's).
        reference_rates: the baseline's reference rate per seed.
        finals: per arm label, an (R, metrics) array of final values (columns in :data:`model.METRICS` order).
        series: per arm label, an (R, steps + 1, metrics) array of per-week values.
        table: the comparison table (one row per variant and metric).
        wall_s: seconds the runs took.
    """

    scenario: Scenario
    arms: list[Arm]
    seeds: list[int]
    steps: int
    base_seed: int
    strategy: str | None
    reference_rates: list[float]
    constants: dict[str, float] = field(default_factory=dict)
    switches: dict[str, bool] = field(default_factory=dict)
    finals: dict[str, np.ndarray] = field(default_factory=dict)
    series: dict[str, np.ndarray] = field(default_factory=dict)
    table: pd.DataFrame | None = None
    wall_s: float = 0.0

    @property
    def variants(self) -> list[Arm]:
        return self.arms[1:]

    def final(self, label: str, metric: str) -> np.ndarray:
        """The final values of a metric in an arm, one per seed."""
        return self.finals[label][:, METRICS.index(metric)]

    def over_time(self, label: str, metric: str) -> np.ndarray:
        """The per-week values of a metric in an arm, shape (R, steps + 1)."""
        return self.series[label][:, :, METRICS.index(metric)]


def prepare(
    scenario: str | Path | Scenario,
    variants: Sequence[Variant],
    replications: int = 20,
    steps: int | None = None,
    seed: int = 1,
    strategy: str | None = None,
    constants: Mapping[str, float] | None = None,
    switches: Mapping[str, Any] | None = None,
) -> Comparison:
    """Check everything and build the arms of a comparison; runs nothing.

    Every variant is applied to the scenario for every seed it needs and one model per arm is built, so any bad
    input (an unknown partner, an invalid parameter or constant, a partner left without relations) raises here.
    ``constants`` overrides calibration constants in every arm (``CollaborationModel(constants=...)``);
    ``switches`` switches mechanisms on or off in every arm (``CollaborationModel(switches=...)``).

    Raises:
        InputError: one line naming the problem.
    """
    constants = check_constants(dict(constants or {}), "--constant")
    switches = check_switches(dict(switches or {}), "--switch")
    template = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise InputError(f"--replications {replications}: expected an integer of at least 2 (paired intervals)")
    check_limit("--replications", replications, "replications")
    horizon = template.steps if steps is None else steps
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise InputError(f"--steps {steps}: expected a positive number of weeks")
    check_limit("--steps", horizon, "steps")
    check_limit("runs of the comparison", (len(variants) + 1) * replications, "design_points")
    common: dict[str, Any] = {}
    if strategy is not None:
        common["strategy"] = PARAMETERS["strategy"].validate(strategy)
    if switches:
        common["switches"] = switches
    seeds = [derive_seed(seed, r) for r in range(replications)]
    per_seed = template.generated
    arms = [Arm(BASELINE, None, [], dict(common))]
    labels = {BASELINE}
    for v in variants:
        label, k = v.name, 2
        while label in labels:
            label, k = f"{v.name} ({k})", k + 1
        labels.add(label)
        kwargs = dict(common)
        kwargs.update({key: value for key, value in v.settings.items() if key != "n_partners"})
        if v.governance:
            kwargs["governance"] = v.governance
        arms.append(Arm(label, v, [], kwargs))
    for arm in arms:
        if per_seed:
            arm.scenarios = [variant_scenario(template, arm.variant, s) for s in seeds]
        else:
            arm.scenarios = [variant_scenario(template, arm.variant)] * replications
    base = arms[0]
    if per_seed:
        references = [_reference(sc, s, base.kwargs, constants) for sc, s in zip(base.scenarios, seeds, strict=True)]
    else:
        references = [_reference(base.scenarios[0], seeds[0], base.kwargs, constants)] * replications
    for arm in arms[1:]:  # build one model per arm: invalid combinations surface now, before any run
        CollaborationModel(
            scenario=arm.scenarios[0], rng=seeds[0], reference_rate=references[0], constants=constants, **arm.kwargs
        )
    return Comparison(
        scenario=template,
        arms=arms,
        seeds=seeds,
        steps=horizon,
        base_seed=int(seed),
        strategy=common.get("strategy"),
        reference_rates=references,
        constants=constants,
        switches=switches,
    )


def _reference(scenario: Scenario, seed: int, kwargs: dict[str, Any], constants: dict[str, float]) -> float:
    return float(CollaborationModel(scenario=scenario, rng=seed, constants=constants, **kwargs).reference_rate)


def tasks(comparison: Comparison) -> list[tuple[int, int, dict[str, Any], int]]:
    """The runs of a comparison: ``(arm index, replication, run_one params, seed)``."""
    out = []
    for a, arm in enumerate(comparison.arms):
        for r, s in enumerate(comparison.seeds):
            params = {"scenario": arm.scenarios[r], "reference_rate": comparison.reference_rates[r], **arm.kwargs}
            out.append((a, r, params, s))
    return out


def run_comparison(
    comparison: Comparison,
    executor: Evaluator | Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run every arm over every seed and fill in ``finals``, ``series`` and ``table``.

    Args:
        comparison: from :func:`prepare`.
        executor: an :class:`~experiments.evaluator.Evaluator`, or any ``concurrent.futures`` executor (neither is
            shut down here); ``None`` runs in this process, one run after another.
        progress: called as ``progress(done, total)`` after each run.

    Raises:
        Exception: the first run that failed (the others are cancelled).
    """
    work = tasks(comparison)
    total = len(work)
    n_metrics = len(METRICS)
    finals = {arm.label: np.empty((len(comparison.seeds), n_metrics)) for arm in comparison.arms}
    series = {arm.label: np.empty((len(comparison.seeds), comparison.steps + 1, n_metrics)) for arm in comparison.arms}
    if isinstance(executor, Evaluator):
        evaluator = executor
    else:
        evaluator = Evaluator(0) if executor is None else Evaluator(executor=executor)
    constants = comparison.constants or None
    runs = [(params, s, comparison.steps, True, constants) for _, _, params, s in work]
    start = time.perf_counter()
    done = 0
    with contextlib.closing(evaluator.imap_unordered(run_one, runs)) as outcomes:  # leaving early cancels the rest
        for outcome in outcomes:
            a, r = work[outcome.index][:2]
            label = comparison.arms[a].label
            finals[label][r] = [outcome.result["final"][m] for m in METRICS]
            series[label][r] = outcome.result["timeseries"]
            done += 1
            if progress:
                progress(done, total)
    comparison.finals, comparison.series = finals, series
    comparison.wall_s = time.perf_counter() - start
    comparison.table = comparison_table(comparison)
    return comparison


def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """One row per variant and metric: means with intervals, the paired difference, d_z, the share better."""
    rows = []
    base = comparison.arms[0].label
    for arm in comparison.variants:
        for metric in METRICS:
            # a run whose network has no active partner (or relation) left reports the concepts as missing (NaN,
            # ODD 7.8): each arm's mean is over its runs with a value, the difference over the seeds where both
            # have one; the rows count the runs without a value (missing_baseline, missing_variant)
            b_all, v_all = comparison.final(base, metric), comparison.final(arm.label, metric)
            both = ~np.isnan(b_all) & ~np.isnan(v_all)
            b, v = b_all[both], v_all[both]
            bm, bl, bh = _mean_interval_or_missing(b_all[~np.isnan(b_all)])
            vm, vl, vh = _mean_interval_or_missing(v_all[~np.isnan(v_all)])
            d = paired_difference(v, b) if len(b) >= 2 else dict.fromkeys(("mean", "low", "high", "dz"), math.nan)
            sign = direction(metric)
            rows.append(
                {
                    "variant": arm.label,
                    "metric": metric,
                    "better_when": {1: "higher", -1: "lower", 0: "none"}[sign],
                    "n": len(b),
                    "baseline_mean": float(bm),
                    "baseline_low": float(bl),
                    "baseline_high": float(bh),
                    "variant_mean": float(vm),
                    "variant_low": float(vl),
                    "variant_high": float(vh),
                    "diff_mean": d["mean"],
                    "diff_low": d["low"],
                    "diff_high": d["high"],
                    "effect_size_dz": d["dz"],
                    "share_better": share_better(v, b, metric) if len(b) else math.nan,
                    "missing_baseline": int(np.isnan(b_all).sum()),
                    "missing_variant": int(np.isnan(v_all).sum()),
                }
            )
    return pd.DataFrame(rows)


def _mean_interval_or_missing(x: np.ndarray) -> tuple[float, float, float]:
    """:func:`mean_interval` of the values there are; missing (NaN) when fewer than 2."""
    return mean_interval(x) if len(x) >= 2 else (math.nan, math.nan, math.nan)


def verdict(row: pd.Series) -> str:
    """``better`` or ``worse`` when the difference's interval excludes zero and its mean is at least the metric's
    smallest difference of interest (:attr:`model.metrics.Metric.smallest_difference`), by direction;
    ``negligible`` when the whole interval lies within that smallest difference either side of zero; ``unclear``
    otherwise; ``same`` when every seed gives the same value in both arms; ``-`` for a metric without direction;
    ``missing`` when fewer than 2 seeds have a value in both arms (no active partner left, ODD 7.8)."""
    sign = {"higher": 1, "lower": -1}.get(row["better_when"], 0)
    if math.isnan(row["diff_mean"]):  # fewer than 2 seeds where both arms have a value (ODD 7.8)
        return "missing"
    if row["diff_low"] == row["diff_high"] == 0:
        return "same"
    if sign == 0:
        return "-"
    smallest = smallest_difference(row["metric"] if "metric" in row.index else str(row.name))  # or indexed by it
    if -smallest < row["diff_low"] and row["diff_high"] < smallest:
        return "negligible"
    if row["diff_low"] <= 0 <= row["diff_high"] or abs(row["diff_mean"]) < smallest:
        return "unclear"
    return "better" if (row["diff_low"] > 0) == (sign > 0) else "worse"


def smallest_difference(name: str) -> float:
    """The smallest difference of interest of a metric (0.01 for a name that is not a declared metric)."""
    declared = METRIC_DECLARATIONS.get(name)
    return 0.01 if declared is None else declared.smallest_difference


def format_table(comparison: Comparison, metrics: Sequence[str] | None = None) -> str:
    """The comparison as a text table, one block per variant."""
    table = comparison.table
    metrics = list(metrics or METRICS)
    out = []
    pct = f"{LEVEL:.0%}"
    w = max(len("metric"), *(len(m) for m in metrics))  # the metric column fits the longest name
    for arm in comparison.variants:
        block = table[(table["variant"] == arm.label) & table["metric"].isin(metrics)]
        out.append(
            f"{arm.label}  vs  baseline ({comparison.scenario.name}): {len(comparison.seeds)} paired seeds, "
            f"{comparison.steps} weeks"
        )
        head = (
            f"{'metric':<{w}} {'baseline [' + pct + ' CI]':<27} {'variant [' + pct + ' CI]':<27} "
            f"{'difference [' + pct + ' CI]':<30} {'d_z':>6} {'better':>7}  verdict"
        )
        out += [head, "-" * len(head)]
        for _, row in block.iterrows():
            share = "" if math.isnan(row["share_better"]) else f"{row['share_better']:.0%}"
            out.append(
                f"{row['metric']:<{w}} {_ci(row, 'baseline'):<27} {_ci(row, 'variant'):<27} "
                f"{_ci(row, 'diff', signed=True):<30} {format_dz(row['effect_size_dz']):>6} {share:>7}  {verdict(row)}"
            )
            missing = int(row.get("missing_baseline", 0)), int(row.get("missing_variant", 0))
            if any(missing):
                out.append(f"{'':<{w}} missing (no active partner): {missing[0]} baseline, {missing[1]} variant runs")
        out.append("")
    out.append(
        "difference = variant - baseline, paired by seed; d_z = mean difference / sd of the differences; "
        "better = share of seeds in which the variant does better; verdict: better or worse when the difference's "
        "interval excludes 0 and its mean is at least the metric's smallest difference of interest (0.01, or one "
        "event for a count), negligible when the interval lies within that difference of 0."
    )
    return "\n".join(out)


def _num(x: float, signed: bool = False) -> str:
    if math.isnan(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:+.0f}" if signed else f"{x:.0f}"
    return f"{x:+.3f}" if signed else f"{x:.3f}"


def _ci(row: pd.Series, prefix: str, signed: bool = False) -> str:
    return (
        f"{_num(row[prefix + '_mean'], signed)} "
        f"[{_num(row[prefix + '_low'], signed)}, {_num(row[prefix + '_high'], signed)}]"
    )


def format_dz(x: float) -> str:
    """An effect size for people: two decimals; beyond +-99 (near-constant differences) as ">+99" or "<-99";
    "–" when missing."""
    if math.isnan(x):
        return "–"
    if abs(x) > 99:
        return ">+99" if x > 0 else "<-99"
    return f"{x:+.2f}"
