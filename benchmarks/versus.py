"""Runs per second of this checkout against an older revision, measured side by side in one invocation.

The older revision is checked out in a temporary git worktree; each side runs in a fresh interpreter of this
environment with its own code first on ``sys.path``, alternating (old, new, old, new, ...) so that both meet the same
machine load. A run is one model of the scenario for the given weeks with a distinct seed, the DataCollector's
per-week metrics included (as a user's run has them); construction is counted.

    .venv/bin/python benchmarks/versus.py --rev 3f5839b --scenario jeugdaanpak --weeks 104 --runs 20 --rounds 5

prints a table (runs per second of each side per round, the median ratio) and, with ``--json PATH``, writes it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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


def compare(rev: str, scenario: str, weeks: int, runs: int, rounds: int) -> dict:
    """Measure both sides ``rounds`` times, alternating; returns the rates and the median ratio new/old."""
    with tempfile.TemporaryDirectory() as tmp:
        old_dir = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old_dir), rev], check=True, capture_output=True
        )
        try:
            old, new = [], []
            for r in range(rounds):
                seed = 1000 + r * runs
                old.append(_measure(old_dir, scenario, weeks, runs, seed))
                new.append(_measure(ROOT, scenario, weeks, runs, seed))
                print(f"round {r + 1}/{rounds}: old {old[-1]:.1f} runs/s, new {new[-1]:.1f} runs/s", file=sys.stderr)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_dir)],
                check=False,
                capture_output=True,
            )
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    ratios = [n / o for n, o in zip(new, old, strict=True)]
    return {
        "old_revision": rev,
        "new_revision": head.stdout.strip(),
        "scenario": scenario,
        "weeks": weeks,
        "runs_per_round": runs,
        "old_runs_per_s": old,
        "new_runs_per_s": new,
        "median_ratio_new_over_old": statistics.median(ratios),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", required=True, help="the older revision (a commit, tag or branch)")
    parser.add_argument("--scenario", default="jeugdaanpak")
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--runs", type=int, default=20, help="runs per round and side (distinct seeds)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", default=None, help="also write the result to this file")
    args = parser.parse_args(argv)
    result = compare(args.rev, args.scenario, args.weeks, args.runs, args.rounds)
    old_ms = 1000 / statistics.median(result["old_runs_per_s"])
    new_ms = 1000 / statistics.median(result["new_runs_per_s"])
    print(
        f"{args.scenario}, {args.weeks} weeks, {args.runs} runs x {args.rounds} rounds (CPU time, one core):\n"
        f"  {result['old_revision']}: {old_ms:.1f} ms per run (median round)\n"
        f"  {result['new_revision']}: {new_ms:.1f} ms per run (median round)\n"
        f"  ratio of runs per second, new / old: {result['median_ratio_new_over_old']:.2f} (median over rounds)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
