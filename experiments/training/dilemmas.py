"""Dilemmas: events that stop the week and ask the director to decide, authored as data.

A dilemma file (TOML) holds ``[[dilemma]]`` blocks, each with Dutch and English texts, the conditions under which it
fires (``[dilemma.when]``) and two to four options (``[[dilemma.option]]``), each acting in the model through a
declared set of actions (:data:`ACTIONS`). ``docs/training.md`` explains how to write them; ``netwerkregie training
check FILE`` checks a file. The built-in dilemmas are ``experiments/training/data/dilemmas.toml``.

When a dilemma fires is a function of the model's public state at the start of a week (last week's metrics, the
partner and relation tables, last week's incidents, the partners outside the network), so a session replays the
same dilemmas given its seed and decisions. At most one dilemma fires in a week: the first, in file order, whose
conditions hold and that has not fired before in the session. Its texts name the partners it concerns through
placeholders (``{partner}``, ``{pair_a}``, ``{pair_b}``, ``{newcomer}``, ``{own}``), and its actions target them
as ``@partner``, ``@pair``, ``@newcomer``, ``@own``.

The actions (:func:`apply_action`):

- ``intervention``: spend hours of this week on an intervention, with targets
  (:meth:`CollaborationModel.apply_intervention`);
- ``set``: hold a network setting (a parameter: ``blame_culture``, ``frame_clarity`` -- the covenant's frames --,
  ``sharing_rate``, ``info_structure``, ``procedure_equality``) or a partner's setting (``openness``,
  ``accountability``, ``alignment``) at a value inside its range for some weeks: each of those weeks starts with
  it at that value (for a network setting: the norm and the current level); afterwards the norm returns to the
  scenario's and the levels move back at the model's own rates;
- ``incident``: decide how the network handles last week's incident in public: as learning (account given) or as
  blame, for the partner it was attributed to, with the model's own equations of ODD 7.3 (expectations, the
  partner's accountability and openness, respect, equality, the blame level, and trust evidence, settled at the
  end of the week);
- ``join``: a partner outside the network (a training scenario's newcomer) joins (:meth:`CollaborationModel.join`);
- ``leave``: a partner leaves (:meth:`CollaborationModel.leave`).

An action whose partners are no longer there (a partner that left, a newcomer that joined) does nothing; the
hours of an intervention are capped at what the week has left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from experiments.training.tomlcheck import Path as FieldPath
from experiments.training.tomlcheck import Reader
from model import mechanisms as mech
from model.inputs import read_input_file, read_toml
from model.interventions import INTERVENTIONS
from model.metrics import METRICS
from model.parameters import PARAMETERS

BUILTIN_FILE = Path(__file__).parent / "data" / "dilemmas.toml"
LANGS = ("nl", "en")
MAX_DILEMMAS = 200
MAX_ACTIONS = 6
MAX_HOLD_WEEKS = 52
MAX_HOURS = 80.0  # the largest week a director can have (parameter director_hours)
#: Network settings a ``set`` action may hold: the parameter, and the state's level that follows it (or None).
NETWORK_SETTINGS: dict[str, str | None] = {
    "blame_culture": "blame",
    "frame_clarity": "frame_clarity",
    "sharing_rate": None,
    "info_structure": "info_structure",
    "procedure_equality": "procedure_equality",
}
#: A partner's settings a ``set`` action may hold (arrays of the state, each in [0, 1]).
PARTNER_SETTINGS = ("openness", "accountability", "alignment")
#: What a ``partner`` condition may pick partners by (columns of :meth:`CollaborationModel.partner_table`).
PARTNER_QUANTITIES = (
    "trust",
    "trusted",
    "respect",
    "equality",
    "freedom",
    "accountability",
    "transparency",
    "commitment",
    "load",
    "power",
    "dependency",
    "stake",
    "alignment",
)
#: What a ``pair`` condition may pick a relation by: the mean of both directions (:meth:`relation_table`).
PAIR_QUANTITIES = ("trust", "respect", "understanding", "board_trust")
ACTIONS = ("intervention", "set", "incident", "join", "leave")
ROLES = ("partner", "pair", "newcomer", "own")
_ACTION_FIELDS = {
    "intervention": ({"do", "intervention", "hours", "targets"}, ("intervention", "hours")),
    "set": ({"do", "setting", "value", "weeks", "partner"}, ("setting", "value", "weeks")),
    "incident": ({"do", "outcome"}, ("outcome",)),
    "join": ({"do", "partner"}, ("partner",)),
    "leave": ({"do", "partner"}, ("partner",)),
}
_DILEMMA_FIELDS = {"id", "theme", "title_nl", "title_en", "text_nl", "text_en", "when", "option"}
_OPTION_FIELDS = {"id", "label_nl", "label_en", "explain_nl", "explain_en", "actions"}
_WHEN_FIELDS = {"weeks", "scenarios", "incident", "metric", "partner", "pair", "newcomer", "own_goals"}
_PLACEHOLDER = re.compile(r"\{(partner|pair_a|pair_b|newcomer|own)\}")
THEMES = (
    "contra_samenwerking",
    "blame",
    "information",
    "dependency",
    "exit",
    "layers",
    "own_goals",
    "newcomer",
    "expectations",
    "conflict",
    "other",
)


# ---- the format ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A bound on a number: ``above`` (strictly more) and/or ``below`` (strictly less)."""

    above: float | None = None
    below: float | None = None

    def holds(self, value: float) -> bool:
        if value != value:  # a missing value holds no condition
            return False
        return (self.above is None or value > self.above) and (self.below is None or value < self.below)


