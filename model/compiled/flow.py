"""Compiled twins of the information flow, the accountability events and their escalation (ODD 7.2, 7.3, 7.13),
and of the voice of dependent partners (ODD 7.10) that they and the metrics read.

Each function has the signature and the effect of its reference in :mod:`model.submodels`: one compiled kernel does
a submodel's arithmetic in loops, in the reference's order (sums in numpy's order: ``np.bincount`` and ``np.cumsum``
in order, ``.sum()`` and means pairwise; element-wise expressions associated as written there), so the numbers and
every decision (an incident's count, whom it is attributed to, whether account is given) are the reference's. With
the trust evidence's ledger on (``trust_evidence.ledger is not None``), a twin calls its reference, which records
every addition with its source.

What they cost (process time per call on jeugdaanpak, 10 partners and 44 relations, against the reference's):
information flow 4.0 us (32 us), accountability events 1.2 us in a week without incidents and about 6 us with some
(23 and 45-76 us), an escalation 2.2 us (16.5 us), voice 0.8 us (4.3 us), the account voice 1.6 us (10.4 us); most
of it is the calls' arguments. A week without incidents runs only the count's small kernel.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from model import mechanisms as mech
from model import submodels as ref
from model.compiled.common import pairwise_sum
from model.evidence import TrustEvidence
from model.state import NetworkState
from model.submodels import MAX_INCIDENTS, Constants, Incidents, JointWork, Params, WeekDraws

#: An array for an output a kernel does not fill (never written).
_NOTHING = np.empty(0)

# ---- numpy's element-wise rules, one number at a time ----------------------------------------------------------------


@njit(cache=True, inline="always")
def _minimum(a: float, b: float) -> float:
    """``np.minimum(a, b)``: NaN if either is NaN."""
    return a if (a < b or a != a) else b


@njit(cache=True, inline="always")
def _maximum(a: float, b: float) -> float:
    """``np.maximum(a, b)``: NaN if either is NaN."""
    return a if (a > b or a != a) else b


@njit(cache=True, inline="always")
def _power(x: float, exponent: float) -> float:
    """``array ** exponent`` as numpy computes it for a float array and a scalar exponent (its fast paths: 0.5 a
    square root, 2 a square, 1 the value, 0 one, -1 a reciprocal; else the power)."""
    if exponent == 0.5:
        return math.sqrt(x)
    if exponent == 2.0:
        return x * x
    if exponent == 1.0:
        return x
    if exponent == 0.0:
        return 1.0
    if exponent == -1.0:
        return 1.0 / x
    return x**exponent


@njit(cache=True, inline="always")
def _less(a: float, b: float) -> bool:
    """numpy's sort order of floats: NaN after every number."""
    return a < b or (b != b and a == a)


@njit(cache=True)
def _searchsorted_right(a: np.ndarray, size: int, v: float) -> int:
    """``np.searchsorted(a[:size], v, side="right")``: numpy's bisection with its comparison."""
    low = 0
    high = size
    while low < high:
        mid = low + ((high - low) >> 1)
        if not _less(v, a[mid]):
            low = mid + 1
        else:
            high = mid
    return low


@njit(cache=True)
def _voice(
    src: np.ndarray,
    dst: np.ndarray,
    dependency: np.ndarray,
    power: np.ndarray,
    recognition: np.ndarray,
    weight: float,
    f: np.ndarray,
) -> None:
    """:func:`model.submodels.voice` into ``f``: 1 - w dependency_i max(0, power_j - power_i) (1 - recognition_i)
    per relation."""
    for e in range(src.size):
        i = src[e]
        f[e] = 1.0 - weight * dependency[i] * _maximum(0.0, power[dst[e]] - power[i]) * (1.0 - recognition[i])


@njit(cache=True)
def _account_voice(src: np.ndarray, edge_active: np.ndarray, f: np.ndarray, out: np.ndarray) -> None:
    """:func:`model.submodels.account_voice_of` into ``out``: 1 - mean_out(1 - f) (:meth:`NetworkState.mean_out`, in
    order)."""
    n = out.size
    count = np.zeros(n)
    total = np.zeros(n)
    for e in range(src.size):
        on = 1.0 if edge_active[e] else 0.0
        i = src[e]
        count[i] += on
        total[i] += (1.0 - f[e]) * on
    for i in range(n):
        out[i] = 1.0 - (total[i] / _maximum(count[i], 1.0) if count[i] > 0 else 0.0)


# ---- 3. information flow (ODD 7.2) -----------------------------------------------------------------------------------


