"""The eleven patterns of the model spec (section 8) as experiments, and the sub-mechanism reproductions (section 9).

One module per pattern, each declaring one object named ``PATTERN``: its claim, source, scenarios, the *arms* of its
experiment (named parameter settings, each run over the same seeds: common random numbers, so the comparison
between arms is paired), the evaluation that turns the arms' results into table rows (one statistical check each),
its figure and the text of its section in docs/validation.md::

    p01_blame.py .. p11_governance_size.py     the patterns (Pattern)
    p07m_strategy_map.py                       the pattern-7 map, a part of pattern 7's section (Pattern)
    s1_beta_reputation.py .. s3_...py          the sub-mechanisms (SubMechanism)
    common.py                                  configuration, declarations, running one replication, statistics
    plotting.py                                plotting helpers of the figures
    page.py                                    the pattern sections of docs/validation.md, generated

The modules are found by listing this package (:func:`discover`) and ordered by their keys (1 .. 11, a part after
its pattern, S1 .. after the patterns): a new pattern is one new module. :mod:`experiments.validate` runs every arm
through :func:`experiments.runner.run_one` on an executor, corrects the whole table for multiple testing (Holm),
prints it, draws the figures and writes the page.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from experiments.patterns.common import (
    ALPHA,
    BY_CONSTRUCTION,
    EMERGENT,
    FULL,
    LABELS,
    QUICK,
    SCENARIO_LABELS,
    SCENARIOS,
    VERIFICATION,
    Arm,
    Check,
    Config,
    Pattern,
    Row,
    SubMechanism,
    compare,
    declare,
    finals,
    holm,
    inverted_u,
    one_sample_greater,
    order_of,
    paired_greater,
    peak_location,
    run_task,
    with_scenario,
)
from experiments.patterns.p03_trust_asymmetry import recovery_ticks
from experiments.patterns.p07m_strategy_map import MAP_SCENARIO
from experiments.patterns.p07m_strategy_map import PATTERN as MAP_PATTERN

__all__ = [
    "ALPHA",
    "BY_CONSTRUCTION",
    "EMERGENT",
    "EXPERIMENTS",
    "FULL",
    "LABELS",
    "MAP_PATTERN",
    "MAP_SCENARIO",
    "PATTERNS",
    "PLUGINS",
    "QUICK",
    "REPRODUCTIONS",
    "SCENARIOS",
    "SCENARIO_LABELS",
    "SUB_MECHANISMS",
    "VERIFICATION",
    "Arm",
    "Check",
    "Config",
    "Pattern",
    "Row",
    "SubMechanism",
    "compare",
    "declare",
    "discover",
    "finals",
    "holm",
    "inverted_u",
    "one_sample_greater",
    "paired_greater",
    "peak_location",
    "recovery_ticks",
    "run_task",
    "with_scenario",
]

#: Modules of this package that declare no pattern.
INFRASTRUCTURE = frozenset({"common", "plotting", "page"})


def pattern_modules(package: ModuleType | None = None) -> list[ModuleType]:
    """Every pattern module of the package (every module but :data:`INFRASTRUCTURE` and private ones), imported."""
    package = package or importlib.import_module(__name__)
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name not in INFRASTRUCTURE and not info.name.startswith("_")
    ]


def discover(package: ModuleType | None = None) -> list[Pattern | SubMechanism]:
    """The ``PATTERN`` of every pattern module, ordered by key (1 .. 11, a part after its pattern, S1 ..).

    Raises:
        TypeError: a pattern module declares no ``PATTERN`` (or something else).
        ValueError: two modules declare the same key, a key is malformed, or a part names no pattern.
    """
    found: dict[str, Pattern | SubMechanism] = {}
    where: dict[str, str] = {}
    for module in pattern_modules(package):
        declared = getattr(module, "PATTERN", None)
        if not isinstance(declared, Pattern | SubMechanism):
            raise TypeError(f"{module.__name__} declares no PATTERN (a Pattern or a SubMechanism)")
        if declared.key in found:
            raise ValueError(f"{module.__name__} and {where[declared.key]} both declare pattern {declared.key}")
        order_of(declared.key)  # a malformed key raises ValueError here, naming it
        found[declared.key] = declared
        where[declared.key] = module.__name__
    for declared in found.values():
        if isinstance(declared, Pattern) and declared.part_of is not None and declared.part_of not in found:
            raise ValueError(f"{where[declared.key]}: part of pattern {declared.part_of}, which no module declares")
    return sorted(found.values(), key=lambda d: d.order)


#: Every declaration, in order.
PLUGINS: list[Pattern | SubMechanism] = discover()
#: Every experiment over model runs (the patterns and their parts), in order: what ``validate`` runs.
EXPERIMENTS: list[Pattern] = [p for p in PLUGINS if isinstance(p, Pattern)]
#: The patterns 1 .. 11 (not their parts): what ``validate`` counts.
PATTERNS: list[Pattern] = [p for p in EXPERIMENTS if p.part_of is None]
#: The sub-mechanism reproductions S1 .. S3.
REPRODUCTIONS: list[SubMechanism] = [p for p in PLUGINS if isinstance(p, SubMechanism)]
#: The sub-mechanisms as (key, title, run) triples.
SUB_MECHANISMS = [(s.key, f"{s.title} ({s.source})", s.run) for s in REPRODUCTIONS]
