"""Sweeps: designs and their points, seeds, bad input, the results store, failures, resuming after SIGKILL."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments.cli import main as cli_main
from experiments.designs import load_spec, parse_spec, points, run_seed
from experiments.sweep import run_sweep
from model import METRICS

ROOT = Path(__file__).resolve().parent.parent


def spec_of(text: str, tmp_path: Path, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GRID = """
scenario = "jeugdaanpak"
steps = 4
replications = 2
seed = 7
timeseries = true

[design]
kind = "grid"

[parameters]
blame_culture = [0.1, 0.5, 0.9]
strategy = ["balanced", "task_focus"]
director_hours = 24
"""


def sweep_threads(spec_path: Path, out: Path, threads: int = 2):
    with ThreadPoolExecutor(threads) as pool:
        return run_sweep(load_spec(spec_path), out, executor=pool, progress=False)


def read(out: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    runs = pd.read_parquet(out / "runs.parquet").drop(columns="wall_s")
    ts = pd.read_parquet(out / "timeseries.parquet") if (out / "timeseries.parquet").exists() else None
    return runs, ts


# ---- designs ---------------------------------------------------------------------------------------------------


def test_grid_is_the_full_factorial_with_the_last_list_fastest():
    spec = parse_spec(
        {"parameters": {"blame_culture": [0.1, 0.5, 0.9], "strategy": ["balanced", "task_focus"], "kappa": 3.0}}
    )
    pts = points(spec)
    assert spec.n_points == 6 and len(pts) == 6 and spec.n_runs == 6
    assert [(p["blame_culture"], p["strategy"]) for p in pts[:3]] == [
        (0.1, "balanced"),
        (0.1, "task_focus"),
        (0.5, "balanced"),
    ]
    assert all(p["kappa"] == 3.0 for p in pts)
    assert len({(p["blame_culture"], p["strategy"]) for p in pts}) == 6


@pytest.mark.parametrize(
    ("kind", "samples", "expected"),
    [("lhs", 7, 7), ("sobol", 8, 8 * (2 + 2)), ("morris", 4, 4 * (2 + 1))],
)
def test_sampled_designs_have_the_documented_counts_and_stay_in_range(kind, samples, expected):
    spec = parse_spec(
        {
            "replications": 3,
            "design": {"kind": kind, "samples": samples},
            "parameters": {
                "sharing_rate": {"min": 0.1, "max": 2.0},
                "contacts_per_week": {"min": 1, "max": 4},
                "strategy": ["balanced", "adaptive"],
            },
        }
    )
    pts = points(spec)
    assert spec.n_samples == expected
    assert len(pts) == spec.n_points == 2 * expected and spec.n_runs == 3 * 2 * expected
    assert all(0.1 <= p["sharing_rate"] <= 2.0 for p in pts)
    assert all(isinstance(p["contacts_per_week"], int) and 1 <= p["contacts_per_week"] <= 4 for p in pts)
    # categories crossed with the samples: the same sampled points under each category
    first = [(p["sharing_rate"], p["contacts_per_week"]) for p in pts[:expected]]
    second = [(p["sharing_rate"], p["contacts_per_week"]) for p in pts[expected:]]
    assert first == second
    assert {p["strategy"] for p in pts[:expected]} == {"balanced"}


def test_latin_hypercube_puts_one_point_in_every_stratum():
    n = 20
    spec = parse_spec({"design": {"kind": "lhs", "samples": n}, "parameters": {"kappa": {"min": 1.0, "max": 3.0}}})
    values = np.array([p["kappa"] for p in points(spec)])
    strata = np.floor((values - 1.0) / 2.0 * n).astype(int)
    assert sorted(strata) == list(range(n))


def test_points_are_deterministic_and_depend_on_the_seed():
    data = {"seed": 3, "design": {"kind": "sobol", "samples": 4}, "parameters": {"kappa": {"min": 1.0, "max": 3.0}}}
    assert points(parse_spec(data)) == points(parse_spec(data))
    assert points(parse_spec(data)) != points(parse_spec({**data, "seed": 4}))


def test_seeds_are_distinct_and_do_not_depend_on_the_number_of_replications():
    few = parse_spec({"replications": 3, "seed": 5, "parameters": {"kappa": [1.0, 2.0]}})
    many = parse_spec({"replications": 30, "seed": 5, "parameters": {"kappa": [1.0, 2.0]}})
    seeds = [run_seed(many, p, r) for p in range(200) for r in range(30)]
    assert len(set(seeds)) == len(seeds)
    assert all(0 <= s < 2**63 for s in seeds)
    assert [run_seed(few, 1, r) for r in range(3)] == [run_seed(many, 1, r) for r in range(3)]
    other_base = parse_spec({"replications": 3, "seed": 6, "parameters": {"kappa": [1.0, 2.0]}})
    assert run_seed(other_base, 1, 0) != run_seed(few, 1, 0)


# ---- bad input: exit 2, one line, nothing written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("steps = [\n", "not valid TOML"),
        ("[parameters]\nno_such_thing = [1, 2]\n", "no_such_thing"),
        ("[parameters]\nblame_culture = { min = 0.1, max = 0.9 }\n", "design grid needs a list"),
        ('[design]\nkind = "lhs"\nsamples = 8\n[parameters]\nstrategy = { min = 0, max = 1 }\n', "strategy"),
        ('[design]\nkind = "lhs"\nsamples = 8\n[parameters]\nstrategy = ["balanced"]\n', "needs at least one range"),
        ('[design]\nkind = "sobol"\nsamples = 10\n[parameters]\nkappa = { min = 1, max = 2 }\n', "power of two"),
        ('[design]\nkind = "lhs"\nsamples = 0\n[parameters]\nkappa = { min = 1, max = 2 }\n', "samples = 0"),
        ('[design]\nkind = "morris"\nsamples = 1\n[parameters]\nkappa = { min = 1, max = 2 }\n', "trajectories"),
        ('[design]\nkind = "factorial"\n[parameters]\nkappa = [1, 2]\n', "factorial"),
        ('[design]\nkind = "grid"\nsamples = 4\n[parameters]\nkappa = [1, 2]\n', "no samples"),
        ("[parameters]\nblame_culture = [0.5, 2.0]\n", "blame_culture=2.0"),
        ("[parameters]\nkappa = { min = 3, max = 2 }\n", "design grid needs a list"),
        ('[design]\nkind = "lhs"\nsamples = 4\n[parameters]\nkappa = { min = 3, max = 2 }\n', "must be below"),
        ('scenario = "jeugdaanpak"\n[parameters]\nn_partners = [10, 20]\n', "n_partners"),
        ('[parameters]\nscenario = ["jeugdaanpak", "no_such_scenario"]\n', "no_such_scenario"),
        ("replications = 0\n[parameters]\nkappa = [1, 2]\n", "replications"),
        ("repetitions = 3\n[parameters]\nkappa = [1, 2]\n", "repetitions"),
        ("[parameters]\nkappa = [1.0, 1.0]\n", "repeated"),
        ("[parameters]\ncollect_agents = [true, false]\n", "cannot be swept"),
        ("[constants]\nmet_tolerence = [0.1, 0.2]\n", "unknown constant 'met_tolerence'; did you mean 'met_tolerance'"),
        ("[constants]\nmet_tolerance = [0.1, 1.2]\n", "constant met_tolerance = 1.2 is outside [0, 1]"),
        (
            "[constants]\nexpectation_management_weeks = 2.5\n",
            "constant expectation_management_weeks must be an integer",
        ),
        ("[constants]\nsynergy = { min = 0.3, max = 1.0 }\n", "constant synergy is a range"),
        ("[parameters]\nsynergy = [0.3, 1.0]\n", "synergy under [parameters] is a calibration constant"),
        ("[parameters]\nkappa = [1, 2]\n[switches]\nlayer = false\n", "unknown switch 'layer'"),
        ("[parameters]\nkappa = [1, 2]\n[switches]\nlayers = 'maybe'\n", "switch layers: 'maybe' is not on or off"),
        ("[parameters]\nkappa = [1, 2]\n[switches]\nlayers = [true, true]\n", "a value is repeated"),
        ("[parameters]\nkappa = [1, 2]\n[switches]\nlayers = []\n", "switch layers = []"),
        ("switches = 1\n[parameters]\nkappa = [1, 2]\n", "expected a table, [switches]"),
    ],
)
def test_bad_specification_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, text, says):
    path = spec_of(text, tmp_path)
    out = tmp_path / "out"
    assert cli_main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err
    assert not out.exists()


def test_dry_run_prints_the_counts_and_writes_nothing(tmp_path, capsys):
    path = spec_of(GRID, tmp_path)
    out = tmp_path / "out"
    assert cli_main(["sweep", str(path), "--out", str(out), "--dry-run"]) == 0
    assert "6 points x 2 replications = 12 runs" in capsys.readouterr().out
    assert not out.exists()


# ---- the results store -----------------------------------------------------------------------------------------


def test_sweep_writes_one_row_per_run_and_the_time_series_sorted(tmp_path):
    out = tmp_path / "out"
    summary = sweep_threads(spec_of(GRID, tmp_path), out)
    assert summary.done == summary.total == 12 and summary.failed == 0
    runs = pd.read_parquet(out / "runs.parquet")
    for column in ("run_id", "point_id", "replication", "seed", "blame_culture", "strategy", "director_hours"):
        assert column in runs.columns
    assert set(METRICS) <= set(runs.columns) and {"steps", "wall_s"} <= set(runs.columns)
    assert list(zip(runs.point_id, runs.replication, strict=True)) == [(p, r) for p in range(6) for r in range(2)]
    assert (runs.steps == 4).all() and runs.run_id.is_unique
    spec = load_spec(out.parent / "spec.toml")
    assert list(runs.seed) == [run_seed(spec, p, r) for p in range(6) for r in range(2)]
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 12 * 5 and list(ts.step[:5]) == [0, 1, 2, 3, 4]
    final = ts[ts.step == 4].set_index("run_id")[METRICS]
    assert np.array_equal(final.loc[runs.run_id].to_numpy(), runs[METRICS].to_numpy())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["done"] == 12 and manifest["failed"] == []
    assert manifest["spec"]["parameters"]["strategy"] == ["balanced", "task_focus"]
    assert "mesa" in manifest["versions"] and manifest["started"] and manifest["ended"]


def test_a_run_equals_the_same_model_run_alone(tmp_path):
    from model import CollaborationModel

    out = tmp_path / "out"
    sweep_threads(spec_of(GRID, tmp_path), out)
    row = pd.read_parquet(out / "runs.parquet").iloc[7]
    model = CollaborationModel(
        scenario="jeugdaanpak",
        rng=int(row.seed),
        blame_culture=row.blame_culture,
        strategy=row.strategy,
        director_hours=24,
    )
    model.run_for(4)
    alone = model.datacollector.get_model_vars_dataframe().iloc[-1]
    assert [alone[m] for m in METRICS] == [row[m] for m in METRICS]


CONSTANTS_GRID = """
scenario = "jeugdaanpak"
steps = 6
replications = 2
seed = 3

