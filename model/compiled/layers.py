"""Compiled twins of the reach of a board (or board-and-floor) intervention across the two layers (switch ``layers``,
ODD 7.13): :func:`model.interventions.floor_snapshot` and :func:`model.interventions.reach_layers`, and of the
kept promise of an intervention that acts (:func:`model.compiled.reference.kept_promise`).

The twins of the snapshot and the reach go together: :func:`floor_snapshot` gives ``(frame clarity, procedure
equality, copy)``, the copy one flat array of the work floor's arrays that :func:`model.interventions.reach_layers`
reads (for a "board" intervention; ``None`` otherwise), which :func:`reach_layers` reads back. :func:`reach_layers`
also takes the reference's snapshot (a dict), so either snapshot may precede it.

:func:`reach_layers` writes the work floor's new arrays (and levels) into the state's own arrays, where the reference
binds new ones: the same numbers (nothing keeps a state's array across an intervention), without the cost of
handing nine new arrays from compiled code to Python (about 1.5 us each).

With the trust evidence's ledger set (``trust_evidence.ledger is not None``) both reach and kept promise call the
reference functions, which record every addition with its source.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from model import interventions
from model.compiled import reference
from model.interventions import FLOOR_PARTNER_ARRAYS, FLOOR_RELATION_ARRAYS, Constants, Targets
from model.state import NetworkState

#: The twins' snapshot: the boards' frame clarity and procedure equality before the intervention, and for a "board"
#: intervention the work floor's arrays (:data:`FLOOR_PARTNER_ARRAYS`, :data:`FLOOR_RELATION_ARRAYS`, values, in
#: that order) in one flat copy.
Snapshot = tuple[float, float, np.ndarray | None]

_NO_TARGETS = np.zeros(0, dtype=np.int64)
_FLOOR_ARRAYS = (*FLOOR_PARTNER_ARRAYS, *FLOOR_RELATION_ARRAYS, "values")


# ---- the kernels ----------------------------------------------------------------------------------------------------


@njit(cache=True)
def _copy_into(buffer: np.ndarray, start: int, x: np.ndarray) -> int:
    buffer[start : start + x.size] = x
    return start + x.size


@njit(cache=True)
def _floor_copy(
    buffer: np.ndarray,
    commitment: np.ndarray,
    accountability: np.ndarray,
    openness: np.ndarray,
    equality: np.ndarray,
    freedom: np.ndarray,
    recognition: np.ndarray,
    understanding: np.ndarray,
    respect: np.ndarray,
    expectation: np.ndarray,
    values: np.ndarray,
) -> None:
    """The work floor's arrays, one after the other, into ``buffer`` (values row by row)."""
    at = _copy_into(buffer, 0, commitment)
    at = _copy_into(buffer, at, accountability)
    at = _copy_into(buffer, at, openness)
    at = _copy_into(buffer, at, equality)
    at = _copy_into(buffer, at, freedom)
    at = _copy_into(buffer, at, recognition)
    at = _copy_into(buffer, at, understanding)
    at = _copy_into(buffer, at, respect)
    at = _copy_into(buffer, at, expectation)
    rows, columns = values.shape
    if at + rows * columns != buffer.size:
        raise ValueError("the work floor's arrays do not fill the snapshot")
    for i in range(rows):
        for j in range(columns):
            buffer[at] = values[i, j]
            at += 1


@njit(cache=True)
def _partner_through(before: np.ndarray, start: int, after: np.ndarray, a: np.ndarray) -> int:
    """after <- before + a (after - before) per partner (``mech.through_alignment``); the next start."""
    for i in range(after.size):
        b = before[start + i]
        after[i] = b + a[i] * (after[i] - b)
    return start + after.size


@njit(cache=True)
def _relation_through(before: np.ndarray, start: int, after: np.ndarray, a: np.ndarray, src: np.ndarray) -> int:
    """after <- before + a_src (after - before) per relation (the alignment of the relation's source); the next
    start."""
    for e in range(after.size):
        b = before[start + e]
        after[e] = b + a[src[e]] * (after[e] - b)
    return start + after.size