@dataclass(frozen=True)
class Selector:
    """Which partner (or relation) a dilemma concerns: the one with the lowest or highest ``of``, among those that
    pass ``among``, if it passes ``bound``."""

    of: str
    pick: str
    bound: Threshold = Threshold()
    among: tuple[tuple[str, Threshold], ...] = ()


@dataclass(frozen=True)
class Condition:
    """When a dilemma fires (every given part must hold); see the module's docstring."""

    weeks: tuple[int, int] = (1, 10_000)
    scenarios: tuple[str, ...] = ()
    incident: str | None = None
    metrics: tuple[tuple[str, Threshold], ...] = ()
    partner: Selector | None = None
    pair: Selector | None = None
    newcomer: bool = False
    own_goals: bool = False

    def roles(self) -> set[str]:
        """The placeholders this condition binds."""
        out = set()
        if self.partner is not None or self.incident is not None:
            out.add("partner")
        if self.pair is not None:
            out.add("pair")
        if self.newcomer:
            out.add("newcomer")
        if self.own_goals:
            out.add("own")
        return out


@dataclass(frozen=True)
class Action:
    """One model action of an option (see :data:`ACTIONS`)."""

    do: str
    intervention: str = ""
    hours: float = 0.0
    targets: tuple[str, ...] | None = None
    setting: str = ""
    value: float = 0.0
    weeks: int = 0
    partner: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class Option:
    id: str
    label: dict[str, str]
    explain: dict[str, str]
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Dilemma:
    id: str
    theme: str
    title: dict[str, str]
    text: dict[str, str]
    when: Condition
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


def load_builtin_dilemmas() -> list[Dilemma]:
    """The built-in dilemmas (``experiments/training/data/dilemmas.toml``)."""
    return parse_dilemmas(BUILTIN_FILE.read_text(encoding="utf-8"), BUILTIN_FILE.name)


def read_dilemma_file(path: str | Path) -> list[Dilemma]:
    """A trainer's own dilemma file (its size checked before it is read)."""
    return parse_dilemmas(read_input_file(path, "dilemma file"), Path(path).name)


