"""Compiled twins of the interventions' effects (:mod:`model.interventions`): ``intervention_effect``.

Each intervention of :data:`model.interventions.INTERVENTIONS` has a twin with its effect's signature that does the
same arithmetic on the state in one compiled kernel (or, for a network level alone, in a line of Python). The
relations within a group (``_edges_within``) are found from the members' own relations (their CSR blocks), in
ascending order, without the state's memos: a memo compares its inputs by content, so the memos others read stay
valid. An intervention whose effect is not the reference's own (a changed ``INTERVENTIONS`` entry), or whose id has
no twin, acts through its ``effect``; so does an effect that adds trust evidence while the evidence is recorded
(``trust_evidence.ledger``), and one that the reference would refuse (nobody active where a median is needed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numba import njit

from model.compiled.common import _block
from model.interventions import INTERVENTIONS, Intervention
from model.state import NetworkState

Constants = Mapping[str, float]
Effect = Callable[[NetworkState, float, float, Any, Constants], None]

_EMPTY = np.zeros(0, dtype=np.int64)


# ---- building blocks ----------------------------------------------------------------------------------------------


@njit(cache=True)
def _member_mask(targets: np.ndarray, n: int) -> np.ndarray:
    """``member[targets] = True`` (numpy's indexing: a negative index counts from the end; out of range raises)."""
    member = np.zeros(n, dtype=np.bool_)
    for t in targets:
        if t < -n or t >= n:
            raise IndexError("partner index out of range")
        member[t if t >= 0 else t + n] = True
    return member


@njit(cache=True)
def _active_edges(edge_active: np.ndarray) -> np.ndarray:
    """``edge_active.nonzero()[0]``."""
    count = 0
    for e in range(edge_active.size):
        if edge_active[e]:
            count += 1
    out = np.empty(count, dtype=np.int64)
    k = 0
    for e in range(edge_active.size):
        if edge_active[e]:
            out[k] = e
            k += 1
    return out


@njit(cache=True)
def _edges_within(
    targets: np.ndarray,
    whole: bool,
    active: np.ndarray,
    edge_active: np.ndarray,
    dst: np.ndarray,
    offsets: np.ndarray,
    out_degree: np.ndarray,
) -> np.ndarray:
    """:func:`model.interventions._edges_within`: the active relations whose two ends are among ``targets``
    (``whole``: every active relation), ascending; when the targets are exactly the active partners, every active
    relation (as the reference's ``_group_edges``)."""
    if whole:
        return _active_edges(edge_active)
    n = active.size
    member = _member_mask(targets, n)
    same = True
    for i in range(n):
        if member[i] != active[i]:
            same = False
            break
    if same:
        return _active_edges(edge_active)
    count = 0
    for i in range(n):
        if member[i]:
            count += out_degree[i]
    out = np.empty(count, dtype=np.int64)
    k = 0
    for i in range(n):  # the members' own relations (CSR blocks by source): ascending
        if member[i]:
            start = offsets[i]
            for e in range(start, start + out_degree[i]):
                if member[dst[e]] and edge_active[e]:
                    out[k] = e
                    k += 1
    return out[:k]


@njit(cache=True)
def _median_of_active(power: np.ndarray, active: np.ndarray) -> tuple[bool, float]:
    """:func:`model.mechanisms.median` of ``power[active]``; (False, 0) when nobody is active."""
    count = 0
    for i in range(active.size):
        if active[i]:
            count += 1
    if count == 0:
        return False, 0.0
    x = np.empty(count)
    k = 0
    for i in range(active.size):
        if active[i]:
            x[k] = power[i]
            k += 1
    ordered = np.sort(x)
    half = count // 2
    if count % 2:
        return True, ordered[half]
    return True, (ordered[half - 1] + ordered[half]) / 2


@njit(cache=True)
def _raise_where(x: np.ndarray, mask: np.ndarray, effect: float, legitimacy: float, dose: float) -> None:
    """``x[mask] = raise_level(x[mask], effect, legitimacy, dose)`` (:func:`model.mechanisms.raise_level`)."""
    f = effect * legitimacy * dose
    for i in range(x.size):
        if mask[i]:
            z = x[i]
            x[i] = z + f * (1.0 - z)


@njit(cache=True)
def _raise_at(
    x: np.ndarray, targets: np.ndarray, whole: bool, active: np.ndarray, effect: float, legitimacy: float, dose: float
) -> None:
    """``x[members] = raise_level(x[members], ...)`` with members the targets (each once) or, ``whole``, the active
    partners."""
    _raise_where(x, active if whole else _member_mask(targets, x.size), effect, legitimacy, dose)


@njit(cache=True)
def _add_at(x: np.ndarray, targets: np.ndarray, amount: float) -> None:
    """``x[targets] += amount`` (a partner listed twice gains it once)."""
    member = _member_mask(targets, x.size)
    for i in range(x.size):
        if member[i]:
            x[i] += amount


def _index(targets: Any) -> np.ndarray | None:
    """``targets`` as an integer array for a kernel, or ``None`` if it is something else (then the reference acts)."""
    if type(targets) is not np.ndarray:
        targets = np.asarray(targets)
    return targets if targets.dtype.kind in "iu" and targets.ndim == 1 else None


# ---- the kernels --------------------------------------------------------------------------------------------------


@njit(cache=True)
def _vision_kernel(
    targets: np.ndarray,
    whole: bool,
    gain: float,
    convergence: float,
    legitimacy: float,
    dose: float,
    confidence_bound: float,
    active: np.ndarray,
    edge_active: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    offsets: np.ndarray,
    out_degree: np.ndarray,
    understanding: np.ndarray,
    respect: np.ndarray,
    values: np.ndarray,
) -> None:
    edges = _edges_within(targets, whole, active, edge_active, dst, offsets, out_degree)
    if edges.size == 0:
        return
    f = gain * legitimacy * dose
    for e in edges:
        z = understanding[e]
        understanding[e] = z + f * (1.0 - z)
    # one bounded-confidence step (mechanisms.bounded_confidence_step), weighted by respect
    mu = convergence * legitimacy * dose
    n, k = values.shape
    total = np.zeros((n, k))
    count = np.zeros(n)
    square = np.empty(k)
    for e in edges:
        i = src[e]
        j = dst[e]
        if k < 8:  # value_distance_between: column by column, in order
            diff = values[i, 0] - values[j, 0]
            s = diff * diff
            for dim in range(1, k):
                diff = values[i, dim] - values[j, dim]
                s += diff * diff
        else:  # value_distance: numpy's sum over the row
            for dim in range(k):
                diff = values[i, dim] - values[j, dim]
                square[dim] = diff * diff
            s = 0.0 + _block(square, 0, k)
        d = np.sqrt(s / k)
        c = 1.0 if d < confidence_bound else 0.0
        close = c * respect[e]
        for dim in range(k):
            total[i, dim] += (values[j, dim] - values[i, dim]) * close
        count[i] += c
    for i in range(n):
        scale = max(count[i], 1.0)
        for dim in range(k):
            v = values[i, dim] + mu * total[i, dim] / scale
            values[i, dim] = min(max(v, 0.0), 1.0)


@njit(cache=True)
def _role_division_kernel(
    loss_commitment: float,
    loss_equality: float,
    dose: float,
    active: np.ndarray,
    power: np.ndarray,
    commitment: np.ndarray,
    equality: np.ndarray,
) -> bool:
    found, median = _median_of_active(power, active)
    if not found:
        return False
    f = loss_commitment * dose
    g = loss_equality * dose
    for i in range(active.size):
        if active[i]:
            z = commitment[i]
            commitment[i] = z - f * z
            if power[i] < median:
                z = equality[i]
                equality[i] = z - g * z
    return True


@njit(cache=True)
def _personal_contact_kernel(
    targets: np.ndarray,
    evidence: float,
    gain: float,
    legitimacy: float,
    dose: float,
    active: np.ndarray,
    edge_active: np.ndarray,
    dst: np.ndarray,
    offsets: np.ndarray,
    out_degree: np.ndarray,
    understanding: np.ndarray,
    r: np.ndarray,
    director_r: np.ndarray,
) -> None:
    if targets.size == 1:
        _add_at(director_r, targets, evidence)
        return
    pair = targets[:2]
    edges = _edges_within(pair, False, active, edge_active, dst, offsets, out_degree)
    if edges.size == 0:  # no relation between them: understanding with the director only
        _add_at(director_r, pair, evidence)
        return
    f = gain * legitimacy * dose
    for e in edges:
        z = understanding[e]
        understanding[e] = z + f * (1.0 - z)
        r[e] += evidence


@njit(cache=True)
def _expectation_kernel(
    targets: np.ndarray,
    whole: bool,
    share: float,
    legitimacy: float,
    dose: float,
    edge_active: np.ndarray,
    dst: np.ndarray,
    real_effort: np.ndarray,
    expectation: np.ndarray,
) -> None:
    f = share * legitimacy * dose
    if whole:
        for e in range(expectation.size):
            if edge_active[e]:
                expectation[e] += f * (real_effort[dst[e]] - expectation[e])
    else:
        member = _member_mask(targets, real_effort.size)
        for e in range(expectation.size):
            if edge_active[e] and member[dst[e]]:
                expectation[e] += f * (real_effort[dst[e]] - expectation[e])


@njit(cache=True)
def _recognize_kernel(
    targets: np.ndarray,
    whole: bool,
    dependency: bool,
    gain_understanding: float,
    gain_recognition: float,
    legitimacy: float,
    dose: float,
    active: np.ndarray,
    edge_active: np.ndarray,
    power: np.ndarray,
    dst: np.ndarray,
    offsets: np.ndarray,
    out_degree: np.ndarray,
    understanding: np.ndarray,
    recognition: np.ndarray,
) -> bool:
    found, median = _median_of_active(power, active)
    if not found:
        return False
    f = gain_understanding * legitimacy * dose
    if whole:  # every active relation (each on its own: no list of them needed)
        for e in range(edge_active.size):
            if edge_active[e] and power[dst[e]] < median:  # toward a partner below the active partners' median power
                z = understanding[e]
                understanding[e] = z + f * (1.0 - z)
    else:
        for e in _edges_within(targets, whole, active, edge_active, dst, offsets, out_degree):
            if power[dst[e]] < median:
                z = understanding[e]
                understanding[e] = z + f * (1.0 - z)
    if dependency:
        member = active if whole else _member_mask(targets, active.size)
        g = gain_recognition * legitimacy * dose
        for i in range(active.size):
            if member[i] and active[i] and power[i] < median:
                z = recognition[i]
                recognition[i] = z + g * (1.0 - z)
    return True


@njit(cache=True)
def _steering_kernel(active: np.ndarray, others: np.ndarray, amount: float, director_s: np.ndarray) -> None:
    for i in range(active.size):
        if active[i] and others[i]:
            director_s[i] += amount


# ---- the twins (each with its reference effect's signature) -------------------------------------------------------


def _vision_session(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants) -> None:
    whole = targets is None
    index = _EMPTY if whole else _index(targets)
    if index is None:
        INTERVENTIONS["vision_session"].effect(state, dose, legitimacy, targets, constants)
        return
    _vision_kernel(
        index,
        whole,
        constants["vision_understanding"],
        constants["vision_convergence"],
        legitimacy,
        dose,
        state.confidence_bound,
        state.active,
        state.edge_active,
        state.src,
        state.dst,
        state.offsets,
        state.out_degree,
        state.understanding,
        state.respect,
        state.values,
    )


def _covenant(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants) -> None:
    z = state.frame_clarity
    state.frame_clarity = float(z + constants["covenant_frame_clarity"] * legitimacy * dose * (1.0 - z))


def _role_division(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants) -> None:
    if state.switches["role_division_costs"] and not _role_division_kernel(
        constants["role_division_commitment_loss"],
        constants["role_division_equality_loss"],
        dose,
        state.active,
        state.power,
        state.commitment,
        state.equality,
    ):  # nobody active: the reference's own answer
        INTERVENTIONS["role_division"].effect(state, dose, legitimacy, targets, constants)
        return
    z = state.frame_clarity
    state.frame_clarity = float(z + constants["role_division_frame_clarity"] * legitimacy * dose * (1.0 - z))


def _accountability_dialogue(
    state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants
) -> None:
    z = state.blame
    state.blame = float(z - constants["dialogue_blame_relief"] * dose * z)
    _raise_where(state.accountability, state.active, constants["dialogue_accountability"], legitimacy, dose)


def _build_info_structure(
    state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants
) -> None:
    z = state.info_structure
    state.info_structure = float(z + constants["info_structure_gain"] * legitimacy * dose * (1.0 - z))


def _personal_contact(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants) -> None:
    if targets is None or len(targets) == 0:
        return
    trust_evidence = state.trust_evidence
    index = _index(targets)
    if index is None or trust_evidence.ledger is not None:  # the evidence is recorded: the reference records it
        INTERVENTIONS["personal_contact"].effect(state, dose, legitimacy, targets, constants)
        return
    _personal_contact_kernel(
        index,
        constants["contact_evidence"] * dose,
        constants["contact_understanding"],
        legitimacy,
        dose,
        state.active,
        state.edge_active,
        state.dst,
        state.offsets,
        state.out_degree,
        state.understanding,
        trust_evidence.r,
        trust_evidence.director_r,
    )


def _expectation_management(
    state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants
) -> None:
    whole = targets is None
    index = _EMPTY if whole else _index(targets)
    if index is None:
        INTERVENTIONS["expectation_management"].effect(state, dose, legitimacy, targets, constants)
        return
    _expectation_kernel(
        index,
        whole,
        constants["expectation_management_share"],
        legitimacy,
        dose,
        state.edge_active,
        state.dst,
        state.real_effort,
        state.expectation,
    )
    state.drift_off_until = state.tick + int(constants["expectation_management_weeks"])


def _equal_footing(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants) -> None:
    z = state.procedure_equality
    state.procedure_equality = float(z + constants["equal_footing_gain"] * legitimacy * dose * (1.0 - z))
    if state.switches["dependency"]:
        _raise_where(state.recognition, state.active, constants["equal_footing_recognition"], legitimacy, dose)


def _recognize_interests(
    state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants
) -> None:
    whole = targets is None
    index = _EMPTY if whole else _index(targets)
    if index is None or not _recognize_kernel(
        index,
        whole,
        state.switches["dependency"],
        constants["recognize_interests_understanding"],
        constants["recognize_interests_recognition"],
        legitimacy,
        dose,
        state.active,
        state.edge_active,
        state.power,
        state.dst,
        state.offsets,
        state.out_degree,
        state.understanding,
        state.recognition,
    ):  # nobody active (or targets a kernel does not take): the reference's own answer
        INTERVENTIONS["recognize_interests"].effect(state, dose, legitimacy, targets, constants)


def _steer_own_goals(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants) -> None:
    goals = state.goals
    if goals is None:
        return
    trust_evidence = state.trust_evidence
    if trust_evidence.ledger is not None:  # the evidence is recorded: the reference records it
        INTERVENTIONS["steer_own_goals"].effect(state, dose, legitimacy, targets, constants)
        return
    advance = constants["goal_rate"] * dose
    goals.progress += advance
    goals.week_advance += advance
    goals.week_dose = 1.0 - (1.0 - goals.week_dose) * (1.0 - dose)
    _steering_kernel(state.active, goals.others, constants["steering_distrust"] * dose, trust_evidence.director_s)


def _align_layers(state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Constants) -> None:
    if not state.layers:
        return
    whole = targets is None
    index = _EMPTY if whole else _index(targets)
    if index is None:
        INTERVENTIONS["align_layers"].effect(state, dose, legitimacy, targets, constants)
        return
    _raise_at(state.alignment, index, whole, state.active, constants["align_layers_gain"], legitimacy, dose)


_TWIN_OF: dict[str, Effect] = {
    "vision_session": _vision_session,
    "covenant": _covenant,
    "role_division": _role_division,
    "accountability_dialogue": _accountability_dialogue,
    "build_info_structure": _build_info_structure,
    "personal_contact": _personal_contact,
    "expectation_management": _expectation_management,
    "equal_footing": _equal_footing,
    "recognize_interests": _recognize_interests,
    "steer_own_goals": _steer_own_goals,
    "align_layers": _align_layers,
}
#: Per intervention id, its reference effect and the twin that stands in for exactly that effect.
TWINS: dict[str, tuple[Effect, Effect]] = {
    iv_id: (INTERVENTIONS[iv_id].effect, twin) for iv_id, twin in _TWIN_OF.items() if iv_id in INTERVENTIONS
}


def intervention_effect(
    iv: Intervention, state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Any
) -> None:
    """What an intervention does to the state: its compiled twin, or its own ``effect`` when it has none."""
    pair = TWINS.get(iv.id)
    if pair is not None and iv.effect is pair[0]:
        pair[1](state, dose, legitimacy, targets, constants)
    else:
        iv.effect(state, dose, legitimacy, targets, constants)
