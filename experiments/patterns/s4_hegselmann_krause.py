"""Sub-mechanism S4. The model's own bounded-confidence rule (Hegselmann-Krause style; Fortunato 2005): in a large
population everyone who talks with everyone ends in consensus when the confidence bound exceeds about 0.2, and in
several clusters below it."""

from __future__ import annotations

from typing import Any

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import EMERGENT, Check, Config, Row, SubMechanism
from model import mechanisms as mech

KEY = "S4"
BOUNDS = (0.15, 0.18, 0.2, 0.22, 0.25, 0.3)
SIZES = (100, 300, 1000)
#: Runs per population size and bound (the largest population runs fewer: it costs about N² per step).
SEEDS = {100: 40, 300: 40, 1000: 12}
QUICK_SEEDS = {100: 10, 300: 10, 1000: 3}
#: Where the published threshold lies (Fortunato 2005: about 0.2 as the population grows).
THRESHOLD = 0.2
MAX_STEPS = 1000
#: A run ends in consensus when every opinion lies within this of every other.
CONSENSUS_SPREAD = 1e-6


def hk_run(agents: int, bound: float, seed: int) -> tuple[np.ndarray, int]:
    """Final opinions of a Hegselmann-Krause run with the model's :func:`model.mechanisms.bounded_confidence_step`:
    opinions uniform on [0, 1], everyone talks with everyone (itself included, as in the published rule), weight 1,
    μ = 1, so each agent moves to the mean opinion of those within the bound; until nothing moves. Returns the
    opinions and the steps taken."""
    rng = np.random.default_rng(seed)
    values = rng.random((agents, 1))
    idx = np.arange(agents)
    src, dst = np.repeat(idx, agents), np.tile(idx, agents)
    for step in range(1, MAX_STEPS + 1):
        new = mech.bounded_confidence_step(values, src, dst, 1.0, bound, 1.0)
        moved = float(np.max(np.abs(new - values)))
        values = new
        if moved < 1e-12:
            return values[:, 0], step
    return values[:, 0], MAX_STEPS


def crossing(shares: list[float]) -> float:
    """The bound where the share of runs in consensus first reaches one half (linear between the bounds; nan if it
    never does)."""
    for k, share in enumerate(shares):
        if share >= 0.5:
            if k == 0:
                return BOUNDS[0]
            x0, x1, y0, y1 = BOUNDS[k - 1], BOUNDS[k], shares[k - 1], share
            return float(x0 + (x1 - x0) * (0.5 - y0) / (y1 - y0))
    return float("nan")


def run(cfg: Config) -> tuple[list[Row], Any]:
    seeds = QUICK_SEEDS if cfg.quick else SEEDS
    consensus: dict[int, list[float]] = {}
    clusters: dict[int, list[float]] = {}
    for n in SIZES:
        consensus[n], clusters[n] = [], []
        for bound in BOUNDS:
            finals = [hk_run(n, bound, 4000 + 97 * n + s)[0] for s in range(seeds[n])]
            consensus[n].append(float(np.mean([np.ptp(v) < CONSENSUS_SPREAD for v in finals])))
            clusters[n].append(float(np.mean([mech.count_major_clusters(v) for v in finals])))
    largest, smallest = SIZES[-1], SIZES[0]
    above = [consensus[largest][BOUNDS.index(b)] for b in (0.25, 0.3)]
    below = [1.0 - consensus[largest][BOUNDS.index(b)] for b in (0.15, 0.18)]
    cross = {n: crossing(consensus[n]) for n in SIZES}
    rows = [
        Row(
            KEY,
            f"bound 0.25 and 0.3, {largest} agents: consensus",
            "-",
            min(above),
            float("nan"),
            float("nan"),
            note=f"effect: the smaller share of runs in consensus ({seeds[largest]} runs each): "
            + ", ".join(f"{s:.2f}" for s in above),
        ),
        Row(
            KEY,
            f"bound 0.15 and 0.18, {largest} agents: no consensus",
            "-",
            min(below),
            float("nan"),
            float("nan"),
            note="effect: the smaller share of runs not in consensus: "
            + ", ".join(f"{s:.2f}" for s in below)
            + f"; mean major clusters {clusters[largest][0]:.1f} and {clusters[largest][1]:.1f}",
        ),
        Row(
            KEY,
            f"the consensus threshold falls toward 0.2 as the population grows ({smallest} to {largest} agents)",
            "-",
            cross[smallest] - cross[largest],
            float("nan"),
            float("nan"),
            note="effect: the fall of the bound where half the runs reach consensus; "
            + ", ".join(f"{n} agents {cross[n]:.3f}" for n in SIZES),
        ),
        Row(
            KEY,
            f"the consensus threshold at {largest} agents is about 0.2",
            "-",
            abs(cross[largest] - THRESHOLD),
            float("nan"),
            float("nan"),
            note=f"effect: distance from 0.2 of the bound where half the runs reach consensus ({cross[largest]:.3f})",
        ),
    ]
    return rows, {"consensus": consensus, "clusters": clusters, "crossing": cross, "seeds": seeds}


