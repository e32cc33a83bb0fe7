"""One evaluator for many runs: in this process, on local worker processes, or on a Dask cluster.

    from experiments.evaluator import Evaluator
    from experiments.runner import run_one

    tasks = [({"scenario": "jeugdaanpak", "blame_culture": b}, seed, 52) for b in (0.2, 0.8) for seed in (1, 2, 3)]
    with Evaluator(workers=2, progress="runs") as evaluator:
        results = evaluator.map(run_one, tasks)           # in the order of the tasks

A task is the tuple of positional arguments of one call, ``function(*task)`` (like ``itertools.starmap``); the
function must be importable by name (a module-level function) to run in another process. The evaluator owns
everything around the calls:

- start-up: local worker processes are ``spawn``-ed and end with this process
  (:func:`experiments.runner.die_with_parent`); a Dask scheduler is connected when the evaluator is made, so one
  that does not answer is an :class:`~model.inputs.InputError` before any work is done;
- batching: several tasks go to a worker at once, as many as take about :data:`TARGET_BATCH_SECONDS` (measured on
  the batches done so far), which cuts the overhead per task of small runs; at most :data:`BATCHES_PER_WORKER`
  batches per worker are in flight, and tasks are taken from their iterable only as they are needed, so a sweep's
  coordinator never holds the list of its runs;
- a progress bar (tqdm on stderr), only when stderr is a terminal;
- errors: :meth:`Evaluator.map` raises the first error of a task; :meth:`Evaluator.imap_unordered` with
  ``capture_errors=True`` reports a failed task as an :class:`Outcome` with its error and goes on (when a worker
  process dies, every task of its batch fails with that error);
- shutdown: leaving a call early (Ctrl-C, an error) cancels its pending tasks; leaving the ``with`` block shuts
  down the worker processes it started (waiting for the batches they are running) or closes the Dask client it
  made. An executor given to it is used as it is and not shut down.

Results do not depend on where tasks ran, how they were batched or in which order they finished: each task is a
function of its arguments alone.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from experiments.runner import check_scheduler, connect, default_workers, local_executor
from model.inputs import InputError

if TYPE_CHECKING:
    from distributed import Client

TARGET_BATCH_SECONDS = 0.25  # a batch takes about this long: overhead per task amortised, Ctrl-C still quick
MAX_BATCH = 64  # tasks per batch at most
BATCHES_PER_WORKER = 2  # in flight per worker: one running, one waiting


@dataclass(frozen=True)
class Outcome:
    """One finished task.

    Attributes:
        index: the task's position among the tasks given (0, 1, ...).
        task: the task, its arguments.
        result: what the function returned (``None`` if the task failed).
        error: ``"ExceptionType: message"`` if the task failed (only with ``capture_errors``), else ``None``.
    """

    index: int
    task: tuple
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the task succeeded."""
        return self.error is None


def error_text(error: BaseException) -> str:
    """An error as it is recorded: ``"ExceptionType: message"``."""
    return f"{type(error).__name__}: {error}"


def run_batch(
    function: Callable[..., Any], tasks: list[tuple], capture_errors: bool
) -> tuple[list[tuple[Any, str | None]], float]:
    """Run several tasks in one call (in a worker): ``([(result, error), ...], seconds)``.

    With ``capture_errors`` a task that raises gets its error text and the next task runs; without, the first
    error ends the batch and is raised.
    """
    start = time.perf_counter()
    out: list[tuple[Any, str | None]] = []
    for task in tasks:
        if not capture_errors:
            out.append((function(*task), None))
            continue
        try:
            out.append((function(*task), None))
        except Exception as e:  # noqa: BLE001 - a failed task is reported with its error; the others go on
            out.append((None, error_text(e)))
    return out, time.perf_counter() - start


