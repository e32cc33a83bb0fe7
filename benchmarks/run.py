"""Performance benchmark of Netwerkregie: writes ``docs/performance.md`` and ``docs/figures/performance_scaling.png``.

    .venv/bin/python benchmarks/run.py            # the full benchmark (about 5-10 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # small sizes, one repeat; prints the tables, writes nothing
    .venv/bin/python benchmarks/run.py --only scale --sizes 1000 10000 50000 --versus REV
        # only the full model against the reference (and REV's model, checked out in a temporary worktree,
        # alternating with them); prints the ratios, writes nothing

Every figure is the median of several runs, each run in a fresh Python process (so its peak memory, read with
``resource.getrusage`` in that process, is its own), all in one invocation so that ratios compare like with like:

- each built-in scenario, 104 weeks: construction and run time, peak memory;
- ``synthetic`` at 100, 1,000, 10,000 and 50,000 partners (about 10 relations each), 52 weeks, default
  configuration (strategy ``balanced``, model-level DataCollector on): time per tick and per relation-tick, peak
  memory, and the fitted growth exponent of cost in relations (1,000 to 50,000 partners);
- the per-agent Mesa reference (``benchmarks/reference_mesa.py``) on the same networks, with the same number of
  interactions, and the ratio of the full model's cost per interaction to the reference's; full model and
  reference runs alternate, so a change in the machine's load hits both;
- where a tick's time goes (10,000 partners), dashboard step-plus-redraw latency (``dashboards.network_view``),
  and sweep throughput per worker (``benchmarks/sweep_throughput.py``).

The raw measurements are kept in ``benchmarks/performance_results.json``; ``--from-json`` rewrites the page from
them without measuring again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from model import METRICS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
FIGURE = ROOT / "docs" / "figures" / "performance_scaling.png"
RESULTS = ROOT / "benchmarks" / "performance_results.json"
PARTIAL = ROOT / "benchmarks" / "performance_results.partial.json"

SIZES = (100, 1_000, 10_000, 50_000)
REPEATS = {100: 5, 1_000: 7, 10_000: 5, 50_000: 3}
SCENARIO_REPEATS = 5
SCALE_WEEKS = 52
SCENARIO_WEEKS = 104
SEED = 1
FIT_FROM = 1_000  # the growth exponent is fitted from this size up

GOALS = {
    "ratio": 1.0,  # full model's cost per interaction / reference's, at 1,000 partners and above
    "exponent": 1.1,  # growth of cost in relations, 1,000 to 50,000 partners
    "large_seconds": 120.0,  # 50,000 partners x 52 weeks
    "large_gib": 4.0,
    "jeugdaanpak_seconds": 0.3,  # 104 weeks
}


#: Weeks of the warm-up run before a measured run of the full model (:func:`_child_full`).
WARM_UP_WEEKS = 8


# ---- measurements in a child process ----------------------------------------------------------------------------


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kilobytes on Linux


def _child_full(job: dict[str, Any]) -> dict[str, Any]:
    from model import CollaborationModel

    params = {"scenario": job["scenario"]}
    if job.get("n_partners"):
        params["n_partners"] = job["n_partners"]
    # warm up: a short run of a small network of the scenario loads the compiled kernels from their cache (numba's
    # start-up, once per process, like the imports), so the clock measures the run and not the loading
    warm = {**params, "n_partners": min(50, job["n_partners"])} if job.get("n_partners") else params
    CollaborationModel(rng=job["seed"] + 1, **warm).run_for(WARM_UP_WEEKS)
    started = time.perf_counter()
    model = CollaborationModel(rng=job["seed"], **params)
    built, cpu_built = time.perf_counter(), time.process_time()
    model.run_for(job["steps"])
    done, cpu_done = time.perf_counter(), time.process_time()
    return {
        "partners": model.state.n,
        "relations": model.state.m,
        "interactions": model.interactions,
        "build_s": built - started,
        "run_s": done - built,
        "run_cpu_s": cpu_done - cpu_built,
        "peak_mib": _peak_rss_mib(),
    }


def _child_reference(job: dict[str, Any]) -> dict[str, Any]:
    from benchmarks.reference_mesa import ReferenceModel

    started = time.perf_counter()
    model = ReferenceModel(n_partners=job["n_partners"], rng=job["seed"])
    built, cpu_built = time.perf_counter(), time.process_time()
    model.run_for(job["steps"])
    done, cpu_done = time.perf_counter(), time.process_time()
    return {
        "partners": len(model.agents),
        "relations": sum(len(a.neighbours) for a in model.agents),
        "interactions": model.interactions,
        "build_s": built - started,
        "run_s": done - built,
        "run_cpu_s": cpu_done - cpu_built,
        "peak_mib": _peak_rss_mib(),
    }


def _child_baseline(job: dict[str, Any]) -> dict[str, Any]:
    import benchmarks.reference_mesa  # noqa: F401  (imports mesa and the model, as the other children do)
    import model  # noqa: F401

    return {"peak_mib": _peak_rss_mib()}


def _child_sections(job: dict[str, Any]) -> dict[str, Any]:
    """Time each process of the tick: the submodel functions of the model's engine (wrapped in the module the model
    calls them through, :mod:`model.compiled`) and the model's own methods (wrapped on the instance). A part called
    inside another counts for itself only: its time is taken off the part that called it."""
    from model import CollaborationModel

    model = CollaborationModel(rng=job["seed"], scenario="synthetic", n_partners=job["n_partners"])
    model.run_for(2)  # warm up
    submodels = model.submodels  # the engine's submodels (model.compiled), which the model calls
    spent: dict[str, float] = {}
    inner: list[float] = []  # per running part, the time of the parts called inside it so far

    def timed(label: str, function):
        def wrapper(*args, **kwargs):
            inner.append(0.0)
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                took = time.process_time() - start
                spent[label] = spent.get(label, 0.0) + took - inner.pop()
                if inner:
                    inner[-1] += took

        return wrapper

    parts = [  # (label, owner, name): one label may time several functions
        ("director acts (strategy and interventions)", model.director, "act"),
        ("world's random numbers", model, "world_uniforms"),
        ("personal contact between partners", submodels, "partner_contact"),
        ("joint work (contact choice, judgement, output)", submodels, "joint_work"),
        ("information flow (load, overload)", submodels, "information_flow"),
        ("accountability events", submodels, "accountability_events"),
        ("escalation to the boards", submodels, "escalation"),
        ("task rate", submodels, "task_rate"),
        ("the director's own goals (task rate, pressure)", submodels, "goal_task_rate"),
        ("the director's own goals (task rate, pressure)", submodels, "goal_pressure"),
        ("relationship updates", submodels, "relationships"),
        ("board and work floor aligned", submodels, "align_layers"),
        ("trust evidence settled", submodels, "settle"),
        ("board trust evidence settled", submodels, "settle_board"),
        ("levels relax", submodels, "relax_levels"),
        ("exits", model, "_let_go"),
        ("metrics", model, "_update_metrics"),
        ("DataCollector.collect", model.datacollector, "collect"),
    ]
    for label, owner, name in parts:
        setattr(owner, name, timed(label, getattr(owner, name)))
    started = time.process_time()
    model.run_for(job["steps"])
    total = time.process_time() - started
    spent["other (step bookkeeping, Mesa)"] = total - sum(spent.values())
    return {"tick_s": total / job["steps"], "parts_s": {k: v / job["steps"] for k, v in spent.items()}}


def _child_dashboard(job: dict[str, Any]) -> dict[str, Any]:
    from dashboards.latency import measure_latency

    params = {"n_partners": job["n_partners"]} if job.get("n_partners") else {}
    return measure_latency(job["scenario"], steps=job["steps"], seed=job["seed"], **params)


CHILDREN = {
    "full": _child_full,
    "reference": _child_reference,
    "baseline": _child_baseline,
    "sections": _child_sections,
    "dashboard": _child_dashboard,
}


def in_child(job: dict[str, Any], code: Path = ROOT) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and return its result (``code``: the checkout whose model it
    measures, by default this one)."""
    env = dict(os.environ, PYTHONPATH=str(code) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        cwd=code,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark job {job} failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- the benchmark ----------------------------------------------------------------------------------------------


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in rows))


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(quick: bool = False, resume: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run every measurement; return the raw results (a JSON-able dict).

    After each part the results so far are saved (``benchmarks/performance_results.partial.json``, not in quick
    mode); ``resume`` takes such a dict and measures only the parts it lacks.
    """
    from model import list_scenarios

    sizes = (100, 1_000) if quick else SIZES
    repeats = (lambda n: 1) if quick else (lambda n: REPEATS[n])
    scenario_repeats = 1 if quick else SCENARIO_REPEATS

    def checkpoint() -> None:
        if not quick:
            _write(PARTIAL, json.dumps(results, indent=1))

    if resume is not None:
        results = resume
        _say(f"resuming: {', '.join(k for k in resume if k not in ('machine', 'quick'))} already measured")
        return _measure_rest(results, quick, sizes, repeats, scenario_repeats, checkpoint, list_scenarios)
    results: dict[str, Any] = {
        "machine": {
            "cpu": _cpu_name(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "mesa": _version("mesa"),
            "git": _git_revision(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load_before": os.getloadavg(),
        },
        "quick": quick,
    }
    return _measure_rest(results, quick, sizes, repeats, scenario_repeats, checkpoint, list_scenarios)


def _measure_rest(results, quick, sizes, repeats, scenario_repeats, checkpoint, list_scenarios) -> dict[str, Any]:
    if "baseline_mib" not in results:
        _say("baseline (interpreter and imports)")
        results["baseline_mib"] = statistics.median(in_child({"kind": "baseline"})["peak_mib"] for _ in range(3))
        checkpoint()

    if "scenarios" not in results:
        scenarios = {}
        for name in list_scenarios():
            _say(f"scenario {name}, {SCENARIO_WEEKS} weeks x {scenario_repeats}")
            job = {"kind": "full", "scenario": name, "steps": SCENARIO_WEEKS, "seed": SEED}
            scenarios[name] = [in_child(job) for _ in range(scenario_repeats)]
        results["scenarios"] = scenarios
        checkpoint()

    scale = results.setdefault("scale", {})
    for n in sizes:
        if str(n) in scale:
            continue
        full, reference = [], []
        for r in range(repeats(n)):
            _say(f"synthetic {n} partners, {SCALE_WEEKS} weeks: repeat {r + 1}/{repeats(n)}")
            job = {"scenario": "synthetic", "n_partners": n, "steps": SCALE_WEEKS, "seed": SEED}
            full.append(in_child({**job, "kind": "full"}))
            reference.append(in_child({**job, "kind": "reference"}))
        scale[str(n)] = {"full": full, "reference": reference}
        checkpoint()

    if "sections" not in results:
        section_size = 1_000 if quick else 10_000
        _say(f"where the time goes ({section_size} partners)")
        results["sections"] = {
            "n_partners": section_size,
            **in_child({"kind": "sections", "n_partners": section_size, "steps": 20, "seed": SEED}),
        }
        checkpoint()

    if "dashboard" not in results and (ROOT / "dashboards" / "latency.py").exists():
        dashboard = []
        cases = [(name, None) for name in list_scenarios()] + [("synthetic", 1_000)]
        try:
            for name, n in cases:
                _say(f"dashboard step + redraw: {name}{f' ({n} partners)' if n else ''}")
                row = in_child({"kind": "dashboard", "scenario": name, "n_partners": n, "steps": 20, "seed": SEED})
                dashboard.append({"scenario": name, "n_partners": n, **row})
            results["dashboard"] = dashboard
        except RuntimeError as e:  # the dashboard is another part of the project: report, do not lose the rest
            results["dashboard_error"] = str(e).splitlines()[-1]
        checkpoint()

    if "sweep" not in results and (ROOT / "benchmarks" / "sweep_throughput.py").exists():
        from benchmarks.sweep_throughput import in_fresh_process  # each sweep in a fresh process of its own

        runs = 20 if quick else 100
        sweep = []
        try:
            for workers in (1, 2):
                _say(f"sweep throughput: {runs} runs of sociaal_domein on {workers} worker(s)")
                sweep.append(in_fresh_process(workers, runs))
            results["sweep"] = sweep
        except (subprocess.CalledProcessError, ValueError) as e:
            results["sweep_error"] = f"{type(e).__name__}: {e}"
        checkpoint()
    results["machine"]["load_after"] = os.getloadavg()
    return results


def _scale_rows(scale: dict[str, Any], model: str = "full") -> list[dict[str, Any]]:
    """Per size, medians of the model's runs (``model``: "full", or "older" for an older revision's) and the
    reference's, per tick and per interaction, and their ratios; by size."""
    rows = []
    for key, runs in scale.items():
        n = int(key)
        full, ref = runs[model], runs["reference"]
        run_s, ref_s = _median(full, "run_s"), _median(ref, "run_s")
        cpu_s, ref_cpu_s = _median(full, "run_cpu_s"), _median(ref, "run_cpu_s")
        weeks = SCALE_WEEKS
        interactions, ref_interactions = full[0]["interactions"], ref[0]["interactions"]
        rows.append(
            {
                "partners": n,
                "relations": full[0]["relations"],
                "repeats": len(full),
                "interactions_per_week": interactions / weeks,
                "build_s": _median(full, "build_s"),
                "run_s": run_s,
                "run_cpu_s": cpu_s,
                "total_s": statistics.median(r["build_s"] + r["run_s"] for r in full),
                "tick_ms": 1e3 * run_s / weeks,
                "tick_cpu_ms": 1e3 * cpu_s / weeks,
                "relation_tick_ns": 1e9 * cpu_s / (weeks * full[0]["relations"]),
                "peak_mib": _median(full, "peak_mib"),
                "per_interaction_us": 1e6 * cpu_s / interactions,
                "per_interaction_wall_us": 1e6 * run_s / interactions,
                "ref_build_s": _median(ref, "build_s"),
                "ref_run_s": ref_s,
                "ref_run_cpu_s": ref_cpu_s,
                "ref_tick_ms": 1e3 * ref_s / weeks,
                "ref_tick_cpu_ms": 1e3 * ref_cpu_s / weeks,
                "ref_interactions_per_week": ref_interactions / weeks,
                "ref_per_interaction_us": 1e6 * ref_cpu_s / ref_interactions,
                "ref_per_interaction_wall_us": 1e6 * ref_s / ref_interactions,
                "ref_peak_mib": _median(ref, "peak_mib"),
            }
        )
    rows.sort(key=lambda r: r["partners"])
    for r in rows:
        r["ratio"] = r["per_interaction_us"] / r["ref_per_interaction_us"]
        r["ratio_wall"] = r["per_interaction_wall_us"] / r["ref_per_interaction_wall_us"]
    return rows


