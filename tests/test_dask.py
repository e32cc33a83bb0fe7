"""Sweeps on a Dask distributed cluster: the same results, bit for bit, as local processes; a dead scheduler."""

from __future__ import annotations

import socket
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main as cli_main

SPEC = """
scenario = "jeugdaanpak"
steps = 6
replications = 3
seed = 5
timeseries = true

[design]
kind = "lhs"
samples = 4

[parameters]
blame_culture = { min = 0.0, max = 1.0 }
contacts_per_week = { min = 1, max = 4 }
strategy = ["balanced", "task_focus"]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.read_parquet(out / "runs.parquet").drop(columns="wall_s"),
        pd.read_parquet(out / "timeseries.parquet"),
    )


@pytest.mark.long  # the client waits 10 s for an answer
def test_a_scheduler_that_does_not_answer_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{free_port()}"
    assert cli_main(["sweep", str(spec), "--out", str(out), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and address in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.long
def test_a_dask_cluster_gives_the_results_of_local_processes_and_of_one_worker(tmp_path, capsys):
    from distributed import LocalCluster

    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,  # scheduler in this process, each worker in a process of its own, talking over TCP
        host="127.0.0.1",
        dashboard_address=":0",
        worker_dashboard_address=":0",
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        assert cli_main(["sweep", str(spec), "--out", str(tmp_path / "dask"), "--scheduler", address]) == 0
    assert cli_main(["sweep", str(spec), "--out", str(tmp_path / "two"), "--workers", "2"]) == 0
    assert cli_main(["sweep", str(spec), "--out", str(tmp_path / "one"), "--workers", "1"]) == 0
    assert "24 of 24 runs done, 0 failed" in capsys.readouterr().out
    dask_runs, dask_ts = read(tmp_path / "dask")
    assert len(dask_runs) == 24 and len(dask_ts) == 24 * 7
    for other in ("two", "one"):
        runs, ts = read(tmp_path / other)
        pd.testing.assert_frame_equal(dask_runs, runs, check_exact=True)
        pd.testing.assert_frame_equal(dask_ts, ts, check_exact=True)
