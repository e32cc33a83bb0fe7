"""The model's parameters, declared once.

Each :class:`Parameter` names a keyword argument of :class:`model.CollaborationModel`, with its type, range,
default, Dutch and English label and a description. This one declaration validates keyword arguments, the
command line's ``--set KEY=VALUE``, sweep specifications and the dashboard's controls.

Precedence: the declared default < the scenario file's ``[set]`` table < keyword arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from model.inputs import InputError
from model.interventions import INTERVENTIONS

STRATEGY_NAMES = ("none", "task_focus", "relation_focus", "balanced", "adaptive", "custom", "manual")
GOVERNANCE_MODES = ("shared", "lead", "nao")


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Attributes:
        name: the keyword argument (English identifier).
        kind: ``"float"``, ``"int"``, ``"bool"``, ``"choice"`` or ``"str"``.
        default: the declared default (``None``: taken from the scenario).
        low, high: inclusive bounds for numbers (``None``: unbounded); ``low_open`` makes the lower bound strict.
        choices: the allowed values of a ``"choice"``.
        label_nl, label_en: labels for the dashboard.
        description: one sentence for help texts and docs.
        step: a sensible slider step.
        group: what it is about: "network" (the conditions of collaboration), "trust" (how trust and vision form),
            "director", "partners" (contacts and exit), "size", "strategy" (custom shares), or "" (the run itself).
    """

    name: str
    kind: str
    default: Any
    label_nl: str
    label_en: str
    description: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple[str, ...] = ()
    step: float | None = None
    group: str = ""
    sweepable: bool = True
    extra: dict = field(default_factory=dict)

    def allowed(self) -> str:
        """A human-readable statement of the accepted values."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "true or false"
        if self.kind == "str":
            return "a text"
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        left = "(" if self.low_open or self.low is None else "["
        right = ")" if self.high is None else "]"
        what = "an integer" if self.kind == "int" else "a number"
        return f"{what} in {left}{lo}, {hi}{right}"

    def validate(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ``InputError`` naming the problem."""
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        bad = InputError(f"parameter {self.name}={shown} is not valid: expected {self.allowed()}")
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise bad
            return value
        if self.kind == "str":
            if not isinstance(value, str):
                raise bad
            return value
        if self.kind == "bool":
            if isinstance(value, bool | int) and value in (0, 1):
                return bool(value)
            raise bad
        if isinstance(value, bool) or not isinstance(value, int | float):
            # numpy scalars are numbers too
            try:
                import numpy as np

                if isinstance(value, np.integer | np.floating) and not isinstance(value, np.bool_):
                    value = value.item()
                else:
                    raise bad
            except ImportError:  # pragma: no cover - numpy is a dependency
                raise bad from None
        if self.kind == "int":
            if isinstance(value, float):
                if not value.is_integer():
                    raise bad
                value = int(value)
        else:
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise bad
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            raise bad
        if self.high is not None and value > self.high:
            raise bad
        return value

    def parse(self, text: str) -> Any:
        """Parse a command-line text (``--set name=text``) and validate it."""
        text = text.strip()
        if self.kind in ("choice", "str"):
            return self.validate(text)
        if self.kind == "bool":
            low = text.lower()
            if low in ("true", "1", "yes", "on"):
                return True
            if low in ("false", "0", "no", "off"):
                return False
            raise InputError(f"parameter {self.name}={text[:60]!r} is not valid: expected {self.allowed()}")
        try:
            number: float | int = int(text) if self.kind == "int" and text.lstrip("+-").isdigit() else float(text)
        except ValueError:
            raise InputError(f"parameter {self.name}={text[:60]!r} is not valid: expected {self.allowed()}") from None
        return self.validate(number)


def _p(name: str, kind: str, default: Any, nl: str, en: str, desc: str, **kw: Any) -> Parameter:
    return Parameter(name=name, kind=kind, default=default, label_nl=nl, label_en=en, description=desc, **kw)


