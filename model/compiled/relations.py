"""Compiled twins of the week's relationship updates and what closes the week (ODD 7.4, 7.12, 7.13; the evidence's
settling): :func:`relationships`, :func:`align_layers`, :func:`relax_levels`, :func:`settle`, :func:`settle_board`,
:func:`task_rate`, :func:`goal_task_rate` and :func:`goal_pressure`.

Each has the signature and the effect on the state of its reference (:mod:`model.submodels`,
:meth:`model.evidence.TrustEvidence.settle`, :meth:`~model.evidence.TrustEvidence.settle_board`) and does its
arithmetic in the reference's order, so it gives the same numbers; an attribute the reference rebinds to a new array
is rebound to a new array here too, one it changes in place is changed in place. The means over a partner's active
relations (:meth:`model.state.NetworkState.mean_out`, :meth:`~model.state.NetworkState.mean_in`) are computed in the
kernel, and so is the relations' value distance in a small network (:meth:`~model.state.NetworkState.edge_distance`
from :data:`DISTANCE_KEPT_FROM` relations up); the state's caches of them compare their inputs by content, so they
stay valid for the reference code that still reads them. ``relationships`` returns its leaving partners as a view of
an array of n (int64, ascending, as the reference's).

Per call on jeugdaanpak (week 12): relationships 129 -> 6 us, align_layers 15 -> 2.2 us, settle 3.9 -> 1.7 us,
settle_board 2.7 -> 1.7 us, relax_levels 2.3 -> 1.1 us, task_rate 2.1 -> 0.7 us (155 -> 13 us for all).

The goals' two scalar twins (:func:`goal_task_rate`, :func:`goal_pressure`) and the network levels of
:func:`relax_levels` are a few float operations: they stay Python (a compiled call would cost more than they do),
without the reference's intermediate calls. With the trust evidence's ledger on (``trust_evidence.ledger``), the
twins that add evidence call their reference, which records every addition.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from model import submodels as reference
from model.compiled.common import pairwise_sum
from model.evidence import TrustEvidence
from model.state import NetworkState
from model.submodels import Constants, Params

#: The twins (what :mod:`model.compiled.submodels` takes from here).
__all__ = [
    "align_layers",
    "goal_pressure",
    "goal_task_rate",
    "relationships",
    "relax_levels",
    "settle",
    "settle_board",
    "task_rate",
]

# ---- scalar helpers with numpy's semantics (NaN propagates as np.maximum and np.minimum propagate it) -------------


@njit(cache=True, inline="always")
def _maximum(a: float, b: float) -> float:
    """``np.maximum(a, b)`` of two floats."""
    return a if (a >= b or a != a) else b


@njit(cache=True, inline="always")
def _minimum(a: float, b: float) -> float:
    """``np.minimum(a, b)`` of two floats."""
    return a if (a <= b or a != a) else b


# ---- 5. relationship updates (ODD 7.4) -------------------------------------------------------------------------------


@njit(cache=True)
def _relationships(
    src: np.ndarray,
    dst: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    values: np.ndarray,
    given_distance: np.ndarray,
    understanding: np.ndarray,
    respect: np.ndarray,
    trust: np.ndarray,
    power: np.ndarray,
    dependency: np.ndarray,
    recognition: np.ndarray,
    stake: np.ndarray,
    penalty: np.ndarray,
    equality: np.ndarray,
    freedom: np.ndarray,
    commitment: np.ndarray,
    low_weeks: np.ndarray,
    layers: bool,
    floor_procedure: np.ndarray,
    procedure: float,
    floor_frames: np.ndarray,
    frames: float,
    dependency_on: bool,
    goals_on: bool,
    others: np.ndarray,
    week_dose: float,
    own: int,
    pressure: float,
    progress: float,
    exit_threshold: float,
    exit_patience: float,
    rho: float,
    understanding_decay: float,
    understanding_floor: float,
    gap_weight: float,
    recognition_weight: float,
    dependency_equality_weight: float,
    steering_freedom_loss: float,
    progress_weight: float,
    overload_commitment_loss: float,
    pressure_commitment_loss: float,
    dependency_exit_weight: float,
    new_respect: np.ndarray,
    new_understanding: np.ndarray,
    new_equality: np.ndarray,
    new_freedom: np.ndarray,
    new_commitment: np.ndarray,
    new_low: np.ndarray,
    who: np.ndarray,
) -> int:
    """The new arrays are written into ``new_...`` (fresh arrays of the wrapper), the leaving partners into the
    first places of ``who``; returns how many leave."""
    n = active.size
    m = src.size
    k = values.shape[1]
    # per partner: active relations out and in, and the sums of mean_out(trust), mean_out(respect), mean_in(trust),
    # mean_in(understanding), in edge order (np.bincount's)
    count_out = np.zeros(n)
    count_in = np.zeros(n)
    out_trust = np.zeros(n)
    out_respect = np.zeros(n)
    in_trust = np.zeros(n)
    in_understanding = np.zeros(n)
    for e in range(m):
        i = src[e]
        j = dst[e]
        if given_distance.size:
            distance = given_distance[e]
        else:  # model.mechanisms.value_distance_between (fewer than 8 values: column by column)
            diff = values[i, 0] - values[j, 0]
            total = diff * diff
            for dim in range(1, k):
                diff = values[i, dim] - values[j, dim]
                total += diff * diff
            distance = np.sqrt(total / k)
        u = understanding[e]
        on = edge_active[e]
        w = 1.0 if on else 0.0
        if on:
            target = 1.0 - distance * (1.0 - u)
            new_respect[e] = respect[e] + rho * (target - respect[e])
            new_understanding[e] = u - understanding_decay * (u - understanding_floor)
        else:
            new_respect[e] = respect[e]
            new_understanding[e] = u
        count_out[i] += w
        count_in[j] += w
        out_trust[i] += trust[e] * w
        out_respect[i] += new_respect[e] * w
        in_trust[j] += trust[e] * w
        in_understanding[j] += new_understanding[e] * w
    top = -np.inf  # the largest power among the active partners (np.max: NaN if any is NaN)
    anyone = False
    for i in range(n):
        if active[i]:
            if (not anyone or power[i] > top or power[i] != power[i]) and top == top:
                top = power[i]
            anyone = True
    visible = _minimum(_maximum(progress, 0.0), 1.0)
    progress_factor = (1.0 - progress_weight) + progress_weight * visible
    leaving = 0
    for i in range(n):
        c_out = count_out[i]
        c_in = count_in[i]
        mean_in_understanding = in_understanding[i] / max(c_in, 1.0) if c_in > 0 else 0.0
        mean_in_trust = in_trust[i] / max(c_in, 1.0) if c_in > 0 else 0.0
        mean_out_trust = out_trust[i] / max(c_out, 1.0) if c_out > 0 else 0.0
        mean_out_respect = out_respect[i] / max(c_out, 1.0) if c_out > 0 else 0.0
        gap = top - power[i] if anyone else 0.0
        level = floor_procedure[i] if layers else procedure
        target = _minimum(
            _maximum(
                recognition_weight * mean_in_understanding
                + (1.0 - recognition_weight) * level
                - gap_weight * gap * (1.0 - level),
                0.0,
            ),
            1.0,
        )
        if dependency_on:
            target = _maximum(0.0, target - dependency_equality_weight * dependency[i] * (1.0 - recognition[i]))
        act = active[i]
        eq = equality[i] + rho * (target - equality[i]) if act else equality[i]
        new_equality[i] = eq
        target = (floor_frames[i] if layers else frames) * mean_in_trust
        if goals_on:
            dose = week_dose * (1.0 if others[i] else 0.0)
            target = target * (1.0 - steering_freedom_loss * dose)
        new_freedom[i] = freedom[i] + rho * (target - freedom[i]) if act else freedom[i]
        target = _minimum(
            _maximum(
                stake[i] * (mean_out_trust + mean_out_respect + eq) / 3.0 * progress_factor
                - overload_commitment_loss * penalty[i],
                0.0,
            ),
            1.0,
        )
        if goals_on:
            target = target * (1.0 - pressure_commitment_loss * (pressure if i == own else 0.0))
        com = commitment[i] + rho * (target - commitment[i]) if act else commitment[i]
        new_commitment[i] = com
        threshold = exit_threshold * (1.0 - dependency_exit_weight * dependency[i]) if dependency_on else exit_threshold
        if act:
            new_low[i] = low_weeks[i] + 1 if com < threshold else 0
            if new_low[i] >= exit_patience:
                who[leaving] = i
                leaving += 1
        else:
            new_low[i] = low_weeks[i]
    return leaving


_NONE_FLOAT = np.zeros(0)
#: From this many relations up, :func:`relationships` reads the value distances from the state's cache
#: (:meth:`~model.state.NetworkState.edge_distance`, kept until the values change) instead of computing them: a square
#: root per relation costs more than the cache's check. Also with 8 values and more, where numpy sums their squares
#: pairwise.
DISTANCE_KEPT_FROM = 256
_NONE_BOOL = np.zeros(0, dtype=bool)


def relationships(
    state: NetworkState, params: Params, constants: Constants, trust: np.ndarray, visible_progress: float
) -> np.ndarray:
    """:func:`model.submodels.relationships`, compiled: respect, understanding, perceived equality, freedom and
    commitment move toward their targets, weeks of low commitment are counted; returns the partners who leave."""
    st, c = state, constants
    values = st.values
    goals = st.goals
    n, m = st.n, st.m
    respect, understanding = np.empty(m), np.empty(m)
    equality, freedom, commitment = np.empty(n), np.empty(n), np.empty(n)
    low_weeks, who = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    leaving = _relationships(
        st.src,
        st.dst,
        st.edge_active,
        st.active,
        values,
        st.edge_distance() if st.m >= DISTANCE_KEPT_FROM or values.shape[1] >= 8 else _NONE_FLOAT,
        st.understanding,
        st.respect,
        trust,
        st.power,
        st.dependency,
        st.recognition,
        st.stake,
        st.penalty,
        st.equality,
        st.freedom,
        st.commitment,
        st.low_commitment_weeks,
        st.layers,
        st.floor_procedure_equality,
        float(st.procedure_equality),
        st.floor_frame_clarity,
        float(st.frame_clarity),
        bool(st.switches["dependency"]),
        goals is not None,
        _NONE_BOOL if goals is None else goals.others,
        0.0 if goals is None else float(goals.week_dose),
        -1 if goals is None else goals.own,
        0.0 if goals is None else float(goals.pressure),
        float(visible_progress),
        float(params["exit_threshold"]),
        float(params["exit_patience"]),
        c["adaptation_rate"],
        c["understanding_decay"],
        c["understanding_floor"],
        st.equality_gap_weight(),
        c["recognition_weight"],
        c["dependency_equality_weight"],
        c["steering_freedom_loss"],
        c["progress_weight"],
        c["overload_commitment_loss"],
        c["pressure_commitment_loss"],
        c["dependency_exit_weight"],
        respect,
        understanding,
        equality,
        freedom,
        commitment,
        low_weeks,
        who,
    )
    st.respect, st.understanding, st.equality, st.freedom, st.commitment = (
        respect,
        understanding,
        equality,
        freedom,
        commitment,
    )
    st.low_commitment_weeks = low_weeks
    return who[:leaving]


# ---- board and work floor (switch ``layers``, ODD 7.13) --------------------------------------------------------------


@njit(cache=True)
def _align_layers(
    src: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    alignment: np.ndarray,
    alignment0: np.ndarray,
    trust: np.ndarray,
    floor_frames: np.ndarray,
    floor_procedure: np.ndarray,
    frames: float,
    procedure: float,
    own_frames: float,
    own_procedure: float,
    rate: float,
    hearing: float,
    relax_rate: float,
    board_positive: np.ndarray,
    board_negative: np.ndarray,
    new_frames: np.ndarray,
    new_procedure: np.ndarray,
    new_alignment: np.ndarray,
) -> None:
    n = active.size
    frames_beyond = frames - own_frames
    procedure_beyond = procedure - own_procedure
    for i in range(n):
        a = alignment[i]
        if active[i]:
            f = floor_frames[i]
            new_frames[i] = f + rate * (own_frames + a * frames_beyond - f)
            p = floor_procedure[i]
            new_procedure[i] = p + rate * (own_procedure + a * procedure_beyond - p)
            new_alignment[i] = a + relax_rate * (alignment0[i] - a)
        else:
            new_frames[i] = floor_frames[i]
            new_procedure[i] = floor_procedure[i]
            new_alignment[i] = a
    for e in range(src.size):
        weight = hearing * alignment[src[e]]
        w = 1.0 if edge_active[e] else 0.0
        t = trust[e]
        board_positive[e] += weight * t * w
        board_negative[e] += weight * (1.0 - t) * w


def align_layers(
    state: NetworkState, params: Params, constants: Constants, trust: np.ndarray, trust_evidence: TrustEvidence
) -> None:
    """:func:`model.submodels.align_layers`, compiled: the work floor follows the boards' agreements, the boards hear
    the floor's trust (board evidence of the week, in place), alignment relaxes toward the scenario's."""
    if trust_evidence.ledger is not None:  # every addition is recorded: the reference does it
        reference.align_layers(state, params, constants, trust, trust_evidence)
        return
    st, c = state, constants
    n = st.n
    frames, procedure, alignment = np.empty(n), np.empty(n), np.empty(n)
    _align_layers(
        st.src,
        st.edge_active,
        st.active,
        st.alignment,
        st.alignment0,
        trust,
        st.floor_frame_clarity,
        st.floor_procedure_equality,
        float(st.frame_clarity),
        float(st.procedure_equality),
        float(params["frame_clarity"]),
        float(st.procedure_equality_floor(params["procedure_equality"])),
        c["alignment_down_rate"],
        c["board_hearing_evidence"],
        c["level_relax_rate"],
        trust_evidence.board_positive,
        trust_evidence.board_negative,
        frames,
        procedure,
        alignment,
    )
    st.floor_frame_clarity, st.floor_procedure_equality, st.alignment = frames, procedure, alignment


# ---- levels that wear off ------------------------------------------------------------------------------------------


@njit(cache=True)
def _toward_zero(x: np.ndarray, rate: float, out: np.ndarray) -> None:
    """``out = move_toward(x, 0.0, rate)``."""
    for i in range(x.size):
        out[i] = x[i] + rate * (0.0 - x[i])


def relax_levels(state: NetworkState, params: Params, constants: Constants) -> None:
    """:func:`model.submodels.relax_levels`: blame, frame clarity, information structure and procedural equality
    relax toward the parameters' values; with the ``dependency`` switch, recognition toward 0 (compiled)."""
    st, c = state, constants
    rate = c["level_relax_rate"]
    blame, frames, structure, procedure = st.blame, st.frame_clarity, st.info_structure, st.procedure_equality
    st.blame = float(blame + c["adaptation_rate"] * (params["blame_culture"] - blame))
    st.frame_clarity = float(frames + rate * (params["frame_clarity"] - frames))
    st.info_structure = float(structure + rate * (params["info_structure"] - structure))
    st.procedure_equality = st.procedure_equality_floor(
        float(procedure + rate * (params["procedure_equality"] - procedure))
    )
    if st.switches["dependency"]:
        recognition = np.empty(st.n)
        _toward_zero(st.recognition, rate, recognition)
        st.recognition = recognition


