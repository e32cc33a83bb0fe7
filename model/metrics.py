"""The model's metrics, declared once.

Each :class:`Metric` names a column of the model's per-week table (the DataCollector's model reporters), with its
Dutch and English label, how to show a value, which direction is better, what it is about and its colour in plots.
The command line's table, the plots, the what-if report, the EMA outcomes and the dashboard read from this one
declaration; adding a metric is one entry here (and its computation in
:meth:`CollaborationModel._update_metrics_reference` and in its compiled twin,
:func:`model.compiled.metrics.week_metrics`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

HIGHER, LOWER, NEUTRAL = 1, -1, 0
MISSING_SHOWN = "–"  # how a missing value (NaN: nothing to measure, e.g. no active partner) is shown in a table


@dataclass(frozen=True)
class Metric:
    """One model-level metric.

    Attributes:
        name: the column name (English identifier; part of the public contract).
        label_nl, label_en: labels for people.
        description: one sentence: what it measures, in which unit.
        direction: ``HIGHER`` (+1) if higher is better, ``LOWER`` (-1) if lower is better, ``NEUTRAL`` (0) if
            neither.
        group: what it is about: "concept" (the six concepts), "relations", "information", "task",
            "accountability", "network" or "director".
        count: a whole number (shown without decimals).
        cumulative: counted since week 0 rather than the state of the week.
        colour: its colour in figures (hex), or "" for the figures' default.
        dashboard_colour: its colour in the dashboard's charts when that differs from ``colour``: a thin line on
            the page needs more contrast against white than a line in a figure (transparency's yellow), or ""
            for ``colour``.
        negligible: the largest difference between two arms that does not matter, in the metric's unit
            (:attr:`smallest_difference`; ``None``: one event for a count, 0.01 otherwise — a hundredth of a 0-1
            level, of the reference output, or of what the network at full health achieves in 104 weeks).
    """

    name: str
    label_nl: str
    label_en: str
    description: str
    direction: int = HIGHER
    group: str = "relations"
    count: bool = False
    cumulative: bool = False
    colour: str = ""
    dashboard_colour: str = ""
    negligible: float | None = None

    @property
    def smallest_difference(self) -> float:
        """The smallest difference of interest: a comparison calls a difference better or worse only when it is
        at least this large (:func:`experiments.compare.verdict`)."""
        if self.negligible is not None:
            return self.negligible
        return 1.0 if self.count else 0.01

    def label(self, lang: str) -> str:
        """The label in ``lang`` ("nl" or "en")."""
        return self.label_en if lang == "en" else self.label_nl

    def label_nl_en(self) -> str:
        """Both labels, Dutch first: "vertrouwen (trust)"; one word when the two are the same ("respect")."""
        return self.label_nl if self.label_nl == self.label_en else f"{self.label_nl} ({self.label_en})"

    def colour_in(self, place: str) -> str:
        """Its colour in a ``"figure"`` or on the ``"dashboard"``."""
        return (self.dashboard_colour or self.colour) if place == "dashboard" else self.colour

    def format(self, value: float) -> str:
        """A value for a table: whole numbers for counts, three decimals otherwise, "–" when missing (NaN)."""
        if math.isnan(value):
            return MISSING_SHOWN
        return f"{value:.0f}" if self.count else f"{value:.3f}"


_DECLARED = [
    Metric(
        "trust",
        "vertrouwen",
        "trust",
        "Mean expected trust over active relations (0-1).",
        HIGHER,
        "concept",
        colour="#1b9e77",
    ),
    Metric(
        "respect",
        "respect",
        "respect",
        "Mean respect over active relations (0-1).",
        HIGHER,
        "concept",
        colour="#d95f02",
    ),
    Metric(
        "equality",
        "gelijkwaardigheid",
        "equality",
        "Mean perceived equality of active partners (0-1).",
        HIGHER,
        "concept",
        colour="#7570b3",
    ),
    Metric(
        "freedom",
        "vrijheid",
        "freedom",
        "Mean freedom granted over active relations (0-1).",
        HIGHER,
        "concept",
        colour="#e7298a",
    ),
    Metric(
        "accountability",
        "verantwoordelijkheid",
        "accountability",
        "Mean willingness of active partners to account for their part (0-1).",
        HIGHER,
        "concept",
        colour="#66a61e",
    ),
    Metric(
        "transparency",
        "transparantie",
        "transparency",
        "Mean openness of active partners, less their penalties (0-1).",
        HIGHER,
        "concept",
        colour="#e6ab02",
        dashboard_colour="#1f5fa8",
    ),
    Metric(
        "health",
        "gezondheid relaties",
        "relationship health",
        "Mean of the six concepts (0-1).",
        HIGHER,
        "relations",
        colour="#000000",
    ),
    Metric("doubt", "twijfel", "doubt", "Mean uncertainty of trust over active relations (0-1).", LOWER, "relations"),
    Metric(
        "distrust_share",
        "aandeel wantrouwen",
        "distrust share",
        "Share of active relations in which distrust exceeds trust (0-1).",
        LOWER,
        "relations",
    ),
    Metric(
        "understanding",
        "begrip",
        "understanding",
        "Mean mutual understanding over active relations (0-1).",
        HIGHER,
        "relations",
    ),
    Metric(
        "shared_vision",
        "gedeelde visie",
        "shared vision",
        "One minus the mean value distance over active relations (0-1).",
        HIGHER,
        "relations",
    ),
    Metric(
        "commitment", "betrokkenheid", "commitment", "Mean commitment of active partners (0-1).", HIGHER, "relations"
    ),
    Metric(
        "load",
        "informatielast",
        "information load",
        "Mean information received over processing capacity (above 1: overloaded).",
        LOWER,
        "information",
        colour="#8c564b",
    ),
    Metric(
        "overloaded_share",
        "aandeel overbelast",
        "overloaded share",
        "Share of active partners with a load above 1 (0-1).",
        LOWER,
        "information",
    ),
    Metric(
        "task_rate",
        "taaktempo",
        "task rate",
        "This week's output relative to the reference output.",
        HIGHER,
        "task",
        colour="#888888",
    ),
    Metric(
        "task_progress",
        "voortgang gezamenlijke taak",
        "joint task progress",
        "Cumulative output (1 = what the network at full health achieves in 104 weeks).",
        HIGHER,
        "task",
        cumulative=True,
        colour="#333333",
        dashboard_colour="#111",
    ),
    Metric(
        "incidents",
        "incidenten",
        "incidents",
        "Incidents so far.",
        LOWER,
        "accountability",
        count=True,
        cumulative=True,
    ),
    Metric(
        "accounted",
        "verantwoord",
        "accounted",
        "Incidents accounted for (learning) so far.",
        HIGHER,
        "accountability",
        count=True,
        cumulative=True,
    ),
    Metric(
        "blamed",
        "beschuldigd",
        "blamed",
        "Incidents that led to blame so far.",
        LOWER,
        "accountability",
        count=True,
        cumulative=True,
    ),
    Metric(
        "exits", "uitgetreden", "exits", "Partners that left so far.", LOWER, "network", count=True, cumulative=True
    ),
    Metric(
        "active_partners",
        "actieve partners",
        "active partners",
        "Partners still taking part.",
        HIGHER,
        "network",
        count=True,
    ),
    Metric(
        "equality_gap",
        "gelijkwaardigheidskloof",
        "equality gap",
        (
            "Mean perceived equality of the most powerful third of active partners minus that of the least "
            "powerful third."
        ),
        LOWER,
        "concept",
    ),
    Metric("hours_spent", "bestede uren", "hours spent", "The director's hours spent this week.", NEUTRAL, "director"),
    Metric(
        "legitimacy",
        "legitimiteit regisseur",
        "director's legitimacy",
        "The director's legitimacy in the eyes of the partners (0-1).",
        HIGHER,
        "director",
    ),
    Metric(
        "blame", "verwijtcultuur", "blame level", "The network's current blame level (0-1).", LOWER, "accountability"
    ),
    Metric(
        "frame_clarity", "helderheid kaders", "frame clarity", "Clarity of the agreed frames (0-1).", HIGHER, "network"
    ),
    Metric(
        "director_goal_progress",
        "voortgang eigen doelen regisseur",
        "director's own goal progress",
        "Progress of the goals of the director's own organisation (0 at the start, 1 = reached; 0 when the director "
        "has no goals of its own).",
        NEUTRAL,
        "director",
    ),
    Metric(
        "goal_pressure",
        "druk eigen organisatie",
        "own organisation's pressure",
        "Pressure of the director's own organisation while its goals lag behind schedule (0-1; 0 when the director "
        "has no goals of its own).",
        LOWER,
        "director",
    ),
    Metric(
        "steering_hours",
        "uren sturen op eigen doelen",
        "hours steering on own goals",
        "The director's hours spent steering on its own goals this week (0 when it has no goals of its own).",
        NEUTRAL,
        "director",
    ),
    # ---- board and work floor (switch ``layers``, ODD 7.13) ---------------------------------------------------
    Metric(
        "board_trust",
        "vertrouwen tussen besturen",
        "trust between boards",
        "Mean trust between the partners' boards over active relations (0-1); with the switch layers off (one "
        "layer) the work floor's trust.",
        HIGHER,
        "relations",
    ),
    Metric(
        "alignment",
        "verticale afstemming",
        "vertical alignment",
        "Mean alignment of board and work floor of active partners (0-1); with the switch layers off (one layer) 1.",
        HIGHER,
        "network",
    ),
    Metric(
        "floor_frame_clarity",
        "helderheid kaders op de werkvloer",
        "frame clarity on the work floor",
        "Mean clarity of the agreed frames as active partners' work floors act on them (0-1); with the switch "
        "layers off (one layer) frame clarity.",
        HIGHER,
        "network",
    ),
    Metric(
        "escalations",
        "escalaties",
        "escalations",
        "Blamed incidents escalated to the boards so far; with the switch layers off 0.",
        LOWER,
        "accountability",
        count=True,
        cumulative=True,
    ),
    # ---- dependency (ODD 7.10, model 2) ---------------------------------------------------------------------------
    Metric(
        "dependent_voice",
        "stem van afhankelijken",
        "voice of the dependent",
        (
            "Mean information per unit of openness (0-1) that partners with dependency above the median send along "
            "their relations toward more powerful partners: min(1, 2 T) times their voice (1 with the dependency "
            "switch off, which leaves the part trust plays); 1 where none of them has a more powerful partner, NaN "
            "without active partners."
        ),
        HIGHER,
        "information",
    ),
    Metric(
        "dependent_account",
        "verantwoording door afhankelijken",
        "account by the dependent",
        (
            "Mean factor (0-1) on the chance of giving account of partners with dependency above the median (their "
            "mean voice toward the partners they account to); 1 with the dependency switch off (its neutral value), "
            "NaN without active partners."
        ),
        HIGHER,
        "accountability",
    ),
    Metric(
        "recognition",
        "erkenning van belangen",
        "recognition of interests",
        (
            "Mean recognition of active partners' interests (0-1), raised by recognize_interests and equal_footing; "
            "0 with the dependency switch off (its neutral value)."
        ),
        HIGHER,
        "relations",
    ),
    # ---- the model's second version: appended, so the first version's columns stay first and in order ----
    Metric(
        "partner_contacts",
        "persoonlijke contacten",
        "personal contacts",
        "Pairs of partners who met in personal contact this week (0 with partner_contact off).",
        NEUTRAL,
        "information",
        count=True,
    ),
    Metric(
        "contact_load_relief",
        "ontlasting door contact",
        "load relief by contact",
        (
            "Mean information load of active partners that personal contact with partners handled this week "
            "(0 with partner_contact off; missing with no active partner)."
        ),
        NEUTRAL,
        "information",
    ),
]

METRIC_DECLARATIONS: dict[str, Metric] = {m.name: m for m in _DECLARED}
METRICS: list[str] = [m.name for m in _DECLARED]
SIX_CONCEPTS: list[str] = METRICS[:6]


def metric(name: str) -> Metric:
    """The declaration of a metric (``KeyError`` naming the known metrics if unknown)."""
    try:
        return METRIC_DECLARATIONS[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(METRICS)}") from None


def lower_is_better() -> frozenset[str]:
    """The metrics for which a lower value is better."""
    return frozenset(m.name for m in _DECLARED if m.direction == LOWER)


def without_direction() -> frozenset[str]:
    """The metrics for which neither a higher nor a lower value is better."""
    return frozenset(m.name for m in _DECLARED if m.direction == NEUTRAL)
