"""The switches of the first version's mechanisms (model.switches, ODD 7.14): on by default, and off each removes its
mechanism's effect (its neutral form) while the model keeps running."""

from __future__ import annotations

import numpy as np
import pytest

from model import SWITCHES, CollaborationModel
from model import mechanisms as mech

FIRST = ("blame", "overload", "freedom", "role_division_costs", "coordination_costs")


def test_the_first_versions_switches_are_declared_and_on_by_default():
    model = CollaborationModel(scenario="jeugdaanpak", rng=1)
    for name in FIRST:
        assert SWITCHES[name].version == 1
        assert model.switches[name] is True and model.state.switches[name] is True


def _run(switches: dict[str, bool], steps: int = 30, **params) -> CollaborationModel:
    model = CollaborationModel(scenario="jeugdaanpak", rng=3, switches=switches, **params)
    for _ in range(steps):
        model.step()
    return model


def test_blame_off_leaves_an_unaccounted_incident_only_its_setback(monkeypatch):
    calls = []
    original = mech.incident_blame
    monkeypatch.setattr(mech, "incident_blame", lambda *a: calls.append(1) or original(*a))
    # the reference engine, whose submodels call the mechanism (the compiled engine's twin gives the same numbers)
    harsh = {"blame_culture": 0.9, "incident_rate": 1.5, "strategy": "none", "engine": "reference"}
    on = _run({}, **harsh)
    assert on.counts["blamed"] > 0 and len(calls) == on.counts["blamed"] and on.escalations > 0
    calls.clear()
    off = _run({"blame": False}, **harsh)
    assert off.counts["blamed"] > 0 and not calls and off.escalations == 0
    # the blame level never rises above where relaxing and learning leave it: at most the culture it started at
    assert off.state.blame <= 0.9 + 1e-12
    # openness follows accountability times trust given, without the blame level's closing
    st = CollaborationModel(scenario="jeugdaanpak", rng=3, switches={"blame": False}, blame_culture=0.9).state
    assert np.allclose(st.openness, np.clip(st.accountability * st.mean_out(st.trust()), 0, 1))
    st_on = CollaborationModel(scenario="jeugdaanpak", rng=3, blame_culture=0.9).state
    assert (st_on.openness < st.openness - 1e-9).all()


def test_blame_off_blamed_incidents_cost_no_trust():
    harsh = {"blame_culture": 0.9, "incident_rate": 1.5, "strategy": "none"}
    on, off = _run({}, **harsh), _run({"blame": False}, **harsh)
    assert off.trust > on.trust


def test_overload_off_makes_the_load_cost_nothing():
    flood = {"sharing_rate": 2.5, "info_structure": 0.0, "strategy": "none"}
    on, off = _run({}, 10, **flood), _run({"overload": False}, 10, **flood)
    assert on.overloaded_share > 0 and off.overloaded_share > 0  # the load is still there
    assert on.state.penalty.max() > 0 and not off.state.penalty.any()
    assert off.transparency == pytest.approx(float(off.state.openness.mean()))
    assert off.task_progress > on.task_progress


def test_freedom_off_frames_no_longer_reach_the_work():
    """With freedom acting on nothing (and frame clarity out of the attribution of incidents), frame clarity moves
    freedom only: every other output is the same for vague and clear frames."""
    base = {"freedom": False, "shortfall_accountability": False}
    outs = []
    for clarity in (0.2, 0.9):
        model = _run(base, 30, frame_clarity=clarity, strategy="none")
        outs.append(model.datacollector.get_model_vars_dataframe())
    vague, clear = outs
    assert (clear["freedom"].iloc[-1]) > vague["freedom"].iloc[-1]
    same = [c for c in vague.columns if c not in ("freedom", "frame_clarity", "floor_frame_clarity", "health")]
    assert np.array_equal(vague[same].to_numpy(), clear[same].to_numpy(), equal_nan=True)
    # with the switch on, the frames change the work
    on = [
        _run({"shortfall_accountability": False}, 30, frame_clarity=c, strategy="none").task_progress
        for c in (0.2, 0.9)
    ]
    assert on[0] != on[1]


@pytest.mark.parametrize("switch", [True, False])
def test_role_division_costs(switch):
    model = CollaborationModel(
        scenario="jeugdaanpak", rng=1, strategy="manual", switches={"role_division_costs": switch}
    )
    st = model.state
    commitment, equality, frames = st.commitment.copy(), st.equality.copy(), st.frame_clarity
    model.apply_intervention("role_division")
    assert st.frame_clarity > frames
    if switch:
        assert (st.commitment < commitment).all() and (st.equality <= equality).all()
        assert (st.equality < equality).any()
    else:
        assert np.array_equal(st.commitment, commitment) and np.array_equal(st.equality, equality)


@pytest.mark.parametrize("governance", ["shared", "lead", "nao"])
def test_coordination_costs_off_costs_no_capacity(governance):
    switches = {"partner_contact": False}
    on = CollaborationModel(scenario="jeugdaanpak", rng=1, governance=governance, switches=switches)
    off = CollaborationModel(
        scenario="jeugdaanpak", rng=1, governance=governance, switches={**switches, "coordination_costs": False}
    )
    assert on.state.capacity_factor.min() < 1.0
    assert np.array_equal(off.state.capacity_factor, np.ones(off.state.n))
    # personal contact between partners still takes its time
    contact = CollaborationModel(
        scenario="jeugdaanpak", rng=1, governance=governance, switches={"coordination_costs": False}
    )
    assert contact.state.capacity_factor.max() < 1.0
