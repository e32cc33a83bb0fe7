"""The director's plan (:func:`model.strategies.plan`) with its numbers compiled.

A plan is a short list built from a strategy's hour shares; what costs time are the numbers behind its targets: the
weakest relations that personal contact goes to (:func:`model.strategies.weakest_pairs`), the partners a vision
session gathers (:func:`model.strategies.least_understood`) and, for the adaptive strategy, the concepts' ceilings
(:func:`model.strategies.concept_ceilings`). Each of those is one kernel here (:func:`_targets`, :func:`_ceilings`);
the list is built in Python as the reference builds it, in the same order and with the same hours.

The choices keep the reference's ties: the ``count`` weakest relations are the first ``count`` of a stable sort by
mutual trust (a relation's index breaks a tie, a NaN comes last, as in numpy's sort), the least understood partners
the first ones of a stable sort by mutual understanding, returned in index order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit

from model.compiled.common import mean
from model.interventions import INTERVENTIONS
from model.strategies import ADDRESSES, Plan, plan_with

if TYPE_CHECKING:
    from model.state import NetworkState

# ---- kernels ----------------------------------------------------------------------------------------------------


@njit(cache=True)
def _before(a: float, b: float) -> bool:
    """Whether ``a`` sorts strictly before ``b`` in numpy's order of floats (a NaN after every number)."""
    return a < b or (b != b and a == a)


@njit(cache=True)
def _first_by_value(x: np.ndarray, count: int) -> np.ndarray:
    """The indices of the ``count`` first values of ``x`` in a stable sort (``np.argsort(x, kind="stable")
    [:count]``): kept in order as they come, each new value placed after those it does not sort before."""
    count = max(0, min(count, x.size))
    chosen = np.empty(count, dtype=np.int64)
    filled = 0
    if count == 0:
        return chosen
    for i in range(x.size):
        v = x[i]
        if filled == count:
            if not _before(v, x[chosen[count - 1]]):
                continue
            pos = count - 1  # the last one drops out
        else:
            pos = filled
            filled += 1
        while pos > 0 and _before(v, x[chosen[pos - 1]]):
            chosen[pos] = chosen[pos - 1]
            pos -= 1
        chosen[pos] = i
    return chosen


@njit(cache=True)
def _first_set(x: np.ndarray, count: int) -> np.ndarray:
    """The indices of the ``count`` first values of ``x`` in a stable sort, ascending by index
    (:func:`model.mechanisms.lowest_set`): every value before the ``count``-th, then the first of those equal to it
    (NaNs equal to each other) until there are ``count``."""
    count = max(0, min(count, x.size))
    chosen = np.empty(count, dtype=np.int64)
    if count == 0:
        return chosen
    numbers = np.empty(x.size)
    known = 0
    for i in range(x.size):
        if x[i] == x[i]:
            numbers[known] = x[i]
            known += 1
    if count <= known:
        threshold = np.partition(numbers[:known], count - 1)[count - 1]
        below = 0
        for i in range(x.size):
            if x[i] < threshold:
                below += 1
        ties = count - below
        k = 0
        for i in range(x.size):
            v = x[i]
            if v < threshold:
                chosen[k] = i
                k += 1
            elif v == threshold and ties > 0:
                chosen[k] = i
                k += 1
                ties -= 1
    else:  # every number, then the first NaNs
        ties = count - known
        k = 0
        for i in range(x.size):
            if x[i] == x[i]:
                chosen[k] = i
                k += 1
            elif ties > 0:
                chosen[k] = i
                k += 1
                ties -= 1
    return chosen


