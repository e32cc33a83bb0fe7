"""Netwerkregie: an agent-based model of collaboration between organisations, with a network director.

The declarations (parameters, constants, metrics, switches, scenarios, interventions) are light to import. The
model itself, :class:`CollaborationModel` (Mesa, pandas), is loaded when it is first asked for, so that the command
line's help and the scenario list start quickly.
"""

from typing import Any

from model.constants import CONSTANTS
from model.inputs import InputError, Limits
from model.interventions import INTERVENTIONS
from model.metrics import METRICS, SIX_CONCEPTS
from model.parameters import PARAMETERS
from model.scenarios import Scenario, list_scenarios, load_scenario, parse_scenario
from model.strategies import SHARES
from model.switches import FIRST_VERSION, MODEL_VERSION, SWITCHES

__all__ = [
    "AGENT_METRICS",
    "CONSTANTS",
    "FIRST_VERSION",
    "INTERVENTIONS",
    "METRICS",
    "MODEL_VERSION",
    "PARAMETERS",
    "SHARES",
    "SIX_CONCEPTS",
    "SWITCHES",
    "CollaborationModel",
    "InputError",
    "Limits",
    "Scenario",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
]

_FROM_MODEL = ("CollaborationModel", "AGENT_METRICS")  # in model.model, which imports Mesa and pandas


def __getattr__(name: str) -> Any:
    """``model.CollaborationModel`` and ``model.AGENT_METRICS``, imported from :mod:`model.model` on first use."""
    if name in _FROM_MODEL:
        from model import model as implementation

        value = getattr(implementation, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'model' has no attribute {name!r}")
