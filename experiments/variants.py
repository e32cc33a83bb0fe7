"""What-if variants: changes to a scenario's network, governance and parameters, read from TOML.

A variant is data (``docs/what-if.md``)::

    name = "Woningcorporatie erbij, netwerkorganisatie"
    governance = "nao"

    [[add_partner]]          # missing fields: dependency 0.3, values = the network's mean, capacities 1
    name = "Woonstede"
    kind = "woningcorporatie"
    power = 0.4
    stake = 0.6
    links = ["Gemeente", "Politie"]

    [[remove_partner]]
    name = "Onderwijs"

    [[merge_partners]]
    names = ["Jeugdbescherming", "Reclassering"]
    into = "Jeugd & Reclassering"

    [[add_relation]]
    between = ["Politie", "GGZ"]

    [[remove_relation]]
    between = ["Gemeente", "Onderwijs"]

    [set]
    frame_clarity = 0.7
    director_hours = 24

:func:`apply_variant` applies the changes to a :class:`model.Scenario` in a fixed order: remove partners, merge
partners, add partners, remove relations, add relations, then governance and ``[set]``. Later steps see the
result of earlier ones (a new partner may link to a merged one; an added relation may name an added partner).

Decisions (documented in ``docs/what-if.md``):

- A removed partner takes its relations with it. A partner left without any relation is refused (one line naming
  it), as in a scenario file: add a relation for it or remove it too. Removing every partner, or all but one, is
  refused.
- Merging: power = the maximum (the merged organisation keeps the stronger position), dependency, stake, values and
  accountability = the mean, work and information capacity = the sum (both teams stay), kind = the common kind
  (else the kinds joined by "+"). Any of these may be set explicitly in the ``[[merge_partners]]`` table. Relations
  are the union of the merged partners' relations with others (the relation between them disappears); where both
  had a relation with the same partner, the initial trust of each side is the mean of the two.
- A new partner needs ``power`` and ``stake`` (or ``like = "Partner"`` to copy another partner's attributes);
  missing fields default to dependency 0.3, values = the network's mean, capacities 1, accountability 0.5. Its
  ``links`` get the scenario's ``initial_trust`` (or ``trust``: one number, or ``[new -> other, other -> new]``).
  With ``like`` and no ``links``, it copies that partner's relations and their initial trust.
- A generated scenario (like ``synthetic``) draws its network per seed: a variant that changes the network is
  applied to each seed's drawn network (:func:`variant_scenario`); partner names (``P00``, ...) do not depend on
  the seed, their attributes do.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from experiments.texts import VARIANT_CHANGES, column
from model.inputs import InputError, array, check_limit, number, read_input_file, read_toml, text
from model.parameters import GOVERNANCE_MODES, PARAMETERS
from model.scenarios import MAX_VALUE_DIMS, DirectorGoals, Partner, Relation, Scenario

_TOP_FIELDS = (
    "name",
    "description",
    "governance",
    "set",
    "add_partner",
    "remove_partner",
    "merge_partners",
    "add_relation",
    "remove_relation",
)
_ATTRIBUTES = ("kind", "power", "dependency", "stake", "values", "work_capacity", "info_capacity", "accountability")
_ADD_FIELDS = ("name", "like", *_ATTRIBUTES, "links", "trust")
_MERGE_FIELDS = ("names", "into", *_ATTRIBUTES)
_RELATION_FIELDS = ("between", "trust")
_FIXED = ("scenario", "collect_agents")  # parameters a variant cannot set
_WORDS = {lang: column(VARIANT_CHANGES, lang) for lang in ("en", "nl")}  # the texts: experiments.texts
_NETWORK_KEYS = ("add_partner", "remove_partner", "merge_partners", "add_relation", "remove_relation")


@dataclass
class Variant:
    """A what-if variant: network changes, a governance mode and parameter settings.

    Attributes:
        name: a short title for tables and reports.
        description: optional longer text.
        governance: shared, lead or nao, or ``None`` (the scenario's).
        add_partner: tables of new partners (``name``, ``like``, attributes, ``links``, ``trust``).
        remove_partner: names of partners to remove.
        merge_partners: tables with ``names`` (two or more), ``into`` and optional attribute overrides.
        add_relation: tables with ``between`` (two names) and optional ``trust``.
        remove_relation: pairs of names.
        settings: parameter values (the ``[set]`` table), validated by :mod:`model.parameters`.
        source: where it was read from.
    """

    name: str
    description: str = ""
    governance: str | None = None
    add_partner: list[dict[str, Any]] = field(default_factory=list)
    remove_partner: list[str] = field(default_factory=list)
    merge_partners: list[dict[str, Any]] = field(default_factory=list)
    add_relation: list[dict[str, Any]] = field(default_factory=list)
    remove_relation: list[tuple[str, str]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    source: str = "<variant>"

    @property
    def changes_network(self) -> bool:
        """Whether the variant adds, removes or merges partners or relations."""
        return any(getattr(self, key) for key in _NETWORK_KEYS)

    @property
    def is_null(self) -> bool:
        """A variant that changes nothing (it must give exactly the baseline's results)."""
        return not self.changes_network and self.governance is None and not self.settings

    def describe(self, lang: str = "en") -> list[str]:
        """The changes in plain words (``lang`` en or nl), one line each, in the order they are applied."""
        t = _WORDS["nl" if lang == "nl" else "en"]
        lines = [t["remove"].format(n) for n in self.remove_partner]
        lines += [t["merge"].format(" + ".join(m["names"]), m["into"]) for m in self.merge_partners]
        for a in self.add_partner:
            like = t["like"].format(a["like"]) if a.get("like") else ""
            links = t["links"].format(", ".join(a["links"])) if a.get("links") else ""
            lines.append(t["add"].format(a["name"]) + like + links)
        lines += [t["unlink"].format(a, b) for a, b in self.remove_relation]
        lines += [t["link"].format(*r["between"]) for r in self.add_relation]
        if self.governance:
            lines.append(t["governance"].format(self.governance))
        lines += [f"{k} = {v}" for k, v in self.settings.items()]
        return lines or [t["none"]]

    def to_dict(self) -> dict[str, Any]:
        """The variant as a TOML-shaped document (what :func:`variant_from_dict` reads)."""
        doc: dict[str, Any] = {"name": self.name}
        if self.description:
            doc["description"] = self.description
        if self.governance:
            doc["governance"] = self.governance
        if self.add_partner:
            doc["add_partner"] = [dict(a) for a in self.add_partner]
        if self.remove_partner:
            doc["remove_partner"] = [{"name": n} for n in self.remove_partner]
        if self.merge_partners:
            doc["merge_partners"] = [dict(m) for m in self.merge_partners]
        if self.add_relation:
            doc["add_relation"] = [dict(r) for r in self.add_relation]
        if self.remove_relation:
            doc["remove_relation"] = [{"between": list(p)} for p in self.remove_relation]
        if self.settings:
            doc["set"] = dict(self.settings)
        return doc

    def to_toml(self) -> str:
        """The variant as TOML text (round-trips through :func:`parse_variant`)."""
        return _dump_toml(self.to_dict())


# ---- reading -------------------------------------------------------------------------------------------------


def load_variant(path: str | Path) -> Variant:
    """Read a variant file.

    Raises:
        InputError: the file is missing, too large, not TOML, or not a valid variant (one line naming the problem).
    """
    return parse_variant(read_input_file(path, "variant"), source=str(path))


def parse_variant(data: bytes | str, source: str = "<text>") -> Variant:
    """Parse and check a variant from TOML text (structure and parameter values; partner names are checked
    against a scenario by :func:`apply_variant`)."""
    return variant_from_dict(read_toml(data, "variant", source), source)


def variant_from_dict(doc: dict[str, Any], source: str = "<dict>") -> Variant:
    """Build and check a :class:`Variant` from a parsed TOML document."""
    where = f"variant {source}"
    if not isinstance(doc, dict):
        raise InputError(f"{where} must be a table")
    unknown = sorted(set(doc) - set(_TOP_FIELDS))
    if unknown:
        raise InputError(f"{where}: unknown field(s) {unknown}; allowed: {', '.join(_TOP_FIELDS)}")
    name = text(f"{where}: name", doc.get("name", "variant" if source.startswith("<") else Path(source).stem))
    governance = doc.get("governance")
    if governance is not None and (not isinstance(governance, str) or governance not in GOVERNANCE_MODES):
        raise InputError(f"{where}: governance {governance!r:.60} is not one of {', '.join(GOVERNANCE_MODES)}")
    settings = doc.get("set", {})
    if not isinstance(settings, dict):
        raise InputError(f"{where}: [set] must be a table of parameter = value")
    checked = {}
    for key, value in settings.items():
        if key in _FIXED:
            raise InputError(f"{where}: [set] cannot set {key!r} (a variant changes the scenario it is applied to)")
        if key not in PARAMETERS:
            raise InputError(
                f"{where}: [set] names unknown parameter {key!r:.60}; known parameters: {', '.join(PARAMETERS)}"
            )
        try:
            checked[key] = PARAMETERS[key].validate(value)
        except InputError as e:
            raise InputError(f"{where}: [set] {e}") from None
    if "governance" in checked:
        if governance is not None and checked["governance"] != governance:
            raise InputError(f"{where}: governance is given twice with different values")
        governance = checked.pop("governance")
    return Variant(
        name=name.strip(),
        description=_description(doc.get("description", ""), where),
        governance=governance,
        add_partner=[_check_add(t, i, where) for i, t in enumerate(_tables(doc, "add_partner", where))],
        remove_partner=[_check_remove(t, i, where) for i, t in enumerate(_tables(doc, "remove_partner", where))],
        merge_partners=[_check_merge(t, i, where) for i, t in enumerate(_tables(doc, "merge_partners", where))],
        add_relation=[
            _check_relation(t, i, where, "add_relation") for i, t in enumerate(_tables(doc, "add_relation", where))
        ],
        remove_relation=[
            tuple(_check_relation(t, i, where, "remove_relation")["between"])
            for i, t in enumerate(_tables(doc, "remove_relation", where))
        ],
        settings=checked,
        source=source,
    )


def _description(value: Any, where: str) -> str:
    return (
        text(f"{where}: description", value, allow_empty=True, max_chars=10_000, multiline=True) if value != "" else ""
    )


def _tables(doc: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    items = doc.get(key, [])
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(t, dict) for t in items):
        raise InputError(f"{where}: {key} must be a list of tables ([[{key}]])")
    check_limit(f"{where}: {key} entries", len(items), "partners")
    return items


def _unknown(t: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    extra = sorted(set(t) - set(allowed))
    if extra:
        raise InputError(f"{where}: unknown field(s) {extra}; allowed: {', '.join(allowed)}")


def _text(value: Any, where: str) -> str:
    return text(where, value)


def _unit(value: Any, where: str, high: float = 1.0, low: float = 0.0) -> float:
    return number(where, value, low, high)


def _trust(value: Any, where: str) -> float | list[float]:
    if isinstance(value, list):
        if len(value) != 2:
            raise InputError(f"{where}: trust must be one number or two [a -> b, b -> a]")
        return [_unit(v, f"{where}: trust") for v in value]
    return _unit(value, f"{where}: trust")


def _check_attributes(t: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _ATTRIBUTES:
        if key not in t:
            continue
        value = t[key]
        if key == "kind":
            out[key] = _text(value, f"{where}: kind")
        elif key == "values":
            if not isinstance(value, list) or not value or len(value) > MAX_VALUE_DIMS:
                raise InputError(f"{where}: values must be a list of 1 to {MAX_VALUE_DIMS} numbers in [0, 1]")
            out[key] = [_unit(v, f"{where}: values") for v in value]
        elif key in ("work_capacity", "info_capacity"):
            out[key] = _unit(value, f"{where}: {key}", high=100.0, low=1e-6 if key == "info_capacity" else 0.0)
        else:
            out[key] = _unit(value, f"{where}: {key}")
    return out


def _check_add(t: dict[str, Any], i: int, where: str) -> dict[str, Any]:
    here = f"{where}: add_partner {i + 1}"
    _unknown(t, _ADD_FIELDS, here)
    name = _text(t.get("name"), f"{here}: name")
    here = f"{where}: add_partner {name!r}"
    out: dict[str, Any] = {"name": name}
    if "like" in t:
        out["like"] = _text(t["like"], f"{here}: like")
    else:
        missing = [k for k in ("power", "stake") if k not in t]
        if missing:
            raise InputError(f'{here} lacks {" and ".join(missing)} (or like = "an existing partner")')
    out.update(_check_attributes(t, here))
    if "links" in t:
        links = t["links"]
        array(f"{here}: links", links, 1)
        links = [text(f"{here}: links", n) for n in links]
        if len(set(links)) != len(links):
            raise InputError(f"{here}: links names a partner twice")
        out["links"] = list(links)
    elif "like" not in t:
        raise InputError(f'{here} needs links = ["Partner", ...] (every partner needs at least one relation)')
    if "trust" in t:
        out["trust"] = _trust(t["trust"], here)
    return out


def _check_remove(t: dict[str, Any], i: int, where: str) -> str:
    here = f"{where}: remove_partner {i + 1}"
    _unknown(t, ("name",), here)
    return _text(t.get("name"), f"{here}: name")


def _check_merge(t: dict[str, Any], i: int, where: str) -> dict[str, Any]:
    here = f"{where}: merge_partners {i + 1}"
    _unknown(t, _MERGE_FIELDS, here)
    names = t.get("names")
    if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) and n for n in names):
        raise InputError(f"{here}: names must list two or more partners")
    names = [text(f"{here}: names", n) for n in names]
    if len(set(names)) != len(names):
        raise InputError(f"{here}: names lists a partner twice")
    into = _text(t.get("into", " & ".join(names)), f"{here}: into")
    return {"names": list(names), "into": into, **_check_attributes(t, here)}


def _check_relation(t: dict[str, Any], i: int, where: str, key: str) -> dict[str, Any]:
    here = f"{where}: {key} {i + 1}"
    _unknown(t, _RELATION_FIELDS if key == "add_relation" else ("between",), here)
    between = t.get("between")
    if not isinstance(between, list) or len(between) != 2 or not all(isinstance(n, str) and n for n in between):
        raise InputError(f'{here} needs between = ["A", "B"] (two partner names)')
    between = [text(f"{here}: between", n) for n in between]
    if between[0] == between[1]:
        raise InputError(f"{here}: a relation of {between[0]!r} with itself")
    out: dict[str, Any] = {"between": list(between)}
    if "trust" in t:
        out["trust"] = _trust(t["trust"], here)
    return out


# ---- applying ------------------------------------------------------------------------------------------------


def variant_scenario(
    template: Scenario, variant: Variant | None, seed: int | None = None, n_partners: int | None = None
) -> Scenario:
    """The scenario a model runs for ``variant`` (``None``: the baseline) at ``seed``.

    A generated template is drawn for the seed first (so a network change applies to that seed's network); a
    fixed one is used as is. ``n_partners`` (or the variant's ``[set] n_partners``) sizes a generated network.
    """
    n = variant.settings.get("n_partners", n_partners) if variant is not None else n_partners
    if not template.generated and n is not None:
        raise InputError(
            f"parameter n_partners applies only to generated scenarios (like synthetic); scenario "
            f"{template.name!r} has a fixed partner list"
        )
    if template.generated and seed is None:
        raise InputError(f"scenario {template.name!r} is generated per seed: give the seed to build it")
    base = template.build(int(seed), n) if template.generated else template
    return base if variant is None else apply_variant(base, variant)


def apply_variant(scenario: Scenario, variant: Variant) -> Scenario:
    """A new scenario: ``scenario`` with the variant's changes (the original is left unchanged).

    Raises:
        InputError: a name the scenario does not know, a duplicate name or relation, a partner left without
            relations, fewer than two partners left, or a generated scenario with network changes (build it for
            a seed first: :func:`variant_scenario`).
    """
    where = f"variant {variant.name!r}"
    settings = dict(scenario.settings)
    settings.update({k: v for k, v in variant.settings.items() if k != "n_partners"})
    governance = variant.governance or settings.get("governance") or scenario.governance
    if variant.governance:
        settings["governance"] = variant.governance
    title = scenario.title if variant.is_null else f"{scenario.title} — {variant.name}"
    if scenario.generated:
        if variant.changes_network:
            raise InputError(
                f"{where} changes the network of generated scenario {scenario.name!r}, which is drawn per seed; "
                "apply it to a drawn network (variant_scenario with a seed)"
            )
        return replace(scenario, title=title, governance=governance, settings=settings)

    partners: dict[str, Partner] = {p.name: replace(p) for p in scenario.partners}
    relations: dict[frozenset[str], Relation] = {frozenset((r.a, r.b)): replace(r) for r in scenario.relations}
    dims = len(scenario.partners[0].values) if scenario.partners else 2

    def known(name: str, what: str) -> None:
        if name not in partners:
            raise InputError(
                f"{where}: {what} names unknown partner {name!r}; partners of {scenario.name}: {', '.join(partners)}"
            )

    for name in variant.remove_partner:
        known(name, "remove_partner")
        del partners[name]
        for key in [k for k in relations if name in k]:
            del relations[key]
    if not partners:
        raise InputError(f"{where} removes every partner of scenario {scenario.name!r}")

    for merge in variant.merge_partners:
        partners, relations = _merge(partners, relations, merge, where, known, dims)

    for add in variant.add_partner:
        _add(partners, relations, add, where, known, dims, scenario.initial_trust)

    for a, b in variant.remove_relation:
        known(a, "remove_relation")
        known(b, "remove_relation")
        if frozenset((a, b)) not in relations:
            raise InputError(f"{where}: remove_relation {a!r} - {b!r}: there is no such relation")
        del relations[frozenset((a, b))]

    for rel in variant.add_relation:
        a, b = rel["between"]
        known(a, "add_relation")
        known(b, "add_relation")
        if frozenset((a, b)) in relations:
            raise InputError(f"{where}: add_relation {a!r} - {b!r}: that relation exists already")
        t_ab, t_ba = _sides(rel.get("trust", scenario.initial_trust))
        relations[frozenset((a, b))] = Relation(a, b, t_ab, t_ba)

    if len(partners) < 2:
        raise InputError(f"{where} leaves fewer than two partners in scenario {scenario.name!r}")
    check_limit(f"{where}: partners after the changes", len(partners), "partners")
    linked = {n for key in relations for n in key}
    lonely = [n for n in partners if n not in linked]
    if lonely:
        raise InputError(
            f"{where} leaves partner(s) without any relation: {', '.join(lonely)} "
            "(add a relation for them with add_relation, or remove them too)"
        )
    return replace(
        scenario,
        title=title,
        governance=governance,
        settings=settings,
        partners=list(partners.values()),
        relations=list(relations.values()),
        director_goals=_goals_after(scenario.director_goals, variant, partners),
        source=variant.source,
    )


def _goals_after(goals: DirectorGoals | None, variant: Variant, partners: dict[str, Partner]) -> DirectorGoals | None:
    """The director's own goals (ODD 7.12) after the network changes: a merged own organisation is the merger; a
    removed one leaves the goals with the most powerful partner (the default)."""
    if goals is None or goals.organisation is None or goals.organisation in partners:
        return goals
    into = next((m["into"] for m in variant.merge_partners if goals.organisation in m["names"]), None)
    return replace(goals, organisation=into if into in partners else None)


def _sides(trust: float | list[float]) -> tuple[float, float]:
    return (float(trust[0]), float(trust[1])) if isinstance(trust, list | tuple) else (float(trust), float(trust))


def _merge(partners, relations, merge, where, known, dims):
    names, into = merge["names"], merge["into"]
    for n in names:
        known(n, "merge_partners")
    if into in partners and into not in names:
        raise InputError(f"{where}: merge_partners into {into!r}: a partner of that name exists already")
    parts = [partners[n] for n in names]
    kinds = sorted({p.kind for p in parts})
    merged = Partner(
        name=into,
        kind=merge.get("kind", kinds[0] if len(kinds) == 1 else "+".join(p.kind for p in parts)),
        power=merge.get("power", max(p.power for p in parts)),
        dependency=merge.get("dependency", float(np.mean([p.dependency for p in parts]))),
        stake=merge.get("stake", float(np.mean([p.stake for p in parts]))),
        values=tuple(merge.get("values", np.mean([p.values for p in parts], axis=0).tolist())),
        work_capacity=merge.get("work_capacity", float(sum(p.work_capacity for p in parts))),
        info_capacity=merge.get("info_capacity", float(sum(p.info_capacity for p in parts))),
        accountability=merge.get("accountability", float(np.mean([p.accountability for p in parts]))),
    )
    if len(merged.values) != dims:
        raise InputError(f"{where}: merge_partners {into!r}: values need {dims} numbers, like the other partners")
    # the union of relations with others; trust per side averaged where both had one
    toward: dict[str, list[tuple[float, float]]] = {}
    for key, r in relations.items():
        inside = [n for n in key if n in names]
        if len(inside) == 1 and len(key) == 2:
            other = next(n for n in key if n not in names)
            mine, theirs = (r.trust_ab, r.trust_ba) if r.a in names else (r.trust_ba, r.trust_ab)
            toward.setdefault(other, []).append((mine, theirs))
    new_partners: dict[str, Partner] = {}
    for n, p in partners.items():
        if n == names[0]:
            new_partners[into] = merged
        elif n not in names:
            new_partners[n] = p
    new_relations = {k: r for k, r in relations.items() if not (k & set(names))}
    for other, sides in toward.items():
        t = np.mean(sides, axis=0)
        new_relations[frozenset((into, other))] = Relation(into, other, float(t[0]), float(t[1]))
    return new_partners, new_relations


def _add(partners, relations, add, where, known, dims, initial_trust) -> None:
    name = add["name"]
    if name in partners:
        raise InputError(f"{where}: add_partner {name!r}: a partner of that name exists already")
    if "like" in add:
        known(add["like"], f"add_partner {name!r} like")
        model = partners[add["like"]]
        base = {k: getattr(model, k) for k in _ATTRIBUTES}
    else:
        values = np.mean([p.values for p in partners.values()], axis=0).tolist()
        base = {"kind": "partner", "dependency": 0.3, "values": values, "work_capacity": 1.0, "info_capacity": 1.0}
        base["accountability"] = 0.5
    base.update({k: add[k] for k in _ATTRIBUTES if k in add})
    base["values"] = tuple(float(v) for v in base["values"])
    if len(base["values"]) != dims:
        raise InputError(f"{where}: add_partner {name!r}: values need {dims} numbers, like the other partners")
    new = Partner(name=name, **base)
    if "links" in add:
        links = []
        t_new, t_other = _sides(add.get("trust", initial_trust))
        for other in add["links"]:
            known(other, f"add_partner {name!r} links")
            links.append(Relation(name, other, t_new, t_other))
    else:  # like a partner, with its relations and their initial trust
        like = add["like"]
        links = []
        for key, r in relations.items():
            if like in key:
                other = next(n for n in key if n != like)
                mine, theirs = (r.trust_ab, r.trust_ba) if r.a == like else (r.trust_ba, r.trust_ab)
                links.append(Relation(name, other, mine, theirs))
        if "trust" in add:
            t_new, t_other = _sides(add["trust"])
            links = [Relation(r.a, r.b, t_new, t_other) for r in links]
        if not links:
            raise InputError(f"{where}: add_partner {name!r} like {like!r}: that partner has no relations to copy")
    partners[name] = new
    for r in links:
        relations[frozenset((r.a, r.b))] = r


# ---- writing ---------------------------------------------------------------------------------------------------


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v) if isinstance(v, int) else repr(float(v))
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} as TOML")


def _dump_toml(doc: dict[str, Any]) -> str:
    lines = [f"{k} = {_toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict) and not _is_tables(v)]
    for key, value in doc.items():
        if _is_tables(value):
            for table in value:
                lines += ["", f"[[{key}]]"] + [f"{k} = {_toml_value(v)}" for k, v in table.items()]
        elif isinstance(value, dict):
            lines += ["", f"[{key}]"] + [f"{k} = {_toml_value(v)}" for k, v in value.items()]
    return "\n".join(lines) + "\n"


def _is_tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(t, dict) for t in v)
