"""A corpus of bad inputs, each with the outcome it must have.

Every :class:`Case` writes its files into a fresh temporary folder, then runs either the real command line
(``netwerkregie`` in-process, ``runner="cli"``) or one of the dashboard's readers (``runner="session"`` for a
training-session file, ``runner="upload"`` for an uploaded scenario). A refused case must end with exit status 2
and exactly one line on stderr that matches ``message`` (the dashboard readers: an ``InputError`` whose text
matches); an accepted case (``exit=0``) must succeed. Cases are grouped by what they break, one module per area.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """One bad (or deliberately good) input.

    Attributes:
        id: unique, says what the case breaks (``scenario-power-nan``).
        argv: the command line after ``netwerkregie``; ``{tmp}`` is the case's temporary folder and ``{NAME}``
            the path of the file ``NAME`` of ``files``. Unused by the dashboard runners.
        files: file name -> content (text or bytes) written into the temporary folder before the run.
        exit: the expected exit status (2 refused; 0 accepted).
        message: a regular expression the error line must match (searched, case-insensitive).
        runner: ``"cli"``, ``"session"`` (the file ``session.json``) or ``"upload"`` (the file ``upload.toml``).
    """

    id: str
    argv: tuple[str, ...] = ()
    files: dict[str, str | bytes] = field(default_factory=dict)
    exit: int = 2
    message: str = ""
    runner: str = "cli"


def all_cases() -> list[Case]:
    """Every case of every area, in a stable order."""
    import importlib
    import pkgutil

    cases: list[Case] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases.extend(module.CASES)
    return cases
