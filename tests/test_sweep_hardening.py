"""Sweeps under stress: one sweep per folder (a lock), damaged results folders, huge designs, and worker processes
that end with their coordinator."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from experiments.cli import main as cli_main
from experiments.designs import load_spec, parse_spec
from experiments.store import LOCK, FolderLock
from experiments.sweep import run_sweep
from model.inputs import InputError, Limits, using_limits

ROOT = Path(__file__).resolve().parent.parent

SMALL = """
scenario = "jeugdaanpak"
steps = 3
replications = 2
seed = 4
timeseries = true

[design]
kind = "lhs"
samples = 3

[parameters]
blame_culture = { min = 0.0, max = 1.0 }
"""


def write_spec(tmp_path: Path, text: str = SMALL, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def sweep_threads(spec_path: Path, out: Path):
    with ThreadPoolExecutor(2) as pool:
        return run_sweep(load_spec(spec_path), out, executor=pool, progress=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_consistent(out: Path, runs_expected: int, steps: int) -> None:
    """Every run in runs.parquet once, each with its whole time series, and nothing else."""
    runs = pd.read_parquet(out / "runs.parquet")
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(runs) == runs_expected and runs.run_id.is_unique
    assert set(ts.run_id) == set(runs.run_id)
    assert (ts.groupby("run_id").size() == steps + 1).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["done"] == runs_expected


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "internal error" not in err, err
    return err


# ---- the lock ---------------------------------------------------------------------------------------------------


def test_a_folder_locked_by_another_sweep_is_refused_and_left_alone(tmp_path, capsys):
    spec, out = write_spec(tmp_path), tmp_path / "out"
    with FolderLock(out) as lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
        assert cli_main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 2
        err = one_error_line(capsys)
        assert "is in use by another sweep" in err and f"process {os.getpid()}" in err
        assert sorted(p.name for p in out.iterdir()) == [LOCK]
        # a dry run takes no lock: it checks and counts while the sweep runs
        assert cli_main(["sweep", str(spec), "--out", str(out), "--dry-run"]) == 0
        assert "3 points x 2 replications = 6 runs" in capsys.readouterr().out
    assert lock.path.read_text() == ""  # released: the note is emptied, the file stays
    summary = sweep_threads(spec, out)
    assert summary.done == 6
    assert lock.path.read_text() == ""


def test_the_lock_is_exclusive_within_one_process_too_and_can_be_taken_again():
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        first = FolderLock(folder).acquire()
        with pytest.raises(InputError, match="in use by another sweep"):
            FolderLock(folder).acquire()
        first.release()
        first.release()  # twice is harmless
        with FolderLock(folder) as again:
            assert again.held


def test_a_dry_run_writes_nothing_not_even_the_lock(tmp_path, capsys):
    spec, out = write_spec(tmp_path), tmp_path / "out"
    assert cli_main(["sweep", str(spec), "--out", str(out), "--dry-run"]) == 0
    assert not out.exists()
    sweep_threads(spec, out)
    before = snapshot(out)
    assert cli_main(["sweep", str(spec), "--out", str(out), "--dry-run"]) == 0
    assert "6 runs already done" in capsys.readouterr().out
    assert snapshot(out) == before


HOLDER = """
import fcntl, json, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, json.dumps({"pid": os.getpid(), "host": os.uname().nodename, "started": "earlier"}).encode())
print("locked", flush=True)
time.sleep(120)
"""


def test_the_lock_of_a_killed_process_is_taken_over(tmp_path, capsys):
    spec, out = write_spec(tmp_path), tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out / LOCK)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert cli_main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 2
        assert f"process {holder.pid}, started earlier" in one_error_line(capsys)
        holder.kill()
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        holder.stdout.close()
    assert json.loads((out / LOCK).read_text())["pid"] == holder.pid  # the dead holder's note is still there
    summary = sweep_threads(spec, out)
    assert summary.done == 6
    assert_consistent(out, 6, 3)


def test_a_lock_file_that_is_a_folder_is_refused(tmp_path, capsys):
    spec, out = write_spec(tmp_path), tmp_path / "out"
    (out / LOCK).mkdir(parents=True)
    assert cli_main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 2
    assert "cannot be locked" in one_error_line(capsys)


# ---- damaged results folders: exit 2 naming the file, nothing written --------------------------------------------


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished small sweep, copied by each test that damages it."""
    folder = tmp_path_factory.mktemp("finished")
    sweep_threads(write_spec(folder), folder / "out")
    return folder


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def _damage_manifest(change):
    def damage(out: Path) -> None:
        manifest = _manifest(out)
        result = change(manifest)
        (out / "manifest.json").write_text(json.dumps(manifest if result is None else result))

    return damage


