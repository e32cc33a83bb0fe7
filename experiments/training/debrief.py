"""The debrief of a training session: the same world replayed under the built-in strategies, and the moments
where the trainee's choices mattered most.

The world's random draws depend only on the seed and the week (``CollaborationModel.world_uniforms``), so each
strategy faces exactly the incidents and noise the trainee faced. The moments are found by counterfactual
replays: for each played week, the trainee's session with that one week's choices replaced by what the best
strategy would have done in the trainee's situation that week (the director plays that strategy's week,
:meth:`model.agents.Director.play`, on the trainee's state), ranked by the difference in task progress at the end.

In a training session the strategies meet the dilemmas too, so that they play the same world: a strategy answers
every dilemma that fires on its path with the dilemma's first option (:func:`default_option`, the declared default:
a dilemma file lists its options with the default first), and then spends the hours the option left as it plans.

The debrief also tells what happened (:mod:`experiments.training.story`): the trainee's path is replayed once with
a per-relation :class:`~experiments.training.story.History`, from which one sentence per concept is made, and every
dilemma that fired is replayed with each of its options (:func:`experiments.training.story.dilemma_outcomes`).
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from experiments.texts import intervention_label, strategy_label, tr
from experiments.training.play import TrainingPlay
from experiments.training.session import Decision, TrainingSession
from experiments.training.story import DilemmaOutcome, History, dilemma_outcomes, outcome_work
from model import SIX_CONCEPTS, CollaborationModel

STRATEGIES = ("none", "task_focus", "relation_focus", "balanced", "adaptive")
PANELS = ("task_progress", *SIX_CONCEPTS)
TOP_MOMENTS = 3
#: The counterfactual replays of one debrief, in partner-weeks: every played week replays the rest of the session,
#: so the work grows with the square of the weeks (a network below 50 partners counts as 50, the cost of a step).
#: 104 weeks of sociaal_domein are about 270,000; a session file of 520 weeks of 2,000 partners would be 270
#: million (hours of a processor), so above this budget the moments are left out and the debrief says so.
MAX_COUNTERFACTUAL_WORK = 1_500_000
#: The per-relation history of a debrief, in values (two per relation and four per partner, a week): 104 weeks of
#: sociaal_domein are about 12,000, a year of a generated network of 2,000 partners about 2 million; above this
#: budget (a crafted session file) the sentences per concept are left out and the report says so.
MAX_HISTORY_VALUES = 5_000_000


@dataclass
class Moment:
    """One week where replacing the trainee's choices by the best strategy's changes the end result.

    Attributes:
        week: the week (1 = the first week).
        yours: the trainee's decisions that week.
        theirs: the best strategy's plan in the trainee's situation: (intervention, hours, partner names or None).
        diff_task: task progress at the end, counterfactual minus the trainee's.
        diff_health: relationship health at the end, counterfactual minus the trainee's.
        answered: whether the trainee answered a dilemma that week (the counterfactual keeps that answer).
    """

    week: int
    yours: list[Decision]
    theirs: list[tuple[str, float, list[str] | None]]
    diff_task: float
    diff_health: float
    answered: bool = False


@dataclass
class Debrief:
    """The result of :func:`compute_debrief`.

    Attributes:
        weeks: weeks compared (the weeks the trainee played).
        paths: per path ("you" and each strategy) the per-week metrics (step 0 .. weeks).
        best: the strategy with the highest task progress at the end.
        moments: all counterfactual weeks, ranked by |diff_task| (largest first).
        seconds: wall time of the computation.
        scenario_title: for the report's heading.
        seed: the world's seed.
        moments_skipped: the session was too large for the counterfactual replays (:data:`MAX_COUNTERFACTUAL_WORK`).
        partners: partners in the network (at the start).
        history: the trainee's path, relation by relation, with its events (:class:`History`), or ``None``: too
            large to record (:data:`MAX_HISTORY_VALUES`).
        dilemmas: each dilemma that fired, with every option's consequences (:func:`dilemma_outcomes`).
        dilemmas_skipped: the session was too large to replay every option (:data:`MAX_COUNTERFACTUAL_WORK`).
        training_title: a training scenario's title per language, else empty.
    """

    weeks: int
    paths: dict[str, pd.DataFrame]
    best: str
    moments: list[Moment] = field(default_factory=list)
    seconds: float = 0.0
    scenario_title: str = ""
    seed: int = 0
    moments_skipped: bool = False
    partners: int = 0
    history: History | None = None
    dilemmas: list[DilemmaOutcome] = field(default_factory=list)
    dilemmas_skipped: bool = False
    training_title: dict[str, str] = field(default_factory=dict)

    def final_table(self) -> pd.DataFrame:
        """Per path the end values of task progress and the six concepts."""
        rows = {name: df.iloc[-1][list(PANELS)] for name, df in self.paths.items()}
        return pd.DataFrame(rows).T


def counterfactual_work(weeks: int, partners: int) -> int:
    """The partner-weeks of the counterfactual replays of a debrief of ``weeks`` weeks."""
    return weeks * (weeks + 1) // 2 * max(int(partners), 50)


def compute_debrief(session: TrainingSession, counterfactuals: bool = True) -> Debrief:
    """Replay the session's world under the built-in strategies and rank the weeks by counterfactual impact
    (the counterfactuals only within :data:`MAX_COUNTERFACTUAL_WORK`).

    Raises:
        ValueError: the session has no played week yet.
    """
    started = time.perf_counter()
    weeks = session.weeks_played
    if weeks < 1:
        raise ValueError("the debrief needs at least one played week")
    paths: dict[str, pd.DataFrame] = {}
    finals: dict[str, float] = {}
    partners = 0
    for strategy in STRATEGIES:
        model = strategy_path(session, strategy, weeks)
        partners = model.state.n
        paths[strategy] = model.datacollector.get_model_vars_dataframe()
        finals[strategy] = float(model.task_progress)
    best = max(STRATEGIES, key=lambda s: (finals[s], -STRATEGIES.index(s)))
    skipped = counterfactuals and counterfactual_work(weeks, partners) > MAX_COUNTERFACTUAL_WORK
    counterfactuals = counterfactuals and not skipped

    # the trainee's path (with the dilemmas it met), recorded relation by relation, keeping the play at the start
    # of every week for the counterfactuals and at the start of every week with a dilemma for its options
    play = session.new_play()
    st = play.model.state
    history = History(play.model) if (weeks + 1) * (2 * st.m + 4 * st.n) <= MAX_HISTORY_VALUES else None
    snapshots: list[TrainingPlay] = []
    starts: dict[int, TrainingPlay] = {}
    for week, week_decisions in enumerate(session.decisions, start=1):
        if counterfactuals:
            snapshots.append(copy.deepcopy(play))
        firing = play.firing
        if firing is not None:
            starts[week] = copy.deepcopy(play)
        choice = session.choice_of(week)
        play.play_week(choice, week_decisions)
        if history is not None:
            history.note_week(week, firing, choice.option if choice is not None else None, week_decisions)
            history.record(play.model)
    model = play.model
    trainee = model.datacollector.get_model_vars_dataframe()
    paths = {"you": trainee, **paths}
    end_task, end_health = float(model.task_progress), float(model.health)
    dilemmas_skipped = outcome_work(starts, weeks, partners) > MAX_COUNTERFACTUAL_WORK
    outcomes = [] if dilemmas_skipped else dilemma_outcomes(session, starts)

    moments = [
        counterfactual_moment(session, week, start, best, end_task, end_health)
        for week, start in enumerate(snapshots, start=1)
    ]
    moments.sort(key=lambda m: (-abs(m.diff_task), m.week))
    return Debrief(
        weeks=weeks,
        paths=paths,
        best=best,
        moments=moments,
        seconds=time.perf_counter() - started,
        scenario_title=model.scenario_spec.title,
        seed=session.seed,
        moments_skipped=skipped,
        partners=partners,
        history=history,
        dilemmas=outcomes,
        dilemmas_skipped=dilemmas_skipped,
        training_title=dict(session.training_scenario().title) if session.training is not None else {},
    )


def counterfactual_moment(
    session: TrainingSession,
    week: int,
    start: TrainingPlay | CollaborationModel,
    strategy: str,
    end_task: float,
    end_health: float,
) -> Moment:
    """The session replayed from ``start`` (the trainee's play, or model, at the start of ``week``, used up here)
    with that week's hours played by ``strategy`` (:meth:`model.agents.Director.play`) and the later weeks as the
    trainee chose them (their hours capped at what the counterfactual week leaves). The week's dilemma keeps the
    trainee's answer; a dilemma that fires in a later week of the counterfactual world gets the trainee's answer if
    it is the same dilemma, else its first option (:meth:`TrainingPlay.play_week`, lenient)."""
    if isinstance(start, CollaborationModel):  # a session without dilemmas, from its model
        start = TrainingPlay(start)
    names = start.model.state.names
    answered = start.waiting
    if start.waiting:
        choice = session.choice_of(week)
        fired = start.firing.dilemma if start.firing is not None else None
        assert fired is not None
        start.choose(choice.option if choice is not None and choice.dilemma == fired.id else fired.options[0].id)
    spent = start.model.director.play(strategy)
    start.step()
    for later_week, later in enumerate(session.decisions[week:], start=week + 1):
        start.play_week(session.choice_of(later_week), later, lenient=True)
    model = start.model
    return Moment(
        week=week,
        yours=session.decisions[week - 1],
        theirs=[(iv, hours, None if t is None else [names[int(i)] for i in t]) for iv, hours, t in spent],
        diff_task=float(model.task_progress) - end_task,
        diff_health=float(model.health) - end_health,
        answered=answered,
    )


def strategy_model(session: TrainingSession, strategy: str) -> CollaborationModel:
    """The session's world at week 0 with a built-in strategy as director (a training scenario's newcomers
    outside); :func:`strategy_path` plays it."""
    return session.new_model(strategy)


def default_option(dilemma: Any) -> str:
    """The option a built-in strategy takes at a dilemma: its first, the declared default."""
    return str(dilemma.options[0].id)


def strategy_path(session: TrainingSession, strategy: str, weeks: int) -> CollaborationModel:
    """The session's world played for ``weeks`` weeks by a built-in ``strategy``: in a training session the
    dilemmas fire on its path as on the trainee's (their conditions read its own state) and it answers each with
    :func:`default_option` before spending the week's hours."""
    model = strategy_model(session, strategy)
    if session.training is None:
        model.run_for(weeks)
        return model
    found = session.training_scenario()
    play = TrainingPlay(model, session.dilemmas(), found.name, found.newcomers)
    for _ in range(weeks):
        if play.waiting:
            assert play.firing is not None
            play.choose(default_option(play.firing.dilemma))
        play.step()
    return play.model


