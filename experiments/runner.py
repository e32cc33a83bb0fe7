"""Running single models for experiments: one picklable function per run, and the executors that run many.

``run_one`` is the unit of work of sweeps, pattern validation and what-if comparisons. It returns only what is
asked: the final value of every metric, and the per-tick metrics when ``timeseries`` is true; never agent rows.

This module sits near the bottom of ``experiments/``: it imports nothing of the project but :mod:`model`. The
executors are made here (:func:`local_executor` for worker processes on this machine, :func:`connect` for a Dask
cluster); :class:`experiments.evaluator.Evaluator` builds on them and is what sweeps and comparisons use.
:func:`make_executor` remains for callers that want a bare ``concurrent.futures`` executor.

Local worker processes end with the process that started them: when a sweep's coordinator is killed (``kill -9``,
the out-of-memory killer), its workers exit within a second or so instead of working through their queue for
minutes (:func:`die_with_parent`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from model import METRICS, CollaborationModel
from model.inputs import InputError

if TYPE_CHECKING:
    from distributed import Client

PARENT_POLL_SECONDS = 0.5  # how often a worker checks that its parent is alive (where prctl is not available)
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
SCHEDULER_SCHEMES = ("tcp", "tls", "ucx", "ws", "wss")
SCHEDULER_ADDRESS = re.compile(
    r"^(?:(?P<scheme>[a-z][a-z0-9+]*)://)?(?:\[[0-9a-f:.]+\]|[^\s/:\[\]@]+):(?P<port>\d{1,5})/?$", re.I
)


def run_one(
    params: dict[str, Any],
    seed: int,
    steps: int | None = None,
    timeseries: bool = False,
    constants: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Run one model and return ``{"final": {metric: value}, "timeseries": ndarray | None, "steps", "wall_s"}``.

    ``params`` are model keyword arguments (``scenario`` may be a name, a path or a :class:`model.Scenario`);
    ``steps`` defaults to the scenario's horizon; ``constants`` overrides calibration constants
    (``CollaborationModel(constants=...)``, :mod:`model.constants`). The time series is a float array of shape
    (steps + 1, metrics) in the order of :data:`model.METRICS` (compact to ship between processes).
    """
    start = time.perf_counter()
    model = CollaborationModel(rng=int(seed), constants=constants, **params)
    horizon = model.scenario_spec.steps if steps is None else int(steps)
    model.run_for(horizon)
    df = model.datacollector.get_model_vars_dataframe()
    final = {name: float(df[name].iloc[-1]) for name in METRICS}
    series = df[METRICS].to_numpy(dtype=float) if timeseries else None
    return {"final": final, "timeseries": series, "steps": horizon, "wall_s": time.perf_counter() - start}


def derive_seed(base_seed: int, *keys: int) -> int:
    """A seed derived deterministically from a base seed and integer keys (SeedSequence), as a 63-bit integer."""
    return int(
        np.random.SeedSequence([int(base_seed), *map(int, keys)]).generate_state(2, np.uint32).view(np.uint64)[0]
        >> np.uint64(1)
    )


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def die_with_parent(parent_pid: int) -> None:
    """Make this (worker) process end when the process ``parent_pid`` that started it ends.

    The initializer of local worker processes. On Linux the kernel kills the worker when its parent dies
    (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); everywhere, a daemon thread also checks every
    :data:`PARENT_POLL_SECONDS` that the parent is still there (a worker whose parent died gets a new parent
    process id) and ends the worker with ``os._exit`` when it is not.

    Linux sends the signal when the *thread* that started the worker ends: start workers (the first ``submit``)
    from a thread that lives as long as the executor, as the command line does from its main thread.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="netwerkregie-parent-watch", daemon=True).start()


def check_scheduler(address: Any) -> str:
    """A Dask scheduler address as given to ``--scheduler``: ``tcp://HOST:PORT`` (``tls``, ``ucx``, ``ws`` and
    ``wss`` too, or ``HOST:PORT`` for tcp); anything else is an :class:`InputError`."""
    shown = repr(address) if len(repr(address)) <= 60 else repr(address)[:57] + "..."
    match = SCHEDULER_ADDRESS.match(address.strip()) if isinstance(address, str) and len(address) <= 300 else None
    if match is None:
        raise InputError(f"--scheduler {shown}: expected a Dask scheduler address, tcp://HOST:PORT")
    scheme = (match["scheme"] or "tcp").lower()
    if scheme not in SCHEDULER_SCHEMES:
        raise InputError(
            f"--scheduler {shown}: unknown protocol {scheme!r}; expected one of {', '.join(SCHEDULER_SCHEMES)}"
        )
    if not 1 <= int(match["port"]) <= 65535:
        raise InputError(f"--scheduler {shown}: port {match['port']} is outside 1 to 65535")
    return address.strip()


def local_executor(workers: int | None = None) -> ProcessPoolExecutor:
    """``workers`` local worker processes (default: every core), ``spawn``-ed, each ending with this process
    (:func:`die_with_parent`).

    Raises:
        InputError: ``workers`` is not positive.
    """
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: expected at least 1")
    return ProcessPoolExecutor(
        max_workers=workers or default_workers(),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def connect(scheduler: str) -> Client:
    """A client of the Dask scheduler at ``scheduler`` (``tcp://HOST:PORT``), waiting at most 10 s for an answer.

    Raises:
        InputError: the address is malformed, refused by Dask, or the scheduler does not answer.
    """
    scheduler = check_scheduler(scheduler)
    from distributed import Client  # heavy: only when a cluster is asked for

    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as e:
        raise InputError(f"Dask scheduler {scheduler} does not answer ({type(e).__name__})") from None
    except ValueError as e:  # an address Dask refuses
        raise InputError(f"--scheduler {scheduler!r}: {e}") from None


class ClusterExecutor(Executor):
    """A Dask cluster's ``concurrent.futures`` executor that closes its client when it is shut down.

    Attributes:
        client: the ``distributed.Client`` it submits through.
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self._executor = client.get_executor(pure=False)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Wait for (or, with ``cancel_futures``, cancel) what was submitted, then close the client."""
        self._executor.shutdown(wait=wait and not cancel_futures)
        self.client.close()


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """A ``concurrent.futures`` executor: local processes (:func:`local_executor`, default all cores) or a Dask
    cluster's (:class:`ClusterExecutor`, whose ``shutdown`` closes its client).

    Sweeps and comparisons use :class:`experiments.evaluator.Evaluator`, which owns its executor and shuts it down;
    this function remains for callers that want a bare executor.

    Raises:
        InputError: the scheduler address is malformed, the Dask scheduler does not answer (within 10 s), or
            ``workers`` is not positive.
    """
    if scheduler:
        return ClusterExecutor(connect(scheduler))
    return local_executor(workers)
