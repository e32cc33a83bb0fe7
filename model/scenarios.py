"""Scenarios: the networks the model runs on, as TOML data files.

A scenario names its partners (attributes from the model spec, section 2), the relations between them (with an
optional initial trust per side), the governance mode, the default horizon, parameter settings (``[set]``) and,
for calibration, overrides of constants (``[constants]``, see :mod:`model.constants`).
A generated scenario, like ``synthetic``, has a ``[generator]`` table instead of partner and relation lists.
Built-in scenarios live in ``model/data/``; users load their own by path. Files are parsed as data only.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from model.constants import check_constants
from model.inputs import InputError, array, check_limit, number, read_input_file, read_toml, shown, table, text
from model.parameters import GOVERNANCE_MODES, PARAMETERS
from model.switches import check_switches

DATA_DIR = Path(__file__).parent / "data"
_PARTNER_FIELDS = {
    "name",
    "kind",
    "power",
    "dependency",
    "stake",
    "values",
    "work_capacity",
    "info_capacity",
    "accountability",
    "alignment",
}
#: A partner's vertical alignment between its board and its work floor when the scenario gives none (ODD 5, 7.13).
DEFAULT_ALIGNMENT = 0.5
_TOP_FIELDS = {
    "name",
    "title",
    "description",
    "governance",
    "steps",
    "initial_trust",
    "director_trust",
    "set",
    "constants",
    "switches",
    "partner",
    "relation",
    "generator",
    "director_goals",
}
_GOAL_FIELDS = {"overlap", "pressure", "resources", "weeks", "organisation"}


@dataclass
class Partner:
    """A partner organisation's static attributes (model spec, section 2)."""

    name: str
    kind: str
    power: float
    dependency: float
    stake: float
    values: tuple[float, ...]
    work_capacity: float = 1.0
    info_capacity: float = 1.0
    accountability: float = 0.5
    alignment: float = DEFAULT_ALIGNMENT  # board <-> work floor (switch ``layers``, ODD 7.13)


@dataclass
class Relation:
    """An undirected relation with initial trust per side: ``trust_ab`` is a's trust in b."""

    a: str
    b: str
    trust_ab: float
    trust_ba: float


@dataclass(frozen=True)
class DirectorGoals:
    """The goals of the director's own organisation (a scenario's ``[director_goals]`` table; ODD 7.12).

    Attributes:
        overlap: the share of the goals that is also the joint task (0-1).
        pressure: the weekly rate at which the organisation's pressure follows the goals' lag (0-1).
        resources: the largest rise of the partners' work capacity the goals bring as they advance (0-1).
        weeks: the weeks in which the goals are due (``None``: the scenario's horizon).
        organisation: the partner that is the director's own organisation (``None``: the most powerful partner,
            under lead governance the lead).
    """

    overlap: float = 0.5
    pressure: float = 0.05
    resources: float = 0.1
    weeks: int | None = None
    organisation: str | None = None


@dataclass
class Scenario:
    """A network to simulate.

    Attributes:
        name, title, description: identification for people.
        governance: shared, lead or nao.
        steps: the default horizon in weeks.
        settings: parameter values of the ``[set]`` table.
        constants: overrides of calibration constants, the ``[constants]`` table (:mod:`model.constants`).
        switches: mechanism switches, the ``[switches]`` table (:mod:`model.switches`; every switch on if absent).
        partners, relations: the network (empty for a generated scenario until :meth:`build` is called).
        generator: the ``[generator]`` table of a generated scenario, else ``None``.
        director_trust: initial trust partners place in the director (nao: the base rate).
        director_goals: the goals of the director's own organisation (``[director_goals]``), or ``None``: the
            director has no goals of its own.
        source: where it was loaded from.
    """

    name: str
    title: str
    governance: str
    steps: int = 104
    description: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    constants: dict[str, float] = field(default_factory=dict)
    switches: dict[str, bool] = field(default_factory=dict)
    partners: list[Partner] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    generator: dict[str, Any] | None = None
    initial_trust: float = 0.55
    director_trust: float = 0.55
    director_goals: DirectorGoals | None = None
    source: str = ""

    @property
    def generated(self) -> bool:
        return self.generator is not None

    def build(self, seed: int, n_partners: int | None = None) -> Scenario:
        """The concrete network: itself, or for a generated scenario a seeded draw of partners and relations."""
        if not self.generated:
            if n_partners is not None:
                raise InputError(
                    f"parameter n_partners applies only to generated scenarios (like synthetic); scenario "
                    f"{self.name!r} has a fixed partner list"
                )
            return self
        return _generate(self, seed, n_partners)

    def partner_names(self) -> list[str]:
        return [p.name for p in self.partners]

    def copy(self) -> Scenario:
        """An independent copy: its own tables, partners and relations (their fields are numbers, text and tuples,
        so a copy of each suffices), and its own generator table."""
        return replace(
            self,
            settings=dict(self.settings),
            constants=dict(self.constants),
            switches=dict(self.switches),
            partners=[copy.copy(p) for p in self.partners],
            relations=[copy.copy(r) for r in self.relations],
            generator=copy.deepcopy(self.generator),
        )


