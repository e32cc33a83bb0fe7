"""What happened in a training session, told from the model's own record: per-relation history, the dilemmas'
consequences and one sentence per concept.

**History.** :class:`History` records, at the start and after every week of a session, the trust and respect of
every relation (both directions), the equality, freedom, accountability and transparency of every partner, who was
in the network, and what happened that week: the model's own events (incidents and how they were handled, exits,
joins, lead successions), the dilemma that fired and the option chosen, and the trainee's interventions aimed at
named partners. It costs a few arrays of the network's size a week (104 weeks of sociaal_domein, 27 partners and
140 relations: about 330 kB).

**One sentence per concept** (:func:`concept_sentences`). For each of the six concepts the sentence gives the
network's mean at the start and the end, and the relation (trust, respect: the mean of both directions) or the
partner (equality, freedom, accountability, transparency) that changed most between the start and the end, among
those in the network at both. Of that relation or partner it names the week of its largest change in the same
direction and what preceded it: the events of that week that concern it, in this order of precedence: a dilemma
that names one of its partners, an incident of one of them, one of them leaving or joining, a change of lead, an
intervention of the trainee aimed at one of them, a dilemma that names no partner (it acts on the whole network).
When nothing of these happened that week, the sentence says the change drifted: it names no cause the record does
not hold. It ends with what came after: recovered, partly recovered or did not recover (after a fall), held, partly
held or lost (after a rise), by the recorded numbers.

**A dilemma's consequences** (:func:`dilemma_outcomes`). For every dilemma that fired, each of its options is
played from the start of that week in the same world: the option's actions, the trainee's own hours of that week
and of the later weeks (capped at what the week leaves), and later dilemmas answered as the trainee answered them
when the same one fires (else by its first option, the declared default); after :data:`WEEKS_ON` weeks (or the
session's end) the table gives relation health, task progress and the trust of the partners the dilemma concerns.
The chosen option's row replays the trainee's own path exactly.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from experiments.texts import intervention_label, metric_label
from model.metrics import SIX_CONCEPTS

WEEKS_ON = 4
#: A change smaller than this (on the 0-1 scale) is told as "hardly changed".
LEVEL = 0.005
PAIR_CONCEPTS = ("trust", "respect")
PARTNER_CONCEPTS = ("equality", "freedom", "accountability", "transparency")
#: Event kinds in order of precedence when several concern the same relation or partner in the same week.
PRECEDENCE = ("dilemma", "incident", "exit", "join", "lead_succession", "intervention", "network_dilemma")


@dataclass(frozen=True)
class StoryEvent:
    """Something that happened in a week, and the partners it concerns.

    Attributes:
        week: the week (1 = the first).
        kind: "dilemma" (it names partners), "network_dilemma" (it names none), "incident", "exit", "join",
            "lead_succession" or "intervention" (the trainee's, aimed at partners).
        partners: the partners it concerns.
        title: a dilemma's title (``{"nl": ..., "en": ...}``, its placeholders filled), else empty.
        option: the chosen option's label (idem), else empty.
        accounted: an incident handled as learning (True) or as blame (False).
        intervention: an intervention's id.
    """

    week: int
    kind: str
    partners: tuple[str, ...] = ()
    title: dict[str, str] = field(default_factory=dict)
    option: dict[str, str] = field(default_factory=dict)
    accounted: bool = False
    intervention: str = ""


class History:
    """Per-relation and per-partner values at week 0 and after every week, and the events of every week."""

    def __init__(self, model: Any) -> None:
        st = model.state
        self.names: list[str] = list(st.names)
        self.src = np.array(st.src, copy=True)
        self.dst = np.array(st.dst, copy=True)
        self.rev = np.array(st.rev, copy=True)
        self.values: dict[str, list[np.ndarray]] = {c: [] for c in SIX_CONCEPTS}
        self.network: dict[str, list[float]] = {c: [] for c in SIX_CONCEPTS}
        self.active: list[np.ndarray] = []
        self.edge_active: list[np.ndarray] = []
        self.events: list[StoryEvent] = []
        self._seen_model_events = 0
        self.record(model)

    @property
    def weeks(self) -> int:
        """Weeks recorded after week 0."""
        return len(self.active) - 1

    def record(self, model: Any) -> None:
        """Record the state after a week (or at the start) and the model's events since the last record."""
        st = model.state
        self.values["trust"].append(np.array(st.trust(), dtype=float))
        self.values["respect"].append(np.array(st.respect, dtype=float))
        self.values["equality"].append(np.array(st.equality, dtype=float))
        self.values["freedom"].append(np.array(st.freedom, dtype=float))
        self.values["accountability"].append(np.array(st.accountability, dtype=float))
        self.values["transparency"].append(np.array(st.openness * (1.0 - st.penalty), dtype=float))
        for c in SIX_CONCEPTS:
            self.network[c].append(float(model.last_metrics[c]))
        self.active.append(np.array(st.active, dtype=bool))
        self.edge_active.append(np.array(st.edge_active, dtype=bool))
        week = self.weeks  # the model's events since the last record happened in this week (a partner that
        # joins or leaves by a dilemma's option does so at its start, before the week's own events)
        for e in model.events[self._seen_model_events :]:
            kind = e["event"]
            if kind in ("incident", "exit", "join", "lead_succession"):
                self.events.append(StoryEvent(week, kind, (str(e["partner"]),), accounted=bool(e.get("accounted"))))
        self._seen_model_events = len(model.events)

    def note_week(self, week: int, firing: Any, chosen: str | None, decisions: list[Any]) -> None:
        """Record what the trainee did in ``week``: the dilemma that fired (a :class:`Firing`, or ``None``) and the
        option ``chosen``, and the interventions aimed at named partners."""
        if firing is not None and chosen is not None:
            option = firing.dilemma.option(chosen)
            partners = bound_partners(firing.bound)
            self.events.append(
                StoryEvent(
                    week,
                    "dilemma" if partners else "network_dilemma",
                    partners,
                    title={lang: firing.title(lang) for lang in ("nl", "en")},
                    option={lang: firing.label(option, lang) for lang in ("nl", "en")},
                )
            )
        for d in decisions:
            if d.targets:
                self.events.append(StoryEvent(week, "intervention", tuple(d.targets), intervention=d.intervention))

    # ---- series ------------------------------------------------------------------------------------------------

    def series(self, concept: str) -> tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]:
        """Per unit (a relation for trust and respect: the mean of both directions; a partner otherwise): its values
        per week (rows: weeks 0..n, a column per unit), whether it was in the network, and its partners."""
        values = np.array(self.values[concept])
        if concept in PAIR_CONCEPTS:
            forward = np.flatnonzero(self.src < self.dst)
            back = self.rev[forward]
            edge_active = np.array(self.edge_active)
            series = (values[:, forward] + values[:, back]) / 2
            active = edge_active[:, forward] & edge_active[:, back]
            return series, active, [(self.names[self.src[e]], self.names[self.dst[e]]) for e in forward]
        return values, np.array(self.active), [(n,) for n in self.names]