@njit(cache=True)
def _information_flow(
    src: np.ndarray,
    dst: np.ndarray,
    rev: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    trust: np.ndarray,
    openness: np.ndarray,
    dependency: np.ndarray,
    power: np.ndarray,
    recognition: np.ndarray,
    info_capacity: np.ndarray,
    last_contact: np.ndarray,
    accountability: np.ndarray,
    negative: np.ndarray,
    sharing_rate: float,
    trust_factor: float,
    voice_weight: float,
    structure_filter: float,
    info_structure: float,
    tick: int,
    memory: float,
    buffer: float,
    exponent: float,
    slope: float,
    overload_distrust: float,
    adaptation_rate: float,
    closes: float,
    blame: float,
    dependency_on: bool,
    contact_on: bool,
    overload_on: bool,
    blame_on: bool,
    new_load: np.ndarray,
    benefit: np.ndarray,
    penalty: np.ndarray,
    relief: np.ndarray,
    new_openness: np.ndarray,
) -> None:
    """Fills the new load, benefit, penalty, contact relief (with personal contact) and openness; adds the
    overload's flood evidence to ``negative`` in place. (Arrays made by the caller: a compiled function's returned
    array costs more to hand back than numpy takes to make one.)"""
    n = openness.size
    m = src.size
    filtered = 1.0 - structure_filter * info_structure
    sent = np.empty(m)
    received = np.zeros(n)
    count = np.zeros(n)  # active out-relations (NetworkState.mean_out)
    total = np.zeros(n)  # their trust
    for e in range(m):
        i = src[e]
        on = 1.0 if edge_active[e] else 0.0
        q = sharing_rate * openness[i] * _minimum(1.0, trust_factor * trust[e])
        if dependency_on:
            q = q * (
                1.0 - voice_weight * dependency[i] * _maximum(0.0, power[dst[e]] - power[i]) * (1.0 - recognition[i])
            )
        q = q * on
        sent[e] = q
        received[dst[e]] += q
        count[i] += on
        total[i] += trust[e] * on
    informed = np.empty(n)
    for i in range(n):
        informed[i] = received[i] * filtered / info_capacity[i] * (1.0 if active[i] else 0.0)
    load = informed
    if contact_on:  # personal contact takes the buffer's share of recent partners' information off the load
        loading = np.empty(m)
        received = np.zeros(n)
        for e in range(m):
            recent = 1.0 if tick - last_contact[e] < memory else 0.0
            q = sent[e] * (1.0 - buffer * recent)
            loading[e] = q
            received[dst[e]] += q
        sent = loading
        load = np.empty(n)
        for i in range(n):
            load[i] = received[i] * filtered / info_capacity[i] * (1.0 if active[i] else 0.0)
            relief[i] = informed[i] - load[i]
    for i in range(n):
        new_load[i] = load[i]
        benefit[i] = _power(_minimum(informed[i], 1.0), exponent)
        penalty[i] = 0.0
    if overload_on:
        excess = np.empty(n)
        flooded = False
        for i in range(n):
            x = _maximum(0.0, load[i] - 1.0)
            excess[i] = x
            penalty[i] = _minimum(1.0, slope * x)
            if x != 0.0:
                flooded = True
        if flooded:  # the overloaded partner's negative evidence about the senders that flood it, on j -> sender
            for e in range(m):
                b = rev[e]
                d = dst[b]
                share = sent[b] / _maximum(received[d], 1e-12)
                negative[e] += overload_distrust * excess[d] * share
    closing = 1.0 - closes * blame
    for i in range(n):
        if active[i]:
            target = accountability[i] * (total[i] / _maximum(count[i], 1.0) if count[i] > 0 else 0.0)
            if blame_on:
                target = target * closing
            new_openness[i] = openness[i] + adaptation_rate * (target - openness[i])
        else:
            new_openness[i] = openness[i]


def information_flow(
    state: NetworkState, params: Params, constants: Constants, trust: np.ndarray, trust_evidence: TrustEvidence
) -> None:
    """:func:`model.submodels.information_flow`, compiled."""
    if trust_evidence.ledger is not None:
        ref.information_flow(state, params, constants, trust, trust_evidence)
        return
    st, c, sw = state, constants, state.switches
    contact_on = sw["partner_contact"]
    n = st.n
    load, benefit, penalty, openness = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    relief = np.empty(n) if contact_on else _NOTHING
    _information_flow(
        st.src,
        st.dst,
        st.rev,
        st.edge_active,
        st.active,
        trust,
        st.openness,
        st.dependency,
        st.power,
        st.recognition,
        st.info_capacity,
        st.last_contact,
        st.accountability,
        trust_evidence.negative,
        params["sharing_rate"],
        c["sharing_trust_factor"],
        c["dependency_voice_weight"],
        c["info_structure_filter"],
        st.info_structure,
        st.tick,
        c["partner_contact_memory"],
        c["partner_contact_buffer"],
        c["information_benefit_exponent"],
        c["overload_penalty_slope"],
        c["overload_distrust"],
        c["adaptation_rate"],
        c["blame_closes_openness"],
        float(st.blame),
        sw["dependency"],
        contact_on,
        sw["overload"],
        sw["blame"],
        load,
        benefit,
        penalty,
        relief,
        openness,
    )
    st.load, st.benefit, st.penalty, st.openness = load, benefit, penalty, openness
    if contact_on:
        st.contact_relief = relief