# ---- the week's evidence applied (model.evidence) -----------------------------------------------------------------


@njit(cache=True)
def _settle(
    r: np.ndarray,
    s: np.ndarray,
    positive: np.ndarray,
    negative: np.ndarray,
    director_r: np.ndarray,
    director_s: np.ndarray,
    retention: float,
    new_r: np.ndarray,
    new_s: np.ndarray,
    new_positive: np.ndarray,
    new_negative: np.ndarray,
) -> None:
    for e in range(r.size):
        new_r[e] = retention * r[e] + positive[e]
        new_s[e] = retention * s[e] + negative[e]
        new_positive[e] = 0.0
        new_negative[e] = 0.0
    for i in range(director_r.size):
        director_r[i] *= retention
    for i in range(director_s.size):
        director_s[i] *= retention


def settle(trust_evidence: TrustEvidence, retention: float) -> None:
    """:meth:`model.evidence.TrustEvidence.settle`, compiled: r <- λ r + positive, s <- λ s + negative (new arrays),
    the evidence about the director decays by λ (in place); the week's gathering starts anew at zero."""
    ev = trust_evidence
    if ev.ledger is not None:
        ev.settle(retention)
        return
    m = len(ev.r)
    r, s, positive, negative = np.empty(m), np.empty(m), np.empty(m), np.empty(m)
    _settle(
        ev.r, ev.s, ev.positive, ev.negative, ev.director_r, ev.director_s, float(retention), r, s, positive, negative
    )
    ev.r, ev.s, ev.positive, ev.negative = r, s, positive, negative


