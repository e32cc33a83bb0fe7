"""Docs that cannot drift: every code name the documentation puts in backticks is defined in the code.

What counts as a *code name*. A backticked span (a Markdown code span; fenced and indented code blocks are
examples, not names, and are skipped) is read, after trimming, by its shape:

- ``name``, ``name.attr.attr``, optionally followed by a call ``(...)`` or a keyword ``=...`` (``rng=``,
  ``collect_agents=True``, ``apply_intervention(id, targets, hours)``): a **name**. ``<...>`` and ``*`` inside a
  name are wildcards (``alloc_<intervention>``, ``alloc_*``): some defined name must match.
- a span without spaces that contains ``/`` or ends in a file extension (``model/state.py``, ``model/data/*.toml``,
  ``tests/data/regression/``), optionally followed by ``: Name`` (``model/agents.py: Partner``): a **path**. A path
  whose first folder is a folder of the repository's source (model, experiments, dashboards, tests, docs,
  benchmarks, examples) must exist (a glob must match), and ``Name`` must be defined in that file; a bare ``*.py``
  must be a module of the packages. Other paths are files a run writes (``runs.parquet``, ``DIR/analysis.png``) and
  are not checked.
- ``--option ...``: a **command-line option**, declared by an ``add_argument`` call; ``--set KEY=VALUE`` also
  needs ``KEY`` to be a parameter. ``netwerkregie COMMAND ...``: ``COMMAND`` must be a declared sub-command.
- ``[table]``, ``[[table]]``: a **file table** (scenario, variant, sweep): a declared field name.
- anything else is a **value or a formula** and is not checked: numbers (``0.05``, ``NaN``), text with spaces or
  operators (``T = r/(r+s)``, ``code font``), quoted strings (``"joint work"``; the ODD's quoted trust-evidence
  sources are checked against ``evidence.SOURCES`` by their own test), shell commands (``uv sync``, ``kill -9``),
  and the few words listed in :data:`NOT_CODE`, each with its reason (HTTP headers, placeholders, data). A
  library's name written short (``batch_run``) is looked up by its full name (:data:`LIBRARY`).

What *defines* a name. Only definitions count, found by importing the code or by parsing it with :mod:`ast` (never
a text search, which a comment or a docstring could satisfy):

- the packages' modules (``model.evidence``, or by their last part, ``submodels``) and what their source defines:
  functions, classes, module-level assignments and imports; a class's methods, properties, class attributes and
  dataclass fields, and the ``self.x`` attributes its methods assign; the parameters of every function;
- the declared registries, by import: parameters (``model/parameters.py``), constants (``model/constants.py``),
  metrics (``model/metrics.py``) and agent metrics, intervention ids, strategies, governance modes, scenario names
  (and training scenario names, the built-in dilemmas' and their options' ids),
  mechanism switches (``model/switches.py``);
- declared vocabularies: the texts listed in a set, tuple or list literal or in a dict literal (the scenario
  file's fields, the sweep file's keys, the analysis's column and index names), the options and sub-commands of
  the command line (``add_argument``, ``add_parser``), and the environment variables the code reads or sets;
- the libraries the code uses: the names it imports and the attributes it reaches through an imported module
  (``SeedSequence`` of ``np.random.SeedSequence``), Python's builtins, and dotted names reached by import
  (``np.clip``, ``concurrent.futures.Executor``, ``mesa.batch_run``).

A dotted name must resolve segment by segment: a module (by its dotted name, its last part or the code's import
alias) or a class of the packages, then its members; ``state.x``, ``trust_evidence.x``, ``datacollector.x`` and
``model.x`` read the member ``x`` of the object the code names that way (:data:`INSTANCES`).

The whole rule applies to ``docs/ODD.md``, ``docs/experiments.md``, ``docs/what-if.md`` and ``docs/dashboard.md``
(:data:`FULL_RULE`); every other ``docs/*.md`` is held to it for the names that look like the model's own: the
snake_case names (parameters, metrics, constants, fields) and the model's module and class names.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import re
import warnings
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGES = ("model", "experiments", "dashboards")  # experiments/patterns.py or experiments/patterns/: both are read
SOURCE_FOLDERS = {"model", "experiments", "dashboards", "tests", "docs", "benchmarks", "examples"}
FULL_RULE = ("ODD.md", "experiments.md", "what-if.md", "dashboard.md")
#: Names the code gives one object throughout: ``state.trust_evidence`` is the NetworkState's attribute.
INSTANCES = {
    "state": "model.state.NetworkState",
    "st": "model.state.NetworkState",
    "trust_evidence": "model.evidence.TrustEvidence",
    "datacollector": "mesa.DataCollector",
    "model": "model.model.CollaborationModel",
    "director": "model.agents.Director",
}
#: Words the docs put in code font that look like names but are not the code's: each with its reason.
NOT_CODE = {
    "Host": "an HTTP request header (dashboards/server.py reads it as headers.get('host'))",
    "Origin": "an HTTP request header",
    "NAME": "a placeholder of a command line (--allowed-host NAME)",
    "SCENARIO": "a placeholder of a command line (netwerkregie compare SCENARIO ...)",
    "P00": "a partner name a generated scenario gives (data)",
    "P01": "a partner name a generated scenario gives (data)",
    "task_progress_mean": "an EMA outcome named at run time (f'{metric}_{aggregate}' in experiments/ema.py)",
}
#: A library's names the docs write short, as the library's own documentation does: the full name must resolve.
LIBRARY = {
    "batch_run": "mesa.batch_run",
    "AgentSet": "mesa.agent.AgentSet",
    "shuffle_do": "mesa.agent.AgentSet.shuffle_do",
    "ReplicatorModel": "ema_workbench.ReplicatorModel",  # experiments/ema.py reaches it through a module object
}
FILE_EXTENSIONS = ("py", "toml", "md", "json", "csv", "parquet", "png", "html", "lock", "vue", "txt")

IDENT = r"[A-Za-z_][A-Za-z0-9_<>*]*"
NAME = re.compile(rf"^(?P<name>{IDENT}(?:\.{IDENT})*)(?P<tail>\(.*\)|=.*)?$")
PATH = re.compile(rf"^(?P<path>[^\s:]*(?:/|\.(?:{'|'.join(FILE_EXTENSIONS)})/?)(?:[^\s:]*))(?::\s*(?P<name>\w+))?$")
TABLE = re.compile(r"^\[\[?(?P<name>\w+)\]\]?$")
OPTION = re.compile(r"^(?P<option>--[a-z][a-z0-9-]*)(?:[ =](?P<rest>.*))?$")
COMMAND = re.compile(r"^netwerkregie (?P<command>[a-z]+)\b")


# ---- reading the docs --------------------------------------------------------------------------------------------


def _blank_code_blocks(text: str) -> str:
    """The text with fenced and indented code blocks replaced by blank lines (line numbers kept)."""
    out, fence, previous_blank = [], None, True
    for line in text.split("\n"):
        stripped = line.lstrip()
        if fence is not None:
            out.append("")
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append("")
            continue
        indented = line.startswith(("    ", "\t")) and stripped != ""
        if indented and previous_blank:
            out.append("")  # an indented code block starts after a blank line and continues while indented
            previous_blank = True
            continue
        out.append(line)
        previous_blank = stripped == ""
    return "\n".join(out)


def code_spans(text: str) -> list[tuple[int, str]]:
    """(line, content) of every Markdown code span outside code blocks; a span may cross a line break."""
    text = _blank_code_blocks(text)
    spans, k = [], 0
    opener = re.compile(r"`+")
    while (m := opener.search(text, k)) is not None:
        ticks = m.group(0)
        close = re.compile(rf"(?<!`){ticks}(?!`)")
        end = close.search(text, m.end())
        if end is None or "\n\n" in text[m.end() : end.start()]:
            k = m.end()
            continue
        content = " ".join(text[m.end() : end.start()].split())
        spans.append((text.count("\n", 0, m.start()) + 1, content))
        k = end.end()
    return spans


def doc_spans(doc: str) -> list[tuple[int, str]]:
    return code_spans((DOCS / doc).read_text(encoding="utf-8"))


# ---- what the code defines -------------------------------------------------------------------------------------


def _source_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class Definitions:
    """Everything the packages define, from their source parsed by :mod:`ast`."""

    def __init__(self) -> None:
        self.modules: dict[str, Path] = {}  # dotted module name -> file
        self.top: dict[str, set[str]] = {}  # module -> its top-level names
        self.classes: dict[str, set[str]] = {}  # class name -> its members (all classes of that name)
        self.class_modules: dict[str, set[str]] = {}  # class name -> modules defining it
        self.names: set[str] = set()  # every single name defined anywhere
        self.aliases: dict[str, str] = {}  # import alias -> module (np -> numpy)
        self.options: set[str] = set()
        self.commands: set[str] = set()
        for path in _source_files():
            module = _module_name(path)
            self.modules[module] = path
            self._read(module, ast.parse(path.read_text(encoding="utf-8")))

    def _read(self, module: str, tree: ast.Module) -> None:
        top = self.top.setdefault(module, set())
        for node in tree.body:
            top |= _bound_names(node)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                members = self.classes.setdefault(node.name, set())
                self.class_modules.setdefault(node.name, set()).add(module)
                for item in node.body:
                    members |= _bound_names(item)
                for item in ast.walk(node):
                    targets = []
                    if isinstance(item, ast.Assign):
                        targets = item.targets
                    elif isinstance(item, ast.AnnAssign | ast.AugAssign):
                        targets = [item.target]
                    for target in targets:
                        for t in ast.walk(target):
                            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                                members.add(t.attr)
                self.names |= members | {node.name}
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.names.add(node.name)
                a = node.args
                self.names |= {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if x}
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = alias.name
                    self.names.add(alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):  # a library's names the code imports
                self.names |= {alias.name for alias in node.names}
                if node.module and node.level == 0:
                    self.names.add(node.module.split(".")[0])
            elif isinstance(node, ast.Set | ast.Tuple | ast.List):
                self.names |= {e.value for e in node.elts if _is_text(e)}
            elif isinstance(node, ast.Dict):  # keys and text values: {"index": "eta2"}
                self.names |= {x.value for x in [*node.keys, *node.values] if _is_text(x)}
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                first, call = node.args[0], node.func
                if _is_text(first):
                    if call.attr == "add_argument" and first.value.startswith("--"):
                        self.options.add(first.value)
                    elif call.attr == "add_parser":
                        self.commands.add(first.value)
                    elif call.attr == "getenv" or (
                        call.attr in ("setdefault", "get") and ast.unparse(call.value).endswith("environ")
                    ):
                        self.names.add(first.value)  # an environment variable the code reads or sets
        for node in ast.walk(tree):  # a library's names the code uses through an alias: np.random.SeedSequence
            if isinstance(node, ast.Attribute):
                chain, root = [node.attr], node.value
                while isinstance(root, ast.Attribute):
                    chain.append(root.attr)
                    root = root.value
                if isinstance(root, ast.Name) and root.id in self.aliases and root.id not in PACKAGES:
                    self.names |= set(chain)
        self.names |= top


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _bound_names(node: ast.AST) -> set[str]:
    """The names a statement binds at its own level: a def, a class, an assignment's names, an import."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name)}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, ast.If | ast.Try):  # TYPE_CHECKING imports, optional imports
        return {n for child in ast.iter_child_nodes(node) for n in _bound_names(child)}
    return set()


