"""A training session: the world (scenario, parameters, seed), the horizon and the trainee's decisions per week.

A session replays exactly: the model's world draws depend only on the seed and the week, and the trainee's
decisions are stored with the hours actually spent, so replaying them on a fresh model gives the same path.
Sessions are saved as JSON (data only); an uploaded scenario travels inside the file as its TOML text.

A session file records the model's version (``model_version``, :data:`model.switches.MODEL_VERSION`) and the
mechanism switches in force (``switches``), so it replays with the model it was played with: a file without them was
saved by the first version (model version 1) and replays with every switch of the second version off
(:data:`model.switches.FIRST_VERSION`), the first version's model exactly; a file of a later model version than this
one is refused with a message naming its version.

A session file comes from a user, so :func:`read_session_file` checks all of it under the dashboard's limits
(:data:`model.inputs.DASHBOARD_LIMITS`) before anything is built: the file's size and nesting, JSON without NaN or
infinity, every field's type and range, the horizon, the parameters (through their declarations), the scenario
(and its size: a generated one may not ask for more partners than the limit), the number of weeks and of
decisions, the interventions, the hours and the targets (partners of the scenario). Only then is it replayed, once.
The dashboard's Training tab and ``netwerkregie debrief`` read session files through the same functions here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from experiments.training.dilemmas import Dilemma, load_builtin_dilemmas, parse_dilemmas
from experiments.training.play import Choice, TrainingPlay, apply_decisions, apply_decisions_lenient  # noqa: F401 (imported from here too)
from experiments.training.scenarios import TrainingScenario, load_training_scenario, parse_training_scenario
from model import CollaborationModel, list_scenarios, parse_scenario
from model.inputs import DASHBOARD_LIMITS, InputError, array, number, read_json, shown, table, text, using_limits
from model.interventions import INTERVENTIONS
from model.parameters import PARAMETERS, validate
from model.switches import FIRST_VERSION, MODEL_VERSION, check_switches, resolve_switches

FORMAT = "netwerkregie-training-session"
VERSION = 1
MAX_SESSION_BYTES = DASHBOARD_LIMITS.file_bytes
HORIZONS = (13, 26, 52, 104)
DEFAULT_HORIZON = 26  # a research scenario's; a training scenario's session lasts its own weeks (12)
MAX_HORIZON = DASHBOARD_LIMITS.steps
MAX_SEED = 2**63 - 1
MAX_DECISIONS_PER_WEEK = 64  # a week holds at most a few dozen hours; a decision spends a positive amount
MAX_HOURS = 10_000.0  # hours of one decision, before the replay checks them against the week's hours
_FIXED = ("scenario", "strategy", "collect_agents")
_FIELDS = {
    "format",
    "version",
    "model_version",
    "switches",
    "scenario",
    "scenario_toml",
    "seed",
    "horizon",
    "params",
    "decisions",
    "training",
    "training_toml",
    "dilemmas_toml",
    "choices",
}
#: A session file without ``model_version`` was saved by the model's first version (before files recorded it).
FIRST_MODEL_VERSION = 1
_DECISION_FIELDS = {"intervention", "targets", "hours"}
_CHOICE_FIELDS = {"dilemma", "option"}
#: Lines, commas, ``=`` and brackets in one file for the dashboard, counted before it is parsed. Python's TOML
#: parser takes about 7 microseconds a value: 5 MB of ``1,1,1,...`` would hold a page (and the server's processor)
#: for 20 s. A scenario of 2,000 partners and 10,000 relations counts about 160,000.
MAX_FILE_VALUES = 300_000
_RAISE_LIMIT = re.compile(r" ?\(raise it with --limit [a-z_]+=N\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
MAX_MESSAGE_CHARS = 2000


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
        horizon: the number of weeks the training lasts (1 to :data:`MAX_HORIZON`; default: a training scenario's
            weeks, else :data:`DEFAULT_HORIZON`).
        params: parameter settings (not scenario, strategy or collect_agents: the trainee is the director).
        decisions: per played week, the list of decisions of that week (``len(decisions)`` = weeks played).
        scenario_toml: the TOML text of an uploaded scenario, else ``None``.
        model_version: the version of the model the session was played with (:data:`model.switches.MODEL_VERSION`;
            a file without it: 1). A session replays with that version's model: version 1 with every mechanism
            switch of the second version off (:data:`model.switches.FIRST_VERSION`), exactly the first version.
        switches: the mechanism switches in force (``None``: those of ``model_version``; version 1 has none).
        training: the name of a training scenario (:mod:`experiments.training.scenarios`) when the session plays
            one (then ``scenario`` is that name too), else ``None``: a research scenario, without dilemmas.
        training_toml: the text of a trainer's own training scenario, else ``None`` (a built-in one).
        dilemmas_toml: the text of a trainer's own dilemma file, else ``None``: the built-in dilemmas (a training
            session only).
        choices: per played week, the option chosen for the dilemma that fired (:class:`Choice`), or ``None``.
    """

    scenario: str
    seed: int
    horizon: int | None = None  # None: the training scenario's weeks, else DEFAULT_HORIZON
    params: dict[str, Any] = field(default_factory=dict)
    decisions: list[list[Decision]] = field(default_factory=list)
    scenario_toml: str | None = None
    model_version: int = MODEL_VERSION
    switches: dict[str, bool] | None = None
    training: str | None = None
    training_toml: str | None = None
    dilemmas_toml: str | None = None
    choices: list[Choice | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.seed = number("seed", self.seed, 0, MAX_SEED, integer=True)
        self.model_version, self.switches = _model_of(self.model_version, self.switches)
        if self.horizon is None:
            self.horizon = self.training_scenario().weeks if self.training is not None else DEFAULT_HORIZON
        self.horizon = number("horizon", self.horizon, 1, MAX_HORIZON, integer=True)
        if len(self.decisions) > self.horizon:
            raise InputError(
                f"decisions are given for {len(self.decisions)} weeks, more than the horizon of {self.horizon}"
            )
        if not isinstance(self.params, dict):
            raise InputError(f"params must be a table of parameter values, got {type(self.params).__name__}")
        fixed = [k for k in self.params if k in _FIXED]
        if fixed:
            raise InputError(f"session parameters may not set {', '.join(fixed)} (the trainee is the director)")
        self.params = validate(self.params)
        if self.training is not None:
            if self.scenario_toml is not None:
                raise InputError("a training session takes its scenario from the training scenario, not scenario_toml")
            self.scenario = self.training_scenario().name
            self.dilemmas()  # checked here, before anything is built
        elif self.training_toml is not None or self.dilemmas_toml is not None or any(self.choices):
            raise InputError("training_toml, dilemmas_toml and choices belong to a training session (training = name)")
        self.choices = list(self.choices)
        while self.choices and self.choices[-1] is None:  # one form: weeks without a dilemma at the end are left out
            self.choices.pop()
        if len(self.choices) > len(self.decisions):
            raise InputError(f"choices are given for {len(self.choices)} weeks but {len(self.decisions)} were played")
        if self.training is None and self.scenario_toml is None and self.scenario not in list_scenarios():
            raise InputError(
                f"unknown scenario {str(self.scenario)[:80]!r}; built-in scenarios: {', '.join(list_scenarios())} "
                "(an uploaded scenario travels in the session as scenario_toml)"
            )

    @property
    def weeks_played(self) -> int:
        return len(self.decisions)

    def choice_of(self, week: int) -> Choice | None:
        """The answer recorded for the dilemma of ``week`` (1 = the first), or ``None``."""
        return self.choices[week - 1] if 0 < week <= len(self.choices) else None

    def training_scenario(self) -> TrainingScenario:
        """The session's training scenario (built-in, or its own ``training_toml``).

        Raises:
            InputError: not a training session, or the training scenario is unknown or invalid.
        """
        if self.training is None:
            raise InputError("not a training session")
        if self.training_toml is not None:
            found = parse_training_scenario(self.training_toml, f"session training scenario {self.training!r}")
            if found.name != self.training:
                raise InputError(f"training is {self.training!r} but training_toml holds {found.name!r}")
            return found
        return load_training_scenario(self.training)

    def dilemmas(self) -> list[Dilemma]:
        """The dilemmas that may fire (none outside a training session)."""
        if self.training is None:
            return []
        if self.dilemmas_toml is not None:
            return parse_dilemmas(self.dilemmas_toml, "session dilemmas")
        return load_builtin_dilemmas()

    def new_model(self, strategy: str = "manual") -> CollaborationModel:
        """A fresh model of this session's world at week 0, with the trainee as (manual) director, or a built-in
        ``strategy`` (a training scenario's newcomers start outside)."""
        if self.training is not None:
            return self.training_scenario().model(self.seed, strategy, self.switches, self.params)
        scenario: Any = self.scenario
        if self.scenario_toml is not None:
            scenario = parse_scenario(self.scenario_toml, source=f"session scenario {self.scenario!r}")
        return CollaborationModel(
            scenario=scenario, rng=self.seed, strategy=strategy, switches=self.switches, **self.params
        )

    def new_play(self) -> TrainingPlay:
        """A fresh :class:`TrainingPlay` of this session at week 0 (its dilemmas ready to fire)."""
        if self.training is None:
            return TrainingPlay(self.new_model())
        found = self.training_scenario()
        model = found.model(self.seed, "manual", self.switches, self.params)
        return TrainingPlay(model, self.dilemmas(), found.name, found.newcomers)

    def replay_play(self, weeks: int | None = None) -> TrainingPlay:
        """The session's play after the first ``weeks`` (default: all played) weeks, replayed exactly.

        Raises:
            InputError: a recorded answer does not fit the dilemma that fires.
        """
        play = self.new_play()
        for w in range(self.weeks_played if weeks is None else weeks):
            play.play_week(self.choice_of(w + 1), self.decisions[w])
        return play

    def replay(self, weeks: int | None = None) -> CollaborationModel:
        """A model with the first ``weeks`` (default: all played) weeks of choices and decisions applied."""
        return self.replay_play(weeks).model

    # ---- files ------------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "model_version": self.model_version,
            "switches": self.switches,
            "scenario": self.scenario,
            "scenario_toml": self.scenario_toml,
            "seed": self.seed,
            "horizon": self.horizon,
            "params": self.params,
            "decisions": [[d.to_dict() for d in week] for week in self.decisions],
            "training": self.training,
            "training_toml": self.training_toml,
            "dilemmas_toml": self.dilemmas_toml,
            "choices": [None if c is None else c.to_dict() for c in self.choices],
        }

    def to_json(self) -> str:
        """The session as a JSON text (floats are written exactly, so a replay is exact)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_json(cls, data: str | bytes, source: str = "session") -> TrainingSession:
        """Read a session saved by :meth:`to_json` (see :func:`read_session_file`).

        Raises:
            InputError: the text is not such a session, naming what is wrong.
        """
        return read_session_file(data, source)


def read_session_file(data: bytes | str, source: str = "session") -> TrainingSession:
    """Read, check and replay a session file under :data:`DASHBOARD_LIMITS` (whatever limits are in force).

    Raises:
        InputError: one readable message naming ``source`` and the first problem found.
    """
    return load_session_file(data, source)[0]


def load_session_file(data: bytes | str, source: str = "session") -> tuple[TrainingSession, CollaborationModel]:
    """:func:`read_session_file`, also returning the replayed model (the page continues from it)."""
    try:
        with using_limits(DASHBOARD_LIMITS):
            raw = data.encode("utf-8", "replace") if isinstance(data, str) else bytes(data)
            if len(raw) <= DASHBOARD_LIMITS.file_bytes:  # a larger file is refused by read_json, unread
                check_value_count(raw, f"session file {source!r}")
            doc = read_json(data, "session file", repr(source))
            session = session_from_dict(doc, source)
            return session, _checked_replay(session, source)
    except InputError as e:
        raise InputError(without_limit_advice(e)) from None


def check_value_count(data: bytes, what: str) -> None:
    """Refuse a file with more than :data:`MAX_FILE_VALUES` lines, commas, ``=`` and brackets before parsing it.

    Raises:
        InputError: naming ``what`` (e.g. "file x.toml").
    """
    count = sum(data.count(c) for c in (b"\n", b",", b"=", b"[", b"{"))
    if count > MAX_FILE_VALUES:
        raise InputError(
            f"{what} holds more than {MAX_FILE_VALUES:,} values, lines and lists ({count:,}); a file for the "
            "dashboard holds at most that many (a scenario of 2,000 partners holds about half)"
        )


def without_limit_advice(message: Any) -> str:
    """An input error's message as one line, without the command line's advice to raise a limit with ``--limit``:
    session files are read under :data:`DASHBOARD_LIMITS`, which neither a page nor ``--limit`` can raise."""
    text = _RAISE_LIMIT.sub(" (a limit of the dashboard)", str(message))
    text = _CONTROL.sub(" ", text).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def session_from_dict(doc: Any, source: str = "session") -> TrainingSession:
    """A :class:`TrainingSession` from a parsed session document, every field checked (nothing is built).

    Raises:
        InputError: naming the field and what is accepted.
    """
    where = f"session {source!r}"
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f'{where} is not a training session (expected "format": "{FORMAT}")')
    version = doc.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise InputError(f"{where}: version {shown(version)} is not supported (expected {VERSION})")
    table(where, doc, _FIELDS)
    model_version = doc.get("model_version", FIRST_MODEL_VERSION)
    try:
        model_version, switches = _model_of(model_version, doc.get("switches"))
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    # the name a page lists the scenario under: its own name, or "<name> (upload)" beside a built-in one
    scenario = text(f"{where}: scenario", doc.get("scenario", ""), max_chars=DASHBOARD_LIMITS.text + 10)
    scenario_toml = doc.get("scenario_toml")
    if scenario_toml is not None:
        if not isinstance(scenario_toml, str):
            raise InputError(
                f"{where}: scenario_toml must be a text (a scenario in TOML) or null, got {shown(scenario_toml)}"
            )
        parse_scenario(scenario_toml, source=f"in {where}")  # its size and values, before anything is built
    if "seed" not in doc:
        raise InputError(f"{where} lacks 'seed'")
    seed = number(f"{where}: seed", doc["seed"], 0, MAX_SEED, integer=True)
    horizon = doc.get("horizon")
    if horizon is not None or doc.get("training") is None:
        horizon = number(
            f"{where}: horizon", DEFAULT_HORIZON if horizon is None else horizon, 1, MAX_HORIZON, integer=True
        )
    params = table(f"{where}: params", doc.get("params", {}))
    weeks = array(f"{where}: decisions", doc.get("decisions", []), 0, MAX_HORIZON if horizon is None else horizon)
    decisions = []
    for w, week in enumerate(weeks, start=1):
        week = array(f"{where}: decisions of week {w}", week, 0, MAX_DECISIONS_PER_WEEK)
        decisions.append([_decision(d, f"{where}: week {w}") for d in week])
    training = doc.get("training")
    if training is not None:
        training = text(f"{where}: training", training, max_chars=200)
    own_texts = {}
    for key in ("training_toml", "dilemmas_toml"):
        value = doc.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: {key} must be a text (TOML) or null, got {shown(value)}")
        own_texts[key] = value
    choices: list[Choice | None] = []
    for w, c in enumerate(array(f"{where}: choices", doc.get("choices", []), 0, len(decisions)), start=1):
        if c is None:
            choices.append(None)
            continue
        table(f"{where}: choice of week {w}", c, _CHOICE_FIELDS, ("dilemma", "option"))
        choices.append(
            Choice(text(f"{where}: week {w}: dilemma", c["dilemma"]), text(f"{where}: week {w}: option", c["option"]))
        )
    try:
        return TrainingSession(
            scenario=scenario,
            seed=seed,
            horizon=horizon,
            params=dict(params),
            decisions=decisions,
            scenario_toml=scenario_toml,
            model_version=model_version,
            switches=switches,
            training=training,
            training_toml=own_texts["training_toml"],
            dilemmas_toml=own_texts["dilemmas_toml"],
            choices=choices,
        )
    except InputError as e:
        raise InputError(f"{where}: {e}") from None


def _model_of(model_version: Any, switches: Any) -> tuple[int, dict[str, bool]]:
    """The model version of a session and its switches in force, checked: a version from 1 to
    :data:`MODEL_VERSION` (a later one is refused, naming it); version 1 has no switches (every switch of the
    second version off and of the first version on: the first version's model; a table of switches with those values,
    :data:`model.switches.FIRST_VERSION`, is accepted); a later
    version's switches are checked by name and value, a switch it does not name is on."""
    if isinstance(model_version, bool) or not isinstance(model_version, int) or model_version < FIRST_MODEL_VERSION:
        raise InputError(f"model_version {shown(model_version)} is not a model version (an integer from 1)")
    if model_version > MODEL_VERSION:
        raise InputError(
            f"the session was saved by model version {model_version}; this is model version {MODEL_VERSION}, "
            f"which replays sessions of versions 1 to {MODEL_VERSION} (use a newer netwerkregie)"
        )
    if model_version == FIRST_MODEL_VERSION:
        given = check_switches(switches, "switches") if switches else {}
        if any(on != FIRST_VERSION[name] for name, on in given.items()):
            raise InputError("model version 1 has no mechanism switches; remove 'switches' or set model_version")
        return model_version, dict(FIRST_VERSION)
    return model_version, resolve_switches(check_switches(switches or {}, "switches"))


