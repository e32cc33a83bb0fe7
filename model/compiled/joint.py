"""Compiled twins of joint work (ODD 7.1) and personal contact between partners (ODD 7.11).

:func:`joint_work` and :func:`partner_contact` have the signatures and the effect on the state of
:func:`model.submodels.joint_work` and :func:`model.submodels.partner_contact`; each gathers what it needs from the
state and calls one compiled kernel that does the week's arithmetic in loops, in the reference's order:

- the contact choice (:func:`model.mechanisms.choose_contacts`, :func:`model.mechanisms.choose_partner_contacts`):
  per partner the ``k`` relations with the largest key, ties to the lower relation index, keys of -inf never; with
  the reference's two paths' results where they differ (a NaN or +inf key: the sorting path, below ``SORT_BELOW``
  relations, never chooses it, though a +inf takes a rank; the rounds of maxima, from it up, choose nothing in a
  partner's block that holds one);
- the weekly effort, its noise, the judgements (summed per relation as ``np.bincount`` sums them, then added to the
  week's evidence as ``trust_evidence.positive += ...`` does), expectations, understanding and the pairs' output
  (summed as numpy sums: :func:`model.compiled.common.pairwise_sum`).

The effort's noise needs the normal quantile (``scipy.special.ndtri``), which numba does not have: the wrapper
calls scipy's own on the week's uniforms (the same numbers), and the kernel applies the reference's clipping. With a
ledger of the trust evidence (``trust_evidence.ledger`` set), :func:`joint_work` calls the reference, which records
every addition. The kernels' logarithms and exponentials may differ from numpy's vectorised ones in the last bit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from numba import njit

from model import mechanisms as mech
from model import submodels as reference
from model.compiled.common import pairwise_sum
from model.evidence import TrustEvidence
from model.state import NetworkState
from model.submodels import Constants, JointWork, Params, WeekDraws

#: From this many relations up, the reference chooses by rounds of maxima instead of a sort
#: (:func:`model.mechanisms.choose_top`).
SORT_BELOW = mech.SORT_BELOW
#: The effort noise's clipping of its uniforms (:func:`model.mechanisms.lognormal_noise`).
NOISE_LOW = 1e-12
NOISE_HIGH = 1.0 - 1e-12


@functools.cache
def _ndtri() -> tuple[Callable[[np.ndarray], np.ndarray], float, float]:
    """scipy's normal quantile (imported on first use, as :mod:`model.mechanisms` does), and its values at the
    clipping bounds of the noise's uniforms."""
    from scipy import special

    return special.ndtri, float(special.ndtri(NOISE_LOW)), float(special.ndtri(NOISE_HIGH))


@njit(cache=True)
def _above_zero(x: float) -> float:
    """``np.maximum(0.0, x)`` of one number (a NaN stays NaN)."""
    return x if x > 0.0 or x != x else 0.0


# ---- the choice of contacts ----------------------------------------------------------------------------------------


@njit(cache=True)
def _choose_top(key: np.ndarray, offsets: np.ndarray, m: int, k: int, rounds: bool) -> np.ndarray:
    """The ``k`` relations with the largest ``key`` in each partner's block, ties to the lower index, a key of -inf
    never (:func:`model.mechanisms.choose_top`), as a mask. ``rounds``: the reference's path of rounds of maxima
    (at or above ``SORT_BELOW`` relations), which chooses nothing in a block holding a NaN or a +inf; else its
    sorting path, where a NaN ranks last and a +inf takes a rank but is not chosen.

    One pass per block, keeping its best ``k`` so far in descending order (a later relation passes an earlier
    one only with a larger key)."""
    chosen = np.zeros(m, dtype=np.bool_)
    if k <= 0:
        return chosen
    best = np.empty(k, dtype=np.int64)
    best_key = np.empty(k)
    n = offsets.size
    for p in range(n):
        end = offsets[p + 1] if p + 1 < n else m
        count = 0
        skip = False
        for e in range(offsets[p], end):
            v = key[e]
            if v != v or v == np.inf:
                if rounds:  # the round's maximum is NaN or +inf: nothing is chosen in this block
                    skip = True
                    break
                if v != v:  # sorted last: never among the best
                    continue
            if v == -np.inf:  # never chosen, and only after every finite key
                continue
            if count == k:
                if not v > best_key[k - 1]:
                    continue
                count -= 1
            at = count
            while at > 0 and v > best_key[at - 1]:
                best[at] = best[at - 1]
                best_key[at] = best_key[at - 1]
                at -= 1
            best[at] = e
            best_key[at] = v
            count += 1
        if skip:
            continue
        for r in range(count):
            if best_key[r] != np.inf:  # a +inf takes a rank, unchosen
                chosen[best[r]] = True
    return chosen