@cache
def definitions() -> Definitions:
    return Definitions()


@cache
def registries() -> dict[str, set[str]]:
    """The model's declared registries, by import."""
    from experiments.training.dilemmas import load_builtin_dilemmas
    from experiments.training.scenarios import list_training_scenarios
    from model import AGENT_METRICS, CONSTANTS, INTERVENTIONS, PARAMETERS, SWITCHES, list_scenarios
    from model.metrics import METRIC_DECLARATIONS
    from model.parameters import GOVERNANCE_MODES, STRATEGY_NAMES

    return {
        "parameter": set(PARAMETERS),
        "constant": set(CONSTANTS),
        "metric": set(METRIC_DECLARATIONS) | set(AGENT_METRICS),
        "intervention": set(INTERVENTIONS),
        "strategy": set(STRATEGY_NAMES),
        "governance mode": set(GOVERNANCE_MODES),
        "scenario": set(list_scenarios()),
        "switch": set(SWITCHES),
        "training scenario": set(list_training_scenarios()),
        "dilemma": {d.id for d in load_builtin_dilemmas()} | {o.id for d in load_builtin_dilemmas() for o in d.options},
    }


@cache
def single_names() -> frozenset[str]:
    d = definitions()
    names = set(d.names) | set(d.top) | {m.rsplit(".", 1)[-1] for m in d.modules} | set(dir(builtins))
    for registry in registries().values():
        names |= registry
    return frozenset(names)


