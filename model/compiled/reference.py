"""The submodels a model with ``engine="reference"`` calls: :mod:`model.submodels`'s own functions, under the names
of :mod:`model.compiled.submodels` (so the model's schedule reads the same with either engine)."""

from __future__ import annotations

from typing import Any

import numpy as np

from model.evidence import TrustEvidence
from model.interventions import Intervention, floor_snapshot, reach_layers
from model.state import NetworkState
from model.strategies import plan
from model.submodels import (
    Incidents,
    JointWork,
    WeekDraws,
    account_voice_of,
    accountability_events,
    align_layers,
    coordination_factor,
    escalation,
    full_health_output,
    goal_pressure,
    goal_task_rate,
    information_flow,
    joint_work,
    legitimacy,
    partner_contact,
    relationships,
    relax_levels,
    task_rate,
    voice,
)


def settle(trust_evidence: TrustEvidence, retention: float) -> None:
    """Apply the week's floor evidence (:meth:`TrustEvidence.settle`)."""
    trust_evidence.settle(retention)


def settle_board(trust_evidence: TrustEvidence, retention: float) -> None:
    """Apply the week's board evidence (:meth:`TrustEvidence.settle_board`)."""
    trust_evidence.settle_board(retention)


def world_uniforms(seed: int, world: int, tick: int, size: int) -> np.ndarray:
    """The world's ``size`` uniforms of a tick, from ``SeedSequence([seed, world, tick])`` (ODD 5)."""
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, world, tick])))
    return gen.random(size)


def kept_promise(state: NetworkState, targets: Any, amount: float) -> None:
    """An intervention that acts keeps a promise: each partner it reached (``targets``, or every active partner)
    gains ``amount`` positive evidence in its trust in the director (:meth:`TrustEvidence.add_director_positive_now`,
    source "kept promise")."""
    reached = state.active_index() if targets is None else np.asarray(targets)
    state.trust_evidence.add_director_positive_now(reached, amount, "kept promise")


def intervention_effect(
    iv: Intervention, state: NetworkState, dose: float, legitimacy: float, targets: Any, constants: Any
) -> None:
    """What an intervention does to the state (its ``effect``, :mod:`model.interventions`)."""
    iv.effect(state, dose, legitimacy, targets, constants)


__all__ = [
    "Incidents",
    "JointWork",
    "WeekDraws",
    "account_voice_of",
    "accountability_events",
    "align_layers",
    "coordination_factor",
    "escalation",
    "floor_snapshot",
    "full_health_output",
    "goal_pressure",
    "goal_task_rate",
    "information_flow",
    "intervention_effect",
    "joint_work",
    "kept_promise",
    "legitimacy",
    "partner_contact",
    "plan",
    "reach_layers",
    "relationships",
    "relax_levels",
    "settle",
    "settle_board",
    "task_rate",
    "voice",
    "world_uniforms",
]