def parse_dilemmas(data: str | bytes, source: str = "<text>") -> list[Dilemma]:
    """Parse and check a dilemma file.

    Raises:
        FieldError: a field is wrong: its path (``dilemma[2].option[1].actions[1].hours``), its line and what is
            expected;
        InputError: the text is not TOML (with the parser's line and column).
    """
    text_ = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    doc = read_toml(data, "dilemma file", source)
    r = Reader(text_, source)
    r.table((), doc, {"dilemma"}, ("dilemma",))
    blocks = r.array(("dilemma",), doc["dilemma"], 1, MAX_DILEMMAS, "[[dilemma]] blocks")
    dilemmas = [_dilemma(r, k, block) for k, block in enumerate(blocks)]
    seen: dict[str, int] = {}
    for k, d in enumerate(dilemmas):
        if d.id in seen:
            raise r.fail(("dilemma", k, "id"), f"expected a unique id; {d.id!r} is also dilemma {seen[d.id] + 1}'s")
        seen[d.id] = k
    return dilemmas


def _dilemma(r: Reader, k: int, block: Any) -> Dilemma:
    at: FieldPath = ("dilemma", k)
    b = r.table(at, block, _DILEMMA_FIELDS, ("id", "title_nl", "title_en", "text_nl", "text_en", "option"))
    dilemma_id = r.name((*at, "id"), b["id"])
    theme = r.choice((*at, "theme"), b.get("theme", "other"), THEMES)
    title = {lang: r.text((*at, f"title_{lang}"), b[f"title_{lang}"], 120) for lang in LANGS}
    text_ = {lang: r.text((*at, f"text_{lang}"), b[f"text_{lang}"], 1500, multiline=True) for lang in LANGS}
    when = _condition(r, (*at, "when"), b.get("when", {}))
    roles = when.roles()
    for lang in LANGS:
        for key, value in ((f"title_{lang}", title[lang]), (f"text_{lang}", text_[lang])):
            for name in _PLACEHOLDER.findall(value):
                role = "pair" if name.startswith("pair_") else name
                if role not in roles:
                    raise r.fail((*at, key), _unbound(name, role))
    blocks = r.array((*at, "option"), b["option"], 2, 4, "[[dilemma.option]] blocks")
    options = tuple(_option(r, (*at, "option", i), o, when) for i, o in enumerate(blocks))
    ids = [o.id for o in options]
    for i, option_id in enumerate(ids):
        if ids.index(option_id) != i:
            raise r.fail((*at, "option", i, "id"), f"expected an id unique within the dilemma; {option_id!r} repeats")
    return Dilemma(dilemma_id, theme, title, text_, when, options)


_BINDERS = {
    "partner": "when.partner or when.incident",
    "pair": "when.pair",
    "newcomer": "when.newcomer = true",
    "own": "when.own_goals = true",
}


def _unbound(name: str, role: str) -> str:
    return f"uses {{{name}}}, which needs {_BINDERS[role]} in the dilemma's conditions"


def _threshold(r: Reader, at: FieldPath, value: Any) -> Threshold:
    t = r.table(at, value, {"above", "below"})
    if not t:
        raise r.fail(at, "expected above = x and/or below = x")
    above = r.number((*at, "above"), t["above"], -1e9, 1e9) if "above" in t else None
    below = r.number((*at, "below"), t["below"], -1e9, 1e9) if "below" in t else None
    return Threshold(above, below)


def _selector(r: Reader, at: FieldPath, value: Any, quantities: tuple[str, ...]) -> Selector:
    s = r.table(at, value, {"of", "pick", "above", "below", "among"}, ("of", "pick"))
    of = r.choice((*at, "of"), s["of"], quantities)
    pick = r.choice((*at, "pick"), s["pick"], ("lowest", "highest"))
    bound = Threshold(
        r.number((*at, "above"), s["above"], -1e9, 1e9) if "above" in s else None,
        r.number((*at, "below"), s["below"], -1e9, 1e9) if "below" in s else None,
    )
    among = r.table((*at, "among"), s.get("among", {}), set(quantities))
    return Selector(of, pick, bound, tuple((q, _threshold(r, (*at, "among", q), t)) for q, t in among.items()))


