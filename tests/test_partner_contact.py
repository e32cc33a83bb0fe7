"""Personal contact between partners (ODD 7.11; switch ``partner_contact``): its equations, the submodel with the
switch on and off, and (marked ``long``) what it should produce over many seeds: more understanding and less
overload in an overloaded network."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from model import FIRST_VERSION, CollaborationModel
from model import mechanisms as mech
from model.metrics import METRICS
from model.state import NEVER

ON = {**FIRST_VERSION, "partner_contact": True}

# ---- the equations ---------------------------------------------------------------------------------------------


def test_contact_score_is_trust_times_missing_understanding():
    score = mech.contact_score(np.array([0.8, 0.8, 0.2, 0.0]), np.array([0.5, 1.0, 0.0, 0.3]))
    np.testing.assert_allclose(score, [0.4, 0.0, 0.2, 0.0])


def test_each_partner_seeks_its_highest_scores_without_random_numbers():
    src = np.array([0, 0, 0, 1, 1, 2])
    offsets = np.array([0, 3, 5])
    score = np.array([0.1, 0.5, 0.3, 0.2, 0.2, 0.0])
    chosen = mech.choose_partner_contacts(src, score, offsets, 1)
    # partner 0: its best relation; partner 1: a tie goes to the lower edge; partner 2: a score of 0 is no reason
    np.testing.assert_array_equal(chosen, [False, True, False, True, False, False])
    two = mech.choose_partner_contacts(src, score, offsets, 2)
    np.testing.assert_array_equal(two, [False, True, True, True, True, False])


def test_contact_time_is_a_share_of_the_working_week():
    assert mech.contact_time_factor(2.0, 40.0) == pytest.approx(0.95)
    assert mech.contact_time_factor(0.0, 40.0) == 1.0


def test_contact_buffers_a_share_of_recent_partners_information():
    sent = np.array([1.0, 1.0, 0.4])
    np.testing.assert_allclose(mech.buffered_information(sent, np.array([1.0, 0.0, 1.0]), 0.5), [0.5, 1.0, 0.2])


# ---- the submodel ----------------------------------------------------------------------------------------------


def _run(switches, weeks=10, **kw):
    model = CollaborationModel(scenario="sociaal_domein", rng=3, switches=switches, **kw)
    model.run_for(weeks)
    return model


def test_switched_off_nothing_of_it_runs():
    model = _run(FIRST_VERSION)
    st = model.state
    assert (st.last_contact == NEVER).all()
    assert model.partner_contacts == 0 and model.contact_load_relief == 0.0
    assert (st.contact_relief == 0).all()
    np.testing.assert_allclose(st.capacity_factor[st.active_index() != model.lead], 1.0)


def test_switched_on_partners_meet_and_pay_with_work_time():
    model = _run(ON)
    st = model.state
    assert model.partner_contacts > 0
    met = st.last_contact == st.tick
    np.testing.assert_array_equal(met, met[st.rev])  # a pair meets both ways
    others = np.arange(st.n) != model.lead
    np.testing.assert_allclose(st.capacity_factor[others], 1.0 - 2.0 / 40.0)
    assert model.contact_load_relief > 0.0
    assert (st.contact_relief >= 0).all()


def test_a_pair_that_meets_understands_each_other_better():
    before = CollaborationModel(scenario="jeugdaanpak", rng=2, switches=ON, strategy="none")
    u0 = before.state.understanding.copy()
    trust = before.state.trust()
    from model import submodels

    before.state.tick = 1
    pairs = submodels.partner_contact(before.state, before.constants, trust)
    st = before.state
    met = st.last_contact == 1
    assert pairs == met.sum() // 2 > 0
    gain = before.constants["partner_contact_understanding"]
    np.testing.assert_allclose(st.understanding[met], u0[met] + gain * (1.0 - u0[met]))
    np.testing.assert_array_equal(st.understanding[~met], u0[~met])


def test_without_time_understanding_or_buffer_the_mechanism_changes_nothing():
    """With every effect of the mechanism 0 the model computes exactly the first version's numbers (contacts are
    still counted): the switch adds no random numbers and changes nothing else."""
    zero = {"partner_contact_hours": 0.0, "partner_contact_understanding": 0.0, "partner_contact_buffer": 0.0}
    on = _run(ON, 20, constants=zero).datacollector.get_model_vars_dataframe()
    off = _run(FIRST_VERSION, 20, constants=zero).datacollector.get_model_vars_dataframe()
    same = [m for m in METRICS if m not in ("partner_contacts",)]
    np.testing.assert_array_equal(on[same].to_numpy(), off[same].to_numpy())
    assert on["partner_contacts"].iloc[-1] > 0


def test_recent_contact_lowers_the_load_but_not_the_information_benefit():
    model = _run(ON, 12, sharing_rate=1.0)
    st = model.state
    informed = st.load + st.contact_relief
    np.testing.assert_allclose(st.benefit, mech.information_benefit(informed))
    np.testing.assert_allclose(st.penalty, mech.overload_penalty(st.load))


# ---- what it should produce (ODD 7.11): a statistical check over 30 seeds ------------------------------------


@pytest.mark.long
def test_partner_contact_raises_understanding_and_lowers_overload_in_an_overloaded_network():
    """sociaal_domein with sharing_rate 1.0 (overloaded), balanced director, 104 weeks, 30 paired seeds: with
    partner contact on, understanding is higher and the overloaded share lower, each by a one-sided paired t-test
    with p < 1e-4 and a mean difference of at least 0.02 (understanding) and 0.05 (overloaded share)."""
    understanding, overloaded = [], []
    for seed in range(30):
        runs = {}
        for label, switches in (("on", ON), ("off", FIRST_VERSION)):
            model = CollaborationModel(scenario="sociaal_domein", rng=seed, switches=switches, sharing_rate=1.0)
            model.run_for(104)
            runs[label] = model
        understanding.append(runs["on"].understanding - runs["off"].understanding)
        overloaded.append(runs["off"].overloaded_share - runs["on"].overloaded_share)
    for name, diff, least in (("understanding", understanding, 0.02), ("overloaded share", overloaded, 0.05)):
        p = stats.ttest_1samp(diff, 0.0, alternative="greater").pvalue
        assert p < 1e-4, f"{name}: p = {p:.2g}"
        assert np.mean(diff) >= least, f"{name}: mean difference {np.mean(diff):.3f} < {least}"
