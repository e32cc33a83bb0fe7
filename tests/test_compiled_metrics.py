"""The compiled twins of the legitimacy and of the week's metrics (:mod:`model.compiled.metrics`) against the reference.

On every state of :func:`tests.compiled_support.model_states` and on randomised ones (partners left, nobody active,
active partners without active relations, shared governance, a lead that left, switches off, goals present and
absent, ties in power and dependency, many values), the compiled metrics are the reference's dict: the same keys in
the same order, every value within 1e-9, NaN exactly where the reference has NaN; and the legitimacy twin gives the
reference's number under each governance.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math

import numpy as np
import pytest

import model.compiled.submodels as compiled_submodels
from model import CollaborationModel
from model.compiled import metrics as compiled_metrics
from model.scenarios import DirectorGoals, load_scenario
from model.state import GoalState
from model.submodels import legitimacy as reference_legitimacy
from tests.compiled_support import CASES, assert_same, assert_same_state, model_states, twin_copies

SEEDS = (3, 11)


@functools.cache
def _states() -> list[tuple[str, CollaborationModel]]:
    """The models of :func:`model_states` (built once, on first use: collecting the tests costs nothing)."""
    return list(model_states(SEEDS))


STATE_IDS = [f"{name}, seed {seed}" for name, _, _ in CASES for seed in SEEDS]


def _state(index: int) -> tuple[str, CollaborationModel]:
    name, model = _states()[index]
    assert name == STATE_IDS[index]
    return name, model


def _metrics_of_both(model: CollaborationModel, hours: float) -> tuple[CollaborationModel, CollaborationModel]:
    """Deep copies of ``model`` after the reference's and the compiled engine's ``_update_metrics``."""
    reference, twin = copy.deepcopy(model), copy.deepcopy(model)
    reference.engine = "reference"
    twin.engine = "compiled"
    reference._update_metrics(hours)
    twin._update_metrics(hours)
    return reference, twin


def _assert_same_metrics(where: str, reference: CollaborationModel, twin: CollaborationModel) -> None:
    a, b = reference.last_metrics, twin.last_metrics
    assert list(b) == list(a), f"{where}: keys differ"
    for key, value in a.items():
        got = b[key]
        assert isinstance(got, float), f"{where}: {key} is a {type(got).__name__}"
        if math.isnan(value):
            assert math.isnan(got), f"{where}: {key} is {got}, the reference's NaN"
        else:
            assert not math.isnan(got), f"{where}: {key} is NaN, the reference's {value}"
            assert_same(f"{where}: {key}", value, got)
        assert_same(f"{where}: attribute {key}", getattr(reference, key), getattr(twin, key))
    assert_same_state(reference.state, twin.state)  # the metrics change nothing


def _assert_same_legitimacy(where: str, model: CollaborationModel, governance: str, lead: int) -> None:
    ref_state, twin_state = twin_copies(model)
    expected = reference_legitimacy(ref_state, governance, lead, model.constants)
    got = compiled_metrics.legitimacy(twin_state, governance, lead, model.constants)
    assert isinstance(got, float)
    assert_same(f"{where}: legitimacy ({governance}, lead {lead})", expected, got)
    assert_same_state(ref_state, twin_state)


@pytest.mark.parametrize("index", range(len(STATE_IDS)), ids=STATE_IDS)
def test_the_metrics_of_real_states_are_the_reference_metrics(index):
    name, model = _state(index)
    for hours in (model.director.hours_spent, 0.0, 7.5):
        reference, twin = _metrics_of_both(model, hours)
        _assert_same_metrics(f"{name}, hours {hours}", reference, twin)


@pytest.mark.parametrize("index", range(len(STATE_IDS)), ids=STATE_IDS)
def test_the_legitimacy_of_real_states_is_the_reference_legitimacy(index):
    name, model = _state(index)
    _assert_same_legitimacy(name, model, model.governance, model.lead)
    strongest = int(np.argmax(model.state.power))
    for governance, lead in (("shared", -1), ("nao", -1), ("lead", strongest), ("lead", 0)):
        _assert_same_legitimacy(name, model, governance, lead)


# ---- randomised states ----------------------------------------------------------------------------------------------

BASES = [
    ("jeugdaanpak", {"scenario": "jeugdaanpak", "strategy": "balanced"}, 6),
    ("sociaal_domein shared", {"scenario": "sociaal_domein", "governance": "shared"}, 4),
    ("gebiedsontwikkeling lead", {"scenario": "gebiedsontwikkeling", "governance": "lead"}, 5),
    ("synthetic 60", {"scenario": "synthetic", "n_partners": 60, "strategy": "adaptive"}, 3),
    ("synthetic 150 nao", {"scenario": "synthetic", "n_partners": 150, "governance": "nao"}, 2),
]


def _randomised(rng: np.random.Generator, model: CollaborationModel) -> CollaborationModel:
    """A copy of ``model`` with its state's arrays and levels drawn anew, some partners gone, and governance,
    switches and goals chosen at random."""
    model = copy.deepcopy(model)
    st = model.state
    te = st.trust_evidence
    n, m = st.n, st.m
    te.r = rng.random(m) * rng.choice([0.5, 5.0, 40.0])
    te.s = rng.random(m) * rng.choice([0.5, 5.0, 40.0])
    te.director_r = rng.random(n) * 10.0
    te.director_s = rng.random(n) * 10.0
    te.board_r = rng.random(m) * 10.0
    te.board_s = rng.random(m) * 10.0
    for name in ("respect", "understanding"):
        setattr(st, name, rng.random(m))
    for name in (
        "equality",
        "freedom",
        "accountability",
        "openness",
        "penalty",
        "commitment",
        "recognition",
        "contact_relief",
        "alignment",
        "floor_frame_clarity",
    ):
        setattr(st, name, rng.random(n))
    st.load = rng.random(n) * 2.0  # some overloaded
    # ties in power and dependency (a stable order and the median's ties), or all distinct
    st.power = rng.choice([0.2, 0.5, 0.8], n) if rng.random() < 0.5 else rng.random(n)
    st.dependency = rng.choice([0.1, 0.5, 0.9], n) if rng.random() < 0.5 else rng.random(n)
    st.values = rng.random((n, int(rng.choice([1, 2, 3, 8, 12]))))  # columns in order, or numpy's row sum
    st.blame = float(rng.random())
    st.frame_clarity = float(rng.random())

    leaving = rng.random(n) < rng.choice([0.0, 0.2, 0.6, 1.0])  # 1.0: nobody active
    for i in np.flatnonzero(leaving):
        st.deactivate(int(i))
    if rng.random() < 0.15:  # active partners without a single active relation
        st.edge_active = np.zeros(m, dtype=bool)

    model.governance = str(rng.choice(["shared", "lead", "nao"]))
    # a lead that may have left (lead succession off)
    model.lead = int(rng.integers(n)) if model.governance == "lead" else -1
    for switch in ("dependency", "layers"):
        st.switches[switch] = bool(rng.random() < 0.7)
    model.switches = dict(model.switches, dependency=st.switches["dependency"], layers=st.switches["layers"])
    if rng.random() < 0.5:
        st.goals = None
    elif st.goals is None:
        st.goals = GoalState(_goals_spec(), st.names, st.power, 104)
    if st.goals is not None:
        st.goals.progress, st.goals.pressure, st.goals.week_hours = rng.random(3) * 2.0
    model.task_rate = float(rng.random())
    model.task_progress = float(rng.random())
    model.escalations = int(rng.integers(10))
    model.contacts_this_week = int(rng.integers(10))
    model.counts = {key: int(rng.integers(20)) for key in model.counts}
    return model


def _goals_spec() -> DirectorGoals:
    """A scenario's own goals, for the most powerful partner of any network."""
    spec = load_scenario("gebiedsontwikkeling").director_goals
    assert spec is not None
    return dataclasses.replace(spec, organisation=None)


