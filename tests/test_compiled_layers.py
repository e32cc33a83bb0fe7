"""The compiled twins of the layers' snapshot and reach, and of the kept promise (:mod:`model.compiled.layers`),
against their references (:func:`model.interventions.floor_snapshot`, :func:`model.interventions.reach_layers`,
:func:`model.compiled.reference.kept_promise`).

Each case copies a state twice, takes the snapshot, runs an intervention's effect and the reach on one copy with the
reference pair and on the other with the twin pair, and compares the whole states: within the agreement's tolerance
(:func:`tests.compiled_support.assert_same_state`) and bit for bit (the twins do the reference's arithmetic).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from model import CollaborationModel
from model import interventions as ivs
from model.compiled import layers, reference
from model.compiled import submodels as compiled_submodels
from model.interventions import INTERVENTIONS, LAYERS
from model.state import NetworkState
from tests.compiled_support import assert_same_state, model_states

DOSE = 0.37
LEGITIMACY = 0.83


@pytest.fixture(scope="module")
def states() -> list[tuple[str, CollaborationModel]]:
    return list(model_states())


def _copy(state: NetworkState) -> NetworkState:
    """A copy of ``state`` whose arrays (its trust evidence's and goals' too) are its own: what ``copy.deepcopy``
    gives for what an intervention and its reach change, in a fraction of the time (the caches start empty)."""
    twin = copy.copy(state)
    for key, value in vars(state).items():
        if isinstance(value, np.ndarray):
            setattr(twin, key, value.copy())
    twin._memo_cache = {}
    twin._counts_cache = twin._distance_cache = twin._power_order_cache = None
    twin.trust_evidence = evidence = copy.copy(state.trust_evidence)
    for key, value in vars(state.trust_evidence).items():
        if isinstance(value, np.ndarray):
            setattr(evidence, key, value.copy())
    evidence.ledger = None if state.trust_evidence.ledger is None else dict(state.trust_evidence.ledger)
    if state.goals is not None:
        twin.goals = copy.copy(state.goals)
        twin.goals.others = state.goals.others.copy()
    return twin


def _bits(x: Any) -> np.ndarray:
    array = np.ascontiguousarray(x)
    return array.view(np.uint64) if array.dtype == np.float64 else array


def assert_same_bits(ref: NetworkState, twin: NetworkState) -> None:
    """Every float array and number of the two states (and their trust evidence) hold the same bits."""
    for where, a, b in (("state", ref, twin), ("trust_evidence", ref.trust_evidence, twin.trust_evidence)):
        for key, value in vars(a).items():
            other = getattr(b, key)
            if isinstance(value, np.ndarray):
                assert value.shape == other.shape, f"{where}.{key}"
                assert np.array_equal(_bits(value), _bits(other)), f"{where}.{key}: not the same bits"
            elif isinstance(value, float):
                assert np.float64(value).view(np.uint64) == np.float64(other).view(np.uint64), f"{where}.{key}"


def _run_pair(
    state: NetworkState, iv_id: str, layer: str, targets: Any, twin_snapshot: bool = True, ledger: bool = False
) -> tuple[NetworkState, NetworkState]:
    """The reference pair on one copy, the twin pair on another (with the reference's snapshot when
    ``twin_snapshot`` is false)."""
    ref, twin = _copy(state), _copy(state)
    if ledger:
        ref.trust_evidence.ledger, twin.trust_evidence.ledger = {}, {}
    c = state.constants
    effect = INTERVENTIONS[iv_id].effect
    before = ivs.floor_snapshot(ref, layer)
    effect(ref, DOSE, LEGITIMACY, targets, c)
    ivs.reach_layers(ref, layer, before, DOSE, targets, c)
    before_twin = layers.floor_snapshot(twin, layer) if twin_snapshot else ivs.floor_snapshot(twin, layer)
    effect(twin, DOSE, LEGITIMACY, targets, c)
    layers.reach_layers(twin, layer, before_twin, DOSE, targets, c)
    assert_same_state(ref, twin)
    assert_same_bits(ref, twin)
    assert twin.trust_evidence.ledger == ref.trust_evidence.ledger
    return ref, twin


def _target_choices(state: NetworkState, rng: np.random.Generator) -> Iterator[Any]:
    """No targets, a pair, a group of 3-16, every active partner (the targets a strategy gives, and more)."""
    active = state.active_index()
    yield None
    if len(active) >= 2:
        yield np.sort(rng.choice(active, 2, replace=False))
    if len(active) >= 3:
        yield np.sort(rng.choice(active, int(rng.integers(3, min(16, len(active)) + 1)), replace=False))
    yield active


@pytest.mark.parametrize("iv_id", list(INTERVENTIONS))
def test_reach_agrees_on_model_states(states, iv_id):
    rng = np.random.default_rng(list(INTERVENTIONS).index(iv_id))
    for _name, model in states:
        if not model.state.active.any():  # nobody left: the director does nothing (Director.apply)
            continue
        for targets in _target_choices(model.state, rng):
            for layer in LAYERS:
                _run_pair(model.state, iv_id, layer, targets)


def _random_state(seed: int) -> NetworkState:
    """A state of a run with its arrays perturbed, some partners gone, alignment spread over [0, 1] with some at 0
    and 1, work floor levels near their bounds."""
    rng = np.random.default_rng(seed)
    kwargs = [
        {"scenario": "jeugdaanpak"},
        {"scenario": "sociaal_domein", "governance": "shared"},
        {"scenario": "synthetic", "n_partners": 200},  # more than 1,000 relations: the reference's shortcuts
    ][seed % 3]
    model = CollaborationModel(rng=seed, engine="reference", strategy="balanced", **kwargs)
    model.run_for(int(rng.integers(0, 6)))
    st = copy.deepcopy(model.state)
    for name in (*ivs.FLOOR_PARTNER_ARRAYS, *ivs.FLOOR_RELATION_ARRAYS):
        x = getattr(st, name)
        x[:] = np.clip(x + rng.normal(0, 0.1, x.shape), 0, 1)
    st.values[:] = np.clip(st.values + rng.normal(0, 0.1, st.values.shape), 0, 1)
    st.alignment[:] = rng.random(st.n)
    st.alignment[rng.random(st.n) < 0.2] = 0.0
    st.alignment[rng.random(st.n) < 0.2] = 1.0
    st.floor_frame_clarity[:] = rng.choice([0.0, 0.02, 0.5, 0.98, 1.0], st.n)
    st.floor_procedure_equality[:] = rng.choice([0.0, 0.01, 0.5, 0.99, 1.0], st.n)
    st.frame_clarity = float(rng.random())
    st.procedure_equality = float(rng.random())
    for i in rng.choice(st.n, int(rng.integers(0, max(2, st.n // 4))), replace=False):
        if st.active.sum() > 3:
            st.deactivate(int(i))
    return st


@pytest.mark.parametrize("seed", range(9))
def test_reach_agrees_on_random_states(seed):
    st = _random_state(seed)
    rng = np.random.default_rng(seed + 100)
    for iv_id in INTERVENTIONS:
        for targets in [*_target_choices(st, rng), np.arange(st.n)]:  # every partner, those gone too
            for layer in LAYERS:
                _run_pair(st, iv_id, layer, targets)


@pytest.mark.parametrize("alignment", [0.0, 1.0])
def test_reach_at_no_and_full_alignment(alignment):
    st = _random_state(4)
    st.alignment[:] = alignment
    for iv_id in ("role_division", "equal_footing", "covenant", "vision_session", "recognize_interests"):
        for layer in LAYERS:
            ref, _ = _run_pair(st, iv_id, layer, None)
    # no alignment: a board session leaves the work floor as it was
    st.alignment[:] = 0.0
    ref, twin = _run_pair(st, "role_division", "board", None)
    assert np.array_equal(twin.commitment, st.commitment)


def test_reach_takes_the_reference_snapshot():
    for seed in (0, 2):
        st = _random_state(seed)
        for iv_id in INTERVENTIONS:
            for layer in LAYERS:
                _run_pair(st, iv_id, layer, None, twin_snapshot=False)
                _run_pair(st, iv_id, layer, st.active_index()[:3], twin_snapshot=False)


def test_snapshots_convert_both_ways():
    st = _random_state(1)
    for layer in LAYERS:
        ref = ivs.floor_snapshot(st, layer)
        twin = layers.as_reference(layers.floor_snapshot(st, layer), st)
        assert sorted(twin) == sorted(ref)
        for key in ref:
            assert np.array_equal(twin[key], ref[key]) and twin[key].shape == ref[key].shape, key


def test_reach_with_the_ledger_records_as_the_reference():
    st = _random_state(2)
    for iv_id in ("role_division", "vision_session", "align_layers"):
        for layer in LAYERS:
            _, twin = _run_pair(st, iv_id, layer, None, ledger=True)
            if layer != "floor":
                assert twin.trust_evidence.ledger.get(("board session", "positive"), 0.0) > 0


def test_a_snapshot_of_the_floor_does_not_serve_a_board_intervention():
    st = _random_state(0)
    with pytest.raises(KeyError):
        layers.reach_layers(st, "board", layers.floor_snapshot(st, "both"), DOSE, None, st.constants)
    with pytest.raises(KeyError):
        ivs.reach_layers(st, "board", ivs.floor_snapshot(st, "both"), DOSE, None, st.constants)


def test_a_target_out_of_range_is_refused_before_anything_changes():
    st = _random_state(0)
    kept = st.trust_evidence.board_r.copy()
    with pytest.raises(IndexError):
        layers.reach_layers(st, "both", layers.floor_snapshot(st, "both"), DOSE, np.array([0, st.n]), st.constants)
    assert np.array_equal(st.trust_evidence.board_r, kept)
    # negative indices count from the end, as numpy's
    _run_pair(st, "align_layers", "both", np.array([-1, -2, 0]))


def test_clip_is_numpys():
    x = np.array([-0.0, 0.0, -1e-300, 1e-300, np.nan, 0.5, 1.0, 1.0 + 2e-16, -np.inf, np.inf, -2.0])
    for change in (0.0, -0.0, 0.25, -0.25):
        expected = np.clip(x + change, 0.0, 1.0)
        frames, procedures = x.copy(), x.copy()
        layers._reach_both(
            frames, procedures, change, change, np.zeros(0), *(np.zeros(0, dtype=np.int64),) * 2,
            np.zeros(0, dtype=bool), np.zeros(len(x), dtype=bool), np.zeros(0, dtype=np.int64), False, 0.0,
        )  # fmt: skip
        for array in (frames, procedures):
            assert np.array_equal(_bits(array), _bits(expected))


def test_a_snapshot_of_another_network_is_refused():
    small, large = _random_state(0), _random_state(2)
    with pytest.raises(ValueError, match="snapshot"):
        layers.reach_layers(large, "board", layers.floor_snapshot(small, "board"), DOSE, None, large.constants)


# ---- the kept promise -----------------------------------------------------------------------------------------------


def _kept_promise_pair(state: NetworkState, targets: Any, ledger: bool = False) -> None:
    ref, twin = _copy(state), _copy(state)
    if ledger:
        ref.trust_evidence.ledger, twin.trust_evidence.ledger = {}, {}
    amount = state.constants["kept_promise_evidence"] * DOSE
    reference.kept_promise(ref, targets, amount)
    layers.kept_promise(twin, targets, amount)
    assert_same_state(ref, twin)
    assert_same_bits(ref, twin)
    assert twin.trust_evidence.ledger == ref.trust_evidence.ledger


def test_kept_promise_agrees(states):
    rng = np.random.default_rng(7)
    for _name, model in states[::3]:
        for targets in _target_choices(model.state, rng):
            _kept_promise_pair(model.state, targets)
    for seed in range(4):
        st = _random_state(seed)
        for targets in [
            *_target_choices(st, rng),
            np.arange(st.n),
            np.array([1, 1, 2]),  # listed twice: gains it once
            np.array([-1]),
            np.zeros(0, dtype=np.int64),
            [0, 2],
        ]:
            _kept_promise_pair(st, targets)
            _kept_promise_pair(st, targets, ledger=True)


def test_the_compiled_engine_calls_the_twins():
    assert compiled_submodels.floor_snapshot is layers.floor_snapshot
    assert compiled_submodels.reach_layers is layers.reach_layers
    assert compiled_submodels.kept_promise is layers.kept_promise
    assert "kept_promise" in reference.__all__