_DECLARED = [
    _p(
        "scenario",
        "str",
        "jeugdaanpak",
        "Scenario",
        "Scenario",
        "A built-in scenario name or the path of a scenario TOML file.",
        sweepable=True,
    ),
    _p(
        "strategy",
        "choice",
        "balanced",
        "Strategie regisseur",
        "Director's strategy",
        "How the director spends its hours.",
        choices=STRATEGY_NAMES,
    ),
    _p(
        "governance",
        "choice",
        None,
        "Sturingsvorm",
        "Governance mode",
        "Provan & Kenis mode: shared, lead organisation, or network administrative organisation (default: "
        "the scenario's).",
        choices=GOVERNANCE_MODES,
    ),
    _p(
        "blame_culture",
        "float",
        0.3,
        "Afrekencultuur",
        "Blame culture",
        "How the network reacts to incidents: the level the current blame relaxes to.",
        low=0.0,
        high=1.0,
        step=0.05,
        group="network",
    ),
    _p(
        "sharing_rate",
        "float",
        0.4,
        "Informatiedeling",
        "Information sharing",
        "Network norm for information sent per tie per week.",
        low=0.0,
        high=10.0,
        step=0.05,
        group="network",
    ),
    _p(
        "info_structure",
        "float",
        0.3,
        "Informatiestructuur",
        "Information structure",
        "Quality of the communication structure (filters and routes information).",
        low=0.0,
        high=1.0,
        step=0.05,
        group="network",
    ),
    _p(
        "frame_clarity",
        "float",
        0.2,
        "Heldere kaders",
        "Frame clarity",
        "Clarity of agreed frames (a covenant): the room partners can be granted.",
        low=0.0,
        high=1.0,
        step=0.05,
        group="network",
    ),
    _p(
        "procedure_equality",
        "float",
        0.4,
        "Gelijkwaardig overleg",
        "Procedural equality",
        "Equal footing of deliberation.",
        low=0.0,
        high=1.0,
        step=0.05,
        group="network",
    ),
    _p(
        "incident_rate",
        "float",
        0.1,
        "Incidenten per week",
        "Incidents per week",
        "Base rate of accountability events per week.",
        low=0.0,
        high=5.0,
        step=0.05,
        group="network",
    ),
    _p(
        "kappa",
        "float",
        2.0,
        "Gewicht negatieve ervaring",
        "Weight of negative evidence",
        "Weight of a negative experience relative to a positive one (trust asymmetry).",
        low=1.0,
        high=10.0,
        step=0.25,
        group="trust",
    ),
    _p(
        "evidence_retention",
        "float",
        0.95,
        "Geheugen van ervaringen",
        "Evidence retention",
        "Share of trust evidence kept per week (lambda).",
        low=0.0,
        high=1.0,
        step=0.01,
        group="trust",
    ),
    _p(
        "prior_weight",
        "float",
        2.0,
        "Gezonde twijfel",
        "Healthy doubt",
        "Prior weight W of the beta trust model: larger means more doubt and slower swings.",
        low=0.0,
        low_open=True,
        high=50.0,
        step=0.5,
        group="trust",
    ),
    _p(
        "confidence_bound",
        "float",
        0.3,
        "Openheid voor andere visies",
        "Confidence bound",
        "Value distance below which vision-forming brings two partners closer (bounded confidence).",
        low=0.0,
        high=1.0,
        step=0.05,
        group="trust",
    ),
    _p(
        "director_hours",
        "float",
        16.0,
        "Uren regisseur per week",
        "Director's hours per week",
        "Hours the director can spend each week (lead and nao governance).",
        low=0.0,
        high=80.0,
        step=1.0,
        group="director",
    ),
    _p(
        "steering_share",
        "float",
        0.25,
        "Sturen op eigen doelen (aandeel uren)",
        "Steering on own goals (share of hours)",
        "Share of the director's weekly hours a strategy spends steering on the goals of its own organisation, "
        "before the rest (only where the scenario gives the director goals of its own).",
        low=0.0,
        high=1.0,
        step=0.05,
        group="director",
    ),
    _p(
        "contacts_per_week",
        "int",
        2,
        "Contacten per week",
        "Contacts per week",
        "Joint-work pairings each partner initiates per week.",
        low=1,
        high=20,
        step=1,
        group="partners",
    ),
    _p(
        "exit_threshold",
        "float",
        0.1,
        "Uittreddrempel",
        "Exit threshold",
        "Commitment below which a partner starts to consider leaving.",
        low=0.0,
        high=1.0,
        step=0.01,
        group="partners",
    ),
    _p(
        "exit_patience",
        "int",
        8,
        "Geduld (weken)",
        "Patience (weeks)",
        "Consecutive weeks below the exit threshold before a partner leaves.",
        low=1,
        high=520,
        step=1,
        group="partners",
    ),
    _p(
        "n_partners",
        "int",
        50,
        "Aantal partners",
        "Number of partners",
        "Size of a generated scenario (synthetic); refused for scenarios with a partner list.",
        low=2,
        high=1_000_000,
        step=1,
        group="size",
    ),
    _p(
        "collect_agents",
        "bool",
        False,
        "Partnerdata verzamelen",
        "Collect partner data",
        "Also collect agent-level metrics every week.",
        sweepable=False,
    ),
]
_DECLARED += [
    _p(
        f"alloc_{iv.id}",
        "float",
        0.0,
        f"Aandeel {iv.label_nl}",
        f"Share {iv.label_en}",
        f"Hour share of '{iv.label_en}' in the custom strategy (shares are normalised to sum to 1).",
        low=0.0,
        high=100.0,
        step=0.05,
        group="strategy",
    )
    for iv in INTERVENTIONS.values()
]

PARAMETERS: dict[str, Parameter] = {p.name: p for p in _DECLARED}


def names_in(*groups: str) -> tuple[str, ...]:
    """The names of the parameters in the given groups, in the order of their declaration."""
    return tuple(name for name, p in PARAMETERS.items() if p.group in groups)


def defaults() -> dict[str, Any]:
    """The declared defaults of every parameter."""
    return {name: p.default for name, p in PARAMETERS.items()}


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Validate a mapping of parameter values; return the converted values.

    Raises:
        InputError: for an unknown name or an invalid value, naming it and what is accepted.
    """
    out = {}
    for name, value in values.items():
        if name not in PARAMETERS:
            raise InputError(f"unknown parameter {str(name)[:60]!r}; known parameters: {', '.join(PARAMETERS)}")
        out[name] = PARAMETERS[name].validate(value)
    return out


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``KEY=VALUE`` (the command line's ``--set``) into a validated pair."""
    if "=" not in text:
        raise InputError(f"--set {text[:60]!r} is not KEY=VALUE")
    key, _, raw = text.partition("=")
    key = key.strip()
    if key not in PARAMETERS:
        raise InputError(f"unknown parameter {key[:60]!r}; known parameters: {', '.join(PARAMETERS)}")
    return key, PARAMETERS[key].parse(raw)