# ---- resolving -----------------------------------------------------------------------------------------------


def _wildcard(name: str) -> re.Pattern | None:
    """A pattern for a name with wildcards (``alloc_<intervention>``, ``alloc_*``), else None."""
    parts = re.split(r"<[^>]*>|\*", name)
    return None if len(parts) == 1 else re.compile(r"\w+".join(map(re.escape, parts)) + "$")


def _import(module: str):
    try:
        with warnings.catch_warnings():  # a library's import-time warnings are not the docs' business
            warnings.simplefilter("ignore")
            return importlib.import_module(module)
    except ImportError:
        return None


def _module_candidates(head: str) -> list[str]:
    """Modules a first segment can name: itself, a package's module by its last part, an import alias."""
    d = definitions()
    out = [head] if head in d.modules or head not in d.aliases else []
    out += [m for m in d.modules if m.rsplit(".", 1)[-1] == head and m != head]
    if head in d.aliases:
        out.append(d.aliases[head])
    return out


def _member(obj, cls_name: str | None, member: str):
    """``obj.member`` by import, or by the class's source (instance attributes, fields without defaults)."""
    if obj is not None and hasattr(obj, member):
        return getattr(obj, member), True
    if cls_name is not None and member in definitions().classes.get(cls_name, set()):
        return None, True
    if isinstance(obj, type):  # inherited members of a class defined in the packages
        for base in obj.__mro__[1:]:
            if member in definitions().classes.get(base.__name__, set()):
                return None, True
    return None, False