def bound_partners(bound: dict[str, Any]) -> tuple[str, ...]:
    """The partners a firing dilemma concerns, in order, once each."""
    names: list[str] = []
    for key in ("partner", "pair", "newcomer", "own"):
        value = bound.get(key)
        if value is None:
            continue
        names.extend(value if isinstance(value, tuple | list) else [value])
    return tuple(dict.fromkeys(str(n) for n in names))


# ---- one sentence per concept ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConceptStory:
    """What the sentence of one concept says, as numbers (the sentence is :func:`concept_sentence`).

    Attributes:
        concept: one of the six concepts.
        network: the network's mean at the start and the end.
        partners: the relation's two partners, or the partner, that changed most (empty: none to compare).
        start, end: its value at the start and the end.
        week: the week of its largest change in the direction of the net change (0: no change).
        change: that week's change.
        before: its value before that week.
        after: its value after that week.
        events: the events of that week that concern it, in order of precedence (empty: it drifted).
        weeks: the weeks recorded (a change in the last week has no afterwards).
    """

    concept: str
    network: tuple[float, float]
    partners: tuple[str, ...] = ()
    start: float = math.nan
    end: float = math.nan
    week: int = 0
    change: float = 0.0
    before: float = math.nan
    after: float = math.nan
    events: tuple[StoryEvent, ...] = ()
    weeks: int = 0


