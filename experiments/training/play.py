"""A training being played, week by week: the model, the dilemmas that fire and the choices made.

Each week runs in one order, in play and in replay alike:

1. the week starts: settings held by earlier choices are put at their values
   (:class:`~experiments.training.dilemmas.Hold`), and the first dilemma whose conditions hold (and that has not
   fired before) fires (:attr:`TrainingPlay.firing`);
2. the trainee chooses one of its options (:meth:`TrainingPlay.choose`): its actions act at once;
3. the trainee spends the hours left on interventions (:meth:`TrainingPlay.apply`);
4. the model steps (:meth:`TrainingPlay.step`); a network setting whose hold ended returns to the scenario's value.

Everything here is a function of the model's state, so the same seed and choices give the same path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from experiments.training.dilemmas import Dilemma, Firing, Hold, apply_action, apply_hold, evaluate
from model import CollaborationModel
from model.inputs import InputError


@dataclass(frozen=True)
class Choice:
    """The option chosen for the dilemma of a week."""

    dilemma: str
    option: str

    def to_dict(self) -> dict[str, str]:
        return {"dilemma": self.dilemma, "option": self.option}


class TrainingPlay:
    """A model with its dilemmas, at the start of a week.

    Attributes:
        model: the :class:`CollaborationModel` (a manual director for a trainee).
        dilemmas: the dilemmas that may fire, in the order they are tried.
        scenario_name: the training scenario's name (a dilemma may be limited to some scenarios).
        newcomers: partners that started outside the network.
        firing: this week's dilemma, or ``None``.
        chosen: the option chosen this week, or ``None``.
        fired: ids of the dilemmas that have fired.
        holds: settings held by choices.
        base: the network settings' values before any hold (what they return to).
        log: per week played, the :class:`Choice` made (or ``None``).
    """

    def __init__(
        self,
        model: CollaborationModel,
        dilemmas: list[Dilemma] | tuple[Dilemma, ...] = (),
        scenario_name: str = "",
        newcomers: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.dilemmas = tuple(dilemmas)
        self.scenario_name = scenario_name
        self.newcomers = tuple(newcomers)
        self.firing: Firing | None = None
        self.chosen: str | None = None
        self.fired: list[str] = []
        self.holds: list[Hold] = []
        self.base = {
            name: model.params[name]
            for name in ("blame_culture", "frame_clarity", "sharing_rate", "info_structure", "procedure_equality")
        }
        self.log: list[Choice | None] = []
        self._start_week()

    @property
    def week(self) -> int:
        """The week about to be played (1 = the first)."""
        return int(self.model.steps) + 1

    def _start_week(self) -> None:
        week = self.week
        for hold in self.holds:
            if hold.first < week <= hold.last:  # the first week was set by the choice itself
                apply_hold(self.model, hold)
        self.firing, self.chosen = None, None
        if not self.model.running:
            return
        for dilemma in self.dilemmas:
            if dilemma.id in self.fired:
                continue
            bound = evaluate(dilemma, self.model, week, self.scenario_name, self.newcomers)
            if bound is not None:
                self.firing = Firing(dilemma, week, bound)
                self.fired.append(dilemma.id)
                return

    @property
    def waiting(self) -> bool:
        """A dilemma fired this week and has not been answered yet."""
        return self.firing is not None and self.chosen is None

    def choose(self, option_id: str) -> list[bool]:
        """Answer this week's dilemma; its option's actions act now. Returns per action whether it acted.

        Raises:
            InputError: no dilemma waits, or the option is not one of its options.
        """
        if not self.waiting:
            raise InputError(f"week {self.week}: no dilemma waits for an answer")
        assert self.firing is not None
        dilemma = self.firing.dilemma
        try:
            option = dilemma.option(option_id)
        except KeyError:
            raise InputError(
                f"week {self.week}: dilemma {dilemma.id!r} has no option {option_id!r}; options: "
                f"{', '.join(o.id for o in dilemma.options)}"
            ) from None
        self.chosen = option.id
        return [apply_action(self.model, a, self.firing.bound, self.week, self.holds) for a in option.actions]

    def apply(self, decisions: list[Any], lenient: bool = False) -> None:
        """Spend this week's hours on the trainee's decisions (``lenient``: capped at what is left, see
        :func:`apply_decisions_lenient`)."""
        (apply_decisions_lenient if lenient else apply_decisions)(self.model, decisions)

    def step(self) -> None:
        """Play the week: the model steps; held network settings whose weeks are over return to their value before.

        Raises:
            InputError: a dilemma waits for an answer.
        """
        if self.waiting:
            assert self.firing is not None
            raise InputError(f"week {self.week}: answer dilemma {self.firing.dilemma.id!r} first")
        week = self.week
        self.log.append(Choice(self.firing.dilemma.id, self.chosen) if self.firing and self.chosen else None)
        self.model.step()
        ending = {h.setting for h in self.holds if h.partner is None and h.last == week}
        self.holds = [h for h in self.holds if h.last > week]
        for setting in ending:
            if not any(h.setting == setting and h.partner is None for h in self.holds):
                self.model.params[setting] = self.base[setting]
        self._start_week()

    def play_week(self, choice: Choice | None, decisions: list[Any], lenient: bool = False) -> None:
        """Replay one recorded week: the recorded answer to the dilemma, the decisions, the step.

        Raises:
            InputError: the recorded answer does not fit the dilemma that fires (``lenient``: the answer is given
                when its dilemma fires, else left out).
        """
        week = self.week
        fired = self.firing.dilemma.id if self.firing is not None else None
        if lenient:
            if fired is not None:
                option = (
                    choice.option
                    if choice is not None and choice.dilemma == fired
                    else self.firing.dilemma.options[0].id  # type: ignore[union-attr]
                )
                self.choose(option)
        else:
            recorded = choice.dilemma if choice is not None else None
            if recorded != fired:
                raise InputError(
                    f"week {week}: the session records "
                    + (f"an answer to dilemma {recorded!r}" if recorded else "no dilemma")
                    + (f", but dilemma {fired!r} fires" if fired else ", but no dilemma fires")
                    + " (the session was played with other dilemmas or another model)"
                )
            if choice is not None:
                self.choose(choice.option)
        self.apply(decisions, lenient)
        self.step()


def apply_decisions(model: CollaborationModel, decisions: list[Any]) -> None:
    """Apply one week's decisions to a manual model (as the trainee did)."""
    for d in decisions:
        model.apply_intervention(d.intervention, targets=d.targets, hours=d.hours)


def apply_decisions_lenient(model: CollaborationModel, decisions: list[Any]) -> None:
    """Apply decisions to a model that may have fewer hours this week (a counterfactual world): hours are capped
    at what is left; what no longer fits is dropped."""
    for d in decisions:
        left = model.director.hours_left
        if left <= 1e-9:
            return
        model.apply_intervention(d.intervention, targets=d.targets, hours=min(d.hours, left))