# ---- 4. accountability events (ODD 7.3) ----------------------------------------------------------------------------


@njit(cache=True)
def _incident_count(
    active: np.ndarray,
    benefit: np.ndarray,
    penalty: np.ndarray,
    log_factorial: np.ndarray,
    u_count: float,
    incident_rate: float,
    overload_weight: float,
) -> int:
    """The week's number of incidents: Poisson with the intensity of the active partners' mean benefit and penalty,
    by the inverse CDF of one uniform (:func:`model.mechanisms.poisson_from_uniform`); 0 when nobody is active."""
    n = active.size
    # the active partners' values, for their means (numpy's pairwise sum of the compressed array)
    gathered = np.empty(n)
    size = 0
    for i in range(n):
        if active[i]:
            gathered[size] = benefit[i]
            size += 1
    if size == 0:
        return 0
    mean_benefit = pairwise_sum(gathered[:size]) / size
    size = 0
    for i in range(n):
        if active[i]:
            gathered[size] = penalty[i]
            size += 1
    mean_penalty = pairwise_sum(gathered[:size]) / size
    lam = incident_rate * (1.0 + (1.0 - mean_benefit) + overload_weight * mean_penalty)
    if not lam > 0.0:
        return 0
    # the number of the cumulative probabilities up to u, capped; they do not decrease, so the first one above u
    # ends the count
    log_lam = math.log(lam)
    cap = log_factorial.size - 1
    running = 0.0
    for k in range(cap + 1):
        term = math.exp(k * log_lam - lam - log_factorial[k])
        running = term if k == 0 else running + term
        if _less(u_count, running):
            return min(cap, k)
    return cap