@njit(cache=True)
def _members(targets: np.ndarray, n: int) -> np.ndarray:
    """A mask over partners of ``targets`` (negative indices from the end, as numpy's); an index out of range is
    refused before anything changes."""
    member = np.zeros(n, dtype=np.bool_)
    for t in targets:
        if t < -n or t >= n:
            raise IndexError("a target is not a partner index")
        member[t if t >= 0 else t + n] = True
    return member


@njit(cache=True)
def _board_session(
    board_r: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    targets: np.ndarray,
    has_targets: bool,
    amount: float,
) -> None:
    """``amount`` positive evidence on the board relations within the targets (every active relation without
    targets, or when the targets are every active partner), as ``_edges_within`` and ``add_board_positive_now``."""
    everyone = True
    member = np.zeros(0, dtype=np.bool_)
    if has_targets:
        member = _members(targets, active.size)
        for i in range(active.size):
            if member[i] != active[i]:
                everyone = False
                break
    if everyone:
        for e in range(edge_active.size):
            if edge_active[e]:
                board_r[e] += amount
    else:
        for e in range(edge_active.size):
            if edge_active[e] and member[src[e]] and member[dst[e]]:
                board_r[e] += amount


@njit(cache=True)
def _reach_board(
    before: np.ndarray,
    a: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    commitment: np.ndarray,
    accountability: np.ndarray,
    openness: np.ndarray,
    equality: np.ndarray,
    freedom: np.ndarray,
    recognition: np.ndarray,
    understanding: np.ndarray,
    respect: np.ndarray,
    expectation: np.ndarray,
    values: np.ndarray,
    board_r: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    targets: np.ndarray,
    has_targets: bool,
    amount: float,
) -> None:
    """A board intervention's reach: the work floor's arrays and values, and the board session's evidence (all in
    place)."""
    rows, columns = values.shape
    size = 6 * a.size + 3 * src.size + rows * columns
    if before.size != size or commitment.size != a.size or understanding.size != src.size:
        raise ValueError("the snapshot is not of this state's work floor")
    at = _partner_through(before, 0, commitment, a)
    at = _partner_through(before, at, accountability, a)
    at = _partner_through(before, at, openness, a)
    at = _partner_through(before, at, equality, a)
    at = _partner_through(before, at, freedom, a)
    at = _partner_through(before, at, recognition, a)
    at = _relation_through(before, at, understanding, a, src)
    at = _relation_through(before, at, respect, a, src)
    at = _relation_through(before, at, expectation, a, src)
    for i in range(rows):
        for j in range(columns):
            b = before[at]
            values[i, j] = b + a[i] * (values[i, j] - b)
            at += 1
    _board_session(board_r, src, dst, edge_active, active, targets, has_targets, amount)


@njit(cache=True)
def _clip01(x: float) -> float:
    """``np.clip(x, 0.0, 1.0)`` of one number (NaN stays NaN, -0.0 stays -0.0, as numpy's)."""
    y = 0.0 if x < 0.0 else x
    return 1.0 if y > 1.0 else y


@njit(cache=True)
def _reach_both(
    floor_frame_clarity: np.ndarray,
    floor_procedure_equality: np.ndarray,
    frame_change: float,
    procedure_change: float,
    board_r: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    edge_active: np.ndarray,
    active: np.ndarray,
    targets: np.ndarray,
    has_targets: bool,
    amount: float,
) -> None:
    """A board-and-floor intervention's reach: the work floors' levels and the board session's evidence (in
    place)."""
    for i in range(floor_frame_clarity.size):
        floor_frame_clarity[i] = _clip01(floor_frame_clarity[i] + frame_change)
    for i in range(floor_procedure_equality.size):
        floor_procedure_equality[i] = _clip01(floor_procedure_equality[i] + procedure_change)
    _board_session(board_r, src, dst, edge_active, active, targets, has_targets, amount)


@njit(cache=True)
def _add_once(x: np.ndarray, targets: np.ndarray, has_targets: bool, active: np.ndarray, amount: float) -> None:
    """``x[reached] += amount``, each partner reached once: the targets, or without them every active partner."""
    member = _members(targets, x.size) if has_targets else active
    for i in range(x.size):
        if member[i]:
            x[i] += amount


