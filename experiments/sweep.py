"""``netwerkregie sweep SPEC.toml --out DIR``: many runs of the model, resumable, on any executor.

The specification is validated in full (:mod:`experiments.designs`) and the results folder checked
(:mod:`experiments.store`) before anything runs or is written. Runs go to an :class:`experiments.evaluator.Evaluator`:
local processes by default, a Dask cluster with ``--scheduler tcp://HOST:PORT``, or any ``concurrent.futures``
executor from Python. The evaluator hands runs to its workers in batches and keeps only a few batches per worker in
flight, and finished runs are written in batches, so the coordinating process holds neither the whole sweep nor its
results.

A run that raises inside a worker is recorded in the manifest with its parameters and error; the sweep goes on.
Re-running the same command runs only what is missing (including runs that failed before).

One sweep at a time per folder: the sweep holds the folder's lock (:class:`experiments.store.FolderLock`) from
before it reads what is done until its last write, so a second sweep on the same folder is refused (exit status 2,
naming the process that holds it) instead of both rewriting the files; the lock of a killed sweep is taken over.
``--dry-run`` checks everything, takes no lock and writes nothing. Local worker processes end with the sweep
(:func:`experiments.runner.die_with_parent`), and are shut down before the lock is released.

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
import contextlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import Executor  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from experiments.designs import (  # noqa: E402
    CONSTANT_PREFIX,
    SWITCH_PREFIX,
    SweepSpec,
    iter_points,
    load_spec,
    run_seed,
    split_point,
)
from experiments.evaluator import Evaluator  # noqa: E402
from experiments.runner import check_scheduler, run_one  # noqa: E402
from experiments.store import FolderLock, ResultStore  # noqa: E402
from model.inputs import InputError  # noqa: E402

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


def execute_run(
    params: dict[str, Any], seed: int, steps: int | None, timeseries: bool, constants: dict[str, float] | None = None
) -> dict[str, Any]:
    """One run, with an error turned into a result (for callers that submit runs to an executor themselves; the
    sweep lets its :class:`~experiments.evaluator.Evaluator` capture errors).

    Returns ``{"result": ..., "error": None}`` or ``{"result": None, "error": "ExceptionType: message"}``.
    """
    try:
        return {"result": run_one(params, seed, steps, timeseries, constants), "error": None}
    except Exception as e:  # noqa: BLE001 - any failure of a run is recorded, the sweep goes on
        return {"result": None, "error": f"{type(e).__name__}: {e}"}


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: Evaluator | Executor | None = None,
    spec_file: str | None = None,
    progress: bool = True,
) -> SweepSummary:
    """Run (or resume) a sweep into a results folder, holding the folder's lock throughout.

    Args:
        spec: a validated specification.
        out: the results folder (created; resumed if it holds this sweep).
        workers: local worker processes (default: all cores), when neither ``scheduler`` nor ``executor`` is
            given; with a ``concurrent.futures`` executor, how many runs it runs at once (default: the cores).
        scheduler: a Dask scheduler address, ``tcp://HOST:PORT``.
        executor: an :class:`~experiments.evaluator.Evaluator` or any ``concurrent.futures.Executor`` (neither is
            shut down here).
        spec_file: the specification's path, recorded in the manifest.
        progress: show a progress bar on stderr when it is a terminal (an evaluator given shows its own).

    Raises:
        InputError: the folder holds another sweep or damaged results, another sweep is running in it, or the
            scheduler does not answer (nothing is written then).
    """
    ResultStore.open(out, spec)  # refuses a different spec or a damaged folder before anything is written
    if isinstance(executor, Evaluator):
        evaluator, own = executor, False
    else:  # connects to a scheduler now: one that does not answer is refused before anything is written
        evaluator = Evaluator(workers, scheduler, executor=executor, progress="sweep" if progress else None)
        own = True
    try:
        lock = FolderLock(out).acquire()
    except BaseException:
        if own:
            evaluator.close()
        raise
    with lock:
        try:
            store = ResultStore.open(out, spec)  # again, under the lock: what is done now
            return _run(spec, out, store, evaluator, spec_file)
        finally:
            if own:
                evaluator.close()  # before the lock is released: no worker outlives the sweep's hold


def _run(
    spec: SweepSpec, out: str | Path, store: ResultStore, evaluator: Evaluator, spec_file: str | None
) -> SweepSummary:
    n_todo = spec.n_runs - len(store.done)
    store.begin(spec_file, evaluator.description)
    if store.done and store.earlier_revisions:
        print(
            f"netwerkregie: warning: resuming with code revision {store.manifest['git_revision']}, but earlier runs "
            f"in {out} were made with {', '.join(map(str, store.earlier_revisions))}",
            file=sys.stderr,
        )
    counts = {"points": spec.n_points, "replications": spec.replications, "runs": spec.n_runs}
    start = time.perf_counter()
    new = 0
    keys: dict[int, tuple[int, int, int, dict[str, Any]]] = {}  # task index -> (point, replication, seed, point)

    def todo() -> Iterator[tuple]:  # lazily: the coordinator never holds the list of runs
        index = 0
        for p, point in enumerate(iter_points(spec)):
            for r in range(spec.replications):
                if (p, r) in store.done:
                    continue
                seed = run_seed(spec, p, r)
                params, constants = split_point(point)
                keys[index] = (p, r, seed, point)
                index += 1
                yield (params, seed, spec.steps, spec.timeseries, constants or None)

    last_flush = time.perf_counter()
    flush_interval = MIN_FLUSH_SECONDS
    status = "interrupted"
    stream = evaluator.imap_unordered(
        run_one, todo(), capture_errors=True, count=n_todo, already_done=spec.n_runs - n_todo, wake_every=1.0
    )
    try:
        with contextlib.closing(stream):  # leaving early cancels the runs not yet started
            for outcome in stream:
                if outcome is not None:
                    p, r, seed, point = keys.pop(outcome.index)
                    store.add(p, r, seed, point, outcome.result, outcome.error)
                    new += outcome.ok
                if store.pending and time.perf_counter() - last_flush >= flush_interval:
                    began = time.perf_counter()
                    store.flush("running", counts)
                    last_flush = time.perf_counter()
                    flush_interval = max(MIN_FLUSH_SECONDS, FLUSH_COST_FACTOR * (last_flush - began))
        status = "complete" if not store.failed else "complete with failures"
    finally:
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


def describe(spec: SweepSpec) -> str:
    """One line: the design, its points and runs."""
    names = [*spec.lists, *(r.name for r in spec.ranges)]
    constants = sum(name.startswith(CONSTANT_PREFIX) for name in names)
    switches = sum(name.startswith(SWITCH_PREFIX) for name in names)
    dims = len(names) - constants - switches
    swept = f"{dims} swept parameter{'s' if dims != 1 else ''}"
    if constants:
        swept += f", {constants} swept constant{'s' if constants != 1 else ''}"
    if switches:
        swept += f", {switches} switch{'es' if switches != 1 else ''} on and off"
    return (
        f"design {spec.kind}: {spec.n_points} points x {spec.replications} replications = {spec.n_runs} runs "
        f"({swept}, {spec.steps if spec.steps is not None else 'scenario'} steps each)"
    )


def main(args: argparse.Namespace) -> int:
    """The ``sweep`` command: validate, run or resume, print a summary. ``InputError`` means bad input (exit 2)."""
    spec = load_spec(args.spec)
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: expected at least 1")
    if args.scheduler is not None:
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
