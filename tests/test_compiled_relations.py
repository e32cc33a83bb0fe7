"""The compiled twins of the relationship updates and the week's close (:mod:`model.compiled.relations`) give their
reference's outputs and effect on the state, on real states (:func:`tests.compiled_support.model_states`) and on
randomised ones: partners about to leave, switches off, goals with random pressure, partners who left, nobody
active, eight value dimensions."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from model.compiled import reference as ref
from model.compiled import relations as twin
from model.compiled import submodels as compiled
from model.state import NetworkState
from model.submodels import task_rate as reference_task_rate
from tests.compiled_support import CASES, assert_same, assert_same_state, model_states

PROGRESS_WEEKS = 104.0


def _randomised(state: NetworkState, params: dict[str, Any], rng: np.random.Generator, kind: str) -> None:
    """Change ``state`` (a copy) and ``params`` in place for a randomised case ``kind``."""
    st = state
    n, m = st.n, st.m
    if kind in ("leaving", "perturbed", "switches off", "some left", "nobody", "wide values"):
        st.commitment = rng.random(n)
        st.equality = rng.random(n)
        st.freedom = rng.random(n)
        st.penalty = rng.random(n) * 0.5
        st.respect = rng.random(m)
        st.understanding = rng.random(m)
        st.recognition = rng.random(n)
        st.low_commitment_weeks = rng.integers(0, 6, n)
        st.alignment = rng.random(n)
        st.floor_frame_clarity = rng.random(n)
        st.floor_procedure_equality = rng.random(n)
        st.blame, st.frame_clarity = float(rng.random()), float(rng.random())
        st.info_structure, st.procedure_equality = float(rng.random()), float(rng.random())
        ev = st.trust_evidence
        ev.positive, ev.negative = rng.random(m) * 2, rng.random(m) * 3
        ev.board_positive, ev.board_negative = rng.random(m), rng.random(m)
    if kind == "leaving":  # commitment far below the threshold, patience nearly used up
        params["exit_threshold"] = 0.95
        params["exit_patience"] = 3
        st.low_commitment_weeks = rng.integers(0, 4, n)
    if kind == "switches off":
        st.switches = dict(st.switches, dependency=False, layers=False, freedom=False)
    if kind == "some left":
        for i in rng.choice(n, size=max(1, n // 3), replace=False):
            st.deactivate(int(i))
        params["exit_threshold"] = 0.8
    if kind == "nobody":
        for i in range(n):
            st.deactivate(i)
    if kind == "wide values":  # eight value dimensions: the distance is numpy's pairwise sum (the state's cache)
        st.values = rng.random((n, 9))
    if kind == "goals" and st.goals is not None:
        g = st.goals
        g.week_dose, g.pressure, g.progress, g.week_advance = (float(x) for x in rng.random(4))
        st.tick = int(rng.integers(0, 60))
        st.commitment = rng.random(n)


KINDS = ("perturbed", "leaving", "switches off", "some left", "nobody", "wide values", "goals")


SEEDS = (3, 11)


@functools.cache
def _states() -> list[tuple[str, NetworkState, dict[str, Any], float]]:
    """(name, state, params, visible progress): every model state, then randomised copies of each (built once, on
    first use: collecting the tests costs nothing)."""
    rng = np.random.default_rng(2026)
    states = []
    for name, model in model_states(SEEDS):
        progress = float(model.last_metrics["task_rate"])
        states.append((name, model.state, dict(model.params), progress))
        for kind in KINDS:
            state = copy.deepcopy(model.state)
            params = dict(model.params)
            _randomised(state, params, rng, kind)
            states.append((f"{name}, {kind}", state, params, float(rng.uniform(-0.2, 1.3))))
    return states


IDS = [
    f"{name}, seed {seed}{suffix}"
    for name, _, _ in CASES
    for seed in SEEDS
    for suffix in ("", *(f", {k}" for k in KINDS))
]
CASE = list(range(len(IDS)))
UNCHANGED = CASE[:: len(KINDS) + 1]  # the model states as they are


def _case(index: int) -> tuple[str, NetworkState, dict[str, Any], float]:
    case = _states()[index]
    assert case[0] == IDS[index]
    return case


def _pair(state: NetworkState) -> tuple[NetworkState, NetworkState]:
    return copy.deepcopy(state), copy.deepcopy(state)


def _both(state: NetworkState, call: Callable[[Any, NetworkState], Any]) -> None:
    """``call(module, state_copy)`` with the reference and the twins on two copies: the same result and state."""
    a, b = _pair(state)
    result_a, result_b = call(ref, a), call(twin, b)
    if isinstance(result_a, np.ndarray):
        assert result_b.dtype == result_a.dtype
        np.testing.assert_array_equal(result_b, result_a)
    else:
        assert type(result_b) is type(result_a)
        assert_same("result", result_a, result_b)
    assert_same_state(a, b)


@pytest.mark.parametrize("index", CASE, ids=IDS)
def test_relationships(index):
    _, state, params, progress = _case(index)
    const = state.constants
    _both(state, lambda mod, st: mod.relationships(st, params, const, st.trust(), progress))


@pytest.mark.parametrize("index", CASE, ids=IDS)
def test_align_layers_relax_levels_and_settling(index):
    _, state, params, _ = _case(index)
    const = state.constants
    _both(state, lambda mod, st: mod.align_layers(st, params, const, st.trust(), st.trust_evidence))
    _both(state, lambda mod, st: mod.relax_levels(st, params, const))
    _both(state, lambda mod, st: mod.settle(st.trust_evidence, params["evidence_retention"]))
    _both(state, lambda mod, st: mod.settle_board(st.trust_evidence, 0.8))


@pytest.mark.parametrize("index", CASE, ids=IDS)
def test_task_rate_and_goals(index):
    _, state, _, progress = _case(index)
    const = state.constants
    for output, setback in ((3.5, 0.5), (0.2, 1.0), (progress * 7, 0.0)):
        _both(state, lambda mod, st, o=output, s=setback: mod.task_rate(st, o, s, 2.5))
    _both(state, lambda mod, st: mod.goal_task_rate(st, const, PROGRESS_WEEKS))
    _both(state, lambda mod, st: mod.goal_pressure(st))


@pytest.mark.parametrize("index", UNCHANGED, ids=[IDS[i] for i in UNCHANGED])
def test_weeks_of_closing_agree(index):
    """The week's close, three times over, twins against references (the state's caches read in between)."""
    _, state, params, progress = _case(index)
    const = state.constants
    a, b = _pair(state)
    for mod, st in ((ref, a), (twin, b)):
        rates, leaving = [], []
        for _ in range(3):
            trust = st.trust()
            rate = mod.task_rate(st, 4.0, 0.1, 3.0) + mod.goal_task_rate(st, const, PROGRESS_WEEKS)
            mod.goal_pressure(st)
            left = mod.relationships(st, params, const, trust, progress)
            if st.layers:
                mod.align_layers(st, params, const, trust, st.trust_evidence)
            mod.settle(st.trust_evidence, params["evidence_retention"])
            mod.settle_board(st.trust_evidence, params["evidence_retention"])
            mod.relax_levels(st, params, const)
            for i in left:
                st.deactivate(int(i))
            rates.append(rate)
            leaving.append(left.tolist())
            st.tick += 1
        if mod is ref:
            expected = (rates, leaving)
    assert leaving == expected[1]
    assert_same("rates", expected[0], rates)
    assert_same_state(a, b)


def test_partners_leave_in_the_randomised_states():
    """The randomised states do test leaving: some partners leave, in the reference's order."""
    left = 0
    for name, state, params, progress in _states():
        if name.endswith("leaving"):
            st = copy.deepcopy(state)
            leaving = twin.relationships(st, params, st.constants, st.trust(), progress)
            assert leaving.dtype == np.int64
            assert np.all(np.diff(leaving) > 0)
            left += len(leaving)
    assert left > 20