def draw(data: dict[str, Any], cfg: Config):
    plt = plotting.pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 3.8))
    for k, n in enumerate(SIZES):
        left.plot(
            BOUNDS, data["consensus"][n], "o-", color=plotting.colour(k), label=f"{n} agents ({data['seeds'][n]} runs)"
        )
        right.plot(BOUNDS, data["clusters"][n], "o-", color=plotting.colour(k), label=f"{n} agents")
    for ax in (left, right):
        ax.axvline(THRESHOLD, color="grey", ls=":", lw=1)
        ax.set_xlabel("confidence bound")
        ax.grid(alpha=0.3)
    left.set_ylabel("share of runs ending in consensus")
    right.set_ylabel("major clusters (>= 5% of agents), mean")
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    fig.suptitle(
        "The model's bounded_confidence_step as Hegselmann-Krause (everyone with everyone, mu = 1): consensus above "
        "a bound of about 0.2 (Fortunato 2005)",
        fontsize=11,
    )
    return plotting.finish(fig)


TEXT = """\
The model's vision sessions move values with `bounded_confidence_step`: every partner takes the mean of the pulls of
all its partners within the confidence bound at once, the rule of Hegselmann and Krause (2002), not Deffuant's
pairwise one. Run as the published model (opinions uniform on [0, 1], everyone talks with everyone, itself included,
weight 1, μ = 1, until nothing moves), the model's own function reproduces the result for that rule: for large
populations opinions end in consensus when the bound exceeds about 0.2, and in several clusters below it, with a
transition that sharpens and moves toward 0.2 as the population grows (Fortunato 2005, complete graph). A run ends in
consensus when all opinions lie within 10^-6; the threshold is the bound where half the runs reach consensus
(linear between the bounds of the grid). In the model the rule is damped (μ = 0.3 · legitimacy · dose), weighted by
respect and runs over the network's relations only, so this checks the rule the model uses, not the model's
networks.
"""

CHECKS = (
    Check(
        "bound 0.25 and 0.3, * agents: consensus",
        EMERGENT,
        0.9,
        "share of runs ending in consensus (0-1)",
        why="the published result is consensus in (almost) every run above the threshold: at least 9 runs in 10",
        basis="emerges from the averaging rule; no equation states it",
    ),
    Check(
        "bound 0.15 and 0.18, * agents: no consensus",
        EMERGENT,
        0.9,
        "share of runs not ending in consensus (0-1)",
        why="the published result is fragmentation in (almost) every run below the threshold: at least 9 runs in 10",
        basis="emerges from the averaging rule; no equation states it",
    ),
    Check(
        "the consensus threshold falls toward 0.2 as the population grows *",
        EMERGENT,
        0.01,
        "confidence bound",
        why="the bound is on a 0-1 scale: a fall below 0.01 is no move at the grid's resolution (steps of 0.02-0.05)",
        basis="emerges from the averaging rule (finite-size effect)",
    ),
    Check(
        "the consensus threshold at * agents is about 0.2",
        EMERGENT,
        0.03,
        "confidence bound: distance from 0.2",
        why="'about 0.2' is stated to one decimal and the largest population here is finite: within 0.03, less than "
        "the grid step from 0.22 to 0.25",
        basis="emerges from the averaging rule",
        zero_one=False,
        at_most=True,
    ),
)

PATTERN = SubMechanism(
    key=KEY,
    title="Bounded confidence as the model averages",
    source="Hegselmann & Krause 2002; Fortunato 2005",
    mechanisms="`mechanisms.bounded_confidence_step`, `count_major_clusters`",
    run=run,
    figure="validation_S4_hegselmann_krause.png",
    draw=draw,
    text=TEXT,
    checks=CHECKS,
)