def measure_scale(sizes: tuple[int, ...], repeats: int | None = None, older: Path | None = None) -> dict[str, Any]:
    """The scale part alone: per size, the full model and the reference on the same networks, alternating (and,
    with ``older``, an older revision's model checked out there, between them), each run in a fresh process."""
    results: dict[str, Any] = {"machine": {"git": _git_revision(), "load_before": os.getloadavg()}, "scale": {}}
    for n in sizes:
        runs: dict[str, list[dict[str, Any]]] = {"full": [], "reference": [], "older": []}
        count = repeats or REPEATS.get(n, 3)
        for r in range(count):
            _say(f"synthetic {n} partners, {SCALE_WEEKS} weeks: repeat {r + 1}/{count}")
            job = {"scenario": "synthetic", "n_partners": n, "steps": SCALE_WEEKS, "seed": SEED}
            runs["full"].append(in_child({**job, "kind": "full"}))
            if older is not None:
                runs["older"].append(in_child({**job, "kind": "full"}, code=older))
            runs["reference"].append(in_child({**job, "kind": "reference"}))
        results["scale"][str(n)] = runs
    results["machine"]["load_after"] = os.getloadavg()
    return results


def scale_tables(results: dict[str, Any], older: str | None = None) -> str:
    """The scale part's table: per size, the model's and the reference's CPU time per tick and their ratio per
    interaction (with an older revision measured, its time and ratio beside)."""
    mc = results["machine"]
    rows = _scale_rows(results["scale"])
    head = [
        "partners",
        "relations",
        "model ms / tick (CPU)",
        "reference ms / tick (CPU)",
        "ratio (CPU)",
        "ratio (wall)",
    ]
    body = [
        [
            f"{r['partners']:,}",
            f"{r['relations']:,}",
            f"{r['tick_cpu_ms']:.2f}",
            f"{r['ref_tick_cpu_ms']:.2f}",
            f"**{r['ratio']:.2f}**",
            f"{r['ratio_wall']:.2f}",
        ]
        for r in rows
    ]
    if older:
        head += [f"{older} ms / tick (CPU)", f"{older} ratio (CPU)", f"{older} ratio (wall)", "model / older (CPU)"]
        for line, r, o in zip(body, rows, _scale_rows(results["scale"], "older"), strict=True):
            line += [f"{o['tick_cpu_ms']:.2f}", f"{o['ratio']:.2f}", f"{o['ratio_wall']:.2f}"]
            line.append(f"{r['run_cpu_s'] / o['run_cpu_s']:.2f}")
    load = " / ".join(", ".join(f"{x:.1f}" for x in mc[k]) for k in ("load_before", "load_after"))
    runs = ", ".join(f"{r['partners']:,}: {r['repeats']}" for r in rows)
    return "\n".join(
        [
            f"Revision {mc['git']}{f' against {older}' if older else ''}; runs per size ({runs}); load average "
            f"(1, 5, 15 min) before / after: {load}",
            "",
            _table(head, body),
        ]
    )