[parameters]
blame_culture = [0.3, 0.7]

[constants]
met_tolerance = [0.05, 0.35]
expectation_management_weeks = [4, 12]
synergy = 0.9
"""


def test_a_constant_in_a_sweep_changes_the_results_as_the_same_override_in_a_direct_run(tmp_path):
    from model import CollaborationModel

    out = tmp_path / "out"
    summary = sweep_threads(spec_of(CONSTANTS_GRID, tmp_path), out)
    assert summary.done == 2 * 2 * 2 * 2 and summary.failed == 0
    runs = pd.read_parquet(out / "runs.parquet")
    names = ["const.synergy", "blame_culture", "const.met_tolerance", "const.expectation_management_weeks"]
    assert [c for c in runs.columns if c in names] == names  # fixed first, then the lists in the order of the file
    assert str(runs["const.expectation_management_weeks"].dtype) == "int64"
    assert str(runs["const.met_tolerance"].dtype) == "float64"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spec"]["constants"]["met_tolerance"] == [0.05, 0.35]

    def direct(row: pd.Series, constants: dict) -> list[float]:
        model = CollaborationModel(
            scenario="jeugdaanpak", rng=int(row.seed), blame_culture=row.blame_culture, constants=constants
        )
        model.run_for(6)
        return [model.datacollector.get_model_vars_dataframe().iloc[-1][m] for m in METRICS]

    for _, row in runs.iterrows():
        given = {
            "met_tolerance": row["const.met_tolerance"],
            "expectation_management_weeks": int(row["const.expectation_management_weeks"]),
            "synergy": 0.9,
        }
        assert direct(row, given) == [row[m] for m in METRICS]
    row = runs.iloc[0]
    assert direct(row, {}) != [row[m] for m in METRICS]  # the override did change the run


def test_a_sampled_constant_stays_in_its_range_and_a_sweep_without_constants_stores_its_spec_as_before(tmp_path):
    spec = parse_spec(
        {
            "steps": 2,
            "design": {"kind": "lhs", "samples": 6},
            "parameters": {"kappa": {"min": 1.0, "max": 3.0}},
            "constants": {"expectation_management_weeks": {"min": 2, "max": 6}, "met_tolerance": 0.2},
        }
    )
    pts = points(spec)
    weeks = [p["const.expectation_management_weeks"] for p in pts]
    assert all(isinstance(w, int) and 2 <= w <= 6 for w in weeks) and len(set(weeks)) > 1
    assert all(p["const.met_tolerance"] == 0.2 for p in pts)
    assert spec.raw["constants"] == {"expectation_management_weeks": {"min": 2, "max": 6}, "met_tolerance": 0.2}
    plain = parse_spec({"steps": 2, "parameters": {"kappa": [1.0, 2.0]}})
    assert "constants" not in plain.raw


def test_results_do_not_depend_on_the_number_of_workers(tmp_path):
    path = spec_of(GRID, tmp_path)
    sweep_threads(path, tmp_path / "one", threads=1)
    sweep_threads(path, tmp_path / "four", threads=4)
    (r1, t1), (r4, t4) = read(tmp_path / "one"), read(tmp_path / "four")
    pd.testing.assert_frame_equal(r1, r4, check_exact=True)
    pd.testing.assert_frame_equal(t1, t4, check_exact=True)


def test_many_small_batches_and_row_groups_give_the_same_files_as_one_batch(tmp_path, monkeypatch):
    import experiments.store
    import experiments.sweep

    path = spec_of(GRID, tmp_path)
    sweep_threads(path, tmp_path / "one_batch", threads=1)
    # every finished run is written at once, and runs straddle row groups of 7 rows
    monkeypatch.setattr(experiments.sweep, "MIN_FLUSH_SECONDS", 0.0)
    monkeypatch.setattr(experiments.sweep, "FLUSH_COST_FACTOR", 0.0)
    monkeypatch.setattr(experiments.store, "TS_ROWS_PER_GROUP", 7)
    sweep_threads(path, tmp_path / "many", threads=3)
    assert pq.ParquetFile(tmp_path / "many" / "timeseries.parquet").metadata.num_row_groups == (12 * 5 + 6) // 7
    (r1, t1), (r2, t2) = read(tmp_path / "one_batch"), read(tmp_path / "many")
    pd.testing.assert_frame_equal(r1, r2, check_exact=True)
    pd.testing.assert_frame_equal(t1, t2, check_exact=True)


def test_raising_replications_resumes_and_keeps_earlier_runs(tmp_path):
    path = spec_of(GRID, tmp_path)
    out = tmp_path / "out"
    sweep_threads(path, out)
    before = pd.read_parquet(out / "runs.parquet")
    spec_of(GRID.replace("replications = 2", "replications = 3"), tmp_path)
    summary = sweep_threads(path, out)
    assert summary.new == 6 and summary.done == 18
    after = pd.read_parquet(out / "runs.parquet").set_index("run_id")
    assert after.loc[before.run_id, "wall_s"].tolist() == before.wall_s.tolist()  # not run again
    sweep_threads(path, tmp_path / "fresh_out")
    (resumed, ts), (fresh, fresh_ts) = read(out), read(tmp_path / "fresh_out")
    pd.testing.assert_frame_equal(resumed, fresh, check_exact=True)
    pd.testing.assert_frame_equal(ts, fresh_ts, check_exact=True)


def test_resuming_with_other_code_warns_that_results_mix_revisions(tmp_path, capsys):
    path = spec_of(GRID, tmp_path)
    out = tmp_path / "out"
    sweep_threads(path, out)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["sessions"][0]["git_revision"] = "0123abc"  # as if the first runs were made by other code
    (out / "manifest.json").write_text(json.dumps(manifest))
    spec_of(GRID.replace("replications = 2", "replications = 3"), tmp_path)
    sweep_threads(path, out)
    err = capsys.readouterr().err
    assert "warning" in err and "0123abc" in err
    revisions = [s["git_revision"] for s in json.loads((out / "manifest.json").read_text())["sessions"]]
    assert revisions[0] == "0123abc" and len(revisions) == 2


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("blame_culture = [0.1, 0.5, 0.9]", "blame_culture = [0.1, 0.5]", "parameters"),
        ("seed = 7", "seed = 8", "seed"),
        ("replications = 2", "replications = 1", "lowered"),
    ],
)
def test_a_changed_specification_is_refused_in_an_existing_folder(tmp_path, capsys, old, new, says):
    path = spec_of(GRID, tmp_path)
    out = tmp_path / "out"
    sweep_threads(path, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    spec_of(GRID.replace(old, new), tmp_path)
    assert cli_main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_folder_with_other_files_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert cli_main(["sweep", str(spec_of(GRID, tmp_path)), "--out", str(out), "--workers", "1"]) == 2
    assert "holds no sweep" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_run_that_fails_in_a_worker_is_recorded_and_the_sweep_goes_on(tmp_path):
    # A scenario file that is readable when the sweep starts but not where the runs happen (a worker on another
    # machine, or a file changed meanwhile): the runs raise inside the worker.
    scenario = tmp_path / "mine.toml"
    scenario.write_text((ROOT / "model" / "data" / "jeugdaanpak.toml").read_text(encoding="utf-8"))
    text = f"""