class Evaluator:
    """Runs many tasks in this process, on local worker processes or on a Dask cluster; a context manager.

    Args:
        workers: local worker processes (default: every core); ``0`` runs the tasks in this process, one after
            another. With ``executor``: how many tasks it runs at once (default: the number of cores).
        scheduler: a Dask scheduler address, ``tcp://HOST:PORT``: the tasks run on that cluster (``workers`` is
            ignored; the cluster's threads count).
        executor: any ``concurrent.futures.Executor``, used as given and not shut down.
        progress: the label of a progress bar on stderr, shown only when stderr is a terminal (``None``: no bar).
        batch: tasks handed to a worker at once (default: adapted so that a batch takes about
            :data:`TARGET_BATCH_SECONDS`).

    Raises:
        InputError: ``workers`` is negative, the scheduler address is malformed, or the scheduler does not answer.

    Attributes:
        description: where the tasks run, in words (``local processes (4)``, ``dask tcp://...``), for manifests.
        progress: the progress bar's label.
        batch: the fixed batch size, or ``None`` for adaptive batches.
    """

    def __init__(
        self,
        workers: int | None = None,
        scheduler: str | None = None,
        *,
        executor: Executor | None = None,
        progress: str | None = None,
        batch: int | None = None,
    ) -> None:
        if isinstance(workers, bool) or (workers is not None and (not isinstance(workers, int) or workers < 0)):
            raise InputError(f"--workers {workers!r}: expected a number of worker processes, at least 1")
        if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch < 1):
            raise ValueError(f"batch = {batch!r}: expected a positive integer")
        if executor is not None and scheduler:
            raise ValueError("give an executor or a scheduler, not both")
        self.progress = progress
        self.batch = batch
        self._client: Client | None = None
        self._executor: Executor | None = executor
        self._owns_executor = False
        self._slots = 1
        self._in_flight: set[Future] = set()
        self._closed = False
        if scheduler:
            address = check_scheduler(scheduler)
            self._client = connect(address)
            self._executor = self._client.get_executor(pure=False)
            self._owns_executor = True
            self.description = f"dask {address}"
        elif executor is not None:
            self._slots = workers or default_workers()
            self.description = type(executor).__name__
        elif workers == 0:
            self.description = "this process"
        else:
            self._slots = workers or default_workers()
            self._executor = local_executor(self._slots)
            self._owns_executor = True
            self.description = f"local processes ({self._slots})"

    # ---- the context ----------------------------------------------------------------------------------------

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Cancel pending tasks and shut down what this evaluator started: its worker processes (after the
        batches they are running) or its Dask client. Closing twice does nothing."""
        if self._closed:
            return
        self._closed = True
        for future in list(self._in_flight):
            future.cancel()
        self._in_flight.clear()
        if not self._owns_executor:
            return
        if self._client is not None:
            self._executor.shutdown(wait=False)  # cancels what is still on the cluster
            self._client.close()
        else:
            self._executor.shutdown(wait=True, cancel_futures=True)

    @property
    def workers(self) -> int:
        """How many tasks run at once: the worker processes, the cluster's threads, or 1 in this process."""
        if self._client is not None:
            try:
                return max(1, sum(self._client.nthreads().values()))
            except (OSError, TimeoutError):
                return 4
        return self._slots

    # ---- running tasks ----------------------------------------------------------------------------------------

    def map(self, function: Callable[..., Any], tasks: Iterable[tuple]) -> list[Any]:
        """``function(*task)`` for every task; the results in the order of the tasks.

        Raises:
            Exception: the first error of a task (the other tasks are cancelled).
        """
        tasks = list(tasks)
        results: list[Any] = [None] * len(tasks)
        for outcome in self.imap_unordered(function, tasks):
            results[outcome.index] = outcome.result
        return results

    def imap_unordered(
        self,
        function: Callable[..., Any],
        tasks: Iterable[tuple],
        *,
        capture_errors: bool = False,
        count: int | None = None,
        already_done: int = 0,
        wake_every: float | None = None,
    ) -> Iterator[Outcome | None]:
        """``function(*task)`` for every task, yielding an :class:`Outcome` as each one finishes.

        Tasks are taken from ``tasks`` (any iterable, a generator too) only as they are needed. Closing the
        iterator early (``break``, an error, Ctrl-C) cancels the tasks not yet started.

        Args:
            function: a module-level function (it is pickled by name to run in another process).
            tasks: argument tuples.
            capture_errors: report a failed task as an outcome with its ``error`` and go on; else raise it.
            count: how many tasks ``tasks`` holds, when it has no length (sizes the progress bar, and the last
                batches so that every worker stays busy to the end).
            already_done: tasks done before this call (a resumed sweep's): where the progress bar starts.
            wake_every: if given, yield ``None`` when no task finished within this many seconds, so that the
                caller can do periodic work (the sweep writes its finished runs).
        """
        if count is None and hasattr(tasks, "__len__"):
            count = len(tasks)
        bar = self._bar(count, already_done)
        if self._executor is None:
            stream = self._in_this_process(function, tasks, capture_errors)
        else:
            stream = self._on_workers(function, tasks, capture_errors, count, wake_every)
        failed = 0
        try:
            for outcome in stream:
                if bar is not None and outcome is not None:
                    if not outcome.ok:
                        failed += 1
                        bar.set_postfix(failed=failed, refresh=False)
                    bar.update(1)
                yield outcome
        finally:
            stream.close()  # cancels pending tasks now, not when the generator is collected
            if bar is not None:
                bar.close()

    def _bar(self, count: int | None, already_done: int) -> tqdm | None:
        if not self.progress or not sys.stderr.isatty():
            return None
        return tqdm(
            total=None if count is None else already_done + count,
            initial=already_done,
            desc=self.progress,
            unit="run",
            file=sys.stderr,
            dynamic_ncols=True,
            smoothing=0.1,
        )

    @staticmethod
    def _in_this_process(
        function: Callable[..., Any], tasks: Iterable[tuple], capture_errors: bool
    ) -> Iterator[Outcome]:
        for index, task in enumerate(tasks):
            if not capture_errors:
                yield Outcome(index, task, function(*task))
                continue
            try:
                result = function(*task)
            except Exception as e:  # noqa: BLE001 - a failed task is reported with its error; the others go on
                yield Outcome(index, task, None, error_text(e))
                continue
            yield Outcome(index, task, result)

    def _on_workers(
        self,
        function: Callable[..., Any],
        tasks: Iterable[tuple],
        capture_errors: bool,
        count: int | None,
        wake_every: float | None,
    ) -> Iterator[Outcome | None]:
        if self._closed:
            raise RuntimeError("this evaluator is closed")
        workers = self.workers
        window = max(BATCHES_PER_WORKER * workers, workers + 2)
        pending = enumerate(tasks)
        in_flight: dict[Future, list[tuple[int, tuple]]] = {}
        seconds_per_task: float | None = None
        submitted = 0
        exhausted = False
        try:
            while True:
                while not exhausted and len(in_flight) < window:
                    size = self.batch or batch_size(seconds_per_task, count, submitted, workers)
                    chunk = list(itertools.islice(pending, size))
                    if not chunk:
                        exhausted = True
                        break
                    future = self._executor.submit(run_batch, function, [task for _, task in chunk], capture_errors)
                    in_flight[future] = chunk
                    self._in_flight.add(future)
                    submitted += len(chunk)
                if not in_flight:
                    return
                finished, _ = wait(in_flight, timeout=wake_every, return_when=FIRST_COMPLETED)
                if not finished:
                    yield None
                    continue
                for future in finished:
                    chunk = in_flight.pop(future)
                    self._in_flight.discard(future)
                    error = future.exception()
                    if error is not None:  # the batch failed as a whole: its worker died, or a task raised
                        if not capture_errors or not isinstance(error, Exception):
                            raise error  # a worker's KeyboardInterrupt is Ctrl-C here too, not a failed task
                        for index, task in chunk:
                            yield Outcome(index, task, None, error_text(error))
                        continue
                    results, seconds = future.result()
                    measured = seconds / len(chunk)
                    seconds_per_task = measured if seconds_per_task is None else (seconds_per_task + measured) / 2
                    for (index, task), (result, task_error) in zip(chunk, results, strict=True):
                        yield Outcome(index, task, result, task_error)
        finally:
            for future in in_flight:
                future.cancel()
                self._in_flight.discard(future)


def batch_size(seconds_per_task: float | None, count: int | None, submitted: int, workers: int) -> int:
    """Tasks for the next batch: about :data:`TARGET_BATCH_SECONDS` of work (1 until a batch has been timed), at
    most :data:`MAX_BATCH`, and, when the number of tasks is known, small enough near the end that every worker
    still gets a share of what is left."""
    if seconds_per_task is None:
        return 1
    size = max(1, min(MAX_BATCH, int(TARGET_BATCH_SECONDS / max(seconds_per_task, 1e-6))))
    if count is not None:
        left = count - submitted
        size = min(size, max(1, left // (BATCHES_PER_WORKER * workers)))
    return size
