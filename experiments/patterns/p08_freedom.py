"""Pattern 8. Freedom follows trust; misuse destroys it: frame clarity in a committed and an uncommitted network."""

from __future__ import annotations

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import (
    BY_CONSTRUCTION,
    EMERGENT,
    SCENARIOS,
    SESOI_01,
    Arm,
    Check,
    Config,
    Pattern,
    Results,
    Row,
    compare,
    finals,
    paired_greater,
    with_scenario,
)

KEY = "8"
COMMITTED = {"strategy": "balanced", "blame_culture": 0.1}
UNCOMMITTED = {"strategy": "none", "blame_culture": 0.9}
ARMS = (
    "committed, vague frames",
    "committed, clear frames",
    "uncommitted, vague frames",
    "uncommitted, clear frames",
)


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("committed, vague frames", with_scenario(scenario, frame_clarity=0.2, **COMMITTED)),
        Arm("committed, clear frames", with_scenario(scenario, frame_clarity=0.9, **COMMITTED)),
        Arm("uncommitted, vague frames", with_scenario(scenario, frame_clarity=0.2, **UNCOMMITTED)),
        Arm("uncommitted, clear frames", with_scenario(scenario, frame_clarity=0.9, **UNCOMMITTED)),
    ]


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    cv, cc = res["committed, vague frames"], res["committed, clear frames"]
    uv, uc = res["uncommitted, vague frames"], res["uncommitted, clear frames"]
    free = finals(cc, "freedom") / np.maximum(finals(cc, "trust"), 1e-9)
    rows = [
        compare(KEY, "clear frames grant more freedom", scenario, cc, cv, "freedom"),
        Row(
            KEY,
            "freedom follows trust (freedom/trust rises with frame clarity)",
            scenario,
            *paired_greater(free, finals(cv, "freedom") / np.maximum(finals(cv, "trust"), 1e-9)),
        ),
        compare(KEY, "with commitment, freedom raises task progress", scenario, cc, cv, "task_progress"),
        compare(KEY, "without commitment, freedom is misused and trust drops", scenario, uv, uc, "trust"),
    ]
    rows[-1].note = f"commitment {finals(uc, 'commitment').mean():.2f} vs {finals(cc, 'commitment').mean():.2f}"
    return rows


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    sc = list(SCENARIOS)
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
    plotting.bars(axes[0], sc, {a: [finals(res[s][a], "freedom") for s in sc] for a in ARMS}, "freedom")
    axes[0].legend(fontsize=7)
    plotting.bars(
        axes[1],
        sc,
        {a: [finals(res[s][a], "task_progress") for s in sc] for a in ARMS[:2]},
        "task progress (committed network)",
    )
    plotting.bars(
        axes[2], sc, {a: [finals(res[s][a], "trust") for s in sc] for a in ARMS[2:]}, "trust (uncommitted network)"
    )
    fig.suptitle(
        "8. Freedom follows trust under clear frames; used with commitment it helps, without it trust drops",
        fontsize=11,
    )
    return plotting.finish(fig)


TEXT = """\
Freedom moves toward frame_clarity × the trust others place in a partner: room is granted to the trusted within clear
frames, so with clear frames (0.9) freedom is higher, and higher relative to trust. Used with commitment it adds
to a partner's effort (1 + 0.3 F K); a partner whose commitment is below 0.3 misuses it (its effort falls by 0.6 ·
misuse and each judgement of it adds κ · misuse negative evidence). In a committed network (a `balanced` director,
blame 0.1, commitment about 0.4) clear frames raise task progress; in an uncommitted one (no director, blame 0.9,
commitment about 0.2) the same frames lower trust. Calibration 1 (misuse below 0.3 instead of 0.5) was needed: at 0.5
even the committed network misused its room.
"""


CHECKS = (
    Check(
        "clear frames grant more freedom",
        BY_CONSTRUCTION,
        SESOI_01,
        "freedom (0-1)",
        basis="freedom_target = frame_clarity · trust received",
    ),
    Check(
        "freedom follows trust (freedom/trust rises with frame clarity)",
        BY_CONSTRUCTION,
        SESOI_01,
        "freedom per unit of trust (0-1)",
        basis="freedom_target / trust received = frame_clarity",
    ),
    Check(
        "with commitment, freedom raises task progress",
        EMERGENT,
        SESOI_01,
        "task progress (0-1)",
        basis="weekly_effort's freedom bonus (1 + 0.3 F K) against misuse below commitment 0.3: which wins depends on "
        "the commitment the network reaches",
    ),
    Check(
        "without commitment, freedom is misused and trust drops",
        EMERGENT,
        SESOI_01,
        "trust (0-1)",
        basis="misuse (κ · misuse negative evidence) happens only while commitment stays below misuse_below (0.3), "
        "which the network's dynamics decide",
    ),
)


PATTERN = Pattern(
    key=KEY,
    title="Freedom follows trust; misuse destroys it",
    claim="Freedom grows with trust under clear frames and raises task progress where commitment is high; with low "
    "commitment it is misused and trust drops.",
    source="Model spec 8.8; Vangen & Huxham 2003 (the trust-building loop).",
    experiment="frame_clarity 0.2 vs 0.9, in a committed network (balanced director, blame_culture 0.1) and an "
    "uncommitted one (no director, blame_culture 0.9), paired seeds.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_8_freedom.png",
    draw=draw,
    text=TEXT,
    known_failures={
        "jeugdaanpak": "with commitment, clear frames raise task progress by 0.015, and without it lower trust by "
        "0.014: both significant, both below the smallest effect of interest of 0.02.",
        "sociaal_domein": "with commitment, clear frames raise task progress by 0.008, and without it lower trust by "
        "0.013: both significant, both below the smallest effect of interest of 0.02.",
        "synthetic": "with commitment, clear frames raise task progress by 0.017, and without it lower trust by "
        "0.017: both significant, both below the smallest effect of interest of 0.02.",
    },
    checks=CHECKS,
)
