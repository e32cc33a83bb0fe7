"""Scenarios: the networks the model runs on, as TOML data files.

A scenario names its partners (attributes from the model spec, section 2), the relations between them (with an
optional initial trust per side), the governance mode, the default horizon and parameter settings (``[set]``).
A generated scenario, like ``synthetic``, has a ``[generator]`` table instead of partner and relation lists.
Built-in scenarios live in ``model/data/``; users load their own by path. Files are parsed as data only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from model.parameters import GOVERNANCE_MODES, PARAMETERS

DATA_DIR = Path(__file__).parent / "data"
MAX_SCENARIO_BYTES = 2_000_000
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
}
_TOP_FIELDS = {
    "name",
    "title",
    "description",
    "governance",
    "steps",
    "initial_trust",
    "director_trust",
    "set",
    "partner",
    "relation",
    "generator",
}


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


@dataclass
class Relation:
    """An undirected relation with initial trust per side: ``trust_ab`` is a's trust in b."""

    a: str
    b: str
    trust_ab: float
    trust_ba: float


@dataclass
class Scenario:
    """A network to simulate.

    Attributes:
        name, title, description: identification for people.
        governance: shared, lead or nao.
        steps: the default horizon in weeks.
        settings: parameter values of the ``[set]`` table.
        partners, relations: the network (empty for a generated scenario until :meth:`build` is called).
        generator: the ``[generator]`` table of a generated scenario, else ``None``.
        director_trust: initial trust partners place in the director (nao: the base rate).
        source: where it was loaded from.
    """

    name: str
    title: str
    governance: str
    steps: int = 104
    description: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    partners: list[Partner] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    generator: dict[str, Any] | None = None
    initial_trust: float = 0.55
    director_trust: float = 0.55
    source: str = ""

    @property
    def generated(self) -> bool:
        return self.generator is not None

    def build(self, seed: int, n_partners: int | None = None) -> Scenario:
        """The concrete network: itself, or for a generated scenario a seeded draw of partners and relations."""
        if not self.generated:
            if n_partners is not None:
                raise ValueError(
                    f"parameter n_partners applies only to generated scenarios (like synthetic); scenario "
                    f"{self.name!r} has a fixed partner list"
                )
            return self
        return _generate(self, seed, n_partners)

    def partner_names(self) -> list[str]:
        return [p.name for p in self.partners]