def _condition(r: Reader, at: FieldPath, value: Any) -> Condition:
    w = r.table(at, value, _WHEN_FIELDS)
    weeks = (1, 10_000)
    if "weeks" in w:
        pair = r.array((*at, "weeks"), w["weeks"], 2, 2, "weeks (from and to)")
        weeks = (
            r.number((*at, "weeks", 0), pair[0], 1, 10_000, integer=True),
            r.number((*at, "weeks", 1), pair[1], 1, 10_000, integer=True),
        )
        if weeks[1] < weeks[0]:
            raise r.fail((*at, "weeks"), f"expected [from, to] with from <= to, got {pair}")
    scenarios = tuple(
        r.text((*at, "scenarios", i), s, 100)
        for i, s in enumerate(r.array((*at, "scenarios"), w.get("scenarios", []), 0, 50, "scenario names"))
    )
    incident = r.choice((*at, "incident"), w["incident"], ("blamed", "accounted", "any")) if "incident" in w else None
    metrics = tuple(
        (r.choice((*at, "metric", name), name, METRICS), _threshold(r, (*at, "metric", name), t))
        for name, t in r.table((*at, "metric"), w.get("metric", {}), set(METRICS)).items()
    )
    partner = _selector(r, (*at, "partner"), w["partner"], PARTNER_QUANTITIES) if "partner" in w else None
    if partner is not None and incident is not None:
        raise r.fail((*at, "partner"), "expected either partner or incident (both name {partner}), not both")
    pair = _selector(r, (*at, "pair"), w["pair"], PAIR_QUANTITIES) if "pair" in w else None
    flags = {}
    for key in ("newcomer", "own_goals"):
        flags[key] = w.get(key, False)
        if not isinstance(flags[key], bool):
            raise r.fail((*at, key), f"expected true or false, got {flags[key]!r}")
    return Condition(weeks, scenarios, incident, metrics, partner, pair, flags["newcomer"], flags["own_goals"])


def _option(r: Reader, at: FieldPath, value: Any, when: Condition) -> Option:
    o = r.table(at, value, _OPTION_FIELDS, ("id", "label_nl", "label_en", "actions"))
    option_id = r.name((*at, "id"), o["id"])
    label = {lang: r.text((*at, f"label_{lang}"), o[f"label_{lang}"], 200) for lang in LANGS}
    explain = {
        lang: r.text((*at, f"explain_{lang}"), o[f"explain_{lang}"], 1000, multiline=True)
        for lang in LANGS
        if f"explain_{lang}" in o
    }
    roles = when.roles()
    texts = [(f"label_{lang}", value) for lang, value in label.items()]
    texts += [(f"explain_{lang}", value) for lang, value in explain.items()]
    for key, value in texts:
        for name in _PLACEHOLDER.findall(value):
            role = "pair" if name.startswith("pair_") else name
            if role not in roles:
                raise r.fail((*at, key), _unbound(name, role))
    items = r.array((*at, "actions"), o["actions"], 1, MAX_ACTIONS, "actions (an option acts in the model)")
    actions = tuple(_action(r, (*at, "actions", i), a, when) for i, a in enumerate(items))
    return Option(option_id, label, explain, actions)


def _partner_ref(r: Reader, at: FieldPath, value: Any, when: Condition, allow_pair: bool = False) -> str:
    """A partner: a name, or a placeholder bound by the conditions (``@partner``, ``@newcomer``, ``@own``, and
    where a list is allowed ``@pair``)."""
    name = r.text(at, value, 100)
    if name.startswith("@"):
        roles = ("partner", "pair", "newcomer", "own") if allow_pair else ("partner", "newcomer", "own")
        role = name[1:]
        if role not in roles:
            raise r.fail(at, f"expected a partner's name or one of {', '.join('@' + x for x in roles)}; got {name!r}")
        if role not in when.roles():
            raise r.fail(at, f"uses {name}, which needs {_BINDERS[role]} in the dilemma's conditions")
    return name


