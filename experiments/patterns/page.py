"""The pattern sections of docs/validation.md, generated from the pattern modules.

Each pattern's section (heading, claim, source, experiment, its text, its figures, the table of its checks and the
reports of its parts) and the sub-mechanisms' section are rendered from the ``PATTERN`` of their modules and written
between two markers of the page; the page's hand-written parts (the introduction, the summary, calibration and the
tensions between patterns) stay as they are.

    python -m experiments.validate --figures docs/figures/ --doc docs/validation.md   # a full run: text and tables
    python -m experiments.patterns.page docs/validation.md           # the text only, keeping the page's tables
    python -m experiments.patterns.page docs/validation.md --check   # exit 1 if the page and the modules differ
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from experiments import patterns as declared  # the package: its PLUGINS are read when a page is written
from experiments.files import atomic_write
from experiments.patterns.common import (
    ALPHA,
    FULL,
    SCENARIO_LABELS,
    TABLE_PLACEHOLDER,
    Check,
    Config,
    Pattern,
    Row,
    SubMechanism,
    number_text,
    p_text,
    sesoi_text,
)

BEGIN = (
    "<!-- Generated from the pattern modules (experiments/patterns/) down to the end marker: edit the modules and "
    "run `python -m experiments.patterns.page docs/validation.md`, not this part. -->"
)
END = "<!-- End of the generated pattern sections. -->"
FIGURES = "figures/"
SUB_MECHANISMS_HEADING = "## Sub-mechanisms (model spec, section 9)"


#: The head of a table of check declarations (generated from the modules, not from a run).
DECLARATIONS_HEAD = "| check | label | SESOI | unit | why this SESOI | what implies it / what it rests on |"


def _holds_text(r: Row) -> str:
    if r.holds:
        return "yes"
    return "**no** (SESOI)" if not r.clears and r.criterion and r.p_holm <= ALPHA else "**no**"


def results_table(rows: Sequence[Row]) -> str:
    """The checks of a pattern as a Markdown table."""
    out = [
        "| check | label | scenario | effect | SESOI | d | p | p (Holm) | holds | note |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r.check} | {r.label} | {SCENARIO_LABELS.get(r.scenario, r.scenario)} | {number_text(r.effect)} | "
            f"{sesoi_text(r.sesoi, r.at_most)} | {number_text(r.effect_size, 2)} | {p_text(r.p_value)} | "
            f"{p_text(r.p_holm)} | {_holds_text(r)} | {r.note} |"
        )
    return "\n".join(out)


def declarations_table(checks: Sequence[Check]) -> str:
    """A pattern's check declarations as a Markdown table (label, SESOI and its reason, what implies the check)."""
    out = [DECLARATIONS_HEAD, "|---|---|---|---|---|---|"]
    for c in checks:
        out.append(
            f"| {c.check.replace('*', '…')} | {c.label} | {sesoi_text(c.sesoi, c.at_most)} | {c.unit} | {c.why} | "
            f"{c.basis or '-'} |"
        )
    return "\n".join(out)


def sub_mechanism_table(rows: Sequence[Row]) -> str:
    """The checks of the sub-mechanisms (no p-values: each is a criterion) as a Markdown table."""
    out = ["| check | label | effect | SESOI | holds | note |", "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(
            f"| {r.check} | {r.label} | {number_text(r.effect)} | {sesoi_text(r.sesoi, r.at_most)} | "
            f"{'yes' if r.holds else '**no**'} | {r.note} |"
        )
    return "\n".join(out)


def pattern_section(
    pattern: Pattern, parts: Sequence[Pattern], rows: Sequence[Row] | None, results: dict | None, cfg: Config
) -> str:
    """The section of one pattern (with its parts' figures and reports)."""
    blocks = [
        f"## {pattern.key}. {pattern.title}",
        f"**Claim.** {pattern.claim}",
        f"**Source.** {pattern.source}",
        f"**Experiment.** {pattern.experiment}",
        pattern.text.strip("\n"),
    ]
    if pattern.checks:
        blocks += [
            "**Checks** (what each is evidence of, and its smallest effect of interest):",
            declarations_table(pattern.checks),
        ]
    blocks += [f"![pattern {pattern.key}]({FIGURES}{p.figure})" for p in (pattern, *parts)]
    own = [r for r in rows or [] if r.pattern == pattern.key]
    blocks.append(results_table(own) if own else TABLE_PLACEHOLDER)
    if pattern.known_failures:
        blocks.append(
            "**Does not hold in** "
            + "; ".join(f"{SCENARIO_LABELS.get(s, s)}: {why}" for s, why in pattern.known_failures.items())
        )
    for p in (pattern, *parts):
        if p.report is not None:
            blocks.append(p.report((results or {}).get(p.key), cfg, True))
    return "\n\n".join(b for b in blocks if b)


def sub_mechanism_section(subs: Sequence[SubMechanism], rows: Sequence[Row] | None) -> str:
    """The section of the sub-mechanisms: a paragraph and a figure each, one table."""
    blocks = [SUB_MECHANISMS_HEADING]
    for s in subs:
        blocks.append(f"**{s.key}. {s.title}** ({s.source}; {s.mechanisms}).\n{s.text.strip(chr(10))}")
        blocks.append(f"![{s.title.lower()}]({FIGURES}{s.figure})")
    checks = [c for s in subs for c in s.checks]
    if checks:
        blocks += ["**Checks** of the sub-mechanisms:", declarations_table(checks)]
    keys = {s.key for s in subs}
    own = [r for r in rows or [] if r.pattern in keys]
    blocks.append(sub_mechanism_table(own) if own else TABLE_PLACEHOLDER)
    return "\n\n".join(blocks)