def summarise(results: dict[str, Any]) -> dict[str, Any]:
    """Medians, per-tick and per-interaction costs, ratios, the fitted exponents and the goals.

    Costs per interaction and their ratio are given in CPU time (``time.process_time`` of the single-threaded run:
    on a shared machine wall time also measures the other processes) and in wall time.
    """
    rows = _scale_rows(results["scale"])
    fit = [r for r in rows if r["partners"] >= FIT_FROM]
    exponent = ref_exponent = exponent_wall = float("nan")
    if len(fit) >= 2:
        x = np.log([r["relations"] for r in fit])
        exponent = float(np.polyfit(x, np.log([r["run_cpu_s"] for r in fit]), 1)[0])
        exponent_wall = float(np.polyfit(x, np.log([r["run_s"] for r in fit]), 1)[0])
        ref_exponent = float(np.polyfit(x, np.log([r["ref_run_cpu_s"] for r in fit]), 1)[0])
    scenarios = []
    for name, runs in results["scenarios"].items():
        scenarios.append(
            {
                "scenario": name,
                "partners": runs[0]["partners"],
                "relations": runs[0]["relations"],
                "build_s": _median(runs, "build_s"),
                "run_s": _median(runs, "run_s"),
                "run_cpu_s": _median(runs, "run_cpu_s"),
                "total_s": statistics.median(r["build_s"] + r["run_s"] for r in runs),
                "peak_mib": _median(runs, "peak_mib"),
                "repeats": len(runs),
            }
        )
    large = next((r for r in rows if r["partners"] == max(SIZES)), None)
    jeugd = next((s for s in scenarios if s["scenario"] == "jeugdaanpak"), None)
    goals = []
    at_scale = [r for r in rows if r["partners"] >= 1_000]
    if at_scale:
        worst = max(at_scale, key=lambda r: r["ratio"])
        goals.append(
            (
                "cost per interaction, full model / per-agent Mesa reference, 1,000 partners and above",
                f"<= {GOALS['ratio']:g}",
                f"{worst['ratio']:.2f} CPU time, {worst['ratio_wall']:.2f} wall time (highest, at "
                f"{worst['partners']:,} partners)",
                worst["ratio"] <= GOALS["ratio"],
            )
        )
    if not np.isnan(exponent):
        goals.append(
            (
                "growth exponent of cost in relations, 1,000 to 50,000 partners (least squares)",
                f"<= {GOALS['exponent']:g}",
                f"{exponent:.2f} CPU time, {exponent_wall:.2f} wall time",
                exponent <= GOALS["exponent"],
            )
        )
    if large:
        goals.append(
            (
                "50,000 partners x 52 weeks: construction + run",
                f"< {GOALS['large_seconds']:g} s",
                f"{large['total_s']:.1f} s",
                large["total_s"] < GOALS["large_seconds"],
            )
        )
        goals.append(
            (
                "50,000 partners x 52 weeks: peak memory",
                f"< {GOALS['large_gib']:g} GiB",
                f"{large['peak_mib'] / 1024:.2f} GiB",
                large["peak_mib"] / 1024 < GOALS["large_gib"],
            )
        )
    if jeugd:
        goals.append(
            (
                "jeugdaanpak, 104 weeks: construction + run",
                f"< {GOALS['jeugdaanpak_seconds']:g} s",
                f"{jeugd['total_s']:.3f} s",
                jeugd["total_s"] < GOALS["jeugdaanpak_seconds"],
            )
        )
    return {
        "rows": rows,
        "scenarios": scenarios,
        "exponent": exponent,
        "exponent_wall": exponent_wall,
        "ref_exponent": ref_exponent,
        "goals": goals,
    }


