"""``netwerkregie sweep SPEC.toml --out DIR``: many runs of the model, resumable, on any executor.

The specification is validated in full (:mod:`experiments.designs`) and the results folder checked
(:mod:`experiments.store`) before anything runs or is written. Runs go to a ``concurrent.futures.Executor``: local
processes by default, or a Dask cluster's executor with ``--scheduler tcp://HOST:PORT``
(:func:`experiments.runner.make_executor`). At most a few runs per worker are in flight, and finished runs are
written in batches, so the coordinating process holds neither the whole sweep nor its results.

A run that raises inside a worker is recorded in the manifest with its parameters and error; the sweep goes on.
Re-running the same command runs only what is missing (including runs that failed before).

One sweep at a time per folder: the sweep holds the folder's lock (:class:`experiments.store.FolderLock`) from
before it reads what is done until its last write, so a second sweep on the same folder is refused (exit status 2,
naming the process that holds it) instead of both rewriting the files; the lock of a killed sweep is taken over.
``--dry-run`` checks everything, takes no lock and writes nothing. Local worker processes end with the sweep
(:func:`experiments.runner.die_with_parent`).

Bad input of any kind (the specification, the folder, a damaged manifest or result file, a limit) is an
:class:`model.inputs.InputError`, raised before anything is written: exit status 2 and one line on stderr.
"""

from __future__ import annotations

import os

# Arrow's default allocator (mimalloc) keeps the pages freed by the store's batch-by-batch merges, so the memory of
# the coordinating process would creep up with the size of the results; the system allocator returns them. This
# takes effect when pyarrow is first imported after this module (as in the netwerkregie command).
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import argparse  # noqa: E402
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.designs import SweepSpec, iter_points, load_spec, run_seed
from experiments.store import FolderLock, ResultStore
from model.inputs import InputError

MIN_FLUSH_SECONDS = 1.0  # write finished runs at least this often...
FLUSH_COST_FACTOR = 10.0  # ...but wait at least 10x as long as the last write took (writing stays under ~10%)


@dataclass
class SweepSummary:
    """What a sweep did.

    Attributes:
        total: runs in the specification.
        done: runs in ``runs.parquet`` at the end.
        new: runs done in this session.
        failed: runs that raised (listed in the manifest).
        seconds: wall time of this session.
        directory: the results folder.
    """

    total: int
    done: int
    new: int
    failed: int
    seconds: float
    directory: Path

    @property
    def rate(self) -> float:
        """Runs per second in this session."""
        return self.new / self.seconds if self.seconds > 0 else 0.0


def execute_run(params: dict[str, Any], seed: int, steps: int | None, timeseries: bool) -> dict[str, Any]:
    """One run inside a worker: :func:`experiments.runner.run_one`, with an error turned into a result.

    Returns ``{"result": ..., "error": None}`` or ``{"result": None, "error": "ExceptionType: message"}``.
    """
    from experiments.runner import run_one

    try:
        return {"result": run_one(params, seed, steps, timeseries), "error": None}
    except Exception as e:  # noqa: BLE001 - any failure of a run is recorded, the sweep goes on
        return {"result": None, "error": f"{type(e).__name__}: {e}"}


def _executor_workers(executor: Executor, workers: int | None) -> int:
    client = getattr(executor, "_netwerkregie_client", None) or getattr(executor, "_client", None)
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except (OSError, TimeoutError, AttributeError):
            return 4
    return getattr(executor, "_max_workers", None) or workers or 1


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    spec_file: str | None = None,
    progress: bool = True,
) -> SweepSummary:
    """Run (or resume) a sweep into a results folder, holding the folder's lock throughout.

    Args:
        spec: a validated specification.
        out: the results folder (created; resumed if it holds this sweep).
        workers: local worker processes (default: all cores), when neither ``scheduler`` nor ``executor`` is given.
        scheduler: a Dask scheduler address, ``tcp://HOST:PORT``.
        executor: any ``concurrent.futures.Executor`` (not shut down here).
        spec_file: the specification's path, recorded in the manifest.
        progress: show a progress bar on stderr.

    Raises:
        InputError: the folder holds another sweep or damaged results, another sweep is running in it, or the
            scheduler does not answer (nothing is written then).
    """
    ResultStore.open(out, spec)  # refuses a different spec or a damaged folder before anything is written
    own = executor is None
    if own:
        from experiments.runner import make_executor

        executor = make_executor(workers, scheduler)
    try:
        lock = FolderLock(out).acquire()
    except BaseException:
        if own:
            _shutdown(executor)
        raise
    with lock:
        try:
            store = ResultStore.open(out, spec)  # again, under the lock: what is done now
            return _run(spec, out, store, executor, own, workers, scheduler, spec_file, progress)
        finally:
            if own:
                _shutdown(executor)  # before the lock is released: no worker outlives the sweep's hold