@njit(cache=True)
def _accountability_events(
    src: np.ndarray,
    dst: np.ndarray,
    rev: np.ndarray,
    in_order: np.ndarray,
    in_offsets: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    effort: np.ndarray,
    expectation: np.ndarray,
    real_effort: np.ndarray,
    accountability: np.ndarray,
    openness: np.ndarray,
    respect: np.ndarray,
    understanding: np.ndarray,
    equality: np.ndarray,
    power: np.ndarray,
    dependency: np.ndarray,
    recognition: np.ndarray,
    positive: np.ndarray,
    negative: np.ndarray,
    attribution: np.ndarray,
    account: np.ndarray,
    count: int,
    output: float,
    pairs: int,
    kappa: float,
    blame: float,
    frame_clarity: float,
    shortfall_floor: float,
    clarity_weight: float,
    voice_weight: float,
    expectation_share: float,
    accountability_rate: float,
    blame_relief: float,
    learning_evidence: float,
    learning_setback_share: float,
    incident_setback: float,
    closing_rate: float,
    understanding_threshold: float,
    respect_loss: float,
    equality_loss: float,
    culture_rise: float,
    shortfall_on: bool,
    dependency_on: bool,
    blame_on: bool,
    outcomes: np.ndarray,
) -> tuple[float, float, int]:
    """The week's ``count`` incidents (at least one; some partner active), handled in order: (setback, blame, their
    number, 0 when nobody worked); ``outcomes`` gets one per incident, 2 j + 1 when partner j gave account, 2 j
    when it did not. Expectations, accountability, openness, respect, equality and the week's evidence change in
    place."""
    n = active.size
    m = src.size
    gathered = np.empty(n)
    weights = np.empty(n)
    if shortfall_on:  # by shortfall against what the partner's neighbours expect of it
        in_count = np.zeros(n)
        in_total = np.zeros(n)
        for e in range(m):
            on = 1.0 if edge_active[e] else 0.0
            in_count[dst[e]] += on
            in_total[dst[e]] += expectation[e] * on
        size = 0
        for i in range(n):
            if active[i]:
                gathered[size] = effort[i]
                size += 1
        mean_effort = pairwise_sum(gathered[:size]) / size
        visibility = 1.0 - clarity_weight * (1.0 - frame_clarity)
        for i in range(n):
            expected = in_total[i] / _maximum(in_count[i], 1.0) if in_count[i] > 0 else 0.0
            shortfall = _maximum(0.0, 1.0 - effort[i] / _maximum(expected, 1e-12)) if expected > 0 else 0.0
            if mean_effort > 0:
                w = visibility * shortfall + shortfall_floor * effort[i] / mean_effort
            else:
                w = visibility * shortfall
            weights[i] = w * (1.0 if active[i] else 0.0)
    else:  # by share of the week's effort
        for i in range(n):
            weights[i] = effort[i] * (1.0 if active[i] else 0.0)
    total = pairwise_sum(weights)
    if total <= 0:
        return 0.0, blame, 0
    cumulative = gathered
    running = 0.0
    for i in range(n):
        running = weights[i] if i == 0 else running + weights[i]
        cumulative[i] = running
    mean_pair_output = output / max(pairs, 1)
    account_voice = np.empty(n if dependency_on else 0)
    if dependency_on:  # a partner's chance of giving account scales with its mean voice toward its neighbours
        voices = np.empty(m)
        _voice(src, dst, dependency, power, recognition, voice_weight, voices)
        _account_voice(src, edge_active, voices, account_voice)
    setback = 0.0
    for k in range(count):
        j = min(_searchsorted_right(cumulative, n, attribution[k] * total), n - 1)
        first = in_offsets[j]
        last = in_offsets[j + 1]
        p_account = accountability[j] * (1.0 - blame)
        if dependency_on:
            p_account = p_account * account_voice[j]
        accounted = account[k] < p_account
        if accounted:  # learning
            effort_j = real_effort[j]
            for t in range(first, last):
                e = in_order[t]
                if edge_active[e]:
                    x = expectation[e]
                    expectation[e] = x + expectation_share * (effort_j - x)
                    positive[e] += learning_evidence
            a = accountability[j]
            accountability[j] = a + accountability_rate * (1.0 - a)
            relieved = blame - blame_relief
            blame = relieved if relieved > 0.0 else 0.0
            setback += learning_setback_share * incident_setback * mean_pair_output
        else:  # blame (switch blame off: the incident costs only its setback)
            if blame_on:
                for t in range(first, last):
                    e = in_order[t]
                    if edge_active[e]:
                        negative[e] += kappa
                for t in range(first, last):
                    e = in_order[t]
                    if edge_active[e]:
                        negative[rev[e]] += kappa
                power_j = power[j]
                excess = np.empty(last - first)
                blamers = 0
                strongest = 0.0
                for t in range(first, last):
                    e = in_order[t]
                    if edge_active[e]:
                        if understanding[e] < understanding_threshold:
                            respect[e] = _maximum(0.0, respect[e] - respect_loss)
                        blamer = power[src[e]]
                        excess[blamers] = _maximum(0.0, blamer - power_j)
                        if blamers == 0 or (strongest == strongest and (blamer > strongest or blamer != blamer)):
                            strongest = blamer  # (numpy's max: a NaN is the maximum)
                        blamers += 1
                if blamers:
                    lowered = equality[j] - equality_loss * (pairwise_sum(excess[:blamers]) / blamers)
                    equality[j] = lowered if lowered > 0.0 else 0.0
                    raised = blame + culture_rise * strongest
                    blame = raised if raised < 1.0 else 1.0
                a = accountability[j]
                accountability[j] = a - closing_rate * a
                o = openness[j]
                openness[j] = o - closing_rate * o
            setback += incident_setback * mean_pair_output
        outcomes[k] = 2 * j + 1 if accounted else 2 * j
    return setback, blame, count