# ---- the page and the figure ------------------------------------------------------------------------------------


def figure(summary: dict[str, Any], path: Path) -> None:
    """Cost per tick against relations, log-log: the full model, the reference, and a slope-1 guide."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = summary["rows"]
    m = np.array([r["relations"] for r in rows], dtype=float)
    full = np.array([r["tick_cpu_ms"] for r in rows])
    ref = np.array([r["ref_tick_cpu_ms"] for r in rows])
    fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=120)
    ax.loglog(m, full, "o-", color="#1f5fa8", label="Netwerkregie, full model (default configuration)")
    ax.loglog(m, ref, "s--", color="#d95f02", label="per-agent Mesa reference (one trust update per interaction)")
    guide = full[-1] * m / m[-1]
    ax.loglog(m, guide, ":", color="#777777", label="linear growth (slope 1)")
    ax.set_xlabel("directed relations")
    ax.set_ylabel("CPU milliseconds per tick (week)")
    ax.set_title(f"Cost per tick, synthetic network, {SCALE_WEEKS} weeks (medians)")
    for r, y in zip(rows, full, strict=True):
        ax.annotate(
            f"{r['partners']:,} partners",
            (r["relations"], y),
            textcoords="offset points",
            xytext=(8, -12),
            fontsize=7,
            ha="left",
        )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.png")
    fig.savefig(tmp)
    plt.close(fig)
    tmp.replace(path)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def tables(results: dict[str, Any], summary: dict[str, Any]) -> str:
    """The measured tables, as Markdown."""
    out = []
    goal_rows = [[g, target, got, "yes" if ok else "**no**"] for g, target, got, ok in summary["goals"]]
    out += ["### Goals", "", _table(["goal", "target", "measured", "met"], goal_rows), ""]

    rows = summary["rows"]
    out += [
        f"### Scale: `synthetic`, {SCALE_WEEKS} weeks, default configuration",
        "",
        "Run times exclude construction (shown separately); relations are directed (each tie is two relations, "
        "i -> j and j -> i); an interaction is one pairing a partner initiates in joint work. CPU time is the "
        "single-threaded run's `time.process_time`, wall time its `time.perf_counter`. Peak memory is the whole "
        f"process's (Python, Mesa and the model imported: {results['baseline_mib']:.0f} MiB before any model is "
        "built).",
        "",
        _table(
            [
                "partners",
                "relations",
                "interactions / week",
                "construction (s)",
                "ms / tick (CPU)",
                "ms / tick (wall)",
                "ns / relation-tick (CPU)",
                "construction + run (s, wall)",
                "peak memory (MiB)",
                "runs",
            ],
            [
                [
                    f"{r['partners']:,}",
                    f"{r['relations']:,}",
                    f"{r['interactions_per_week']:,.0f}",
                    f"{r['build_s']:.2f}",
                    f"{r['tick_cpu_ms']:.2f}",
                    f"{r['tick_ms']:.2f}",
                    f"{r['relation_tick_ns']:.0f}",
                    f"{r['total_s']:.1f}",
                    f"{r['peak_mib']:.0f}",
                    str(r["repeats"]),
                ]
                for r in rows
            ],
        ),
        "",
        f"Growth exponent of the run time in relations ({FIT_FROM:,} to {max(r['partners'] for r in rows):,} "
        f"partners, least squares on log-log): full model **{summary['exponent']:.2f}** in CPU time "
        f"({summary['exponent_wall']:.2f} in wall time), per-agent reference {summary['ref_exponent']:.2f}. "
        "Between successive sizes (CPU time): "
        + ", ".join(
            f"{a['partners']:,} -> {b['partners']:,}: "
            f"{np.log(b['run_cpu_s'] / a['run_cpu_s']) / np.log(b['relations'] / a['relations']):.2f}"
            for a, b in zip(rows[:-1], rows[1:], strict=True)
        )
        + f". Below 1,000 partners a fixed cost per tick (the director's plan, {len(METRICS)} metrics, the "
        "DataCollector, some hundred numpy calls) dominates; at the largest sizes the arrays outgrow the "
        "processor's caches, so the per-agent reference slows down per interaction while the bulk model stays close "
        "to linear.",
        "",
        "### Full model against the per-agent Mesa reference (same networks, same number of interactions)",
        "",
        _table(
            [
                "partners",
                "interactions / week (model / reference)",
                "reference ms / tick (CPU)",
                "reference µs / interaction (CPU)",
                "full model µs / interaction (CPU)",
                "ratio full / reference (CPU)",
                "ratio (wall)",
                "reference peak memory (MiB)",
            ],
            [
                [
                    f"{r['partners']:,}",
                    f"{r['interactions_per_week']:,.0f} / {r['ref_interactions_per_week']:,.0f}",
                    f"{r['ref_tick_cpu_ms']:.2f}",
                    f"{r['ref_per_interaction_us']:.2f}",
                    f"{r['per_interaction_us']:.2f}",
                    f"**{r['ratio']:.2f}**",
                    f"{r['ratio_wall']:.2f}",
                    f"{r['ref_peak_mib']:.0f}",
                ]
                for r in rows
            ],
        ),
        "",
        f"![Cost per tick against relations, log-log]({FIGURE.relative_to(DOC.parent).as_posix()})",
        "",
        f"### Built-in scenarios, {SCENARIO_WEEKS} weeks",
        "",
        _table(
            [
                "scenario",
                "partners",
                "relations",
                "construction (ms, wall)",
                "104 weeks (ms, wall)",
                "104 weeks (ms, CPU)",
                "total (ms, wall)",
                "peak memory (MiB)",
            ],
            [
                [
                    s["scenario"],
                    str(s["partners"]),
                    str(s["relations"]),
                    f"{1e3 * s['build_s']:.1f}",
                    f"{1e3 * s['run_s']:.0f}",
                    f"{1e3 * s['run_cpu_s']:.0f}",
                    f"{1e3 * s['total_s']:.0f}",
                    f"{s['peak_mib']:.0f}",
                ]
                for s in summary["scenarios"]
            ],
        ),
        "",
    ]
    sec = results["sections"]
    parts = sorted(sec["parts_s"].items(), key=lambda kv: -kv[1])
    out += [
        f"### Where a tick's time goes ({sec['n_partners']:,} partners, strategy `balanced`)",
        "",
        _table(
            ["process", "CPU ms / tick", "share"],
            [[k, f"{1e3 * v:.2f}", f"{100 * v / sec['tick_s']:.0f}%"] for k, v in parts]
            + [["**whole tick**", f"**{1e3 * sec['tick_s']:.2f}**", "100%"]],
        ),
        "",
    ]
    if results.get("dashboard"):
        out += [
            "### Dashboard: one step plus redraw, headless",
            "",
            "`dashboards.latency.measure_latency`: `model.step()`, then building what the page shows after a step "
            "(the network and time-series SVGs and a partner's relations); medians of 20 steps. Solara's re-render "
            "and the browser's drawing come on top: see `docs/dashboard.md`.",
            "",
            _table(
                ["scenario", "partners", "step (ms)", "redraw (ms)", "step + redraw (ms)", "slowest (ms)"],
                [
                    [
                        d["scenario"] + (f" ({d['n_partners']:,} partners)" if d.get("n_partners") else ""),
                        f"{d['partners']:,}",
                        f"{1e3 * d['step']:.1f}",
                        f"{1e3 * d['redraw']:.1f}",
                        f"{1e3 * d['total']:.1f}",
                        f"{1e3 * d['total_max']:.1f}",
                    ]
                    for d in results["dashboard"]
                ],
            ),
            "",
        ]
    if results.get("sweep"):
        sweep = results["sweep"]
        out += [
            "### Sweep throughput",
            "",
            "`benchmarks/sweep_throughput.py` (`sociaal_domein`, 104 weeks, per-week metrics kept, local worker "
            "processes started before the clock starts):",
            "",
            _table(
                ["workers", "runs", "runs / s", "runs / s per worker", "coordinator peak memory (MiB)"],
                [
                    [
                        str(s["workers"]),
                        str(s["runs"]),
                        f"{s['rate']:.2f}",
                        f"{s['rate'] / s['workers']:.2f}",
                        f"{s['peak_rss_mb']:.0f}",
                    ]
                    for s in sweep
                ],
            ),
            "",
            f"Two workers give {sweep[-1]['rate'] / sweep[0]['rate']:.2f} times the throughput of one here; the "
            f"machine's two cores were shared with other work (load average {results['machine']['load_before'][0]:.1f}"
            " at the start).",
            "",
        ]
    return "\n".join(out)


FIXES = [
    (
        "partner exits at 50,000 partners (about half of a tick)",
        "each exit rebuilt the whole relation mask: O(relations) per exit, and exits grow with partners: O(n m)",
        "`NetworkState.deactivate` switches off only the leaving partner's own relations (O(degree))",
    ),
    (
        "contact choice (Gumbel-top-k), about two-thirds of joint work",
        "a full `lexsort` of all relation keys every week: O(m log m)",
        "`choose_contacts` takes k rounds of a per-partner maximum (`maximum.reduceat`): O(k m), ties broken as "
        "the stable sort broke them",
    ),
    (
        "the director's plan (10-20% of a tick)",
        "`weakest_pairs` and `least_understood` sorted every relation or partner to take the few weakest",
        "`mechanisms.lowest`: a partition finds the threshold and only values at or below it are sorted (the same "
        "order, ties by index)",
    ),
    (
        "value distances (10-15%)",
        "gathering rows of the (n, 2) value matrix per relation is slow in numpy, and it was done twice a tick",
        "column-wise gathers (`value_distance_between`, about 10x faster), cached in `NetworkState.edge_distance` "
        "until the values change",
    ),
    (
        "per-partner means over relations",
        "active-relation counts recomputed in every `mean_out` / `mean_in`",
        "counts cached until `edge_active` changes (compared by content)",
    ),
    (
        "metric means and legitimacy",
        "boolean-mask copies of every array while nobody had left",
        "plain means when every partner and relation is active (the same numbers)",
    ),
    (
        "interventions aimed at a pair or at everyone",
        "masks over all relations to find the tie between two partners, or all active ties",
        "the pair's own relation blocks (CSR), or the active-relation mask itself",
    ),
    (
        "equality gap",
        "an argsort of the active partners' power every tick",
        "the power order is cached; the active partners are taken from it in order",
    ),
    (
        "flood evidence in the information flow (50,000 partners)",
        "a scatter-add `neg[rev] += x` over the reverse relations: random writes",
        "a gather `neg += x[rev]` (rev is its own inverse: each relation gets exactly one addition)",
    ),
    (
        "fixed cost per tick (small networks, 1,000 partners)",
        "numpy's Python-level wrappers (`np.mean`, `np.clip`, `np.flatnonzero`) called dozens of times a tick",
        "sums over sizes, `maximum`/`minimum`, `.nonzero()`: the same numbers with less overhead per call",
    ),
    (
        "the dependent's voice (second version: information flow, accountability, metrics)",
        "the voice factor gathered dependency, power and recognition per relation two or three times a tick",
        "from 1,000 relations up (`KEEP_FROM`), its silencing part w · dependency · max(0, power gap) is kept per "
        "relation until dependency or power change (only recognition is applied each time); the dependent partners' "
        "upward relations are kept until partners leave",
    ),
    (
        "the director's sessions with the boards (second version)",
        "a board session recomputed every relation array through the alignment even where it had changed nothing; "
        "each session found its group's relations again",
        "an array the session left alone stays as it is (the same bits: its values finite with the sign bit clear); "
        "the group's relations, those toward partners below median power and the weakest-pair candidates are kept "
        "until partners or relations change",
    ),
    (
        "masks over every relation; the flood evidence",
        "`np.where(edge_active, ...)` and `x * edge_active` each tick while nobody had left; three gathers over all "
        "relations for overload evidence that is zero while nobody is overloaded",
        "skipped while every relation is active (the same numbers); the flood evidence only when someone is overloaded",
    ),
    (
        "construction at 50,000 partners",
        "`np.unique(axis=0)` on edge pairs; element-wise numpy indexing while building partners and relations",
        "unique integer keys per pair; Python numbers converted in one pass",
    ),
]

FINDINGS_INTRO = """## Profile findings and what was fixed

