"""Reading a trainer's TOML files with errors that point into the file: the field's path, the line it is on, and
what is expected.

A field is named by its path in the document, ``dilemma[3].option[2].actions[1].hours`` (counting from 1, as a
trainer counts the ``[[dilemma]]`` blocks of the file), and :func:`line_of` finds the line it is written on by
reading the text (Python's TOML parser gives lines only for syntax errors): the header of each array of tables, the
key of a table or an inline table, the n-th item of an inline array of tables.
"""

from __future__ import annotations

import re
from typing import Any

from model.inputs import InputError, shown

Path = tuple[str | int, ...]  # keys and 0-based indexes

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


class FieldError(InputError):
    """A field of a trainer's file is wrong: its path, the line (when found) and what is expected."""

    def __init__(self, source: str, path: Path, problem: str, line: int | None = None) -> None:
        self.source, self.path, self.problem, self.line = source, path, problem, line
        where = f"{source}: line {line}" if line else source
        super().__init__(f"{where}: {path_text(path)}: {problem}")


def path_text(path: Path) -> str:
    """``("dilemma", 2, "option", 0, "hours")`` as ``dilemma[3].option[1].hours``."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the file)"


def _key_pattern(key: str) -> re.Pattern[str]:
    quoted = re.escape(key)
    return re.compile(rf"""(^|[{{,\s])(?:{quoted}|"{quoted}"|'{quoted}')\s*=""", re.MULTILINE)


def _headers(lines: list[str]) -> list[tuple[int, str, bool]]:
    """Per table header: (line index, dotted name without spaces, is an array of tables)."""
    out = []
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m and not line.lstrip().startswith("#"):
            name = ".".join(part.strip().strip("\"'") for part in m.group(1).split("."))
            out.append((i, name, line.lstrip().startswith("[[")))
    return out


def line_of(text: str, path: Path) -> int | None:
    """The 1-based line on which the field ``path`` is written in ``text`` (best effort; ``None``: not found)."""
    lines = text.splitlines()
    headers = _headers(lines)
    start, end = 0, len(lines)
    prefix: list[str] = []
    found: int | None = None
    i = 0
    parts = list(path)
    # tables and arrays of tables written as headers
    while i < len(parts):
        part = parts[i]
        if not isinstance(part, str):
            break
        name = ".".join([*prefix, part])
        index = parts[i + 1] if i + 1 < len(parts) and isinstance(parts[i + 1], int) else None
        matching = [h for h in headers if start <= h[0] < end and h[1] == name]
        if index is not None and matching and all(h[2] for h in matching):
            if index >= len(matching):
                break
            head = matching[index][0]
            following = [h[0] for h in headers if h[0] > head and not h[1].startswith(name + ".")]
            start, end = head, min([end, *following])
            found = head + 1
            prefix.append(part)
            i += 2
            continue
        if index is None and matching:
            head = matching[0][0]
            following = [h[0] for h in headers if h[0] > head and not h[1].startswith(name + ".")]
            start, end = head, min([end, *following])
            found = head + 1
            prefix.append(part)
            i += 1
            continue
        break
    # the rest is a key in the current table, then inside inline tables and arrays
    body_end = min([end, *[h[0] for h in headers if start < h[0] < end]]) if i < len(parts) else end
    position = _offset(lines, start + (1 if found else 0))
    limit = _offset(lines, body_end)
    flat = "\n".join(lines) + "\n"
    while i < len(parts):
        part = parts[i]
        if isinstance(part, str):
            m = _key_pattern(part).search(flat, position, limit)
            if not m:
                break
            position = m.end()
            found = flat.count("\n", 0, m.start(0) + len(m.group(1))) + 1
        else:
            item = _nth_item(flat, position, limit, part)
            if item is None:
                break
            position = item
            found = flat.count("\n", 0, item) + 1
        i += 1
    return found


def _offset(lines: list[str], line_index: int) -> int:
    return sum(len(line) + 1 for line in lines[:line_index])


def _nth_item(flat: str, position: int, limit: int, n: int) -> int | None:
    """The offset of the n-th (0-based) item of the array that starts after ``position`` (the text after ``=``)."""
    depth, quote, count = 0, "", 0
    k = position
    item_start: int | None = None
    while k < limit:
        ch = flat[k]
        if quote:
            if ch == "\\" and quote == '"':
                k += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            if depth == 1 and item_start is None:
                item_start = k
        elif ch == "#":
            k = flat.find("\n", k)
            if k < 0:
                return None
            continue
        elif ch in "[{":
            depth += 1
            if depth == 2 and item_start is None:
                item_start = k
        elif ch in "]}":
            depth -= 1
            if depth <= 0:
                return item_start if item_start is not None and count == n else None
        elif ch == "," and depth == 1:
            if count == n and item_start is not None:
                return item_start
            count += 1
            item_start = None
        elif not ch.isspace() and depth == 1 and item_start is None:
            item_start = k
        if depth == 0 and not ch.isspace() and ch not in "[{":
            return None
        k += 1
    return None


class Reader:
    """Checks the fields of one parsed document and raises :class:`FieldError` pointing into its text."""

    def __init__(self, text: str, source: str) -> None:
        self.content, self.source = text, source

    def fail(self, path: Path, problem: str) -> FieldError:
        return FieldError(self.source, path, problem, line_of(self.content, path))

    def table(self, path: Path, value: Any, allowed: set[str], required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a table, got {shown(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail((*path, key), f"unknown field; expected one of: {', '.join(sorted(allowed))}")
        for key in required:
            if key not in value:
                raise self.fail(path, f"lacks the field {key!r} (required)")
        return value

    def array(self, path: Path, value: Any, low: int, high: int | None, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of {what}, got {shown(value)}")
        if len(value) < low or (high is not None and len(value) > high):
            span = f"{low} to {high}" if high is not None else f"at least {low}"
            raise self.fail(path, f"expected {span} {what}, got {len(value)}")
        return value

    def text(self, path: Path, value: Any, max_chars: int = 2000, multiline: bool = False) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"expected a non-empty text, got {shown(value)}")
        if len(value) > max_chars:
            raise self.fail(path, f"expected at most {max_chars} characters, got {len(value)}")
        bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]" if multiline else r"[\x00-\x08\x0a-\x1f\x7f]", value)
        if bad:
            raise self.fail(path, "expected text without control characters" + ("" if multiline else " or line breaks"))
        return value

    def number(
        self, path: Path, value: Any, low: float, high: float, *, integer: bool = False, what: str = "a number"
    ) -> Any:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and integer and not isinstance(value, int):
            ok = False
        if not ok or not (low <= value <= high) or value != value:
            kind = "an integer" if integer else what
            raise self.fail(path, f"expected {kind} in [{low:g}, {high:g}], got {shown(value)}")
        return value

    def choice(self, path: Path, value: Any, choices: tuple[str, ...] | list[str]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(path, f"expected one of: {', '.join(choices)}; got {shown(value)}")
        return value

    def name(self, path: Path, value: Any) -> str:
        """An identifier: lower-case letters, digits and underscores."""
        if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,59}", value):
            raise self.fail(
                path, f"expected an id of lower-case letters, digits and _ (like schuldvraag), got {shown(value)}"
            )
        return value
