"""The compiled twins of the interventions' effects (model/compiled/effects.py) against their reference effects
(model/interventions.py): on every state of ``model_states()`` and on randomised ones, each intervention with every
kind of target, the whole state after the effect agrees (and, where the arithmetic is the same, to the bit)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from model import CollaborationModel
from model.compiled import effects
from model.compiled import submodels as compiled_submodels
from model.interventions import INTERVENTIONS, RELATIONS_PER_MEMBER
from model.state import NetworkState
from model.switches import ALL_ON
from tests.compiled_support import _fields, assert_same_state, model_states

IDS = list(INTERVENTIONS)


@pytest.fixture(scope="module")
def states() -> list[tuple[str, Any]]:
    return list(model_states())


def _bits_equal(reference: NetworkState, twin: NetworkState) -> None:
    """Every float of the two states holds the same number (the twins do the reference's arithmetic in its order)."""
    pairs: list[tuple[str, Any, Any]] = [
        ("state", reference, twin),
        ("evidence", reference.trust_evidence, twin.trust_evidence),
    ]
    if reference.goals is not None:
        pairs.append(("goals", reference.goals, twin.goals))
    for where, a, b in pairs:
        fa, fb = _fields(a), _fields(b)
        assert sorted(fa) == sorted(fb), f"{where}: attributes differ"
        for key in fa:
            assert np.array_equal(np.asarray(fa[key]), np.asarray(fb[key]), equal_nan=True), f"{where}.{key}"


def _target_choices(state: NetworkState, rng: np.random.Generator) -> Iterator[np.ndarray | None]:
    """None; a pair with a relation; a pair (maybe without one); a group of about half; one partner."""
    yield None
    active = state.active_index()
    edges = state.edge_active.nonzero()[0]
    if len(edges):
        e = int(rng.choice(edges))
        yield np.array([state.src[e], state.dst[e]])
    if len(active) >= 2:
        yield rng.choice(active, size=2, replace=False)
        yield np.sort(rng.choice(active, size=max(2, len(active) // 2), replace=False))
    if len(active):
        yield np.array([rng.choice(active)])


def _compare_sequence(state: NetworkState, targets: Any, rng: np.random.Generator, ledger: bool, where: str) -> None:
    """Every intervention in a random order on two copies of ``state``, the reference effects on one and the twins
    (through the compiled engine's ``intervention_effect``) on the other: the states hold the same bits after each,
    and agree as ``assert_same_state`` has it (attributes, shapes, numbers) at the end."""
    reference, twin = copy.deepcopy(state), copy.deepcopy(state)
    if ledger:
        reference.trust_evidence.ledger = {}
        twin.trust_evidence.ledger = {}
    constants = state.constants
    for iv_id in rng.permutation(IDS):
        iv = INTERVENTIONS[str(iv_id)]
        dose = float(rng.uniform(0.1, 1.0))
        legitimacy = float(rng.choice([0.0, 1.0, rng.uniform(0.0, 1.0), rng.uniform(0.0, 1.0)]))
        given = None if targets is None else targets.copy()
        try:
            iv.effect(reference, dose, legitimacy, given, constants)
        except IndexError:  # nobody active where a median is needed: the twin fails alike
            with pytest.raises(IndexError):
                compiled_submodels.intervention_effect(iv, twin, dose, legitimacy, given, constants)
        else:
            compiled_submodels.intervention_effect(iv, twin, dose, legitimacy, given, constants)
        try:
            _bits_equal(reference, twin)
            assert reference.trust_evidence.ledger == twin.trust_evidence.ledger
        except AssertionError as error:
            raise AssertionError(f"{where}, {iv_id}, targets {targets}: {error}") from error
    assert_same_state(reference, twin)


def _compare(state: NetworkState, iv_id: str, dose: float, legitimacy: float, targets: Any) -> None:
    reference, twin = copy.deepcopy(state), copy.deepcopy(state)
    iv = INTERVENTIONS[iv_id]
    iv.effect(reference, dose, legitimacy, None if targets is None else targets.copy(), state.constants)
    compiled_submodels.intervention_effect(
        iv, twin, dose, legitimacy, None if targets is None else targets.copy(), state.constants
    )
    assert_same_state(reference, twin)
    _bits_equal(reference, twin)


def test_the_compiled_engine_uses_the_twin() -> None:
    assert compiled_submodels.intervention_effect is effects.intervention_effect
    assert set(effects.TWINS) == set(INTERVENTIONS)  # every intervention has its twin


def test_twins_match_references_on_model_states(states: list[tuple[str, Any]]) -> None:
    rng = np.random.default_rng(7)
    for name, model in states:
        for targets in _target_choices(model.state, rng):
            _compare_sequence(model.state, targets, rng, bool(rng.random() < 0.2), name)


def _randomised(state: NetworkState, rng: np.random.Generator) -> NetworkState:
    """A copy of ``state`` with perturbed levels, ties in power, some partners gone, switches set at random and
    sometimes more value dimensions than the column-by-column distance takes."""
    state = copy.deepcopy(state)
    n, m = state.n, state.m
    state.switches = dict(ALL_ON) | {
        "dependency": bool(rng.random() < 0.5),
        "layers": bool(rng.random() < 0.7),
        "role_division_costs": bool(rng.random() < 0.7),
    }
    for name in ("understanding", "respect", "expectation"):
        setattr(state, name, rng.uniform(0.0, 1.0, m))
    for name in ("commitment", "equality", "recognition", "accountability", "alignment", "real_effort"):
        setattr(state, name, rng.uniform(0.0, 1.0, n))
    state.power = np.round(rng.uniform(0.0, 1.0, n), 1)  # ties in power (and at the median)
    k = int(rng.choice([1, 3, 9, 16]))
    state.values = rng.uniform(0.0, 1.0, (n, k))
    state.confidence_bound = float(rng.uniform(0.1, 0.6))
    for level in ("frame_clarity", "procedure_equality", "blame", "info_structure"):
        setattr(state, level, float(rng.uniform(0.0, 1.0)))
    te = state.trust_evidence
    te.r, te.director_r = rng.uniform(0.0, 5.0, m), rng.uniform(0.0, 5.0, n)
    leave = rng.choice(n, size=int(rng.integers(0, max(1, n - 1))), replace=False)
    for i in leave[: n - 1]:  # someone stays
        state.deactivate(int(i))
    return state


def test_twins_match_references_on_randomised_states(states: list[tuple[str, Any]]) -> None:
    rng = np.random.default_rng(2026)
    for name, model in states[::2]:
        for _ in range(2):
            state = _randomised(model.state, rng)
            for targets in _target_choices(state, rng):
                _compare_sequence(state, targets, rng, bool(rng.random() < 0.2), f"randomised {name}")


def test_twins_match_references_in_a_large_network() -> None:
    """A network with more relations per member than a pair's own relations cost to look at (the reference finds a
    small group's relations from its members' CSR blocks there, and keeps results in memos)."""
    model = CollaborationModel(scenario="synthetic", n_partners=400, rng=5, engine="reference")
    model.run_for(3)
    state = model.state
    assert state.m > RELATIONS_PER_MEMBER * 2
    rng = np.random.default_rng(400)
    for targets in _target_choices(state, rng):
        _compare_sequence(state, targets, rng, False, "synthetic 400")
    state = copy.deepcopy(state)
    for i in rng.choice(state.n, size=40, replace=False):
        state.deactivate(int(i))
    for targets in _target_choices(state, rng):
        _compare_sequence(state, targets, rng, False, "synthetic 400, partners gone")


@pytest.mark.parametrize("iv_id", IDS)
def test_awkward_targets(states: list[tuple[str, Any]], iv_id: str) -> None:
    """Duplicates, a pair without a relation, an inactive partner, a list, negative indices, every partner."""
    _, model = states[0]
    state = copy.deepcopy(model.state)
    state.switches["layers"] = True
    state.deactivate(3)
    n = state.n
    linked = {(int(a), int(b)) for a, b in zip(state.src, state.dst, strict=True)}
    unlinked = next((a, b) for a in range(n) for b in range(a + 1, n) if (a, b) not in linked and 3 not in (a, b))
    choices: list[Any] = [
        np.array([1, 1]),
        np.array(unlinked),
        np.array([3, 0]),
        np.array([0, 3, 3, 5]),
        np.array([-1, 0]),
        np.arange(n),
        state.active_index(),
        np.array([], dtype=np.int64),
        np.array([2, 2, 4, 2], dtype=np.int32),
    ]
    for targets in choices:
        _compare(state, iv_id, 0.6, 0.7, targets)
    reference, twin = copy.deepcopy(state), copy.deepcopy(state)
    INTERVENTIONS[iv_id].effect(reference, 0.6, 0.7, [0, 2], state.constants)
    effects.intervention_effect(INTERVENTIONS[iv_id], twin, 0.6, 0.7, [0, 2], state.constants)
    assert_same_state(reference, twin)


def test_nobody_active_gives_the_reference_answer(states: list[tuple[str, Any]]) -> None:
    """Where the reference needs a median of the active partners' power, nobody active fails the same way."""
    _, model = states[0]
    state = copy.deepcopy(model.state)
    for i in range(state.n):
        state.deactivate(i)
    for iv_id in ("role_division", "recognize_interests"):
        with pytest.raises(IndexError):
            INTERVENTIONS[iv_id].effect(copy.deepcopy(state), 0.5, 0.5, None, state.constants)
        with pytest.raises(IndexError):
            effects.intervention_effect(INTERVENTIONS[iv_id], copy.deepcopy(state), 0.5, 0.5, None, state.constants)


def test_a_changed_effect_acts_itself(states: list[tuple[str, Any]]) -> None:
    """An intervention whose effect is not the reference's own (or an unknown id) is not replaced by a twin."""
    _, model = states[0]
    calls: list[str] = []

    def effect(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Any) -> None:
        calls.append("called")

    state = copy.deepcopy(model.state)
    before = copy.deepcopy(state)
    changed = dataclasses.replace(INTERVENTIONS["covenant"], effect=effect)
    unknown = dataclasses.replace(INTERVENTIONS["covenant"], id="something_new", effect=effect)
    effects.intervention_effect(changed, state, 0.5, 0.5, None, state.constants)
    effects.intervention_effect(unknown, state, 0.5, 0.5, None, state.constants)
    assert calls == ["called", "called"]
    assert_same_state(before, state)
