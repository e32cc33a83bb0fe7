"""The EMA Workbench adapter: parameters from the declarations, metrics as outcomes, replications as seeds."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.ema import _workbench, ema_model
from experiments.runner import derive_seed, run_one
from model import METRICS
from model.parameters import PARAMETERS


def test_uncertainties_and_outcomes_come_from_the_declarations():
    wb = _workbench()
    model = ema_model("jeugdaanpak", ["blame_culture", ("director_hours", 8, 24), "contacts_per_week", "strategy"])
    by_name = {u.name: u for u in model.uncertainties}
    assert isinstance(by_name["blame_culture"], wb.RealParameter)
    assert (by_name["blame_culture"].lower_bound, by_name["blame_culture"].upper_bound) == (0.0, 1.0)
    assert (by_name["director_hours"].lower_bound, by_name["director_hours"].upper_bound) == (8.0, 24.0)
    assert isinstance(by_name["contacts_per_week"], wb.IntegerParameter)
    assert by_name["contacts_per_week"].upper_bound == PARAMETERS["contacts_per_week"].high
    assert isinstance(by_name["strategy"], wb.CategoricalParameter)
    assert [o.name for o in model.outcomes] == METRICS


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"uncertainties": ["no_such_parameter"]}, "no_such_parameter"),
        ({"uncertainties": [("blame_culture", 0.5, 2.0)]}, "blame_culture"),
        ({"metrics": ["happiness"]}, "happiness"),
        ({"scenario": "no_such_scenario"}, "no_such_scenario"),
    ],
)
def test_bad_adapter_input_is_refused_with_a_message(kwargs, says):
    with pytest.raises(ValueError, match=says):
        ema_model(**kwargs)


def test_perform_experiments_with_replications_matches_runs_with_the_same_seeds():
    wb = _workbench()
    model = ema_model(
        "jeugdaanpak",
        ["blame_culture", "strategy"],
        steps=3,
        replications=3,
        seed=4,
        metrics=["trust", "task_progress"],
    )
    experiments, outcomes = wb.perform_experiments(model, scenarios=4)
    assert len(experiments) == 4
    assert outcomes["trust"].shape == (4, 3) and outcomes["task_progress"].shape == (4, 3)
    # replications differ from each other (distinct seeds), and each equals a run with that seed
    assert np.all(np.ptp(outcomes["trust"], axis=1) > 0)
    row = experiments.iloc[2]
    for r in range(3):
        alone = run_one(
            {"scenario": "jeugdaanpak", "blame_culture": float(row.blame_culture), "strategy": row.strategy},
            derive_seed(4, r),
            3,
        )["final"]
        assert outcomes["trust"][2, r] == alone["trust"]


def test_an_aggregate_gives_one_number_per_experiment():
    wb = _workbench()
    model = ema_model("jeugdaanpak", ["kappa"], steps=2, replications=2, metrics=["trust"], aggregate=np.mean)
    _, outcomes = wb.perform_experiments(model, scenarios=3)
    assert list(outcomes) == ["trust_mean"] and outcomes["trust_mean"].shape == (3,)


def test_aggregated_outcomes_are_maximised_or_minimised_as_their_metrics_are_declared():
    wb = _workbench()
    model = ema_model("jeugdaanpak", ["kappa"], steps=2, metrics=["trust", "load", "hours_spent"], aggregate=np.mean)
    kinds = {outcome.name: outcome.kind for outcome in model.outcomes}
    assert kinds == {
        "trust_mean": wb.ScalarOutcome.MAXIMIZE,
        "load_mean": wb.ScalarOutcome.MINIMIZE,
        "hours_spent_mean": wb.ScalarOutcome.INFO,
    }
