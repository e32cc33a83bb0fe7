"""Pattern 7, the map: where in jeugdaanpak balanced beats relation_focus, over incident_rate x blame_culture x
sharing_rate.

The map is a report (one-sided p per point, not corrected), not a test of its own: it gives no rows, and its figure
and table go into the section of pattern 7.
"""

from __future__ import annotations

import json

import numpy as np

from experiments.page_parts import text_table
from experiments.patterns import plotting
from experiments.patterns.common import (
    ALPHA,
    TABLE_PLACEHOLDER,
    Arm,
    Config,
    Pattern,
    Results,
    Row,
    finals,
    p_text,
    paired_greater,
    with_scenario,
)

KEY = "7m"
MAP_SCENARIO = "jeugdaanpak"
MAP_INCIDENTS = (0.05, 0.2, 0.8)
MAP_BLAME = (0.1, 0.5, 0.9)
MAP_SHARING = (0.2, 0.6, 1.8)


def map_points() -> list[dict[str, float]]:
    return [
        {"incident_rate": i, "blame_culture": b, "sharing_rate": s}
        for s in MAP_SHARING
        for b in MAP_BLAME
        for i in MAP_INCIDENTS
    ]


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm(f"{strategy} {json.dumps(point, sort_keys=True)}", with_scenario(scenario, strategy=strategy, **point))
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


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    """The map is a report (where balanced beats relation_focus), not a test of its own: no rows."""
    return []


def table_text(res: dict[str, list], markdown: bool = False) -> str:
    """The map: per point, task progress of balanced minus relation_focus and its one-sided p-value."""
    table = map_table(res)
    head = ("incident_rate", "blame_culture", "sharing_rate", "balanced - relation_focus", "p", "balanced better")
    cells = [
        (
            f"{t['incident_rate']:g}",
            f"{t['blame_culture']:g}",
            f"{t['sharing_rate']:g}",
            f"{t['difference']:+.3f}",
            p_text(t["p"]),
            "yes" if t["p"] < ALPHA else ("no (relation_focus better)" if t["p"] > 1 - ALPHA else "no difference"),
        )
        for t in table
    ]
    return text_table(head, cells, markdown, rule=False)


def report(res: Results | None, cfg: Config, markdown: bool) -> str:
    """The map with its heading: as printed by ``netwerkregie validate`` or (``markdown``) in docs/validation.md."""
    points = None if res is None else res[MAP_SCENARIO]
    if not markdown:
        heading = f"Pattern 7 map ({MAP_SCENARIO}, {cfg.map_seeds} paired seeds per point; one-sided p, not corrected):"
        return heading + "\n" + (TABLE_PLACEHOLDER if points is None else table_text(points))
    heading = (
        f"**Map** ({MAP_SCENARIO}, {cfg.map_seeds} paired seeds per point, one-sided p per point, not corrected: "
        "a report of where the claim holds, not a test):"
    )
    return heading + "\n\n" + (TABLE_PLACEHOLDER if points is None else table_text(points, markdown=True))


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    table = map_table(res[MAP_SCENARIO])
    fig, axes = plt.subplots(1, len(MAP_SHARING), figsize=(14, 4.2))
    vmax = max(abs(t["difference"]) for t in table) or 1.0
    for ax, share in zip(axes, MAP_SHARING, strict=True):
        grid = np.array(
            [
                [
                    next(
                        t
                        for t in table
                        if t["sharing_rate"] == share and t["blame_culture"] == b and t["incident_rate"] == i
                    )
                    for i in MAP_INCIDENTS
                ]
                for b in MAP_BLAME
            ]
        )
        diff = np.vectorize(lambda t: t["difference"])(grid)
        image = ax.imshow(diff, cmap="RdBu", vmin=-vmax, vmax=vmax, origin="lower")
        for (bi, ii), t in np.ndenumerate(grid):
            mark = "*" if t["p"] < ALPHA else ("-" if t["p"] > 1 - ALPHA else "")
            ax.text(ii, bi, f"{t['difference']:+.3f}{mark}", ha="center", va="center", fontsize=8)
        ax.set_xticks(range(len(MAP_INCIDENTS)), [f"{i:g}" for i in MAP_INCIDENTS])
        ax.set_yticks(range(len(MAP_BLAME)), [f"{b:g}" for b in MAP_BLAME])
        ax.set_xlabel("incident_rate")
        ax.set_ylabel("blame_culture")
        ax.set_title(f"sharing_rate {share:g}", fontsize=10)
    fig.colorbar(image, ax=axes, shrink=0.8, label="task progress: balanced - relation_focus")
    fig.suptitle(
        f"7. Where balanced beats relation_focus ({MAP_SCENARIO}; * balanced better, - relation_focus better, "
        f"one-sided p < {ALPHA:g})",
        fontsize=11,
    )
    return fig  # not tight: the colour bar spans the three panels


def map_seeds(cfg: Config) -> int:
    """Replications per point of the map: the configuration's ``map_seeds``."""
    return cfg.map_seeds


PATTERN = Pattern(
    key=KEY,
    title="balanced vs relation_focus map",
    claim="",
    source="",
    experiment="",
    arms=arms,
    evaluate=evaluate,
    figure="validation_7_map.png",
    draw=draw,
    text="",
    scenarios=(MAP_SCENARIO,),
    part_of="7",
    replications=map_seeds,
    report=report,
)
