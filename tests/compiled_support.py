"""Support for the tests that hold a compiled twin (:mod:`model.compiled`) to its reference function.

``model_states()`` gives models of the reference engine stopped at varied weeks: every built-in scenario, several
strategies, the first version's switches, exits and lead succession, heavy blame, shared governance, a larger
generated network. A twin's test copies a model's state twice (:func:`twin_copies`), calls the reference function
on one copy and the twin on the other with the same inputs, and compares everything the state holds
(:func:`assert_same_state`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import numpy as np

from model import CollaborationModel
from model.evidence import TrustEvidence
from model.state import GoalState, NetworkState
from model.switches import FIRST_VERSION

#: Relative and absolute tolerance of an agreement (the throughput issue's 1e-9 per week).
RTOL = 1e-9
ATOL = 1e-12

#: (name, keyword arguments, weeks to run before the state is taken)
CASES: list[tuple[str, dict[str, Any], int]] = [
    ("jeugdaanpak balanced", {"scenario": "jeugdaanpak", "strategy": "balanced"}, 12),
    ("jeugdaanpak none", {"scenario": "jeugdaanpak", "strategy": "none"}, 30),
    ("gebiedsontwikkeling balanced", {"scenario": "gebiedsontwikkeling", "strategy": "balanced"}, 20),
    ("sociaal_domein relation_focus", {"scenario": "sociaal_domein", "strategy": "relation_focus"}, 15),
    ("synthetic adaptive", {"scenario": "synthetic", "strategy": "adaptive"}, 25),
    ("synthetic 200 task_focus", {"scenario": "synthetic", "n_partners": 200, "strategy": "task_focus"}, 8),
    (
        "lead governance with exits",
        {"scenario": "jeugdaanpak", "governance": "lead", "exit_threshold": 0.45, "strategy": "task_focus"},
        40,
    ),
    ("shared, heavy blame", {"scenario": "sociaal_domein", "governance": "shared", "blame_culture": 0.9}, 20),
    ("first version", {"scenario": "jeugdaanpak", "strategy": "balanced", "switches": FIRST_VERSION}, 20),
    ("week 0", {"scenario": "gebiedsontwikkeling", "strategy": "relation_focus"}, 0),
]


def model_states(seeds: tuple[int, ...] = (3, 11)) -> Iterator[tuple[str, CollaborationModel]]:
    """Models of the reference engine after their case's weeks, one per case and seed."""
    for name, kwargs, weeks in CASES:
        for seed in seeds:
            model = CollaborationModel(rng=seed, engine="reference", **kwargs)
            if weeks:
                model.run_for(weeks)
            yield f"{name}, seed {seed}", model


def twin_copies(model: CollaborationModel) -> tuple[NetworkState, NetworkState]:
    """Two independent deep copies of ``model.state`` (its trust evidence and goals included)."""
    return copy.deepcopy(model.state), copy.deepcopy(model.state)


def _fields(obj: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(obj).items() if isinstance(v, np.ndarray | float | int | bool | np.generic)}


def assert_same(name: str, a: Any, b: Any) -> None:
    """``a`` and ``b`` (arrays or numbers) agree within :data:`RTOL`; integers, booleans and shapes exactly."""
    a_arr, b_arr = np.asarray(a), np.asarray(b)
    assert a_arr.shape == b_arr.shape, f"{name}: shapes {a_arr.shape} and {b_arr.shape}"
    if a_arr.dtype.kind in "fc" or b_arr.dtype.kind in "fc":
        np.testing.assert_allclose(b_arr, a_arr, rtol=RTOL, atol=ATOL, err_msg=name, equal_nan=True)
    else:
        np.testing.assert_array_equal(b_arr, a_arr, err_msg=name)


def assert_same_state(reference: NetworkState, twin: NetworkState) -> None:
    """Every array and number of the two states (and of their trust evidence and goals) agree."""
    pairs: list[tuple[str, Any, Any]] = [("state", reference, twin)]
    if isinstance(reference.trust_evidence, TrustEvidence):
        pairs.append(("trust_evidence", reference.trust_evidence, twin.trust_evidence))
    if isinstance(reference.goals, GoalState):
        pairs.append(("goals", reference.goals, twin.goals))
    for where, a, b in pairs:
        fa, fb = _fields(a), _fields(b)
        assert sorted(fa) == sorted(fb), f"{where}: attributes differ: {sorted(set(fa) ^ set(fb))}"
        for key in fa:
            assert_same(f"{where}.{key}", fa[key], fb[key])


def _entry(e: dict[str, Any]) -> tuple[Any, ...]:
    targets = None if e["targets"] is None else (np.asarray(e["targets"]).dtype.kind, list(np.asarray(e["targets"])))
    return e["step"], e["intervention"], e["effect"], e["hours"], targets


def assert_same_run(ref: CollaborationModel, twin: CollaborationModel, what: str) -> None:
    """Two whole runs agree: every week's metrics within :data:`RTOL`; events, counts, the lead, the director's log
    (with hours and targets) exactly; the final state (:func:`assert_same_state`)."""
    a = ref.datacollector.get_model_vars_dataframe()
    b = twin.datacollector.get_model_vars_dataframe()
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for column in a.columns:
        np.testing.assert_allclose(
            b[column].to_numpy(float),
            a[column].to_numpy(float),
            rtol=RTOL,
            atol=ATOL,
            equal_nan=True,
            err_msg=f"{what}: {column}",
        )
    assert twin.events == ref.events, f"{what}: events differ"
    assert twin.counts == ref.counts, what
    assert twin.lead == ref.lead, what
    assert [_entry(e) for e in twin.director.log] == [_entry(e) for e in ref.director.log], what
    assert_same_state(ref.state, twin.state)
