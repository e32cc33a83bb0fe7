"""Pattern 11. Governance fits size: shared governance against a network administrative organisation in synthetic
networks of 4 to 40 partners (Provan & Kenis 2008)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import (
    EMERGENT,
    SESOI_01,
    Arm,
    Check,
    Config,
    Pattern,
    Results,
    Row,
    finals,
    paired_greater,
    with_scenario,
)

KEY = "11"
SMALL_MAX = 8
LARGE_MIN = 16


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm(f"{g} n {n}", with_scenario(scenario, n_partners=n, governance=g))
        for n in cfg.sizes
        for g in ("shared", "nao")
    ]


def per_partner(results: list[dict[str, Any]], n: int) -> np.ndarray:
    """Final task progress per partner in every run."""
    return finals(results, "task_progress") / n


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    rows = []
    scenario = f"{scenario} ({min(cfg.sizes)}-{max(cfg.sizes)})"
    for n in cfg.sizes:
        # the network's task progress (a 0-1 metric, the unit of the smallest effect of interest); per partner it
        # is the same test, the effect divided by n (the figure)
        shared, nao = finals(res[f"shared n {n}"], "task_progress"), finals(res[f"nao n {n}"], "task_progress")
        note = "effect: the network's task progress"
        if n <= SMALL_MAX:
            effect, dz, p = paired_greater(shared, nao)
            rows.append(Row(KEY, f"shared beats nao at {n} partners", scenario, effect, dz, p, note=note))
        elif n >= LARGE_MIN:
            effect, dz, p = paired_greater(nao, shared)
            rows.append(Row(KEY, f"nao beats shared at {n} partners", scenario, effect, dz, p, note=note))
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


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    res = res["synthetic"]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for k, g in enumerate(("shared", "nao")):
        y = [per_partner(res[f"{g} n {n}"], n) for n in cfg.sizes]
        ax.errorbar(
            cfg.sizes,
            [v.mean() for v in y],
            yerr=[plotting.ci(v) for v in y],
            marker="o",
            capsize=2,
            color=plotting.colour(k),
            label=g,
        )
    cross = crossover(res, cfg)
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
    return plotting.finish(fig)


TEXT = """\
Synthetic networks of 4 to 40 partners (small-world, degree min(10, n - 1)) are run under shared governance (the
partners pool one hour each for the director's work, procedure equality at least 0.8, every partner coordinates
0.35 (n - 1) hours of its 40-hour week, effects scale with shared vision) and under a network administrative
organisation (16 hours a week, half a partner-equivalent of overhead, legitimacy to be earned from the base rate).
Shared governance gives more task progress per partner in small networks, the network organisation in large ones;
the advantage changes sign at about 11 partners (where the mean difference crosses zero), within the
8-12 the spec asks for (Provan & Kenis 2008). Calibration 6 (coordination 0.35 instead of 0.5 hours per other
partner) moved the crossover from about 8 to about 11 partners.
"""


CHECKS = (
    Check(
        "* beats * at * partners",
        EMERGENT,
        SESOI_01,
        "the network's task progress (0-1)",
        basis="coordination_factor: shared governance costs every partner 0.35 (n - 1) hours of a 40-hour week, a "
        "network organisation half a partner-equivalent; where the advantage changes sign was calibrated "
        "(calibration 6)",
    ),
)


PATTERN = Pattern(
    key=KEY,
    title="Governance fits size",
    claim="Shared governance does best in small, high-consensus networks; a network organisation does best in large "
    "ones.",
    source="Provan & Kenis 2008.",
    experiment="synthetic networks of 4..40 partners, governance shared vs nao (balanced strategy), task progress per "
    "partner at the horizon (the figure; the checks compare the network's task progress, the same test in the 0-1 "
    "unit of its smallest effect of interest), paired seeds; shared must win up to 8 partners, nao from 16.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_11_governance.png",
    draw=draw,
    text=TEXT,
    scenarios=("synthetic",),
    known_failures={
        "synthetic (4-40)": "at 16 partners the network organisation beats shared governance by 0.006 task progress, "
        "significant but below the smallest effect of interest of 0.02: 16 lies just above where the advantage "
        "changes sign (about 11 partners), where the two modes are close; from 24 partners on the advantage clears "
        "it.",
    },
    checks=CHECKS,
)
