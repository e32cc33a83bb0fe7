"""The compiled information flow, accountability events, escalation and voice (:mod:`model.compiled.flow`) give
their reference's numbers and decisions (:mod:`model.submodels`).

Each case copies a state twice and runs a week's part on both: the reference's joint work (its JointWork is what the
accountability events read), then information flow, accountability events and escalation, the reference on one copy
and the twin on the other, comparing what each returns and the whole state after each; and the voice per relation and
per partner. The states: every model state of :func:`tests.compiled_support.model_states`, and randomised ones (many
incidents, heavy blame, overload, recent personal contact, switches off, partners gone, nobody active).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from model import CollaborationModel
from model import submodels as ref
from model.compiled import flow
from model.compiled import submodels as compiled
from model.state import NetworkState
from model.submodels import Incidents, WeekDraws
from tests.compiled_support import assert_same, assert_same_state, model_states

#: The switches the submodels branch on.
SWITCHES = ("dependency", "overload", "blame", "partner_contact", "shortfall_accountability", "layers")


@pytest.fixture(scope="module")
def states() -> list[tuple[str, Any]]:
    return list(model_states())


def _week(state: NetworkState, params: dict, constants: Any, draws: WeekDraws) -> dict[str, int]:
    """Run both sides of a week's part on copies of ``state``; returns what happened (for the tests' own checks)."""
    a, b = copy.deepcopy(state), copy.deepcopy(state)
    trust_a, trust_b = a.trust(), b.trust()
    work_a = ref.joint_work(a, params, constants, trust_a, draws, a.trust_evidence)
    work_b = ref.joint_work(b, params, constants, trust_b, draws, b.trust_evidence)
    negative = a.trust_evidence.negative.copy()

    ref.information_flow(a, params, constants, trust_a, a.trust_evidence)
    assert flow.information_flow(b, params, constants, trust_b, b.trust_evidence) is None
    assert_same_state(a, b)
    flooded = int(not np.array_equal(negative, a.trust_evidence.negative))

    incidents_a = ref.accountability_events(a, params, constants, work_a, draws, a.trust_evidence)
    incidents_b = flow.accountability_events(b, params, constants, work_b, draws, b.trust_evidence)
    assert isinstance(incidents_b, Incidents)
    assert incidents_b.outcomes == incidents_a.outcomes
    assert all(type(j) is int and type(accounted) is bool for j, accounted in incidents_b.outcomes)
    assert_same("setback", incidents_a.setback, incidents_b.setback)
    assert_same_state(a, b)

    escalated = ref.escalation(a, constants, incidents_a, a.trust_evidence)
    assert flow.escalation(b, constants, incidents_b, b.trust_evidence) == escalated
    assert_same_state(a, b)

    voices = ref.voice(a, constants)
    assert_same("voice", voices, flow.voice(b, constants))
    assert_same("account voice", ref.account_voice_of(a, constants), flow.account_voice_of(b, constants))
    assert_same(
        "account voice of given voices",
        ref.account_voice_of(a, constants, voices),
        flow.account_voice_of(b, constants, voices),
    )
    assert_same_state(a, b)
    accounted = sum(1 for _, given in incidents_a.outcomes if given)
    return {
        "accounted": accounted,
        "blamed": len(incidents_a.outcomes) - accounted,
        "escalated": escalated,
        "flooded": flooded,
    }


def test_the_twins_are_registered_for_the_compiled_engine():
    for name in ("information_flow", "accountability_events", "escalation", "voice", "account_voice_of"):
        assert getattr(compiled, name) is getattr(flow, name)


def test_twins_agree_on_every_model_state(states):
    happened = {"accounted": 0, "blamed": 0, "escalated": 0}
    for name, model in states:
        for tick in (model.steps + 1, model.steps + 7):
            draws = model.world_draws(tick)
            try:
                seen = _week(model.state, model.params, model.constants, draws)
            except AssertionError as error:
                raise AssertionError(f"{name}, draws of week {tick}: {error}") from error
            for key in happened:
                happened[key] += seen[key]
    assert all(happened.values()), happened  # the states' weeks do have incidents of both kinds, and escalations


def _randomised(model: Any, rng: np.random.Generator) -> tuple[NetworkState, dict]:
    """A perturbed copy of the model's state: levels and arrays drawn at random, many incidents, heavy blame."""
    st = copy.deepcopy(model.state)
    n, m = st.n, st.m
    params = dict(
        model.params,
        incident_rate=float(rng.uniform(1.0, 12.0)),
        sharing_rate=float(rng.uniform(0.2, 3.0)),
        kappa=float(rng.uniform(0.5, 3.0)),
    )
    st.openness = rng.uniform(0.0, 1.0, n)
    st.accountability = rng.uniform(0.0, 1.0, n)
    st.equality = rng.uniform(0.0, 1.0, n)
    st.recognition = rng.uniform(0.0, 1.0, n)
    st.dependency = rng.uniform(0.0, 1.0, n)
    st.power = rng.choice([0.2, 0.5, 0.8, 1.0], n)  # ties among the blamers' power
    st.info_capacity = rng.uniform(0.2, 2.0, n)
    st.capacity_factor = rng.uniform(0.5, 1.0, n)
    st.understanding = rng.uniform(0.0, 1.0, m)
    st.respect = rng.uniform(0.0, 1.0, m)
    st.expectation = st.expectation * rng.uniform(0.2, 2.0, m)
    st.expectation[rng.random(m) < 0.1] = 0.0  # nobody expects anything of some
    st.last_contact = st.tick - rng.integers(0, 8, m)
    st.blame = float(rng.uniform(0.3, 1.0))
    st.frame_clarity = float(rng.uniform(0.0, 1.0))
    st.info_structure = float(rng.uniform(0.0, 1.0))
    evidence = st.trust_evidence
    evidence.r = rng.uniform(0.0, 10.0, m)
    evidence.s = rng.uniform(0.0, 10.0, m)
    evidence.board_r = rng.uniform(0.0, 10.0, m)
    evidence.board_s = rng.uniform(0.0, 10.0, m)
    evidence.positive = rng.uniform(0.0, 1.0, m)
    evidence.negative = rng.uniform(0.0, 1.0, m)
    evidence.board_negative = rng.uniform(0.0, 1.0, m)
    st.switches = dict(st.switches)
    for switch in SWITCHES:
        st.switches[switch] = bool(rng.random() < 0.6)
    for i in rng.choice(n, size=int(rng.integers(0, n // 3 + 1)), replace=False):
        if st.active[i]:
            st.deactivate(int(i))
    return st, params


def test_twins_agree_on_randomised_states(states):
    rng = np.random.default_rng(2026)
    happened = {"accounted": 0, "blamed": 0, "escalated": 0, "flooded": 0}
    cases = 0
    for name, model in states:
        for variant in range(4):
            st, params = _randomised(model, rng)
            draws = WeekDraws.split(rng.random(WeekDraws.size(st.m, st.n)), st.m, st.n)
            try:
                seen = _week(st, params, model.constants, draws)
            except AssertionError as error:
                raise AssertionError(f"{name}, variant {variant}: {error}") from error
            for key in happened:
                happened[key] += seen[key]
            cases += 1
    assert all(value >= cases // 4 for value in happened.values()), happened


def test_every_branch_of_the_switches(states):
    """Each switch off by itself, and all of them off, on a state with many incidents."""
    rng = np.random.default_rng(7)
    name, model = next((name, model) for name, model in states if name.startswith("shared, heavy blame"))
    for off in [*((switch,) for switch in SWITCHES), SWITCHES]:
        st, params = _randomised(model, rng)
        st.switches = dict(model.state.switches, **dict.fromkeys(off, False))
        params["incident_rate"] = 10.0
        draws = WeekDraws.split(rng.random(WeekDraws.size(st.m, st.n)), st.m, st.n)
        seen = _week(st, params, model.constants, draws)
        assert seen["accounted"] + seen["blamed"] > 0, off


def test_nobody_active_and_no_effort(states):
    rng = np.random.default_rng(11)
    for name, model in states[:6]:
        st, params = _randomised(model, rng)
        for i in range(st.n):
            if st.active[i]:
                st.deactivate(i)
        draws = WeekDraws.split(rng.random(WeekDraws.size(st.m, st.n)), st.m, st.n)
        assert _week(st, params, model.constants, draws)["accounted"] == 0, name
        st, params = _randomised(model, rng)
        st.capacity_factor = np.zeros(st.n)  # nobody works: by effort, no incident can be attributed
        st.switches["shortfall_accountability"] = False
        seen = _week(st, params, model.constants, draws)
        assert seen["accounted"] + seen["blamed"] == 0, name


def test_the_ledger_records_through_the_reference(states):
    """With the trust evidence's ledger on, the twins give the reference's ledger too."""
    rng = np.random.default_rng(5)
    sources: set[str] = set()
    for name, model in states[::3]:
        st, params = _randomised(model, rng)
        st.switches = dict(st.switches, overload=True, blame=True)
        params["incident_rate"] = 10.0
        st.trust_evidence.ledger = {}
        draws = WeekDraws.split(rng.random(WeekDraws.size(st.m, st.n)), st.m, st.n)
        a, b = copy.deepcopy(st), copy.deepcopy(st)
        trust = a.trust()
        work = ref.joint_work(a, params, model.constants, trust, draws, a.trust_evidence)
        ref.joint_work(b, params, model.constants, trust, draws, b.trust_evidence)
        ref.information_flow(a, params, model.constants, trust, a.trust_evidence)
        flow.information_flow(b, params, model.constants, trust, b.trust_evidence)
        incidents = ref.accountability_events(a, params, model.constants, work, draws, a.trust_evidence)
        assert flow.accountability_events(b, params, model.constants, work, draws, b.trust_evidence) == incidents
        assert flow.escalation(b, model.constants, incidents, b.trust_evidence) == ref.escalation(
            a, model.constants, incidents, a.trust_evidence
        )
        assert a.trust_evidence.ledger == b.trust_evidence.ledger, name
        assert_same_state(a, b)
        sources.update(source for source, _ in b.trust_evidence.ledger)
    assert {"information overload", "learning", "blame", "escalation", "erosion"} <= sources


def test_an_incident_drawn_at_a_boundary_goes_where_the_reference_sends_it(states):
    """Attribution uniforms that land exactly on a partner's cumulative weight, at 0 and near 1, and a Poisson
    uniform at the edges: the same partners and counts."""
    name, model = next((name, model) for name, model in states if name.startswith("jeugdaanpak balanced"))
    rng = np.random.default_rng(3)
    st, params = _randomised(model, rng)
    st.switches = dict(st.switches, shortfall_accountability=False)
    params["incident_rate"] = 6.0
    uniforms = rng.random(WeekDraws.size(st.m, st.n))
    draws = WeekDraws.split(uniforms, st.m, st.n)
    # with effort weights (the first version) the cumulative weights are the efforts' running sums: put uniforms on them
    work = ref.joint_work(
        copy.deepcopy(st), params, model.constants, st.trust(), draws, copy.deepcopy(st.trust_evidence)
    )
    weights = work.effort * st.active
    cumulative, total = np.cumsum(weights), weights.sum()
    first = min(st.n, len(draws.attribution) - 2)
    draws.attribution[:first] = cumulative[:first] / total
    draws.attribution[first] = 0.0
    draws.attribution[first + 1] = np.nextafter(1.0, 0.0)
    for count in (0.0, np.nextafter(1.0, 0.0), 0.5):
        draws.count = count
        _week(st, params, model.constants, draws)


@pytest.mark.parametrize(
    "switches",
    [{"blame": False}, {"overload": False}, {"dependency": False, "partner_contact": False, "layers": False}],
    ids=["blame off", "overload off", "dependency, contact and layers off"],
)
def test_whole_runs_with_switches_off_agree(switches):
    """Both engines over 40 weeks of a network with heavy blame and many incidents, a branch's switch off."""
    kwargs = {"scenario": "sociaal_domein", "governance": "shared", "blame_culture": 0.9, "incident_rate": 0.6}
    runs = []
    for engine in ("reference", "compiled"):
        model = CollaborationModel(rng=4, engine=engine, switches=switches, **kwargs)
        model.run_for(40)
        runs.append(model)
    ref_run, twin_run = runs
    a = ref_run.datacollector.get_model_vars_dataframe()
    b = twin_run.datacollector.get_model_vars_dataframe()
    for column in a.columns:
        assert_same(column, a[column].to_numpy(float), b[column].to_numpy(float))
    assert twin_run.events == ref_run.events
    assert twin_run.counts == ref_run.counts
    assert ref_run.counts["incidents"] >= 10


@pytest.mark.parametrize(
    "changed",
    [
        {"information_benefit_exponent": 0.3},
        {"information_benefit_exponent": 1.0},
        {"information_benefit_exponent": 2.0},
        {"partner_contact_memory": 2.5, "partner_contact_buffer": 0.9},
        {"overload_distrust": 2.0, "overload_penalty_slope": 1.5, "dependency_voice_weight": 0.3},
    ],
    ids=["exponent 0.3", "exponent 1", "exponent 2", "contact memory 2.5", "overload and voice"],
)
def test_twins_follow_the_constants_in_force(states, changed):
    """Constants as a robustness analysis varies them, among them numpy's special cases of a power."""
    rng = np.random.default_rng(13)
    for name, model in states[::4]:
        st, params = _randomised(model, rng)
        constants = dict(model.constants, **changed)
        draws = WeekDraws.split(rng.random(WeekDraws.size(st.m, st.n)), st.m, st.n)
        try:
            _week(st, params, constants, draws)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error