def test_settling_restarts_the_week_with_new_arrays():
    """settle rebinds r, s and the week's evidence (the old arrays keep their numbers, as the reference's do), the
    evidence about the director decays in place."""
    _, state, params, _ = next(s for s in _states() if s[0].endswith("perturbed"))
    ev = copy.deepcopy(state).trust_evidence
    old = {k: getattr(ev, k) for k in ("r", "s", "positive", "negative", "director_r")}
    kept = {k: v.copy() for k, v in old.items()}
    twin.settle(ev, 0.9)
    for k in ("r", "s", "positive", "negative"):
        assert getattr(ev, k) is not old[k]
        np.testing.assert_array_equal(old[k], kept[k])
    assert ev.director_r is old["director_r"]
    np.testing.assert_array_equal(ev.director_r, kept["director_r"] * 0.9)
    assert not ev.positive.any() and not ev.negative.any()
    np.testing.assert_array_equal(ev.r, 0.9 * kept["r"] + kept["positive"])


def test_with_the_ledger_the_reference_records_every_addition():
    _, state, params, _ = _states()[0]
    a, b = _pair(state)
    a.trust_evidence.ledger, b.trust_evidence.ledger = {}, {}
    ref.align_layers(a, params, a.constants, a.trust(), a.trust_evidence)
    twin.align_layers(b, params, b.constants, b.trust(), b.trust_evidence)
    assert b.trust_evidence.ledger == a.trust_evidence.ledger != {}
    ref.settle_board(a.trust_evidence, 0.9)
    twin.settle_board(b.trust_evidence, 0.9)
    assert_same_state(a, b)


def test_the_compiled_engine_calls_the_twins():
    for name in ("relationships", "align_layers", "relax_levels", "settle", "settle_board", "task_rate"):
        assert getattr(compiled, name) is getattr(twin, name)
    assert ref.task_rate is reference_task_rate
