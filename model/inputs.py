"""One path for everything a user gives the model: files, texts, numbers, and the limits on their size.

Every check here raises :class:`InputError` with a message that names the field, the value and what would be
accepted. The command line turns an ``InputError`` into exit status 2 and one line on stderr; the dashboard shows
its message as text. Nothing else in the project decides what counts as bad input.

Limits bound what a run, a sweep or a file may ask for. The defaults never block real work on the command line
(:data:`COMMAND_LINE_LIMITS`, raised with ``--limit NAME=VALUE``); the dashboard uses the stricter
:data:`DASHBOARD_LIMITS` for uploads, which a page cannot raise. The limits in force are held in a context
variable: :func:`current_limits` reads them and :func:`using_limits` sets them for a block of code.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
import os
import stat
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


class InputError(ValueError):
    """Bad input from the user (a file, a value, a command-line option): exit status 2 with one clear line."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what one command may ask for.

    Attributes:
        partners: partners in one network (scenario files, generated scenarios, variants).
        steps: weeks in one run.
        replications: seeds per point (sweeps) or paired seeds (compare).
        design_points: parameter points of one sweep design, and runs of one sweep.
        file_bytes: size of one input file (scenario, variant, sweep specification, session, manifest).
        depth: nesting depth of tables and lists in one TOML or JSON document.
        text: characters in one name or other text field.
    """

    partners: int = 100_000
    steps: int = 5_200
    replications: int = 10_000
    design_points: int = 10_000_000
    file_bytes: int = 64 * 1024 * 1024
    depth: int = 32
    text: int = 200

    @staticmethod
    def describe() -> dict[str, str]:
        """What each limit bounds, for help texts and the docs."""
        return {
            "partners": "partners in one network",
            "steps": "weeks in one run",
            "replications": "seeds per point (sweep) or paired seeds (compare)",
            "design_points": "points of one sweep design, and runs of one sweep",
            "file_bytes": "bytes in one input file",
            "depth": "nesting depth of a TOML or JSON document",
            "text": "characters in one name",
        }

    def raised(self, assignments: list[str] | None) -> Limits:
        """These limits with ``NAME=VALUE`` assignments applied (``--limit partners=200000``)."""
        out = self
        for text in assignments or []:
            name, sep, raw = text.partition("=")
            name = name.strip()
            known = [f.name for f in fields(self)]
            if not sep or name not in known:
                raise InputError(f"--limit {text!r}: expected NAME=VALUE with NAME one of {', '.join(known)}")
            try:
                value = int(raw.strip().replace("_", ""))
            except ValueError:
                raise InputError(f"--limit {name}={raw!r}: expected a positive integer") from None
            if value < 1 or value > 2**62:
                raise InputError(f"--limit {name}={value}: expected a positive integer below 2**62")
            out = replace(out, **{name: value})
        return out


COMMAND_LINE_LIMITS = Limits()
DASHBOARD_LIMITS = Limits(
    partners=2_000, steps=520, replications=200, design_points=10_000, file_bytes=5 * 1024 * 1024, text=80
)

_LIMITS: contextvars.ContextVar[Limits] = contextvars.ContextVar("netwerkregie_limits", default=COMMAND_LINE_LIMITS)


def current_limits() -> Limits:
    """The limits in force (the command line's defaults unless :func:`using_limits` set others)."""
    return _LIMITS.get()


@contextmanager
def using_limits(limits: Limits) -> Iterator[Limits]:
    """Hold ``limits`` for the code inside the ``with`` block (this thread or task only)."""
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


def over_limit(what: str, value: int, name: str, limit: int | None = None) -> InputError:
    """The error for a request above a limit, naming the limit and how to raise it."""
    limit = getattr(current_limits(), name) if limit is None else limit
    return InputError(f"{what} = {value:,} is more than the limit of {limit:,} (raise it with --limit {name}=N)")


def check_limit(what: str, value: int, name: str) -> int:
    """``value`` if it is within the limit ``name`` of :class:`Limits`, else an :class:`InputError`."""
    limit = getattr(current_limits(), name)
    if value > limit:
        raise over_limit(what, value, name, limit)
    return value


# ---- values ---------------------------------------------------------------------------------------------------


def number(
    where: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    integer: bool = False,
    low_open: bool = False,
) -> Any:
    """A finite number (an ``int`` if ``integer``) in ``[low, high]``; ``where`` names the field in messages."""
    if hasattr(value, "item") and not isinstance(value, bool | str | list | dict):
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()  # numpy scalars are numbers too
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "an integer" if integer else "a number"
        raise InputError(f"{where} must be {kind}, got {shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where} must be a finite number, got {value!r}")
    if integer:
        if isinstance(value, float):
            if not value.is_integer():
                raise InputError(f"{where} must be an integer, got {value!r}")
            value = int(value)
    else:
        value = float(value)
    too_low = low is not None and (value < low or (low_open and value == low))
    if too_low or (high is not None and value > high):
        raise InputError(f"{where} = {value!r} is outside {_range(low, high, low_open)}")
    return value


def text(
    where: str, value: Any, *, allow_empty: bool = False, max_chars: int | None = None, multiline: bool = False
) -> str:
    """A text of at most ``max_chars`` characters (default: the ``text`` limit), without control characters
    (line breaks only where ``multiline``)."""
    if not isinstance(value, str):
        raise InputError(f"{where} must be a text, got {shown(value)}")
    limit = current_limits().text if max_chars is None else max_chars
    if len(value) > limit:
        raise InputError(f"{where} is {len(value):,} characters long; at most {limit:,} are allowed")
    if not allow_empty and not value.strip():
        raise InputError(f"{where} must not be empty")
    allowed = "\t\n\r" if multiline else "\t"
    if any((ord(c) < 32 and c not in allowed) or c == "\x7f" for c in value):
        raise InputError(f"{where} contains a control character: {value!r}")
    return value


def table(where: str, value: Any, allowed: set[str] | None = None, required: tuple[str, ...] = ()) -> dict:
    """A table (dict) whose keys are among ``allowed`` and include ``required``."""
    if not isinstance(value, dict):
        raise InputError(f"{where} must be a table, got {shown(value)}")
    if allowed is not None:
        unknown = sorted(str(k) for k in set(value) - allowed)
        if unknown:
            raise InputError(f"{where}: unknown field(s) {unknown}; allowed: {sorted(allowed)}")
    for key in required:
        if key not in value:
            raise InputError(f"{where} lacks {key!r}")
    return value


def array(where: str, value: Any, min_len: int = 0, max_len: int | None = None) -> list:
    """A list of ``min_len`` to ``max_len`` items."""
    if not isinstance(value, list):
        raise InputError(f"{where} must be a list, got {shown(value)}")
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        span = f"{min_len} to {max_len}" if max_len is not None else f"at least {min_len}"
        raise InputError(f"{where} must have {span} items, got {len(value):,}")
    return value


def _range(low: float | None, high: float | None, low_open: bool = False) -> str:
    if high is None:
        return f"{'>' if low_open else '>='} {low:g}" if low is not None else "the finite numbers"
    if low is None:
        return f"<= {high:g}"
    return f"{'(' if low_open else '['}{low:g}, {high:g}]"


def shown(value: Any) -> str:
    """A value for a message: its repr, cut short."""
    text_ = repr(value)
    return text_ if len(text_) <= 60 else text_[:57] + "..."


# ---- documents --------------------------------------------------------------------------------------------------


def depth_of(doc: Any, limit: int) -> int:
    """The nesting depth of a parsed document (a scalar is 0), counted up to ``limit + 1`` without recursion."""
    deepest = 0
    stack = [(doc, 0)]
    while stack:
        node, d = stack.pop()
        children: Iterable[Any]
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        d += 1
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        stack.extend((c, d) for c in children)
    return deepest


def _check_depth(doc: Any, what: str, source: str) -> None:
    limit = current_limits().depth
    if depth_of(doc, limit) > limit:
        raise InputError(f"{what} {source} is nested more than {limit} levels deep (raise it with --limit depth=N)")


def _decode(data: bytes | str, what: str, source: str) -> str:
    if isinstance(data, bytes):
        limit = current_limits().file_bytes
        if len(data) > limit:
            raise InputError(f"{what} {source} is larger than {_size(limit)} (raise it with --limit file_bytes=N)")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{what} {source} is not a UTF-8 text file") from None
    if len(data) > current_limits().file_bytes:
        raise InputError(f"{what} {source} is larger than {_size(current_limits().file_bytes)}")
    return data


def read_toml(data: bytes | str, what: str, source: str) -> dict[str, Any]:
    """Parse TOML text as data only; a text that is too large, not UTF-8, not TOML or nested too deeply is
    refused with an :class:`InputError` naming ``what`` it should have been (e.g. "scenario") and its ``source``."""
    content = _decode(data, what, source)
    try:
        doc = tomllib.loads(content)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{what} {source} is not valid TOML: {e}") from None
    except RecursionError:
        raise InputError(f"{what} {source} is nested more than {current_limits().depth} levels deep") from None
    _check_depth(doc, what, source)
    return doc


def read_json(data: bytes | str, what: str, source: str) -> Any:
    """Parse JSON text (no NaN or infinity) with the same bounds as :func:`read_toml`."""
    content = _decode(data, what, source)

    def no_constants(name: str) -> Any:
        raise InputError(f"{what} {source} contains {name}, which is not a finite number")

    try:
        doc = json.loads(content, parse_constant=no_constants)
    except json.JSONDecodeError as e:
        raise InputError(f"{what} {source} is not valid JSON: {e}") from None
    except RecursionError:
        raise InputError(f"{what} {source} is nested more than {current_limits().depth} levels deep") from None
    _check_depth(doc, what, source)
    return doc


# ---- files ------------------------------------------------------------------------------------------------------


def read_input_file(path: str | Path, what: str) -> bytes:
    """The bytes of a user's input file: a readable regular file within the ``file_bytes`` limit.

    A missing path, a folder, a FIFO or a device, an unreadable or too large file each get their own message.
    """
    path = Path(path)
    shown = str(path)
    limit = current_limits().file_bytes
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} file {shown!r} does not exist") from None
    except NotADirectoryError:
        raise InputError(f"{what} file {shown!r} does not exist (a part of its path is a file)") from None
    except PermissionError:
        raise InputError(f"{what} file {shown!r} cannot be read (permission denied)") from None
    except OSError as e:
        raise InputError(f"{what} file {shown!r} cannot be read: {e.strerror or e}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{what} file {shown!r} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{what} file {shown!r} is not a regular file (a pipe, device or socket)")
    if info.st_size > limit:
        raise InputError(f"{what} file {shown!r} is larger than {_size(limit)} (raise it with --limit file_bytes=N)")
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except PermissionError:
        raise InputError(f"{what} file {shown!r} cannot be read (permission denied)") from None
    except OSError as e:
        raise InputError(f"{what} file {shown!r} cannot be read: {e.strerror or e}") from None
    if len(data) > limit:
        raise InputError(f"{what} file {shown!r} is larger than {_size(limit)}")
    return data


