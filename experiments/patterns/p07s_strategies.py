"""Pattern 7, the strategies: every built-in strategy in every scenario (task progress, health, trust), and where
``adaptive`` loses to ``balanced``.

A report (paired seeds, no test of its own): it gives no rows, and its figure and table go into the section of
pattern 7. Its runs of ``none``, ``task_focus``, ``relation_focus`` and ``balanced`` are pattern 7's own (the same
arms, run once).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from experiments.patterns import plotting
from experiments.patterns.common import (
    SCENARIO_LABELS,
    SCENARIOS,
    TABLE_PLACEHOLDER,
    Arm,
    Config,
    Pattern,
    Results,
    Row,
    finals,
    with_scenario,
)

KEY = "7s"
STRATEGIES = ("none", "task_focus", "relation_focus", "balanced", "adaptive")
METRICS = ("task_progress", "health", "trust")


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [Arm(s, with_scenario(scenario, strategy=s), "series") for s in STRATEGIES]


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    """The strategies' table is a report, not a test of its own: no rows."""
    return []


def difference(res: dict[str, list], metric: str) -> tuple[float, float]:
    """Mean paired difference adaptive - balanced and the half-width of its 95% t interval."""
    d = finals(res["adaptive"], metric) - finals(res["balanced"], metric)
    d = d[np.isfinite(d)]
    half = float(stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 1 else float("nan")
    return float(d.mean()), half


def table_text(res: Results, markdown: bool) -> str:
    """Per scenario and strategy: mean final task progress, health and trust; and adaptive - balanced."""
    head = ("scenario", "strategy", *(m.replace("_", " ") for m in METRICS))
    cells = []
    for s in SCENARIOS:
        for strategy in STRATEGIES:
            cells.append(
                (
                    SCENARIO_LABELS[s],
                    strategy,
                    *(f"{np.nanmean(finals(res[s][strategy], m)):.3f}" for m in METRICS),
                )
            )
        diffs = [difference(res[s], m) for m in METRICS]
        cells.append((SCENARIO_LABELS[s], "adaptive - balanced", *(f"{d:+.3f} ± {h:.3f}" for d, h in diffs)))
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(c) + " |" for c in cells])
    widths = [max(len(c[k]) for c in [head, *cells]) for k in range(len(head))]
    return "\n".join("  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)).rstrip() for c in [head, *cells])


WHY = """\
**Where `adaptive` loses, and why.** `adaptive` loses to `balanced` in every scenario, on task progress, health and
trust alike (the rows "adaptive - balanced": mean paired difference with its 95% interval); on task progress it
also loses to `relation_focus` everywhere and beats only `task_focus` and no director. The reason is in
`model/strategies.py`, and it is a defect of the strategy, not a property of the network: `adaptive` spends each
week's hours on the two concepts furthest below a target of 0.8 (`adaptive_target`), through the interventions that
`ADDRESSES` names for them, but only freedom's target is made reachable (0.8 × trust). *Transparency*, openness ×
(1 - overload penalty), is addressed by `build_info_structure` alone, which lowers the load but cannot raise openness
(its target is accountability × trust × (1 - 0.5 blame), `information_flow`); *equality* is capped by the power-gap
term of `equality_target`, which the director's interventions only soften. Both shortfalls therefore never close, and
`adaptive` spends most of its hours on them week after week (over six of the validation's seeds: 41-56% on
`build_info_structure` and 30-44% on `equal_footing` and `recognize_interests`, against 20% and 20% under
`balanced`), while `accountability_dialogue` gets 0-2% of its hours and personal contact, vision sessions and
expectation management none. Accountability falls to about 0.4-0.5 (`balanced`: above 0.9), openness follows it, and
transparency, the concept it chases, ends lower than under `balanced` (0.13-0.27 against 0.61-0.68). A strategy that
chased only reachable shortfalls, or that counted accountability as a lever of transparency, would not be caught in
this loop; the model is not changed here, so the table shows the strategy as it is.
"""


def report(res: Results | None, cfg: Config, markdown: bool) -> str:
    """The strategies' table with its heading (and, in docs/validation.md, why adaptive loses)."""
    if not markdown:
        heading = f"Pattern 7 strategies (final values, mean over {cfg.seeds} paired seeds; adaptive - balanced ± 95%):"
        return heading + "\n" + (TABLE_PLACEHOLDER if res is None else table_text(res, False))
    heading = (
        f"**The built-in strategies** (final values, mean over {cfg.seeds} paired seeds per arm, each scenario's own "
        "horizon; the row adaptive - balanced gives the mean paired difference ± the half-width of its 95% interval):"
    )
    body = TABLE_PLACEHOLDER if res is None else table_text(res, True)
    return heading + "\n\n" + body + "\n\n" + WHY.strip("\n")


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    sc = list(SCENARIOS)
    fig, axes = plt.subplots(1, len(METRICS), figsize=(15, 3.8))
    for ax, metric in zip(axes, METRICS, strict=True):
        plotting.bars(
            ax, sc, {s: [finals(res[x][s], metric) for x in sc] for s in STRATEGIES}, metric.replace("_", " ")
        )
    axes[0].legend(fontsize=7)
    fig.suptitle("7. The built-in strategies in every scenario (final values, mean and 95% CI)", fontsize=11)
    return plotting.finish(fig)


PATTERN = Pattern(
    key=KEY,
    title="the built-in strategies",
    claim="",
    source="",
    experiment="",
    arms=arms,
    evaluate=evaluate,
    figure="validation_7_strategies_table.png",
    draw=draw,
    text="",
    part_of="7",
    report=report,
)
