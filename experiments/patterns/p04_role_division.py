"""Pattern 4. Role division is counter-collaborative: task_focus vs balanced (model spec 8.4)."""

from __future__ import annotations

from experiments.patterns import plotting
from experiments.patterns.common import (
    BY_CONSTRUCTION,
    EMERGENT,
    SCENARIO_LABELS,
    SCENARIOS,
    SESOI_01,
    Arm,
    Check,
    Config,
    Pattern,
    Results,
    Row,
    compare,
    with_scenario,
)

KEY = "4"


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("task_focus", with_scenario(scenario, strategy="task_focus"), "series"),
        Arm("balanced", with_scenario(scenario, strategy="balanced"), "series"),
    ]


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    tf, bal = res["task_focus"], res["balanced"]
    rows = [compare(KEY, "task_focus gives clearer frames", scenario, tf, bal, "frame_clarity")]
    rows += [
        compare(KEY, f"task_focus gives lower {metric}", scenario, bal, tf, metric)
        for metric in ("commitment", "equality", "task_progress")
    ]
    return rows


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    fig, axes = plt.subplots(4, 4, figsize=(15, 10), sharex="col")
    for j, s in enumerate(SCENARIOS):
        for i, metric in enumerate(("frame_clarity", "commitment", "equality", "task_progress")):
            for arm in ("task_focus", "balanced"):
                plotting.band(axes[i, j], res[s][arm], metric, arm, plotting.STRATEGY_COLOURS[arm])
            axes[i, j].grid(alpha=0.3)
            if j == 0:
                axes[i, j].set_ylabel(metric.replace("_", " "))
        axes[0, j].set_title(SCENARIO_LABELS[s], fontsize=10)
        axes[-1, j].set_xlabel("week")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("4. Role division is counter-collaborative: task_focus vs balanced (mean, 95% CI)", fontsize=11)
    return plotting.finish(fig)


TEXT = """\
`task_focus` negotiates the division of tasks and roles every week (40% of its hours): frames become clear (frame
clarity about 0.8, against about 0.2 under `balanced`, whose single covenant wears off), but each round shifts
attention to powers, costs every partner commitment and lowers the perceived equality of the less powerful. The
network stays together since calibration 2 (`exit_threshold` 0.1), but it works with a commitment of about 0.15
against about 0.4 under `balanced`.
"""


CHECKS = (
    Check(
        "task_focus gives clearer frames",
        BY_CONSTRUCTION,
        SESOI_01,
        "frame clarity (0-1)",
        basis="role_division raises frame clarity (role_division_frame_clarity, interventions.py), and task_focus "
        "spends 40% of its hours on it",
    ),
    Check(
        "task_focus gives lower commitment",
        BY_CONSTRUCTION,
        SESOI_01,
        "commitment (0-1)",
        basis="role_division lowers every partner's commitment (role_division_commitment_loss, interventions.py)",
    ),
    Check(
        "task_focus gives lower equality",
        BY_CONSTRUCTION,
        SESOI_01,
        "perceived equality (0-1)",
        basis="role_division lowers the perceived equality of the partners below median power "
        "(role_division_equality_loss, interventions.py)",
    ),
    Check(
        "task_focus gives lower task_progress",
        EMERGENT,
        SESOI_01,
        "task progress (0-1)",
        basis="the net of clearer frames (more freedom, more effort) and lower commitment and equality",
    ),
)


PATTERN = Pattern(
    key=KEY,
    title="Role division is counter-collaborative",
    claim="task_focus gives clearer frames but lower commitment, equality and task progress than balanced.",
    source="Model spec 8.4 ('contra-samenwerking'); Klijn, Steijn & Edelenbos 2010.",
    experiment="Strategy task_focus vs balanced, paired seeds; final frame clarity, commitment, perceived equality, "
    "task progress.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_4_role_division.png",
    draw=draw,
    text=TEXT,
    checks=CHECKS,
)