def _resolve_chain(obj, cls_name: str | None, rest: list[str]) -> bool:
    for member in rest:
        found, ok = _member(obj, cls_name, member)
        if not ok:
            return False
        obj = found
        cls_name = found.__name__ if isinstance(found, type) else None
    return True


def resolves(name: str) -> bool:
    """Whether ``name`` (``x`` or ``x.y.z``; ``<...>`` and ``*`` as wildcards) is defined in the code."""
    pattern = _wildcard(name)
    if pattern is not None:
        return any(pattern.match(n) for n in single_names())
    parts = name.split(".")
    if len(parts) == 1:
        return name in single_names()
    d = definitions()
    # a module (by its dotted name, its last part or an alias), then its members
    for i in range(len(parts), 0, -1):
        for module in _module_candidates(".".join(parts[:i])) if i == 1 else [".".join(parts[:i])]:
            obj = _import(module)
            if obj is not None and _resolve_chain(obj, None, parts[i:]):
                return True
    head = parts[0]
    # a class of the packages, then its members
    if head in d.classes:
        for module in sorted(d.class_modules[head]):
            cls = getattr(_import(module), head, None)
            if _resolve_chain(cls, head, parts[1:]):
                return True
    # an object the code names the same way throughout
    if head in INSTANCES:
        module, _, cls_name = INSTANCES[head].rpartition(".")
        cls = getattr(_import(module), cls_name, None)
        if _resolve_chain(cls, cls_name, parts[1:]):
            return True
    return False


def _path_exists(path: str) -> bool:
    base = path.rstrip("/")
    if any(c in base for c in "*?["):
        return any(ROOT.glob(base))
    return (ROOT / base).exists()


def _defined_in(path: str, name: str) -> bool:
    module = _module_name(ROOT / path)
    return name in definitions().top.get(module, set())


def _is_number(span: str) -> bool:
    try:
        float(span)
    except ValueError:
        return False
    return True