def concept_story(history: History, concept: str) -> ConceptStory:
    """The numbers behind the sentence of ``concept`` (see the module's docstring)."""
    network = (history.network[concept][0], history.network[concept][-1])
    series, active, partners = history.series(concept)
    if history.weeks < 1 or series.shape[1] == 0:
        return ConceptStory(concept, network, weeks=history.weeks)
    both = active[0] & active[-1]
    net = np.where(both, series[-1] - series[0], np.nan)
    if np.all(np.isnan(net)):
        return ConceptStory(concept, network, weeks=history.weeks)
    k = int(np.nanargmax(np.abs(net)))  # the first of equals
    values, present = series[:, k], active[:, k]
    steps = np.diff(values)
    steps = np.where(present[1:] & present[:-1], steps, np.nan)
    sign = 1.0 if net[k] >= 0 else -1.0
    signed = sign * steps
    if np.all(np.isnan(signed)) or np.nanmax(signed) <= 0:
        week = 0
        change = 0.0
    else:
        week = int(np.nanargmax(signed)) + 1
        change = float(steps[week - 1])
    who = set(partners[k])
    events: tuple[StoryEvent, ...] = ()
    if week:
        found = [
            e
            for e in history.events
            if e.week == week and (e.kind in ("network_dilemma", "lead_succession") or who & set(e.partners))
        ]
        events = tuple(sorted(found, key=lambda e: PRECEDENCE.index(e.kind)))
    return ConceptStory(
        concept,
        network,
        partners[k],
        float(values[0]),
        float(values[-1]),
        week,
        change,
        float(values[week - 1]) if week else math.nan,
        float(values[week]) if week else math.nan,
        events,
        history.weeks,
    )


def number(value: float, lang: str, signed: bool = False) -> str:
    """A value with two decimals, a decimal comma in Dutch, a true minus sign."""
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    text = text.replace("-", "−")
    return text.replace(".", ",") if lang == "nl" else text


def _quote(text: str, lang: str) -> str:
    return f"‘{text}’" if lang == "nl" else f"“{text}”"


def event_text(event: StoryEvent, lang: str) -> str:
    """An event in words ("the dilemma “...” (chosen: “...”)", "an incident at X that was met with blame")."""
    who = " en ".join(event.partners) if lang == "nl" else " and ".join(event.partners)
    if event.kind in ("dilemma", "network_dilemma"):
        title, option = _quote(event.title.get(lang, ""), lang), _quote(event.option.get(lang, ""), lang)
        return f"het dilemma {title} (gekozen: {option})" if lang == "nl" else f"the dilemma {title} (chosen: {option})"
    if event.kind == "incident":
        if lang == "nl":
            if event.accounted:
                return f"een incident bij {who} waarover lerend verantwoording werd afgelegd"
            return f"een incident bij {who} dat met schuld werd beantwoord"
        how = "that was accounted for as learning" if event.accounted else "that was met with blame"
        return f"an incident at {who} {how}"
    if event.kind == "exit":
        return f"het vertrek van {who} uit het netwerk" if lang == "nl" else f"{who} leaving the network"
    if event.kind == "join":
        return f"de toetreding van {who}" if lang == "nl" else f"{who} joining the network"
    if event.kind == "lead_succession":
        return f"de overname van de leiding door {who}" if lang == "nl" else f"{who} taking over the lead"
    label = intervention_label(event.intervention, lang).lower()
    return f"uw {label} met {who}" if lang == "nl" else f"your {label} with {who}"


_SUBJECT = {
    "trust": ("het vertrouwen tussen {a} en {b}", "trust between {a} and {b}"),
    "respect": ("het respect tussen {a} en {b}", "respect between {a} and {b}"),
    "equality": ("de gelijkwaardigheid die {a} ervaart", "the equality {a} experiences"),
    "freedom": ("de handelingsvrijheid van {a}", "the freedom of {a}"),
    "accountability": ("de verantwoordelijkheid van {a}", "the accountability of {a}"),
    "transparency": ("de transparantie van {a}", "the transparency of {a}"),
}


