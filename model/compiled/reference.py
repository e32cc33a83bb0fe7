"""The submodels a model with ``engine="reference"`` calls: :mod:`model.submodels`'s own functions, under the names
of :mod:`model.compiled.submodels` (so the model's schedule reads the same with either engine)."""

from __future__ import annotations

from model.evidence import TrustEvidence
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


__all__ = [
    "Incidents",
    "JointWork",
    "WeekDraws",
    "account_voice_of",
    "accountability_events",
    "align_layers",
    "coordination_factor",
    "escalation",
    "full_health_output",
    "goal_pressure",
    "goal_task_rate",
    "information_flow",
    "joint_work",
    "legitimacy",
    "partner_contact",
    "relationships",
    "relax_levels",
    "settle",
    "settle_board",
    "task_rate",
    "voice",
]