# ---- the twins ------------------------------------------------------------------------------------------------------


def floor_snapshot(state: NetworkState, layer: str = "board") -> Any:
    """:func:`model.interventions.floor_snapshot`'s twin: what :func:`reach_layers` needs, in the twins' format
    (a :data:`Snapshot`; typed ``Any`` as the engines' namespaces hold either function under one name)."""
    if layer == "board":
        copy = np.empty(6 * state.n + 3 * state.m + state.values.size)
        _floor_copy(
            copy,
            state.commitment,
            state.accountability,
            state.openness,
            state.equality,
            state.freedom,
            state.recognition,
            state.understanding,
            state.respect,
            state.expectation,
            state.values,
        )
        return float(state.frame_clarity), float(state.procedure_equality), copy
    return float(state.frame_clarity), float(state.procedure_equality), None


def reach_layers(
    state: NetworkState,
    layer: str,
    before: Snapshot | dict[str, np.ndarray],
    dose: float,
    targets: Targets,
    constants: Constants,
) -> None:
    """:func:`model.interventions.reach_layers`'s twin; ``before`` from :func:`floor_snapshot` (or the reference's
    snapshot)."""
    if layer == "floor":
        return
    if isinstance(before, dict):
        before = _from_reference(before)
    trust_evidence = state.trust_evidence
    if trust_evidence.ledger is not None:  # the reference records each addition with its source
        interventions.reach_layers(state, layer, as_reference(before, state), dose, targets, constants)
        return
    if targets is None:
        chosen, has_targets = _NO_TARGETS, False
    else:
        chosen, has_targets = np.asarray(targets, dtype=np.int64), True
    amount = constants["board_session_evidence"] * dose
    if layer == "board":
        copy = before[2]
        if copy is None:
            raise KeyError("a board intervention's reach needs the snapshot of a board intervention")
        _reach_board(
            copy,
            state.alignment,
            state.src,
            state.dst,
            state.commitment,
            state.accountability,
            state.openness,
            state.equality,
            state.freedom,
            state.recognition,
            state.understanding,
            state.respect,
            state.expectation,
            state.values,
            trust_evidence.board_r,
            state.edge_active,
            state.active,
            chosen,
            has_targets,
            amount,
        )
    else:
        _reach_both(
            state.floor_frame_clarity,
            state.floor_procedure_equality,
            state.frame_clarity - before[0],
            state.procedure_equality - before[1],
            trust_evidence.board_r,
            state.src,
            state.dst,
            state.edge_active,
            state.active,
            chosen,
            has_targets,
            amount,
        )


def kept_promise(state: NetworkState, targets: Targets, amount: float) -> None:
    """:func:`model.compiled.reference.kept_promise`'s twin."""
    trust_evidence = state.trust_evidence
    if trust_evidence.ledger is not None:  # the reference records the addition with its source
        reference.kept_promise(state, targets, amount)
    elif targets is None:
        _add_once(trust_evidence.director_r, _NO_TARGETS, False, state.active, amount)
    else:
        _add_once(trust_evidence.director_r, np.asarray(targets, dtype=np.int64), True, state.active, amount)


# ---- the two snapshots ----------------------------------------------------------------------------------------------


def _from_reference(before: dict[str, np.ndarray]) -> Snapshot:
    """The twins' snapshot of the reference's."""
    copy = None
    if "commitment" in before:
        copy = np.concatenate([np.asarray(before[name], dtype=float).ravel() for name in _FLOOR_ARRAYS])
    return float(before["frame_clarity"]), float(before["procedure_equality"]), copy


def as_reference(before: Snapshot, state: NetworkState) -> dict[str, Any]:
    """The reference's snapshot of the twins' (the arrays shaped as ``state``'s)."""
    snapshot: dict[str, Any] = {
        "frame_clarity": np.array(before[0]),
        "procedure_equality": np.array(before[1]),
    }
    copy = before[2]
    if copy is not None:
        at = 0
        for name in _FLOOR_ARRAYS:
            shape = getattr(state, name).shape
            size = int(np.prod(shape))
            snapshot[name] = copy[at : at + size].reshape(shape)
            at += size
    return snapshot