def _write_text(name: str, content: str | bytes):
    def damage(out: Path) -> None:
        path = out / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)

    return damage


def _make_folder(name: str):
    def damage(out: Path) -> None:
        (out / name).unlink()
        (out / name).mkdir()
        (out / name / "x").write_text("x")

    return damage


def _runs_table(change):
    def damage(out: Path) -> None:
        table = pq.read_table(out / "runs.parquet")
        pq.write_table(change(table), out / "runs.parquet")

    return damage


DAMAGES = {
    "manifest-a-list": (_write_text("manifest.json", "[1, 2, 3]"), "must be a JSON object"),
    "manifest-without-spec": (_damage_manifest(lambda m: m.pop("spec")), "lacks 'spec'"),
    "manifest-sessions-a-text": (_damage_manifest(lambda m: m.update(sessions="many")), "sessions must be a list"),
    "manifest-spec-replications-a-text": (
        _damage_manifest(lambda m: m["spec"].update(replications="two")),
        "replications.* must be an integer",
    ),
    "manifest-failed-entry-without-key": (
        _damage_manifest(lambda m: m.update(failed=[{"run_id": "0-0"}])),
        r"failed\[0\] lacks 'point_id'",
    ),
    "manifest-a-folder": (_make_folder("manifest.json"), "is a folder"),
    "manifest-invalid-json": (_write_text("manifest.json", '{"spec": '), "not valid JSON"),
    "manifest-with-nan": (
        lambda out: (out / "manifest.json").write_text(
            (out / "manifest.json").read_text().replace('"seed": 4', '"seed": NaN')
        ),
        "NaN",
    ),
    "manifest-not-utf8": (_write_text("manifest.json", b"\xff\xfe{}"), "not a UTF-8"),
    "runs-not-parquet": (_write_text("runs.parquet", "point_id,replication\n0,0\n"), "not a readable Parquet"),
    "runs-a-folder": (_make_folder("runs.parquet"), "is a folder"),
    "runs-without-a-metric": (_runs_table(lambda t: t.drop_columns(["trust"])), "missing column.*trust"),
    "runs-a-metric-as-text": (
        _runs_table(lambda t: t.set_column(t.schema.get_field_index("trust"), "trust", t["trust"].cast(pa.string()))),
        "trust is string, expected double",
    ),
    "runs-a-run-twice": (_runs_table(lambda t: pa.concat_tables([t, t.slice(0, 1)])), "lists run 0-0 twice"),
    "runs-outside-the-design": (
        _runs_table(lambda t: t.set_column(1, "point_id", pa.array([99] * t.num_rows, pa.int64()))),
        "not in this sweep's design",
    ),
    "timeseries-other-schema": (
        lambda out: pq.write_table(pa.table({"run_id": ["0-0"], "step": [0]}), out / "timeseries.parquet"),
        "timeseries.parquet.*missing column",
    ),
    "timeseries-truncated": (
        lambda out: (out / "timeseries.parquet").write_bytes((out / "timeseries.parquet").read_bytes()[:100]),
        "timeseries.parquet.*not a readable Parquet",
    ),
}


@pytest.mark.parametrize("command", ["resume", "analyze"])
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_results_folder_is_refused_naming_the_file(finished, tmp_path, capsys, damage, command):
    out = tmp_path / "out"
    shutil.copytree(finished / "out", out)
    change, says = DAMAGES[damage]
    change(out)
    before = snapshot(out)
    if command == "resume":
        argv = ["sweep", str(finished / "spec.toml"), "--out", str(out), "--workers", "1"]
    else:
        argv = ["analyze", str(out)]
    assert cli_main(argv) == 2
    err = one_error_line(capsys)
    import re

    assert re.search(says, err), err
    named = damage.split("-")[0]
    assert f"{named}.json" in err or f"{named}.parquet" in err
    assert snapshot(out) == before


