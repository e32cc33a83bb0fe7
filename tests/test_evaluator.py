"""The evaluator: the same results in this process, on threads and on local worker processes, however the tasks are
batched; errors per task; tasks taken as they are needed; pending tasks cancelled; its processes shut down."""

from __future__ import annotations

import operator
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from experiments import evaluator as ev_module
from experiments.evaluator import MAX_BATCH, Evaluator, batch_size
from experiments.runner import run_one
from model import METRICS
from model.inputs import InputError

NUMBERS = [(a, b) for a in range(7) for b in range(1, 6)]
EXPECTED = [a * b for a, b in NUMBERS]


class CountingPool(ThreadPoolExecutor):
    """A thread pool that counts what is submitted to it."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_map_gives_the_results_in_the_order_of_the_tasks_in_this_process_and_on_threads():
    with Evaluator(0) as here:
        assert here.map(operator.mul, NUMBERS) == EXPECTED
        assert here.description == "this process" and here.workers == 1
    with ThreadPoolExecutor(3) as pool:
        for batch in (None, 1, 4, 100):
            with Evaluator(3, executor=pool, batch=batch) as threads:
                assert threads.map(operator.mul, NUMBERS) == EXPECTED
                assert threads.description == "ThreadPoolExecutor" and threads.workers == 3


def test_runs_of_the_model_are_the_same_on_worker_processes_which_end_with_the_evaluator():
    psutil = pytest.importorskip("psutil")
    tasks = [({"scenario": "jeugdaanpak", "blame_culture": b}, seed, 3, True) for b in (0.2, 0.8) for seed in (1, 2)]
    with Evaluator(0) as here:
        alone = here.map(run_one, tasks)
    with Evaluator(2, batch=3) as processes:
        assert processes.description == "local processes (2)" and processes.workers == 2
        far = processes.map(run_one, tasks)
        pids = set(processes.map(os.getpid, [()] * 8))
        workers = [psutil.Process(pid) for pid in pids]
        assert os.getpid() not in pids
    for a, b in zip(alone, far, strict=True):
        assert [a["final"][m] for m in METRICS] == [b["final"][m] for m in METRICS]
        assert np.array_equal(a["timeseries"], b["timeseries"])
    for worker in workers:  # shut down with the evaluator
        with pytest.raises(psutil.NoSuchProcess):
            worker.wait(timeout=10)
            worker.status()


def test_map_raises_the_error_of_a_failed_task():
    tasks = [(1, 1), (1, 0), (2, 1)]
    with Evaluator(0) as here, pytest.raises(ZeroDivisionError):
        here.map(operator.truediv, tasks)
    with ThreadPoolExecutor(2) as pool, Evaluator(2, executor=pool) as threads, pytest.raises(ZeroDivisionError):
        threads.map(operator.truediv, tasks)


@pytest.mark.parametrize("where", ["this process", "threads"])
def test_captured_errors_are_reported_per_task_and_the_others_go_on(where):
    tasks = [(6, 3), (1, 0), (8, 2), (5, 0)]
    with ThreadPoolExecutor(2) as pool:
        evaluator = Evaluator(0) if where == "this process" else Evaluator(2, executor=pool, batch=2)
        with evaluator:
            outcomes = sorted(
                evaluator.imap_unordered(operator.truediv, tasks, capture_errors=True), key=lambda o: o.index
            )
    assert [o.ok for o in outcomes] == [True, False, True, False]
    assert [o.result for o in outcomes] == [2.0, None, 4.0, None]
    assert outcomes[1].error == "ZeroDivisionError: division by zero" and outcomes[1].task == (1, 0)


def test_a_worker_that_dies_fails_the_tasks_of_its_batch_with_its_error():
    with Evaluator(1) as processes:
        outcomes = list(processes.imap_unordered(os._exit, [(3,)], capture_errors=True))
    assert len(outcomes) == 1 and not outcomes[0].ok
    assert outcomes[0].error.startswith("BrokenProcessPool")


def test_tasks_are_taken_from_a_generator_only_as_they_are_needed():
    taken = []

    def tasks():
        for i in range(1000):
            taken.append(i)
            yield (i, 2)

    with ThreadPoolExecutor(2) as pool, Evaluator(2, executor=pool, batch=1) as threads:
        stream = threads.imap_unordered(operator.mul, tasks())
        first = next(stream)
        assert first.result == first.index * 2
        assert len(taken) <= 2 * 2 + 2  # a window of batches, not the whole generator
        assert sorted(o.index for o in [first, *stream]) == list(range(1000))


def test_closing_a_stream_early_cancels_its_pending_tasks():
    calls = []
    lock = threading.Lock()

    def slow(i: int) -> int:
        with lock:
            calls.append(i)
        time.sleep(0.05)
        return i

    with ThreadPoolExecutor(2) as pool:
        with Evaluator(2, executor=pool, batch=1) as threads:
            stream = threads.imap_unordered(slow, [(i,) for i in range(100)])
            next(stream)
            stream.close()
        pool.shutdown(wait=True)
    assert len(calls) <= 8  # what was in flight; the rest never ran


def test_small_tasks_go_to_the_workers_in_batches():
    with CountingPool(2) as pool, Evaluator(2, executor=pool) as threads:
        assert threads.map(operator.mul, [(i, 3) for i in range(2000)]) == [3 * i for i in range(2000)]
    assert pool.submitted < 2000 / 4


def test_batch_sizes_follow_the_time_per_task_and_shrink_at_the_end():
    assert batch_size(None, None, 0, 2) == 1  # nothing measured yet
    assert batch_size(1e-9, None, 0, 2) == MAX_BATCH
    assert batch_size(ev_module.TARGET_BATCH_SECONDS / 5, None, 0, 2) == 5
    assert batch_size(10.0, None, 0, 2) == 1  # long runs one at a time
    assert batch_size(1e-9, 1000, 990, 2) == 2  # 10 left for 2 workers: small batches keep both busy
    assert batch_size(1e-9, 1000, 999, 2) == 1


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys):
    with Evaluator(0, progress="runs") as here:
        here.map(operator.mul, NUMBERS)
    assert capsys.readouterr().err == ""


def test_bad_settings_are_refused():
    with pytest.raises(InputError, match="--workers -1"):
        Evaluator(-1)
    with pytest.raises(ValueError, match="batch"):
        Evaluator(0, batch=0)
    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError, match="not both"):
        Evaluator(executor=pool, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(InputError, match="--scheduler"):
        Evaluator(scheduler="not an address")
