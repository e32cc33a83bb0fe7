"""The project's modules import each other without cycles, and the dependency graph reads from the top of the files.

The graph is built from the source with ``ast``: every ``import`` and ``from ... import`` of a project module
(``model``, ``experiments``, ``dashboards``), at the top of a file or inside a function, except those under
``if TYPE_CHECKING:`` (never run). ``from package import name`` counts as an import of the submodule ``name`` when
there is one, else of the package. Whatever modules exist are scanned, so packages that are being reorganised are
checked as they stand.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "experiments", "dashboards")
COMMAND_LINE = "experiments.cli"
SLOW_TO_IMPORT = (
    "mesa",
    "pandas",
    "pyarrow",
    "matplotlib",
    "dask",
    "distributed",
    "SALib",
    "scipy.stats",
    "ema_workbench",
    "solara",
)


def help_commands() -> list[list[str]]:
    """``--help``, ``scenarios``, ``training scenarios`` and every subcommand's ``--help``, nested ones included
    (``training check --help``), as the parser declares them: a command added later is checked without a change
    here."""
    from experiments.cli import build_parser

    found: list[list[str]] = [["--help"], ["scenarios"], ["training", "scenarios"]]

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    found.append([*prefix, name, "--help"])
                    walk(child, [*prefix, name])

    walk(build_parser(), [])
    return found


HELP = help_commands()


@dataclass(frozen=True)
class Import:
    """One import of a project module by another."""

    source: str
    target: str
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = "in a function" if self.in_function else "at the top"
        return f"{self.source} -> {self.target} (line {self.line}, {where})"


def project_modules(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, tuple[Path, bool]]:
    """Every module of the packages: dotted name -> (file, whether it is a package's ``__init__``)."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            modules[".".join(parts)] = (path, is_package)
    return modules


def _resolve(dotted: str, modules: dict) -> str | None:
    parts = dotted.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(name: str, path: Path, is_package: bool, modules: dict) -> list[Import]:
    """The project imports in one module's source."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                continue
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            targets: list[str | None] = []
            if isinstance(child, ast.Import):
                targets = [_resolve(alias.name, modules) for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative: from the module's package, up level - 1 packages
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    package = package[: len(package) - (child.level - 1)]
                    base = ".".join([*package, base] if base else package)
                for alias in child.names:
                    submodule = f"{base}.{alias.name}"
                    targets.append(submodule if submodule in modules else _resolve(base, modules))
            for target in dict.fromkeys(targets):
                if target is not None and target != name:
                    found.append(Import(name, target, child.lineno, inside))
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


def import_graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> tuple[list[str], list[Import]]:
    """The modules and every project import between them."""
    modules = project_modules(root, packages)
    edges = [edge for name, (path, is_pkg) in modules.items() for edge in imports_of(name, path, is_pkg, modules)]
    return list(modules), edges


def cycles(nodes: list[str], edges: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan): each holds at least one cycle."""
    graph: dict[str, list[str]] = {n: [] for n in nodes}
    for edge in edges:
        graph[edge.source].append(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:  # recursion depth is bounded by the number of modules (tens)
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in nodes:
        if v not in index:
            connect(v)
    return found


def _explain(components: list[list[str]], edges: list[Import]) -> str:
    lines = []
    for component in components:
        members = set(component)
        lines.append("cycle among " + ", ".join(component) + ":")
        lines += [f"  {e}" for e in edges if e.source in members and e.target in members]
    return "\n".join(lines)


# ---- the project --------------------------------------------------------------------------------------------------


def test_no_project_module_is_part_of_an_import_cycle():
    nodes, edges = import_graph()
    assert len(nodes) > 30 and edges
    components = cycles(nodes, edges)
    assert not components, "\n" + _explain(components, edges)


def test_no_module_of_experiments_imports_the_command_line():
    _, edges = import_graph()
    offending = [str(e) for e in edges if e.target == COMMAND_LINE and e.source.startswith("experiments.")]
    assert not offending, offending


def test_the_model_knows_nothing_of_experiments_or_dashboards():
    _, edges = import_graph()
    offending = [str(e) for e in edges if e.source.split(".")[0] == "model" and e.target.split(".")[0] != "model"]
    assert not offending, offending


def test_experiments_load_the_dashboard_only_to_start_it():
    _, edges = import_graph()
    offending = [
        str(e)
        for e in edges
        if e.source.startswith("experiments") and e.target.startswith("dashboards")
        if not (e.source == COMMAND_LINE and e.in_function)
    ]
    assert not offending, offending


# Run in a fresh interpreter: the command line's ``main`` with the given arguments, then the top-level names of every
# module it loaded (``sys.modules``), one JSON list on the last line of stdout.
_LOADED = """
import json, sys
from experiments.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
print()
print(json.dumps(sorted(sys.modules)))
"""


def modules_loaded_by(argv: list[str]) -> list[str]:
    """The modules a fresh interpreter has loaded after ``netwerkregie ARGV`` (``sys.modules`` at its end)."""
    done = subprocess.run([sys.executable, "-c", _LOADED, *argv], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def slow_among(modules: list[str], slow: tuple[str, ...] = SLOW_TO_IMPORT) -> list[str]:
    """The modules among ``modules`` that are, or are inside, one of the ``slow`` packages."""
    return sorted(m for m in modules if any(m == s or m.startswith(s + ".") for s in slow))


def test_every_subcommand_is_checked():
    assert len(HELP) >= 13
    assert ["training", "check", "--help"] in HELP and ["compare", "--help"] in HELP


@pytest.mark.parametrize("argv", HELP, ids=" ".join)
def test_the_command_line_starts_without_the_model_plotting_statistics_or_cluster_libraries(argv):
    """``netwerkregie --help``, every subcommand's ``--help``, ``netwerkregie scenarios`` and ``netwerkregie training
    scenarios`` import neither Mesa,
    pandas, Arrow, matplotlib, Dask, SALib, scipy's statistics nor the dashboard's libraries: each of those takes a
    good part of a second or seconds to import."""
    loaded = modules_loaded_by(argv)
    assert "experiments.cli" in loaded and "numpy" in loaded  # the check itself saw the command line run
    assert not slow_among(loaded), slow_among(loaded)


def test_the_check_sees_a_slow_library_when_one_is_loaded():
    loaded = modules_loaded_by(["run", "jeugdaanpak", "--steps", "0"])
    assert {"mesa", "pandas"} <= set(slow_among(loaded, ("mesa", "pandas")))


# ---- the scanner itself, on a package made for the purpose ---------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_scanner_finds_a_cycle_closed_by_an_import_inside_a_function(tmp_path):
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/low.py": "def helper():\n    from pkg.high import thing\n    return thing\n",
            "pkg/high.py": "from pkg import low\nthing = 1\n",
            "pkg/alone.py": "from . import low\n",
        },
    )
    nodes, edges = import_graph(tmp_path, ("pkg",))
    assert cycles(nodes, edges) == [["pkg.high", "pkg.low"]]
    inside = [e for e in edges if e.in_function]
    assert [(e.source, e.target, e.line) for e in inside] == [("pkg.low", "pkg.high", 2)]
    assert any(e.source == "pkg.alone" and e.target == "pkg.low" for e in edges)  # relative import


def test_the_scanner_skips_imports_only_for_type_checkers(tmp_path):
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
            "pkg/b.py": "from pkg.a import TYPE_CHECKING\nclass B: ...\n",
        },
    )
    nodes, edges = import_graph(tmp_path, ("pkg",))
    assert [(e.source, e.target) for e in edges] == [("pkg.b", "pkg.a")]
    assert cycles(nodes, edges) == []


def test_a_run_loads_the_model_but_no_plotting_statistics_or_cluster_library():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "experiments.cli", "run", "jeugdaanpak", "--steps", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "mesa" in imported
    needless = [s for s in SLOW_TO_IMPORT if s not in ("mesa", "pandas", "pyarrow")]
    slow = sorted(m for m in imported if any(m == s or m.startswith(s + ".") for s in needless))
    assert not slow, slow