def concept_sentence(story: ConceptStory, lang: str) -> str:
    """The sentence of one concept in plain Dutch (``"nl"``) or English, true to the numbers of ``story``."""
    nl = lang == "nl"
    label = metric_label(story.concept, lang)
    head = f"{label.capitalize()} ({'netwerk' if nl else 'network'}: {number(story.network[0], lang)} → "
    head += f"{number(story.network[1], lang)})"
    if not story.partners:
        return head + (": geen relatie of partner om te vergelijken." if nl else ": no relation or partner to compare.")
    subject = _SUBJECT[story.concept][0 if nl else 1].format(a=story.partners[0], b=story.partners[-1])
    span = f"{number(story.start, lang)} {'naar' if nl else 'to'} {number(story.end, lang)}"
    net = story.end - story.start
    if abs(net) < LEVEL and abs(story.change) < LEVEL:
        if nl:
            return f"{head}: nergens een duidelijke verandering; het meest bewoog {subject} (van {span})."
        return f"{head}: no clear change anywhere; {subject} moved most (from {span})."
    rose = net >= 0
    if nl:
        text = f"{head}: het meest veranderde {subject}, van {span} ({'omhoog' if rose else 'omlaag'})"
    else:
        text = f"{head}: {subject} changed most; it {'rose' if rose else 'fell'} from {span}"
    if not story.week:
        return text + "."
    step = f"{change_number(story.change, lang)} in week {story.week}"
    if story.events:
        first = event_text(story.events[0], lang)
        more = len(story.events) - 1
        if more and nl:
            first += f" (en nog {more} gebeurtenis{'sen' if more > 1 else ''} die week)"
        elif more:
            first += f" (and {more} more event{'s' if more > 1 else ''} that week)"
        if nl:
            text += f". De grootste {'stijging' if rose else 'daling'} ({step}) kwam na {first}"
        else:
            text += f". The largest {'rise' if rose else 'fall'} ({step}) came after {first}"
    elif nl:
        text += (
            f"; een geleidelijke verschuiving: de grootste {'stijging' if rose else 'daling'} ({step}) volgde op geen "
            "gebeurtenis die hen betrof"
        )
    else:
        text += f"; it drifted: its largest {'rise' if rose else 'fall'} ({step}) followed no event that concerned them"
    return text + _after(story, lang) + "."


def change_number(value: float, lang: str) -> str:
    """A week's change with its sign and three decimals (small weekly changes stay visible)."""
    text = f"{value:+.3f}".replace("-", "−")
    return text.replace(".", ",") if lang == "nl" else text


def _after(story: ConceptStory, lang: str) -> str:
    """What came after the largest change, by the numbers: recovered, partly or not (a fall); the gain held,
    partly or not (a rise). Nothing when the change came in the last week."""
    nl = lang == "nl"
    if story.week == 0 or story.week >= story.weeks:
        return ""
    end, before, after = (number(v, lang) for v in (story.end, story.before, story.after))
    numbers = f"{before} {'ervoor' if nl else 'before'}, {end} {'aan het eind' if nl else 'at the end'}"
    if story.change < 0:
        if story.end >= story.before:
            return f"; daarna volgde herstel ({numbers})" if nl else f"; afterwards it recovered ({numbers})"
        if story.end > story.after:
            part = "; daarna volgde deels herstel" if nl else "; afterwards it recovered in part"
            return f"{part} ({numbers})"
        return f"; daarna volgde geen herstel ({numbers})" if nl else f"; afterwards it did not recover ({numbers})"
    numbers = f"{after} {'erna' if nl else 'after it'}, {end} {'aan het eind' if nl else 'at the end'}"
    if story.end >= story.after:
        return f"; die winst bleef ({numbers})" if nl else f"; the gain held ({numbers})"
    if story.end > story.before:
        return f"; een deel van die winst bleef ({numbers})" if nl else f"; part of the gain held ({numbers})"
    return f"; die winst ging weer verloren ({numbers})" if nl else f"; the gain was lost again ({numbers})"


