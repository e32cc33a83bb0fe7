"""The options of the validation, for ``netwerkregie validate`` and ``python -m experiments.validate`` alike.

They live apart from :mod:`experiments.validate` so that the command line can offer them without loading the pattern
modules (and with them scipy's statistics) before a validation is asked for.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_arguments(parser: argparse.ArgumentParser, workers: Callable[[str], int] = int) -> None:
    """The options of the validation (``--quick``, ``--figures``, ``--doc``, ``--workers``, ``--holdout``,
    ``--docking``, ``--ablation``, and ``--robustness`` with its own: ``--points``, ``--seeds``,
    ``--trajectories``, ``--steps``, ``--store``, ``--scheduler``).

    Args:
        parser: the parser (or subcommand parser) to add them to.
        workers: the type of ``--workers`` (the command line's refuses a number out of range as it parses).
    """
    parser.add_argument("--quick", action="store_true", help="fewer seeds and a shorter horizon")
    parser.add_argument("--figures", default=None, help="write a figure per pattern to this folder")
    parser.add_argument(
        "--doc", default=None, help="rewrite the pattern sections of this page (docs/validation.md) with the results"
    )
    parser.add_argument("--workers", type=workers, default=None, help="local worker processes (default: all cores)")
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="run the hold-out patterns H1-H5 of docs/holdout.md instead (with --doc: their part of the page)",
    )
    parser.add_argument(
        "--docking",
        action="store_true",
        help="run the docking study of docs/validation.md instead: mediation over 400 simulated networks "
        "(with --doc: its part of the page)",
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="run each pattern with the mechanism switch it is evidence for off, beside it on (experiments/ablation.py;"
        " with --doc: the Ablation part of the page)",
    )
    parser.add_argument(
        "--robustness",
        action="store_true",
        help="run the robustness study over every calibration constant instead: a Morris screening and a Latin "
        "hypercube of the emergent patterns (experiments/robustness.py; resumable; with --doc: its parts of the page)",
    )
    parser.add_argument("--points", type=int, default=None, help="--robustness: points of the hypercube (default 500)")
    parser.add_argument("--seeds", type=int, default=None, help="--robustness: seeds per hypercube point (default 5)")
    parser.add_argument(
        "--trajectories", type=int, default=None, help="--robustness: Morris trajectories per scenario (default 10)"
    )
    parser.add_argument(
        "--steps", type=int, default=None, help="--robustness: horizon in weeks (default: each scenario's own)"
    )
    parser.add_argument(
        "--store",
        default=None,
        help="--robustness: folder of the finished points (default robustness/, with --quick robustness-quick/); a "
        "rerun continues it",
    )
    parser.add_argument(
        "--scheduler", default=None, help="--robustness: a Dask scheduler address, tcp://HOST:PORT (default: local)"
    )