def _action(r: Reader, at: FieldPath, value: Any, when: Condition) -> Action:
    if not isinstance(value, dict):
        raise r.fail(at, f'expected an inline table like {{ do = "intervention", ... }}, got {value!r}')
    do = r.choice((*at, "do"), value.get("do"), ACTIONS)
    allowed, required = _ACTION_FIELDS[do]
    a = r.table(at, value, allowed, required)
    if do == "intervention":
        iv = r.choice((*at, "intervention"), a["intervention"], tuple(INTERVENTIONS))
        hours = r.number((*at, "hours"), a["hours"], 0.5, MAX_HOURS, what="a number of hours")
        targets = None
        if "targets" in a:
            raw = a["targets"] if isinstance(a["targets"], list) else [a["targets"]]
            items = r.array((*at, "targets"), raw, 1, 20, "partners")
            targets = tuple(_partner_ref(r, (*at, "targets", i), t, when, allow_pair=True) for i, t in enumerate(items))
        return Action(do, intervention=iv, hours=float(hours), targets=targets)
    if do == "set":
        setting = r.choice((*at, "setting"), a["setting"], (*NETWORK_SETTINGS, *PARTNER_SETTINGS))
        weeks = r.number((*at, "weeks"), a["weeks"], 1, MAX_HOLD_WEEKS, integer=True)
        if setting in NETWORK_SETTINGS:
            if "partner" in a:
                raise r.fail((*at, "partner"), f"{setting} is a network setting: expected no partner")
            p = PARAMETERS[setting]
            low, high = float(p.low or 0.0), float(p.high if p.high is not None else 1e9)
            v = r.number((*at, "value"), a["value"], low, high, what=f"a value of {setting}")
            return Action(do, setting=setting, value=float(v), weeks=int(weeks))
        if "partner" not in a:
            raise r.fail(at, f"{setting} is a partner's setting: expected partner = a name or @partner")
        partner = _partner_ref(r, (*at, "partner"), a["partner"], when)
        v = r.number((*at, "value"), a["value"], 0.0, 1.0, what=f"a value of {setting}")
        return Action(do, setting=setting, value=float(v), weeks=int(weeks), partner=partner)
    if do == "incident":
        if when.incident is None:
            raise r.fail((*at, "do"), "an incident action needs when.incident in the dilemma's conditions")
        return Action(do, outcome=r.choice((*at, "outcome"), a["outcome"], ("accounted", "blamed")))
    partner = _partner_ref(r, (*at, "partner"), a["partner"], when)
    if do == "join" and partner.startswith("@") and partner != "@newcomer":
        raise r.fail((*at, "partner"), "expected @newcomer or the name of a training scenario's newcomer")
    return Action(do, partner=partner)


def partners_named(dilemma: Dilemma) -> set[str]:
    """Partner names a dilemma's actions give literally (it fires only in scenarios that have them)."""
    names: set[str] = set()
    for option in dilemma.options:
        for action in option.actions:
            for name in (*(action.targets or ()), action.partner):
                if name and not name.startswith("@"):
                    names.add(name)
    return names


