"""Compiled twins of the director's legitimacy and of the week's metrics (ODD 7.6, 7.8).

:func:`legitimacy` is :func:`model.submodels.legitimacy` in one kernel call. :func:`week_metrics` gives the dict
:meth:`model.model.CollaborationModel._update_metrics_reference` builds (the same keys in the same order, the same
numbers, NaN where a mean has no active partner or relation to run over), computing trust, distrust and doubt from
the evidence, every mean over the active partners or relations, shared vision, the equality gap, the legitimacy and
the voice of the dependent in one kernel call; the rest (counts, levels, the director's goals) it copies from the
model as the reference does.

Every mean is numpy's: the active values gathered in index order and summed pairwise (:mod:`model.compiled.common`).
A large network (:meth:`NetworkState.is_large`) passes in what its state keeps until it changes (value distances,
power order, dependent partners and their upward relations); a small one has them computed in the kernel.

What they cost (per call, after warm-up, on a shared 2-core machine under load): the week's metrics of jeugdaanpak
100-150 us -> 15 us, of synthetic with 200 partners 140-260 us -> 55-110 us, with 10,000 partners 2.3 ms -> 2.2 ms;
the legitimacy 7-13 us -> 1-2 us.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit

from model.compiled.common import _pairwise, mean, pairwise_sum

if TYPE_CHECKING:
    from model.model import CollaborationModel
    from model.state import NetworkState

#: governance as the kernels take it; anything else counts as a network administrative organisation (as in the
#: reference, which tests for "shared" and "lead" only)
SHARED, LEAD, NAO = 0, 1, 2
_GOVERNANCE = {"shared": SHARED, "lead": LEAD, "nao": NAO}

NAN = np.nan

# the kernel's outputs, by position
(
    _TRUST,
    _RESPECT,
    _EQUALITY,
    _FREEDOM,
    _ACCOUNTABILITY,
    _TRANSPARENCY,
    _HEALTH,
    _DOUBT,
    _DISTRUST_SHARE,
    _UNDERSTANDING,
    _SHARED_VISION,
    _COMMITMENT,
    _LOAD,
    _OVERLOADED_SHARE,
    _ACTIVE_PARTNERS,
    _EQUALITY_GAP,
    _LEGITIMACY,
    _BOARD_TRUST,
    _ALIGNMENT,
    _FLOOR_FRAME_CLARITY,
    _DEPENDENT_VOICE,
    _DEPENDENT_ACCOUNT,
    _RECOGNITION,
    _CONTACT_LOAD_RELIEF,
    _SIZE,
) = range(25)


@njit(cache=True)
def _mean_first(buffer: np.ndarray, k: int) -> float:
    """``_mean(buffer[:k])`` bit for bit, without the slice (a slice's layout keeps the pairwise sum from being
    compiled as tightly)."""
    return (0.0 + _pairwise(buffer, 0, k)) / k


@njit(cache=True)
def _mean_where(x: np.ndarray, mask: np.ndarray, count: int, buffer: np.ndarray) -> float:
    """``_mean(x[mask])`` (``count`` = the mask's count), NaN when the mask is empty (ODD 7.8)."""
    if count == 0:
        return NAN
    if count == x.size:  # every one active: x itself (as the reference skips the mask)
        return _mean_first(x, count)
    k = 0
    for i in range(x.size):
        if mask[i]:
            buffer[k] = x[i]
            k += 1
    return _mean_first(buffer, k)


@njit(cache=True)
def _legitimacy(
    active: np.ndarray,
    edge_active: np.ndarray,
    r: np.ndarray,
    s: np.ndarray,
    director_r: np.ndarray,
    director_s: np.ndarray,
    power: np.ndarray,
    base_rate: float,
    prior_weight: float,
    governance: int,
    lead: int,
    gap_weight: float,
) -> float:
    """:func:`model.submodels.legitimacy`: 0 without active partners; shared: the mean trust over the active
    relations (0 without); else the mean trust in the director of the active partners, under a lead organisation
    times 1 - w · the mean power gap to the lead."""
    n = active.size
    na = 0
    for i in range(n):
        if active[i]:
            na += 1
    if na == 0:
        return 0.0
    a_w = base_rate * prior_weight
    if governance == SHARED:
        m = edge_active.size
        buffer = np.empty(m)
        k = 0
        for e in range(m):
            if edge_active[e]:
                buffer[k] = (r[e] + a_w) / (r[e] + s[e] + prior_weight)
                k += 1
        return _mean_first(buffer, k) if k else 0.0
    buffer = np.empty(na)
    k = 0
    for i in range(n):
        if active[i]:
            buffer[k] = (director_r[i] + a_w) / (director_r[i] + director_s[i] + prior_weight)
            k += 1
    base = mean(buffer)
    if governance == LEAD:
        k = 0
        for i in range(n):
            if active[i]:
                buffer[k] = max(0.0, power[lead] - power[i])
                k += 1
        base *= 1.0 - gap_weight * mean(buffer)
    return base


def legitimacy(state: NetworkState, governance: str, lead: int, constants: Any) -> float:
    """The director's legitimacy in [0, 1] (:func:`model.submodels.legitimacy`), in one kernel call."""
    te = state.trust_evidence
    return _legitimacy(
        state.active,
        state.edge_active,
        te.r,
        te.s,
        te.director_r,
        te.director_s,
        state.power,
        state.base_rate,
        state.prior_weight,
        _GOVERNANCE.get(governance, NAO),
        lead,
        constants["lead_legitimacy_gap_weight"],
    )


@njit(cache=True)
def _distance_mean(
    values: np.ndarray, src: np.ndarray, dst: np.ndarray, edge_active: np.ndarray, buffer: np.ndarray
) -> float:
    """The mean value distance over the active relations (:func:`model.mechanisms.value_distance_between`: column by
    column in order below 8 values, else numpy's pairwise sum of the row)."""
    k_values = values.shape[1]
    squares = np.empty(k_values)
    k = 0
    for e in range(edge_active.size):
        if not edge_active[e]:
            continue
        a, b = src[e], dst[e]
        if k_values < 8:
            diff = values[a, 0] - values[b, 0]
            total = diff * diff
            for dim in range(1, k_values):
                diff = values[a, dim] - values[b, dim]
                total += diff * diff
        else:
            for dim in range(k_values):
                diff = values[a, dim] - values[b, dim]
                squares[dim] = diff * diff
            total = pairwise_sum(squares)
        buffer[k] = np.sqrt(total / k_values)
        k += 1
    return _mean_first(buffer, k)


@njit(cache=True)
def _equality_gap(order: np.ndarray, active: np.ndarray, equality: np.ndarray, na: int, buffer: np.ndarray) -> float:
    """The mean equality of the most powerful third of the ``na`` (at least 3) active partners minus that of the least
    powerful third; ``order``: the partners by ascending power, ties in index order."""
    ordered = np.empty(na, dtype=np.int64)
    k = 0
    for i in order:
        if active[i]:
            ordered[k] = i
            k += 1
    third = na // 3
    for k in range(third):
        buffer[k] = equality[ordered[na - third + k]]
    top = _mean_first(buffer, third)
    for k in range(third):
        buffer[k] = equality[ordered[k]]
    return top - _mean_first(buffer, third)


@njit(cache=True)
def _dependent(active: np.ndarray, dependency: np.ndarray, na: int, buffer: np.ndarray) -> np.ndarray:
    """The dependent partners (a mask): active, with dependency above the median of the active partners."""
    k = 0
    for i in range(active.size):
        if active[i]:
            buffer[k] = dependency[i]
            k += 1
    ordered = np.sort(buffer[:na])
    half = na // 2
    median = ordered[half] if na % 2 else (ordered[half - 1] + ordered[half]) / 2
    dependent = np.zeros(active.size, dtype=np.bool_)
    for i in range(active.size):
        dependent[i] = active[i] and dependency[i] > median
    return dependent


@njit(cache=True)
def _upward(
    dependent: np.ndarray, edge_active: np.ndarray, src: np.ndarray, dst: np.ndarray, power: np.ndarray
) -> np.ndarray:
    """The active relations from a dependent partner toward a more powerful one, ascending."""
    upward = np.empty(edge_active.size, dtype=np.int64)
    k = 0
    for e in range(edge_active.size):
        a = src[e]
        if edge_active[e] and power[dst[e]] > power[a] and dependent[a]:
            upward[k] = e
            k += 1
    return upward[:k]


@njit(cache=True)
def _dependent_voice(
    dependent: np.ndarray,
    upward: np.ndarray,
    r: np.ndarray,
    s: np.ndarray,
    a_w: float,
    prior_weight: float,
    edge_active: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    power: np.ndarray,
    dependency: np.ndarray,
    recognition: np.ndarray,
    sharing_trust_factor: float,
    dependency_switch: bool,
    voice_weight: float,
    buf_e: np.ndarray,
    buf_a: np.ndarray,
) -> tuple[float, float]:
    """``CollaborationModel._dependent_voice`` with some partner active: the mean information per unit of openness
    the dependent send toward more powerful partners (times their voice with the switch on; 1 without such a
    relation), and their mean factor on giving account (1 with the switch off); 1 and 1 without dependent partners."""
    n_dependent = 0
    for i in range(dependent.size):
        if dependent[i]:
            n_dependent += 1
    if n_dependent == 0:
        return 1.0, 1.0
    for k in range(upward.size):
        e = upward[k]
        a, b = src[e], dst[e]
        sent = sharing_trust_factor * ((r[e] + a_w) / (r[e] + s[e] + prior_weight))
        per_openness = sent if sent < 1.0 else 1.0
        if dependency_switch:
            voice = 1.0 - voice_weight * dependency[a] * max(0.0, power[b] - power[a]) * (1.0 - recognition[a])
            buf_e[k] = per_openness * voice
        else:
            buf_e[k] = per_openness
    dependent_voice = _mean_first(buf_e, upward.size) if upward.size else 1.0
    if not dependency_switch:
        return dependent_voice, 1.0
    # account_voice_of: 1 - the mean of 1 - voice over a partner's active relations (1 without any)
    n = dependent.size
    silenced = np.zeros(n)
    relations = np.zeros(n)
    for e in range(edge_active.size):
        a = src[e]
        if edge_active[e] and dependent[a]:
            b = dst[e]
            voice = 1.0 - voice_weight * dependency[a] * max(0.0, power[b] - power[a]) * (1.0 - recognition[a])
            silenced[a] += 1.0 - voice
            relations[a] += 1.0
    k = 0
    for i in range(n):
        if dependent[i]:
            buf_a[k] = 1.0 - (silenced[i] / max(relations[i], 1.0) if relations[i] > 0 else 0.0)
            k += 1
    return dependent_voice, _mean_first(buf_a, k)


@njit(cache=True)
def _week(
    r: np.ndarray,
    s: np.ndarray,
    director_r: np.ndarray,
    director_s: np.ndarray,
    board_r: np.ndarray,
    board_s: np.ndarray,
    base_rate: float,
    prior_weight: float,
    active: np.ndarray,
    edge_active: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    respect: np.ndarray,
    understanding: np.ndarray,
    values: np.ndarray,
    equality: np.ndarray,
    freedom: np.ndarray,
    accountability: np.ndarray,
    openness: np.ndarray,
    penalty: np.ndarray,
    commitment: np.ndarray,
    load: np.ndarray,
    power: np.ndarray,
    dependency: np.ndarray,
    recognition: np.ndarray,
    contact_relief: np.ndarray,
    alignment: np.ndarray,
    floor_frame_clarity: np.ndarray,
    frame_clarity: float,
    layers: bool,
    governance: int,
    lead: int,
    gap_weight: float,
    sharing_trust_factor: float,
    dependency_switch: bool,
    voice_weight: float,
    distance: np.ndarray | None,
    power_order: np.ndarray | None,
    dependent: np.ndarray | None,
    upward: np.ndarray | None,
) -> np.ndarray:
    """The computed metrics of :meth:`CollaborationModel._update_metrics_reference`, by the positions above.

    ``distance``, ``power_order``, ``dependent`` and ``upward``: the state's kept value distances, power order and
    dependent partners with their upward relations (a large network keeps them until they change), or ``None``
    (``dependent`` and ``upward`` together): the kernel computes them."""
    out = np.empty(_SIZE)
    n = active.size
    m = edge_active.size
    na = 0
    for i in range(n):
        if active[i]:
            na += 1
    ne = 0
    for e in range(m):
        if edge_active[e]:
            ne += 1
    buf_a = np.empty(n)
    buf_e = np.empty(m)  # one buffer for every mean over the relations, one after the other

    # trust, distrust and doubt (NetworkState.opinion: the denominator r + s + W once) of the active relations
    a_w = base_rate * prior_weight
    if ne:
        k = 0
        distrusted = 0
        for e in range(m):
            if edge_active[e]:
                total = r[e] + s[e] + prior_weight
                trust = (r[e] + a_w) / total
                buf_e[k] = trust
                if s[e] / total > trust:
                    distrusted += 1
                k += 1
        out[_TRUST] = _mean_first(buf_e, k)
        out[_DISTRUST_SHARE] = distrusted / ne
        k = 0
        for e in range(m):
            if edge_active[e]:
                buf_e[k] = prior_weight / (r[e] + s[e] + prior_weight)
                k += 1
        out[_DOUBT] = _mean_first(buf_e, k)
    else:
        out[_TRUST] = NAN
        out[_DISTRUST_SHARE] = NAN
        out[_DOUBT] = NAN
    out[_RESPECT] = _mean_where(respect, edge_active, ne, buf_e)
    out[_EQUALITY] = _mean_where(equality, active, na, buf_a)
    out[_FREEDOM] = _mean_where(freedom, active, na, buf_a)
    out[_ACCOUNTABILITY] = _mean_where(accountability, active, na, buf_a)
    if na:
        k = 0
        for i in range(n):
            if active[i]:
                buf_a[k] = openness[i] * (1.0 - penalty[i])
                k += 1
        out[_TRANSPARENCY] = _mean_first(buf_a, k)
    else:
        out[_TRANSPARENCY] = NAN
    out[_HEALTH] = _mean_first(out, _TRANSPARENCY + 1)  # the six concepts, positions 0-5
    out[_UNDERSTANDING] = _mean_where(understanding, edge_active, ne, buf_e)

    # shared vision: 1 - the mean value distance over the active relations
    if not ne:
        out[_SHARED_VISION] = NAN
    elif distance is None:
        out[_SHARED_VISION] = 1.0 - _distance_mean(values, src, dst, edge_active, buf_e)
    else:
        out[_SHARED_VISION] = 1.0 - _mean_where(distance, edge_active, ne, buf_e)

    out[_COMMITMENT] = _mean_where(commitment, active, na, buf_a)
    out[_LOAD] = _mean_where(load, active, na, buf_a)
    if na:
        count = 0
        for i in range(n):
            if active[i] and load[i] > 1.0:
                count += 1
        out[_OVERLOADED_SHARE] = count / na
    else:
        out[_OVERLOADED_SHARE] = NAN
    out[_ACTIVE_PARTNERS] = float(na)

    # the equality gap: the mean equality of the most powerful third of the active partners minus the least's
    if na == 0:
        out[_EQUALITY_GAP] = NAN
    elif na < 3:
        out[_EQUALITY_GAP] = 0.0
    elif power_order is None:  # stable: ties in index order (NetworkState.power_order)
        out[_EQUALITY_GAP] = _equality_gap(np.argsort(power, kind="mergesort"), active, equality, na, buf_a)
    else:
        out[_EQUALITY_GAP] = _equality_gap(power_order, active, equality, na, buf_a)

    if na and (ne or governance != SHARED):
        out[_LEGITIMACY] = _legitimacy(
            active,
            edge_active,
            r,
            s,
            director_r,
            director_s,
            power,
            base_rate,
            prior_weight,
            governance,
            lead,
            gap_weight,
        )
    else:
        out[_LEGITIMACY] = NAN

    if layers:  # board and work floor (ODD 7.13)
        if ne:
            k = 0
            for e in range(m):
                if edge_active[e]:
                    buf_e[k] = (board_r[e] + a_w) / (board_r[e] + board_s[e] + prior_weight)
                    k += 1
            out[_BOARD_TRUST] = _mean_first(buf_e, k)
        else:
            out[_BOARD_TRUST] = NAN
        out[_ALIGNMENT] = _mean_where(alignment, active, na, buf_a)
        out[_FLOOR_FRAME_CLARITY] = _mean_where(floor_frame_clarity, active, na, buf_a)
    else:  # one layer: the board is the work floor
        out[_BOARD_TRUST] = out[_TRUST]
        out[_ALIGNMENT] = 1.0
        out[_FLOOR_FRAME_CLARITY] = frame_clarity

    # the voice of the dependent (ODD 7.10; CollaborationModel._dependent_voice)
    if na == 0:
        voice, account = NAN, NAN
    else:
        if dependent is None or upward is None:  # a small network: found now, not kept by the state
            own = _dependent(active, dependency, na, buf_a)
            toward = _upward(own, edge_active, src, dst, power)
        else:
            own, toward = dependent, upward
        voice, account = _dependent_voice(
            own,
            toward,
            r,
            s,
            a_w,
            prior_weight,
            edge_active,
            src,
            dst,
            power,
            dependency,
            recognition,
            sharing_trust_factor,
            dependency_switch,
            voice_weight,
            buf_e,
            buf_a,
        )
    out[_DEPENDENT_VOICE] = voice
    out[_DEPENDENT_ACCOUNT] = account

    out[_RECOGNITION] = _mean_where(recognition, active, na, buf_a)
    out[_CONTACT_LOAD_RELIEF] = _mean_where(contact_relief, active, na, buf_a)
    return out


def week_metrics(model: CollaborationModel, hours_spent: float) -> dict[str, float]:
    """The week's metrics of ``model``: the dict :meth:`CollaborationModel._update_metrics_reference` gives (same
    keys, same order, same numbers), with one kernel call."""
    st = model.state
    te = st.trust_evidence
    c = model.constants
    governance = model.governance
    # what a large network keeps until it changes (NetworkState's caches and memo); a small network's are computed in
    # the kernel (less work than checking what is kept)
    distance: np.ndarray | None = None
    power_order: np.ndarray | None = None
    dependent: np.ndarray | None = None
    upward: np.ndarray | None = None
    if st.is_large():
        distance, power_order = st.edge_distance(), st.power_order()
        if st.active.any():
            dependent, upward = st.dependent_upward()
    v = _week(
        te.r,
        te.s,
        te.director_r,
        te.director_s,
        te.board_r,
        te.board_s,
        st.base_rate,
        st.prior_weight,
        st.active,
        st.edge_active,
        st.src,
        st.dst,
        st.respect,
        st.understanding,
        st.values,
        st.equality,
        st.freedom,
        st.accountability,
        st.openness,
        st.penalty,
        st.commitment,
        st.load,
        st.power,
        st.dependency,
        st.recognition,
        st.contact_relief,
        st.alignment,
        st.floor_frame_clarity,
        float(st.frame_clarity),
        st.layers,
        _GOVERNANCE.get(governance, NAO),
        model.lead,
        c["lead_legitimacy_gap_weight"],
        c["sharing_trust_factor"],
        bool(model.switches["dependency"]),
        c["dependency_voice_weight"],
        distance,
        power_order,
        dependent,
        upward,
    ).tolist()
    m: dict[str, float] = {
        "trust": v[_TRUST],
        "respect": v[_RESPECT],
        "equality": v[_EQUALITY],
        "freedom": v[_FREEDOM],
        "accountability": v[_ACCOUNTABILITY],
        "transparency": v[_TRANSPARENCY],
        "health": v[_HEALTH],
        "doubt": v[_DOUBT],
        "distrust_share": v[_DISTRUST_SHARE],
        "understanding": v[_UNDERSTANDING],
        "shared_vision": v[_SHARED_VISION],
        "commitment": v[_COMMITMENT],
        "load": v[_LOAD],
        "overloaded_share": v[_OVERLOADED_SHARE],
        "task_rate": model.task_rate,
        "task_progress": model.task_progress,
    }
    for key, count in model.counts.items():
        m[key] = float(count)
    goals = st.goals
    m["active_partners"] = v[_ACTIVE_PARTNERS]
    m["equality_gap"] = v[_EQUALITY_GAP]
    m["hours_spent"] = float(hours_spent)
    m["legitimacy"] = v[_LEGITIMACY]
    m["blame"] = float(st.blame)
    m["frame_clarity"] = float(st.frame_clarity)
    m["director_goal_progress"] = goals.progress if goals is not None else 0.0
    m["goal_pressure"] = goals.pressure if goals is not None else 0.0
    m["steering_hours"] = goals.week_hours if goals is not None else 0.0
    m["board_trust"] = v[_BOARD_TRUST]
    m["alignment"] = v[_ALIGNMENT]
    m["floor_frame_clarity"] = v[_FLOOR_FRAME_CLARITY]
    m["escalations"] = float(model.escalations)
    m["dependent_voice"] = v[_DEPENDENT_VOICE]
    m["dependent_account"] = v[_DEPENDENT_ACCOUNT]
    m["recognition"] = v[_RECOGNITION]
    m["partner_contacts"] = float(model.contacts_this_week)
    m["contact_load_relief"] = v[_CONTACT_LOAD_RELIEF]
    return m