def test_a_results_folder_in_good_order_resumes_and_is_analysed(finished, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(finished / "out", out)
    assert cli_main(["sweep", str(finished / "spec.toml"), "--out", str(out), "--workers", "1"]) == 0
    assert "0 runs in" in capsys.readouterr().out  # everything was done
    assert cli_main(["analyze", str(out)]) == 0


# ---- specifications and design sizes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("design", "says"),
    [
        ('kind = "lhs"\nsamples = 4611686018427387904', "points of the sweep design = 4,611,686,018,427,387,904"),
        ('kind = "sobol"\nsamples = 2305843009213693952', "points of the sweep design"),
        ('kind = "morris"\nsamples = 9223372036854775807', "points of the sweep design"),
    ],
)
def test_a_huge_design_is_refused_at_once_in_a_dry_run(tmp_path, capsys, design, says):
    text = (
        f"[design]\n{design}\n[parameters]\nkappa = {{ min = 1.0, max = 3.0 }}\nsharing_rate = {{ min = 0, max = 1 }}\n"
    )
    start = time.perf_counter()
    assert cli_main(["sweep", str(write_spec(tmp_path, text)), "--out", str(tmp_path / "o"), "--dry-run"]) == 2
    assert time.perf_counter() - start < 2.0
    err = one_error_line(capsys)
    assert says in err and "--limit design_points=N" in err


def test_a_grid_whose_lists_multiply_to_too_many_points_is_refused(tmp_path, capsys):
    lists = "\n".join(
        f"{name} = [{', '.join(str(i / 20) for i in range(20))}]"
        for name in (
            "blame_culture",
            "sharing_rate",
            "frame_clarity",
            "procedure_equality",
            "incident_rate",
            "evidence_retention",
        )
    )
    spec = write_spec(tmp_path, f"[parameters]\n{lists}\n")
    assert cli_main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--dry-run"]) == 2
    assert "64,000,000 is more than the limit" in one_error_line(capsys)


def test_the_runs_of_a_design_are_limited_too_and_limits_can_be_raised(tmp_path, capsys):
    spec = write_spec(tmp_path, "replications = 40\n[parameters]\nkappa = [1.0, 2.0, 3.0]\n")
    argv = ["sweep", str(spec), "--out", str(tmp_path / "o"), "--dry-run"]
    assert cli_main([*argv, "--limit", "design_points=100"]) == 2
    assert "runs of the sweep (points x replications) = 120" in one_error_line(capsys)
    assert cli_main([*argv, "--limit", "design_points=120"]) == 0
    # a big design within raised limits is counted, never built, in a dry run
    big = write_spec(
        tmp_path, '[design]\nkind = "lhs"\nsamples = 1099511627776\n[parameters]\nkappa = { min = 1, max = 2 }\n'
    )
    start = time.perf_counter()
    assert (
        cli_main(
            ["sweep", str(big), "--out", str(tmp_path / "o"), "--dry-run", "--limit", "design_points=2000000000000"]
        )
        == 0
    )
    assert time.perf_counter() - start < 2.0
    assert "1099511627776 points" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("data", "limit", "says"),
    [
        (
            {"replications": 20_000, "parameters": {"kappa": [1.0]}},
            None,
            "replications in the sweep specification = 20,000",
        ),
        ({"steps": 6_000, "parameters": {"kappa": [1.0]}}, None, "steps in the sweep specification = 6,000"),
        ({"scenario": "synthetic", "parameters": {"n_partners": [10, 200_000]}}, None, "n_partners"),
        ({"scenario": "synthetic", "parameters": {"n_partners": 500}}, Limits(partners=100), "n_partners"),
        (
            {
                "scenario": "synthetic",
                "design": {"kind": "lhs", "samples": 2},
                "parameters": {"n_partners": {"min": 10, "max": 900}},
            },
            Limits(partners=100),
            "n_partners in the sweep specification = 900",
        ),
    ],
)
def test_sizes_in_a_specification_are_checked_against_the_limits(data, limit, says):
    with using_limits(limit or Limits()), pytest.raises(InputError, match=says):
        parse_spec(data)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"design": {"kind": "lhs", "samples": 4}, "parameters": {"kappa": {"min": float("nan"), "max": 2}}}, "finite"),
        ({"design": {"kind": "lhs", "samples": 4}, "parameters": {"kappa": {"min": 1, "max": float("inf")}}}, "finite"),
        ({"design": {"kind": "lhs", "samples": 4}, "parameters": {"kappa": {"min": 3, "max": 1}}}, "must be below"),
        (
            {"design": {"kind": "lhs", "samples": 4}, "parameters": {"contacts_per_week": {"min": 1.5, "max": 3}}},
            "integer",
        ),
        ({"steps": -1, "parameters": {"kappa": [1.0]}}, "steps in the sweep specification = -1"),
        ({"seed": "one", "parameters": {"kappa": [1.0]}}, "seed in the sweep specification must be an integer"),
        ({"replications": True, "parameters": {"kappa": [1.0]}}, "replications .* must be an integer"),
        ({"design": "grid", "parameters": {"kappa": [1.0]}}, "expected a table"),
        ({"design": {"kind": 3}, "parameters": {"kappa": [1.0]}}, "design kind 3 is unknown"),
        (
            {"design": {"kind": "morris", "samples": 4, "levels": 3}, "parameters": {"kappa": {"min": 1, "max": 2}}},
            "even",
        ),
        ({"parameters": ["kappa"]}, "parameters = \\['kappa'\\]"),
        ({"kappa": [1.0, 2.0]}, "parameters go under \\[parameters\\]"),
    ],
)
def test_every_field_of_a_specification_is_checked_by_name(data, says):
    with pytest.raises(InputError, match=says):
        parse_spec(data)


