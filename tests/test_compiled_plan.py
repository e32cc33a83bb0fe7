"""The compiled plan (:mod:`model.compiled.plan`) gives the reference's plan (:func:`model.strategies.plan`).

Every strategy on every state of ``model_states()`` and on randomised states (ties in trust and understanding,
NaNs, partners left, the director's goals present or absent, board and work floor on or off, every governance,
hours 0, 1 and 40, random custom shares): the same interventions in the same order, the same hours, the same
targets (dtype, order, values), and neither function changes the state.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from model import CollaborationModel
from model.compiled import plan as twin_module
from model.compiled import submodels
from model.compiled.plan import plan as twin_plan
from model.constants import DECLARED
from model.inputs import InputError
from model.interventions import INTERVENTIONS
from model.state import NetworkState
from model.strategies import concept_shortfalls
from model.strategies import plan as reference_plan
from tests.compiled_support import assert_same, assert_same_state, model_states, twin_copies

STRATEGIES = ("balanced", "relation_focus", "task_focus", "adaptive", "custom", "none", "manual")
HOURS = (0.0, 1.0, 40.0)


def assert_same_plan(where: str, reference: list, twin: list) -> None:
    """Item by item: the same intervention, the same hours (exactly), the same targets (None, or arrays of the
    same dtype, shape and values)."""
    assert [item[0] for item in twin] == [item[0] for item in reference], f"{where}: interventions differ"
    for k, ((_, h_ref, t_ref), (iv, h_twin, t_twin)) in enumerate(zip(reference, twin, strict=True)):
        assert h_twin == h_ref, f"{where}, item {k} ({iv}): hours {h_twin!r} and {h_ref!r}"
        assert type(h_twin) is type(h_ref), f"{where}, item {k} ({iv}): hours of another type"
        if t_ref is None:
            assert t_twin is None, f"{where}, item {k} ({iv}): targets where the reference has none"
            continue
        assert isinstance(t_twin, np.ndarray), f"{where}, item {k} ({iv}): targets are no array"
        assert t_twin.dtype == t_ref.dtype, f"{where}, item {k} ({iv}): dtype {t_twin.dtype} and {t_ref.dtype}"
        np.testing.assert_array_equal(t_twin, t_ref, err_msg=f"{where}, item {k} ({iv})", strict=True)


def compare(
    where: str,
    strategy: str,
    states: tuple[NetworkState, NetworkState],
    hours: float,
    params: dict[str, Any],
    metrics: dict[str, float],
    covenant_done: bool,
    constants: Any,
) -> list:
    """Plan with the reference on the first of two copies of a state and with the twin on the second: the plans
    must agree (the states are compared once their plans are done, see :func:`unchanged`)."""
    expected = reference_plan(strategy, states[0], hours, params, metrics, covenant_done, constants)
    got = twin_plan(strategy, states[1], hours, params, metrics, covenant_done, constants)
    assert_same_plan(where, expected, got)
    if strategy == "adaptive":  # the shortfalls behind the ranking, not only the ranking
        if constants is None:
            constants = DECLARED
        gaps = concept_shortfalls(states[0], metrics, params, constants)
        twin_gaps = twin_module._shortfalls(states[1], metrics, params, constants)
        assert list(twin_gaps) == list(gaps), where
        for concept, gap in gaps.items():
            assert_same(f"{where}: shortfall of {concept}", gap, twin_gaps[concept])
    return expected


def unchanged(state: NetworkState, states: tuple[NetworkState, NetworkState]) -> None:
    """Neither plan changed its copy of ``state``."""
    assert_same_state(state, states[0])
    assert_same_state(state, states[1])


def custom_params(params: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """``params`` with random custom shares: some interventions at 0 or below, personal contact often large."""
    out = dict(params)
    for iv in INTERVENTIONS:
        out[f"alloc_{iv}"] = float(rng.choice([0.0, -0.1, rng.random(), 1.0]))
    if rng.random() < 0.5:
        out["alloc_personal_contact"] = 5.0  # more contacts than some networks have relations
    return out


def test_the_twin_is_the_compiled_engines_plan():
    assert submodels.plan is twin_plan


def test_every_strategy_on_every_model_state():
    rng = np.random.default_rng(13)
    seen = {"personal_contact": 0, "vision_session": 0, "steer_own_goals": 0}
    for name, model in model_states():
        params = dict(model.params)
        if model.state.goals is not None:
            params["steering_share"] = 0.3
        states = twin_copies(model)
        for strategy in STRATEGIES:
            for hours in (*HOURS, model.director.weekly_hours()):
                for covenant_done in (False, True):
                    p = custom_params(params, rng) if strategy == "custom" else params
                    plan = compare(
                        f"{name}, {strategy}, {hours} h, covenant {covenant_done}",
                        strategy,
                        states,
                        hours,
                        p,
                        model.last_metrics,
                        covenant_done,
                        model.constants,
                    )
                    for iv, _, _ in plan:
                        if iv in seen:
                            seen[iv] += 1
        unchanged(model.state, states)
    assert all(count > 0 for count in seen.values()), seen  # the targets and steering were exercised


def _randomised(model: CollaborationModel, rng: np.random.Generator) -> NetworkState:
    """A copy of the model's state with evidence and understanding perturbed (often onto a coarse grid, so that
    relations and partners tie), sometimes NaNs, partners left, goals dropped, layers on or off."""
    state = copy.deepcopy(model.state)
    ev = state.trust_evidence
    m = state.m
    grid = rng.random() < 0.5
    r = rng.choice([0.0, 1.0, 2.0], m) if grid else rng.random(m) * 5
    s = rng.choice([0.0, 1.0], m) if grid else rng.random(m) * 5
    ev.r[:] = r
    ev.s[:] = s
    state.understanding[:] = rng.choice([0.0, 0.5, 1.0], m) if rng.random() < 0.5 else rng.random(m)
    if rng.random() < 0.2:
        ev.r[rng.random(m) < 0.1] = np.nan
    if rng.random() < 0.2:
        state.understanding[rng.random(m) < 0.2] = np.nan
    if rng.random() < 0.2:
        state.understanding[:] = np.nan
    leaving = rng.random()
    if leaving < 0.6:
        count = int(rng.integers(1, state.n + 1)) if leaving < 0.15 else int(rng.integers(1, max(2, state.n // 3)))
        for i in rng.choice(state.n, size=min(count, state.n), replace=False):
            state.deactivate(int(i))
    if rng.random() < 0.4:
        state.goals = None
    state.switches["layers"] = bool(rng.random() < 0.5)
    state.alignment[:] = rng.random(state.n)
    state.power[:] = rng.choice([0.2, 0.5, 1.0], state.n) if grid else rng.random(state.n)
    return state


def _metrics(model: CollaborationModel, rng: np.random.Generator) -> dict[str, float]:
    """Last week's metrics, some of them changed, missing or NaN."""
    metrics = dict(model.last_metrics)
    for concept in ("trust", "respect", "equality", "freedom", "accountability", "transparency"):
        u = rng.random()
        if u < 0.2:
            metrics.pop(concept, None)
        elif u < 0.35:
            metrics[concept] = float("nan")
        elif u < 0.6:
            metrics[concept] = float(rng.random())
        elif u < 0.7:
            metrics[concept] = 1.0
    return metrics


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scenario": "jeugdaanpak"},
        {"scenario": "gebiedsontwikkeling", "governance": "lead"},
        {"scenario": "sociaal_domein", "governance": "shared"},
        {"scenario": "synthetic", "n_partners": 300},  # at least 256 partners and relations: the sorts' long path
    ],
    ids=lambda kw: "-".join(str(v) for v in kw.values()),
)
def test_randomised_states(kwargs):
    rng = np.random.default_rng(2026)
    model = CollaborationModel(rng=7, engine="reference", **kwargs)
    model.run_for(3)
    rounds = 12 if kwargs.get("n_partners") else 50
    for round_ in range(rounds):
        state = _randomised(model, rng)
        params = dict(model.params)
        params["steering_share"] = float(rng.choice([0.0, 0.3, 1.0]))
        params["frame_clarity"] = float(rng.random())
        params["procedure_equality"] = float(rng.random())
        metrics = _metrics(model, rng)
        constants = dict(model.constants)
        constants["adaptive_first_share"] = float(rng.choice([0.6, 0.5, 1.0]))
        states = (copy.deepcopy(state), copy.deepcopy(state))
        for strategy in STRATEGIES:
            for hours in (*HOURS, float(rng.random() * 60)):
                p = custom_params(params, rng) if strategy == "custom" else params
                compare(
                    f"{kwargs}, round {round_}, {strategy}, {hours} h",
                    strategy,
                    states,
                    hours,
                    p,
                    metrics,
                    bool(rng.random() < 0.5),
                    constants,
                )
        unchanged(state, states)


