"""``netwerkregie validate``: run the pattern experiments (model spec, sections 8 and 9) and print the table.

Every arm of every pattern runs over the same seeds (common random numbers) through
:func:`experiments.runner.run_one` on a local process pool; identical runs shared by several patterns run once.
The whole table is corrected for multiple testing (Holm, family-wise 1%); a check holds when its Holm-adjusted
p-value is at most 0.01 and its own criterion (e.g. the inverted U's two bootstrap standard errors) is met.
A completed validation exits with status 0 whatever it finds, and prints how many patterns hold.

    netwerkregie validate [--quick] [--figures DIR] [--workers N]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from experiments import patterns as pt
from experiments.runner import derive_seed, make_executor
from model.inputs import InputError, check_output_folder

ALPHA = 0.01
BATCH = 12


def run_batch(tasks: list[tuple[dict[str, Any], int, int | None, str]]) -> list[dict[str, Any]]:
    """Run several replications in one worker call (less overhead per run)."""
    return [pt.run_task(*task) for task in tasks]


def seeds_of(cfg: pt.Config) -> list[int]:
    return [derive_seed(cfg.base_seed, k) for k in range(cfg.seeds)]


def collect_tasks(
    cfg: pt.Config, patterns: list[pt.Pattern]
) -> tuple[dict[str, tuple], dict[tuple[str, str, str], list[str]]]:
    """Unique runs (by key) and, per (pattern, scenario, arm), the keys of its replications in seed order."""
    tasks: dict[str, tuple] = {}
    layout: dict[tuple[str, str, str], list[str]] = {}
    for pattern in patterns:
        n_seeds = cfg.map_seeds if pattern is pt.MAP_PATTERN else cfg.seeds
        seeds = (
            seeds_of(cfg)[:n_seeds] if n_seeds <= cfg.seeds else [derive_seed(cfg.base_seed, k) for k in range(n_seeds)]
        )
        for scenario in pattern.scenarios:
            for arm in pattern.arms(scenario, cfg):
                keys = []
                for seed in seeds:
                    key = arm.key(seed, cfg.horizon(scenario))
                    steps = arm.steps if arm.steps is not None else cfg.horizon(scenario)
                    tasks.setdefault(key, (arm.params, seed, steps, arm.kind))
                    keys.append(key)
                layout[(pattern.key + ("m" if pattern is pt.MAP_PATTERN else ""), scenario, arm.name)] = keys
    return tasks, layout


def execute(tasks: dict[str, tuple], workers: int | None, progress: bool = True) -> dict[str, dict[str, Any]]:
    """Run every task on a local process pool; returns results by key."""
    keys = list(tasks)
    # long runs first, so the pool stays busy to the end
    keys.sort(key=lambda k: (tasks[k][3] == "snapshot", tasks[k][0].get("scenario") == "synthetic"), reverse=True)
    batches = [keys[i : i + BATCH] for i in range(0, len(keys), BATCH)]
    results: dict[str, dict[str, Any]] = {}
    start = time.perf_counter()
    executor = make_executor(workers)
    try:
        futures = {executor.submit(run_batch, [tasks[k] for k in batch]): batch for batch in batches}
        from concurrent.futures import as_completed

        done = 0
        for future in as_completed(futures):
            batch = futures[future]
            for key, out in zip(batch, future.result(), strict=True):
                results[key] = out
            done += len(batch)
            if progress and sys.stderr.isatty():
                rate = done / max(time.perf_counter() - start, 1e-9)
                print(f"\r  {done}/{len(keys)} runs, {rate:.1f}/s", end="", file=sys.stderr, flush=True)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    return results


def evaluate(
    cfg: pt.Config, results: dict[str, dict[str, Any]], layout: dict[tuple[str, str, str], list[str]]
) -> tuple[list[pt.Row], dict[str, dict[str, dict[str, list]]], dict[str, Any]]:
    """All rows (Holm-corrected), the results by pattern -> scenario -> arm, and the sub-mechanism data."""
    by_pattern: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(dict))
    for (pkey, scenario, arm), keys in layout.items():
        by_pattern[pkey][scenario][arm] = [results[k] for k in keys]
    rows: list[pt.Row] = []
    for pattern in [*pt.PATTERNS, pt.MAP_PATTERN]:
        pkey = pattern.key + ("m" if pattern is pt.MAP_PATTERN else "")
        for scenario in pattern.scenarios:
            rows += pattern.evaluate(by_pattern[pkey][scenario], scenario, cfg)
    sub_data: dict[str, Any] = {}
    for key, _title, function in pt.SUB_MECHANISMS:
        sub_rows, data = function(cfg)
        rows += sub_rows
        sub_data[key] = data
    tested = [i for i, r in enumerate(rows) if math.isfinite(r.p_value)]
    adjusted = pt.holm([rows[i].p_value for i in tested])
    for i, p in zip(tested, adjusted, strict=True):
        rows[i].p_holm = float(p)
    for r in rows:
        significant = r.p_holm <= ALPHA if math.isfinite(r.p_value) else True
        r.holds = bool(significant and r.criterion)
    return rows, by_pattern, sub_data


def format_table(rows: list[pt.Row]) -> str:
    """The validation table as fixed-width text."""
    head = ("pattern", "check", "scenario", "effect", "d", "p", "p (Holm)", "holds", "note")
    lines = []
    cells = []
    for r in rows:
        cells.append(
            (
                r.pattern,
                r.check,
                pt.SCENARIO_LABELS.get(r.scenario, r.scenario),
                _num(r.effect),
                _num(r.effect_size, 2),
                _p(r.p_value),
                _p(r.p_holm),
                "yes" if r.holds else "NO",
                r.note,
            )
        )
    widths = [max(len(str(c[k])) for c in [head, *cells]) for k in range(len(head))]
    for c in [head, tuple("-" * w for w in widths), *cells]:
        lines.append("  ".join(str(x).ljust(w) for x, w in zip(c, widths, strict=True)).rstrip())
    return "\n".join(lines)


def markdown_table(rows: list[pt.Row], pattern: str | None = None) -> str:
    """The rows (of one pattern, or all) as a Markdown table, for docs/validation.md."""
    out = ["| check | scenario | effect | d | p | p (Holm) | holds | note |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if pattern is not None and r.pattern != pattern:
            continue
        out.append(
            f"| {r.check} | {pt.SCENARIO_LABELS.get(r.scenario, r.scenario)} | {_num(r.effect)} | "
            f"{_num(r.effect_size, 2)} | {_p(r.p_value)} | {_p(r.p_holm)} | {'yes' if r.holds else '**no**'} | "
            f"{r.note} |"
        )
    return "\n".join(out)


def _num(x: float, digits: int = 3) -> str:
    if not math.isfinite(x):
        return "inf" if x == math.inf else ("-inf" if x == -math.inf else "-")
    return f"{x:.{digits}f}"


def _p(p: float) -> str:
    if not math.isfinite(p):
        return "-"
    return f"{p:.1e}" if p < 1e-3 else f"{p:.3f}"


def format_map(by_pattern: dict[str, Any], markdown: bool = False) -> str:
    """The pattern-7 map: per point, task progress of balanced minus relation_focus and its one-sided p-value."""
    table = pt.map_table(by_pattern["7m"][pt.MAP_SCENARIO])
    head = ("incident_rate", "blame_culture", "sharing_rate", "balanced - relation_focus", "p", "balanced better")
    cells = [
        (
            f"{t['incident_rate']:g}",
            f"{t['blame_culture']:g}",
            f"{t['sharing_rate']:g}",
            f"{t['difference']:+.3f}",
            _p(t["p"]),
            "yes" if t["p"] < ALPHA else ("no (relation_focus better)" if t["p"] > 1 - ALPHA else "no difference"),
        )
        for t in table
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(c) + " |" for c in cells])
    widths = [max(len(c[k]) for c in [head, *cells]) for k in range(len(head))]
    return "\n".join("  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)).rstrip() for c in [head, *cells])


def summary(rows: list[pt.Row]) -> tuple[int, int, list[str]]:
    """Patterns (1..11) holding in every scenario they apply to, how many there are, and the failing ones."""
    keys = [p.key for p in pt.PATTERNS]
    failing = [k for k in keys if not all(r.holds for r in rows if r.pattern == k)]
    return len(keys) - len(failing), len(keys), failing


def validate(cfg: pt.Config, workers: int | None = None, progress: bool = True) -> tuple[list[pt.Row], Any, Any]:
    """Run the whole validation; returns (rows, results by pattern, sub-mechanism data)."""
    tasks, layout = collect_tasks(cfg, [*pt.PATTERNS, pt.MAP_PATTERN])
    results = execute(tasks, workers, progress)
    return evaluate(cfg, results, layout)


def main(args: argparse.Namespace) -> int:
    """Entry point of ``netwerkregie validate``."""
    workers = getattr(args, "workers", None)
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: expected at least 1")
    figures = getattr(args, "figures", None)
    if figures is not None:
        check_output_folder(figures, "--figures")
    cfg = pt.QUICK if getattr(args, "quick", False) else pt.FULL
    start = time.perf_counter()
    tasks, _ = collect_tasks(cfg, [*pt.PATTERNS, pt.MAP_PATTERN])
    print(
        f"Validating {len(pt.PATTERNS)} patterns and {len(pt.SUB_MECHANISMS)} sub-mechanisms: {len(tasks)} runs, "
        f"{cfg.seeds} paired seeds{' (quick)' if cfg.quick else ''}",
        flush=True,
    )
    rows, by_pattern, sub_data = validate(cfg, workers)
    print(format_table(rows))
    holding, total, failing = summary(rows)
    checks = sum(r.holds for r in rows)
    print(
        f"\n{holding} of {total} patterns hold in every scenario they apply to ({checks} of {len(rows)} checks hold; "
        f"Holm, family-wise {ALPHA:g}); {time.perf_counter() - start:.0f} s"
    )
    if failing:
        print("not holding: pattern " + ", ".join(failing))
    print(f"\nPattern 7 map ({pt.MAP_SCENARIO}, {cfg.map_seeds} paired seeds per point; one-sided p, not corrected):")
    print(format_map(by_pattern))
    if figures is not None:
        written = write_figures(Path(figures), rows, by_pattern, sub_data, cfg)
        print(f"{len(written)} figures written to {figures}")
    return 0


# ---------------------------------------------------------------------------------------------------------------
# Figures (docs/figures/validation_*.png)
# ---------------------------------------------------------------------------------------------------------------

COLOURS = {"a": "#1b9e77", "b": "#d95f02", "c": "#7570b3", "d": "#e7298a"}
STRATEGY_COLOURS = {"balanced": "#1b9e77", "none": "#777777", "task_focus": "#d95f02", "relation_focus": "#7570b3"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _ci(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(1.96 * x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0


def _bars(ax, groups: list[str], series: dict[str, list[np.ndarray]], title: str, ylabel: str = "") -> None:
    """Grouped bars with 95% confidence intervals: one group per scenario, one bar per arm."""
    width = 0.8 / max(len(series), 1)
    x = np.arange(len(groups))
    for k, (label, values) in enumerate(series.items()):
        means = [np.nanmean(v) for v in values]
        errs = [_ci(v) for v in values]
        colour = list(COLOURS.values())[k % len(COLOURS)]
        ax.bar(x + (k - (len(series) - 1) / 2) * width, means, width, yerr=errs, label=label, color=colour, capsize=2)
    ax.set_xticks(x, [pt.SCENARIO_LABELS.get(g, g) for g in groups], rotation=20, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)


def _series(results: list[dict[str, Any]], metric: str) -> np.ndarray:
    from model import METRICS

    k = METRICS.index(metric)
    return np.array([r["series"][:, k] for r in results])


def _band(ax, results, metric, label, colour) -> None:
    y = _series(results, metric)
    mean, err = y.mean(axis=0), 1.96 * y.std(axis=0, ddof=1) / np.sqrt(len(y))
    t = np.arange(len(mean))
    ax.plot(t, mean, color=colour, label=label, lw=1.6)
    ax.fill_between(t, mean - err, mean + err, color=colour, alpha=0.2, lw=0)


def _save(fig, folder: Path, name: str, written: list[Path]) -> None:
    from experiments.files import atomic_write

    plt = _plt()
    path = folder / name
    fig.tight_layout()
    atomic_write(path, lambda p: fig.savefig(p, dpi=100, format="png"))
    plt.close(fig)
    written.append(path)


def write_figures(
    folder: Path, rows: list[pt.Row], by_pattern: dict[str, Any], sub_data: dict[str, Any], cfg: pt.Config
) -> list[Path]:
    """Draw one figure per pattern, the pattern-7 map and the sub-mechanism figures; returns the files written."""
    plt = _plt()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sc = list(pt.SCENARIOS)

    # 1. blame
    res = by_pattern["1"]
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.6))
    for ax, metric in zip(axes, ("accountability", "trust", "task_progress", "accounted"), strict=True):
        _bars(
            ax,
            sc,
            {arm: [pt.finals(res[s][arm], metric) for s in sc] for arm in ("low blame", "high blame")},
            metric.replace("_", " "),
        )
    axes[0].legend(fontsize=8)
    fig.suptitle("1. Blame suppresses accountability and trust (blame_culture 0.1 vs 0.9)", fontsize=11)
    _save(fig, folder, "validation_1_blame.png", written)

    # 2. overload
    res = by_pattern["2"]
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.6))
    for ax, s in zip(axes, sc, strict=True):
        for k, structure in enumerate(pt.STRUCTURES):
            y = pt._curve(res[s], structure, cfg)
            ax.errorbar(
                cfg.grid,
                y.mean(axis=0),
                yerr=[_ci(c) for c in y.T],
                marker="o",
                ms=3,
                capsize=2,
                color=list(COLOURS.values())[k],
                label=f"info_structure {structure:g}",
            )
        ax.set_xscale("log")
        ax.set_xlabel("sharing_rate")
        ax.set_title(pt.SCENARIO_LABELS[s], fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("task progress")
    axes[0].legend(fontsize=8)
    fig.suptitle("2. Information overload is an inverted U; a better structure moves the peak right", fontsize=11)
    _save(fig, folder, "validation_2_overload.png", written)

    # 3. asymmetry
    res = by_pattern["3"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8))
    r0, s0 = 1.0 / (1 - 0.95), 0.0  # a relation with a long record of good experience
    for k, kappa in enumerate(pt.KAPPAS):
        r, s = np.array([r0]), np.array([s0])
        path = [float(pt.mech.trust_from_evidence(r, s)[0])] * 3
        r, s = pt.mech.update_evidence(r, s, 0.0, kappa, 0.95)
        path.append(float(pt.mech.trust_from_evidence(r, s)[0]))
        for _ in range(60):
            r, s = pt.mech.update_evidence(r, s, 1.0, 0.0, 0.95)
            path.append(float(pt.mech.trust_from_evidence(r, s)[0]))
        left.plot(np.arange(len(path)) - 3, path, color=list(COLOURS.values())[k], label=f"kappa {kappa:g}")
    left.axhline(path[0] - 0.01, color="grey", ls=":", lw=1)
    left.set_xlabel("ticks after the breach")
    left.set_ylabel("trust")
    left.set_title("one breach, then good experience every tick", fontsize=10)
    left.legend(fontsize=8)
    _bars(
        right,
        sc,
        {
            f"kappa {k:g}": [np.array([pt._ratios(x).mean() for x in res[s][f"kappa {k:g}"]]) for s in sc]
            for k in pt.KAPPAS
        },
        "recovery ticks / drop ticks (model relations after 52 weeks)",
    )
    right.legend(fontsize=8)
    fig.suptitle("3. Trust asymmetry: recovery takes longer than the drop, more so with larger kappa", fontsize=11)
    _save(fig, folder, "validation_3_asymmetry.png", written)

    # 4. role division
    res = by_pattern["4"]
    fig, axes = plt.subplots(4, 4, figsize=(15, 10), sharex="col")
    for j, s in enumerate(sc):
        for i, metric in enumerate(("frame_clarity", "commitment", "equality", "task_progress")):
            for arm in ("task_focus", "balanced"):
                _band(axes[i, j], res[s][arm], metric, arm, STRATEGY_COLOURS[arm])
            axes[i, j].grid(alpha=0.3)
            if j == 0:
                axes[i, j].set_ylabel(metric.replace("_", " "))
        axes[0, j].set_title(pt.SCENARIO_LABELS[s], fontsize=10)
        axes[-1, j].set_xlabel("week")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("4. Role division is counter-collaborative: task_focus vs balanced (mean, 95% CI)", fontsize=11)
    _save(fig, folder, "validation_4_role_division.png", written)

    # 5. understanding
    res = by_pattern["5"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
    _bars(
        axes[0],
        sc,
        {
            arm: [np.array([pt.distant_respect_change(x) for x in res[s][arm]]) for s in sc]
            for arm in ("no contact", "contact and vision work")
        },
        "change of respect, value-distant pairs",
    )
    axes[0].axhline(0, color="black", lw=0.8)
    axes[0].legend(fontsize=8)
    _bars(
        axes[1],
        sc,
        {"relation_focus": [np.array([pt.vision_growth(x) for x in res[s]["contact and vision work"]]) for s in sc]},
        "growth of shared vision (1 - distance)",
    )
    closure = {s: np.array([pt.closure_by_distance(x) for x in res[s]["vision work, 26 weeks"]]) for s in sc}
    _bars(
        axes[2],
        sc,
        {
            "moderate (d0 in (cb/2, cb])": [closure[s][:, 0] for s in sc],
            "extreme (d0 > cb)": [closure[s][:, 1] for s in sc],
        },
        "share of initial value distance closed (26 weeks)",
    )
    axes[2].legend(fontsize=8)
    fig.suptitle("5. Understanding neutralises value distance", fontsize=11)
    _save(fig, folder, "validation_5_understanding.png", written)

    # 6. equality
    res = by_pattern["6"]
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.6), sharey=True)
    for ax, s in zip(axes, sc, strict=True):
        for k, arm in enumerate(("no director", "equal footing + recognise interests")):
            _band(ax, res[s][arm], "equality_gap", arm, list(COLOURS.values())[k])
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(pt.SCENARIO_LABELS[s], fontsize=10)
        ax.set_xlabel("week")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("equality gap (top - bottom power third)")
    axes[0].legend(fontsize=8)
    fig.suptitle(
        "6. Power asymmetry hurts perceived equality; equal footing and recognition narrow the gap", fontsize=11
    )
    _save(fig, folder, "validation_6_equality.png", written)

    # 7. strategies
    res = by_pattern["7"]
    fig, axes = plt.subplots(1, 5, figsize=(18, 3.8))
    for ax, s in zip(axes, sc, strict=False):
        for arm in ("balanced", "none", "task_focus", "relation_focus"):
            _band(ax, res[s][arm], "task_progress", arm, STRATEGY_COLOURS[arm])
        ax.set_title(pt.SCENARIO_LABELS[s], fontsize=10)
        ax.set_xlabel("week")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("task progress")
    axes[0].legend(fontsize=8)
    _bars(
        axes[4],
        sc,
        {
            arm: [pt.finals(res[s][f"{arm}, harsh"], "task_progress") for s in sc]
            for arm in ("balanced", "relation_focus")
        },
        "incident_rate 1, blame 0.7",
    )
    axes[4].legend(fontsize=8)
    fig.suptitle("7. The joint task and healthy relations together win (task progress, mean and 95% CI)", fontsize=11)
    _save(fig, folder, "validation_7_strategies.png", written)

    # 7. map
    table = pt.map_table(by_pattern["7m"][pt.MAP_SCENARIO])
    fig, axes = plt.subplots(1, len(pt.MAP_SHARING), figsize=(14, 4.2))
    vmax = max(abs(t["difference"]) for t in table) or 1.0
    for ax, share in zip(axes, pt.MAP_SHARING, strict=True):
        grid = np.array(
            [
                [
                    next(
                        t
                        for t in table
                        if t["sharing_rate"] == share and t["blame_culture"] == b and t["incident_rate"] == i
                    )
                    for i in pt.MAP_INCIDENTS
                ]
                for b in pt.MAP_BLAME
            ]
        )
        diff = np.vectorize(lambda t: t["difference"])(grid)
        image = ax.imshow(diff, cmap="RdBu", vmin=-vmax, vmax=vmax, origin="lower")
        for (bi, ii), t in np.ndenumerate(grid):
            mark = "*" if t["p"] < ALPHA else ("-" if t["p"] > 1 - ALPHA else "")
            ax.text(ii, bi, f"{t['difference']:+.3f}{mark}", ha="center", va="center", fontsize=8)
        ax.set_xticks(range(len(pt.MAP_INCIDENTS)), [f"{i:g}" for i in pt.MAP_INCIDENTS])
        ax.set_yticks(range(len(pt.MAP_BLAME)), [f"{b:g}" for b in pt.MAP_BLAME])
        ax.set_xlabel("incident_rate")
        ax.set_ylabel("blame_culture")
        ax.set_title(f"sharing_rate {share:g}", fontsize=10)
    fig.colorbar(image, ax=axes, shrink=0.8, label="task progress: balanced - relation_focus")
    fig.suptitle(
        f"7. Where balanced beats relation_focus ({pt.MAP_SCENARIO}; * balanced better, - relation_focus better, "
        f"one-sided p < {ALPHA:g})",
        fontsize=11,
    )
    path = folder / "validation_7_map.png"
    from experiments.files import atomic_write

    atomic_write(path, lambda p: fig.savefig(p, dpi=100, format="png"))
    plt.close(fig)
    written.append(path)

    # 8. freedom
    res = by_pattern["8"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
    arms = (
        "committed, vague frames",
        "committed, clear frames",
        "uncommitted, vague frames",
        "uncommitted, clear frames",
    )
    _bars(axes[0], sc, {a: [pt.finals(res[s][a], "freedom") for s in sc] for a in arms}, "freedom")
    axes[0].legend(fontsize=7)
    _bars(
        axes[1],
        sc,
        {a: [pt.finals(res[s][a], "task_progress") for s in sc] for a in arms[:2]},
        "task progress (committed network)",
    )
    _bars(
        axes[2], sc, {a: [pt.finals(res[s][a], "trust") for s in sc] for a in arms[2:]}, "trust (uncommitted network)"
    )
    fig.suptitle(
        "8. Freedom follows trust under clear frames; used with commitment it helps, without it trust drops",
        fontsize=11,
    )
    _save(fig, folder, "validation_8_freedom.png", written)

    # 9. exits
    res = by_pattern["9"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
    _bars(
        axes[0],
        sc,
        {
            what: [np.array([pt.exit_order(x, what) for x in res[s]["partners may leave"]]) for s in sc]
            for what in ("stake", "relations")
        },
        "rank correlation with weeks stayed",
    )
    axes[0].legend(fontsize=8)
    stake, stayed = [], []
    for x in res["synthetic"]["partners may leave"]:
        horizon = x["weekly_trust"].shape[0]
        stake.append(x["stake"])
        stayed.append(np.where(x["exit_week"] >= 0, x["exit_week"], horizon + 1))
    stake, stayed = np.concatenate(stake), np.concatenate(stayed)
    axes[1].scatter(stake, stayed + np.random.default_rng(0).uniform(-1, 1, len(stayed)), s=5, alpha=0.4)
    axes[1].set_xlabel("stake")
    axes[1].set_ylabel("weeks in the network (stayed: horizon + 1)")
    axes[1].set_title("synthetic (50): stake and time to exit, all runs", fontsize=10)
    axes[1].grid(alpha=0.3)
    _bars(
        axes[2],
        sc,
        {
            "partners may leave": [pt.finals(res[s]["partners may leave"], "task_progress") for s in sc],
            "nobody leaves": [pt.finals(res[s]["nobody leaves"], "task_progress") for s in sc],
        },
        "task progress",
    )
    axes[2].legend(fontsize=8)
    fig.suptitle(
        "9. No stake, no network: who leaves first, and what exits cost (no director, exit_threshold 0.2)", fontsize=11
    )
    _save(fig, folder, "validation_9_exits.png", written)

    # 10. doubt
    res = by_pattern["10"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
    _bars(
        axes[0],
        sc,
        {
            f"W {w:g}": [np.array([pt.surprise_drop(x) for x in res[s][f"W {w:g}"]]) for s in sc]
            for w in pt.DOUBT_WEIGHTS
        },
        "trust lost by one surprise",
    )
    axes[0].legend(fontsize=8)
    _bars(
        axes[1],
        sc,
        {
            a: [pt.finals(res[s][a], "distrust_share") for s in sc]
            for a in ("W 2", "W 8", "W 2, expectation management")
        },
        "share of relations in distrust",
    )
    axes[1].legend(fontsize=8)
    fig.suptitle("10. Healthy doubt (prior weight W) and expectation management buffer surprises", fontsize=11)
    _save(fig, folder, "validation_10_doubt.png", written)

    # 11. governance
    res = by_pattern["11"]["synthetic"]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for k, g in enumerate(("shared", "nao")):
        y = [pt.per_partner(res[f"{g} n {n}"], n) for n in cfg.sizes]
        ax.errorbar(
            cfg.sizes,
            [v.mean() for v in y],
            yerr=[_ci(v) for v in y],
            marker="o",
            capsize=2,
            color=list(COLOURS.values())[k],
            label=g,
        )
    cross = pt.crossover(res, cfg)
    if math.isfinite(cross):
        ax.axvline(cross, color="grey", ls=":", label=f"crossover about {cross:.0f} partners")
    ax.set_xscale("log")
    ax.set_xticks(cfg.sizes, [str(n) for n in cfg.sizes])
    ax.set_xticks([], minor=True)
    ax.set_xlabel("partners (synthetic network)")
    ax.set_ylabel("task progress per partner")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("11. Governance fits size: shared small, network organisation large", fontsize=11)
    _save(fig, folder, "validation_11_governance.png", written)

    # S1 beta reputation
    data = sub_data["S1"]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(np.arange(1, len(data["curve"]) + 1), data["curve"], label="trust read after each update")
    ax.axhline(data["limit"], color="grey", ls=":", label=f"(p + 1 - lambda)/(1 + 2(1 - lambda)) = {data['limit']:g}")
    ax.set_xscale("log")
    ax.set_xlabel("updates (p = 0.8 positive, lambda = 0.9, W = 2, a = 1/2)")
    ax.set_ylabel("trust")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("Beta reputation converges to its published limit (Josang & Ismail 2002)", fontsize=10)
    _save(fig, folder, "validation_S1_beta.png", written)

    # S2 Deffuant
    data = sub_data["S2"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 3.8))
    bounds = list(pt.DEFFUANT_BOUNDS)
    left.plot(bounds, [np.mean(data["counts"][d]) for d in bounds], "o-", label="model (mean over seeds)")
    left.plot(
        bounds, [max(1, math.floor(1 / (2 * d))) for d in bounds], "s:", color="grey", label="floor(1 / 2d), at least 1"
    )
    left.set_xlabel("confidence bound d")
    left.set_ylabel("major clusters (>= 5% of agents)")
    left.legend(fontsize=8)
    left.grid(alpha=0.3)
    for k, (d, values) in enumerate(data["example"].items()):
        right.hist(values, bins=100, range=(0, 1), alpha=0.6, label=f"d = {d:g}", color=list(COLOURS.values())[k])
    right.set_xlabel("final opinion")
    right.set_ylabel("agents")
    right.legend(fontsize=8)
    fig.suptitle("Bounded confidence (Deffuant et al. 2000): N = 500, mu = 0.5", fontsize=11)
    _save(fig, folder, "validation_S2_deffuant.png", written)

    # S3 asymmetric trust
    data = sub_data["S3"]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(data["levels"], data["gain"], "k-", label="gain from one positive experience")
    for k, (kappa, loss) in enumerate(data["loss"].items()):
        ax.plot(
            data["levels"],
            loss,
            "--",
            color=list(COLOURS.values())[k],
            label=f"loss from one negative, kappa {kappa:g}",
        )
    ax.set_xlabel("trust before the experience (20 units of evidence)")
    ax.set_ylabel("change of trust")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("Asymmetric trust: with kappa > 1 a negative experience costs more than a positive gains", fontsize=10)
    _save(fig, folder, "validation_S3_asymmetry.png", written)
    return written
