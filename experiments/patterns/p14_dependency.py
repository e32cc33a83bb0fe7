"""Pattern 14. Dependency silences: dependent partners share and account less toward more powerful partners, and
a director who recognises their interests restores it (ODD 7.10, model 2; the switch ``dependency``)."""

from __future__ import annotations

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import (
    BY_CONSTRUCTION,
    SCENARIO_LABELS,
    Arm,
    Check,
    Config,
    Pattern,
    Results,
    Row,
    finals,
    one_sample_greater,
    with_scenario,
)

KEY = "14"

#: The built-in scenarios whose partners differ in dependency (all four). synthetic is kept: it draws dependency
#: (uniform 0-0.7) independently of power, so it tests that the effect does not rest on dependent partners being
#: the weak ones, as they are in the three hand-made networks.
SCENARIOS = ("jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein", "synthetic")

#: The smallest effect of interest on the 0-1 metrics: a difference below it is not counted as the pattern.
SMALLEST_EFFECT = 0.02

OFF = "no director, dependency off"
NONE = "no director"
RECOGNISING = "director recognises interests"
ARMS = (OFF, NONE, RECOGNISING)
METRICS = ("dependent_voice", "dependent_account")


def arms(scenario: str, cfg: Config) -> list[Arm]:
    return [
        Arm(OFF, with_scenario(scenario, strategy="none", switches={"dependency": False}), "series"),
        Arm(NONE, with_scenario(scenario, strategy="none"), "series"),
        Arm(RECOGNISING, with_scenario(scenario, strategy="custom", alloc_recognize_interests=1.0), "series"),
    ]


def greater_by(scenario: str, check: str, higher: list, lower: list, metric: str) -> Row:
    """A row for "``metric`` is higher in ``higher`` than in ``lower`` by more than the smallest effect of interest"
    (one-sided paired t-test of the differences against :data:`SMALLEST_EFFECT`); the effect is the mean paired
    difference, d its mean over its standard deviation."""
    d = finals(higher, metric) - finals(lower, metric)
    over, _, p = one_sample_greater(d, SMALLEST_EFFECT)
    effect = over + SMALLEST_EFFECT
    sd = float(np.std(d[np.isfinite(d)], ddof=1))
    dz = effect / sd if sd > 1e-15 else (np.inf if effect > 0 else 0.0)
    return Row(KEY, check, scenario, effect, float(dz), p, note=f"{metric}, over {SMALLEST_EFFECT:g}")


def evaluate(res: dict[str, list], scenario: str, cfg: Config) -> list[Row]:
    off, none, recognising = res[OFF], res[NONE], res[RECOGNISING]
    return [
        greater_by(scenario, "dependency silences the dependent toward the powerful", off, none, "dependent_voice"),
        greater_by(scenario, "dependency lowers their chance of giving account", off, none, "dependent_account"),
        greater_by(scenario, "recognising interests restores their voice", recognising, none, "dependent_voice"),
        greater_by(scenario, "recognising interests restores their account", recognising, none, "dependent_account"),
    ]


def draw(res: Results, cfg: Config):
    plt = plotting.pyplot()
    fig, axes = plt.subplots(2, len(SCENARIOS), figsize=(15, 6.4), sharey="row")
    for col, s in enumerate(SCENARIOS):
        for row, metric in enumerate(METRICS):
            ax = axes[row, col]
            for k, arm in enumerate(ARMS):
                plotting.band(ax, res[s][arm], metric, arm, plotting.colour(k))
            ax.grid(alpha=0.3)
            if row == 0:
                ax.set_title(SCENARIO_LABELS[s], fontsize=10)
            else:
                ax.set_xlabel("week")
    axes[0, 0].set_ylabel("voice of the dependent")
    axes[1, 0].set_ylabel("account by the dependent")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("14. Dependency silences; recognising interests restores voice and account", fontsize=11)
    return plotting.finish(fig)


TEXT = """\
With the switch `dependency` on (ODD 7.10), partner i's voice toward a more powerful partner j is
f_ij = 1 - dependency_i · (power_j - power_i) · (1 - recognition_i): it scales what i sends to j and, as a mean over
i's relations, i's chance of giving account for an incident. `dependent_voice` follows the partners whose dependency
is above the median: the information they send along their relations toward more powerful partners per unit of their
openness (min(1, 2 T) · f; with the switch off only trust plays, and it is near 1); `dependent_account` is their mean
factor on the chance of giving account (1 with the switch off). Without a director nothing recognises their interests
and both fall well below the network without the mechanism; a director who spends its hours on
`recognize_interests` raises the recognition of the partners below median power, which overlap with the dependent
ones in the hand-made networks (and partly, by chance, in the synthetic one), and gives back most of the voice and
the account within months. A difference counts only beyond a smallest effect of interest of 0.02 on these 0-1
metrics. The account factor depends on dependency, power, the relations still active and recognition, none of which
a world draw moves while nobody leaves: in the hand-made networks it is the same in every seed (d is infinite and p
is 0); synthetic draws a new network in every seed.
"""


CHECKS = (
    Check(
        "dependency silences the dependent toward the powerful",
        BY_CONSTRUCTION,
        SMALLEST_EFFECT,
        "voice of the dependent (0-1)",
        basis="voice_factor f = 1 - w · dependency · (power_j - power_i) · (1 - recognition) scales what they send; "
        "dependent_voice is min(1, 2 T) · f",
    ),
    Check(
        "dependency lowers their chance of giving account",
        BY_CONSTRUCTION,
        SMALLEST_EFFECT,
        "account factor of the dependent (0-1)",
        basis="dependent_account is the mean of f over their relations (account_voice_of)",
    ),
    Check(
        "recognising interests restores their voice",
        BY_CONSTRUCTION,
        SMALLEST_EFFECT,
        "voice of the dependent (0-1)",
        basis="recognize_interests raises the recognition of the partners below median power: the (1 - recognition) "
        "factor of f",
    ),
    Check(
        "recognising interests restores their account",
        BY_CONSTRUCTION,
        SMALLEST_EFFECT,
        "account factor of the dependent (0-1)",
        basis="recognize_interests raises the recognition of the partners below median power: the (1 - recognition) "
        "factor of f",
    ),
)


PATTERN = Pattern(
    key=KEY,
    title="Dependency silences",
    claim="Dependent partners share and account less toward more powerful partners; recognising their interests "
    "restores it.",
    source="Model 2, ODD 7.10 (dependency and voice toward more powerful partners); Ansell & Gash 2008 (power and "
    "resource imbalances as a starting condition; weaker stakeholders need to be empowered to take part).",
    experiment="No director with the dependency switch off and on, and a director who spends all hours on "
    "recognize_interests (custom strategy) with it on, paired seeds; final voice and account of the partners with "
    "dependency above the median, each difference tested against a smallest effect of interest of 0.02.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_14_dependency.png",
    draw=draw,
    text=TEXT,
    scenarios=SCENARIOS,
    checks=CHECKS,
)