@njit(cache=True)
def _targets(
    r: np.ndarray,
    s: np.ndarray,
    prior_mass: float,
    prior_weight: float,
    edge_active: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    rev: np.ndarray,
    count: int,
    understanding: np.ndarray,
    active: np.ndarray,
    n: int,
    vision: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The plan's targets: the ``count`` active relations (each once, i < j) with the lowest mutual trust, as rows
    (i, j), weakest first (:func:`model.strategies.weakest_pairs`; trust (r + aW) / (r + s + W), ``prior_mass``
    aW); and with ``vision``, the half of the active partners (at least two) with the lowest mean mutual
    understanding, ascending (:func:`model.strategies.least_understood`)."""
    m = src.size
    pairs = np.empty((0, 2), dtype=np.int64)
    if count > 0:
        trust = np.empty(m)
        for e in range(m):  # (every relation: a loop without branches, as the reference computes it)
            trust[e] = (r[e] + prior_mass) / (r[e] + s[e] + prior_weight)
        candidates = np.empty(m, dtype=np.int64)
        k = 0
        for e in range(m):
            if edge_active[e] and src[e] < dst[e]:
                candidates[k] = e
                k += 1
        mutual = np.empty(k)
        for c in range(k):
            e = candidates[c]
            mutual[c] = (trust[e] + trust[rev[e]]) / 2
        chosen = _first_by_value(mutual, count)
        pairs = np.empty((chosen.size, 2), dtype=np.int64)
        for c in range(chosen.size):
            e = candidates[chosen[c]]
            pairs[c, 0] = src[e]
            pairs[c, 1] = dst[e]
    group = np.empty(0, dtype=np.int64)
    if vision:
        # per partner, the mean over its active out- and in-relations (bincount's order: relation by relation)
        count_out = np.zeros(n)
        count_in = np.zeros(n)
        total_out = np.zeros(n)
        total_in = np.zeros(n)
        everyone = True
        for e in range(m):
            if edge_active[e]:
                count_out[src[e]] += 1.0
                count_in[dst[e]] += 1.0
            else:
                everyone = False
        if everyone:
            for e in range(m):
                total_out[src[e]] += understanding[e]
                total_in[dst[e]] += understanding[e]
        else:
            for e in range(m):
                x = understanding[e] * (1.0 if edge_active[e] else 0.0)
                total_out[src[e]] += x
                total_in[dst[e]] += x
        members = np.empty(n, dtype=np.int64)
        size = 0
        for i in range(n):
            if active[i]:
                members[size] = i
                size += 1
        mutual_members = np.empty(size)
        for k in range(size):
            i = members[k]
            mean_out = total_out[i] / max(count_out[i], 1.0) if count_out[i] > 0 else 0.0
            mean_in = total_in[i] / max(count_in[i], 1.0) if count_in[i] > 0 else 0.0
            mutual_members[k] = (mean_out + mean_in) / 2
        chosen = _first_set(mutual_members, max(2, size // 2))
        group = np.empty(chosen.size, dtype=np.int64)
        for k in range(chosen.size):
            group[k] = members[chosen[k]]
    return pairs, group


@njit(cache=True)
def _ceilings(
    active: np.ndarray,
    layers: bool,
    alignment: np.ndarray,
    frame_own: float,
    procedure_own: float,
    power: np.ndarray,
    gap_weight: float,
    recognition_weight: float,
) -> tuple[int, float, float]:
    """The number of active partners and, over them, the mean best frame clarity and the mean perceived equality at
    recognition 1 and the best procedure equality (:func:`model.strategies.concept_ceilings`)."""
    n = active.size
    members = np.empty(n, dtype=np.int64)
    size = 0
    for i in range(n):
        if active[i]:
            members[size] = i
            size += 1
    if size == 0:
        return 0, 0.0, 0.0
    top = power[members[0]]
    for k in range(1, size):
        p = power[members[k]]
        if p != p or p > top:
            top = p
            if p != p:
                break
    frames = np.empty(size)
    equality = np.empty(size)
    frame_room = 1.0 - frame_own
    procedure_room = 1.0 - procedure_own
    recognised = recognition_weight * 1.0
    procedure_weight = 1.0 - recognition_weight
    for k in range(size):
        i = members[k]
        if layers:
            frames[k] = frame_own + alignment[i] * frame_room
            procedure = procedure_own + alignment[i] * procedure_room
        else:
            frames[k] = 1.0
            procedure = 1.0
        e = recognised + procedure_weight * procedure - gap_weight * (top - power[i]) * (1.0 - procedure)
        if e < 0.0:
            e = 0.0
        if e > 1.0:
            e = 1.0
        equality[k] = e
    return size, mean(frames), mean(equality)


# ---- the plan ---------------------------------------------------------------------------------------------------


def plan(
    strategy: str,
    state: NetworkState,
    hours: float,
    params: dict[str, Any],
    metrics: dict[str, float],
    covenant_done: bool,
    constants: Mapping[str, float] | None = None,
) -> Plan:
    """This week's plan for a strategy with ``hours`` to spend: :func:`model.strategies.plan`, the same list (its
    one body, :func:`model.strategies.plan_with`, with the compiled spread and shortfalls)."""
    return plan_with(_spread_shares, _shortfalls, strategy, state, hours, params, metrics, covenant_done, constants)


def _spread_shares(state: NetworkState, shares: dict[str, float], hours: float) -> Plan:
    """:func:`model.strategies.spread`: the layout of the shares, then their targets."""
    return _spread(state, _layout(shares, hours))


#: What :func:`_layout` returns: the interventions with their hours, the number of weakest relations to contact, the
#: full contacts among them, a contact's cost, the hours of the last (partial) contact, whether a vision session is
#: held; or None: no hours to spread.
Layout = tuple[list[tuple[str, float]], int, int, float, float, bool] | None


def _layout(shares: dict[str, float], hours: float) -> Layout:
    """The hours of each share as :func:`model.strategies.spread` gives them, and what their targets need."""
    total = sum(shares.values())
    if total <= 0 or hours <= 0:
        return None
    items: list[tuple[str, float]] = []
    count = 0
    n_full = 0
    cost = rest = 0.0
    vision = False
    for iv_id, share in shares.items():
        h = hours * share / total
        if h <= 1e-9:
            continue
        if iv_id == "personal_contact":
            cost = INTERVENTIONS[iv_id].cost
            n_full = int(h // cost)
            rest = h - n_full * cost
            count = n_full + (rest > 1e-9)
        elif iv_id == "vision_session":
            vision = True
        items.append((iv_id, h))
    return items, count, n_full, cost, rest, vision


def _spread(state: NetworkState, layout: Layout) -> Plan:
    """:func:`model.strategies.spread` of a layout: personal contact in full contacts at the weakest relations, a
    vision session for the least understood partners (both from one call of :func:`_targets`)."""
    if layout is None:
        return []
    items, count, n_full, cost, rest, vision = layout
    if not count and not vision:
        return [(iv_id, h, None) for iv_id, h in items]
    evidence = state.trust_evidence
    pairs, group = _targets(
        evidence.r,
        evidence.s,
        state.base_rate * state.prior_weight,
        float(state.prior_weight),
        state.edge_active,
        state.src,
        state.dst,
        state.rev,
        count,
        state.understanding,
        state.active,
        state.n,
        vision,
    )
    plan: Plan = []
    for iv_id, h in items:
        if iv_id == "personal_contact":
            for k, pair in enumerate(pairs):
                plan.append((iv_id, cost if k < n_full else rest, pair))
        elif iv_id == "vision_session":
            plan.append((iv_id, h, group))
        else:
            plan.append((iv_id, h, None))
    return plan


def _shortfalls(
    state: NetworkState, metrics: dict[str, float], params: Mapping[str, Any], constants: Mapping[str, float]
) -> dict[str, float]:
    """:func:`model.strategies.concept_shortfalls`, the ceilings' means from one call of :func:`_ceilings`."""
    trust = _known(metrics.get("trust", constants["base_rate"]))
    ceilings = {c: 1.0 for c in ADDRESSES}
    ceilings["transparency"] = trust
    size, frames, equality = _ceilings(
        state.active,
        state.layers,
        state.alignment,
        float(params["frame_clarity"]),
        float(state.procedure_equality_floor(float(params["procedure_equality"]))),
        state.power,
        float(state.equality_gap_weight()),
        float(constants["recognition_weight"]),
    )
    if size:
        ceilings["freedom"] = trust * frames
        ceilings["equality"] = equality
    else:
        ceilings["freedom"] = trust
    target = constants["adaptive_target"]
    return {c: max(0.0, target * ceilings[c] - _known(metrics.get(c, 0.0))) for c in ADDRESSES}


def _known(value: float) -> float:
    """A metric's value, with a missing one (NaN) as 0."""
    return 0.0 if math.isnan(value) else value