def check_output_file(path: str | Path, what: str, suffixes: tuple[str, ...] = ()) -> Path:
    """Check, before any work, that a result can be written to ``path``: the right extension, not a folder, and
    a folder above it that exists or can be made and is writable. Nothing is created."""
    path = Path(path)
    shown = str(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(f"{what} {shown!r}: expected a file ending in {' or '.join(suffixes)}")
    if path.is_dir():
        raise InputError(f"{what} {shown!r} is a folder; give a file name")
    if path.exists() and not path.is_file():
        raise InputError(f"{what} {shown!r} exists and is not a regular file")
    _check_writable_parent(path.parent, what, shown)
    return path


def check_output_folder(path: str | Path, what: str) -> Path:
    """Check, before any work, that ``path`` is a folder that exists and is writable, or can be made."""
    path = Path(path)
    shown = str(path)
    if path.exists():
        if not path.is_dir():
            raise InputError(f"{what} {shown!r} exists and is not a folder")
        if not os.access(path, os.W_OK | os.X_OK):
            raise InputError(f"{what} {shown!r} is not writable (permission denied)")
        return path
    _check_writable_parent(path.parent, what, shown)
    return path


def _check_writable_parent(parent: Path, what: str, shown: str) -> None:
    probe = parent if str(parent) else Path(".")
    while not probe.exists():
        if probe.is_symlink():
            raise InputError(f"{what} {shown!r}: {str(probe)!r} is a broken link")
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(f"{what} {shown!r} cannot be written: {str(probe)!r} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"{what} {shown!r} cannot be written: folder {str(probe)!r} is not writable")


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    return f"{n:,} bytes"