RANDOM_PER_BASE = 12


@functools.cache
def _random_states() -> list[tuple[str, CollaborationModel]]:
    """Randomised copies of each base model (built once, on first use)."""
    rng = np.random.default_rng(20261208)
    states = []
    for name, kwargs, weeks in BASES:
        base = CollaborationModel(rng=7, engine="reference", **kwargs)
        base.run_for(weeks)
        for k in range(RANDOM_PER_BASE):
            states.append((f"{name} #{k}", _randomised(rng, base)))
    return states


RANDOM_IDS = [f"{name} #{k}" for name, _, _ in BASES for k in range(RANDOM_PER_BASE)]


@pytest.mark.parametrize("index", range(len(RANDOM_IDS)), ids=RANDOM_IDS)
def test_the_metrics_of_random_states_are_the_reference_metrics(index):
    name, model = _random_states()[index]
    assert name == RANDOM_IDS[index]
    reference, twin = _metrics_of_both(model, 3.25)
    _assert_same_metrics(name, reference, twin)
    _assert_same_legitimacy(name, model, model.governance, model.lead)


def test_the_random_states_reach_every_branch():
    """The randomised states hold what they are meant to: partners left, nobody active, no active relation among
    active partners, each governance, a lead that left, switches off, goals present and absent, missing metrics."""
    seen: set[str] = set()
    for _, model in _random_states():
        st = model.state
        active = int(st.active.sum())
        seen.add(f"governance {model.governance}")
        seen.add(f"dependency {st.switches['dependency']}")
        seen.add(f"layers {st.layers}")
        seen.add(f"goals {st.goals is not None}")
        if 0 < active < st.n:
            seen.add("some left")
            seen.add(f"some left, large {st.is_large()}")  # the kept results of a large network, or none
        if active == 0:
            seen.add("nobody active")
        if active and not st.edge_active.any():
            seen.add("no active relation")
        if model.governance == "lead" and not st.active[model.lead]:
            seen.add("lead left")
        reference, _ = _metrics_of_both(model, 0.0)
        if math.isnan(reference.last_metrics["legitimacy"]):
            seen.add("legitimacy missing")
        if reference.last_metrics["dependent_voice"] == 1.0:
            seen.add("nobody silenced")
    for governance in ("shared", "lead", "nao"):
        assert f"governance {governance}" in seen
    for switch in ("dependency", "layers", "goals"):
        assert {f"{switch} True", f"{switch} False"} <= seen
    assert {
        "some left",
        "some left, large True",
        "some left, large False",
        "nobody active",
        "no active relation",
        "lead left",
        "legitimacy missing",
        "nobody silenced",
    } <= seen


