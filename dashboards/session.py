"""A training session: the world (scenario, parameters, seed), the horizon and the trainee's decisions per week.

A session replays exactly: the model's world draws depend only on the seed and the week, and the trainee's
decisions are stored with the hours actually spent, so replaying them on a fresh model gives the same path.
Sessions are saved as JSON (data only); an uploaded scenario travels inside the file as its TOML text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from model import CollaborationModel, list_scenarios, parse_scenario
from model.interventions import INTERVENTIONS
from model.parameters import PARAMETERS, validate

FORMAT = "netwerkregie-training-session"
VERSION = 1
MAX_SESSION_BYTES = 5_000_000
HORIZONS = (13, 26, 52, 104)
_FIXED = ("scenario", "strategy", "collect_agents")


@dataclass
class Decision:
    """One choice of one week: an intervention, its targets (partner names or ``None``) and the hours spent."""

    intervention: str
    targets: list[str] | None
    hours: float

    def to_dict(self) -> dict[str, Any]:
        return {"intervention": self.intervention, "targets": self.targets, "hours": self.hours}


@dataclass
class TrainingSession:
    """Everything needed to replay a trainee's path.

    Attributes:
        scenario: a built-in scenario name, or the name of the uploaded scenario in ``scenario_toml``.
        seed: the world's seed.
        horizon: the number of weeks the training lasts.
        params: parameter settings (not scenario, strategy or collect_agents: the trainee is the director).
        decisions: per played week, the list of decisions of that week (``len(decisions)`` = weeks played).
        scenario_toml: the TOML text of an uploaded scenario, else ``None``.
    """

    scenario: str
    seed: int
    horizon: int = 26
    params: dict[str, Any] = field(default_factory=dict)
    decisions: list[list[Decision]] = field(default_factory=list)
    scenario_toml: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed {self.seed!r} must be a non-negative integer")
        if isinstance(self.horizon, bool) or not isinstance(self.horizon, int) or not 1 <= self.horizon <= 520:
            raise ValueError(f"horizon {self.horizon!r} must be a whole number of weeks between 1 and 520")
        fixed = [k for k in self.params if k in _FIXED]
        if fixed:
            raise ValueError(f"session parameters may not set {', '.join(fixed)} (the trainee is the director)")
        self.params = validate(self.params)
        if self.scenario_toml is None and self.scenario not in list_scenarios():
            raise ValueError(
                f"unknown scenario {self.scenario!r}; built-in scenarios: {', '.join(list_scenarios())} "
                "(an uploaded scenario travels in the session as scenario_toml)"
            )

    @property
    def weeks_played(self) -> int:
        return len(self.decisions)

    def new_model(self) -> CollaborationModel:
        """A fresh model of this session's world at week 0, with the trainee as (manual) director."""
        scenario: Any = self.scenario
        if self.scenario_toml is not None:
            scenario = parse_scenario(self.scenario_toml, source=f"session scenario {self.scenario!r}")
        return CollaborationModel(scenario=scenario, rng=self.seed, strategy="manual", **self.params)

    def replay(self, weeks: int | None = None) -> CollaborationModel:
        """A model with the first ``weeks`` (default: all played) weeks of decisions applied and stepped."""
        model = self.new_model()
        for week_decisions in self.decisions[: self.weeks_played if weeks is None else weeks]:
            apply_decisions(model, week_decisions)
            model.step()
        return model

    # ---- files ------------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "scenario": self.scenario,
            "scenario_toml": self.scenario_toml,
            "seed": self.seed,
            "horizon": self.horizon,
            "params": self.params,
            "decisions": [[d.to_dict() for d in week] for week in self.decisions],
        }

    def to_json(self) -> str:
        """The session as a JSON text (floats are written exactly, so a replay is exact)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str | bytes) -> TrainingSession:
        """Read a session saved by :meth:`to_json`.

        Raises:
            ValueError: the text is not such a session, naming what is wrong.
        """
        if isinstance(data, bytes):
            if len(data) > MAX_SESSION_BYTES:
                raise ValueError(f"a session file is at most {MAX_SESSION_BYTES // 1_000_000} MB")
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError("a session file is a UTF-8 JSON text") from None
        try:
            doc = json.loads(data)
        except json.JSONDecodeError as e:
            raise ValueError(f"not valid JSON ({e.msg}, line {e.lineno})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError(f'not a training session (expected "format": "{FORMAT}")')
        if doc.get("version") != VERSION:
            raise ValueError(f"session version {doc.get('version')!r} is not supported (expected {VERSION})")
        weeks = doc.get("decisions", [])
        if not isinstance(weeks, list) or not all(isinstance(w, list) for w in weeks):
            raise ValueError("decisions must be a list of weeks, each a list of decisions")
        scenario_toml = doc.get("scenario_toml")
        if scenario_toml is not None and not isinstance(scenario_toml, str):
            raise ValueError("scenario_toml must be a text or null")
        params = doc.get("params", {})
        if not isinstance(params, dict):
            raise ValueError("params must be a table of parameter values")
        session = cls(
            scenario=str(doc.get("scenario", "")),
            seed=doc.get("seed"),
            horizon=doc.get("horizon", 26),
            params=params,
            decisions=[[_decision(d) for d in week] for week in weeks],
            scenario_toml=scenario_toml,
        )
        if session.weeks_played > session.horizon:
            raise ValueError(
                f"the session has {session.weeks_played} weeks of decisions but a horizon of {session.horizon}"
            )
        session.replay()  # a decision the model refuses (unknown partner, too many hours) is found here
        return session


def _decision(d: Any) -> Decision:
    if not isinstance(d, dict):
        raise ValueError(f"a decision must be a table with intervention, targets and hours, got {d!r}")
    iv = d.get("intervention")
    if iv not in INTERVENTIONS:
        raise ValueError(f"unknown intervention {iv!r}; known: {', '.join(INTERVENTIONS)}")
    targets = d.get("targets")
    if targets is not None and (not isinstance(targets, list) or not all(isinstance(t, str) for t in targets)):
        raise ValueError(f"targets of {iv!r} must be a list of partner names or null")
    hours = d.get("hours")
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
        raise ValueError(f"hours of {iv!r} must be a positive number, got {hours!r}")
    return Decision(iv, targets, float(hours))


def apply_decisions(model: CollaborationModel, decisions: list[Decision]) -> None:
    """Apply one week's decisions to a manual model (as the trainee did)."""
    for d in decisions:
        model.apply_intervention(d.intervention, targets=d.targets, hours=d.hours)


def apply_decisions_lenient(model: CollaborationModel, decisions: list[Decision]) -> None:
    """Apply decisions to a model that may have fewer hours this week (a counterfactual world): hours are capped
    at what is left; what no longer fits is dropped."""
    for d in decisions:
        left = model.director.hours_left
        if left <= 1e-9:
            return
        model.apply_intervention(d.intervention, targets=d.targets, hours=min(d.hours, left))


def parameter_names() -> list[str]:
    """Parameters a session may set (the world's, not the director's strategy)."""
    return [name for name in PARAMETERS if name not in _FIXED]
