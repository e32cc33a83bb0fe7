"""The director's own goals (ODD 7.12, switch ``director_goals``): the equations, the ``[director_goals]`` table of
a scenario, steering by a strategy and by hand, and the switch (off, or a scenario without goals: nothing)."""

from __future__ import annotations

from dataclasses import replace
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

from model import CollaborationModel, InputError
from model import mechanisms as mech
from model.constants import DECLARED
from model.interventions import INTERVENTIONS
from model.scenarios import DirectorGoals, load_scenario, parse_scenario
from model.strategies import plan

GOALS = "gebiedsontwikkeling"
COST = INTERVENTIONS["steer_own_goals"].cost


def scenario_text(name: str = GOALS) -> str:
    return (files("model") / "data" / f"{name}.toml").read_text()


def with_goals_table(table: str, name: str = "jeugdaanpak") -> str:
    """A built-in scenario's text with a ``[director_goals]`` table put before its first partner."""
    text = scenario_text(name)
    head, sep, tail = text.partition("[[partner]]")
    return f"{head}[director_goals]\n{table}\n\n{sep}{tail}"


def without_goals_table(text: str) -> str:
    head, _, tail = text.partition("[director_goals]")
    return head + tail[tail.index("[[partner]]") :]


# ---- the equations ---------------------------------------------------------------------------------------------


def test_goals_advance_with_the_dose_of_steering_hours():
    assert mech.goal_advance(0.5, 0.01) == pytest.approx(0.005)
    assert mech.goal_advance(mech.dose(8, 8), DECLARED["goal_rate"]) == pytest.approx(
        DECLARED["goal_rate"] * (1 - np.exp(-1))
    )


def test_the_week_combines_doses_as_if_the_hours_were_spent_at_once():
    week = mech.combined_dose(mech.combined_dose(0.0, mech.dose(2, 8)), mech.dose(3, 8))
    assert week == pytest.approx(mech.dose(5, 8))
    assert mech.combined_dose(0.0, 0.0) == 0.0 and mech.combined_dose(1.0, 0.3) == 1.0


def test_the_lag_is_relative_to_a_linear_schedule():
    assert mech.goal_lag(0.0, 0, 100) == 0.0  # nothing due before the first week
    assert mech.goal_lag(0.0, 10, 100) == 1.0  # nothing done
    assert mech.goal_lag(0.05, 10, 100) == pytest.approx(0.5)  # half of what is due
    assert mech.goal_lag(0.2, 10, 100) == 0.0  # ahead of schedule
    assert mech.goal_lag(0.5, 300, 100) == pytest.approx(0.5)  # after the due date the whole goal is due


def test_the_goals_part_of_the_task_is_in_task_rate_units():
    # G advancing by 1/104 a week for 104 weeks adds overlap x size to task progress
    weekly = mech.goal_task_rate(1 / 104, 0.5, 0.3, 104.0)
    assert sum(weekly / 104 for _ in range(104)) == pytest.approx(0.5 * 0.3)
    assert mech.goal_task_rate(0.0, 0.5, 0.3, 104.0) == 0.0


def test_resources_are_bounded():
    progress = np.array([0.0, 0.5, 1.0, 3.0])
    np.testing.assert_allclose(mech.goal_resources(progress, 0.1), [1.0, 1.05, 1.1, 1.1])


def test_steering_narrows_freedom_and_pressure_lowers_commitment():
    assert mech.steered_freedom_target(0.4, 0.5, 0.5) == pytest.approx(0.3)
    assert mech.steered_freedom_target(0.4, 0.0, 0.5) == 0.4
    assert mech.pressured_commitment_target(0.5, 1.0, 0.3) == pytest.approx(0.35)
    assert mech.pressured_commitment_target(0.5, 0.0, 0.3) == 0.5


# ---- the scenario's [director_goals] table ---------------------------------------------------------------------


