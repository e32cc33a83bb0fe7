"""The director's strategies (model spec, section 5): hour shares per intervention, in one table.

A strategy turns a week's hours into a plan: a list of ``(intervention id, hours, targets)``. ``targets`` is
``None`` for the network or an array of partner indices. Personal contact goes to the weakest relations first;
vision sessions gather the partners with the lowest mutual understanding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from model import mechanisms as mech
from model.constants import DECLARED
from model.inputs import InputError
from model.interventions import INTERVENTIONS
from model.mechanisms import lowest, lowest_set

if TYPE_CHECKING:
    from model.state import NetworkState

Plan = list[tuple[str, float, Any]]

#: Hour shares of the fixed strategies. ``balanced`` first spends all hours on a covenant until it is complete.
SHARES: dict[str, dict[str, float]] = {
    "none": {},
    "task_focus": {
        "role_division": 0.4,
        "build_info_structure": 0.3,
        "expectation_management": 0.2,
        "covenant": 0.1,
    },
    "relation_focus": {
        "vision_session": 0.3,
        "personal_contact": 0.3,
        "equal_footing": 0.2,
        "recognize_interests": 0.2,
    },
    "balanced": {
        "accountability_dialogue": 0.2,
        "build_info_structure": 0.2,
        "personal_contact": 0.15,
        "vision_session": 0.15,
        "equal_footing": 0.1,
        "recognize_interests": 0.1,
        "expectation_management": 0.1,
    },
}

#: Which interventions address each of the six concepts (for the adaptive strategy): those that move a term of the
#: concept's own equation. Transparency is openness x (1 - overload penalty), and openness moves toward
#: accountability x trust x (1 - 0.5 blame): the accountability dialogue raises accountability and lowers blame, the
#: information structure lowers the load behind the penalty.
ADDRESSES: dict[str, tuple[str, ...]] = {
    "trust": ("personal_contact", "expectation_management"),
    "respect": ("vision_session", "recognize_interests"),
    "equality": ("equal_footing", "recognize_interests"),
    "freedom": ("covenant",),
    "accountability": ("accountability_dialogue",),
    "transparency": ("accountability_dialogue", "build_info_structure"),
}


def weakest_pairs(state: NetworkState, count: int) -> list[np.ndarray]:
    """The ``count`` active relations with the lowest mutual trust, as index pairs (each relation once)."""
    # each active relation once (i < j), and its reverse (kept until the active relations change)
    candidates, reverse = state.memo("pair_candidates", (state.edge_active,), lambda: _pair_candidates(state))
    if len(candidates) == 0 or count <= 0:
        return []
    trust = state.trust()
    mutual = (trust[candidates] + trust[reverse]) / 2  # the mutual trust of the candidates only: the same numbers
    count = min(count, len(candidates))
    chosen = candidates[lowest(mutual, count)]
    return [np.array([state.src[e], state.dst[e]]) for e in chosen]


def _pair_candidates(state: NetworkState) -> tuple[np.ndarray, np.ndarray]:
    candidates = (state.edge_active & (state.src < state.dst)).nonzero()[0]
    return candidates, state.rev[candidates]


def least_understood(state: NetworkState) -> np.ndarray:
    """The half of the active partners (at least two) with the lowest mean mutual understanding."""
    active = state.active_index()
    mutual = (state.mean_out(state.understanding) + state.mean_in(state.understanding)) / 2
    size = max(2, len(active) // 2)
    return active[lowest_set(mutual[active], size)]  # (active is ascending: so are they)


def spread(state: NetworkState, shares: dict[str, float], hours: float) -> Plan:
    """Turn hour shares into a plan; personal contact is split into full contacts at the weakest relations."""
    total = sum(shares.values())
    plan: Plan = []
    if total <= 0 or hours <= 0:
        return plan
    for iv_id, share in shares.items():
        h = hours * share / total
        if h <= 1e-9:
            continue
        if iv_id == "personal_contact":
            cost = INTERVENTIONS[iv_id].cost
            n_full = int(h // cost)
            rest = h - n_full * cost
            pairs = weakest_pairs(state, n_full + (rest > 1e-9))
            for k, pair in enumerate(pairs):
                plan.append((iv_id, cost if k < n_full else rest, pair))
        elif iv_id == "vision_session":
            plan.append((iv_id, h, least_understood(state)))
        else:
            plan.append((iv_id, h, None))
    return plan


def concept_shortfalls(
    state: NetworkState,
    metrics: dict[str, float],
    params: Mapping[str, Any],
    constants: Mapping[str, float] = DECLARED,
) -> dict[str, float]:
    """Shortfall of each concept from a reachable target: ``adaptive_target`` (0.8) x the concept's ceiling, the
    value its equation takes when the levels the director's interventions move are at their best and everything
    else is as it is now (:func:`concept_ceilings`). A concept reported missing (NaN: no active relation or partner,
    ODD 7.8) counts as 0, as it did before it was reported missing."""
    target = constants["adaptive_target"]
    ceilings = concept_ceilings(state, metrics, params, constants)
    return {c: max(0.0, target * ceilings[c] - _known(metrics.get(c, 0.0))) for c in ADDRESSES}


def concept_ceilings(
    state: NetworkState,
    metrics: dict[str, float],
    params: Mapping[str, Any],
    constants: Mapping[str, float] = DECLARED,
) -> dict[str, float]:
    """The most each concept can reach by the director's interventions, from the model's equations (ODD 7.7).

    - trust, respect, accountability: 1;
    - freedom (target frame clarity x trust received): trust x the mean best frame clarity the work floors can
      have (trust: last week's mean trust; before the first week the base rate, when missing 0);
    - transparency (openness x (1 - penalty), openness toward accountability x trust x (1 - 0.5 blame)): trust;
    - perceived equality (0.5 recognition + 0.5 procedure equality - w x power gap x (1 - procedure equality)):
      its equation with recognition 1 and the best procedure equality, mean over the active partners; the power
      gap is no intervention's to change (with the ``dependency`` switch, recognised interests take away the
      dependency term).

    The best level of a network's frames or procedures is 1 with one layer; with board and work floor (ODD 7.13) a
    work floor takes the boards' agreement only as far as its alignment a_i carries it: own + a_i (1 - own), own the
    level it has without the boards' agreements (the parameter's)."""
    trust = _known(metrics.get("trust", constants["base_rate"]))
    ceilings = {c: 1.0 for c in ADDRESSES}
    ceilings["transparency"] = trust
    active = state.active
    if not active.any():
        ceilings["freedom"] = trust
        return ceilings
    frames = _best_floor_level(state, float(params["frame_clarity"]))
    ceilings["freedom"] = trust * float(np.mean(frames[active]))
    procedure = _best_floor_level(state, state.procedure_equality_floor(float(params["procedure_equality"])))
    equality = mech.equality_target(
        1.0, procedure, state.power_gap(), state.equality_gap_weight(), constants["recognition_weight"]
    )
    ceilings["equality"] = float(np.mean(equality[active]))
    return ceilings


def _best_floor_level(state: NetworkState, own: float) -> np.ndarray:
    """Per partner, the highest level of an agreed network level (frames, procedures) its work floor can have: 1
    with one layer; with two, own + a_i (1 - own) (:func:`model.mechanisms.floor_follows_board` at a board level
    of 1)."""
    if not state.layers:
        return np.ones(state.n)
    return own + state.alignment * (1.0 - own)


def _known(value: float) -> float:
    """A metric's value, with a missing one (NaN) as 0."""
    return 0.0 if math.isnan(value) else value


