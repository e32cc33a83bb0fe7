"""Mechanism switches: each mechanism of the model's second version, and the first-version mechanisms the emergent
patterns rest on, can be switched off, declared once.

A switch is not a parameter (no slider: it changes which equations run, not a value) and not a calibration
constant (it is not varied in a robustness analysis). With a switch off, its mechanism takes its *neutral form*, the
simplest no-effect version written in :attr:`Switch.off`: for a mechanism of the second version (``version`` 2) the
model's first version, where the mechanism did not exist; for a mechanism of the first version (``version`` 1) the
mechanism's effect removed while the model keeps working (e.g. a constant instead of a response). With every switch
of the second version off and every switch of the first version on (:data:`FIRST_VERSION`), the model reproduces the
first version's outputs exactly (the regression references in ``tests/data/regression/``). The switches give the
evidence its ablations (:mod:`experiments.ablation`).

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
        off: its neutral form when switched off (one sentence: the first version's behaviour for a mechanism of the
            second version, the mechanism's simplest no-effect form for one of the first version).
        section: the ODD section that describes it.
        version: the model version that introduced the mechanism (1 or 2); :data:`FIRST_VERSION` has the switches
            of version 2 off and those of version 1 on.
    """

    name: str
    label_nl: str
    label_en: str
    on: str
    off: str
    section: str
    version: int = 2

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
    # ---- first-version mechanisms the emergent patterns rest on (issue 14, ablation); their neutral forms were
    # declared and committed before any ablation with them was run
    Switch(
        "blame",
        "gevolgen van schuld",
        "blame's effects",
        "an incident not accounted for is blame: negative evidence both ways on the blamed partner's relations, its "
        "accountability, openness, respect and perceived equality fall, the blame level rises, it escalates to the "
        "boards (with layers), and the blame level closes every partner's openness",
        "an incident not accounted for costs only its setback: no negative evidence, no loss of accountability, "
        "openness, respect or equality, no rise of the blame level, no escalation, and the blame level no longer "
        "closes openness (it still lowers the chance of giving account)",
        "7.3",
        1,
    ),
    Switch(
        "overload",
        "informatie-overbelasting",
        "information overload",
        "a load above 1 costs: the overload penalty cuts effort, commitment and transparency and raises incidents, "
        "and a flooded partner gathers negative evidence about its senders",
        "information load is measured but costs nothing: the overload penalty is 0 and flooding gives no negative "
        "evidence (the information's benefit stays)",
        "7.2",
        1,
    ),
    Switch(
        "freedom",
        "vrije ruimte",
        "freedom",
        "freedom (frames x trust received) adds to the effort of a committed partner and is misused below "
        "misuse_below commitment: less effort and negative evidence",
        "freedom is tracked (it still moves toward frames x trust) but acts on nothing: no effort bonus and no misuse",
        "7.1",
        1,
    ),
    Switch(
        "role_division_costs",
        "kosten van rolverdeling",
        "costs of role division",
        "negotiating the task and role division clarifies frames and costs every partner commitment and the less "
        "powerful perceived equality",
        "negotiating the task and role division only clarifies frames: no loss of commitment or equality",
        "7.5",
        1,
    ),
    Switch(
        "coordination_costs",
        "coördinatiekosten",
        "coordination costs",
        "governance costs work capacity: shared governance every partner coordination_hours (n - 1), a lead "
        "organisation the lead that much, a network organisation nao_overhead partner-equivalents shared",
        "governance costs no work capacity in any mode (coordination factor 1; personal contact between partners "
        "still takes its time)",
        "7.6",
        1,
    ),
]

SWITCHES: dict[str, Switch] = {s.name: s for s in _DECLARED}
ALL_ON: dict[str, bool] = {name: True for name in SWITCHES}
#: The first version: every mechanism of the second version off, every mechanism of the first version on.
FIRST_VERSION: dict[str, bool] = {s.name: s.version == 1 for s in _DECLARED}

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
    lines = ["| switch | version | on | off (neutral form) | ODD |", "|---|---|---|---|---|"]
    for s in _DECLARED:
        lines.append(f"| `{s.name}` | {s.version} | {s.on} | {s.off} | {s.section} |")
    return "\n".join(lines)
