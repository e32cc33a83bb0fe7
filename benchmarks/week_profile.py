"""Where the time of many small runs goes: a cProfile of whole runs, by part of the week.

Runs ``--runs`` models of a scenario for ``--weeks`` weeks (distinct seeds, the per-week metrics' table made at the
end, as ``benchmarks/versus.py`` measures them) under cProfile and prints the share of the total time spent in each
function the model's ``step`` calls (the director's act, joint work, the metrics, ...), in the DataCollector's
``collect`` and in construction, then the functions with the most time of their own. The profiler's own cost per
call inflates the shares of parts that make many small calls; compare shares, not times, between revisions.

    .venv/bin/python benchmarks/week_profile.py --scenario jeugdaanpak
    PYTHONPATH=/path/to/an/older/checkout .venv/bin/python benchmarks/week_profile.py   # an older revision's model
"""

from __future__ import annotations

import argparse
import cProfile
import pstats


def profile(scenario: str, weeks: int, runs: int) -> pstats.Stats:
    from model import CollaborationModel

    CollaborationModel(scenario=scenario, rng=0).run_for(2)  # warm the imports and caches

    def work() -> None:
        for seed in range(1, runs + 1):
            model = CollaborationModel(scenario=scenario, rng=seed)
            model.run_for(weeks)
            model.datacollector.get_model_vars_dataframe()

    profiler = cProfile.Profile()
    profiler.runcall(work)
    return pstats.Stats(profiler)


def parts(stats: pstats.Stats) -> tuple[float, dict[str, float], list[tuple[str, float, int]]]:
    """Total seconds; cumulative seconds per part of the week; (function, own seconds, calls) by own time."""
    table = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table here
    total = max(ct for (_, _, name), (_, _, _, ct, _) in table.items() if name == "work")
    shares: dict[str, float] = {}
    for (file, _, name), (_, _, _, ct, callers) in table.items():
        called_by_step = any(c[2] == "step" and c[0].endswith("model.py") and "mesa" not in c[0] for c in callers)
        construction = name == "__init__" and file.endswith("model/model.py")
        if called_by_step or construction or (name == "collect" and callers and "step" in {c[2] for c in callers}):
            label = "construction" if construction else name
            shares[label] = shares.get(label, 0.0) + ct
    own = sorted(
        ((f"{file.rsplit('/', 1)[-1]}:{name}", tt, nc) for (file, _, name), (_, nc, tt, _, _) in table.items()),
        key=lambda row: -row[1],
    )
    return total, shares, own


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="jeugdaanpak")
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    stats = profile(args.scenario, args.weeks, args.runs)
    total, shares, own = parts(stats)
    weeks = args.runs * args.weeks
    calls = stats.total_calls / weeks  # type: ignore[attr-defined]
    print(
        f"{args.scenario}, {args.runs} runs x {args.weeks} weeks: {total / args.runs * 1000:.1f} ms per run profiled, "
        f"{calls:,.0f} Python-level function calls per week"
    )
    print("| part of the week | share of the time |\n|---|---|")
    for name, seconds in sorted(shares.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"| `{name}` | {seconds / total:.1%} |")
    print("\n| function | own time | calls per week |\n|---|---|---|")
    for name, seconds, calls in own[: args.top]:
        print(f"| `{name}` | {seconds / total:.1%} | {calls / weeks:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