steps = 3
replications = 2
[parameters]
scenario = ["jeugdaanpak", "{scenario.as_posix()}"]
"""
    spec = parse_spec(__import__("tomllib").loads(text))
    scenario.write_text("name = [\n")
    out = tmp_path / "out"
    with ThreadPoolExecutor(2) as pool:
        summary = run_sweep(spec, out, executor=pool, progress=False)
    assert summary.done == 2 and summary.failed == 2
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete with failures"
    assert [f["run_id"] for f in manifest["failed"]] == ["1-0", "1-1"]
    assert all(
        f["params"]["scenario"] == scenario.as_posix() and "not valid TOML" in f["error"] for f in manifest["failed"]
    )
    assert list(pd.read_parquet(out / "runs.parquet").scenario) == ["jeugdaanpak", "jeugdaanpak"]
    # once the file is repaired, resuming runs only the failed runs
    scenario.write_text((ROOT / "model" / "data" / "jeugdaanpak.toml").read_text(encoding="utf-8"))
    with ThreadPoolExecutor(2) as pool:
        summary = run_sweep(spec, out, executor=pool, progress=False)
    assert summary.new == 2 and summary.done == 4 and summary.failed == 0
    assert json.loads((out / "manifest.json").read_text())["failed"] == []


# ---- SIGKILL and resume (a real process) ----------------------------------------------------------------------

KILL_SPEC = """
scenario = "jeugdaanpak"
steps = 30
replications = 8
seed = 11
timeseries = true

