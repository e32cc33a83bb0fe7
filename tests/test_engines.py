"""The compiled engine gives the reference engine's outputs (:mod:`model.compiled`).

Whole runs of both engines (every built-in scenario with several strategies, the first version's switches, exits
and lead succession, shared governance, a larger network, agent-level collection) must agree within 1e-9 in every
week's metrics, and exactly in their events, counts and the director's log. Each compiled twin also has a test of
its own against its reference function on many states (``tests/test_compiled_*.py``).
"""

from __future__ import annotations

import numpy as np
import pytest

from model import CollaborationModel
from model.inputs import InputError
from tests.compiled_support import ATOL, CASES, RTOL, assert_same_run

WEEKS = 52


def _run(engine: str, kwargs: dict, seed: int, weeks: int = WEEKS) -> CollaborationModel:
    model = CollaborationModel(rng=seed, engine=engine, **kwargs)
    model.run_for(weeks)
    return model


@pytest.mark.parametrize("name,kwargs", [(name, kwargs) for name, kwargs, _ in CASES], ids=[c[0] for c in CASES])
def test_compiled_runs_agree_with_reference_runs(name, kwargs):
    for seed in (5, 2026):
        ref, twin = _run("reference", kwargs, seed), _run("compiled", kwargs, seed)
        assert_same_run(ref, twin, f"{name}, seed {seed}")


def test_agent_level_collection_agrees():
    kwargs = {"scenario": "jeugdaanpak", "collect_agents": True}
    ref, twin = _run("reference", kwargs, 9, 20), _run("compiled", kwargs, 9, 20)
    a = ref.datacollector.get_agenttype_vars_dataframe(next(iter(ref.agents_by_type)))
    b = twin.datacollector.get_agenttype_vars_dataframe(next(iter(twin.agents_by_type)))
    np.testing.assert_allclose(b.to_numpy(float), a.to_numpy(float), rtol=RTOL, atol=ATOL, equal_nan=True)


def test_an_unknown_engine_is_refused_by_name():
    with pytest.raises(InputError, match="engine"):
        CollaborationModel(scenario="jeugdaanpak", engine="turbo")