def _run(
    spec: SweepSpec,
    out: str | Path,
    store: ResultStore,
    executor: Executor,
    own: bool,
    workers: int | None,
    scheduler: str | None,
    spec_file: str | None,
    progress: bool,
) -> SweepSummary:
    n_todo = spec.n_runs - len(store.done)
    description = f"dask {scheduler}" if scheduler else (f"{type(executor).__name__}" if not own else "processes")
    n_workers = _executor_workers(executor, workers)
    if own and not scheduler:
        description = f"local processes ({n_workers})"
    store.begin(spec_file, description)
    if store.done and store.earlier_revisions:
        print(
            f"netwerkregie: warning: resuming with code revision {store.manifest['git_revision']}, but earlier runs "
            f"in {out} were made with {', '.join(map(str, store.earlier_revisions))}",
            file=sys.stderr,
        )
    counts = {"points": spec.n_points, "replications": spec.replications, "runs": spec.n_runs}
    start = time.perf_counter()
    new = 0
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(
            total=spec.n_runs,
            initial=spec.n_runs - n_todo,
            unit="run",
            desc="sweep",
            file=sys.stderr,
            dynamic_ncols=True,
            smoothing=0.1,
        )
    in_flight: dict[Future, tuple[int, int, int, dict[str, Any]]] = {}
    window = max(2 * n_workers, n_workers + 2)
    queue = (  # lazily: the coordinator never holds the list of runs
        (p, r, point)
        for p, point in enumerate(iter_points(spec))
        for r in range(spec.replications)
        if (p, r) not in store.done
    )
    last_flush = time.perf_counter()
    flush_interval = MIN_FLUSH_SECONDS
    status = "interrupted"
    try:
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < window:
                item = next(queue, None)
                if item is None:
                    exhausted = True
                    break
                p, r, params = item
                seed = run_seed(spec, p, r)
                future = executor.submit(execute_run, params, seed, spec.steps, spec.timeseries)
                in_flight[future] = (p, r, seed, params)
            if not in_flight:
                break
            finished, _ = wait(list(in_flight), timeout=1.0, return_when=FIRST_COMPLETED)
            for future in finished:
                p, r, seed, params = in_flight.pop(future)
                error = future.exception()
                if error is not None:  # the worker itself failed (e.g. it died), not the model
                    store.add(p, r, seed, params, None, f"{type(error).__name__}: {error}")
                else:
                    outcome = future.result()
                    store.add(p, r, seed, params, outcome["result"], outcome["error"])
                    new += outcome["error"] is None
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(failed=len(store.failed), refresh=False)
            if store.pending and time.perf_counter() - last_flush >= flush_interval:
                began = time.perf_counter()
                store.flush("running", counts)
                last_flush = time.perf_counter()
                flush_interval = max(MIN_FLUSH_SECONDS, FLUSH_COST_FACTOR * (last_flush - began))
        status = "complete" if not store.failed else "complete with failures"
    finally:
        if bar is not None:
            bar.close()
        if status == "interrupted":
            for future in in_flight:
                future.cancel()
        store.flush(status, counts)
    seconds = time.perf_counter() - start
    return SweepSummary(
        total=spec.n_runs,
        done=len(store.done),
        new=new,
        failed=len(store.manifest["failed"]),
        seconds=seconds,
        directory=Path(out),
    )


def _shutdown(executor: Executor) -> None:
    client = getattr(executor, "_netwerkregie_client", None)
    executor.shutdown(wait=True, cancel_futures=True) if client is None else executor.shutdown(wait=False)
    if client is not None:
        client.close()


def describe(spec: SweepSpec) -> str:
    """One line: the design, its points and runs."""
    dims = len(spec.lists) + len(spec.ranges)
    return (
        f"design {spec.kind}: {spec.n_points} points x {spec.replications} replications = {spec.n_runs} runs "
        f"({dims} swept parameter{'s' if dims != 1 else ''}, {spec.steps if spec.steps is not None else 'scenario'} "
        "steps each)"
    )


def main(args: argparse.Namespace) -> int:
    """The ``sweep`` command: validate, run or resume, print a summary. ``InputError`` means bad input (exit 2)."""
    spec = load_spec(args.spec)
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: expected at least 1")
    if args.scheduler is not None:
        from experiments.runner import check_scheduler

        check_scheduler(args.scheduler)
    if args.dry_run:  # every check, no lock, nothing written
        store = ResultStore.open(args.out, spec)
        print(describe(spec))
        if store.done:
            print(f"{len(store.done)} runs already done in {args.out}; {spec.n_runs - len(store.done)} to run")
        return 0
    summary = run_sweep(
        spec, args.out, workers=args.workers, scheduler=args.scheduler, spec_file=str(Path(args.spec).resolve())
    )
    print(describe(spec))
    print(
        f"{summary.new} runs in {summary.seconds:.1f} s ({summary.rate:.1f} runs/s); {summary.done} of "
        f"{summary.total} runs done, {summary.failed} failed; results in {summary.directory}"
    )
    if summary.failed:
        print(f"failed runs and their errors are listed in {summary.directory / 'manifest.json'}")
    return 0
