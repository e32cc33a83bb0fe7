"""Sweep specifications and experimental designs: which parameter points to run, and with which seeds.

A sweep specification is a TOML file (see ``docs/experiments.md``)::

    scenario = "sociaal_domein"     # or a list under [parameters]
    steps = 104
    replications = 10
    seed = 1
    timeseries = true

    [design]
    kind = "sobol"                  # grid | lhs | sobol | morris
    samples = 64

    [parameters]
    blame_culture = { min = 0.0, max = 1.0 }    # a range: sampled designs only
    strategy = ["balanced", "task_focus"]       # a list: grid values, or categories crossed with the samples
    director_hours = 24                         # one value: the same in every point

    [constants]                                 # calibration constants (model/constants.py), written like parameters
    met_tolerance = [0.1, 0.25]
    synergy = 0.8

    [switches]                                  # mechanism switches (model/switches.py): on, off or both
    layers = [true, false]
    dependency = false

A calibration constant is a dimension like a parameter; its name in a point, in ``runs.parquet`` and in the analysis
is ``const.NAME`` (:data:`CONSTANT_PREFIX`), and :func:`split_point` separates a point into the model's keyword
arguments and its ``constants=`` overrides. A mechanism switch is a dimension of its own, ``switch.NAME``
(:data:`SWITCH_PREFIX`): one value (on or off in every point) or a list (``[true, false]``: both, crossed like a
parameter's list; never a range); :func:`split_point` gives it to the model as its ``switches=`` argument.

Everything is checked against the parameter declarations (:data:`model.parameters.PARAMETERS`), the constants'
valid domains (:data:`model.constants.CONSTANTS`) and the limits in force (:func:`model.inputs.current_limits`)
before anything runs: :func:`parse_spec` raises
:class:`model.inputs.InputError` with one sentence naming the bad entry. The file is read through
:func:`model.inputs.read_input_file` and :func:`model.inputs.read_toml` (a regular file, bounded in size and nesting).
The size of a design is computed from the counts alone, before any design matrix is built: more points than the
``design_points`` limit, or more runs (points x replications), is refused at once, even with ``--dry-run``.

Points are numbered in a fixed order. In a grid, ``point_id`` runs over the full factorial of the lists, the last
list varying fastest. In a sampled design, the lists are categorical and crossed with the sampled points: ``point_id
= combination * n_samples + sample``, where the combinations of categories are numbered like a grid. Samples come
from ``scipy.stats.qmc.LatinHypercube`` (lhs) and SALib's Saltelli/Sobol' (``calc_second_order = False``: N * (D + 2)
points) and Morris (r * (D + 1) points) samplers, seeded by the spec's ``seed``: the same spec always gives the same
points.

Seeds: run (point ``p``, replication ``r``) gets :func:`run_seed` = ``experiments.runner.derive_seed(seed, p, r)``,
a 63-bit integer drawn from ``numpy.random.SeedSequence([seed, p, r])``. Raising ``replications`` or adding points
never changes the seeds of runs already done.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from experiments.runner import derive_seed
from model import load_scenario
from model.constants import CONSTANTS, check_constants
from model.inputs import InputError, check_limit, number, read_input_file, read_toml, shown, table, text
from model.parameters import PARAMETERS
from model.switches import SWITCHES, switch_value

DESIGN_KINDS = ("grid", "lhs", "sobol", "morris")
TOP_LEVEL_KEYS = (
    "scenario",
    "steps",
    "replications",
    "seed",
    "timeseries",
    "design",
    "parameters",
    "constants",
    "switches",
)
RAW_KEYS = TOP_LEVEL_KEYS[:-2]  # the fields every :attr:`SweepSpec.raw` has, as stored in a manifest
OPTIONAL_RAW_KEYS = ("constants", "switches")  # ...and the fields it has only when the specification gives them
CONSTANT_PREFIX = "const."  # a calibration constant's name in a point and its column in runs.parquet
SWITCH_PREFIX = "switch."  # a mechanism switch's name in a point and its column in runs.parquet
NUMERIC_KINDS = ("float", "int")
MAX_SEED = 2**63 - 1
MAX_LEVELS = 1_000  # Morris grid levels


@dataclass(frozen=True)
class Range:
    """A sampled dimension: a numeric parameter (or ``const.NAME``, a constant) between ``low`` and ``high``
    (inclusive)."""

    name: str
    low: float
    high: float
    integer: bool = False

    def scale(self, unit: np.ndarray) -> list[Any]:
        """Map unit-interval coordinates to parameter values (integers: equal-width bins over low..high)."""
        if self.integer:
            lo, hi = int(self.low), int(self.high)
            return [min(hi, int(math.floor(lo + u * (hi - lo + 1)))) for u in unit]
        return [float(self.low + u * (self.high - self.low)) for u in unit]


@dataclass
class SweepSpec:
    """A validated sweep specification.

    Attributes:
        kind: the design: grid, lhs, sobol or morris.
        samples: lhs points, sobol base samples N, morris trajectories r (``None`` for a grid).
        levels: Morris grid levels.
        steps: weeks per run (``None``: each scenario's own horizon).
        replications: seeds per point.
        seed: the base seed.
        timeseries: also keep per-tick metrics.
        fixed: dimensions with one value in every point (including ``scenario``): parameters, then constants.
        lists: grid dimensions or categories, in the order of the file (parameters, then constants).
        ranges: the sampled dimensions, in the order of the file (parameters, then constants).
        raw: the specification as a plain dict with defaults filled in (stored in the manifest).

    A calibration constant's dimension is named ``const.NAME`` (:data:`CONSTANT_PREFIX`).
    """

    kind: str
    samples: int | None
    levels: int
    steps: int | None
    replications: int
    seed: int
    timeseries: bool
    fixed: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)
    ranges: list[Range] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def parameter_names(self) -> list[str]:
        """Every dimension the sweep sets, fixed ones first (the columns of ``runs.parquet``): parameter names
        and ``const.NAME`` for constants."""
        return [*self.fixed, *self.lists, *(r.name for r in self.ranges)]

    @property
    def n_samples(self) -> int:
        """Sampled points per combination of categories (1 for a grid)."""
        d = len(self.ranges)
        if self.kind == "grid":
            return 1
        if self.kind == "lhs":
            return int(self.samples)
        if self.kind == "sobol":
            return int(self.samples) * (d + 2)
        return int(self.samples) * (d + 1)

    @property
    def n_combinations(self) -> int:
        """Combinations of list values (grid points, or categories crossed with the samples)."""
        return math.prod(len(v) for v in self.lists.values())

    @property
    def n_points(self) -> int:
        """Parameter points."""
        return self.n_combinations * self.n_samples

    @property
    def n_runs(self) -> int:
        """Runs: points times replications."""
        return self.n_points * self.replications


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a sweep specification file (:func:`model.inputs.read_input_file`, then TOML).

    Raises:
        InputError: the path is missing, a folder or not a regular file, the file is too large, not UTF-8, not
            valid TOML or nested too deeply, or its content is refused (see :func:`parse_spec`).
    """
    shown = str(path)
    data = read_input_file(path, "sweep specification")
    return parse_spec(read_toml(data, "sweep specification", repr(shown)))


def _integer(data: dict, key: str, default: Any, low: int) -> Any:
    value = data.get(key, default)
    if value is None:
        return None
    return number(f"{key} in the sweep specification", value, low, integer=True)


def parse_spec(data: dict[str, Any]) -> SweepSpec:
    """Validate a parsed sweep specification against the parameter declarations and the limits in force.

    The counts (points, runs) are computed arithmetically and checked against the ``design_points`` limit
    before any design matrix is built; ``replications``, ``steps`` and a generated scenario's ``n_partners``
    are checked against their limits (:func:`model.inputs.current_limits`).

    Raises:
        InputError: one sentence naming the bad entry and what is accepted.
    """
    table("the sweep specification", data)
    unknown = [str(k) for k in data if k not in TOP_LEVEL_KEYS]
    if unknown:
        hint = " (parameters go under [parameters])" if unknown[0] in PARAMETERS else ""
        raise InputError(
            f"unknown setting {unknown[0]!r} in the sweep specification; accepted: {', '.join(TOP_LEVEL_KEYS)}{hint}"
        )
    steps = _integer(data, "steps", None, 0)
    if steps is not None:
        check_limit("steps in the sweep specification", steps, "steps")
    replications = _integer(data, "replications", 1, 1)
    check_limit("replications in the sweep specification", replications, "replications")
    seed = _integer(data, "seed", 1, 0)
    if seed > MAX_SEED:
        raise InputError(f"seed in the sweep specification = {seed} is more than 2**63 - 1")
    timeseries = data.get("timeseries", False)
    if not isinstance(timeseries, bool):
        raise InputError(f"timeseries = {shown(timeseries)} in the sweep specification: expected true or false")

    design = data.get("design", {"kind": "grid"})
    if not isinstance(design, dict):
        raise InputError(
            f"design = {shown(design)} in the sweep specification: expected a table, [design] with kind = ..."
        )
    table("[design]", design, {"kind", "samples", "levels"})
    kind = design.get("kind", "grid")
    if not isinstance(kind, str) or kind not in DESIGN_KINDS:
        raise InputError(f"design kind {shown(kind)} is unknown; expected one of {', '.join(DESIGN_KINDS)}")
    samples = design.get("samples")
    if kind == "grid":
        if samples is not None:
            raise InputError("design grid takes no samples: its points are the lists under [parameters]")
    else:
        what = {
            "lhs": "a positive number of points",
            "sobol": "a power of two (2, 4, 8, ...): the base sample N of N * (D + 2) points",
            "morris": "at least 2 trajectories r (r * (D + 1) points)",
        }[kind]
        if samples is None:
            raise InputError(f"design {kind} needs samples = {what}")
        ok = isinstance(samples, int) and not isinstance(samples, bool) and samples >= 1
        if ok and kind == "sobol":
            ok = samples >= 2 and samples & (samples - 1) == 0
        if ok and kind == "morris":
            ok = samples >= 2
        if not ok:
            raise InputError(f"design {kind} samples = {shown(samples)}: expected {what}")
    levels = design.get("levels", 4)
    if "levels" in design and kind != "morris":
        raise InputError(f"design {kind} takes no levels (only morris does)")
    if isinstance(levels, bool) or not isinstance(levels, int) or not 2 <= levels <= MAX_LEVELS or levels % 2:
        raise InputError(
            f"design morris levels = {shown(levels)}: expected an even number of levels from 2 to {MAX_LEVELS}"
        )

    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise InputError(f"parameters = {shown(params)} in the sweep specification: expected a table, [parameters]")
    fixed: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}
    ranges: list[Range] = []
    if "scenario" in data:
        if "scenario" in params:
            raise InputError("scenario is given twice: at the top of the specification and under [parameters]")
        if not isinstance(data["scenario"], str):
            raise InputError(
                f"scenario = {shown(data['scenario'])} at the top of the specification: expected one scenario "
                "name; put a list under [parameters]"
            )
        fixed["scenario"] = text("scenario at the top of the sweep specification", data["scenario"], max_chars=4096)
    for name, value in params.items():
        decl = PARAMETERS.get(name)
        if decl is None:
            if name in CONSTANTS:
                raise InputError(
                    f"{name} under [parameters] is a calibration constant; put it under [constants] in the sweep "
                    "specification"
                )
            raise InputError(
                f"unknown parameter {shown(name)} in the sweep specification; known: {', '.join(PARAMETERS)}"
            )
        if not decl.sweepable:
            raise InputError(f"parameter {name} cannot be swept")
        if isinstance(value, dict):
            ranges.append(_parse_range(name, value, decl, kind))
        elif isinstance(value, list):
            if not value:
                raise InputError(f"parameter {name} = []: expected at least one value")
            checked = [decl.validate(v) for v in value]
            if len(set(checked)) != len(checked):
                raise InputError(f"parameter {name} = {shown(value)}: a value is repeated")
            lists[name] = checked
        else:
            fixed[name] = decl.validate(value)
    given_constants = data.get("constants", {})
    _parse_constants(given_constants, kind, fixed, lists, ranges)
    given_switches = data.get("switches", {})
    _parse_switches(given_switches, fixed, lists)
    if kind != "grid" and not ranges:
        raise InputError(
            f"design {kind} needs at least one range under [parameters] or [constants], e.g. x = {{ min = 0, max = 1 }}"
        )
    if kind == "grid" and not lists and not fixed:
        raise InputError("design grid needs at least one parameter under [parameters] or constant under [constants]")

    spec = SweepSpec(
        kind=kind,
        samples=samples,
        levels=levels,
        steps=steps,
        replications=replications,
        seed=seed,
        timeseries=timeseries,
        fixed=fixed,
        lists=lists,
        ranges=ranges,
    )
    # sizes before anything is built: arithmetic on the counts only
    check_limit("points of the sweep design", spec.n_points, "design_points")
    check_limit("runs of the sweep (points x replications)", spec.n_runs, "design_points")
    _check_partners(spec)
    _check_scenarios(fixed, lists)

    spec.raw = {
        "scenario": data.get("scenario"),
        "steps": steps,
        "replications": replications,
        "seed": seed,
        "timeseries": timeseries,
        "design": {"kind": kind, "samples": samples, **({"levels": levels} if kind == "morris" else {})},
        "parameters": {k: v for k, v in params.items()},
    }
    if "constants" in data:  # only then: the stored specification of a sweep without constants is unchanged
        spec.raw["constants"] = {k: v for k, v in given_constants.items()}
    if "switches" in data:
        spec.raw["switches"] = {k: v for k, v in given_switches.items()}
    return spec