def plan(
    strategy: str,
    state: NetworkState,
    hours: float,
    params: dict[str, Any],
    metrics: dict[str, float],
    covenant_done: bool,
    constants: Mapping[str, float] | None = None,
) -> Plan:
    """This week's plan for a strategy with ``hours`` to spend (``constants``: the values in force, by default
    the declared ones)."""
    return plan_with(spread, concept_shortfalls, strategy, state, hours, params, metrics, covenant_done, constants)


if TYPE_CHECKING:
    #: How a plan turns hour shares into interventions with targets (:func:`spread`'s signature).
    Spread = Callable[[NetworkState, dict[str, float], float], Plan]
    #: How the adaptive strategy finds each concept's shortfall (:func:`concept_shortfalls`'s signature).
    Shortfalls = Callable[[NetworkState, dict[str, float], Mapping[str, Any], Mapping[str, float]], dict[str, float]]


def plan_with(
    spread_shares: Spread,
    shortfalls: Shortfalls,
    strategy: str,
    state: NetworkState,
    hours: float,
    params: dict[str, Any],
    metrics: dict[str, float],
    covenant_done: bool,
    constants: Mapping[str, float] | None = None,
) -> Plan:
    """:func:`plan` with its two computations given: the one body of every strategy, which the compiled engine's
    plan (:mod:`model.compiled.plan`) shares with its own ``spread_shares`` and ``shortfalls``."""
    if constants is None:
        constants = DECLARED
    if strategy in ("none", "manual") or hours <= 0:
        return []
    ways = (spread_shares, shortfalls)
    steering = steering_hours(state, params, hours)
    if steering > 0:  # the director's own goals first (ODD 7.12), the strategy spends the rest
        rest = _strategy_plan(ways, strategy, state, hours - steering, params, metrics, covenant_done, constants)
        return [("steer_own_goals", steering, None), *rest]
    return _strategy_plan(ways, strategy, state, hours, params, metrics, covenant_done, constants)


def steering_hours(state: NetworkState, params: Mapping[str, Any], hours: float) -> float:
    """Hours a strategy spends steering on the director's own goals: ``steering_share`` x the week's hours, where
    the director has goals of its own (ODD 7.12); else 0."""
    if state.goals is None:
        return 0.0
    return float(params.get("steering_share", 0.0)) * hours


def _strategy_plan(
    ways: tuple[Spread, Shortfalls],
    strategy: str,
    state: NetworkState,
    hours: float,
    params: dict[str, Any],
    metrics: dict[str, float],
    covenant_done: bool,
    constants: Mapping[str, float],
) -> Plan:
    """The plan of a strategy's own shares for ``hours``."""
    spread_shares, shortfalls = ways
    if hours <= 0:
        return []
    if strategy == "balanced" and not covenant_done:
        return [("covenant", hours, None)]
    if strategy in SHARES:
        return spread_shares(state, SHARES[strategy], hours)
    if strategy == "custom":
        allocated = {iv: params.get(f"alloc_{iv}", 0.0) for iv in INTERVENTIONS}
        return spread_shares(state, {k: v for k, v in allocated.items() if v > 0}, hours)
    if strategy == "adaptive":
        gaps = shortfalls(state, metrics, params, constants)
        ranked = sorted(gaps, key=lambda c: -gaps[c])[:2]
        first = constants["adaptive_first_share"]
        shares: dict[str, float] = {}
        for weight, concept in zip((first, 1.0 - first), ranked, strict=False):
            if gaps[concept] <= 0:
                continue
            for iv in ADDRESSES[concept]:
                shares[iv] = shares.get(iv, 0.0) + weight / len(ADDRESSES[concept])
        return spread_shares(state, shares, hours)
    raise InputError(f"unknown strategy {strategy!r}")