def test_a_specification_that_is_not_a_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        load_spec(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        load_spec(tmp_path / "nothing.toml")
    with pytest.raises(InputError, match="not a regular file"):
        load_spec("/dev/null")


# ---- real processes: two sweeps on one folder, and a killed coordinator -------------------------------------------

# 40 runs long enough (160 weeks each, a few seconds in all) that the first flush of finished runs comes well before
# the last run: the tests interrupt the sweep after that flush
BUSY = """
scenario = "jeugdaanpak"
steps = 160
replications = 4
seed = 9
timeseries = true

[design]
kind = "lhs"
samples = 10

[parameters]
blame_culture = { min = 0.0, max = 1.0 }
"""


def _sweep_process(spec: Path, out: Path, workers: int, capture: bool = True) -> subprocess.Popen:
    # A sweep in a terminal gets Ctrl-C; a test run that a non-interactive shell started in the background ignores
    # SIGINT, and an ignored signal stays ignored across exec. With a handler of Python's own here instead (reset to
    # the default on exec), the sweep starts as it would from a terminal, however pytest was started.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "experiments.cli", "sweep", str(spec), "--out", str(out), "--workers", str(workers)],
            cwd=ROOT,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(*procs: subprocess.Popen) -> None:
    """Kill what is left of these processes (and their process groups) and close their pipes."""
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _workers_of(pid: int) -> list:
    import psutil

    children = psutil.Process(pid).children(recursive=True)
    return [c for c in children if "spawn_main" in " ".join(c.cmdline())]


def _state(proc) -> str:
    import psutil

    try:
        return proc.status()
    except psutil.NoSuchProcess:
        return "gone"


def _gone(proc) -> bool:
    return _state(proc) in ("gone", "zombie")


def _seconds_until_gone(workers: list, since: float, wait: float = 10.0) -> float:
    while not all(_gone(w) for w in workers) and time.monotonic() - since < wait:
        time.sleep(0.01)
    seconds = time.monotonic() - since
    states = [_state(w) for w in workers]
    assert all(_gone(w) for w in workers), f"workers {states} {seconds:.1f} s after their coordinator died"
    return seconds


WORKERS_END_WITHIN = 5.0  # seconds; about 0.02 to 1 s measured on a busy two-core machine

COORDINATOR = """
import os, time
from experiments.runner import make_executor
executor = make_executor(2)
ready = set()  # workers that ran a task, so are past their initializer
while len(ready) < 2:
    ready.update(f.result() for f in [executor.submit(os.getpid) for _ in range(4)])
futures = [executor.submit(time.sleep, 60) for _ in range(6)]  # minutes of queued work
print(" ".join(map(str, ready)), flush=True)
time.sleep(120)
"""


def test_local_workers_end_when_their_coordinator_is_killed():
    psutil = pytest.importorskip("psutil")
    coordinator = subprocess.Popen(
        [sys.executable, "-c", COORDINATOR], cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        line = coordinator.stdout.readline()
        workers = [psutil.Process(int(pid)) for pid in line.split()]
        assert len(workers) == 2, f"the coordinator printed {line!r}"
        assert all(w.ppid() == coordinator.pid for w in workers)
        time.sleep(0.5)  # the workers are asleep in their first long task
        assert not any(_gone(w) for w in workers), "a worker ended before its coordinator"
        os.kill(coordinator.pid, signal.SIGKILL)
        killed = time.monotonic()
        coordinator.wait(timeout=10)
        assert _seconds_until_gone(workers, killed) < WORKERS_END_WITHIN
    finally:
        _stop(coordinator)


@pytest.mark.long  # two real sweeps with their worker processes: tens of seconds
def test_two_sweeps_on_one_folder_one_is_refused_and_the_other_completes(tmp_path):
    spec, out = write_spec(tmp_path, BUSY), tmp_path / "out"
    first, second = _sweep_process(spec, out, 1), _sweep_process(spec, out, 1)
    try:
        loser = None
        deadline = time.monotonic() + 120
        while loser is None and time.monotonic() < deadline:
            for proc, other in ((first, second), (second, first)):
                if proc.poll() is not None:
                    loser, winner = proc, other
            time.sleep(0.05)
        assert loser is not None
        still_running = winner.poll() is None
        _, err = loser.communicate()
        assert loser.returncode == 2, err
        assert err.count("\n") == 1 and f"is in use by another sweep (process {winner.pid}" in err
        assert still_running
        stdout, err = winner.communicate(timeout=120)
        assert winner.returncode == 0, err
        assert "40 of 40 runs done, 0 failed" in stdout
    finally:
        _stop(first, second)
    assert_consistent(out, 40, 160)
    assert (out / LOCK).read_text() == ""


@pytest.mark.long  # a real sweep, killed, then resumed: tens of seconds
def test_workers_end_with_a_killed_coordinator_and_a_resume_takes_over_its_lock(tmp_path):
    pytest.importorskip("psutil")
    spec, out = write_spec(tmp_path, BUSY), tmp_path / "out"
    coordinator = _sweep_process(spec, out, 2, capture=False)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and coordinator.poll() is None:
            if (out / "runs.parquet").exists():
                break
            time.sleep(0.02)
        workers = _workers_of(coordinator.pid)
        assert coordinator.poll() is None, "the sweep ended before it could be killed"
        assert len(workers) == 2
        os.kill(coordinator.pid, signal.SIGKILL)
        killed = time.monotonic()
        coordinator.wait(timeout=10)
        assert _seconds_until_gone(workers, killed) < WORKERS_END_WITHIN
    finally:
        _stop(coordinator)
    assert json.loads((out / LOCK).read_text())["pid"] == coordinator.pid  # the dead sweep's lock
    partial = pq.read_metadata(out / "runs.parquet").num_rows
    assert 0 < partial < 40
    summary = sweep_threads(spec, out)  # the resume takes the lock over
    assert summary.new == 40 - partial and summary.done == 40
    assert_consistent(out, 40, 160)


@pytest.mark.long  # a real sweep, interrupted, then resumed: tens of seconds
def test_ctrl_c_stops_a_sweep_and_its_workers_and_a_resume_equals_an_uninterrupted_sweep(tmp_path):
    pytest.importorskip("psutil")
    spec, out = write_spec(tmp_path, BUSY), tmp_path / "out"
    coordinator = _sweep_process(spec, out, 2)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and coordinator.poll() is None:
            if (out / "runs.parquet").exists():
                break
            time.sleep(0.02)
        workers = _workers_of(coordinator.pid)
        assert coordinator.poll() is None, "the sweep ended before it could be interrupted"
        assert len(workers) == 2
        os.killpg(coordinator.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the coordinator and its workers
        interrupted = time.monotonic()
        _, err = coordinator.communicate(timeout=60)
        assert coordinator.returncode == 130, err
        assert "netwerkregie: interrupted" in err and "internal error" not in err
        assert _seconds_until_gone(workers, interrupted) < WORKERS_END_WITHIN
    finally:
        _stop(coordinator)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["failed"] == []
    assert (out / LOCK).read_text() == ""  # released
    partial = pq.read_metadata(out / "runs.parquet").num_rows
    assert 0 < partial < 40
    summary = sweep_threads(spec, out)
    assert summary.new == 40 - partial and summary.done == 40
    sweep_threads(spec, tmp_path / "whole")
    for name in ("runs.parquet", "timeseries.parquet"):
        resumed, whole = pd.read_parquet(out / name), pd.read_parquet(tmp_path / "whole" / name)
        columns = [c for c in whole.columns if c != "wall_s"]
        pd.testing.assert_frame_equal(resumed[columns], whole[columns], check_exact=True)
