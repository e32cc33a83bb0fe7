"""Mechanism switches: each mechanism of the model's second version can be switched off, declared once.

A switch is not a parameter (no slider: it changes which equations run, not a value) and not a calibration
constant (it is not varied in a robustness analysis). With a switch off, its mechanism takes its *neutral form*, the
simplest no-effect version written in :attr:`Switch.off`: the model's first version where the mechanism did not
exist. With every switch off (:data:`FIRST_VERSION`), the model reproduces the first version's outputs exactly
(the regression references in ``tests/data/regression/``); this also gives the evidence its ablations.

Precedence, as for constants: declared (every switch on) < a scenario's ``[switches]`` table < the ``switches``
argument of :class:`model.CollaborationModel` (the command line's ``--switch NAME=off``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from model.inputs import InputError, shown, table

MODEL_VERSION = 2  # saved training sessions record it; see experiments.training.session


@dataclass(frozen=True)
class Switch:
    """One switchable mechanism.

    Attributes:
        name: identifier (``layers``, ``dependency``, ...).
        label_nl, label_en: labels for people.
        on: what the mechanism does (one sentence).
        off: its neutral form when switched off (one sentence, the first version's behaviour).
        section: the ODD section that describes it.
    """

    name: str
    label_nl: str
    label_en: str
    on: str
    off: str
    section: str

    def label(self, lang: str) -> str:
        """The label in ``lang`` ("nl" or "en")."""
        return self.label_en if lang == "en" else self.label_nl


_DECLARED = [
    Switch(
        "shortfall_accountability",
        "verantwoording voor tekortschieten",
        "accountability for shortfalls",
        "an incident is attributed to a partner by its shortfall against what its neighbours expect of it",
        "an incident is attributed to a partner by its share of the week's effort",
        "7.3",
    ),
    Switch(
        "dependency",
        "afhankelijkheid",
        "dependency",
        "dependent partners leave less easily, voice and account less toward more powerful partners, and perceive "
        "less equality unless their interests are recognised",
        "dependency enters no equation",
        "7.10",
    ),
    Switch(
        "partner_contact",
        "persoonlijk contact tussen partners",
        "personal contact between partners",
        "partners spend a little time on personal contact with chosen partners, building understanding and "
        "buffering their information load",
        "personal contact exists only as the director's intervention",
        "7.11",
    ),
    Switch(
        "director_goals",
        "eigen doelen van de regisseur",
        "the director's own goals",
        "a director with goals of its own organisation spends hours steering on them: they advance the goals and "
        "part of the task and bring resources, and cost legitimacy and the partners' freedom",
        "the director has no goals of its own",
        "7.12",
    ),
    Switch(
        "layers",
        "bestuur en uitvoering",
        "board and work floor",
        "each organisation has a board and a work floor with their own relations, joined by vertical alignment",
        "one layer: the boards' agreements act directly on the work floor",
        "7.13",
    ),
    Switch(
        "lead_succession",
        "opvolging leidende organisatie",
        "lead succession",
        "when the lead organisation leaves, the most powerful active partner takes over lead governance",
        "the lead organisation keeps its role (and its coordination costs) after it has left",
        "7.6",
    ),
]

SWITCHES: dict[str, Switch] = {s.name: s for s in _DECLARED}
ALL_ON: dict[str, bool] = {name: True for name in SWITCHES}
FIRST_VERSION: dict[str, bool] = {name: False for name in SWITCHES}

_WORDS = {True: ("on", "true", "1", "yes", "aan"), False: ("off", "false", "0", "no", "uit")}


def switch_value(where: str, value: Any) -> bool:
    """A switch's value from a bool or a word (on/off, true/false, 1/0, yes/no, aan/uit); ``where`` names it in
    the error."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        for result, words in _WORDS.items():
            if word in words:
                return result
    raise InputError(f"{where}: {shown(value)} is not on or off (true/false, 1/0, yes/no, aan/uit)")


def check_switches(given: Any, where: str = "switches") -> dict[str, bool]:
    """Check a table of switch values: known names, boolean values. Returns ``{name: bool}``."""
    checked = table(where, given)
    out: dict[str, bool] = {}
    for name, value in checked.items():
        if name not in SWITCHES:
            raise InputError(f"{where}: unknown switch {shown(name)}; known: {', '.join(SWITCHES)}")
        out[name] = switch_value(f"{where}: switch {name}", value)
    return out


def resolve_switches(*overrides: Mapping[str, Any] | None) -> dict[str, bool]:
    """The switches in force: every switch on, updated by each table of overrides in turn (checked).

    ``resolve_switches(scenario.switches, switches)`` gives the precedence declared < scenario < argument.
    """
    values = dict(ALL_ON)
    for given in overrides:
        if given:
            values.update(check_switches(given))
    return values


def parse_switch_option(option: str) -> tuple[str, bool]:
    """``NAME=on|off`` from the command line's ``--switch``."""
    name, sep, value = option.partition("=")
    name = name.strip()
    if not sep:
        raise InputError(f"--switch {shown(option)}: expected NAME=on or NAME=off")
    if name not in SWITCHES:
        raise InputError(f"--switch {shown(option)}: unknown switch {shown(name)}; known: {', '.join(SWITCHES)}")
    return name, switch_value(f"--switch {name}", value.strip())


def markdown_table() -> str:
    """The table of switches for ``docs/ODD.md``, as Markdown."""
    lines = ["| switch | on | off (neutral form) | ODD |", "|---|---|---|---|"]
    for s in _DECLARED:
        lines.append(f"| `{s.name}` | {s.on} | {s.off} | {s.section} |")
    return "\n".join(lines)
