"""The options of a validation study that writes its own part of docs/validation.md, and the writing of that part.

The hold-out patterns (:mod:`experiments.holdout`), the docking study (:mod:`experiments.docking`) and the ablation
(:mod:`experiments.ablation`) each own a part of the page between two marker lines. They take the same options
(``--workers``, ``--quick``, ``--figures``, ``--doc``) and check them the same way before anything runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.files import atomic_write
from model.inputs import InputError, check_output_folder


@dataclass(frozen=True)
class PagePart:
    """A generated part of a page: its marker lines, its name in messages and the module that owns it.

    Attributes:
        begin: the marker line that opens the part.
        end: the marker line that closes it.
        name: the part in messages ("hold-out", "docking", "ablation").
        module: the module that writes it (named in messages).
        full_run: what ``--doc`` writes, in the message that refuses ``--doc`` with ``--quick``.
    """

    begin: str
    end: str
    name: str
    module: str
    full_run: str

    def missing(self, doc: str | Path) -> InputError:
        """The error for a page without this part's marker lines."""
        return InputError(f"--doc {doc}: the page has no {self.name} part (the two marker lines of {self.module})")


@dataclass(frozen=True)
class StudyOptions:
    """The checked options of a study run: local workers (None: all cores), quick, the figures' folder, the page."""

    workers: int | None
    quick: bool
    figures: str | None
    doc: str | None


def check_options(args: argparse.Namespace, part: PagePart) -> StudyOptions:
    """Check a study's options before it runs: at least one worker, a writable figures folder, and a readable page
    with the part's marker lines (``--doc`` only with the full run)."""
    workers = getattr(args, "workers", None)
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: expected at least 1")
    quick = bool(getattr(args, "quick", False))
    figures = getattr(args, "figures", None)
    if figures is not None:
        check_output_folder(figures, "--figures")
    doc = getattr(args, "doc", None)
    if doc is not None:
        if quick:
            raise InputError(f"--doc writes {part.full_run} into the page; leave out --quick")
        try:
            page = Path(doc).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"--doc {doc}: cannot read it ({getattr(e, 'strerror', None) or e})") from None
        if part.begin not in page or part.end not in page:
            raise part.missing(doc)
    return StudyOptions(workers, quick, figures, doc)


def write_part(path: Path, part: PagePart, block: str) -> None:
    """Put ``block`` between the part's marker lines of the page (written atomically)."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(part.begin)
    _, sep2, tail = rest.partition(part.end)
    if not sep or not sep2:
        raise part.missing(path)
    new = f"{head}{part.begin}\n{block.rstrip()}\n{part.end}{tail}"
    atomic_write(path, lambda tmp: tmp.write_text(new, encoding="utf-8"))


def text_table(head: Sequence[str], cells: Sequence[Sequence[Any]], markdown: bool, rule: bool = True) -> str:
    """A table as Markdown (for the page) or as aligned columns (for the terminal; ``rule``: a line of dashes under
    the head)."""
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join([*lines, *("| " + " | ".join(str(x) for x in c) + " |" for c in cells)])
    widths = [max(len(str(c[k])) for c in [head, *cells]) for k in range(len(head))]
    rows = [head, *([tuple("-" * w for w in widths)] if rule else []), *cells]
    return "\n".join("  ".join(str(x).ljust(w) for x, w in zip(c, widths, strict=True)).rstrip() for c in rows)
