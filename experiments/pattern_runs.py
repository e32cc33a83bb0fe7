"""Running the patterns' experiments: every arm's replications as unique tasks, run in batches on an evaluator,
and the rule by which a check holds.

Shared by the validation (:mod:`experiments.validate`) and the ablation (:mod:`experiments.ablation`), which both
lay out a set of patterns' runs, hand them to :class:`experiments.evaluator.Evaluator` and judge the rows alike.
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from experiments import patterns as pt
from experiments.evaluator import Evaluator
from experiments.runner import derive_seed

BATCH = 12


def run_batch(tasks: list[tuple[dict[str, Any], int, int | None, str]]) -> list[dict[str, Any]]:
    """Run several replications in one worker call (less overhead per run)."""
    return [pt.run_task(*task) for task in tasks]


def seeds_of(cfg: pt.Config, replications: int | None = None) -> list[int]:
    """The seeds of the replications (the configuration's ``seeds`` unless told otherwise)."""
    return [derive_seed(cfg.base_seed, k) for k in range(cfg.seeds if replications is None else replications)]


def collect_tasks(
    cfg: pt.Config, patterns: Sequence[pt.Pattern]
) -> tuple[dict[str, tuple], dict[tuple[str, str, str], list[str]]]:
    """Unique runs (by key) and, per (pattern, scenario, arm), the keys of its replications in seed order."""
    tasks: dict[str, tuple] = {}
    layout: dict[tuple[str, str, str], list[str]] = {}
    for pattern in patterns:
        seeds = seeds_of(cfg, pattern.replications(cfg))
        for scenario in pattern.scenarios:
            for arm in pattern.arms(scenario, cfg):
                keys = []
                for seed in seeds:
                    key = arm.key(seed, cfg.horizon(scenario))
                    steps = arm.steps if arm.steps is not None else cfg.horizon(scenario)
                    tasks.setdefault(key, (arm.params, seed, steps, arm.kind))
                    keys.append(key)
                layout[(pattern.key, scenario, arm.name)] = keys
    return tasks, layout


def execute(
    tasks: dict[str, tuple], workers: int | None, progress: bool = True, evaluator: Evaluator | None = None
) -> dict[str, dict[str, Any]]:
    """Run every task, :data:`BATCH` replications per worker call, on an evaluator (default: one on ``workers``
    local processes, closed at the end); returns results by key."""
    keys = list(tasks)
    # long runs first, so the pool stays busy to the end
    keys.sort(key=lambda k: (tasks[k][3] == "snapshot", tasks[k][0].get("scenario") == "synthetic"), reverse=True)
    batches = [keys[i : i + BATCH] for i in range(0, len(keys), BATCH)]
    results: dict[str, dict[str, Any]] = {}
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        if evaluator is None:
            evaluator = stack.enter_context(Evaluator(workers, batch=1))  # one batch of BATCH runs per call
        done = 0
        for outcome in evaluator.imap_unordered(run_batch, [([tasks[k] for k in batch],) for batch in batches]):
            batch = batches[outcome.index]
            for key, out in zip(batch, outcome.result, strict=True):
                results[key] = out
            done += len(batch)
            if progress and sys.stderr.isatty():
                rate = done / max(time.perf_counter() - start, 1e-9)
                print(f"\r  {done}/{len(keys)} runs, {rate:.1f}/s", end="", file=sys.stderr, flush=True)
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    return results


def results_by_pattern(
    results: dict[str, dict[str, Any]], layout: dict[tuple[str, str, str], list[str]]
) -> dict[str, dict[str, dict[str, list]]]:
    """The results of :func:`execute` laid out by pattern -> scenario -> arm, replications in seed order."""
    by_pattern: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(dict))
    for (pkey, scenario, arm), keys in layout.items():
        by_pattern[pkey][scenario][arm] = [results[k] for k in keys]
    return by_pattern


def judge(rows: Sequence[pt.Row]) -> None:
    """Correct the rows' p-values together (Holm) and decide each row: it holds when its Holm-adjusted p-value is at
    most :data:`~experiments.patterns.common.ALPHA` (a row without a test needs none), its own criterion is met and
    its effect clears its smallest effect of interest."""
    tested = [r for r in rows if math.isfinite(r.p_value)]
    for r, p in zip(tested, pt.holm([r.p_value for r in tested]), strict=True):
        r.p_holm = float(p)
    for r in rows:
        significant = r.p_holm <= pt.ALPHA if math.isfinite(r.p_value) else True
        r.holds = bool(significant and r.criterion and r.clears)
