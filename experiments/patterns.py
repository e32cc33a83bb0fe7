"""The eleven patterns of the model spec (section 8) as experiments, and the sub-mechanism reproductions (section 9).

Each :class:`Pattern` is data: the claim, its source, the scenarios it applies to, and per scenario the *arms* of its
experiment (named parameter settings, each run over the same seeds: common random numbers, so the comparison between
arms is paired), and a function ``evaluate`` that turns the arms' results into table rows (one statistical check
each). :mod:`experiments.validate` runs every arm through :func:`experiments.runner.run_one` on an executor,
corrects the whole table for multiple testing (Holm), prints it, and draws the figures.

Statistics: a check of a directional claim is a one-sided paired t-test over the seeds (the effect is the mean
paired difference, the effect size Cohen's d_z = mean / sd of the differences). An inverted U holds when, on a
log-spaced grid, the mean at the peak exceeds both ends by more than two bootstrap standard errors (its p-value is
the normal tail of the smaller of the two z scores). A shift of the peak is estimated by parabolic interpolation on
the log grid and tested by a paired bootstrap over seeds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from model import mechanisms as mech

SCENARIOS = ("jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein", "synthetic")
SCENARIO_LABELS = {
    "jeugdaanpak": "jeugdaanpak",
    "gebiedsontwikkeling": "gebiedsontwikkeling",
    "sociaal_domein": "sociaal domein",
    "synthetic": "synthetic (50)",
}


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
    """One check of the validation table."""

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


@dataclass
class Pattern:
    """A pattern of the model spec as an experiment.

    Attributes:
        key: ``"1"`` .. ``"11"`` (sub-mechanisms ``"S1"`` .. ``"S3"`` are plain functions: ``SUB_MECHANISMS``).
        title: a short name.
        claim: the claim, as the model spec states it.
        source: where the claim comes from.
        scenarios: the scenarios it applies to.
        arms: the arms of its experiment in a scenario.
        evaluate: ``(results, scenario, config) -> rows``; ``results[arm name]`` is the list of run results over
            the seeds.
        experiment: one paragraph for the documentation.

    Figures are drawn by :func:`experiments.validate.write_figures`.
    """

    key: str
    title: str
    claim: str
    source: str
    experiment: str
    scenarios: tuple[str, ...]
    arms: Callable[[str, Config], list[Arm]]
    evaluate: Callable[[dict[str, list], str, Config], list[Row]]


# ---------------------------------------------------------------------------------------------------------------
# Running one arm's replication (picklable; runs through experiments.runner.run_one)
# ---------------------------------------------------------------------------------------------------------------


def run_task(params: dict[str, Any], seed: int, steps: int | None, kind: str) -> dict[str, Any]:
    """Run one replication of an arm.

    ``final`` and ``series`` runs go through :func:`experiments.runner.run_one`; a ``snapshot`` also returns the
    relation and partner arrays at the horizon (trust evidence, respect, value distances, stake, who left).
    """
    from experiments.runner import run_one

    if kind != "snapshot":
        out = run_one(params, seed, steps, timeseries=kind == "series")
        return {"final": out["final"], "series": out["timeseries"]}
    from model import CollaborationModel

    model = CollaborationModel(rng=int(seed), **params)
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
    """One-sided one-sample t-test of mean(d) > null: returns (mean - null, d_z, p-value)."""
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


def _with(scenario: str, **params: Any) -> dict[str, Any]:
    return {"scenario": scenario, **params}


#: Settings where incidents and blame limit progress (pattern 7: where balanced must beat relation_focus).
HARSH = {"incident_rate": 1.0, "blame_culture": 0.7}


# ---------------------------------------------------------------------------------------------------------------
# 1. Blame suppresses accountability and trust
# ---------------------------------------------------------------------------------------------------------------


def _arms_1(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("low blame", _with(scenario, blame_culture=0.1), "series"),
        Arm("high blame", _with(scenario, blame_culture=0.9), "series"),
    ]


def _eval_1(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    lo, hi = res["low blame"], res["high blame"]
    return [
        compare("1", f"blame lowers {metric}", scenario, lo, hi, metric)
        for metric in ("accountability", "trust", "task_progress", "accounted")
    ]


# ---------------------------------------------------------------------------------------------------------------
# 2. Information overload is an inverted U
# ---------------------------------------------------------------------------------------------------------------

STRUCTURES = (0.1, 0.9)


def _arms_2(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm(f"share {rate:g} structure {s:g}", _with(scenario, sharing_rate=rate, info_structure=s, strategy="none"))
        for s in STRUCTURES
        for rate in cfg.grid
    ]


def _curve(res: dict[str, list], structure: float, cfg: Config) -> np.ndarray:
    return np.column_stack(
        [finals(res[f"share {rate:g} structure {structure:g}"], "task_progress") for rate in cfg.grid]
    )


def _eval_2(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    rng = np.random.default_rng(cfg.base_seed + 2)
    grid = np.array(cfg.grid)
    rows = []
    for s in STRUCTURES:
        u = inverted_u(_curve(res, s, cfg), cfg.bootstrap, rng)
        rows.append(
            Row(
                "2",
                f"inverted U in sharing_rate (info_structure {s:g})",
                scenario,
                u["excess"],
                u["z"],
                u["p"],
                criterion=u["z"] > 2.0 and 0 < u["peak"] < len(grid) - 1,
                note=f"peak at {grid[u['peak']]:g}",
            )
        )
    lo, hi = _curve(res, STRUCTURES[0], cfg), _curve(res, STRUCTURES[1], cfg)
    shift = peak_location(grid, hi.mean(axis=0)) - peak_location(grid, lo.mean(axis=0))
    n = lo.shape[0]
    idx = rng.integers(0, n, size=(cfg.bootstrap, n))
    boot = np.array([peak_location(grid, hi[i].mean(axis=0)) - peak_location(grid, lo[i].mean(axis=0)) for i in idx])
    se = float(boot.std(ddof=1))
    z = shift / se if se > 0 else (math.inf if shift > 0 else 0.0)
    rows.append(
        Row(
            "2",
            "better info_structure moves the peak right",
            scenario,
            float(np.exp(shift)),
            z,
            float(stats.norm.sf(z)),
            note="effect: ratio of peak sharing rates",
        )
    )
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 3. Trust asymmetry: recovery after one breach takes longer than the drop
# ---------------------------------------------------------------------------------------------------------------

KAPPAS = (1.5, 2.0, 3.0)


def recovery_ticks(r, s, kappa: float, retention: float, prior_weight: float, cap: int = 400) -> np.ndarray:
    """Ticks of good experience (one positive judgement per tick) until trust is back within 0.01 of its level
    before one breach (a tick with one negative judgement, weight κ, instead of a positive one)."""
    before = mech.trust_from_evidence(r, s, 0.5, prior_weight)
    r1, s1 = mech.update_evidence(r, s, 0.0, kappa, retention)
    ticks = np.full(len(r), cap, dtype=float)
    done = np.zeros(len(r), dtype=bool)
    for t in range(1, cap + 1):
        r1, s1 = mech.update_evidence(r1, s1, 1.0, 0.0, retention)
        now = mech.trust_from_evidence(r1, s1, 0.5, prior_weight) >= before - 0.01
        ticks[now & ~done] = t
        done |= now
        if done.all():
            break
    return ticks


def _arms_3(scenario: str, cfg: Config) -> list[Arm]:
    steps = 26 if cfg.quick else 52
    return [Arm(f"kappa {k:g}", _with(scenario, kappa=k), "snapshot", steps) for k in KAPPAS]


def _ratios(snapshot: dict[str, Any]) -> np.ndarray:
    """Recovery/drop ratio of every active relation that is not in distrust (the drop takes one tick)."""
    e = snapshot["edge_active"]
    r, s = snapshot["r"][e], snapshot["s"][e]
    trusting = mech.trust_from_evidence(r, s, 0.5, snapshot["prior_weight"]) > mech.distrust_from_evidence(
        r, s, snapshot["prior_weight"]
    )
    ticks = recovery_ticks(r[trusting], s[trusting], snapshot["kappa"], snapshot["retention"], snapshot["prior_weight"])
    return ticks / 1.0


def _eval_3(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    mean_ratio = {k: np.array([_ratios(x).mean() for x in res[f"kappa {k:g}"]]) for k in KAPPAS}
    effect, dz, p = one_sample_greater(mean_ratio[2.0], 1.0)
    rows = [
        Row("3", "recovery takes longer than the drop (kappa 2)", scenario, effect, dz, p, note="effect: ratio - 1")
    ]
    effect, dz, p = paired_greater(mean_ratio[3.0], mean_ratio[1.5])
    rows.append(Row("3", "the recovery/drop ratio grows with kappa (3 vs 1.5)", scenario, effect, dz, p))
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 4. Role division is counter-collaborative
# ---------------------------------------------------------------------------------------------------------------


def _arms_4(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("task_focus", _with(scenario, strategy="task_focus"), "series"),
        Arm("balanced", _with(scenario, strategy="balanced"), "series"),
    ]


def _eval_4(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    tf, bal = res["task_focus"], res["balanced"]
    rows = [compare("4", "task_focus gives clearer frames", scenario, tf, bal, "frame_clarity")]
    rows += [
        compare("4", f"task_focus gives lower {metric}", scenario, bal, tf, metric)
        for metric in ("commitment", "equality", "task_progress")
    ]
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 5. Understanding neutralises value distance
# ---------------------------------------------------------------------------------------------------------------


def _arms_5(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("no contact", _with(scenario, strategy="none"), "snapshot"),
        Arm("contact and vision work", _with(scenario, strategy="relation_focus"), "snapshot"),
        Arm("vision work, 26 weeks", _with(scenario, strategy="relation_focus"), "snapshot", 26),
    ]


def distant_respect_change(snapshot: dict[str, Any]) -> float:
    """Mean change of respect since the start among value-distant relations (initial distance above the median).

    Respect starts at its target 1 - d0 (1 - 0.5) (understanding starts at 0.5)."""
    e = snapshot["edge_active"]
    d0 = snapshot["distance0"][e]
    distant = d0 > np.median(snapshot["distance0"])
    start = 1.0 - d0 * 0.5
    return float((snapshot["respect"][e] - start)[distant].mean()) if distant.any() else float("nan")


def vision_growth(snapshot: dict[str, Any]) -> float:
    """Growth of shared vision (1 - mean value distance) over the active relations since the start."""
    e = snapshot["edge_active"]
    return float((snapshot["distance0"][e] - snapshot["distance"][e]).mean())


def closure_by_distance(snapshot: dict[str, Any]) -> tuple[float, float]:
    """Share of the initial value distance closed, for moderately distant pairs (initial distance between half the
    confidence bound and the bound: vision work can bring them together) and extreme ones (beyond the bound)."""
    e = snapshot["edge_active"]
    d0, d = snapshot["distance0"][e], snapshot["distance"][e]
    cb = snapshot["confidence_bound"]
    closed = (d0 - d) / np.maximum(d0, 1e-9)
    moderate = (d0 > 0.5 * cb) & (d0 <= cb)
    extreme = d0 > cb
    m = float(closed[moderate].mean()) if moderate.any() else float("nan")
    x = float(closed[extreme].mean()) if extreme.any() else float("nan")
    return m, x


def _eval_5(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    none, rel, early = res["no contact"], res["contact and vision work"], res["vision work, 26 weeks"]
    rows = []
    effect, dz, p = one_sample_greater([-distant_respect_change(x) for x in none])
    rows.append(Row("5", "without contact respect of value-distant pairs erodes", scenario, effect, dz, p))
    effect, dz, p = one_sample_greater([distant_respect_change(x) for x in rel])
    rows.append(Row("5", "with contact and vision work their respect grows", scenario, effect, dz, p))
    effect, dz, p = one_sample_greater([vision_growth(x) for x in rel])
    rows.append(Row("5", "with vision work shared vision grows", scenario, effect, dz, p))
    pairs = np.array([closure_by_distance(x) for x in early])
    ok = np.isfinite(pairs).all(axis=1)
    effect, dz, p = paired_greater(pairs[ok, 0], pairs[ok, 1])
    rows.append(
        Row(
            "5",
            "moderately distant pairs converge more than extreme ones (26 weeks)",
            scenario,
            effect,
            dz,
            p,
            note="share of initial distance closed",
        )
    )
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 6. Power asymmetry hurts perceived equality
# ---------------------------------------------------------------------------------------------------------------

EQUALITY_WORK = {"strategy": "custom", "alloc_equal_footing": 0.5, "alloc_recognize_interests": 0.5}


def _arms_6(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("no director", _with(scenario, strategy="none"), "series"),
        Arm("equal footing + recognise interests", _with(scenario, **EQUALITY_WORK), "series"),
    ]


def _eval_6(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    none, work = res["no director"], res["equal footing + recognise interests"]
    effect, dz, p = one_sample_greater(finals(none, "equality_gap"))
    rows = [Row("6", "low-power partners perceive less equality", scenario, effect, dz, p, note="equality gap")]
    effect, dz, p = paired_greater(finals(none, "equality_gap"), finals(work, "equality_gap"))
    rows.append(Row("6", "equal_footing + recognize_interests narrow the gap", scenario, effect, dz, p))
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 7. The joint task and healthy relations together win
# ---------------------------------------------------------------------------------------------------------------

MAP_SCENARIO = "jeugdaanpak"
MAP_INCIDENTS = (0.05, 0.2, 0.8)
MAP_BLAME = (0.1, 0.5, 0.9)
MAP_SHARING = (0.2, 0.6, 1.8)


def _arms_7(scenario: str, cfg: Config) -> list[Arm]:
    arms = [Arm(s, _with(scenario, strategy=s), "series") for s in ("balanced", "none", "task_focus", "relation_focus")]
    arms += [Arm(f"{s}, harsh", _with(scenario, strategy=s, **HARSH)) for s in ("balanced", "relation_focus")]
    return arms


def _eval_7(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    bal = res["balanced"]
    rows = [
        compare("7", "balanced beats none", scenario, bal, res["none"], "task_progress"),
        compare("7", "balanced beats task_focus", scenario, bal, res["task_focus"], "task_progress"),
        compare(
            "7",
            "balanced beats relation_focus where incidents and blame limit",
            scenario,
            res["balanced, harsh"],
            res["relation_focus, harsh"],
            "task_progress",
            note="incident_rate 1, blame_culture 0.7",
        ),
    ]
    return rows


def map_points() -> list[dict[str, float]]:
    return [
        {"incident_rate": i, "blame_culture": b, "sharing_rate": s}
        for s in MAP_SHARING
        for b in MAP_BLAME
        for i in MAP_INCIDENTS
    ]


def _arms_7map(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm(f"{strategy} {json.dumps(point, sort_keys=True)}", _with(scenario, strategy=strategy, **point))
        for point in map_points()
        for strategy in ("balanced", "relation_focus")
    ]


def map_table(res: dict[str, list]) -> list[dict[str, float]]:
    """Per map point: mean difference balanced - relation_focus in task progress, d_z and the one-sided p."""
    out = []
    for point in map_points():
        tag = json.dumps(point, sort_keys=True)
        effect, dz, p = paired_greater(
            finals(res[f"balanced {tag}"], "task_progress"), finals(res[f"relation_focus {tag}"], "task_progress")
        )
        out.append({**point, "difference": effect, "d_z": dz, "p": p})
    return out


def _eval_7map(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    """The map is a report (where balanced beats relation_focus), not a test of its own: no rows."""
    return []


# ---------------------------------------------------------------------------------------------------------------
# 8. Freedom follows trust; misuse destroys it
# ---------------------------------------------------------------------------------------------------------------

COMMITTED = {"strategy": "balanced", "blame_culture": 0.1}
UNCOMMITTED = {"strategy": "none", "blame_culture": 0.9}


def _arms_8(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("committed, vague frames", _with(scenario, frame_clarity=0.2, **COMMITTED)),
        Arm("committed, clear frames", _with(scenario, frame_clarity=0.9, **COMMITTED)),
        Arm("uncommitted, vague frames", _with(scenario, frame_clarity=0.2, **UNCOMMITTED)),
        Arm("uncommitted, clear frames", _with(scenario, frame_clarity=0.9, **UNCOMMITTED)),
    ]


def _eval_8(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    cv, cc = res["committed, vague frames"], res["committed, clear frames"]
    uv, uc = res["uncommitted, vague frames"], res["uncommitted, clear frames"]
    free = finals(cc, "freedom") / np.maximum(finals(cc, "trust"), 1e-9)
    rows = [
        compare("8", "clear frames grant more freedom", scenario, cc, cv, "freedom"),
        Row(
            "8",
            "freedom follows trust (freedom/trust rises with frame clarity)",
            scenario,
            *paired_greater(free, finals(cv, "freedom") / np.maximum(finals(cv, "trust"), 1e-9)),
        ),
        compare("8", "with commitment, freedom raises task progress", scenario, cc, cv, "task_progress"),
        compare("8", "without commitment, freedom is misused and trust drops", scenario, uv, uc, "trust"),
    ]
    rows[-1].note = f"commitment {finals(uc, 'commitment').mean():.2f} vs {finals(cc, 'commitment').mean():.2f}"
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 9. No stake, no network
# ---------------------------------------------------------------------------------------------------------------

#: A network without a director whose partners are quick to leave (exit_threshold 0.2 instead of 0.1).
FRAGILE = {"strategy": "none", "exit_threshold": 0.2}


def _arms_9(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("partners may leave", _with(scenario, **FRAGILE), "snapshot"),
        Arm("nobody leaves", _with(scenario, **{**FRAGILE, "exit_threshold": 0.0})),
    ]


def exit_order(snapshot: dict[str, Any], what: str) -> float:
    """Spearman correlation between a partner's ``what`` and how long it stays (nan without exits).

    ``what`` is ``"stake"`` or ``"relations"``: the quality of a partner's relations as it experiences them (the
    mean of its trust in its partners, its respect for them and its perceived equality), averaged over the weeks
    before the first exit of the run (one common period for all partners, before the network starts to fall
    apart). A partner that never leaves stays for the whole horizon plus one week.
    """
    weeks = snapshot["exit_week"]
    left = weeks >= 0
    if not left.any():
        return float("nan")
    horizon = snapshot["weekly_relations"].shape[0]
    stay = np.where(left, weeks, horizon + 1)
    first = max(1, int(weeks[left].min()) - 1)
    x = snapshot["stake"] if what == "stake" else snapshot["weekly_relations"][:first].mean(axis=0)
    if np.ptp(stay) == 0 or np.ptp(x) == 0:
        return float("nan")
    return float(stats.spearmanr(x, stay).statistic)


def _eval_9(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    snaps, stay = res["partners may leave"], res["nobody leaves"]
    rows = []
    for what, label in (
        ("stake", "partners with low stake leave first"),
        ("relations", "partners with poor relations leave first"),
    ):
        rho = np.array([exit_order(s, what) for s in snaps])
        effect, dz, p = one_sample_greater(rho)
        n = int(np.isfinite(rho).sum())
        rows.append(
            Row(
                "9", label, scenario, effect, dz, p, note=f"effect: Spearman rho with weeks stayed; {n} runs with exits"
            )
        )
    row = compare("9", "exits lower task progress", scenario, stay, snaps, "task_progress")
    row.note = f"mean exits {finals(snaps, 'exits').mean():.1f}"
    rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 10. Healthy doubt buffers surprises
# ---------------------------------------------------------------------------------------------------------------

DOUBT_WEIGHTS = (2.0, 8.0)


def _arms_10(scenario: str, cfg: Config) -> list[Arm]:
    arms = [Arm(f"W {w:g}", _with(scenario, prior_weight=w, strategy="none"), "snapshot") for w in DOUBT_WEIGHTS]
    arms.append(
        Arm(
            "W 2, expectation management",
            _with(scenario, prior_weight=2.0, strategy="custom", alloc_expectation_management=1.0),
        )
    )
    return arms


def surprise_drop(snapshot: dict[str, Any]) -> float:
    """Mean drop of trust after one surprise (κ negative evidence) over the active relations that trust (T > D)."""
    e = snapshot["edge_active"]
    r, s, w = snapshot["r"][e], snapshot["s"][e], snapshot["prior_weight"]
    before = mech.trust_from_evidence(r, s, 0.5, w)
    trusting = before > mech.distrust_from_evidence(r, s, w)
    after = mech.trust_from_evidence(r, s + snapshot["kappa"], 0.5, w)
    return float((before - after)[trusting].mean()) if trusting.any() else float("nan")


def _eval_10(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    w2, w8, em = res["W 2"], res["W 8"], res["W 2, expectation management"]
    effect, dz, p = paired_greater([surprise_drop(x) for x in w2], [surprise_drop(x) for x in w8])
    rows = [Row("10", "more doubt (W 8 vs 2): one surprise costs less trust", scenario, effect, dz, p)]
    rows.append(compare("10", "more doubt: fewer relations in distrust", scenario, w2, w8, "distrust_share"))
    rows.append(
        compare("10", "expectation management: fewer relations in distrust", scenario, w2, em, "distrust_share")
    )
    return rows


# ---------------------------------------------------------------------------------------------------------------
# 11. Governance fits size
# ---------------------------------------------------------------------------------------------------------------

SMALL_MAX = 8
LARGE_MIN = 16


def _arms_11(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm(f"{g} n {n}", _with(scenario, n_partners=n, governance=g)) for n in cfg.sizes for g in ("shared", "nao")
    ]


def per_partner(results: list[dict[str, Any]], n: int) -> np.ndarray:
    return finals(results, "task_progress") / n


def _eval_11(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    rows = []
    scenario = f"{scenario} ({min(cfg.sizes)}-{max(cfg.sizes)})"
    for n in cfg.sizes:
        shared, nao = per_partner(res[f"shared n {n}"], n), per_partner(res[f"nao n {n}"], n)
        if n <= SMALL_MAX:
            rows.append(Row("11", f"shared beats nao at {n} partners", scenario, *paired_greater(shared, nao)))
        elif n >= LARGE_MIN:
            rows.append(Row("11", f"nao beats shared at {n} partners", scenario, *paired_greater(nao, shared)))
    return rows


def crossover(res: dict[str, list], cfg: Config) -> float:
    """Network size where the mean advantage of shared over nao governance changes sign (log interpolation)."""
    sizes = np.array(cfg.sizes, dtype=float)
    diff = np.array(
        [(per_partner(res[f"shared n {n}"], n) - per_partner(res[f"nao n {n}"], n)).mean() for n in cfg.sizes]
    )
    for k in range(len(sizes) - 1):
        if diff[k] > 0 >= diff[k + 1]:
            x0, x1 = np.log(sizes[k]), np.log(sizes[k + 1])
            return float(np.exp(x0 + (x1 - x0) * diff[k] / (diff[k] - diff[k + 1])))
    return float("nan")


# ---------------------------------------------------------------------------------------------------------------
# Sub-mechanisms (model spec, section 9): run alone, no model needed
# ---------------------------------------------------------------------------------------------------------------


def beta_reputation_curve(p: float = 0.8, retention: float = 0.9, ticks: int = 200) -> np.ndarray:
    """Trust read after each update with a steady share p of positive evidence (W = 2, a = 1/2, κ = 1)."""
    r = s = 0.0
    out = np.empty(ticks)
    for t in range(ticks):
        r, s = mech.update_evidence(r, s, p, 1.0 - p, retention)
        out[t] = mech.trust_from_evidence(r, s, 0.5, 2.0)
    return out


def _sub_beta(cfg: Config) -> tuple[list[Row], Any]:
    curve = beta_reputation_curve()
    limit = (0.8 + 1 - 0.9) / (1 + 2 * (1 - 0.9))
    r_inf, s_inf = mech.update_evidence(0.0, 0.0, 0.8 * 1e6, 0.2 * 1e6, 1.0)
    no_forget = float(mech.trust_from_evidence(r_inf, s_inf, 0.5, 2.0))
    doubt = float(mech.doubt_from_evidence(r_inf, s_inf, 2.0))
    rows = [
        Row(
            "S1",
            "beta reputation limit (p 0.8, lambda 0.9) = 0.75",
            "-",
            float(curve[-1]),
            float("nan"),
            float("nan"),
            criterion=abs(curve[-1] - limit) < 1e-9 and abs(limit - 0.75) < 1e-12,
        ),
        Row(
            "S1",
            "without forgetting trust -> p, doubt -> 0",
            "-",
            no_forget,
            float("nan"),
            float("nan"),
            criterion=abs(no_forget - 0.8) < 1e-5 and doubt < 1e-5,
            note=f"doubt {doubt:.1e}",
        ),
    ]
    return rows, {"curve": curve, "limit": limit}


DEFFUANT_BOUNDS = (0.6, 0.3, 0.25, 0.2, 0.15, 0.1)
DEFFUANT_EXPECTED = {0.6: (1, 1), 0.3: (1, 1), 0.25: (2, 2), 0.2: (2, 2), 0.15: (2, 3), 0.1: (4, 5)}


def deffuant_run(bound: float, seed: int, agents: int = 500, meetings: int = 250_000) -> np.ndarray:
    """Final opinions of the classic Deffuant model (μ = 0.5, uniform start, random pairs)."""
    rng = np.random.default_rng(seed)
    values = rng.random(agents)
    a = rng.integers(0, agents, meetings)
    b = (a + rng.integers(1, agents, meetings)) % agents
    return mech.deffuant_pairwise(values, bound, 0.5, np.column_stack([a, b]))


def _sub_deffuant(cfg: Config) -> tuple[list[Row], Any]:
    seeds = range(3 if cfg.quick else 10)
    counts = {d: [mech.count_major_clusters(deffuant_run(d, 100 + s)) for s in seeds] for d in DEFFUANT_BOUNDS}
    rows = []
    for d in DEFFUANT_BOUNDS:
        lo, hi = DEFFUANT_EXPECTED[d]
        rows.append(
            Row(
                "S2",
                f"bounded confidence d {d:g}: {lo}{'' if lo == hi else f'-{hi}'} major cluster(s)",
                "-",
                float(np.mean(counts[d])),
                float("nan"),
                float("nan"),
                criterion=lo <= float(np.median(counts[d])) <= hi,
                note="counts " + ",".join(map(str, counts[d])),
            )
        )
    example = {d: deffuant_run(d, 100) for d in (0.3, 0.2, 0.1)}
    return rows, {"counts": counts, "example": example}


def _sub_asymmetry(cfg: Config) -> tuple[list[Row], Any]:
    n0 = 1.0 / (1.0 - 0.95)
    levels = np.linspace(0.5, 0.95, 10)
    r, s = mech.evidence_for_trust(levels, 0.95)
    t = mech.trust_from_evidence(r, s)
    gain = mech.trust_from_evidence(r + 1.0, s) - t
    rows = []
    curves = {}
    for kappa in (1.0, 2.0, 3.0):
        loss = t - mech.trust_from_evidence(r, s + kappa)
        curves[kappa] = loss
        if kappa > 1:
            rows.append(
                Row(
                    "S3",
                    f"one negative (kappa {kappa:g}) costs more than one positive gains",
                    "-",
                    float(np.min(loss / gain)),
                    float("nan"),
                    float("nan"),
                    criterion=bool(np.all(loss > gain)),
                    note=f"trust 0.5-0.95 at {n0:g} units of evidence; effect: min loss/gain",
                )
            )
    return rows, {"levels": t, "gain": gain, "loss": curves}


# ---------------------------------------------------------------------------------------------------------------
# The table of patterns
# ---------------------------------------------------------------------------------------------------------------


def _p(key, title, claim, source, experiment, arms, evaluate, scenarios=SCENARIOS, **kw) -> Pattern:
    return Pattern(key, title, claim, source, experiment, scenarios, arms, evaluate, **kw)


PATTERNS: list[Pattern] = [
    _p(
        "1",
        "Blame suppresses accountability and trust",
        "Higher blame_culture -> lower accountability, trust and task progress, fewer accounted incidents.",
        "Model spec 8.1 (learning accountability against a blame culture); Vangen & Huxham 2003 (the trust-building "
        "loop needs expectations that are met and breaches that are discussed); Slovic 1993.",
        "blame_culture 0.1 vs 0.9, default strategy (balanced), paired seeds; final accountability, trust, task "
        "progress and number of accounted incidents.",
        _arms_1,
        _eval_1,
    ),
    _p(
        "2",
        "Information overload is an inverted U",
        "Task progress over sharing_rate (log-spaced) rises, peaks and falls; a better info_structure moves the "
        "peak to more sharing.",
        "Eppler & Mengis 2004; Schick, Gordon & Haka 1990; Hahn et al. 1992.",
        "sharing_rate on a log grid 0.05..6.4, info_structure 0.1 and 0.9, no director (so the structure stays "
        "where it is set); final task progress.",
        _arms_2,
        _eval_2,
    ),
    _p(
        "3",
        "Trust asymmetry",
        "After one breach, recovering the lost trust (to within 0.01 of its level before the breach) takes more "
        "ticks of good experience than the drop took; the ratio grows with kappa.",
        "Slovic 1993; Poortinga & Pidgeon 2004; Josang & Ismail 2002.",
        "The model runs 52 weeks (kappa 1.5, 2, 3); then every active relation not in distrust suffers one breach "
        "(one tick with kappa negative evidence) followed by one positive judgement per tick, with the model's "
        "retention and prior weight; recovery ticks / drop ticks (1), averaged per run.",
        _arms_3,
        _eval_3,
    ),
    _p(
        "4",
        "Role division is counter-collaborative",
        "task_focus gives clearer frames but lower commitment, equality and task progress than balanced.",
        "Model spec 8.4 ('contra-samenwerking'); Klijn, Steijn & Edelenbos 2010.",
        "Strategy task_focus vs balanced, paired seeds; final frame clarity, commitment, perceived equality, task "
        "progress.",
        _arms_4,
        _eval_4,
    ),
    _p(
        "5",
        "Understanding neutralises value distance",
        "Without contact or vision work respect between value-distant partners erodes; with it respect and shared "
        "vision grow; shared vision grows more for moderately distant pairs than for extreme ones.",
        "Deffuant et al. 2000; Ansell & Gash 2008; Zellner et al. 2014.",
        "Relations whose initial value distance is above the median: change of respect since the start with no "
        "director and with relation_focus (contact, vision sessions); growth of shared vision under relation_focus; "
        "after 26 weeks of vision work, the share of the initial distance closed by pairs within the confidence "
        "bound (initial distance between 0.15 and 0.3) vs pairs beyond it.",
        _arms_5,
        _eval_5,
    ),
    _p(
        "6",
        "Power asymmetry hurts perceived equality",
        "Low-power partners perceive less equality; equal_footing and recognize_interests narrow the equality gap.",
        "Ansell & Gash 2008 (power asymmetry as a starting condition); Provan & Kenis 2008.",
        "Equality gap (top power third minus bottom third) with no director (> 0) and with a director who spends "
        "all hours on equal_footing and recognize_interests (custom strategy), paired seeds.",
        _arms_6,
        _eval_6,
    ),
    _p(
        "7",
        "The joint task and healthy relations together win",
        "balanced beats none and task_focus on task progress in every built-in scenario, and beats relation_focus "
        "where incidents or blame limit progress (not where overload binds).",
        "Model spec 8.7; Klijn, Edelenbos & Steijn 2010 (combined strategies beat single ones).",
        "Strategies balanced, none, task_focus, relation_focus at the defaults; balanced vs relation_focus at "
        "incident_rate 1 and blame_culture 0.7; and a map over incident_rate x blame_culture x sharing_rate in "
        "jeugdaanpak.",
        _arms_7,
        _eval_7,
    ),
    _p(
        "8",
        "Freedom follows trust; misuse destroys it",
        "Freedom grows with trust under clear frames and raises task progress where commitment is high; with low "
        "commitment it is misused and trust drops.",
        "Model spec 8.8; Vangen & Huxham 2003 (the trust-building loop).",
        "frame_clarity 0.2 vs 0.9, in a committed network (balanced director, blame_culture 0.1) and an "
        "uncommitted one (no director, blame_culture 0.9), paired seeds.",
        _arms_8,
        _eval_8,
    ),
    _p(
        "9",
        "No stake, no network",
        "Partners with low stake and poor relations exit; exits lower task progress.",
        "Klos & Nooteboom 2001; Provan & Kenis 2008.",
        "A network without director whose partners are quick to leave (exit_threshold 0.2): rank correlation of "
        "stake, and of the quality of a partner's relations (mean of its trust, respect and perceived equality "
        "before the first exit), with the weeks it stays; task progress "
        "vs the same runs with exits switched off (exit_threshold 0).",
        _arms_9,
        _eval_9,
    ),
    _p(
        "10",
        "Healthy doubt buffers surprises",
        "With larger prior_weight (and expectation management) a single surprise lowers trust less and distrust "
        "spirals are rarer.",
        "Josang & Ismail 2002; model spec 8.10.",
        "prior_weight 2 vs 8, no director, the scenario's own incident rate: trust lost by one surprise (kappa "
        "negative evidence on every trusting relation at the horizon) and the share of relations in distrust at the "
        "horizon; a director who spends all hours on expectation management vs none (W 2).",
        _arms_10,
        _eval_10,
    ),
    _p(
        "11",
        "Governance fits size",
        "Shared governance does best in small, high-consensus networks; a network organisation does best in large "
        "ones.",
        "Provan & Kenis 2008.",
        "synthetic networks of 4..40 partners, governance shared vs nao (balanced strategy), task progress per "
        "partner at the horizon, paired seeds; shared must win up to 8 partners, nao from 16.",
        _arms_11,
        _eval_11,
        scenarios=("synthetic",),
    ),
]

MAP_PATTERN = _p(
    "7",
    "balanced vs relation_focus map",
    "",
    "",
    "",
    _arms_7map,
    _eval_7map,
    scenarios=(MAP_SCENARIO,),
)

SUB_MECHANISMS: list[tuple[str, str, Callable[[Config], tuple[list[Row], Any]]]] = [
    ("S1", "Beta reputation (Josang & Ismail 2002)", _sub_beta),
    ("S2", "Bounded confidence clusters (Deffuant et al. 2000)", _sub_deffuant),
    ("S3", "Asymmetric trust (Slovic 1993)", _sub_asymmetry),
]
