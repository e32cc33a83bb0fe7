"""The model as an EMA Workbench (``ema_workbench`` 3.x) model: exploratory modelling with its samplers and tools.

:func:`ema_model` builds a ``ReplicatorModel`` whose

- uncertainties come from the parameter declarations (:data:`model.parameters.PARAMETERS`): a number becomes a
  ``RealParameter`` or ``IntegerParameter`` over its declared range (or a narrower range you give), a choice a
  ``CategoricalParameter``, a switch a ``BooleanParameter``;
- outcomes are the model's metrics (:data:`model.METRICS`), the final value of each run. With replications each
  outcome is an ``ArrayOutcome`` holding one value per replication (average them yourself, or pass
  ``aggregate=numpy.mean`` to get ``ScalarOutcome`` s named ``<metric>_mean``: the workbench keeps one outcome
  class per name in a process, so aggregated outcomes carry the aggregate's name); an aggregated outcome is to be
  maximised, minimised or only reported as its metric's declared direction (:mod:`model.metrics`), so the
  workbench's optimisers know which way is better;
- replications are seeds ``experiments.runner.derive_seed(seed, replication)``: the same seeds for every
  experiment (common random numbers), so differences between experiments are not noise between seeds;
- constants are the scenario (named ``network``: the workbench's experiments table uses ``scenario`` for its own
  sample names) and the number of weeks.

Example::

    from ema_workbench import perform_experiments
    from experiments.ema import ema_model

    model = ema_model("sociaal_domein", ["blame_culture", "sharing_rate"], replications=5, steps=52)
    experiments, outcomes = perform_experiments(model, scenarios=50)   # Latin hypercube by default
    outcomes["task_progress"].shape                                      # (50, 5): experiments x replications

``ema_workbench`` is an optional dependency: ``uv sync --extra ema`` (it is also in the dev group).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from experiments.runner import derive_seed, run_one
from model import METRICS, load_scenario
from model.inputs import InputError
from model.metrics import HIGHER, LOWER, NEUTRAL, metric
from model.parameters import PARAMETERS, names_in

DEFAULT_UNCERTAINTIES = names_in("network", "trust", "director")


def _workbench() -> Any:
    with warnings.catch_warnings():
        # ema_workbench 3.0 warns at import time that the optional ipyparallel package is missing; the adapter does
        # not use the ipyparallel evaluator.
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        import ema_workbench
    return ema_workbench


def run_for_ema(network: str, steps: int | None, seed: int, **params: Any) -> dict[str, float]:
    """One run for the workbench: the scenario (``network``), weeks, seed and parameters in, final metrics out.

    The scenario is passed as ``network`` because the workbench uses ``scenario`` for its own sample names.
    """
    return run_one({"scenario": network, **params}, seed, steps, timeseries=False)["final"]


def uncertainty(name: str, low: float | None = None, high: float | None = None) -> Any:
    """The workbench parameter for one declared model parameter (optionally a narrower numeric range).

    Raises:
        ValueError: an unknown or non-sweepable parameter, or a range outside the declaration.
    """
    wb = _workbench()
    decl = PARAMETERS.get(name)
    if decl is None or not decl.sweepable or decl.kind == "str":
        raise InputError(
            f"parameter {name!r} cannot be an uncertainty; choose numbers, choices or switches from "
            f"{', '.join(n for n, p in PARAMETERS.items() if p.sweepable and p.kind != 'str')}"
        )
    if decl.kind == "choice":
        return wb.CategoricalParameter(name, list(decl.choices))
    if decl.kind == "bool":
        return wb.BooleanParameter(name)
    lo = decl.validate(decl.low if low is None else low)
    hi = decl.validate(decl.high if high is None else high)
    if not lo < hi:
        raise InputError(f"parameter {name}: range {lo!r}..{hi!r} is empty")
    if decl.kind == "int":
        return wb.IntegerParameter(name, int(lo), int(hi))
    return wb.RealParameter(name, float(lo), float(hi))


def ema_model(
    scenario: str = "jeugdaanpak",
    uncertainties: Sequence[str | tuple[str, float, float]] = DEFAULT_UNCERTAINTIES,
    *,
    steps: int | None = None,
    replications: int = 10,
    seed: int = 1,
    metrics: Sequence[str] | None = None,
    aggregate: Callable[[Any], float] | None = None,
    name: str = "netwerkregie",
) -> Any:
    """An ``ema_workbench.ReplicatorModel`` of the collaboration model.

    Args:
        scenario: a built-in scenario name or a scenario file.
        uncertainties: parameter names (their declared range), or ``(name, low, high)`` for a narrower range.
        steps: weeks per run (default: the scenario's horizon).
        replications: seeds per experiment.
        seed: base seed of the replications.
        metrics: outcomes (default: every metric).
        aggregate: if given (e.g. ``numpy.mean``), each outcome is one number per experiment instead of one per
            replication, named ``<metric>_<aggregate name>`` (``trust_mean``).
        name: the workbench model's name.

    Raises:
        ValueError: an unknown scenario, parameter or metric, or fewer than one replication.
    """
    wb = _workbench()
    try:
        load_scenario(scenario)
    except FileNotFoundError as e:
        raise InputError(str(e)) from None
    if replications < 1:
        raise InputError(f"replications = {replications}: expected at least 1")
    metrics = list(metrics or METRICS)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise InputError(f"{unknown[0]!r} is not a metric; expected one of {', '.join(METRICS)}")
    model = wb.ReplicatorModel(name, function=run_for_ema)
    model.uncertainties = [uncertainty(u) if isinstance(u, str) else uncertainty(*u) for u in uncertainties]
    model.constants = [wb.Constant("network", scenario), wb.Constant("steps", steps)]
    if aggregate is None:
        model.outcomes = [wb.ArrayOutcome(m) for m in metrics]
    else:
        suffix = getattr(aggregate, "__name__", "aggregate")
        kinds = {HIGHER: wb.ScalarOutcome.MAXIMIZE, LOWER: wb.ScalarOutcome.MINIMIZE, NEUTRAL: wb.ScalarOutcome.INFO}
        model.outcomes = [
            wb.ScalarOutcome(f"{m}_{suffix}", kind=kinds[metric(m).direction], variable_name=m, function=aggregate)
            for m in metrics
        ]
    model.replications = [{"seed": derive_seed(seed, r)} for r in range(replications)]
    return model