# ---- the debrief in words ------------------------------------------------------------------------------------


def describe_decisions(decisions: list[Decision], lang: str) -> str:
    """The trainee's choices of a week in words."""
    return _describe([(d.intervention, d.hours, d.targets) for d in decisions], lang)


def describe_plan(plan: list[tuple[str, float, list[str] | None]], lang: str) -> str:
    """A strategy's plan in words."""
    return _describe(plan, lang)


def _describe(items: list[tuple[str, float, list[str] | None]], lang: str) -> str:
    """Choices grouped by intervention: label, number of times, hours, and the targets of a single choice."""
    if not items:
        return tr("no_choice", lang)
    unit = "h" if lang == "en" else "u"
    grouped: dict[str, list[tuple[float, list[str] | None]]] = {}
    for iv, hours, targets in items:
        grouped.setdefault(iv, []).append((hours, targets))
    parts = []
    for iv, entries in grouped.items():
        hours = sum(h for h, _ in entries)
        times = f" ×{len(entries)}" if len(entries) > 1 else ""
        text = f"{intervention_label(iv, lang)}{times} ({hours:.3g} {unit}"
        targets = entries[0][1]
        if len(entries) == 1 and targets:
            text += ": " + ", ".join(targets[:3]) + (", ..." if len(targets) > 3 else "")
        parts.append(text + ")")
    return "; ".join(parts)