def check_span(span: str) -> tuple[str, str | None]:
    """(kind, the problem or None) of one code span; kind "value" for spans that are not code names."""
    if _is_number(span) or span in NOT_CODE:
        return "value", None
    if COMMAND.match(span):
        command = COMMAND.match(span).group("command")
        return "command", None if command in definitions().commands else f"no sub-command {command!r}"
    if m := OPTION.match(span):
        option, rest = m.group("option"), m.group("rest") or ""
        if option not in definitions().options:
            return "option", f"no command-line option {option}"
        if option == "--set" and (key := re.match(r"^(\w+)=", rest)) and key.group(1) not in registries()["parameter"]:
            return "option", f"--set: no parameter {key.group(1)!r}"
        return "option", None
    if m := TABLE.match(span):
        return "table", None if m.group("name") in single_names() else f"no file table {m.group('name')!r}"
    if m := PATH.match(span):
        path, name = m.group("path"), m.group("name")
        first = path.split("/")[0]
        if "/" not in path:
            if not path.endswith(".py"):
                return "value", None  # a file a run writes (whatif.csv, runs.parquet)
            ok = any(p.name == path for p in _source_files())
            return "path", None if ok else f"no module file {path}"
        if first not in SOURCE_FOLDERS:
            return "value", None  # a file a run writes (results/..., DIR/...), or outside the repository
        if not _path_exists(path):
            return "path", f"no file {path}"
        if name is not None and not _defined_in(path, name):
            return "path", f"{name} is not defined in {path}"
        return "path", None
    if m := NAME.match(span):
        name = m.group("name")
        return "name", None if resolves(LIBRARY.get(name, name)) else f"{name} is not defined in the code"
    return "value", None


def _model_like(span: str) -> bool:
    """For the docs outside :data:`FULL_RULE`: names that look like the model's own (snake_case, or a module or
    class of the packages)."""
    m = NAME.match(span)
    if not m:
        return False
    name = m.group("name")
    head = name.split(".")[0]
    d = definitions()
    ours = head in d.classes or any(mod.rsplit(".", 1)[-1] == head for mod in d.modules) or head in PACKAGES
    return ours or bool(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9<>*]+)+", name))


def problems(doc: str, full: bool = True) -> tuple[int, list[str]]:
    """How many code names ``doc`` has, and the ones that do not resolve (``doc:line `span`: why``)."""
    checked, bad = 0, []
    for line, span in doc_spans(doc):
        if not full and not _model_like(span):
            continue
        kind, problem = check_span(span)
        if kind == "value":
            continue
        checked += 1
        if problem:
            bad.append(f"{doc}:{line} `{span}`: {problem}")
    return checked, bad


# ---- the tests ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", FULL_RULE)
def test_every_code_name_in_the_doc_is_defined_in_the_code(doc):
    checked, bad = problems(doc)
    assert checked > 0, f"{doc}: no code names found (the reader is broken)"
    assert not bad, f"{len(bad)} of {checked} code names in docs/{doc} do not resolve:\n" + "\n".join(bad)


def test_model_names_in_every_other_doc_are_defined_in_the_code():
    others = sorted(p.name for p in DOCS.glob("*.md") if p.name not in FULL_RULE)
    bad = [b for doc in others for b in problems(doc, full=False)[1]]
    assert not bad, "model names in docs/*.md that do not resolve:\n" + "\n".join(bad)


def test_the_odd_quotes_only_declared_trust_evidence_sources():
    from model.evidence import SOURCES

    quoted = {span.strip('"') for _, span in doc_spans("ODD.md") if re.fullmatch(r'"[^"]+"', span)}
    assert quoted, "the ODD names the sources of trust evidence in quotes"
    assert quoted <= set(SOURCES), f"not sources of trust evidence (model/evidence.py SOURCES): {quoted - set(SOURCES)}"


def test_the_odd_lists_every_metric():
    """Section 7.8 (observation) names every metric of ``model/metrics.py``: a new metric cannot go undocumented."""
    text = (DOCS / "ODD.md").read_text(encoding="utf-8")
    observation = text[text.index("### 7.8") : text.index("### 7.9")]
    named = {span.split("=")[0] for _, span in code_spans(observation) if NAME.match(span)}
    from model.metrics import METRICS

    assert set(METRICS) <= named, f"metrics missing from ODD 7.8: {sorted(set(METRICS) - named)}"


# ---- the TRACE document ------------------------------------------------------------------------------------------

