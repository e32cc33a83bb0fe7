"""Running single models for experiments: one picklable function per run, and executors to run many.

``run_one`` is the unit of work of sweeps, pattern validation and what-if comparisons. It returns only what is
asked: the final value of every metric, and the per-tick metrics when ``timeseries`` is true; never agent rows.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np


def run_one(params: dict[str, Any], seed: int, steps: int | None = None, timeseries: bool = False) -> dict[str, Any]:
    """Run one model and return ``{"final": {metric: value}, "timeseries": ndarray | None, "steps", "wall_s"}``.

    ``params`` are model keyword arguments (``scenario`` may be a name, a path or a :class:`model.Scenario`);
    ``steps`` defaults to the scenario's horizon. The time series is a float array of shape (steps + 1, metrics)
    in the order of :data:`model.METRICS` (compact to ship between processes).
    """
    from model import METRICS, CollaborationModel

    start = time.perf_counter()
    model = CollaborationModel(rng=int(seed), **params)
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


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """A ``concurrent.futures`` executor: local processes (default all cores) or a Dask cluster's executor.

    Raises:
        ValueError: the Dask scheduler does not answer (within 10 s), or ``workers`` is not positive.
    """
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as e:
            raise ValueError(f"Dask scheduler {scheduler} does not answer ({type(e).__name__})") from None
        executor = client.get_executor()
        executor._netwerkregie_client = client  # keep the client alive as long as the executor
        return executor
    if workers is not None and workers < 1:
        raise ValueError(f"--workers {workers}: expected at least 1")
    import multiprocessing

    return ProcessPoolExecutor(
        max_workers=workers or default_workers(), mp_context=multiprocessing.get_context("spawn")
    )
