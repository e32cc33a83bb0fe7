"""Sweep throughput with 1 and 2 worker processes, and the coordinating process's peak memory.

    .venv/bin/python benchmarks/sweep_throughput.py                 # 500 runs of sociaal_domein, 104 weeks
    .venv/bin/python benchmarks/sweep_throughput.py --runs 200      # fewer runs

Each measurement runs in a fresh Python process (so peak memory is that sweep's alone): the worker processes are
started and warmed up (one short run each) before the clock starts, so the rate is the sweep's, not the start-up of
Python and Mesa. The sweep keeps per-week metrics (``timeseries = true``) and writes them to a temporary folder.

Reported: runs per second with 1 and 2 workers and their ratio (goal: at least 1.7), and the coordinator's peak
resident memory for sweeps of increasing size with 2 workers (goal: flat, results are streamed to disk). To judge the
ratio, the script first measures what the machine gives a second process at that moment (pure-Python work on 2
processes against 1): on a machine shared with other work, that bounds what any sweep can gain.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SPEC = """
scenario = "sociaal_domein"
steps = 104
replications = {replications}
seed = 1
timeseries = true

[design]
kind = "lhs"
samples = {samples}

[parameters]
blame_culture = {{ min = 0.0, max = 1.0 }}
sharing_rate = {{ min = 0.1, max = 2.0 }}
director_hours = {{ min = 4.0, max = 40.0 }}
"""


def measure(workers: int, runs: int) -> dict:
    """One sweep of ``runs`` runs on ``workers`` processes (in this process): rate and peak memory."""
    sys.path.insert(0, str(ROOT))
    from experiments.designs import parse_spec
    from experiments.evaluator import Evaluator
    from experiments.sweep import execute_run, run_sweep

    replications = 10 if runs % 10 == 0 else 1
    import tomllib

    spec = parse_spec(tomllib.loads(SPEC.format(samples=runs // replications, replications=replications)))
    with Evaluator(workers) as evaluator:
        started = time.perf_counter()
        evaluator.map(execute_run, [({"scenario": "sociaal_domein"}, 0, 1, False)] * workers)  # one run per worker
        startup = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as tmp:
            began = time.perf_counter()
            summary = run_sweep(spec, Path(tmp) / "out", executor=evaluator, progress=False)
            seconds = time.perf_counter() - began
    assert summary.done == runs and summary.failed == 0
    return {
        "workers": workers,
        "runs": runs,
        "seconds": seconds,
        "rate": runs / seconds,
        "startup_s": startup,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _burn(n: int) -> float:
    start = time.process_time()
    total = 0
    for i in range(n):
        total += i * i
    return time.process_time() - start


def machine_parallelism(tasks: int = 8, size: int = 3_000_000) -> float:
    """Rate of pure-Python CPU work on 2 processes over 1: what this machine gives a second worker right now."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    rates = {}
    for workers in (1, 2):
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            list(pool.map(_burn, [10] * workers))
            began = time.perf_counter()
            list(pool.map(_burn, [size] * tasks))
            rates[workers] = tasks / (time.perf_counter() - began)
    return rates[2] / rates[1]


def in_fresh_process(workers: int, runs: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(workers), str(runs)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="runs in the throughput sweeps (default 500)")
    parser.add_argument("--one", nargs=2, type=int, metavar=("WORKERS", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(*args.one)))
        return
    import os

    print(f"sweep of sociaal_domein, 104 weeks, timeseries kept; {args.runs} runs; {os.cpu_count()} cores")
    print("load average before (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"the machine right now: pure-Python work on 2 processes runs {machine_parallelism():.2f}x as fast as on 1")
    one = in_fresh_process(1, args.runs)
    two = in_fresh_process(2, args.runs)
    for r in (one, two):
        print(
            f"  {r['workers']} worker(s): {r['runs']} runs in {r['seconds']:.1f} s = {r['rate']:.2f} runs/s "
            f"(workers started in {r['startup_s']:.1f} s, not counted); coordinator peak RSS {r['peak_rss_mb']:.0f} MB"
        )
    print(f"  throughput ratio 2 vs 1 worker: {two['rate'] / one['rate']:.2f}x (goal >= 1.7x)")
    print("coordinator peak memory by sweep size (2 workers):")
    for runs in sorted({max(10, args.runs // 5), args.runs // 2, args.runs}):
        r = two if runs == args.runs else in_fresh_process(2, runs)
        print(f"  {runs:5d} runs: peak RSS {r['peak_rss_mb']:.0f} MB")
    print("load average after (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