def test_gebiedsontwikkeling_gives_its_director_the_provinces_goals():
    goals = load_scenario(GOALS).director_goals
    assert goals == DirectorGoals(overlap=0.5, pressure=0.05, resources=0.1, weeks=None, organisation="Provincie")


@pytest.mark.parametrize("name", ["jeugdaanpak", "sociaal_domein", "synthetic"])
def test_scenarios_without_the_table_have_no_goals(name):
    assert load_scenario(name).director_goals is None


def test_an_empty_table_gives_the_defaults():
    assert parse_scenario(with_goals_table("")).director_goals == DirectorGoals()


def test_fields_are_read():
    table = 'overlap = 0.2\npressure = 0.1\nresources = 0.3\nweeks = 52\norganisation = "Gemeente"'
    goals = parse_scenario(with_goals_table(table)).director_goals
    assert goals == DirectorGoals(0.2, 0.1, 0.3, 52, "Gemeente")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("overlap = 1.5", r"\[director_goals\]: overlap = 1.5 is outside"),
        ('pressure = "high"', r"\[director_goals\]: pressure must be a number"),
        ("resources = -0.1", r"\[director_goals\]: resources = -0.1 is outside"),
        ("weeks = 0", r"\[director_goals\]: weeks = 0 is outside"),
        ("weeks = 1.5", r"\[director_goals\]: weeks must be an integer"),
        ('organisation = "Provincie"', r"\[director_goals\]: organisation 'Provincie' is not a partner"),
        ("organisation = 3", r"\[director_goals\]: organisation must be a text"),
        ("goal = 1", r"\[director_goals\]: unknown field\(s\) \['goal'\]"),
    ],
)
def test_bad_input_is_refused_by_field(table, message):
    with pytest.raises(InputError, match=message):
        parse_scenario(with_goals_table(table))


def test_the_table_must_be_a_table():
    text = scenario_text("jeugdaanpak").replace('governance = "lead"', 'governance = "lead"\ndirector_goals = 1', 1)
    with pytest.raises(InputError, match=r"\[director_goals\] must be a table"):
        parse_scenario(text)


def test_a_generated_scenario_may_name_no_unknown_organisation():
    text = scenario_text("synthetic")
    text = text.replace("[generator]", '[director_goals]\norganisation = "Nobody"\n\n[generator]', 1)
    scenario = parse_scenario(text)
    with pytest.raises(InputError, match="organisation 'Nobody' is not a partner"):
        CollaborationModel(scenario=scenario, rng=1, n_partners=6)


# ---- the model: switch on -----------------------------------------------------------------------------------


def test_the_own_organisation_defaults_to_the_most_powerful_partner():
    scenario = parse_scenario(with_goals_table(""))
    model = CollaborationModel(scenario=scenario, rng=1)
    assert model.state.goals is not None
    assert model.state.goals.own == int(np.argmax(model.state.power))
    assert model.state.goals.weeks == scenario.steps


def test_a_strategy_steers_its_share_of_the_week_first():
    model = CollaborationModel(scenario=GOALS, rng=1, steering_share=0.25)
    week = plan("balanced", model.state, 16.0, model.params, model.last_metrics, False, model.constants)
    assert week[0] == ("steer_own_goals", 4.0, None)
    assert week[1][0] == "covenant" and week[1][1] == pytest.approx(12.0)
    model.step()
    assert model.steering_hours == pytest.approx(4.0)
    assert model.director_goal_progress == pytest.approx(DECLARED["goal_rate"] * mech.dose(4.0, COST))


def test_no_steering_share_no_steering():
    model = CollaborationModel(scenario=GOALS, rng=1, steering_share=0.0)
    week = plan("balanced", model.state, 16.0, model.params, model.last_metrics, False, model.constants)
    assert all(iv != "steer_own_goals" for iv, _, _ in week)
    model.run_for(3)
    assert model.director_goal_progress == 0.0 and model.steering_hours == 0.0


