"""What every pattern module shares: the configuration, the declarations, running one replication, the statistics.

A pattern module (``p01_blame.py`` .. ``p11_governance_size.py``, the pattern-7 map ``p07m_strategy_map.py``, the
sub-mechanisms ``s1_beta_reputation.py`` .. ``s3_asymmetric_trust.py``) declares one object named ``PATTERN``: a
:class:`Pattern` (an experiment over model runs) or a :class:`SubMechanism` (a published result reproduced by a
mechanism alone). :mod:`experiments.patterns` finds the modules and orders them by their number.

Statistics: a check of a directional claim is a one-sided paired t-test over the seeds (the effect is the mean
paired difference, the effect size Cohen's d_z = mean / sd of the differences). An inverted U holds when, on a
log-spaced grid, the mean at the peak exceeds both ends by more than two bootstrap standard errors (its p-value is
the normal tail of the smaller of the two z scores). A shift of the peak is estimated by parabolic interpolation on
the log grid and tested by a paired bootstrap over seeds. The whole table is corrected with Holm's method
(:func:`holm`) by :mod:`experiments.validate`.
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from experiments.runner import run_one
from model import CollaborationModel
from model import mechanisms as mech

SCENARIOS = ("jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein", "synthetic")
SCENARIO_LABELS = {
    "jeugdaanpak": "jeugdaanpak",
    "gebiedsontwikkeling": "gebiedsontwikkeling",
    "sociaal_domein": "sociaal domein",
    "synthetic": "synthetic (50)",
}

#: Family-wise error rate of the validation (Holm); also the level of the pattern-7 map's marks.
ALPHA = 0.01

#: Stands for a table of results where a page is rendered without a run (:mod:`experiments.patterns.page`).
TABLE_PLACEHOLDER = "| (the results of a full run: `python -m experiments.validate --doc`) |"

#: The results of one pattern: scenario -> arm name -> the run results over the seeds.
Results = dict[str, dict[str, list]]


# ---------------------------------------------------------------------------------------------------------------
# Configuration, arms, rows
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """How big a validation is.

    Attributes:
        seeds: replications per arm (paired across the arms of a pattern).
        base_seed: the seed of replication k is ``derive_seed(base_seed, k)``.
        steps: horizon in weeks (``None``: each scenario's own horizon).
        map_seeds: replications per point of the pattern-7 map.
        grid: sharing rates of the pattern-2 grid (log-spaced).
        sizes: network sizes of the pattern-11 sweep.
        bootstrap: bootstrap resamples.
        quick: a reduced validation (fewer seeds, shorter horizon).
    """

    seeds: int = 30
    base_seed: int = 20261127
    steps: int | None = None
    map_seeds: int = 12
    grid: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
    sizes: tuple[int, ...] = (4, 6, 8, 12, 16, 24, 32, 40)
    bootstrap: int = 2000
    quick: bool = False

    def horizon(self, scenario: str) -> int | None:
        return self.steps


FULL = Config()
QUICK = Config(
    seeds=12,
    base_seed=7001,
    steps=78,
    map_seeds=6,
    grid=(0.05, 0.2, 0.8, 3.2, 6.4),
    sizes=(4, 8, 24, 40),
    bootstrap=1000,
    quick=True,
)


@dataclass(frozen=True)
class Arm:
    """One setting of an experiment, run over every seed.

    Attributes:
        name: the arm's name within its pattern and scenario.
        params: model keyword arguments (the scenario is added by the pattern).
        kind: ``"final"`` (final metrics), ``"series"`` (also per-week metrics) or ``"snapshot"`` (final metrics and
            the relation arrays at the horizon, for checks on single relations and partners).
        steps: the horizon of this arm (``None``: the configuration's).
    """

    name: str
    params: dict[str, Any]
    kind: str = "final"
    steps: int | None = None

    def key(self, seed: int, default_steps: int | None) -> str:
        steps = self.steps if self.steps is not None else default_steps
        return json.dumps([sorted(self.params.items()), int(seed), steps, self.kind], default=str)


@dataclass
class Row:
    """One check of the validation table.

    ``label``, ``sesoi``, ``at_most`` and ``clears`` come from the check's declaration (:class:`Check`, attached by
    :func:`declare`): a check holds when its Holm-adjusted p-value is at most :data:`ALPHA`, its own criterion is met
    and its effect clears its smallest effect of interest."""

    pattern: str
    check: str
    scenario: str
    effect: float
    effect_size: float
    p_value: float
    criterion: bool = True
    note: str = ""
    p_holm: float = float("nan")
    holds: bool = False
    label: str = ""
    sesoi: float = float("nan")
    at_most: bool = False
    clears: bool = True


# ---------------------------------------------------------------------------------------------------------------
# What each check is evidence of, and its smallest effect of interest
# ---------------------------------------------------------------------------------------------------------------

#: The kinds of check: *emergent* (no single equation implies its sign: it comes from the simulation's feedbacks),
#: *by construction* (an equation or a line of the code implies it, named with the check) and *verification* (the
#: code checked against its own closed form).
EMERGENT, BY_CONSTRUCTION, VERIFICATION = "emergent", "by construction", "verification"
LABELS = (EMERGENT, BY_CONSTRUCTION, VERIFICATION)

#: The smallest effect of interest on a 0-1 metric (trust, commitment, task progress, a share of relations, ...).
SESOI_01 = 0.02
#: Its justification, stated once (docs/validation.md, Statistics).
WHY_01 = "two points on the 0-1 scale"


@dataclass(frozen=True)
class Check:
    """The declaration of one check of a pattern or sub-mechanism: what kind of evidence it is and its smallest
    effect of interest (SESOI).

    Attributes:
        check: the check's name as its rows give it; ``*`` stands for a varying part (``shared beats nao at *``).
        label: :data:`EMERGENT`, :data:`BY_CONSTRUCTION` or :data:`VERIFICATION`.
        sesoi: the smallest effect of interest, in the unit of the row's effect.
        unit: that unit (``"trust (0-1)"``, ``"Spearman rho"``, ...).
        why: why this SESOI, in that unit.
        basis: the equation or code that implies the check (by construction, verification); for an emergent check,
            optionally what it rests on.
        zero_one: the effect is a difference on a 0-1 metric (its SESOI is then at least 0.01).
        at_most: the effect is an error or a distance: it clears the SESOI when it is at most the SESOI (a
            verification's tolerance); otherwise when it is at least the SESOI.
    """

    check: str
    label: str
    sesoi: float
    unit: str
    why: str = WHY_01
    basis: str = ""
    zero_one: bool = True
    at_most: bool = False

    def matches(self, check: str) -> bool:
        return fnmatch.fnmatchcase(check, self.check)

    def clears(self, effect: float) -> bool:
        """Whether an effect clears the SESOI (a missing effect does not)."""
        if not math.isfinite(effect):
            return effect == math.inf and not self.at_most
        return abs(effect) <= self.sesoi if self.at_most else effect >= self.sesoi


def sesoi_text(sesoi: float, at_most: bool) -> str:
    """A SESOI in a table: ``>= 0.02`` or, for a tolerance, ``<= 1e-09``."""
    if not math.isfinite(sesoi):
        return "-"
    number = f"{sesoi:.0e}" if 0 < sesoi < 1e-3 else f"{sesoi:g}"
    return f"{'<=' if at_most else '>='} {number}"


def declaration(checks: Sequence[Check], row: Row) -> Check:
    """The declaration of a row's check (the first that matches).

    Raises:
        ValueError: no declaration matches the row's check.
    """
    for c in checks:
        if c.matches(row.check):
            return c
    raise ValueError(f"pattern {row.pattern}: the check {row.check!r} has no declaration (label and SESOI)")


def declare(rows: Sequence[Row], checks: Sequence[Check]) -> None:
    """Give every row its check's label and SESOI, and whether its effect clears the SESOI."""
    for r in rows:
        c = declaration(checks, r)
        r.label, r.sesoi, r.at_most, r.clears = c.label, c.sesoi, c.at_most, c.clears(r.effect)


# ---------------------------------------------------------------------------------------------------------------
# The declarations: one per pattern module
# ---------------------------------------------------------------------------------------------------------------


def seeds_per_arm(cfg: Config) -> int:
    """Replications per arm of a pattern: the configuration's seeds."""
    return cfg.seeds


def order_of(key: str) -> tuple[int, int, str]:
    """Sort key of a pattern key: ``"1"`` .. ``"11"`` by number, a part (``"7m"``) after its pattern, ``"S1"`` ..
    after every pattern."""
    match = re.fullmatch(r"(S?)(\d+)([a-z]*)", key)
    if match is None:
        raise ValueError(f"pattern key {key!r}: expected a number (7), a number and a letter (7m) or S and a number")
    return (1 if match.group(1) else 0, int(match.group(2)), match.group(3))


@dataclass(frozen=True)
class Pattern:
    """A pattern of the model spec as an experiment, with its figure and the text of its section of the docs.

    Attributes:
        key: ``"1"`` .. ``"11"`` (the order of the validation); a part of another pattern's section (the
            pattern-7 map) has the other's number and a letter: ``"7m"``.
        title: a short name (the heading of its section in docs/validation.md).
        claim: the claim, as the model spec states it.
        source: where the claim comes from.
        experiment: one sentence on the experiment.
        scenarios: the scenarios it applies to.
        arms: the arms of its experiment in a scenario: ``(scenario, config) -> arms``.
        evaluate: ``(results, scenario, config) -> rows``; ``results[arm name]`` is the list of run results over
            the seeds.
        figure: the file name of its figure (in docs/figures/).
        draw: ``(results by scenario, config) -> matplotlib figure``, laid out and ready to save.
        text: the prose of its section in docs/validation.md (how the model produces the pattern).
        part_of: the key of the pattern whose section it belongs to (it is then not counted as a pattern of its own:
            no heading, its figure and report go into the other's section).
        replications: replications per arm, ``config -> int``.
        report: a table beside the checks, ``(results by scenario or None, config, markdown) -> text``; ``None``
            results stand for a page rendered without a run (tables: :data:`TABLE_PLACEHOLDER`).
        known_failures: the scenarios where the pattern is known not to hold, each with the reason found (shown in
            its section). The validation still counts the pattern as not holding; the long test requires that
            exactly these scenarios fail, so a new failure and a repaired one are both noticed.
        checks: the declaration of every check its evaluation gives (:class:`Check`: label and SESOI).
    """

    key: str
    title: str
    claim: str
    source: str
    experiment: str
    arms: Callable[[str, Config], list[Arm]]
    evaluate: Callable[[dict[str, list], str, Config], list[Row]]
    figure: str
    draw: Callable[[Results, Config], Any]
    text: str
    scenarios: tuple[str, ...] = SCENARIOS
    part_of: str | None = None
    replications: Callable[[Config], int] = seeds_per_arm
    report: Callable[[Results | None, Config, bool], str] | None = None
    known_failures: Mapping[str, str] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()

    @property
    def order(self) -> tuple[int, int, str]:
        return order_of(self.key)


@dataclass(frozen=True)
class SubMechanism:
    """A published result reproduced by one mechanism alone (model spec, section 9): no model runs.

    Attributes:
        key: ``"S1"``, ``"S2"``, ...
        title: a short name.
        source: the publication.
        mechanisms: the functions of :mod:`model.mechanisms` it exercises, as the docs name them.
        run: ``config -> (rows, data for the figure)``.
        figure: the file name of its figure (in docs/figures/).
        draw: ``(data, config) -> matplotlib figure``, laid out and ready to save.
        text: the prose of its paragraph in docs/validation.md.
        checks: the declaration of every check it gives (:class:`Check`: label and SESOI).
    """

    key: str
    title: str
    source: str
    mechanisms: str
    run: Callable[[Config], tuple[list[Row], Any]]
    figure: str
    draw: Callable[[Any, Config], Any]
    text: str
    checks: tuple[Check, ...] = ()

    @property
    def order(self) -> tuple[int, int, str]:
        return order_of(self.key)


# ---------------------------------------------------------------------------------------------------------------
# Running one arm's replication (picklable; runs through experiments.runner.run_one)
# ---------------------------------------------------------------------------------------------------------------


def run_task(
    params: dict[str, Any], seed: int, steps: int | None, kind: str, constants: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """Run one replication of an arm (``constants``: calibration constants overridden, as the robustness study
    varies them; :mod:`model.constants`).

    ``final`` and ``series`` runs go through :func:`experiments.runner.run_one`; a ``snapshot`` also returns the
    relation and partner arrays at the horizon (trust evidence, respect, value distances, stake, who left).
    """
    if kind != "snapshot":
        out = run_one(params, seed, steps, timeseries=kind == "series", constants=constants)
        return {"final": out["final"], "series": out["timeseries"]}
    model = CollaborationModel(rng=int(seed), constants=constants, **params)
    st = model.state
    weekly_trust, weekly_relations = [], []  # per partner, at the start of every week
    for _ in range(model.scenario_spec.steps if steps is None else int(steps)):
        trust_out = st.mean_out(st.trust())
        weekly_trust.append(trust_out)
        weekly_relations.append((trust_out + st.mean_out(st.respect) + st.equality) / 3.0)
        model.step()
    distance = mech.value_distance(st.values[st.src], st.values[st.dst])
    return {
        "final": dict(model.last_metrics),
        "series": None,
        "r": st.r.copy(),
        "s": st.s.copy(),
        "src": st.src.copy(),
        "dst": st.dst.copy(),
        "edge_active": st.edge_active.copy(),
        "respect": st.respect.copy(),
        "distance0": st.distance0.copy(),
        "distance": distance,
        "stake": st.stake.copy(),
        "power": st.power.copy(),
        "active": st.active.copy(),
        "weekly_trust": np.array(weekly_trust).reshape(-1, st.n),
        "weekly_relations": np.array(weekly_relations).reshape(-1, st.n),
        "exit_week": _exit_weeks(model),
        "prior_weight": float(st.prior_weight),
        "retention": float(model.params["evidence_retention"]),
        "kappa": float(model.params["kappa"]),
        "confidence_bound": float(model.params["confidence_bound"]),
    }


def _exit_weeks(model: Any) -> np.ndarray:
    """The week each partner left (-1: stayed)."""
    weeks = np.full(model.state.n, -1, dtype=np.int64)
    for event in model.events:
        if event["event"] == "exit":
            weeks[model.state.index[event["partner"]]] = event["step"]
    return weeks


# ---------------------------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------------------------


def paired_greater(a: Sequence[float], b: Sequence[float]) -> tuple[float, float, float]:
    """One-sided paired t-test of mean(a - b) > 0: returns (mean difference, Cohen's d_z, p-value)."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return one_sample_greater(d)


def one_sample_greater(d: Sequence[float], null: float = 0.0) -> tuple[float, float, float]:
    """One-sided one-sample t-test of mean(d) > null: returns (mean - null, d_z, p-value). Non-finite values
    (a run without active partners reports its concepts as missing, NaN: ODD 7.8) are left out; the validation
    counts such runs in the rows' notes (``validate.dissolved_runs``)."""
    d = np.asarray(d, dtype=float) - null
    d = d[np.isfinite(d)]
    if len(d) < 2:
        return float("nan"), float("nan"), 1.0
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    if sd <= 1e-15:
        return mean, math.copysign(math.inf, mean) if mean else 0.0, 0.0 if mean > 0 else 1.0
    p = float(stats.ttest_1samp(d, 0.0, alternative="greater").pvalue)
    return mean, mean / sd, p


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error control)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def peak_location(grid: np.ndarray, means: np.ndarray) -> float:
    """Location of the maximum of a curve on a log grid, refined by a parabola through the top three points."""
    x = np.log(grid)
    k = int(np.argmax(means))
    if k == 0 or k == len(grid) - 1:
        return float(x[k])
    y0, y1, y2 = means[k - 1], means[k], means[k + 1]
    h0, h1 = x[k] - x[k - 1], x[k + 1] - x[k]
    # vertex of the parabola through three (possibly unevenly spaced) points
    denom = h0 * h1 * (h0 + h1)
    a = (h0 * (y2 - y1) - h1 * (y1 - y0)) / denom
    if a >= 0:
        return float(x[k])
    b = ((y2 - y1) * h0 * h0 + (y1 - y0) * h1 * h1) / denom
    return float(np.clip(x[k] - b / (2 * a), x[k - 1], x[k + 1]))


def inverted_u(values: np.ndarray, bootstrap: int, rng: np.random.Generator) -> dict[str, float]:
    """Test an inverted U on a grid: ``values`` is (seeds, grid points).

    Returns the peak index, the smaller excess of the peak over an end, its z score in bootstrap standard errors
    (the smaller of the two ends') and a p-value (the normal tail of that z).
    """
    means = values.mean(axis=0)
    k = int(np.argmax(means))
    n = values.shape[0]
    idx = rng.integers(0, n, size=(bootstrap, n))
    boot = values[idx].mean(axis=1)  # (bootstrap, grid)
    zs, excess = [], []
    for end in (0, values.shape[1] - 1):
        diff = means[k] - means[end]
        se = float((boot[:, k] - boot[:, end]).std(ddof=1))
        excess.append(diff)
        zs.append(diff / se if se > 0 else (math.inf if diff > 0 else 0.0))
    z = min(zs)
    return {
        "peak": k,
        "excess": float(min(excess)),
        "z": float(z),
        "p": float(stats.norm.sf(z)) if k not in (0, values.shape[1] - 1) else 1.0,
    }


# ---------------------------------------------------------------------------------------------------------------
# Helpers shared by the patterns
# ---------------------------------------------------------------------------------------------------------------


def finals(results: list[dict[str, Any]], metric: str) -> np.ndarray:
    """The final value of ``metric`` in every run (seed order)."""
    return np.array([r["final"][metric] for r in results], dtype=float)


def compare(
    pattern: str,
    check: str,
    scenario: str,
    better: list[dict[str, Any]],
    worse: list[dict[str, Any]],
    metric: str,
    note: str = "",
) -> Row:
    """A row for "``metric`` is higher in arm ``better`` than in arm ``worse``" (paired over seeds)."""
    effect, dz, p = paired_greater(finals(better, metric), finals(worse, metric))
    return Row(pattern, check, scenario, effect, dz, p, note=note)


def with_scenario(scenario: str, **params: Any) -> dict[str, Any]:
    """Model keyword arguments of an arm: the scenario and the arm's parameters."""
    return {"scenario": scenario, **params}


# ---------------------------------------------------------------------------------------------------------------
# Numbers as the tables print them
# ---------------------------------------------------------------------------------------------------------------


def number_text(x: float, digits: int = 3) -> str:
    """A number in a table: fixed digits, ``inf``/``-inf``, ``-`` for a missing value."""
    if not math.isfinite(x):
        return "inf" if x == math.inf else ("-inf" if x == -math.inf else "-")
    return f"{x:.{digits}f}"


def p_text(p: float) -> str:
    """A p-value in a table: scientific below 0.001, ``-`` for none."""
    if not math.isfinite(p):
        return "-"
    return f"{p:.1e}" if p < 1e-3 else f"{p:.3f}"