def render(
    rows: Sequence[Row] | None = None,
    results: dict | None = None,
    cfg: Config = FULL,
    plugins: Sequence[Pattern | SubMechanism] | None = None,
) -> str:
    """The generated part of the page; a table without rows (no run) is :data:`TABLE_PLACEHOLDER`.

    Args:
        rows: the validation's rows (Holm-corrected), or ``None``.
        results: the results by pattern key -> scenario -> arm (for the reports), or ``None``.
        cfg: the configuration the page describes.
        plugins: the declarations (default: every pattern module's, :data:`experiments.patterns.PLUGINS`).
    """
    if plugins is None:
        plugins = declared.PLUGINS
    patterns = [p for p in plugins if isinstance(p, Pattern) and p.part_of is None]
    subs = [p for p in plugins if isinstance(p, SubMechanism)]
    sections = [
        pattern_section(p, [q for q in plugins if isinstance(q, Pattern) and q.part_of == p.key], rows, results, cfg)
        for p in patterns
    ]
    if subs:
        sections.append(sub_mechanism_section(subs, rows))
    return "\n\n\n".join(sections) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------------------------


def split(page: str) -> tuple[str, str, str]:
    """(the page before the generated part, the generated part, the page after it).

    Raises:
        ValueError: the page lacks the markers.
    """
    start, end = page.find(BEGIN + "\n"), page.find("\n" + END)
    if start < 0 or end < start:
        raise ValueError("the page has no generated part: it needs the two marker lines of experiments.patterns.page")
    body = start + len(BEGIN) + 1
    return page[:start], page[body : end + 1], page[end + 1 + len(END) :]


def replace(page: str, generated: str) -> str:
    """The page with its generated part replaced."""
    before, _, after = split(page)
    return f"{before}{BEGIN}\n{generated}{END}{after}"


def _section_id(heading: str) -> str:
    """``## 7. The joint task ...`` -> ``7``; another heading stands for itself."""
    number = heading[3:].split(".", 1)[0]
    return number if number.isdigit() else heading


def _tables(lines: list[str]) -> list[str]:
    """The tables of a run among some lines: each maximal run of lines starting with ``|``, but the check
    declarations (which are rendered from the modules)."""
    tables, current = [], []
    for line in [*lines, ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            if current[0] != DECLARATIONS_HEAD:
                tables.append("\n".join(current))
            current = []
    return tables


def tables_by_section(generated: str) -> dict[str, list[str]]:
    """The tables of each section of a generated part, by section (the pattern's number)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in generated.split("\n"):
        if line.startswith("## "):
            current = sections.setdefault(_section_id(line), [])
        elif current is not None:
            current.append(line)
    return {key: _tables(lines) for key, lines in sections.items()}


def refresh(page: str, plugins: Sequence[Pattern | SubMechanism] | None = None) -> str:
    """The page with the text of its generated part rendered anew from the modules, keeping its tables.

    A section keeps its tables when it has as many as the modules make (a new pattern, or one with a new part, gets
    :data:`TABLE_PLACEHOLDER` until a full run fills them in).
    """
    old = tables_by_section(split(page)[1])
    sections: list[tuple[str, list[str]]] = []
    for line in render(plugins=plugins).split("\n"):
        if line.startswith("## ") or not sections:
            sections.append((_section_id(line) if line.startswith("## ") else "", []))
        sections[-1][1].append(line)
    lines = []
    for key, body in sections:
        kept = old.get(key, [])
        placeholders = body.count(TABLE_PLACEHOLDER)
        tables = iter(kept if len(kept) == placeholders else [TABLE_PLACEHOLDER] * placeholders)
        lines += [next(tables) if line == TABLE_PLACEHOLDER else line for line in body]
    return replace(page, "\n".join(lines))


def write(path: Path, rows: Sequence[Row], results: dict, cfg: Config = FULL) -> None:
    """Rewrite the generated part of the page at ``path`` from a run (text and tables)."""
    page = path.read_text(encoding="utf-8")
    text = replace(page, render(rows, results, cfg))
    atomic_write(path, lambda p: Path(p).write_text(text, encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """``python -m experiments.patterns.page PAGE [--check]``: rewrite the text of the pattern sections."""
    parser = argparse.ArgumentParser(
        prog="python -m experiments.patterns.page",
        description="Rewrite the pattern sections of docs/validation.md from the pattern modules, keeping the tables.",
    )
    parser.add_argument("page", type=Path, help="the page (docs/validation.md)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the page is not up to date")
    args = parser.parse_args(argv)
    try:
        page = args.page.read_text(encoding="utf-8")
        new = refresh(page)
    except (OSError, ValueError) as e:
        print(f"{args.page}: {e}", file=sys.stderr)
        return 2
    if new == page:
        print(f"{args.page}: the pattern sections are up to date")
        return 0
    if args.check:
        print(f"{args.page}: the pattern sections differ from the modules (python -m experiments.patterns.page)")
        return 1
    atomic_write(args.page, lambda p: Path(p).write_text(new, encoding="utf-8"))
    print(f"{args.page}: the pattern sections rewritten from the modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