def settle_board(trust_evidence: TrustEvidence, retention: float) -> None:
    """:meth:`model.evidence.TrustEvidence.settle_board`, compiled: the board evidence's week applied with
    forgetting; the week's board gathering starts anew at zero."""
    ev = trust_evidence
    if ev.ledger is not None:
        ev.settle_board(retention)
        return
    m = len(ev.board_r)
    r, s, positive, negative = np.empty(m), np.empty(m), np.empty(m), np.empty(m)
    _settle(
        ev.board_r,
        ev.board_s,
        ev.board_positive,
        ev.board_negative,
        _NONE_FLOAT,
        _NONE_FLOAT,
        float(retention),
        r,
        s,
        positive,
        negative,
    )
    ev.board_r, ev.board_s, ev.board_positive, ev.board_negative = r, s, positive, negative


# ---- the task rate and the director's own goals (ODD 7.12) -----------------------------------------------------------


@njit(cache=True)
def _task_rate(stake: np.ndarray, active: np.ndarray, output: float, setback: float, reference_rate: float) -> float:
    kept = np.empty(stake.size)
    count = 0
    for i in range(stake.size):
        if active[i]:
            kept[count] = stake[i]
            count += 1
    coverage = pairwise_sum(kept[:count]) / pairwise_sum(stake)
    return (output - setback) * (coverage * coverage) / reference_rate