#: The eight elements of a TRACE document (Grimm et al. 2014), in their order: docs/TRACE.md has one section each.
TRACE_ELEMENTS = (
    "Problem formulation",
    "Model description",
    "Data evaluation",
    "Conceptual model evaluation",
    "Implementation verification",
    "Model output verification",
    "Model analysis",
    "Model output corroboration",
)
#: What every element of docs/TRACE.md says, in this order: the question, what the project has, what is missing.
TRACE_PARTS = ("**What it asks.**", "**What the project has.**", "**What is missing.**")


def trace_sections(text: str) -> dict[str, str]:
    """The numbered ``## n. Element`` sections of a TRACE document, by heading, in order, each with its text."""
    text = _blank_code_blocks(text)
    heads = list(re.finditer(r"^## (\d+)\. (.+?)[ \t]*$", text, re.MULTILINE))
    ends = [h.start() for h in heads[1:]] + [len(text)]
    return {f"{h.group(1)}. {h.group(2)}": text[h.end() : end] for h, end in zip(heads, ends, strict=True)}


def test_the_trace_document_has_the_eight_elements_in_order_each_with_what_is_missing():
    sections = trace_sections((DOCS / "TRACE.md").read_text(encoding="utf-8"))
    assert list(sections) == [f"{i}. {element}" for i, element in enumerate(TRACE_ELEMENTS, 1)]
    for heading, body in sections.items():
        where = [body.find(part) for part in TRACE_PARTS]
        assert -1 not in where and where == sorted(where), f"TRACE.md, {heading}: needs {TRACE_PARTS} in order"
        missing = body[where[-1] + len(TRACE_PARTS[-1]) :].strip()
        assert len(missing) > 20, f"TRACE.md, {heading}: says nothing under {TRACE_PARTS[-1]}"


def test_every_file_path_in_the_trace_document_exists():
    paths = [m.group("path") for _, span in doc_spans("TRACE.md") if (m := PATH.match(span))]
    assert len(paths) >= 10, "TRACE.md points at the files that carry the evidence (or the reader is broken)"
    missing = sorted({path for path in paths if not _path_exists(path)})
    assert not missing, f"paths in docs/TRACE.md that do not exist: {missing}"


def test_the_trace_reader_finds_sections_and_misses_a_wrong_one():
    text = "# T\n\n## 1. One\n\nbody\n\n```\n## 2. Not a heading\n```\n\n## 2. Two\nmore\n"
    assert trace_sections(text) == {"1. One": "\n\nbody\n\n\n\n\n\n", "2. Two": "\nmore\n"}
    assert not _path_exists("model/no_such_module.py") and _path_exists("model/*.py")


# ---- the reader itself -------------------------------------------------------------------------------------------


def test_the_reader_finds_spans_and_skips_code_blocks():
    text = "a `x_y` and `` `z` `` b\n\n    `in_code_block`\n\n```\n`fenced`\n```\n`across\nlines` and `0.05`\n"
    assert [s for _, s in code_spans(text)] == ["x_y", "`z`", "across lines", "0.05"]


@pytest.mark.parametrize(
    ("span", "kind", "ok"),
    [
        ("met_tolerance", "name", True),
        ("met_tolerence", "name", False),
        ("TrustEvidence.settle", "name", True),
        ("TrustEvidence.settel", "name", False),
        ("WeekDraws.account", "name", True),  # a dataclass field without a default
        ("NetworkState.expectation", "name", True),  # an attribute assigned in __init__
        ("state.trust_evidence", "name", True),
        ("submodels.joint_work", "name", True),
        ("Partner.relations()", "name", True),
        ("collect_agents=True", "name", True),
        ("alloc_<intervention>", "name", True),
        ("alloc_<nothing>x", "name", False),
        ("model/state.py", "path", True),
        ("model/agents.py: Director", "path", True),
        ("model/agents.py: Directorate", "path", False),
        ("model/data/*.toml", "path", True),
        ("model/nothing.py", "path", False),
        ("--set n_partners=N", "option", True),
        ("--set n_partner=N", "option", False),
        ("[constants]", "table", True),
        ("0.05", "value", True),
        ("T = r/(r+s)", "value", True),
        ('"joint work"', "value", True),
        ("runs.parquet", "value", True),
    ],
)
def test_the_rule_classifies_and_resolves(span, kind, ok):
    assert check_span(span)[0] == kind
    assert (check_span(span)[1] is None) == ok