def accountability_events(
    state: NetworkState,
    params: Params,
    constants: Constants,
    work: JointWork,
    draws: WeekDraws,
    trust_evidence: TrustEvidence,
) -> Incidents:
    """:func:`model.submodels.accountability_events`, compiled."""
    if trust_evidence.ledger is not None:
        return ref.accountability_events(state, params, constants, work, draws, trust_evidence)
    st, c, sw = state, constants, state.switches
    count = _incident_count(
        st.active,
        st.benefit,
        st.penalty,
        mech._log_factorials(MAX_INCIDENTS)[1],
        float(draws.count),
        params["incident_rate"],
        c["overload_incident_weight"],
    )
    if not count:
        return Incidents()
    outcomes = np.empty(MAX_INCIDENTS, dtype=np.int64)
    setback, st.blame, count = _accountability_events(
        st.src,
        st.dst,
        st.rev,
        st.in_order,
        st.in_offsets,
        st.edge_active,
        st.active,
        work.effort,
        st.expectation,
        st.real_effort,
        st.accountability,
        st.openness,
        st.respect,
        st.understanding,
        st.equality,
        st.power,
        st.dependency,
        st.recognition,
        trust_evidence.positive,
        trust_evidence.negative,
        draws.attribution,
        draws.account,
        count,
        work.output,
        work.pairs,
        params["kappa"],
        float(st.blame),
        st.frame_clarity,
        c["shortfall_floor"],
        c["shortfall_clarity_weight"],
        c["dependency_voice_weight"],
        c["learning_expectation_share"],
        c["learning_accountability_rate"],
        c["learning_blame_relief"],
        c["learning_evidence"],
        c["learning_setback_share"],
        c["incident_setback"],
        c["blame_closing_rate"],
        c["blame_understanding_threshold"],
        c["blame_respect_loss"],
        c["blame_equality_loss"],
        c["blame_culture_rise"],
        sw["shortfall_accountability"],
        sw["dependency"],
        sw["blame"],
        outcomes,
    )
    if not count:
        return Incidents()
    return Incidents(setback, [(k >> 1, (k & 1) == 1) for k in outcomes[:count].tolist()])


# ---- board and work floor: escalation (switch ``layers``, ODD 7.13) -------------------------------------------------


@njit(cache=True)
def _escalation(
    blamed: np.ndarray,
    rev: np.ndarray,
    in_order: np.ndarray,
    in_offsets: np.ndarray,
    edge_active: np.ndarray,
    board_r: np.ndarray,
    board_s: np.ndarray,
    board_negative: np.ndarray,
    negative: np.ndarray,
    base_rate: float,
    prior_weight: float,
    evidence: float,
    erosion: float,
) -> None:
    """Escalation evidence on the board relations and the floor's erosion, added to the week's evidence in place."""
    m = rev.size
    to_boards = np.zeros(m)
    to_floor = np.zeros(m)
    prior = base_rate * prior_weight
    both = np.empty(2 * max(in_order.size, 1), dtype=np.int64)
    for j in blamed:
        size = 0
        for t in range(in_offsets[j], in_offsets[j + 1]):
            e = in_order[t]
            if edge_active[e]:  # the blamers' relations toward j
                both[size] = e
                size += 1
        for t in range(size):
            both[size + t] = rev[both[t]]
        for t in range(2 * size):
            e = both[t]
            b = rev[e]
            trust_e = (board_r[e] + prior) / (board_r[e] + board_s[e] + prior_weight)
            trust_b = (board_r[b] + prior) / (board_r[b] + board_s[b] + prior_weight)
            to_boards[e] += evidence
            to_floor[e] += erosion * (1.0 - (trust_e + trust_b) / 2.0)
    for e in range(m):
        board_negative[e] += to_boards[e]
        negative[e] += to_floor[e]


def escalation(state: NetworkState, constants: Constants, incidents: Incidents, trust_evidence: TrustEvidence) -> int:
    """:func:`model.submodels.escalation`, compiled."""
    blamed = [j for j, accounted in incidents.outcomes if not accounted]
    if not blamed:
        return 0
    if trust_evidence.ledger is not None:
        return ref.escalation(state, constants, incidents, trust_evidence)
    st = state
    _escalation(
        np.array(blamed, dtype=np.int64),
        st.rev,
        st.in_order,
        st.in_offsets,
        st.edge_active,
        trust_evidence.board_r,
        trust_evidence.board_s,
        trust_evidence.board_negative,
        trust_evidence.negative,
        st.base_rate,
        st.prior_weight,
        constants["escalation_evidence"],
        constants["escalation_erosion"],
    )
    return len(blamed)


# ---- voice of dependent partners (ODD 7.10) ------------------------------------------------------------------------


def voice(state: NetworkState, constants: Constants) -> np.ndarray:
    """:func:`model.submodels.voice`, compiled."""
    st = state
    f = np.empty(st.m)
    _voice(st.src, st.dst, st.dependency, st.power, st.recognition, constants["dependency_voice_weight"], f)
    return f


def account_voice_of(state: NetworkState, constants: Constants, voices: np.ndarray | None = None) -> np.ndarray:
    """:func:`model.submodels.account_voice_of`, compiled."""
    st = state
    if voices is None:
        voices = np.empty(st.m)
        _voice(st.src, st.dst, st.dependency, st.power, st.recognition, constants["dependency_voice_weight"], voices)
    out = np.empty(st.n)
    _account_voice(st.src, st.edge_active, voices, out)
    return out