def test_without_constants_both_use_the_declared_ones():
    model = CollaborationModel(rng=1, scenario="jeugdaanpak", strategy="adaptive", engine="reference")
    model.run_for(5)
    states = twin_copies(model)
    compare("declared", "adaptive", states, 40.0, model.params, model.last_metrics, True, None)


def test_an_unknown_strategy_is_refused_as_the_reference_refuses_it():
    model = CollaborationModel(rng=1, scenario="gebiedsontwikkeling", engine="reference")
    state = model.state
    with pytest.raises(InputError) as expected:
        reference_plan("turbo", state, 40.0, model.params, {}, False)
    with pytest.raises(InputError) as got:
        twin_plan("turbo", state, 40.0, model.params, {}, False)
    assert str(got.value) == str(expected.value)
    # steering that takes every hour leaves nothing to plan: no error in either
    params = dict(model.params, steering_share=1.0)
    assert state.goals is not None
    assert twin_plan("turbo", state, 40.0, params, {}, False) == reference_plan("turbo", state, 40.0, params, {}, False)


def test_weakest_relations_tie_in_index_order():
    model = CollaborationModel(rng=2, scenario="jeugdaanpak", engine="reference")
    state = model.state
    state.trust_evidence.r[:] = 1.0  # every relation equally trusted
    state.trust_evidence.s[:] = 1.0
    got = twin_plan("custom", state, 6.0, dict(model.params, alloc_personal_contact=1.0), {}, True)
    first = [int(e) for e in np.flatnonzero(state.src < state.dst)[:3]]
    assert [(iv, h) for iv, h, _ in got] == [("personal_contact", 2)] * 3
    assert [tuple(t) for _, _, t in got] == [(int(state.src[e]), int(state.dst[e])) for e in first]


@pytest.mark.parametrize("size", [0, 1, 2, 7, 40, 300])
def test_the_selections_are_the_first_of_a_stable_sort(size):
    rng = np.random.default_rng(size)
    for _ in range(30):
        x = rng.choice([0.0, -0.0, 0.25, 1.0, np.nan], size) if rng.random() < 0.5 else rng.random(size)
        order = np.argsort(x, kind="stable")
        for count in {0, 1, 2, size // 2, size, size + 3}:
            np.testing.assert_array_equal(twin_module._first_by_value(x, count), order[:count], strict=True)
            np.testing.assert_array_equal(twin_module._first_set(x, count), np.sort(order[:count]), strict=True)