def list_scenarios() -> list[str]:
    """Names of the built-in scenarios."""
    return sorted(p.stem for p in DATA_DIR.glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a scenario file by path.

    Raises:
        ValueError: the name is unknown, the file is not TOML, or its content is not a valid scenario.
    """
    text_path = Path(name_or_path)
    if isinstance(name_or_path, str) and name_or_path in list_scenarios():
        path = DATA_DIR / f"{name_or_path}.toml"
    elif text_path.suffix == ".toml" or text_path.exists():
        path = text_path
        if not path.is_file():
            raise ValueError(f"scenario file {str(path)!r} does not exist")
    else:
        raise ValueError(
            f"unknown scenario {str(name_or_path)!r}; built-in scenarios: {', '.join(list_scenarios())} "
            "(or give the path of a .toml scenario file)"
        )
    if path.stat().st_size > MAX_SCENARIO_BYTES:
        raise ValueError(f"scenario file {str(path)!r} is larger than {MAX_SCENARIO_BYTES // 1_000_000} MB")
    return parse_scenario(path.read_bytes(), source=str(path))


def read_toml(data: bytes | str, what: str, source: str, max_bytes: int | None = None) -> dict[str, Any]:
    """Parse TOML text as data only; a file that is too large, not UTF-8 or not TOML is refused with a
    ``ValueError`` that names ``what`` it should have been (e.g. "scenario") and its ``source``."""
    if isinstance(data, bytes):
        if max_bytes is not None and len(data) > max_bytes:
            raise ValueError(f"{what} {source} is larger than {max_bytes // 1_000_000} MB")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{what} {source} is not a UTF-8 text (TOML) file") from None
    try:
        return tomllib.loads(data)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{what} {source} is not valid TOML: {e}") from None


def parse_scenario(data: bytes | str, source: str = "<text>") -> Scenario:
    """Parse and check a scenario from TOML text. Raises ``ValueError`` naming the first problem found."""
    return scenario_from_dict(read_toml(data, "scenario", source, MAX_SCENARIO_BYTES), source)


def _num(where: str, value: Any, low: float = 0.0, high: float | None = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} must be a number, got {value!r}")
    if value < low or (high is not None and value > high):
        rng = f"[{low:g}, {high:g}]" if high is not None else f">= {low:g}"
        raise ValueError(f"{where} = {value!r} is outside {rng}")
    return float(value)


def scenario_from_dict(doc: dict[str, Any], source: str = "<dict>") -> Scenario:
    """Build and check a :class:`Scenario` from a parsed TOML document."""
    unknown = set(doc) - _TOP_FIELDS
    if unknown:
        raise ValueError(f"scenario {source}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_TOP_FIELDS)}")
    name = doc.get("name") or Path(source).stem
    if not isinstance(name, str):
        raise ValueError(f"scenario {source}: name must be a text")
    governance = doc.get("governance", "nao")
    if governance not in GOVERNANCE_MODES:
        raise ValueError(f"scenario {source}: governance {governance!r} is not one of {', '.join(GOVERNANCE_MODES)}")
    steps = doc.get("steps", 104)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"scenario {source}: steps must be a positive integer, got {steps!r}")
    settings = doc.get("set", {})
    if not isinstance(settings, dict):
        raise ValueError(f"scenario {source}: [set] must be a table")
    for key, value in settings.items():
        if key not in PARAMETERS or key in ("scenario", "n_partners", "collect_agents"):
            raise ValueError(f"scenario {source}: [set] names unknown or fixed parameter {key!r}")
        PARAMETERS[key].validate(value)
    scenario = Scenario(
        name=name,
        title=str(doc.get("title", name)),
        description=str(doc.get("description", "")),
        governance=governance,
        steps=steps,
        settings=dict(settings),
        initial_trust=_num(f"scenario {source}: initial_trust", doc.get("initial_trust", 0.55)),
        director_trust=_num(f"scenario {source}: director_trust", doc.get("director_trust", 0.55)),
        source=source,
    )
    if "generator" in doc:
        if "partner" in doc or "relation" in doc:
            raise ValueError(f"scenario {source}: a [generator] scenario has no partner or relation lists")
        scenario.generator = _check_generator(doc["generator"], source)
        return scenario
    partners = doc.get("partner", [])
    if not isinstance(partners, list) or len(partners) < 2:
        raise ValueError(f"scenario {source}: needs at least two [[partner]] entries (or a [generator] table)")
    scenario.partners = [_partner(p, i, source) for i, p in enumerate(partners)]
    names = [p.name for p in scenario.partners]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"scenario {source}: partner name(s) repeated: {', '.join(dupes)}")
    dims = {len(p.values) for p in scenario.partners}
    if len(dims) != 1:
        raise ValueError(f"scenario {source}: every partner needs the same number of values, got {sorted(dims)}")
    scenario.relations = [
        _relation(r, i, set(names), scenario.initial_trust, source) for i, r in enumerate(doc.get("relation", []))
    ]
    check_network(scenario)
    return scenario


def check_network(scenario: Scenario) -> None:
    """Every relation joins two distinct known partners, once; every partner has at least one relation."""
    names = set(scenario.partner_names())
    seen = set()
    linked = set()
    for r in scenario.relations:
        for n in (r.a, r.b):
            if n not in names:
                raise ValueError(f"scenario {scenario.source}: relation names unknown partner {n!r}")
        if r.a == r.b:
            raise ValueError(f"scenario {scenario.source}: relation of {r.a!r} with itself")
        key = frozenset((r.a, r.b))
        if key in seen:
            raise ValueError(f"scenario {scenario.source}: relation {r.a!r} - {r.b!r} is listed twice")
        seen.add(key)
        linked.update(key)
    lonely = [n for n in scenario.partner_names() if n not in linked]
    if lonely:
        raise ValueError(f"scenario {scenario.source}: partner(s) without any relation: {', '.join(lonely)}")


def _partner(p: Any, i: int, source: str) -> Partner:
    where = f"scenario {source}: partner {i + 1}"
    if not isinstance(p, dict):
        raise ValueError(f"{where} must be a table")
    unknown = set(p) - _PARTNER_FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_PARTNER_FIELDS)}")
    for required in ("name", "power", "stake", "values"):
        if required not in p:
            raise ValueError(f"{where} lacks {required!r}")
    name = p["name"]
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: name must be a non-empty text")
    where = f"scenario {source}: partner {name!r}"
    values = p["values"]
    if not isinstance(values, list) or not values:
        raise ValueError(f"{where}: values must be a list of numbers in [0, 1]")
    return Partner(
        name=name,
        kind=str(p.get("kind", "partner")),
        power=_num(f"{where}: power", p["power"]),
        dependency=_num(f"{where}: dependency", p.get("dependency", 0.3)),
        stake=_num(f"{where}: stake", p["stake"]),
        values=tuple(_num(f"{where}: values", v) for v in values),
        work_capacity=_num(f"{where}: work_capacity", p.get("work_capacity", 1.0), 0.0, 100.0),
        info_capacity=_num(f"{where}: info_capacity", p.get("info_capacity", 1.0), 1e-6, 100.0),
        accountability=_num(f"{where}: accountability", p.get("accountability", 0.5)),
    )


def _relation(r: Any, i: int, names: set[str], default_trust: float, source: str) -> Relation:
    where = f"scenario {source}: relation {i + 1}"
    if not isinstance(r, dict) or "between" not in r:
        raise ValueError(f'{where} needs between = ["A", "B"]')
    between = r["between"]
    if not isinstance(between, list) or len(between) != 2 or not all(isinstance(n, str) for n in between):
        raise ValueError(f"{where}: between must name two partners")
    for n in between:
        if n not in names:
            raise ValueError(f"{where} names unknown partner {n!r}")
    trust = r.get("trust", default_trust)
    if isinstance(trust, list):
        if len(trust) != 2:
            raise ValueError(f"{where}: trust must be one number or two [a->b, b->a]")
        t_ab, t_ba = (_num(f"{where}: trust", t) for t in trust)
    else:
        t_ab = t_ba = _num(f"{where}: trust", trust)
    return Relation(between[0], between[1], t_ab, t_ba)


_DIST_KINDS = {
    "uniform": ("low", "high"),
    "beta": ("a", "b"),
    "normal": ("mean", "sd"),
    "constant": ("value",),
}


def _check_generator(gen: Any, source: str) -> dict[str, Any]:
    where = f"scenario {source}: [generator]"
    if not isinstance(gen, dict):
        raise ValueError(f"{where} must be a table")
    n = gen.get("n_partners", 50)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"{where}: n_partners must be an integer >= 2")
    for key in ("power", "dependency", "stake", "values", "trust", "accountability"):
        if key in gen:
            d = gen[key]
            if not isinstance(d, dict) or d.get("dist") not in _DIST_KINDS:
                raise ValueError(f"{where}: {key} must be a table with dist = one of {', '.join(_DIST_KINDS)}")
            missing = [a for a in _DIST_KINDS[d["dist"]] if a not in d]
            if missing:
                raise ValueError(f"{where}: {key} ({d['dist']}) lacks {', '.join(missing)}")
    return dict(gen)


def _draw(rng: np.random.Generator, spec: dict[str, Any] | None, size, default: float) -> np.ndarray:
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
        raise ValueError(f"parameter n_partners={n} is not valid: expected an integer >= 2")
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
    names = [p.name for p in partners]
    relations = [
        Relation(names[a], names[b], t_ab, t_ba)
        for (a, b), (t_ab, t_ba) in zip(edges.tolist(), trust.tolist(), strict=True)
    ]
    return replace(template, partners=partners, relations=relations, generator=None, settings=dict(template.settings))