def spec_from_raw(raw: Any, where: str) -> SweepSpec:
    """The specification stored in a manifest (:attr:`SweepSpec.raw`), validated again like a file's.

    ``where`` names the place in messages (``"manifest.json in results/x: spec"``).

    Raises:
        InputError: the stored specification is not a table of the expected fields, or is refused by
            :func:`parse_spec` (the message then starts with ``where``).
    """
    table(where, raw, {*RAW_KEYS, *OPTIONAL_RAW_KEYS}, RAW_KEYS)
    design = table(f"{where}: design", raw["design"])
    data = {k: v for k, v in raw.items() if v is not None and k != "design"}
    data["design"] = {k: v for k, v in design.items() if v is not None}
    try:
        return parse_spec(data)
    except InputError as e:
        raise InputError(f"{where}: {e}") from None


def _parse_constants(
    given: Any, kind: str, fixed: dict[str, Any], lists: dict[str, list[Any]], ranges: list[Range]
) -> None:
    """Add the ``[constants]`` table's dimensions (``const.NAME``) to ``fixed``, ``lists`` and ``ranges``.

    Each value is checked against the constant's valid domain (:meth:`model.constants.Constant.check`); an unknown
    name gets the closest known one (:func:`model.constants.check_constants`).
    """
    where = "[constants] in the sweep specification"
    if not isinstance(given, dict):
        raise InputError(f"constants = {shown(given)} in the sweep specification: expected a table, [constants]")
    for name, value in given.items():
        if name not in CONSTANTS:
            check_constants({name: 0.0}, where)  # raises, naming the closest known constant
        constant = CONSTANTS[name]
        column = CONSTANT_PREFIX + name
        if isinstance(value, dict):
            if kind == "grid":
                raise InputError(
                    f"constant {name} is a range, but design grid needs a list of values, e.g. {name} = "
                    f"[{constant.low:g}, {constant.high:g}]"
                )
            if set(value) != {"min", "max"}:
                raise InputError(f"constant {name} = {shown(value)}: a range is written {{ min = ..., max = ... }}")
            low, high = (constant.check(value[end], f"{where}: range {end}") for end in ("min", "max"))
            if not low < high:
                raise InputError(f"constant {name}: range min {low!r} must be below max {high!r}")
            ranges.append(Range(name=column, low=low, high=high, integer=constant.integer))
        elif isinstance(value, list):
            if not value:
                raise InputError(f"constant {name} = []: expected at least one value")
            checked = [constant.check(v, where) for v in value]
            if len(set(checked)) != len(checked):
                raise InputError(f"constant {name} = {shown(value)}: a value is repeated")
            lists[column] = checked
        else:
            fixed[column] = constant.check(value, where)