def test_nobody_active_gives_missing_means_and_zero_legitimacy():
    model = CollaborationModel(rng=1, engine="reference", scenario="jeugdaanpak")
    for i in range(model.state.n):
        model.state.deactivate(i)
    reference, twin = _metrics_of_both(model, 0.0)
    _assert_same_metrics("nobody active", reference, twin)
    for key in ("trust", "equality", "health", "shared_vision", "equality_gap", "legitimacy", "dependent_voice"):
        assert math.isnan(twin.last_metrics[key]), key
    assert twin.last_metrics["active_partners"] == 0.0
    assert compiled_metrics.legitimacy(model.state, model.governance, model.lead, model.constants) == 0.0


# ---- the engine uses the twins ------------------------------------------------------------------------------------


def test_the_compiled_engine_computes_its_metrics_with_the_twin(monkeypatch):
    def refuse(self, hours_spent):
        raise AssertionError("the compiled engine called the reference metrics")

    monkeypatch.setattr(CollaborationModel, "_update_metrics_reference", refuse)
    model = CollaborationModel(rng=4, scenario="jeugdaanpak", engine="compiled")
    model.run_for(3)
    assert model.last_metrics["active_partners"] == model.state.n
    with pytest.raises(AssertionError, match="reference metrics"):
        CollaborationModel(rng=4, scenario="jeugdaanpak", engine="reference")


def test_the_legitimacy_twin_is_registered():
    assert compiled_submodels.legitimacy is compiled_metrics.legitimacy
