"""Pattern 5. Understanding neutralises value distance: respect and shared vision of value-distant pairs with and
without contact and vision work; moderate pairs converge more than extreme ones."""

from __future__ import annotations

from typing import Any

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import (
    BY_CONSTRUCTION,
    SCENARIOS,
    SESOI_01,
    Arm,
    Check,
    Config,
    Pattern,
    Results,
    Row,
    one_sample_greater,
    paired_greater,
    with_scenario,
)

KEY = "5"


#: "Without contact": no director and no personal contact between partners either (ODD 7.11; the switch is on in
#: the other arms, as in the model as it is).
NO_PARTNER_CONTACT = {"partner_contact": False}


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm("no contact", with_scenario(scenario, strategy="none", switches=NO_PARTNER_CONTACT), "snapshot"),
        Arm("contact and vision work", with_scenario(scenario, strategy="relation_focus"), "snapshot"),
        Arm("vision work, 26 weeks", with_scenario(scenario, strategy="relation_focus"), "snapshot", 26),
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


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    none, rel, early = res["no contact"], res["contact and vision work"], res["vision work, 26 weeks"]
    rows = []
    effect, dz, p = one_sample_greater([-distant_respect_change(x) for x in none])
    rows.append(Row(KEY, "without contact respect of value-distant pairs erodes", scenario, effect, dz, p))
    effect, dz, p = one_sample_greater([distant_respect_change(x) for x in rel])
    rows.append(Row(KEY, "with contact and vision work their respect grows", scenario, effect, dz, p))
    effect, dz, p = one_sample_greater([vision_growth(x) for x in rel])
    rows.append(Row(KEY, "with vision work shared vision grows", scenario, effect, dz, p))
    pairs = np.array([closure_by_distance(x) for x in early])
    ok = np.isfinite(pairs).all(axis=1)
    effect, dz, p = paired_greater(pairs[ok, 0], pairs[ok, 1])
    rows.append(
        Row(
            KEY,
            "moderately distant pairs converge more than extreme ones (26 weeks)",
            scenario,
            effect,
            dz,
            p,
            note="share of initial distance closed",
        )
    )
    return rows


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    sc = list(SCENARIOS)
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
    plotting.bars(
        axes[0],
        sc,
        {
            arm: [np.array([distant_respect_change(x) for x in res[s][arm]]) for s in sc]
            for arm in ("no contact", "contact and vision work")
        },
        "change of respect, value-distant pairs",
    )
    axes[0].axhline(0, color="black", lw=0.8)
    axes[0].legend(fontsize=8)
    plotting.bars(
        axes[1],
        sc,
        {"relation_focus": [np.array([vision_growth(x) for x in res[s]["contact and vision work"]]) for s in sc]},
        "growth of shared vision (1 - distance)",
    )
    closure = {s: np.array([closure_by_distance(x) for x in res[s]["vision work, 26 weeks"]]) for s in sc}
    plotting.bars(
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
    return plotting.finish(fig)


TEXT = """\
Respect moves toward 1 - d (1 - u): understanding u of the other's motives neutralises the value distance d.
Understanding decays toward 0.2 without contact, so respect between value-distant partners erodes when nobody
maintains it (the arm without contact has no director and no personal contact between partners, ODD 7.11: with it,
partners maintain understanding themselves); personal contact and vision sessions (`relation_focus`) raise
understanding, and vision sessions bring
values closer by bounded confidence, weighted by respect. Pairs within the confidence bound (0.3) converge directly;
pairs beyond it only through partners in between, so after half a year of vision work moderately distant pairs have
closed a larger share of their distance than pairs beyond the bound. (In sociaal_domein the municipality is a hub
between every provider, and the difference is small but consistent; after two years the hub has pulled almost
everyone together, as the prototype noted, which is why this check is taken at 26 weeks in every scenario.)
"""


CHECKS = (
    Check(
        "without contact respect of value-distant pairs erodes",
        BY_CONSTRUCTION,
        SESOI_01,
        "respect (0-1)",
        basis="respect_target 1 - d (1 - u), with understanding u decaying from its start of 0.5 toward 0.2 "
        "(understanding_decay, understanding_floor)",
    ),
    Check(
        "with contact and vision work their respect grows",
        BY_CONSTRUCTION,
        SESOI_01,
        "respect (0-1)",
        basis="personal contact and vision sessions raise u and vision sessions lower d: both raise respect_target "
        "1 - d (1 - u)",
    ),
    Check(
        "with vision work shared vision grows",
        BY_CONSTRUCTION,
        SESOI_01,
        "shared vision (1 - value distance, 0-1)",
        basis="values change only in vision sessions, where bounded_confidence_step moves each partner toward the mean "
        "of its close partners",
    ),
    Check(
        "moderately distant pairs converge more than extreme ones (26 weeks)",
        BY_CONSTRUCTION,
        SESOI_01,
        "share of the initial value distance closed (0-1)",
        basis="bounded_confidence_step pulls a pair only while its distance is below confidence_bound (0.3): moderate "
        "pairs directly, extreme ones only through partners in between",
    ),
)


PATTERN = Pattern(
    key=KEY,
    title="Understanding neutralises value distance",
    claim="Without contact or vision work respect between value-distant partners erodes; with it respect and shared "
    "vision grow; shared vision grows more for moderately distant pairs than for extreme ones.",
    source="Deffuant et al. 2000; Ansell & Gash 2008; Zellner et al. 2014.",
    experiment="Relations whose initial value distance is above the median: change of respect since the start with no "
    "director and no personal contact between partners, and with relation_focus (contact, vision sessions); "
    "growth of shared vision under relation_focus; "
    "after 26 weeks of vision work, the share of the initial distance closed by pairs within the confidence "
    "bound (initial distance between 0.15 and 0.3) vs pairs beyond it.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_5_understanding.png",
    draw=draw,
    text=TEXT,
    known_failures={
        "sociaal_domein": "moderately distant pairs close 0.015 more of their initial distance than extreme ones in "
        "26 weeks, significant but below the smallest effect of interest of 0.02: the municipality is a hub between "
        "every provider and pulls extreme pairs together through it.",
    },
    checks=CHECKS,
)