def task_rate(state: NetworkState, output: float, setback: float, reference_rate: float) -> Any:
    """:func:`model.submodels.task_rate`, compiled: max(0, (output - setback) x coverage / reference), coverage =
    (active stake / total stake)^2 (a numpy float, or 0.0, as the reference returns)."""
    rate = _task_rate(state.stake, state.active, float(output), float(setback), float(reference_rate))
    return np.float64(rate) if rate > 0.0 else 0.0


def goal_task_rate(state: NetworkState, constants: Constants, progress_weeks: float) -> float:
    """:func:`model.submodels.goal_task_rate`: overlap · goal_task_size · ΔG · ``progress_weeks`` (0 without goals)."""
    goals = state.goals
    if goals is None:
        return 0.0
    return goals.spec.overlap * constants["goal_task_size"] * goals.week_advance * progress_weeks


def goal_pressure(state: NetworkState) -> None:
    """:func:`model.submodels.goal_pressure`: P <- P + pressure · (lag - P), the lag of the goals behind their
    schedule (:func:`model.mechanisms.goal_lag`)."""
    goals = state.goals
    if goals is None:
        return
    schedule = min(1.0, state.tick / goals.weeks)
    lag = 0.0 if schedule <= 0.0 else float(min(1.0, max(0.0, 1.0 - goals.progress / schedule)))
    pressure = goals.pressure
    goals.pressure = float(pressure + goals.spec.pressure * (lag - pressure))
