"""Accountability for shortfalls (ODD 7.3, model 2; the switch ``shortfall_accountability``): an incident is
attributed to a partner by its shortfall against what its neighbours expect of it, with a floor by effort; with the
switch off, by its share of the week's effort (the first version)."""

from __future__ import annotations

import numpy as np

from model import FIRST_VERSION, CollaborationModel, submodels
from model import mechanisms as mech
from model.constants import DECLARED
from model.metrics import METRICS
from model.submodels import MAX_INCIDENTS, JointWork, WeekDraws

ONLY_SHORTFALL = {**FIRST_VERSION, "shortfall_accountability": True}


# ---- the equation ------------------------------------------------------------------------------------------------


def test_where_nobody_falls_short_incidents_go_where_the_work_is_done():
    effort = np.array([0.2, 0.4, 0.8])
    weights = mech.shortfall_attribution_weights(effort * 0.5, effort, effort.mean(), frame_clarity=0.3)
    np.testing.assert_allclose(weights / weights.sum(), effort / effort.sum())
    np.testing.assert_allclose(weights, DECLARED["shortfall_floor"] * effort / effort.mean())


def test_a_partner_that_falls_short_weighs_its_visible_relative_shortfall_plus_the_floor():
    effort = np.array([0.8, 0.3])
    expected = np.array([0.8, 0.5])  # the second delivers 60% of what is expected of it
    weights = mech.shortfall_attribution_weights(expected, effort, 0.5, 0.2, floor=0.05, clarity_weight=0.5)
    visibility = 1 - 0.5 * (1 - 0.2)
    np.testing.assert_allclose(weights, [0.05 * 0.8 / 0.5, visibility * 0.4 + 0.05 * 0.3 / 0.5])
    assert weights[1] > weights[0]  # the busier partner is no longer the one blamed most


def test_the_shortfall_is_relative_to_what_is_expected():
    """A small and a large partner that both deliver 80% of what is expected of them weigh the same shortfall."""
    weights = mech.shortfall_attribution_weights(np.array([0.25, 1.0]), np.array([0.2, 0.8]), 0.5, 1.0, floor=0.0)
    np.testing.assert_allclose(weights, [0.2, 0.2])


def test_clearer_frames_make_a_shortfall_more_visible():
    effort, expected = np.array([0.4, 0.3]), np.array([0.4, 0.5])
    vague = mech.shortfall_attribution_weights(expected, effort, 0.35, 0.0)
    clear = mech.shortfall_attribution_weights(expected, effort, 0.35, 1.0)
    assert clear[1] / clear.sum() > vague[1] / vague.sum()
    assert clear[0] == vague[0]  # the floor does not depend on the frames
    # without any weight on the frames the shortfall is always fully visible
    np.testing.assert_allclose(
        mech.shortfall_attribution_weights(expected, effort, 0.35, 0.0, clarity_weight=0.0),
        mech.shortfall_attribution_weights(expected, effort, 0.35, 1.0, clarity_weight=0.0),
    )


def test_weights_are_never_negative_and_nobody_expected_has_no_shortfall():
    rng = np.random.default_rng(1)
    expected, effort = rng.random(50), rng.random(50)
    expected[:5] = 0.0
    weights = mech.shortfall_attribution_weights(expected, effort, float(effort.mean()), rng.random())
    assert (weights >= 0).all()
    np.testing.assert_allclose(weights[:5], DECLARED["shortfall_floor"] * effort[:5] / effort.mean())


# ---- the submodel ------------------------------------------------------------------------------------------------


def _attributions(switches: dict[str, bool], short: str = "Halt") -> np.ndarray:
    """How many of a week's incidents each partner gets when ``short`` is expected far more than it gives (the
    attribution uniforms evenly spaced, so the counts are the weights' shares to within one incident)."""
    model = CollaborationModel(scenario="jeugdaanpak", rng=3, incident_rate=5.0, switches=switches)
    st = model.state
    j = st.index[short]
    st.expectation[st.in_edges(j)] = 3.0  # its neighbours count on far more than anyone gives
    work = JointWork(effort=st.real_effort.copy(), output=1.0, pairs=20)
    lam = mech.incident_intensity(5.0, float(st.benefit.mean()), float(st.penalty.mean()))
    count = mech.poisson_from_uniform(0.999, lam, MAX_INCIDENTS)
    attribution = np.zeros(MAX_INCIDENTS)
    attribution[:count] = (np.arange(count) + 0.5) / count
    draws = WeekDraws(np.full(st.m, 0.5), np.full(st.n, 0.5), 0.999, attribution, np.full(MAX_INCIDENTS, 0.5))
    out = submodels.accountability_events(st, model.params, model.constants, work, draws, st.trust_evidence)
    assert len(out.outcomes) == count > 10
    return np.bincount([k for k, _ in out.outcomes], minlength=st.n) / count


def test_with_the_switch_incidents_go_to_the_partner_that_falls_short():
    model = CollaborationModel(scenario="jeugdaanpak", rng=3)
    halt = model.state.index["Halt"]
    on = _attributions(ONLY_SHORTFALL)
    off = _attributions(FIRST_VERSION)
    # it delivers a tenth of what is expected of it (shortfall 0.9, visible at 0.6 under frame clarity 0.2), the nine
    # others exactly what is expected (their floors, 0.05 each at about average effort): about half of the incidents
    assert on[halt] > 0.45
    assert off[halt] < 0.2  # by effort it is one of ten partners


def test_without_the_switch_incidents_follow_the_share_of_effort():
    model = CollaborationModel(scenario="jeugdaanpak", rng=3, switches=FIRST_VERSION)
    effort = model.state.real_effort
    shares = _attributions(FIRST_VERSION)
    np.testing.assert_allclose(shares, effort / effort.sum(), atol=0.1)


def test_the_switch_changes_whom_incidents_concern_not_how_many_arrive_or_the_draws():
    on = CollaborationModel(scenario="sociaal_domein", rng=5, switches=ONLY_SHORTFALL)
    off = CollaborationModel(scenario="sociaal_domein", rng=5, switches=FIRST_VERSION)
    on.step()
    off.step()
    assert on.counts["incidents"] == off.counts["incidents"]  # the same state before the first incidents
    np.testing.assert_array_equal(on.world_uniforms(7), off.world_uniforms(7))  # common random numbers
    on.run_for(51)
    off.run_for(51)
    partners = [{e["partner"] for e in m.events if e["event"] == "incident"} for m in (on, off)]
    assert partners[0] != partners[1] or on.counts != off.counts  # the rule is not a no-op


def test_with_the_switch_off_the_model_is_the_first_version():
    """Every switch off: the stored first-version reference (jeugdaanpak, balanced, seed 1, 20 weeks), exactly."""
    import pandas as pd

    from benchmarks.make_regression_reference import DATA_DIR

    stored = pd.read_csv(DATA_DIR / "jeugdaanpak.csv")
    stored = stored[stored["strategy"] == "balanced"]
    model = CollaborationModel(scenario="jeugdaanpak", strategy="balanced", rng=1, switches=FIRST_VERSION)
    model.run_for(20)
    now = model.datacollector.get_model_vars_dataframe()
    columns = [c for c in stored.columns if c in METRICS]
    np.testing.assert_allclose(now[columns].to_numpy(float), stored[columns].to_numpy(float), rtol=1e-9, atol=1e-12)
