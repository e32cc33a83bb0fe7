"""Runs per second of this checkout against older revisions, measured side by side in one invocation.

Each older revision is checked out in a temporary git worktree; each side runs in a fresh interpreter of this
environment with its own code first on ``sys.path``, alternating (old, new, old, new, ...; with several ``--rev``,
every older one before the new one in each round) so that all meet the same machine load. A run is one model of the
scenario for the given weeks with a distinct seed, the DataCollector's per-week metrics included (as a user's run
has them); construction is counted. The rate is runs per CPU-second of the measuring process: runs per second per
core.

    .venv/bin/python benchmarks/versus.py --rev 3f5839b --scenario jeugdaanpak --weeks 104 --runs 20 --rounds 5
    .venv/bin/python benchmarks/versus.py --rev 0d89128 --rev 009c5eb --scenario synthetic

prints the median rate of each side and the median ratio new / old per older revision and, with ``--json PATH``,
writes every round's rates.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: benchmarks/ is on sys.path
    from checkouts import ROOT, older_checkouts
else:
    from benchmarks.checkouts import ROOT, older_checkouts

# The measured program: no import of this checkout's modules beyond the model's public API, which both revisions have.
PROGRAM = """
import json, sys, time
from model import CollaborationModel
scenario, weeks, runs, first_seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
CollaborationModel(scenario=scenario, rng=0).run_for(2)  # warm the imports and caches
start = time.process_time()
for seed in range(first_seed, first_seed + runs):
    model = CollaborationModel(scenario=scenario, rng=seed)
    model.run_for(weeks)
    model.datacollector.get_model_vars_dataframe()
print(json.dumps({"cpu_s": time.process_time() - start}))
"""


def _measure(code_dir: Path, scenario: str, weeks: int, runs: int, first_seed: int) -> float:
    """Runs per CPU-second of the code in ``code_dir``."""
    env = {"PYTHONPATH": str(code_dir), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, scenario, str(weeks), str(runs), str(first_seed)],
        cwd=code_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return runs / json.loads(out.stdout.strip().splitlines()[-1])["cpu_s"]


def compare_many(revs: list[str], scenario: str, weeks: int, runs: int, rounds: int) -> dict:
    """Measure every older revision and this checkout ``rounds`` times, in turn within each round; returns each
    side's rates (runs per CPU-second) and, per older revision, the median ratio new / old over the rounds."""
    with older_checkouts(revs) as dirs:
        old: dict[str, list[float]] = {rev: [] for rev in revs}
        new: list[float] = []
        for r in range(rounds):
            seed = 1000 + r * runs
            for rev in revs:
                old[rev].append(_measure(dirs[rev], scenario, weeks, runs, seed))
            new.append(_measure(ROOT, scenario, weeks, runs, seed))
            shown = ", ".join(f"{rev} {old[rev][-1]:.1f}" for rev in revs)
            print(f"round {r + 1}/{rounds}: {shown}, new {new[-1]:.1f} runs/s", file=sys.stderr)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    )
    return {
        "new_revision": head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else ""),
        "scenario": scenario,
        "weeks": weeks,
        "runs_per_round": runs,
        "rounds": rounds,
        "new_runs_per_s": new,
        "old": {
            rev: {
                "runs_per_s": old[rev],
                "median_ratio_new_over_old": statistics.median(n / o for n, o in zip(new, old[rev], strict=True)),
            }
            for rev in revs
        },
    }


def compare(rev: str, scenario: str, weeks: int, runs: int, rounds: int) -> dict:
    """One older revision against this checkout (see :func:`compare_many`), in the flat form of earlier versions."""
    result = compare_many([rev], scenario, weeks, runs, rounds)
    return {
        "old_revision": rev,
        "new_revision": result["new_revision"],
        "scenario": scenario,
        "weeks": weeks,
        "runs_per_round": runs,
        "old_runs_per_s": result["old"][rev]["runs_per_s"],
        "new_runs_per_s": result["new_runs_per_s"],
        "median_ratio_new_over_old": result["old"][rev]["median_ratio_new_over_old"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", required=True, action="append", help="an older revision (repeatable)")
    parser.add_argument("--scenario", default="jeugdaanpak")
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--runs", type=int, default=20, help="runs per round and side (distinct seeds)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", default=None, help="also write the result to this file")
    args = parser.parse_args(argv)
    result = compare_many(args.rev, args.scenario, args.weeks, args.runs, args.rounds)
    lines = [f"{args.scenario}, {args.weeks} weeks, {args.runs} runs x {args.rounds} rounds (CPU time, one core):"]
    for rev, side in [
        *((rev, result["old"][rev]["runs_per_s"]) for rev in args.rev),
        (result["new_revision"], result["new_runs_per_s"]),
    ]:
        rate = statistics.median(side)
        lines.append(f"  {rev}: {rate:.2f} runs/s, {1000 / rate:.1f} ms per run (median round)")
    for rev in args.rev:
        ratio = result["old"][rev]["median_ratio_new_over_old"]
        lines.append(f"  ratio of runs per second, new / {rev}: {ratio:.2f} (median over rounds)")
    print("\n".join(lines))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