def list_scenarios() -> list[str]:
    """Names of the built-in scenarios."""
    return sorted(p.stem for p in DATA_DIR.glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a scenario file by path.

    Raises:
        InputError: the name is unknown, the file cannot be read, is not TOML, or is not a valid scenario.
    """
    if isinstance(name_or_path, str) and name_or_path in list_scenarios():
        path = DATA_DIR / f"{name_or_path}.toml"
    elif isinstance(name_or_path, str | Path) and (
        Path(name_or_path).suffix.lower() == ".toml" or os.path.lexists(name_or_path)
    ):
        path = Path(name_or_path)
    elif isinstance(name_or_path, str | Path):
        raise InputError(
            f"unknown scenario {str(name_or_path)!r}; built-in scenarios: {', '.join(list_scenarios())} "
            "(or give the path of a .toml scenario file)"
        )
    else:
        raise InputError(f"scenario must be a name or a path, got {type(name_or_path).__name__}")
    data = read_input_file(path, "scenario")
    key = (str(path), data)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = parse_scenario(data, source=str(path))
        if len(_PARSED) >= PARSED_KEPT:
            _PARSED.pop(next(iter(_PARSED)))  # the oldest
        _PARSED[key] = parsed
    return parsed.copy()


#: How many parsed scenario files :func:`load_scenario` keeps (by path and content: a changed file is parsed again),
#: so that many runs of one scenario parse its file once; each call returns an independent copy.
PARSED_KEPT = 16
_PARSED: dict[tuple[str, bytes], Scenario] = {}


def parse_scenario(data: bytes | str, source: str = "<text>") -> Scenario:
    """Parse and check a scenario from TOML text. Raises :class:`InputError` naming the first problem found."""
    return scenario_from_dict(read_toml(data, "scenario", source), source)


def _num(where: str, value: Any, low: float = 0.0, high: float | None = 1.0) -> float:
    return number(where, value, low, high)


def scenario_from_dict(doc: dict[str, Any], source: str = "<dict>") -> Scenario:
    """Build and check a :class:`Scenario` from a parsed TOML document."""
    table(f"scenario {source}", doc, _TOP_FIELDS)
    name = doc.get("name") or Path(source).stem
    name = text(f"scenario {source}: name", name)
    governance = doc.get("governance", "nao")
    if not isinstance(governance, str) or governance not in GOVERNANCE_MODES:
        raise InputError(
            f"scenario {source}: governance {shown(governance)} is not one of {', '.join(GOVERNANCE_MODES)}"
        )
    steps = doc.get("steps", 104)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise InputError(f"scenario {source}: steps must be a positive integer, got {shown(steps)}")
    check_limit(f"scenario {source}: steps", steps, "steps")
    settings = table(f"scenario {source}: [set]", doc.get("set", {}))
    for key, value in settings.items():
        if key not in PARAMETERS or key in ("scenario", "n_partners", "collect_agents"):
            raise InputError(f"scenario {source}: [set] names unknown or fixed parameter {shown(key)}")
        settings[key] = PARAMETERS[key].validate(value)
    constants = check_constants(doc.get("constants", {}), f"scenario {source}: [constants]")
    switches = check_switches(doc.get("switches", {}), f"scenario {source}: [switches]")
    scenario = Scenario(
        name=name,
        title=text(f"scenario {source}: title", doc.get("title", name), max_chars=500),
        description=_long_text(f"scenario {source}: description", doc.get("description", "")),
        governance=governance,
        steps=steps,
        settings=dict(settings),
        constants=constants,
        switches=switches,
        initial_trust=_num(f"scenario {source}: initial_trust", doc.get("initial_trust", 0.55)),
        director_trust=_num(f"scenario {source}: director_trust", doc.get("director_trust", 0.55)),
        director_goals=_director_goals(doc["director_goals"], source) if "director_goals" in doc else None,
        source=source,
    )
    if "generator" in doc:
        if "partner" in doc or "relation" in doc:
            raise InputError(f"scenario {source}: a [generator] scenario has no partner or relation lists")
        scenario.generator = _check_generator(doc["generator"], source)
        return scenario
    partners = doc.get("partner", [])
    if not isinstance(partners, list) or len(partners) < 2:
        raise InputError(f"scenario {source}: needs at least two [[partner]] entries (or a [generator] table)")
    check_limit(f"scenario {source}: partners", len(partners), "partners")
    scenario.partners = [_partner(p, i, source) for i, p in enumerate(partners)]
    names = [p.name for p in scenario.partners]
    counts = Counter(names)
    dupes = sorted(n for n, c in counts.items() if c > 1)
    if dupes:
        raise InputError(f"scenario {source}: partner name(s) repeated: {', '.join(map(repr, dupes))}")
    dims = {len(p.values) for p in scenario.partners}
    if len(dims) != 1:
        raise InputError(f"scenario {source}: every partner needs the same number of values, got {sorted(dims)}")
    relations = array(f"scenario {source}: [[relation]]", doc.get("relation", []))
    known = set(names)
    scenario.relations = [_relation(r, i, known, scenario.initial_trust, source) for i, r in enumerate(relations)]
    check_network(scenario)
    organisation = scenario.director_goals.organisation if scenario.director_goals else None
    if organisation is not None and organisation not in known:
        raise InputError(
            f"scenario {source}: [director_goals]: organisation {shown(organisation)} is not a partner; partners: "
            f"{', '.join(names[:20])}{' ...' if len(names) > 20 else ''}"
        )
    return scenario


def _director_goals(goals: Any, source: str) -> DirectorGoals:
    """The ``[director_goals]`` table: every field optional, each checked and named in errors."""
    where = f"scenario {source}: [director_goals]"
    table(where, goals, _GOAL_FIELDS)
    default = DirectorGoals()
    weeks = goals.get("weeks")
    if weeks is not None:
        weeks = number(f"{where}: weeks", weeks, 1, None, integer=True)
        check_limit(f"{where}: weeks", weeks, "steps")
    organisation = goals.get("organisation")
    return DirectorGoals(
        overlap=_num(f"{where}: overlap", goals.get("overlap", default.overlap)),
        pressure=_num(f"{where}: pressure", goals.get("pressure", default.pressure)),
        resources=_num(f"{where}: resources", goals.get("resources", default.resources)),
        weeks=weeks,
        organisation=None if organisation is None else text(f"{where}: organisation", organisation),
    )


def _long_text(where: str, value: Any) -> str:
    return text(where, value, allow_empty=True, max_chars=10_000, multiline=True)


def check_network(scenario: Scenario) -> None:
    """Every relation joins two distinct known partners, once; every partner has at least one relation."""
    names = set(scenario.partner_names())
    seen: set[frozenset[str]] = set()
    linked: set[str] = set()
    for r in scenario.relations:
        for n in (r.a, r.b):
            if n not in names:
                raise InputError(f"scenario {scenario.source}: relation names unknown partner {n!r}")
        if r.a == r.b:
            raise InputError(f"scenario {scenario.source}: relation of {r.a!r} with itself")
        key = frozenset((r.a, r.b))
        if key in seen:
            raise InputError(f"scenario {scenario.source}: relation {r.a!r} - {r.b!r} is listed twice")
        seen.add(key)
        linked.update(key)
    lonely = [n for n in scenario.partner_names() if n not in linked]
    if lonely:
        shown = ", ".join(map(repr, lonely[:10])) + (f" and {len(lonely) - 10} more" if len(lonely) > 10 else "")
        raise InputError(f"scenario {scenario.source}: partner(s) without any relation: {shown}")


def _partner(p: Any, i: int, source: str) -> Partner:
    where = f"scenario {source}: partner {i + 1}"
    table(where, p, _PARTNER_FIELDS, ("name", "power", "stake", "values"))
    name = text(f"{where}: name", p["name"])
    where = f"scenario {source}: partner {name!r}"
    values = p["values"]
    if not isinstance(values, list) or not values or len(values) > MAX_VALUE_DIMS:
        raise InputError(f"{where}: values must be a list of 1 to {MAX_VALUE_DIMS} numbers in [0, 1]")
    return Partner(
        name=name,
        kind=text(f"{where}: kind", p.get("kind", "partner")),
        power=_num(f"{where}: power", p["power"]),
        dependency=_num(f"{where}: dependency", p.get("dependency", 0.3)),
        stake=_num(f"{where}: stake", p["stake"]),
        values=tuple(_num(f"{where}: values", v) for v in values),
        work_capacity=_num(f"{where}: work_capacity", p.get("work_capacity", 1.0), 0.0, 100.0),
        info_capacity=_num(f"{where}: info_capacity", p.get("info_capacity", 1.0), 1e-6, 100.0),
        accountability=_num(f"{where}: accountability", p.get("accountability", 0.5)),
        alignment=_num(f"{where}: alignment", p.get("alignment", DEFAULT_ALIGNMENT)),
    )


def _relation(r: Any, i: int, names: set[str], default_trust: float, source: str) -> Relation:
    where = f"scenario {source}: relation {i + 1}"
    if not isinstance(r, dict) or "between" not in r:
        raise InputError(f'{where} needs between = ["A", "B"]')
    table(where, r, {"between", "trust"})
    between = r["between"]
    if not isinstance(between, list) or len(between) != 2 or not all(isinstance(n, str) for n in between):
        raise InputError(f"{where}: between must name two partners")
    for n in between:
        if n not in names:
            raise InputError(f"{where} names unknown partner {shown(n)}")
    trust = r.get("trust", default_trust)
    if isinstance(trust, list):
        if len(trust) != 2:
            raise InputError(f"{where}: trust must be one number or two [a->b, b->a]")
        t_ab, t_ba = (_num(f"{where}: trust", t) for t in trust)
    else:
        t_ab = t_ba = _num(f"{where}: trust", trust)
    return Relation(between[0], between[1], t_ab, t_ba)


MAX_VALUE_DIMS = 16
_DIST_KINDS = {
    "uniform": ("low", "high"),
    "beta": ("a", "b"),
    "normal": ("mean", "sd"),
    "constant": ("value",),
}
_GENERATOR_FIELDS = {
    "n_partners",
    "degree",
    "rewire",
    "value_dims",
    "kinds",
    "power",
    "dependency",
    "stake",
    "values",
    "trust",
    "accountability",
    "alignment",
}


def _check_generator(gen: Any, source: str) -> dict[str, Any]:
    where = f"scenario {source}: [generator]"
    table(where, gen, _GENERATOR_FIELDS)
    out = dict(gen)
    out["n_partners"] = number(f"{where}: n_partners", gen.get("n_partners", 50), 2, None, integer=True)
    check_limit(f"{where}: n_partners", out["n_partners"], "partners")
    out["degree"] = number(f"{where}: degree", gen.get("degree", 10), 1, 1_000, integer=True)
    out["rewire"] = number(f"{where}: rewire", gen.get("rewire", 0.1), 0.0, 1.0)
    out["value_dims"] = number(f"{where}: value_dims", gen.get("value_dims", 2), 1, MAX_VALUE_DIMS, integer=True)
    if "kinds" in gen:
        kinds = array(f"{where}: kinds", gen["kinds"], 1, 100)
        out["kinds"] = [text(f"{where}: kinds", k) for k in kinds]
    for key in ("power", "dependency", "stake", "values", "trust", "accountability", "alignment"):
        if key in gen:
            out[key] = _check_distribution(f"{where}: {key}", gen[key])
    return out


def _check_distribution(where: str, d: Any) -> dict[str, Any]:
    if not isinstance(d, dict) or not isinstance(d.get("dist"), str) or d["dist"] not in _DIST_KINDS:
        raise InputError(f"{where} must be a table with dist = one of {', '.join(_DIST_KINDS)}")
    kind = d["dist"]
    table(f"{where} ({kind})", d, {"dist", *_DIST_KINDS[kind]}, _DIST_KINDS[kind])
    out: dict[str, Any] = {"dist": kind}
    if kind == "uniform":
        out["low"] = number(f"{where}: low", d["low"], 0.0, 1.0)
        out["high"] = number(f"{where}: high", d["high"], 0.0, 1.0)
        if out["high"] < out["low"]:
            raise InputError(f"{where}: high = {out['high']!r} is below low = {out['low']!r}")
    elif kind == "beta":
        out["a"] = number(f"{where}: a", d["a"], 0.0, 1e6, low_open=True)
        out["b"] = number(f"{where}: b", d["b"], 0.0, 1e6, low_open=True)
    elif kind == "normal":
        out["mean"] = number(f"{where}: mean", d["mean"], 0.0, 1.0)
        out["sd"] = number(f"{where}: sd", d["sd"], 0.0, 10.0)
    else:
        out["value"] = number(f"{where}: value", d["value"], 0.0, 1.0)
    return out


def _draw(
    rng: np.random.Generator, spec: dict[str, Any] | None, size: int | tuple[int, int], default: float
) -> np.ndarray:
    if spec is None:
        return np.full(size, default)
    kind = spec["dist"]
    if kind == "uniform":
        x = rng.uniform(spec["low"], spec["high"], size)
    elif kind == "beta":
        x = rng.beta(spec["a"], spec["b"], size)
    elif kind == "normal":
        x = rng.normal(spec["mean"], spec["sd"], size)
    else:
        x = np.full(size, float(spec["value"]))
    return np.clip(x, 0.0, 1.0)


def small_world_edges(n: int, degree: int, rewire: float, rng: np.random.Generator) -> np.ndarray:
    """A Watts-Strogatz small-world graph as an (m, 2) array of undirected edges (i < j), vectorised.

    Ring lattice with ``degree`` (rounded down to even, at most n - 1) neighbours, each edge's far end rewired
    with probability ``rewire`` to a uniform random partner; self-loops and duplicates are dropped.
    """
    half = max(1, min(degree, n - 1) // 2)
    i = np.repeat(np.arange(n), half)
    j = (i + np.tile(np.arange(1, half + 1), n)) % n
    flip = rng.random(len(i)) < rewire
    j = np.where(flip, rng.integers(0, n, len(i)), j)
    edges = np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1)
    edges = edges[edges[:, 0] != edges[:, 1]]
    edges = _unique_pairs(edges, n)
    # every partner keeps at least one relation: link any isolated one to its ring neighbour
    degree_of = np.bincount(edges.ravel(), minlength=n)
    lonely = np.flatnonzero(degree_of == 0)
    if len(lonely):
        extra = np.stack([lonely, (lonely + 1) % n], axis=1)
        extra = np.sort(extra, axis=1)
        edges = _unique_pairs(np.concatenate([edges, extra]), n)
    return edges


def _unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    """``np.unique(pairs, axis=0)`` for integer pairs in [0, n), via one integer key per pair (much faster)."""
    keys = np.unique(pairs[:, 0].astype(np.int64) * n + pairs[:, 1])
    return np.stack([keys // n, keys % n], axis=1)


def _generate(template: Scenario, seed: int, n_partners: int | None) -> Scenario:
    gen = template.generator or {}
    n = int(n_partners if n_partners is not None else gen.get("n_partners", 50))
    if n < 2:
        raise InputError(f"parameter n_partners={n} is not valid: expected an integer >= 2")
    check_limit("parameter n_partners", n, "partners")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x53434E]))
    kinds = gen.get("kinds", ["gemeente", "zorgaanbieder", "maatschappelijk", "onderwijs", "woningcorporatie"])
    k = int(gen.get("value_dims", 2))
    power = _draw(rng, gen.get("power"), n, 0.4)
    dependency = _draw(rng, gen.get("dependency"), n, 0.3)
    stake = _draw(rng, gen.get("stake"), n, 0.7)
    values = _draw(rng, gen.get("values"), (n, k), 0.5)
    accountability = _draw(rng, gen.get("accountability"), n, 0.5)
    kind_idx = rng.integers(0, len(kinds), n)
    width = len(str(n))
    columns = zip(
        kind_idx.tolist(),
        power.tolist(),
        dependency.tolist(),
        stake.tolist(),
        values.tolist(),
        accountability.tolist(),
        strict=True,
    )  # Python numbers in one pass: indexing numpy arrays element by element is slow at scale
    partners = [
        Partner(f"P{i:0{width}d}", kinds[kind], pw, dep, st, tuple(vals), accountability=acc)
        for i, (kind, pw, dep, st, vals, acc) in enumerate(columns)
    ]
    edges = small_world_edges(n, int(gen.get("degree", 10)), float(gen.get("rewire", 0.1)), rng)
    trust = _draw(rng, gen.get("trust"), (len(edges), 2), template.initial_trust)
    # drawn last, so a generator without it draws the same network as before (ODD 7.13)
    if "alignment" in gen:
        for partner, a in zip(partners, _draw(rng, gen["alignment"], n, DEFAULT_ALIGNMENT).tolist(), strict=True):
            partner.alignment = a
    names = [p.name for p in partners]
    relations = [
        Relation(names[a], names[b], t_ab, t_ba)
        for (a, b), (t_ab, t_ba) in zip(edges.tolist(), trust.tolist(), strict=True)
    ]
    return replace(
        template,
        partners=partners,
        relations=relations,
        generator=None,
        settings=dict(template.settings),
        constants=dict(template.constants),
        switches=dict(template.switches),
    )
