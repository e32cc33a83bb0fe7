"""Mechanism switches (model.switches): declared once, checked, resolved with precedence, and with every switch
off the model is the first version (the regression references in tests/data/regression/ check the outputs)."""

from __future__ import annotations

from importlib.resources import files

import pytest

from model import FIRST_VERSION, SWITCHES, CollaborationModel, InputError
from model.scenarios import parse_scenario
from model.switches import ALL_ON, check_switches, parse_switch_option, resolve_switches, switch_value


def test_every_switch_is_declared_with_labels_and_both_forms():
    assert SWITCHES
    for s in SWITCHES.values():
        assert s.label("nl") and s.label("en") and s.on and s.off and s.section
    assert set(FIRST_VERSION) == set(ALL_ON) == set(SWITCHES)
    assert all(ALL_ON.values())
    # the first version: the second version's mechanisms off, the first version's on
    assert {n for n, on in FIRST_VERSION.items() if not on} == {n for n, s in SWITCHES.items() if s.version == 2}
    assert {s.version for s in SWITCHES.values()} == {1, 2}


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("on", True),
        ("AAN", True),
        ("1", True),
        (True, True),
        ("off", False),
        ("uit", False),
        ("false", False),
        (False, False),
    ],
)
def test_switch_values_from_words(word, value):
    assert switch_value("switch layers", word) is value


@pytest.mark.parametrize("bad", ["maybe", 1, 0.0, None, [True]])
def test_a_switch_value_that_is_not_on_or_off_is_refused_with_its_name(bad):
    with pytest.raises(InputError, match="switch layers"):
        switch_value("switch layers", bad)


def test_unknown_switch_is_refused_with_the_known_ones():
    with pytest.raises(InputError, match="unknown switch 'layer'.*layers"):
        check_switches({"layer": False})


def test_precedence_declared_scenario_argument():
    assert resolve_switches() == ALL_ON
    assert resolve_switches({"layers": False})["layers"] is False
    assert resolve_switches({"layers": False}, {"layers": True})["layers"] is True


def test_command_line_option():
    assert parse_switch_option("dependency=off") == ("dependency", False)
    with pytest.raises(InputError, match="NAME=on"):
        parse_switch_option("dependency")
    with pytest.raises(InputError, match="--switch dependency: 'later'"):
        parse_switch_option("dependency=later")
    with pytest.raises(InputError, match="unknown switch 'dependence'"):
        parse_switch_option("dependence=off")


def test_scenario_switches_table_reaches_the_model():
    text = (files("model") / "data" / "jeugdaanpak.toml").read_text() + '\n[switches]\ndependency = "off"\n'
    scenario = parse_scenario(text)
    assert scenario.switches == {"dependency": False}
    model = CollaborationModel(scenario=scenario, rng=1)
    assert model.switches["dependency"] is False and model.state.switches["dependency"] is False
    assert CollaborationModel(scenario=scenario, rng=1, switches={"dependency": True}).switches["dependency"]
    with pytest.raises(InputError, match=r"\[switches\]"):
        parse_scenario(text.replace('dependency = "off"', 'dependency = "later"'))


def test_the_odd_lists_every_switch_as_declared():
    import re
    from pathlib import Path

    from model.switches import markdown_table

    text = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- switches table.*?-->\n(.*?)\n<!-- end of the switches table -->", text, re.S)
    assert block, "docs/ODD.md lacks the switches table"
    assert block.group(1).strip() == markdown_table(), "docs/ODD.md's switches table differs from model/switches.py"
