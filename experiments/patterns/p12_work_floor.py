"""Pattern 12. The work floor decides: board agreements alone do little for the joint task; work-floor relations
do more, and both together most (switch ``layers``, ODD 7.13)."""

from __future__ import annotations

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import (
    EMERGENT,
    SCENARIOS,
    SESOI_01,
    Arm,
    Check,
    Config,
    Pattern,
    Results,
    Row,
    finals,
    one_sample_greater,
    paired_greater,
    with_scenario,
)

KEY = "12"
#: The director's hours on the board layer's interventions (agreements between boards) other than the role division
#: (the trap of pattern 4), on the work floor's, and half on each.
BOARD = {"alloc_covenant": 0.5, "alloc_equal_footing": 0.5}
FLOOR = {"alloc_personal_contact": 1 / 3, "alloc_expectation_management": 1 / 3, "alloc_accountability_dialogue": 1 / 3}
BOTH = {**{k: v / 2 for k, v in BOARD.items()}, **{k: v / 2 for k, v in FLOOR.items()}}
# Every director spends all its hours on its arm's interventions: steering on the director's own goals (pattern 13;
# a strategy spends steering_share of its hours on it first where the scenario gives the director goals, as
# gebiedsontwikkeling does) would add the goals' share of the task to every director's gain alike and is off here.
OWN_GOALS_OFF = {"steering_share": 0.0}
ARMS = {
    "no director": {"strategy": "none"},
    "board only": {"strategy": "custom", **BOARD, **OWN_GOALS_OFF},
    "work floor only": {"strategy": "custom", **FLOOR, **OWN_GOALS_OFF},
    "board and work floor": {"strategy": "custom", **BOTH, **OWN_GOALS_OFF},
}
#: Work-floor relations alone must raise task progress more than this many times what board agreements alone do.
FLOOR_OVER_BOARD = 2.0


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [Arm(name, with_scenario(scenario, **params)) for name, params in ARMS.items()]


def gains(res: dict[str, list]) -> dict[str, np.ndarray]:
    """Task progress gain of each director over no director, per seed."""
    none = finals(res["no director"], "task_progress")
    return {arm: finals(res[arm], "task_progress") - none for arm in ARMS if arm != "no director"}


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    g = gains(res)
    board, floor, both = g["board only"], g["work floor only"], g["board and work floor"]
    effect, dz, p = one_sample_greater(floor - FLOOR_OVER_BOARD * board)
    rows = [
        Row(
            KEY,
            "work-floor relations alone gain more than twice board agreements alone",
            scenario,
            effect,
            dz,
            p,
            note=f"task progress gains: board {board.mean():.3f}, floor {floor.mean():.3f}",
        )
    ]
    effect, dz, p = paired_greater(both, floor)
    rows.append(Row(KEY, "board and work floor together beat the work floor alone", scenario, effect, dz, p))
    effect, dz, p = paired_greater(both, board)
    rows.append(Row(KEY, "board and work floor together beat the board alone", scenario, effect, dz, p))
    return rows


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    fig, ax = plt.subplots(figsize=(9, 3.8))
    by_scenario = {s: gains(res[s]) for s in SCENARIOS}
    series = {arm: [by_scenario[s][arm] for s in SCENARIOS] for arm in ARMS if arm != "no director"}
    plotting.bars(ax, list(SCENARIOS), series, "task progress gained over no director (mean, 95% CI)", "gain")
    ax.axhline(0, color="black", lw=0.8)
    ax.legend(fontsize=8)
    fig.suptitle("12. The work floor decides: board agreements, work-floor relations, both", fontsize=11)
    return plotting.finish(fig)