def _parse_switches(given: Any, fixed: dict[str, Any], lists: dict[str, list[Any]]) -> None:
    """Add the ``[switches]`` table's dimensions (``switch.NAME``) to ``fixed`` and ``lists``: one value (on or
    off) or a list of both."""
    where = "[switches] in the sweep specification"
    if not isinstance(given, dict):
        raise InputError(f"switches = {shown(given)} in the sweep specification: expected a table, [switches]")
    for name, value in given.items():
        if name not in SWITCHES:
            raise InputError(f"{where}: unknown switch {shown(name)}; known: {', '.join(SWITCHES)}")
        column = SWITCH_PREFIX + name
        if isinstance(value, list):
            if not value:
                raise InputError(f"switch {name} = []: expected on, off, or [true, false]")
            checked = [switch_value(f"{where}: switch {name}", v) for v in value]
            if len(set(checked)) != len(checked):
                raise InputError(f"switch {name} = {shown(value)}: a value is repeated")
            lists[column] = checked
        else:
            fixed[column] = switch_value(f"{where}: switch {name}", value)


def split_point(point: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A point's model keyword arguments and its calibration constants (``const.NAME`` keys, without the prefix).

    The point's switches (``switch.NAME``) go into the keyword arguments as ``switches={NAME: bool}``.
    """
    params = {k: v for k, v in point.items() if not k.startswith((CONSTANT_PREFIX, SWITCH_PREFIX))}
    constants = {k[len(CONSTANT_PREFIX) :]: v for k, v in point.items() if k.startswith(CONSTANT_PREFIX)}
    switches = {k[len(SWITCH_PREFIX) :]: bool(v) for k, v in point.items() if k.startswith(SWITCH_PREFIX)}
    if switches:
        params["switches"] = switches
    return params, constants


def _parse_range(name: str, value: dict, decl: Any, kind: str) -> Range:
    if kind == "grid":
        raise InputError(
            f"parameter {name} is a range, but design grid needs a list of values, e.g. {name} = [0.1, 0.5, 0.9]"
        )
    if decl.kind not in NUMERIC_KINDS:
        raise InputError(f"parameter {name} is not a number, so it takes a list of values, not a range")
    if set(value) != {"min", "max"}:
        raise InputError(f"parameter {name} = {shown(value)}: a range is written {{ min = ..., max = ... }}")
    integer = decl.kind == "int"
    bounds = [number(f"parameter {name}: range {end}", value[end], integer=integer) for end in ("min", "max")]
    low, high = decl.validate(bounds[0]), decl.validate(bounds[1])
    if not low < high:
        raise InputError(f"parameter {name}: range min {low!r} must be below max {high!r}")
    return Range(name=name, low=low, high=high, integer=integer)


def _check_partners(spec: SweepSpec) -> None:
    """A generated scenario's ``n_partners`` (one value, a list or a range's max) within the ``partners`` limit."""
    values: list[Any] = []
    if "n_partners" in spec.fixed:
        values.append(spec.fixed["n_partners"])
    values += spec.lists.get("n_partners", [])
    values += [r.high for r in spec.ranges if r.name == "n_partners"]
    if values:
        check_limit("parameter n_partners in the sweep specification", int(max(values)), "partners")


def _check_scenarios(fixed: dict[str, Any], lists: dict[str, list[Any]]) -> None:
    names = lists.get("scenario") or [fixed.get("scenario", PARAMETERS["scenario"].default)]
    fixed_partners = []
    for name in names:
        scenario = load_scenario(name)  # raises InputError naming an unknown scenario or a bad file
        if not scenario.generated:
            fixed_partners.append(name)
    if fixed_partners and ("n_partners" in fixed or "n_partners" in lists):
        raise InputError(
            f"parameter n_partners applies only to generated scenarios (like synthetic); {', '.join(fixed_partners)} "
            "has a fixed partner list"
        )


def unit_samples(spec: SweepSpec) -> np.ndarray:
    """The design matrix in unit coordinates, shape (n_samples, number of ranges); empty for a grid."""
    d = len(spec.ranges)
    if spec.kind == "grid":
        return np.zeros((1, 0))
    if spec.kind == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d, rng=np.random.default_rng(spec.seed)).random(spec.samples)
    problem = salib_problem(spec)
    if spec.kind == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, spec.samples, calc_second_order=False, seed=spec.seed)
    from SALib.sample import morris

    return morris.sample(problem, spec.samples, num_levels=spec.levels, seed=spec.seed)


def salib_problem(spec: SweepSpec) -> dict[str, Any]:
    """SALib's problem definition over the unit cube of the sampled ranges."""
    return {
        "num_vars": len(spec.ranges),
        "names": [r.name for r in spec.ranges],
        "bounds": [[0.0, 1.0]] * len(spec.ranges),
    }