def fill(text_: str, bound: dict[str, Any]) -> str:
    """A dilemma's text with its placeholders replaced by the partners it concerns (no other formatting)."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "pair_a":
            return str(bound["pair"][0])
        if name == "pair_b":
            return str(bound["pair"][1])
        return str(bound.get(name, m.group(0)))

    return _PLACEHOLDER.sub(one, text_)


# ---- the engine ---------------------------------------------------------------------------------------------------


@dataclass
class Firing:
    """A dilemma that fired at the start of a week, with the partners it concerns.

    Attributes:
        dilemma: the dilemma.
        week: the week it fired in (1 = the first).
        bound: the partners its placeholders stand for: "partner", "newcomer", "own" a name, "pair" two names.
    """

    dilemma: Dilemma
    week: int
    bound: dict[str, Any] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return fill(self.dilemma.title[lang], self.bound)

    def text(self, lang: str) -> str:
        return fill(self.dilemma.text[lang], self.bound)

    def label(self, option: Option, lang: str) -> str:
        return fill(option.label[lang], self.bound)


def _selected(table: Any, selector: Selector) -> int | None:
    """The row a selector picks (lowest or highest ``of``, first in order on ties), or ``None``."""
    mask = np.ones(len(table), dtype=bool)
    for quantity, bound in selector.among:
        values = table[quantity].to_numpy(dtype=float)
        mask &= np.array([bound.holds(v) for v in values], dtype=bool)
    if not mask.any():
        return None
    values = table[selector.of].to_numpy(dtype=float)
    candidates = np.flatnonzero(mask & ~np.isnan(values))
    if not len(candidates):
        return None
    chosen = values[candidates]
    k = int(candidates[np.argmin(chosen) if selector.pick == "lowest" else np.argmax(chosen)])
    return k if selector.bound.holds(float(values[k])) else None


def evaluate(
    dilemma: Dilemma, model: Any, week: int, scenario_name: str, newcomers: tuple[str, ...]
) -> dict[str, Any] | None:
    """The partners a dilemma concerns if it fires now (at the start of ``week``), else ``None``."""
    when = dilemma.when
    if not when.weeks[0] <= week <= when.weeks[1]:
        return None
    if when.scenarios and scenario_name not in when.scenarios:
        return None
    st = model.state
    names = set(st.names)
    if not partners_named(dilemma) <= names:
        return None
    for name, bound in when.metrics:
        if not bound.holds(float(model.last_metrics.get(name, float("nan")))):
            return None
    out: dict[str, Any] = {}
    if when.incident is not None:
        last = [
            e
            for e in model.events
            if e["event"] == "incident"
            and e["step"] == model.steps
            and (when.incident == "any" or e["accounted"] == (when.incident == "accounted"))
            and st.active[st.index[e["partner"]]]
        ]
        if not last:
            return None
        out["partner"] = last[-1]["partner"]
    if when.partner is not None:
        table = model.partner_table()
        table = table[table["active"]].reset_index(drop=True)
        k = _selected(table, when.partner)
        if k is None:
            return None
        out["partner"] = str(table["name"][k])
    if when.pair is not None:
        edges = np.flatnonzero(st.edge_active & (st.src < st.dst))
        if not len(edges):
            return None
        values = _pair_quantity(st, when.pair.of)
        mutual = (values[edges] + values[st.rev[edges]]) / 2
        k = int(np.argmin(mutual) if when.pair.pick == "lowest" else np.argmax(mutual))
        if not when.pair.bound.holds(float(mutual[k])):
            return None
        e = edges[k]
        out["pair"] = (st.names[int(st.src[e])], st.names[int(st.dst[e])])
    if when.newcomer:
        outside = [n for n in newcomers if not st.active[st.index[n]]]
        if not outside:
            return None
        out["newcomer"] = outside[0]
    if when.own_goals:
        if st.goals is None:
            return None
        out["own"] = st.names[st.goals.own]
    return out


def _pair_quantity(st: Any, of: str) -> np.ndarray:
    """Per directed relation, the quantity a ``pair`` condition picks by (the columns of ``relation_table``)."""
    if of == "trust":
        return st.trust()
    if of == "board_trust":
        return st.board_trust() if st.layers else st.trust()
    return np.asarray(getattr(st, of), dtype=float)


def resolve_partners(ref: str, bound: dict[str, Any]) -> list[str]:
    """The partner names a reference stands for (``@pair``: two)."""
    if not ref.startswith("@"):
        return [ref]
    value = bound.get(ref[1:])
    if value is None:
        return []
    return list(value) if isinstance(value, tuple | list) else [value]


@dataclass
class Hold:
    """A setting held at a value for the weeks ``first`` to ``last`` (a ``set`` action)."""

    setting: str
    value: float
    first: int
    last: int
    partner: int | None = None


def apply_hold(model: Any, hold: Hold) -> None:
    """Put a held setting at its value (at the start of each of its weeks)."""
    st = model.state
    if hold.partner is not None:
        if st.active[hold.partner]:
            getattr(st, hold.setting)[hold.partner] = hold.value
        return
    model.params[hold.setting] = hold.value
    level = NETWORK_SETTINGS[hold.setting]
    if level is not None:
        value = hold.value
        if level == "procedure_equality":
            value = st.procedure_equality_floor(value)
        setattr(st, level, float(value))


def apply_action(model: Any, action: Action, bound: dict[str, Any], week: int, holds: list[Hold]) -> bool:
    """Apply one action of a chosen option at the start of ``week``; return whether it acted."""
    st = model.state
    if action.do == "intervention":
        targets = None
        if action.targets is not None:
            targets = [n for ref in action.targets for n in resolve_partners(ref, bound)]
            targets = [n for n in dict.fromkeys(targets) if n in st.index and st.active[st.index[n]]]
            if not targets or (action.intervention == "personal_contact" and len(targets) > 2):
                return False
        left = model.director.hours_left
        if left <= 1e-9:
            return False
        model.apply_intervention(action.intervention, targets=targets, hours=min(action.hours, left))
        return True
    if action.do == "set":
        partner = None
        if action.partner:
            names = resolve_partners(action.partner, bound)
            if not names or names[0] not in st.index or not st.active[st.index[names[0]]]:
                return False
            partner = st.index[names[0]]
        hold = Hold(action.setting, action.value, week, week + action.weeks - 1, partner)
        holds.append(hold)
        apply_hold(model, hold)
        return True
    if action.do == "incident":
        name = bound.get("partner")
        if name is None or not st.active[st.index[name]]:
            return False
        handle_incident(model, st.index[name], action.outcome == "accounted")
        return True
    names = resolve_partners(action.partner, bound)
    if not names or names[0] not in st.index:
        return False
    i = st.index[names[0]]
    if action.do == "join":
        if st.active[i]:
            return False
        model.join(names[0])
        return True
    if not st.active[i] or st.active.sum() <= 2:
        return False
    model.leave(names[0])
    return True


def handle_incident(model: Any, j: int, accounted: bool) -> None:
    """The network handles an incident of partner ``j`` as learning (``accounted``) or as blame: the model's own
    equations of ODD 7.3 (:func:`model.mechanisms.incident_learning`, :func:`model.mechanisms.incident_blame`), with
    the trust evidence gathered for the coming week."""
    st, c = model.state, model.constants
    edges = st.in_edges(j)
    edges = edges[st.edge_active[edges]]
    evidence = st.trust_evidence
    if accounted:
        st.expectation[edges], st.accountability[j], st.blame = mech.incident_learning(
            st.expectation[edges],
            st.real_effort[j],
            st.accountability[j],
            st.blame,
            c["learning_expectation_share"],
            c["learning_accountability_rate"],
            c["learning_blame_relief"],
        )
        evidence.add_positive(edges, c["learning_evidence"], "learning")
        return
    kappa = model.params["kappa"]
    evidence.add_negative(edges, kappa, "blame")
    evidence.add_negative(st.rev[edges], kappa, "blame")
    (st.accountability[j], st.openness[j], st.respect[edges], st.equality[j], st.blame) = mech.incident_blame(
        st.accountability[j],
        st.openness[j],
        st.respect[edges],
        st.understanding[edges],
        st.equality[j],
        st.power[st.src[edges]],
        st.power[j],
        st.blame,
        c["blame_closing_rate"],
        c["blame_understanding_threshold"],
        c["blame_respect_loss"],
        c["blame_equality_loss"],
        c["blame_culture_rise"],
    )
