"""Training sessions for the dashboard: the files, their checks and their replay live in
:mod:`experiments.training.session` (the command line reads them too); this module re-exports them for the pages
and for code that imports ``dashboards.session``."""

from __future__ import annotations

from experiments.training.session import (
    FORMAT,
    HORIZONS,
    MAX_DECISIONS_PER_WEEK,
    MAX_HORIZON,
    MAX_HOURS,
    MAX_SEED,
    MAX_SESSION_BYTES,
    VERSION,
    Decision,
    TrainingSession,
    apply_decisions,
    apply_decisions_lenient,
    load_session_file,
    parameter_names,
    read_session_file,
    session_from_dict,
)

__all__ = [
    "FORMAT",
    "HORIZONS",
    "MAX_DECISIONS_PER_WEEK",
    "MAX_HORIZON",
    "MAX_HOURS",
    "MAX_SEED",
    "MAX_SESSION_BYTES",
    "VERSION",
    "Decision",
    "TrainingSession",
    "apply_decisions",
    "apply_decisions_lenient",
    "load_session_file",
    "parameter_names",
    "read_session_file",
    "session_from_dict",
]