def test_steering_by_hand_costs_every_other_partners_trust_in_the_director():
    model = CollaborationModel(scenario=GOALS, rng=1, strategy="manual")
    st = model.state
    st.trust_evidence.ledger = {}
    before_s, before_r = st.director_s.copy(), st.director_r.copy()
    left = model.apply_intervention("steer_own_goals", hours=6)
    assert left == pytest.approx(10)
    d = mech.dose(6, COST)
    own = st.goals.own
    expected = before_s + DECLARED["steering_distrust"] * d
    expected[own] = before_s[own]  # its own organisation does not hold it against the director
    np.testing.assert_allclose(st.director_s, expected)
    np.testing.assert_array_equal(st.director_r, before_r)  # no kept promise
    assert st.trust_evidence.ledger == {("steering", "negative"): DECLARED["steering_distrust"] * d * (st.n - 1)}
    assert st.goals.progress == pytest.approx(DECLARED["goal_rate"] * d)
    assert st.goals.week_hours == 6 and st.goals.week_dose == pytest.approx(d)


def test_steering_lowers_the_others_freedom_not_the_own_organisations():
    steered = CollaborationModel(scenario=GOALS, rng=3, strategy="manual")
    free = CollaborationModel(scenario=GOALS, rng=3, strategy="manual")
    steered.apply_intervention("steer_own_goals", hours=16)
    steered.step()
    free.step()
    own = steered.state.goals.own
    others = np.arange(steered.state.n) != own
    assert (steered.state.freedom[others] < free.state.freedom[others]).all()
    assert steered.state.freedom[own] == pytest.approx(free.state.freedom[own])


def test_the_goals_advance_adds_its_share_of_the_task():
    steered = CollaborationModel(scenario=GOALS, rng=3, strategy="manual")
    free = CollaborationModel(scenario=GOALS, rng=3, strategy="manual")
    for model in (steered, free):  # without resources, the network's own work is the same in both
        model.state.goals.spec = replace(model.state.goals.spec, resources=0.0)
    steered.apply_intervention("steer_own_goals", hours=8)
    advance = steered.state.goals.week_advance
    steered.step()
    free.step()
    extra = mech.goal_task_rate(advance, 0.5, DECLARED["goal_task_size"], 104.0)
    assert steered.task_rate - free.task_rate == pytest.approx(extra)


def test_resources_raise_work_capacity():
    rich = CollaborationModel(scenario=GOALS, rng=3, strategy="manual")
    poor = CollaborationModel(scenario=GOALS, rng=3, strategy="manual")
    rich.state.goals.progress = 1.0
    rich.step()
    poor.step()
    np.testing.assert_allclose(rich.state.real_effort, poor.state.real_effort * 1.1)


def test_unmet_goals_raise_pressure_and_lower_the_own_organisations_commitment():
    pressed = CollaborationModel(scenario=GOALS, rng=5, strategy="manual")
    pressed.step()
    goals = pressed.state.goals
    lag = mech.goal_lag(0.0, 1, goals.weeks)
    assert lag == 1.0 and goals.pressure == pytest.approx(0.05 * lag)
    pressed.run_for(40)
    assert pressed.goal_pressure > 0.8
    relaxed = CollaborationModel(scenario=GOALS, rng=5, strategy="manual", constants={"pressure_commitment_loss": 0})
    relaxed.run_for(41)
    own = goals.own
    assert pressed.state.commitment[own] < relaxed.state.commitment[own]


def test_steering_ahead_of_schedule_releases_the_pressure():
    model = CollaborationModel(scenario=GOALS, rng=5, strategy="manual")
    model.state.goals.pressure = 0.5
    model.state.goals.progress = 0.5
    model.step()
    assert model.goal_pressure == pytest.approx(0.5 * 0.95)


# ---- the model: no goals ------------------------------------------------------------------------------------