[design]
kind = "lhs"
samples = 10

[parameters]
blame_culture = { min = 0.0, max = 1.0 }
strategy = ["balanced", "relation_focus"]
"""


def _readable(out: Path) -> bool:
    """Every result file that exists can be read whole.

    Each file is opened once and read through that handle: a reader that opens a path twice (as pyarrow's dataset
    reader does for a path: once for the schema, once for the data) can see two different versions of a file that
    is replaced between the two opens.
    """
    if (out / "manifest.json").exists():
        json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name in ("runs.parquet", "timeseries.parquet"):
        with contextlib.suppress(FileNotFoundError), open(out / name, "rb") as handle:
            pq.read_table(handle)
    return (out / "runs.parquet").exists()


def _sweep_command(spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "experiments.cli", "sweep", str(spec), "--out", str(out), "--workers", "2"]


@pytest.mark.long
def test_a_sweep_killed_with_sigkill_resumes_to_the_uninterrupted_result(tmp_path):
    path = spec_of(KILL_SPEC, tmp_path)
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        _sweep_command(path, out),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if _readable(out) and pq.read_metadata(out / "runs.parquet").num_rows > 0:
                break
            time.sleep(0.02)
        time.sleep(0.5)
        assert proc.poll() is None, "the sweep ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the worker processes of that sweep
    assert _readable(out)
    partial = pq.read_metadata(out / "runs.parquet").num_rows
    assert 0 < partial < 160
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    # resume, and read the files again and again while it runs: never unreadable
    proc = subprocess.Popen(_sweep_command(path, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while proc.poll() is None:
        _readable(out)
        time.sleep(0.02)
    stdout, stderr = proc.communicate()
    assert proc.returncode == 0, stderr
    assert "160 of 160 runs done" in stdout.decode()
    sweep_threads(path, tmp_path / "whole", threads=2)
    (r_killed, t_killed), (r_whole, t_whole) = read(out), read(tmp_path / "whole")
    pd.testing.assert_frame_equal(r_killed, r_whole, check_exact=True)
    pd.testing.assert_frame_equal(t_killed, t_whole, check_exact=True)
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


SWITCHES_GRID = """
scenario = "jeugdaanpak"
steps = 5
replications = 1
seed = 4

[parameters]
blame_culture = [0.3, 0.7]

[switches]
layers = [true, false]
dependency = "off"
"""


def test_a_switch_in_a_sweep_gives_the_same_runs_as_the_switch_in_a_direct_run(tmp_path):
    from model import CollaborationModel

    out = tmp_path / "out"
    summary = sweep_threads(spec_of(SWITCHES_GRID, tmp_path), out)
    assert summary.done == 4 and summary.failed == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert str(runs["switch.layers"].dtype) == "bool" and not runs["switch.dependency"].any()
    assert sorted(runs["switch.layers"].tolist()) == [False, False, True, True]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spec"]["switches"] == {"layers": [True, False], "dependency": "off"}
    for _, row in runs.iterrows():
        model = CollaborationModel(
            scenario="jeugdaanpak",
            rng=int(row.seed),
            blame_culture=row.blame_culture,
            switches={"layers": bool(row["switch.layers"]), "dependency": False},
        )
        model.run_for(5)
        assert [model.datacollector.get_model_vars_dataframe().iloc[-1][m] for m in METRICS] == [
            row[m] for m in METRICS
        ]