def combinations(spec: SweepSpec) -> list[dict[str, Any]]:
    """The combinations of list values (grid order: the last list varies fastest)."""
    names = list(spec.lists)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*spec.lists.values())]


def iter_points(spec: SweepSpec) -> Iterator[dict[str, Any]]:
    """The points in ``point_id`` order, one at a time: model keyword arguments, and ``const.NAME`` for constants
    (:func:`split_point` separates them)."""
    unit = unit_samples(spec)
    names = list(spec.lists)
    for values in itertools.product(*spec.lists.values()):
        for i in range(unit.shape[0]):
            point = dict(spec.fixed)
            point.update(zip(names, values, strict=True))
            point.update({r.name: r.scale(unit[i : i + 1, j])[0] for j, r in enumerate(spec.ranges)})
            yield point


def points(spec: SweepSpec) -> list[dict[str, Any]]:
    """Every point, indexed by ``point_id``: the fixed dimensions, lists and ranges (see :func:`split_point`)."""
    return list(iter_points(spec))


def run_seed(spec: SweepSpec, point_id: int, replication: int) -> int:
    """The seed of run (point, replication): ``SeedSequence([seed, point_id, replication])`` as a 63-bit integer."""
    return derive_seed(spec.seed, point_id, replication)


def run_id(point_id: int, replication: int) -> str:
    """The run's identifier, ``"<point_id>-<replication>"``: stable when replications or points are added."""
    return f"{point_id}-{replication}"
