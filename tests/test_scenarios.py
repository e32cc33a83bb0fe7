"""Scenario files: the built-in ones load; a user's own file loads by path; bad files are refused clearly."""

from pathlib import Path

import pytest

from model import CollaborationModel, load_scenario, parse_scenario
from model.scenarios import DATA_DIR

GOOD = """
name = "mini"
title = "Mini"
governance = "nao"
[set]
incident_rate = 0.2
[[partner]]
name = "A"
kind = "gemeente"
power = 0.8
stake = 0.7
values = [0.2, 0.5]
[[partner]]
name = "B"
kind = "politie"
power = 0.5
stake = 0.6
values = [0.8, 0.5]
[[relation]]
between = ["A", "B"]
trust = [0.6, 0.4]
"""


@pytest.mark.parametrize("name", ["jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein"])
def test_builtin_scenarios_have_realistic_partner_sets(name):
    sc = load_scenario(name)
    assert len(sc.partners) >= 8
    assert len({p.kind for p in sc.partners}) >= 3
    assert sc.governance in ("shared", "lead", "nao")


def test_sociaal_domein_is_a_hub_of_many_care_providers():
    sc = load_scenario("sociaal_domein")
    providers = [p for p in sc.partners if p.kind == "zorgaanbieder"]
    assert 20 <= len(providers) <= 40
    degree = {p.name: 0 for p in sc.partners}
    for r in sc.relations:
        degree[r.a] += 1
        degree[r.b] += 1
    assert degree["Gemeente"] == len(sc.partners) - 1


def test_own_scenario_file_loads_by_path_with_its_settings(tmp_path: Path):
    path = tmp_path / "mini.toml"
    path.write_text(GOOD)
    m = CollaborationModel(scenario=str(path), rng=1)
    assert m.scenario_name == "mini" and m.params["incident_rate"] == 0.2 and m.governance == "nao"
    a_to_b = m.relation_table().query("source == 'A'")["trust"].iloc[0]
    assert a_to_b == pytest.approx(0.6)
    m.run_for(5)


def test_keyword_beats_scenario_settings_which_beat_defaults(tmp_path: Path):
    path = tmp_path / "mini.toml"
    path.write_text(GOOD)
    assert CollaborationModel(scenario=str(path), rng=1, incident_rate=0.5).params["incident_rate"] == 0.5
    assert CollaborationModel(scenario=str(path), rng=1).params["blame_culture"] == 0.3


@pytest.mark.parametrize(
    "text, message",
    [
        ("this is = = not toml", "not valid TOML"),
        ('name = "x"', "at least two"),
        (GOOD.replace('between = ["A", "B"]', 'between = ["A", "C"]'), "unknown partner 'C'"),
        (GOOD.replace('name = "B"', 'name = "A"'), "repeated: 'A'"),
        (
            GOOD + '[[partner]]\nname = "C"\npower = 0.1\nstake = 0.5\nvalues = [0.5, 0.5]\n',
            "without any relation: 'C'",
        ),
        (GOOD.replace("power = 0.8", "power = 1.8"), "outside"),
        (GOOD.replace("incident_rate = 0.2", "incident_rate = -1"), "incident_rate"),
        (GOOD.replace('governance = "nao"', 'governance = "king"'), "governance"),
    ],
)
def test_bad_scenario_is_refused_with_a_message_naming_the_problem(text, message):
    with pytest.raises(ValueError, match=message):
        parse_scenario(text.encode(), "test.toml")


def test_n_partners_is_refused_for_a_scenario_with_a_partner_list():
    with pytest.raises(ValueError, match="n_partners"):
        CollaborationModel(scenario="jeugdaanpak", n_partners=20, rng=1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"scenario": "nosuch"}, "unknown scenario 'nosuch'"),
        ({"blame_culture": 2.0}, r"blame_culture=2.0 .*\[0, 1\]"),
        ({"blame_culture": "high"}, "blame_culture"),
        ({"no_such_parameter": 1}, "unknown parameter 'no_such_parameter'"),
        ({"strategy": "no_such_strategy"}, "one of none, task_focus"),
        ({"contacts_per_week": 1.5}, "an integer"),
        ({"prior_weight": 0.0}, "prior_weight"),
    ],
)
def test_bad_parameters_are_refused_with_the_name_value_and_range(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CollaborationModel(rng=1, **kwargs)


def test_a_loaded_scenario_is_a_copy_of_its_own_and_a_changed_file_is_read_again(tmp_path):
    """load_scenario keeps parsed files (many runs of one scenario parse it once): each call gives an independent
    copy, and a file whose content changed is parsed again."""
    first, second = load_scenario("jeugdaanpak"), load_scenario("jeugdaanpak")
    assert first == second and first is not second
    first.partners[0].power = 0.01
    first.settings["strategy"] = "none"
    first.partners.pop()
    assert load_scenario("jeugdaanpak") == second
    path = tmp_path / "net.toml"
    text = (DATA_DIR / "jeugdaanpak.toml").read_text()
    path.write_text(text)
    assert load_scenario(path).title == second.title
    path.write_text(text.replace(f'title = "{second.title}"', 'title = "Changed"'))
    assert load_scenario(path).title == "Changed"