def _decision(d: Any, where: str) -> Decision:
    if not isinstance(d, dict):
        raise InputError(f"{where}: a decision must be a table with intervention, targets and hours, got {shown(d)}")
    table(f"{where}: decision", d, _DECISION_FIELDS, ("intervention", "hours"))
    iv = d["intervention"]
    if not isinstance(iv, str) or iv not in INTERVENTIONS:
        raise InputError(f"{where}: unknown intervention {shown(iv)}; known: {', '.join(INTERVENTIONS)}")
    targets = d.get("targets")
    if targets is not None:
        limit = DASHBOARD_LIMITS.partners
        targets = array(f"{where}: targets of {iv!r}", targets, 1, limit)
        targets = [text(f"{where}: a target of {iv!r}", t) for t in targets]
        if len(set(targets)) != len(targets):
            raise InputError(f"{where}: targets of {iv!r} name a partner twice")
    hours = number(f"{where}: hours of {iv!r}", d["hours"], 0.0, MAX_HOURS, low_open=True)
    return Decision(iv, targets, float(hours))


def _checked_replay(session: TrainingSession, source: str) -> CollaborationModel:
    """Build the session's world, check every target against its partners, and replay the choices and decisions."""
    where = f"session {source!r}"
    try:
        play = session.new_play()
        model = play.model
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    except ValueError as e:
        raise InputError(f"{where}: the scenario cannot be built: {e}") from None
    names = set(model.state.names)
    for w, week in enumerate(session.decisions, start=1):
        for d in week:
            unknown = [t for t in d.targets or [] if t not in names]
            if unknown:
                raise InputError(
                    f"{where}: week {w}: {d.intervention!r} targets {shown(unknown[0])}, "
                    f"which is not a partner of scenario {session.scenario[:80]!r}"
                )
    for w, week in enumerate(session.decisions, start=1):
        try:
            play.play_week(session.choice_of(w), week)
        except ValueError as e:  # the model refuses it (more hours than the week holds, a wrong number of targets)
            raise InputError(f"{where}: week {w}: {e}") from None
    return model


def parameter_names() -> list[str]:
    """Parameters a session may set (the world's, not the director's strategy)."""
    return [name for name in PARAMETERS if name not in _FIXED]
