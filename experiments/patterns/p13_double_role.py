"""Pattern 13. The double role: a director who steers on its own organisation's goals advances them, but loses
legitimacy and narrows the partners' freedom; the joint task does best at an intermediate share of steering."""

from __future__ import annotations

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import (
    BY_CONSTRUCTION,
    EMERGENT,
    SESOI_01,
    Arm,
    Check,
    Config,
    Pattern,
    Results,
    Row,
    finals,
    inverted_u,
    one_sample_greater,
    with_scenario,
)

KEY = "13"
#: The scenarios whose director has goals of its own (a ``[director_goals]`` table).
GOAL_SCENARIOS = ("gebiedsontwikkeling",)
#: Shares of the director's weekly hours spent steering on its own goals.
SHARES = (0.0, 0.125, 0.25, 0.5, 0.75, 1.0)


def arm_name(share: float) -> str:
    return f"steering {share:g}"


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [Arm(arm_name(s), with_scenario(scenario, strategy="balanced", steering_share=s)) for s in SHARES]


def curve(res: dict[str, list], metric: str) -> np.ndarray:
    """Final values of ``metric`` over the steering shares: (seeds, shares)."""
    return np.column_stack([finals(res[arm_name(s)], metric) for s in SHARES])


def slopes(res: dict[str, list], metric: str) -> np.ndarray:
    """Per seed, the least-squares slope of ``metric``'s final value over the steering share."""
    x = np.array(SHARES) - np.mean(SHARES)
    y = curve(res, metric)
    return (y - y.mean(axis=1, keepdims=True)) @ x / float(x @ x)


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    rows = []
    for metric, sign, check in (
        ("director_goal_progress", 1.0, "steering advances the director's own goals"),
        ("legitimacy", -1.0, "steering lowers the director's legitimacy"),
        ("freedom", -1.0, "steering lowers the partners' freedom"),
    ):
        effect, dz, p = one_sample_greater(sign * slopes(res, metric))
        rows.append(Row(KEY, check, scenario, effect, dz, p, note=f"{metric}: slope per unit of steering share"))
    rng = np.random.default_rng(cfg.base_seed + 13)
    u = inverted_u(curve(res, "task_progress"), cfg.bootstrap, rng)
    rows.append(
        Row(
            KEY,
            "task progress peaks at an intermediate steering share",
            scenario,
            u["excess"],
            u["z"],
            u["p"],
            criterion=u["z"] > 2.0 and 0 < u["peak"] < len(SHARES) - 1,
            note=f"peak at {SHARES[u['peak']]:g}",
        )
    )
    return rows


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    panels = (
        ("task_progress", "task progress"),
        ("director_goal_progress", "the director's own goal progress"),
        ("legitimacy", "legitimacy"),
        ("freedom", "freedom"),
    )
    fig, axes = plt.subplots(1, len(panels), figsize=(15, 3.6))
    for ax, (metric, label) in zip(axes, panels, strict=True):
        for k, scenario in enumerate(GOAL_SCENARIOS):
            y = curve(res[scenario], metric)
            ax.errorbar(
                SHARES,
                y.mean(axis=0),
                yerr=[plotting.ci(c) for c in y.T],
                marker="o",
                ms=3,
                capsize=2,
                color=plotting.colour(k),
                label=scenario,
            )
        ax.set_xlabel("steering_share")
        ax.set_title(label, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle(
        "13. The double role: steering on the director's own goals advances them, costs legitimacy and freedom; "
        "the task peaks in between",
        fontsize=11,
    )
    return plotting.finish(fig)


TEXT = """\
The area director of a province answers for the province's own goals as well as for the collaboration (ODD 7.12).
A strategy spends `steering_share` of the week's hours on `steer_own_goals` before the rest: the goals advance by
`goal_rate` · dose, the half of them that is also the joint task (`overlap` 0.5) adds its share of `goal_task_size`
to the task, and advancing goals bring up to 10% more work capacity (`resources`). Steering is no promise kept to
the network: every other partner gains `steering_distrust` · dose negative evidence about the director, so its
legitimacy, which scales every other intervention, falls, and the partners' freedom target shrinks by
`steering_freedom_loss` · the week's dose. Not steering has its price too: the province's pressure follows its
goals' lag, and a pressed province commits less (`pressure_commitment_loss`). Serving only (share 0) leaves the
province pressed and its goals unmet; steering only (share 1) spends the week the network needs and costs the
director the legitimacy its interventions need; the joint task does best in between.
"""


CHECKS = (
    Check(
        "steering advances the director's own goals",
        BY_CONSTRUCTION,
        SESOI_01,
        "the director's goal progress (goals met at 1) per unit of steering share",
        basis="only steer_own_goals advances the goals (goal_advance: goal_rate · dose)",
    ),
    Check(
        "steering lowers the director's legitimacy",
        BY_CONSTRUCTION,
        SESOI_01,
        "legitimacy (0-1) per unit of steering share",
        basis="steer_own_goals adds steering_distrust · dose negative evidence to every other partner's trust in the "
        "director, and legitimacy is that trust",
    ),
    Check(
        "steering lowers the partners' freedom",
        BY_CONSTRUCTION,
        SESOI_01,
        "freedom (0-1) per unit of steering share",
        basis="steered_freedom_target: F* · (1 - steering_freedom_loss · dose)",
    ),
    Check(
        "task progress peaks at an intermediate steering share",
        EMERGENT,
        SESOI_01,
        "task progress (0-1): the peak's excess over the lower end",
        basis="the goals' share of the task and their resources against the hours and legitimacy steering costs",
    ),
)


PATTERN = Pattern(
    key=KEY,
    title="The double role",
    claim="More hours on the director's own goals advance them but lower its legitimacy and the partners' freedom; "
    "task progress peaks at an intermediate steering share.",
    source="Provincial area directors 'stimulate collaboration in areas, while they are also responsible for "
    "realising the provincial goals' (the source text); Huxham & Vangen 2005 (leadership of collaboration).",
    experiment="steering_share 0, 0.125, 0.25, 0.5, 0.75, 1 under the balanced strategy in the scenario whose director "
    "has goals of its own; per seed, the slope of the final goal progress, legitimacy and freedom over the share, and "
    "final task progress as an inverted U.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_13_double_role.png",
    draw=draw,
    text=TEXT,
    scenarios=GOAL_SCENARIOS,
    checks=CHECKS,
)