def moment_texts(debrief: Debrief, lang: str, top: int = TOP_MOMENTS) -> list[str]:
    """The top moments as sentences."""
    return [
        tr(
            "moment_better",
            lang,
            week=m.week,
            yours=describe_decisions(m.yours, lang),
            strategy=strategy_label(debrief.best, lang),
            theirs=describe_plan(m.theirs, lang),
            diff=m.diff_task,
            relative=100.0 * m.diff_task / max(float(debrief.paths["you"]["task_progress"].iloc[-1]), 1e-12),
            dhealth=m.diff_health,
        )
        + (" " + tr("moment_answer_kept", lang) if m.answered else "")
        for m in debrief.moments[:top]
    ]


def moments_intro(debrief: Debrief, lang: str) -> str:
    """What the list of moments shows, or why it is empty."""
    if debrief.moments_skipped:
        return tr("moments_skipped", lang, weeks=debrief.weeks, partners=debrief.partners)
    return tr("moments_intro", lang, strategy=strategy_label(debrief.best, lang), weeks=debrief.weeks)


def path_label(name: str, lang: str) -> str:
    """A path's name for people: "you" or the strategy's label."""
    return tr("you", lang) if name == "you" else strategy_label(name, lang)


def final_values(model: CollaborationModel, metrics: Any = PANELS) -> dict[str, float]:
    """The current values of some metrics."""
    return {m: float(model.last_metrics[m]) for m in metrics}