def concept_stories(history: History) -> list[ConceptStory]:
    """The numbers of the six sentences, in the concepts' order."""
    return [concept_story(history, concept) for concept in SIX_CONCEPTS]


def concept_sentences(history: History, lang: str) -> list[str]:
    """One sentence per concept (see the module's docstring)."""
    return [concept_sentence(s, lang) for s in concept_stories(history)]


# ---- a dilemma's consequences ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionOutcome:
    """Where the network stood after an option of a dilemma, ``weeks_on`` weeks after the decision."""

    option: str
    label: dict[str, str]
    chosen: bool
    health: float
    task_progress: float
    partners_trust: float


@dataclass(frozen=True)
class DilemmaOutcome:
    """A dilemma that fired, the option chosen and every option's consequences (:func:`dilemma_outcomes`).

    Attributes:
        week: the week it fired in.
        dilemma: its id.
        title, text: its title and text per language (placeholders filled).
        partners: the partners it concerns (empty: the network).
        weeks_on: weeks after the decision at which the outcomes are taken (:data:`WEEKS_ON`, or fewer at the
            session's end).
        rows: per option, in the dilemma's order.
    """

    week: int
    dilemma: str
    title: dict[str, str]
    text: dict[str, str]
    partners: tuple[str, ...]
    weeks_on: int
    rows: tuple[OptionOutcome, ...]


def partners_trust(model: Any, partners: tuple[str, ...]) -> float:
    """The trust of the partners a dilemma concerns: for a pair, the mean of its two directions; else the mean over
    the active relations from or to any of them; without partners, the network's trust. NaN: none active."""
    st = model.state
    if not partners:
        return float(model.last_metrics["trust"])
    index = [st.index[p] for p in partners if p in st.index]
    trust = st.trust()
    mask = np.isin(st.src, index) | np.isin(st.dst, index)
    if len(partners) == 2 and len(index) == 2:
        mask = np.isin(st.src, index) & np.isin(st.dst, index)
    mask &= st.edge_active
    return float(np.mean(trust[mask])) if mask.any() else math.nan


def dilemma_outcomes(session: Any, starts: dict[int, Any]) -> list[DilemmaOutcome]:
    """Every option of each dilemma that fired, played from the start of its week (``starts``: week -> the
    trainee's :class:`TrainingPlay` at the start of that week, waiting for the answer; used up here) for up to
    :data:`WEEKS_ON` weeks, the trainee's own hours and later answers kept (see the module's docstring)."""
    out = []
    last = session.weeks_played
    for week, start in sorted(starts.items()):
        firing = start.firing
        choice = session.choice_of(week)
        partners = bound_partners(firing.bound)
        weeks_on = min(WEEKS_ON, last - week + 1)
        rows = []
        for k, option in enumerate(firing.dilemma.options):
            play = start if k == len(firing.dilemma.options) - 1 else copy.deepcopy(start)
            play.choose(option.id)
            play.apply(session.decisions[week - 1], lenient=True)
            play.step()
            for later in range(week + 1, week + weeks_on):
                play.play_week(session.choice_of(later), session.decisions[later - 1], lenient=True)
            model = play.model
            rows.append(
                OptionOutcome(
                    option.id,
                    {lang: firing.label(option, lang) for lang in ("nl", "en")},
                    choice is not None and choice.option == option.id,
                    float(model.last_metrics["health"]),
                    float(model.task_progress),
                    partners_trust(model, partners),
                )
            )
        out.append(
            DilemmaOutcome(
                week,
                firing.dilemma.id,
                {lang: firing.title(lang) for lang in ("nl", "en")},
                {lang: firing.text(lang) for lang in ("nl", "en")},
                partners,
                weeks_on,
                tuple(rows),
            )
        )
    return out


def outcome_work(starts: dict[int, Any], weeks: int, partners: int) -> int:
    """Partner-weeks of :func:`dilemma_outcomes` (options times weeks on, a network below 50 counting as 50)."""
    total = 0
    for week, start in starts.items():
        total += len(start.firing.dilemma.options) * min(WEEKS_ON, weeks - week + 1)
    return total * max(int(partners), 50)