# ---- joint work (ODD 7.1) ------------------------------------------------------------------------------------------


@njit(cache=True)
def _joint_work(
    dst: np.ndarray,
    rev: np.ndarray,
    offsets: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    trust: np.ndarray,
    choice: np.ndarray,
    noise_uniforms: np.ndarray,
    noise_quantiles: np.ndarray,
    work_capacity: np.ndarray,
    capacity_factor: np.ndarray,
    commitment: np.ndarray,
    penalty: np.ndarray,
    benefit: np.ndarray,
    freedom: np.ndarray,
    expectation: np.ndarray,
    understanding: np.ndarray,
    respect: np.ndarray,
    distance0: np.ndarray,
    positive: np.ndarray,
    negative: np.ndarray,
    k: int,
    rounds: bool,
    with_goals: bool,
    progress: float,
    resources: float,
    freedom_on: bool,
    drift_on: float,
    kappa: float,
    quantile_low: float,
    quantile_high: float,
    misuse_below: float,
    information_bonus: float,
    freedom_bonus: float,
    misuse_penalty: float,
    sigma: float,
    met_tolerance: float,
    expectation_rate: float,
    overpromise_drift: float,
    understanding_gain: float,
    synergy: float,
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """The week's joint work on the state's arrays (``expectation``, ``understanding``, ``positive``, ``negative``
    in place); returns (effort, noiseless effort, output, pairs)."""
    m = dst.size
    n = active.size
    # contacts: Gumbel-top-k on log trust, -inf on inactive relations
    key = np.empty(m)
    for e in range(m):
        u = choice[e]
        if not edge_active[e]:
            key[e] = -np.inf if u == u else u  # -inf less any Gumbel term (finite, or NaN from a NaN)
            continue
        t = trust[e]
        if not (t != t or t >= 1e-12):
            t = 1e-12
        if not (u != u or u >= 1e-300):
            u = 1e-300
        if not (u != u or u <= 1.0 - 1e-16):
            u = 1.0 - 1e-16
        key[e] = np.log(t) - np.log(-np.log(u))
    chosen = _choose_top(key, offsets, m, k, rounds)
    pairs = 0
    pairings = np.zeros(n, dtype=np.int64)
    for e in range(m):
        if chosen[e]:
            pairs += 1
            pairings[dst[rev[e]]] += 1  # the source of e
            pairings[dst[e]] += 1
    # the weekly effort (freedom off: no bonus, no misuse)
    goal_factor = 1.0
    if with_goals:
        g = progress if not (progress > 1.0) else 1.0
        goal_factor = 1.0 + resources * g
    noiseless = np.empty(n)
    effort = np.empty(n)
    misuse = np.empty(n)
    noise_scale = -0.5 * sigma * sigma
    for p in range(n):
        capacity = work_capacity[p] * capacity_factor[p]
        if with_goals:
            capacity = capacity * goal_factor
        f = freedom[p] if freedom_on else 0.0
        use = f * _above_zero(misuse_below - commitment[p])
        factor = _above_zero(1.0 + freedom_bonus * f * commitment[p] - misuse_penalty * use)
        value = capacity * commitment[p] * (1.0 - penalty[p]) * (1.0 + information_bonus * benefit[p]) * factor * 1.0
        value = value * (1.0 if active[p] else 0.0)
        u = noise_uniforms[p]
        if u != u:
            z = u
        elif u < NOISE_LOW:
            z = quantile_low
        elif u > NOISE_HIGH:
            z = quantile_high
        else:
            z = noise_quantiles[p]
        noiseless[p] = value
        effort[p] = value * np.exp(noise_scale + sigma * z)
        misuse[p] = use
    # each side of a pair judges the other's whole weekly effort: relation e is judged once for each of e and its
    # reverse that was chosen, the same judgement each time, summed from 0 (as np.bincount sums)
    drift = overpromise_drift * drift_on
    for e in range(m):
        times = (1 if chosen[e] else 0) + (1 if chosen[rev[e]] else 0)
        if times == 0:
            positive[e] += 0.0
            negative[e] += 0.0
            continue
        judged = dst[e]
        x = expectation[e]
        met = effort[judged] >= x * (1.0 - met_tolerance)
        good = 1.0 if met else 0.0
        bad = (0.0 if met else kappa) + kappa * misuse[judged]
        total_good = 0.0 + good
        total_bad = 0.0 + bad
        if times == 2:
            total_good += good
            total_bad += bad
        positive[e] += total_good
        negative[e] += total_bad
        expectation[e] = x + expectation_rate * (effort[judged] - x) + drift * (1.0 - x)
        understanding[e] += understanding_gain * (1.0 - understanding[e])
    # the pairs' output: (c_i + c_j)(1 + synergy d0 R T), on the effort shared over each partner's pairings
    out = np.empty(pairs)
    q = 0
    for e in range(m):
        if not chosen[e]:
            continue
        r = rev[e]
        i = dst[r]
        j = dst[e]
        share_i = effort[i] / (pairings[i] if pairings[i] > 1 else 1)
        share_j = effort[j] / (pairings[j] if pairings[j] > 1 else 1)
        mutual_t = (trust[e] + trust[r]) / 2
        mutual_r = (respect[e] + respect[r]) / 2
        out[q] = (share_i + share_j) * (1.0 + synergy * distance0[e] * mutual_r * mutual_t)
        q += 1
    return effort, noiseless, pairwise_sum(out), pairs


def joint_work(
    state: NetworkState,
    params: Params,
    constants: Constants,
    trust: np.ndarray,
    draws: WeekDraws,
    trust_evidence: TrustEvidence,
) -> JointWork:
    """:func:`model.submodels.joint_work`, compiled (the same numbers and effect on the state)."""
    if trust_evidence.ledger is not None:  # the ledger records every addition: the reference does
        return reference.joint_work(state, params, constants, trust, draws, trust_evidence)
    st, c = state, constants
    ndtri, low, high = _ndtri()
    noise = draws.noise
    goals = st.goals
    effort, noiseless, output, pairs = _joint_work(
        st.dst,
        st.rev,
        st.offsets,
        st.edge_active,
        st.active,
        trust,
        draws.choice,
        noise,
        ndtri(noise),
        st.work_capacity,
        st.capacity_factor,
        st.commitment,
        st.penalty,
        st.benefit,
        st.freedom,
        st.expectation,
        st.understanding,
        st.respect,
        st.distance0,
        trust_evidence.positive,
        trust_evidence.negative,
        params["contacts_per_week"],
        st.m >= SORT_BELOW,
        goals is not None,
        goals.progress if goals is not None else 0.0,
        goals.spec.resources if goals is not None else 0.0,
        st.switches["freedom"],
        float(st.tick > st.drift_off_until),
        params["kappa"],
        low,
        high,
        c["misuse_below"],
        c["information_bonus"],
        c["freedom_bonus"],
        c["misuse_penalty"],
        c["effort_noise_sd"],
        c["met_tolerance"],
        c["expectation_rate"],
        c["overpromise_drift"],
        c["understanding_gain"],
        c["synergy"],
    )
    st.real_effort = noiseless
    return JointWork(effort, output, pairs)


# ---- personal contact between partners (ODD 7.11) ------------------------------------------------------------------


@njit(cache=True)
def _partner_contact(
    rev: np.ndarray,
    offsets: np.ndarray,
    edge_active: np.ndarray,
    trust: np.ndarray,
    understanding: np.ndarray,
    last_contact: np.ndarray,
    equal_gumbel: np.ndarray,
    tick: int,
    k: int,
    rounds: bool,
    effect: float,
) -> int:
    """Personal contact on the state's arrays (``understanding``, ``last_contact`` in place); returns the number of
    pairs that met."""
    m = rev.size
    key = np.empty(m)
    for e in range(m):
        score = trust[e] * (1.0 - understanding[e]) if edge_active[e] else 0.0
        log_score = np.log(score) if score > 0.0 else -np.inf
        key[e] = log_score - equal_gumbel[e]
    sought = _choose_top(key, offsets, m, k, rounds)
    meets = np.zeros(m, dtype=np.bool_)
    for e in range(m):
        if sought[e]:
            meets[e] = True
            meets[rev[e]] = True
    met = 0
    for e in range(m):
        if meets[e]:
            understanding[e] = understanding[e] + effect * 1.0 * 1.0 * (1.0 - understanding[e])
            last_contact[e] = tick
            met += 1
    return met // 2


def partner_contact(state: NetworkState, constants: Constants, trust: np.ndarray) -> int:
    """:func:`model.submodels.partner_contact`, compiled (the same numbers and effect on the state)."""
    st = state
    return int(
        _partner_contact(
            st.rev,
            st.offsets,
            st.edge_active,
            trust,
            st.understanding,
            st.last_contact,
            mech._equal_gumbel(st.m),
            st.tick,
            int(constants["partner_contacts_per_week"]),
            st.m >= SORT_BELOW,
            constants["partner_contact_understanding"],
        )
    )