Profiled with pyinstrument (`uv run pyinstrument ...` on `synthetic` at 1,000, 10,000 and 50,000 partners) and
line_profiler. Every fix keeps the model's outputs identical for the same seed: the regression test
(`tests/test_regression.py`) compares short runs of every scenario with stored references, and each fix was also
checked bit for bit on larger runs with exits, shared governance and every strategy.
"""

FINDINGS_OUTRO = """What remains: a tick is a few dozen bulk numpy passes over the relation arrays (each
O(m)), so its cost grows linearly with relations; at 1,000 partners a good part is the fixed per-call overhead of
numpy and Python, which is why the cost per relation-tick falls as networks grow. Constructing 50,000 Partner
agents spends most of its time in Mesa's agent registration, and scenario generation still builds one Python
object per relation.
"""


def findings() -> str:
    """What the profiles showed and what was fixed."""
    rows = [[what, why, fix] for what, why, fix in FIXES]
    return "\n".join([FINDINGS_INTRO, _table(["what dominated", "why", "fix"], rows), "", FINDINGS_OUTRO])


#: The sections of ``docs/performance.md`` this benchmark writes; any other ``## `` section of the page (written by
#: hand from other benchmarks' output, with their commands: the second version's cost, many small runs) is kept, in
#: its place before the profile findings.
OWN_SECTIONS = ("Results", "Profile findings and what was fixed")


def kept_sections(text: str) -> str:
    """The ``## `` sections of an existing page that the benchmark does not write, in their order, each ending with
    a blank line ("" for none)."""
    kept: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = [] if line[3:].strip() not in OWN_SECTIONS else None
            if current is not None:
                kept.append("")
        if current is not None:
            kept[-1] += line + "\n"
    return "".join(part.rstrip("\n") + "\n\n" for part in kept)


def page(results: dict[str, Any], summary: dict[str, Any], previous: str = "") -> str:
    """The whole ``docs/performance.md`` (``previous``: the page as it was, whose other sections are kept)."""
    mc = results["machine"]
    load = (
        ", ".join(f"{x:.1f}" for x in mc["load_before"])
        + " before / "
        + ", ".join(f"{x:.1f}" for x in mc["load_after"])
        + " after"
    )
    return f"""# Performance and scale

