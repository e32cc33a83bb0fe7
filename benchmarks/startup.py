"""Start-up time of the command line, beside ``python -c "import numpy"``, measured in one invocation.

Each command is started as a fresh interpreter (``python -m experiments.cli ...``), several times in turn, and the
median wall time is reported with its ratio to importing numpy alone (the floor of any command of this project).

    .venv/bin/python benchmarks/startup.py --repeats 7
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS: list[tuple[str, list[str]]] = [
    ('python -c "import numpy"', ["-c", "import numpy"]),
    ("netwerkregie --help", ["-m", "experiments.cli", "--help"]),
    ("netwerkregie scenarios", ["-m", "experiments.cli", "scenarios"]),
    *[
        (f"netwerkregie {c} --help", ["-m", "experiments.cli", c, "--help"])
        for c in ("run", "sweep", "analyze", "validate", "compare", "debrief", "training", "dashboard")
    ],
    ("netwerkregie run jeugdaanpak --steps 0", ["-m", "experiments.cli", "run", "jeugdaanpak", "--steps", "0"]),
]


def measure(repeats: int) -> list[tuple[str, float]]:
    """Median wall seconds of each command over ``repeats`` rounds (commands interleaved within a round)."""
    times: dict[str, list[float]] = {name: [] for name, _ in COMMANDS}
    for _ in range(repeats):
        for name, args in COMMANDS:
            start = time.perf_counter()
            subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    return [(name, statistics.median(times[name])) for name, _ in COMMANDS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    results = measure(args.repeats)
    floor = results[0][1]
    print(f"| command | median wall time (s), {args.repeats} starts | x import numpy |")
    print("|---|---|---|")
    for name, seconds in results:
        print(f"| `{name}` | {seconds:.3f} | {seconds / floor:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