TEXT = """\
With two layers (ODD 7.13) a director's board sessions (`covenant`, `equal_footing`) make agreements between the
boards: clearer frames, deliberation on equal footing, and trust between the boards. They reach each work floor
only as far as its organisation's alignment carries them, after a delay, and where the work floor's partners do not
trust each other clearer frames grant little room (freedom = frames x trust). The director's work-floor meetings
(`personal_contact`, `expectation_management`, `accountability_dialogue`) build the relations the joint work runs
on; their boards hear of it through alignment. Board trust covers the work floor when a blamed incident escalates;
without it the escalation comes back down as distrust on the work floor. The same hours spent half on each layer
give the most in every scenario, though over the work floor alone by less than the smallest effect of interest
(0.02 task progress) in jeugdaanpak and synthetic.

The layers make the first claim: with one layer (switch `layers` off) the board's interventions gained about as much
as the work floor's in jeugdaanpak (0.070 against 0.064 over 6 seeds, on an earlier revision), mostly through
`equal_footing` (procedure equality raises every partner's perceived equality and so its commitment). With two
layers the work floor alone gains 2.9 (jeugdaanpak), 5.3 (gebiedsontwikkeling), 2.2 (sociaal domein) and 1.9
(synthetic) times what the board alone gains. It gains more than twice by the smallest effect of interest only in
jeugdaanpak and gebiedsontwikkeling. In sociaal domein it now gains more than twice, significantly (1.9 times on
the revision before), but by 0.006 task progress beyond twice the board's gain, below the smallest effect of
interest: in the overloaded network the trust that work-floor meetings build makes partners send more information
to the hubs, so it adds little commitment. In synthetic it gains less than twice: the generated networks are
healthier without a director (trust 0.59 against 0.50 in jeugdaanpak, section 7's table of strategies), so
work-floor meetings have less to repair, while deliberation on equal footing raises perceived equality as much as
anywhere. The ODD's calibration log (entries 15 and 16) records what was tried.
"""


CHECKS = (
    Check(
        "work-floor relations alone gain more than twice board agreements alone",
        EMERGENT,
        SESOI_01,
        "task progress (0-1): the work floor's gain minus twice the board's",
        basis="board agreements reach the work floor only through alignment (through_alignment); work-floor meetings "
        "build the relations the joint work runs on",
    ),
    Check(
        "board and work floor together beat the work floor alone",
        EMERGENT,
        SESOI_01,
        "task progress (0-1)",
        basis="the same hours on both layers; each intervention's dose has diminishing returns (dose)",
    ),
    Check(
        "board and work floor together beat the board alone",
        EMERGENT,
        SESOI_01,
        "task progress (0-1)",
        basis="the same hours on both layers; each intervention's dose has diminishing returns (dose)",
    ),
)


PATTERN = Pattern(
    key=KEY,
    title="The work floor decides",
    claim="Board agreements alone raise task progress less than half as much as work-floor relations alone; both "
    "together raise it most.",
    source="The seed text: administrative platforms agree at board level, but collaboration on the work floor "
    "decides success (vertical and horizontal alignment); ODD 7.13.",
    experiment="Task progress gained over no director by a director who spends its hours on board interventions "
    "only (covenant, equal_footing), on work-floor interventions only (personal_contact, expectation_management, "
    "accountability_dialogue) or half on each (custom strategy; no hours on the director's own goals, "
    "steering_share 0), paired seeds, switch layers on.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_12_work_floor.png",
    draw=draw,
    text=TEXT,
    known_failures={
        "jeugdaanpak": "board and work floor together beat the work floor alone by 0.014 task progress, significant "
        "but below the smallest effect of interest of 0.02; the first claim holds (the work floor gains 2.9 times "
        "what the board gains).",
        "sociaal_domein": "work-floor relations alone gain 2.2 times what board agreements alone gain (0.071 against "
        "0.032 task progress): more than twice, significantly, but by 0.006 beyond twice the board's gain, below the "
        "smallest effect of interest of 0.02. The trust the work-floor interventions build adds information load to "
        "an overloaded network (calibration log 16).",
        "synthetic": "work-floor relations alone gain 1.9 times what board agreements alone gain (0.056 against "
        "0.029), not more than twice: the generated networks start healthier, so the work floor has less to repair "
        "(calibration log 16); and both layers together beat the work floor alone by just under the smallest effect "
        "of interest (0.020 rounded, below 0.02).",
    },
    checks=CHECKS,
)