Netwerkregie keeps the state of relations in arrays over the edges and updates them in bulk, so a week (tick)
costs O(relations) and no Python loop runs per relation per tick. This page is written by the benchmark:

    .venv/bin/python benchmarks/run.py

(about 15-20 minutes on a shared 2-core machine; it also writes `{FIGURE.relative_to(ROOT).as_posix()}` and
`{RESULTS.relative_to(ROOT).as_posix()}`). Every figure is the median of several runs, each in a fresh Python
process (peak memory is that process's own, from `resource.getrusage`); full model and reference runs alternate, so
ratios are measured under the same conditions in one invocation.

Measured {mc["date"]} at revision `{mc["git"]}` on {mc["cores"]} cores ({mc["cpu"]}), Python {mc["python"]}, numpy
{mc["numpy"]}, Mesa {mc["mesa"]}. Load average (1, 5, 15 min): {load}; the machine was shared, so absolute times
vary by tens of percent between invocations, ratios much less.

**The reference** (`benchmarks/reference_mesa.py`) is the simplest honest per-agent Mesa implementation of one
expectation-based, asymmetric trust update per interaction: partners are agents in a Mesa `AgentSet` stepped with
`shuffle_do("step")`; each picks `contacts_per_week` (2) neighbours with `random.sample`, draws the other's noisy
effort, compares it with its expectation (met: trust rises by 5% of the gap; not met: trust falls twice as fast)
and moves the expectation toward the effort, with trust and expectation held in dicts keyed by neighbour. It runs on
the same seeded networks as the full model, with the same number of interactions per week (the full model's is
slightly lower where partners have left). **The full model** does far more per interaction — trust-weighted contact
choice, effort with noise, two-sided judgement, expectations, understanding, pair output, information flow and
overload, incidents, respect, equality, freedom, commitment and exits, the director's strategy and interventions,
{len(METRICS)} metrics and the DataCollector — in bulk.

## Results

{tables(results, summary)}
{kept_sections(previous)}{findings()}"""


# ---- helpers ----------------------------------------------------------------------------------------------------


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _git_revision() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(["git", "status", "--porcelain", "model"], capture_output=True, text=True, cwd=ROOT)
    return out.stdout.strip() + ("+changes in model/" if dirty.stdout.strip() else "")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat; print only, write nothing")
    parser.add_argument("--from-json", type=Path, help="rewrite the page and figure from stored raw results")
    parser.add_argument(
        "--resume", action="store_true", help="continue an interrupted benchmark from its partial results"
    )
    parser.add_argument(
        "--only",
        choices=["scale"],
        help="measure only this part (scale: the full model against the reference) and print its table; writes nothing",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="with --only scale: the sizes")
    parser.add_argument("--repeats", type=int, help="with --only scale: runs per size (default: the full run's)")
    parser.add_argument(
        "--versus", help="with --only scale: also measure this older revision's model (a temporary git worktree)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        job = json.loads(args.child)
        print(json.dumps(CHILDREN[job["kind"]](job)))
        return
    if args.only == "scale":
        if args.versus:
            from benchmarks.checkouts import older_checkouts

            with older_checkouts([args.versus]) as dirs:
                results = measure_scale(tuple(args.sizes), args.repeats, dirs[args.versus])
        else:
            results = measure_scale(tuple(args.sizes), args.repeats)
        print(json.dumps(results), file=sys.stderr)
        print(scale_tables(results, args.versus))
        return
    stored = args.from_json
    if stored:
        results = json.loads(stored.read_text(encoding="utf-8"))
    else:
        partial = json.loads(PARTIAL.read_text(encoding="utf-8")) if args.resume and PARTIAL.exists() else None
        results = measure(quick=args.quick, resume=partial)
    summary = summarise(results)
    if args.quick:
        print(tables(results, summary))
        return
    if not args.from_json:
        _write(RESULTS, json.dumps(results, indent=1))
        PARTIAL.unlink(missing_ok=True)
    figure(summary, FIGURE)
    _write(DOC, page(results, summary, DOC.read_text(encoding="utf-8") if DOC.exists() else ""))
    print(tables(results, summary))
    print(f"\nwrote {DOC.relative_to(ROOT)}, {FIGURE.relative_to(ROOT)}, {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