def _outputs(**kwargs) -> pd.DataFrame:
    model = CollaborationModel(rng=2, **kwargs)
    model.run_for(12)
    return model.datacollector.get_model_vars_dataframe()


def test_switched_off_the_director_has_no_goals_and_the_share_changes_nothing():
    off = {"director_goals": False}
    model = CollaborationModel(scenario=GOALS, rng=1, switches=off)
    assert model.state.goals is None
    a = _outputs(scenario=GOALS, switches=off, steering_share=0.0)
    b = _outputs(scenario=GOALS, switches=off, steering_share=0.75)
    pd.testing.assert_frame_equal(a, b)
    assert (a[["director_goal_progress", "goal_pressure", "steering_hours"]] == 0).all().all()


def test_a_scenario_without_goals_is_untouched_by_the_switch_and_the_share():
    on = _outputs(scenario="jeugdaanpak", steering_share=0.75)
    off = _outputs(scenario="jeugdaanpak", switches={"director_goals": False}, steering_share=0.0)
    pd.testing.assert_frame_equal(on, off)


def test_the_switch_off_gives_the_scenario_without_its_table():
    text = scenario_text(GOALS)
    plain = parse_scenario(without_goals_table(text))
    assert plain.director_goals is None
    a = _outputs(scenario=GOALS, switches={"director_goals": False})
    b = _outputs(scenario=plain)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("switches", [{"director_goals": False}, None])
def test_steering_by_hand_without_goals_spends_hours_and_does_nothing(switches):
    scenario = GOALS if switches else "jeugdaanpak"
    steered = CollaborationModel(scenario=scenario, rng=4, strategy="manual", switches=switches)
    idle = CollaborationModel(scenario=scenario, rng=4, strategy="manual", switches=switches)
    assert steered.apply_intervention("steer_own_goals", hours=8) == pytest.approx(8)
    np.testing.assert_array_equal(steered.state.director_s, idle.state.director_s)
    np.testing.assert_array_equal(steered.state.director_r, idle.state.director_r)
    steered.step()
    idle.step()
    columns = [c for c in steered.last_metrics if c != "hours_spent"]
    assert {c: steered.last_metrics[c] for c in columns} == {c: idle.last_metrics[c] for c in columns}


# ---- what-if variants -------------------------------------------------------------------------------------------


def test_a_variant_without_the_own_organisation_leaves_the_goals_with_the_most_powerful_partner():
    from experiments.variants import Variant, apply_variant

    scenario = apply_variant(load_scenario(GOALS), Variant("zonder provincie", remove_partner=["Provincie"]))
    assert scenario.director_goals == replace(load_scenario(GOALS).director_goals, organisation=None)
    model = CollaborationModel(scenario=scenario, rng=1)
    assert model.state.goals.own == int(np.argmax(model.state.power))


def test_a_variant_that_merges_the_own_organisation_gives_the_goals_to_the_merger():
    from experiments.variants import Variant, apply_variant

    merge = {"names": ["Provincie", "Waterschap"], "into": "Provincie en Waterschap"}
    scenario = apply_variant(load_scenario(GOALS), Variant("samen", merge_partners=[merge]))
    assert scenario.director_goals.organisation == "Provincie en Waterschap"
    model = CollaborationModel(scenario=scenario, rng=1)
    assert model.state.names[model.state.goals.own] == "Provincie en Waterschap"


def test_without_a_director_there_is_no_double_role():
    # calibration log 22: the province's goals are the director's; with no director they do not exist
    none = CollaborationModel(scenario="gebiedsontwikkeling", rng=1, strategy="none")
    served = CollaborationModel(scenario="gebiedsontwikkeling", rng=1, strategy="balanced")
    assert none.state.goals is None and served.state.goals is not None
    none.run_for(30)
    final = none.datacollector.get_model_vars_dataframe().iloc[-1]
    assert final["goal_pressure"] == 0.0 and final["director_goal_progress"] == 0.0
