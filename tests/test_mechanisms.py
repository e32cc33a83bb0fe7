"""Each mechanism alone, against its equation and the published results of model spec section 9."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model import mechanisms as mech
from model.constants import DECLARED

# ---- beta reputation (Josang & Ismail 2002) -----------------------------------------------------------------


def run_evidence(p: float, retention: float, ticks: int, rng=None):
    """Feed a steady share p of positive evidence (kappa = 1), read trust and doubt right after each update."""
    r = s = 0.0
    for _ in range(ticks):
        if rng is None:
            pos, neg = p, 1.0 - p
        else:
            pos = float(rng.random() < p)
            neg = 1.0 - pos
        r, s = mech.update_evidence(r, s, pos, neg, retention)
    return mech.trust_from_evidence(r, s, 0.5, 2.0), mech.doubt_from_evidence(r, s, 2.0)


def test_beta_reputation_limit_with_forgetting_is_published_value():
    trust, _ = run_evidence(0.8, 0.9, 500)
    assert trust == pytest.approx((0.8 + 1 - 0.9) / (1 + 2 * (1 - 0.9)))
    assert trust == pytest.approx(0.75)


def test_beta_reputation_limit_holds_in_expectation_for_random_experiences():
    rng = np.random.default_rng(7)
    finals = [run_evidence(0.8, 0.9, 300, rng)[0] for _ in range(400)]
    assert np.mean(finals) == pytest.approx(0.75, abs=0.01)


def test_beta_reputation_without_forgetting_converges_to_p_and_doubt_vanishes():
    trust, doubt = run_evidence(0.7, 1.0, 20000)
    assert trust == pytest.approx(0.7, abs=1e-3)
    assert doubt < 1e-3


def test_evidence_for_trust_is_the_steady_state_of_its_trust():
    r0, s0 = mech.evidence_for_trust(np.array([0.2, 0.5, 0.8]), 0.95, 0.5, 2.0)
    assert np.allclose(r0 + s0, 20.0)
    assert np.allclose(mech.trust_from_evidence(r0, s0, 0.5, 2.0), [0.2, 0.5, 0.8])


def test_trust_doubt_distrust_partition_belief_mass():
    r, s, w = np.array([0.0, 3.0, 10.0]), np.array([0.0, 5.0, 1.0]), 2.0
    belief = r / (r + s + w)
    total = belief + mech.distrust_from_evidence(r, s, w) + mech.doubt_from_evidence(r, s, w)
    assert np.allclose(total, 1.0)
    # trust is belief plus the base rate's share of doubt
    assert np.allclose(mech.trust_from_evidence(r, s, 0.5, w), belief + 0.5 * mech.doubt_from_evidence(r, s, w))


# ---- asymmetric trust (Slovic 1993) -----------------------------------------------------------------------------


@pytest.mark.parametrize("kappa", [1.5, 2.0, 4.0])
def test_one_negative_experience_costs_more_trust_than_one_positive_gains(kappa):
    r, s = mech.evidence_for_trust(0.6, 0.95)
    t0 = mech.trust_from_evidence(r, s)
    good, bad = mech.asymmetric_judgement(np.array([1.0, 0.1]), np.array([0.5, 0.5]), kappa)
    gain = mech.trust_from_evidence(*mech.update_evidence(r, s, good[0], bad[0], 1.0)) - t0
    loss = t0 - mech.trust_from_evidence(*mech.update_evidence(r, s, good[1], bad[1], 1.0))
    assert gain > 0 and loss > gain


def test_judgement_is_symmetric_when_kappa_is_one():
    r, s = 10.0, 10.0
    t0 = mech.trust_from_evidence(r, s)
    gain = mech.trust_from_evidence(r + 1, s) - t0
    loss = t0 - mech.trust_from_evidence(r, s + 1)
    assert gain == pytest.approx(loss)


def test_judgement_tolerance_counts_near_misses_as_met():
    good, bad = mech.asymmetric_judgement(np.array([0.76, 0.74]), np.array([1.0, 1.0]), 2.0, tolerance=0.25)
    assert list(good) == [1.0, 0.0] and list(bad) == [0.0, 2.0]


def test_expectation_follows_experience_and_drifts_up_unless_managed():
    x = mech.update_expectation(np.array([0.5]), np.array([0.5]), drift_on=1.0)
    assert x[0] > 0.5
    assert mech.update_expectation(np.array([0.5]), np.array([0.5]), drift_on=0.0)[0] == 0.5
    assert mech.update_expectation(np.array([0.5]), np.array([1.0]), drift_on=0.0)[0] == pytest.approx(0.6)


# ---- bounded confidence (Deffuant et al. 2000) -------------------------------------------------------------


def deffuant_clusters(d: float, seed: int, n: int = 500, meetings: int = 150_000) -> int:
    rng = np.random.default_rng(seed)
    values = rng.random(n)
    pairs = rng.integers(0, n, size=(meetings, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    # clusters counted with the default gap (0.05), as the validation counts them
    return mech.count_major_clusters(mech.deffuant_pairwise(values, d, 0.5, pairs), share=0.05)


@pytest.mark.parametrize("d", [0.6, 0.3])
def test_deffuant_reaches_consensus_for_wide_confidence(d):
    assert all(deffuant_clusters(d, seed) == 1 for seed in (1, 2, 3))


@pytest.mark.parametrize("d", [0.25, 0.2])
def test_deffuant_two_major_clusters_for_moderate_confidence(d):
    assert [deffuant_clusters(d, seed) for seed in (1, 2, 3)] == [2, 2, 2]


def test_deffuant_four_to_five_major_clusters_at_confidence_one_tenth():
    counts = [deffuant_clusters(0.1, seed) for seed in (1, 2, 3)]
    assert all(4 <= c <= 5 for c in counts), counts


def test_bounded_confidence_step_moves_only_pairs_within_the_bound():
    values = np.array([[0.0, 0.0], [0.1, 0.1], [0.9, 0.9]])
    src, dst = np.array([0, 1, 0, 2]), np.array([1, 0, 2, 0])
    out = mech.bounded_confidence_step(values, src, dst, np.ones(4), confidence_bound=0.3, mu=0.5)
    assert np.allclose(out[0], [0.05, 0.05]) and np.allclose(out[1], [0.05, 0.05])
    assert np.allclose(out[2], values[2])  # too far from everyone: unmoved


# ---- joint work ---------------------------------------------------------------------------------------------


def test_choose_contacts_picks_k_per_partner_and_never_excluded_edges():
    src = np.repeat(np.arange(4), 3)
    offsets = np.array([0, 3, 6, 9])
    w = np.zeros(12)
    w[[1, 4]] = -np.inf
    rng = np.random.default_rng(3)
    for _ in range(50):
        chosen = mech.choose_contacts(src, w, rng.random(12), offsets, 2)
        assert list(np.bincount(src[chosen], minlength=4)) == [2, 2, 2, 2]
        assert not chosen[[1, 4]].any()


def test_choose_contacts_frequency_is_proportional_to_weight():
    weights = np.array([0.1, 0.2, 0.3, 0.4])
    src, offsets = np.zeros(4, dtype=np.int64), np.array([0])
    rng = np.random.default_rng(11)
    counts = np.zeros(4)
    trials = 4000
    for _ in range(trials):
        counts += mech.choose_contacts(src, np.log(weights), rng.random(4), offsets, 1)
    assert stats.chisquare(counts, weights * trials).pvalue > 0.001


def test_lognormal_noise_has_mean_one_and_sigma():
    noise = mech.lognormal_noise(np.random.default_rng(5).random(200_000), 0.2)
    assert noise.mean() == pytest.approx(1.0, abs=0.005)
    assert np.log(noise).std() == pytest.approx(0.2, abs=0.005)


def test_weekly_effort_misuse_needs_freedom_without_commitment():
    cap, pen, ben, noise = np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)
    commitment = np.array([0.8, 0.1, 0.1])
    freedom = np.array([1.0, 1.0, 0.0])
    effort, misuse = mech.weekly_effort(cap, commitment, pen, ben, freedom, noise)
    assert misuse[0] == 0 and misuse[1] == pytest.approx(DECLARED["misuse_below"] - 0.1) and misuse[2] == 0
    assert effort[0] == pytest.approx(0.8 * 1.24)  # freedom used with commitment raises effort
    assert effort[1] < effort[2]  # room used without commitment lowers it


def test_pair_output_rewards_diverse_partners_who_trust_and_respect_each_other():
    base = mech.pair_output(0.5, 0.5, 0.0, 1.0, 1.0)
    assert base == 1.0
    assert mech.pair_output(0.5, 0.5, 0.5, 1.0, 1.0) == pytest.approx(1.3)
    assert mech.pair_output(0.5, 0.5, 0.5, 0.0, 1.0) == 1.0


# ---- information overload -------------------------------------------------------------------------------------


def test_information_benefit_saturates_and_penalty_starts_above_capacity():
    load = np.array([0.0, 0.25, 1.0, 2.0, 3.0, 5.0])
    assert np.allclose(mech.information_benefit(load), [0, 0.5, 1, 1, 1, 1])
    assert np.allclose(mech.overload_penalty(load), [0, 0, 0, 0.5, 1.0, 1.0])


def test_information_structure_lowers_load():
    assert mech.information_load(2.0, 1.0, 1.0) == pytest.approx(0.8)
    assert mech.information_load(2.0, 0.0, 2.0) == pytest.approx(1.0)


# ---- accountability events ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lam", [0.3, 2.5])
def test_poisson_by_inverse_cdf_has_the_poisson_distribution(lam):
    u = np.random.default_rng(9).random(20_000)
    counts = np.array([mech.poisson_from_uniform(x, lam, 32) for x in u])
    observed = np.bincount(counts, minlength=8)[:8]
    expected = stats.poisson.pmf(np.arange(8), lam) * len(u)
    keep = expected > 5
    assert stats.chisquare(observed[keep], expected[keep] * observed[keep].sum() / expected[keep].sum()).pvalue > 1e-3


def test_incidents_rise_when_the_network_is_uninformed_or_overloaded():
    healthy = mech.incident_intensity(0.1, 1.0, 0.0)
    assert healthy == pytest.approx(0.1)
    assert mech.incident_intensity(0.1, 0.0, 0.0) == pytest.approx(0.2)
    assert mech.incident_intensity(0.1, 1.0, 0.5) == pytest.approx(0.2)


# ---- relationship updates and interventions -------------------------------------------------------------------


def test_understanding_neutralises_value_distance_in_respect():
    assert mech.respect_target(0.6, 0.0) == pytest.approx(0.4)
    assert mech.respect_target(0.6, 1.0) == pytest.approx(1.0)


def test_perceived_equality_falls_with_power_gap_unless_procedures_are_equal():
    low = mech.equality_target(0.5, 0.4, np.array([0.0, 0.6]))
    assert low[0] > low[1]
    equal = mech.equality_target(0.5, 1.0, np.array([0.0, 0.6]))
    assert equal[0] == equal[1]


def test_commitment_needs_stake_and_visible_progress():
    args = dict(trust=0.8, respect=0.8, equality=0.8, penalty=0.0)
    assert mech.commitment_target(0.0, progress=1.0, **args) == 0.0
    assert mech.commitment_target(0.9, progress=1.0, **args) > mech.commitment_target(0.9, progress=0.0, **args)


def test_dose_response_has_diminishing_returns():
    assert mech.dose(0, 12) == 0
    assert mech.dose(12, 12) == pytest.approx(1 - np.exp(-1))
    assert mech.dose(24, 12) - mech.dose(12, 12) < mech.dose(12, 12)
    assert mech.raise_level(0.5, 0.2, 1.0, 1.0) == pytest.approx(0.6)
    assert mech.lower_level(0.5, 0.2, 1.0) == pytest.approx(0.4)


def test_accounted_incident_brings_learning():
    expectation, accountability, blame = mech.incident_learning(np.array([1.0, 0.2]), 0.6, 0.5, 0.3)
    assert np.allclose(expectation, [0.8, 0.4])  # halfway to the real effort
    assert accountability == pytest.approx(0.6) and blame == pytest.approx(0.29)


def test_blamed_incident_closes_the_partner_and_costs_respect_of_those_who_do_not_understand_it():
    acc, openness, respect, equality, blame = mech.incident_blame(
        0.5, 0.5, np.array([0.8, 0.8, 0.05]), np.array([0.3, 0.7, 0.1]), 0.6, np.array([0.9, 0.2, 0.5]), 0.3, 0.2
    )
    assert acc == pytest.approx(0.4) and openness == pytest.approx(0.4)
    assert np.allclose(respect, [0.7, 0.8, 0.0])  # only strangers lose respect, never below 0
    assert equality == pytest.approx(0.6 - 0.1 * (0.6 + 0.0 + 0.2) / 3)  # blamers more powerful: equality drops
    assert blame == pytest.approx(0.2 + 0.02 * 0.9)  # the strongest blamer pushes the culture


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.floats(0, 1) | st.sampled_from([0.25, 0.5, 0.0, -0.0, float("nan")]), max_size=60),
    count=st.integers(-1, 70),
)
def test_the_set_of_lowest_values_is_the_sorted_stable_argsort_s_head(values, count):
    x = np.array(values, dtype=float)
    expected = np.sort(np.argsort(x, kind="stable")[: max(count, 0)])
    for sort_below in (0, 10**9):  # the partition first; the sort
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(mech, "SORT_BELOW", sort_below)
            np.testing.assert_array_equal(mech.lowest_set(x, count), expected)
