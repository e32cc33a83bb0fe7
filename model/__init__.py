"""Netwerkregie: an agent-based model of collaboration between organisations, with a network director."""

from model.constants import CONSTANTS
from model.inputs import InputError, Limits
from model.interventions import INTERVENTIONS
from model.model import AGENT_METRICS, METRICS, SIX_CONCEPTS, CollaborationModel
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
