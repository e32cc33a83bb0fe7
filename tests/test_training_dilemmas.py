"""Training scenarios that start in trouble, dilemmas as data, their engine and exact replay, and
``netwerkregie training check``."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from experiments.cli import main
from experiments.training.dilemmas import (
    ACTIONS,
    BUILTIN_FILE,
    THEMES,
    apply_action,
    load_builtin_dilemmas,
    parse_dilemmas,
)
from experiments.training.play import Choice, TrainingPlay
from experiments.training.scenarios import (
    DATA_DIR,
    list_training_scenarios,
    load_training_scenario,
    parse_training_scenario,
    plausibility_problems,
)
from experiments.training.session import Decision, TrainingSession
from experiments.training.tomlcheck import FieldError, line_of
from model import CollaborationModel, list_scenarios
from model.constants import CONSTANTS
from model.parameters import PARAMETERS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "training" / "my_dilemmas.toml"


# ---- training scenarios -------------------------------------------------------------------------------------------


def test_there_are_four_training_scenarios_apart_from_the_research_scenarios():
    names = list_training_scenarios()
    assert len(names) >= 4
    assert not set(names) & set(list_scenarios())
    assert set(list_scenarios()) == {"gebiedsontwikkeling", "jeugdaanpak", "sociaal_domein", "synthetic"}


@pytest.mark.parametrize("name", list_training_scenarios())
def test_a_training_scenario_has_briefings_a_learning_goal_and_twelve_weeks(name):
    t = load_training_scenario(name)
    assert t.weeks == 12 and t.name == name
    for lang in ("nl", "en"):
        assert len(t.briefing[lang]) > 200 and len(t.learning_goal[lang]) > 80 and t.title[lang]
    assert t.newcomers, "each training scenario declares a possible newcomer"


@pytest.mark.parametrize("name", list_training_scenarios())
def test_a_training_scenario_stays_inside_the_declared_ranges(name):
    t = load_training_scenario(name)
    assert plausibility_problems(t.scenario) == []
    for key, value in t.scenario.settings.items():  # every setting inside its parameter's range
        p = PARAMETERS[key]
        assert (p.low is None or value >= p.low) and (p.high is None or value <= p.high), key
    for key, value in t.scenario.constants.items():  # constants inside their plausible range, not the domain
        assert CONSTANTS[key].low <= value <= CONSTANTS[key].high, key
    for partner in t.scenario.partners:
        for x in (partner.power, partner.dependency, partner.stake, partner.accountability, partner.alignment):
            assert 0.0 <= x <= 1.0


@pytest.mark.parametrize("name", list_training_scenarios())
def test_a_training_scenario_starts_in_trouble_with_its_newcomer_outside(name):
    t = load_training_scenario(name)
    trouble = t.model(1)
    research = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual")
    assert trouble.last_metrics["health"] < research.last_metrics["health"]
    assert trouble.last_metrics["active_partners"] == len(t.scenario.partners) - len(t.newcomers)
    assert trouble.last_metrics["exits"] == 0


def _scenario_text(constant_line: str = "") -> str:
    text = (DATA_DIR / "jeugd_na_incident.toml").read_text(encoding="utf-8")
    return text.replace("[scenario.set]\n", f"[scenario.constants]\n{constant_line}\n\n[scenario.set]\n", 1)


def test_a_constant_at_an_extreme_of_its_domain_is_refused_in_a_training_scenario():
    c = CONSTANTS["met_tolerance"]
    inside = (c.low + c.high) / 2
    assert parse_training_scenario(_scenario_text(f"met_tolerance = {inside}"), "t.toml").scenario.constants
    extreme = c.domain[1] if c.domain[1] is not None else c.high * 10
    with pytest.raises(FieldError, match=r"scenario\.constants\.met_tolerance.*plausible range") as e:
        parse_training_scenario(_scenario_text(f"met_tolerance = {extreme}"), "t.toml")
    assert (
        e.value.line is not None
        and "met_tolerance" in _scenario_text(f"met_tolerance = {extreme}").splitlines()[e.value.line - 1]
    )


def test_a_newcomer_must_be_a_partner_of_the_scenario():
    text = (DATA_DIR / "jeugd_na_incident.toml").read_text(encoding="utf-8")
    bad = text.replace('newcomers = ["Onderwijs"]', 'newcomers = ["Scholen"]')
    with pytest.raises(FieldError, match=r"training\.newcomers\[1\]: expected a partner"):
        parse_training_scenario(bad, "t.toml")


# ---- the join and leave hooks of the model -------------------------------------------------------------------------


def test_a_model_without_outside_partners_is_unchanged_by_the_hooks():
    a = CollaborationModel(scenario="jeugdaanpak", rng=3, strategy="balanced")
    b = CollaborationModel(scenario="jeugdaanpak", rng=3, strategy="balanced", outside=())
    a.run_for(8)
    b.run_for(8)
    assert a.datacollector.get_model_vars_dataframe().equals(b.datacollector.get_model_vars_dataframe())


def test_a_partner_that_left_can_join_again_and_the_relations_follow():
    m = CollaborationModel(scenario="jeugdaanpak", rng=3, strategy="manual", outside=["Halt"])
    st = m.state
    assert not st.active[st.index["Halt"]] and m.last_metrics["active_partners"] == 9
    m.step()
    m.join("Halt")
    assert st.active.all()
    assert np.array_equal(st.edge_active, st.active[st.src] & st.active[st.dst])
    m.leave("GGZ")
    assert np.array_equal(st.edge_active, st.active[st.src] & st.active[st.dst])
    assert m.counts["exits"] == 1
    with pytest.raises(ValueError, match="cannot leave"):
        m.leave("GGZ")
    with pytest.raises(ValueError, match="unknown partner"):
        m.join("Nobody")


# ---- dilemmas as data ---------------------------------------------------------------------------------------------


def test_the_built_in_dilemmas_cover_the_themes_of_practice():
    dilemmas = load_builtin_dilemmas()
    assert len(dilemmas) >= 12
    themes = {d.theme for d in dilemmas}
    for theme in THEMES[:9]:  # contra-samenwerking, blame, information, dependency, exit, layers, own goals, ...
        assert theme in themes, theme
    kinds = {a.do for d in dilemmas for o in d.options for a in o.actions}
    assert kinds == set(ACTIONS)
    for d in dilemmas:
        assert 2 <= len(d.options) <= 4
        for o in d.options:
            assert o.actions and o.label["nl"] and o.label["en"]


def _first_firing(dilemma_id: str):
    """A play of a training scenario at the week the dilemma fires (searched over scenarios and seeds)."""
    only = [d for d in load_builtin_dilemmas() if d.id == dilemma_id]
    for name in list_training_scenarios():
        t = load_training_scenario(name)
        for seed in range(1, 6):
            play = TrainingPlay(t.model(seed, "balanced"), only, t.name, t.newcomers)
            while play.week <= 12 and play.firing is None:
                play.step()
            if play.firing is not None:
                return play
    raise AssertionError(f"dilemma {dilemma_id} never fires")


@pytest.mark.parametrize("dilemma", load_builtin_dilemmas(), ids=lambda d: d.id)
def test_every_option_of_a_built_in_dilemma_acts_in_the_model(dilemma):
    play = _first_firing(dilemma.id)
    assert "{" not in play.firing.text("nl") + play.firing.title("en")  # every placeholder filled
    states = []
    for option in dilemma.options:
        fork = copy.deepcopy(play)
        before = copy.deepcopy(fork.model.state)
        acted = fork.choose(option.id)
        assert all(acted), f"{dilemma.id}/{option.id}: an action did nothing"
        changed = _state_changed(before, fork.model.state, fork.model)
        assert changed, f"{dilemma.id}/{option.id} changes nothing in the model"
        fork.step()
        states.append(fork.model.last_metrics["health"])
    assert len(set(states)) > 1, f"the options of {dilemma.id} end the week alike"


def _state_changed(before, after, model) -> bool:
    pending = after.trust_evidence.positive.any() or after.trust_evidence.negative.any()
    arrays = (
        "r",
        "s",
        "director_r",
        "director_s",
        "board_r",
        "openness",
        "accountability",
        "alignment",
        "expectation",
        "understanding",
        "respect",
        "equality",
        "commitment",
        "recognition",
        "active",
    )
    levels = ("blame", "frame_clarity", "info_structure", "procedure_equality")
    return bool(
        pending
        or any(not np.array_equal(getattr(before, a), getattr(after, a)) for a in arrays)
        or any(getattr(before, x) != getattr(after, x) for x in levels)
        or model.params["sharing_rate"] != before.params["sharing_rate"]
        or model.director.hours_spent > 0
    )


def test_a_held_setting_returns_to_the_scenarios_value_after_its_weeks():
    play = _first_firing("verdrinken_in_informatie")
    base = play.model.params["sharing_rate"]
    play.choose("minder_delen")  # sharing 0.5 for 6 weeks
    for _ in range(6):
        assert play.model.params["sharing_rate"] == 0.5
        play.step()
        while play.waiting:
            play.choose(play.firing.dilemma.options[0].id)
    assert play.model.params["sharing_rate"] == base


def test_an_option_that_lets_a_newcomer_join_brings_it_into_the_network():
    play = _first_firing("nieuwe_partner")
    newcomer = play.firing.bound["newcomer"]
    st = play.model.state
    assert not st.active[st.index[newcomer]]
    play.choose("welkom")
    assert st.active[st.index[newcomer]]


def _write(tmp_path: Path, text: str, name: str = "mine.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


BAD = [
    # (replace this, with this, the field named, the text that must be on the line named)
    (
        'hours = 6, targets = ["@partner"]',
        'hours = -6, targets = ["@partner"]',
        "dilemma[2].option[1].actions[1].hours",
        "hours = -6",
    ),
    ("value = 0.7, weeks = 4", "value = 1.7, weeks = 4", "dilemma[1].option[1].actions[2].value", "value = 1.7"),
    ('id = "agenderen"', 'id = "Agenderen"', "dilemma[2].option[1].id", "Agenderen"),
    (
        'intervention = "role_division"',
        'intervention = "role_divisions"',
        "dilemma[1].option[1].actions[1].intervention",
        "role_divisions",
    ),
    ("metric = { blame", "metric = { blaam", "dilemma[1].when.metric.blaam", "blaam"),
    (
        'targets = ["@partner"] }]\n\n[[dilemma.option]]\nid = "vertrouwelijk',
        'targets = ["@newcomer"] }]\n\n[[dilemma.option]]\nid = "vertrouwelijk',
        "dilemma[2].option[1].actions[1].targets[1]",
        "@newcomer",
    ),
    ('label_en = "Keep it confidential and stay in touch"\n', "", "dilemma[2].option[2]", "[[dilemma.option]]"),
]


@pytest.mark.parametrize(("old", "new", "field", "on_line"), BAD, ids=[b[2] for b in BAD])
def test_a_bad_dilemma_file_is_refused_with_exit_2_naming_the_field_and_its_line(
    tmp_path, capsys, old, new, field, on_line
):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    assert main(["training", "check", _write(tmp_path, bad)]) == 2
    err = capsys.readouterr().err
    assert f": {field}: expected" in err or f": {field}: " in err, err
    line = int(err.split(": line ")[1].split(":")[0])
    assert on_line in bad.splitlines()[line - 1], (line, err)


def test_a_dilemma_file_that_is_not_toml_is_refused_with_the_parsers_line(tmp_path, capsys):
    bad = EXAMPLE.read_text(encoding="utf-8").replace('id = "harde_lijn"', 'id = "harde_lijn', 1)
    assert main(["training", "check", _write(tmp_path, bad)]) == 2
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(bad.splitlines(), start=1) if 'id = "harde_lijn' in t)
    assert "not valid TOML" in err and f"at line {line}," in err, err


def test_the_example_and_the_built_in_files_pass_the_check(capsys):
    files = [str(EXAMPLE), str(BUILTIN_FILE), *map(str, sorted(DATA_DIR.glob("*.toml")))]
    assert main(["training", "check", *files, "--try", "jeugd_na_incident"]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok:") == len(files)
    assert "wethouder_wil_daderaanpak: fired" in out


def test_a_placeholder_without_its_condition_is_refused():
    text = BUILTIN_FILE.read_text(encoding="utf-8")
    bad = text.replace('title_nl = "Eerst de taken en rollen verdelen?"', 'title_nl = "Eerst {partner}?"', 1)
    with pytest.raises(FieldError, match=r"dilemma\[1\]\.title_nl: uses \{partner\}"):
        parse_dilemmas(bad, "d.toml")


def test_line_of_finds_headers_keys_and_inline_items():
    text = '[[a]]\nx = 1\n[[a]]\nx = 2\nlist = [\n  { y = 1 },\n  { y = 2, z = 3 },\n]\n[a.b]\nk = "v"\n'
    assert line_of(text, ("a", 1, "x")) == 4
    assert line_of(text, ("a", 1, "list", 1, "z")) == 7
    assert line_of(text, ("a", 1, "b", "k")) == 10


# ---- sessions with dilemmas: saved, loaded, replayed exactly ---------------------------------------------------------


def _play_session(name: str, seed: int, weeks: int = 12) -> tuple[TrainingSession, TrainingPlay]:
    """A trainee who answers each dilemma with its last option and spends 4 hours on personal contact a week."""
    session = TrainingSession(name, seed=seed, horizon=weeks, training=name)
    play = session.new_play()
    for _ in range(weeks):
        if play.waiting:
            option = play.firing.dilemma.options[-1].id
            play.choose(option)
            session.choices += [None] * (play.week - 1 - len(session.choices))
            session.choices.append(Choice(play.firing.dilemma.id, option))
        left = play.model.director.hours_left
        week = [Decision("personal_contact", None, min(4.0, left))] if left > 0 else []
        play.apply(week)
        session.decisions.append(week)
        play.step()
    return session, play


@pytest.mark.parametrize("name", list_training_scenarios())
def test_a_session_with_dilemmas_is_saved_loaded_and_replayed_exactly(name):
    session, play = _play_session(name, seed=7)
    assert any(session.choices), "a dilemma fired"
    loaded = TrainingSession.from_json(session.to_json())
    assert loaded == session
    replayed = loaded.replay()
    played = play.model.datacollector.get_model_vars_dataframe()
    assert replayed.datacollector.get_model_vars_dataframe().equals(played)
    assert json.loads(session.to_json())["choices"]


def test_a_session_whose_answers_do_not_fit_the_dilemmas_is_refused():
    session, _ = _play_session("jeugd_na_incident", seed=7, weeks=4)
    doc = json.loads(session.to_json())
    first = next(i for i, c in enumerate(doc["choices"]) if c)
    doc["choices"][first]["option"] = "no_such_option"
    with pytest.raises(ValueError, match="no option 'no_such_option'"):
        TrainingSession.from_json(json.dumps(doc))
    doc = json.loads(session.to_json())
    doc["choices"][first] = None
    with pytest.raises(ValueError, match="records no dilemma"):
        TrainingSession.from_json(json.dumps(doc))


def test_the_same_seed_and_choices_give_the_same_dilemmas():
    a, _ = _play_session("zorg_onder_bezuiniging", seed=3, weeks=8)
    b, _ = _play_session("zorg_onder_bezuiniging", seed=3, weeks=8)
    assert a.choices == b.choices


def test_apply_action_refuses_nothing_silently_when_a_partner_is_gone():
    play = _first_firing("partner_dreigt_te_vertrekken")
    partner = play.firing.bound["partner"]
    play.model.leave(partner)
    option = play.firing.dilemma.option("laten_gaan")
    assert apply_action(play.model, option.actions[0], play.firing.bound, play.week, play.holds) is False


def test_a_debrief_of_a_training_session_replays_the_trainees_path():
    from experiments.training.debrief import compute_debrief

    session, play = _play_session("gebied_onder_druk", seed=2, weeks=6)
    debrief = compute_debrief(session)
    you = debrief.paths["you"]
    assert you.equals(play.model.datacollector.get_model_vars_dataframe())
    assert len(debrief.moments) == 6
    assert debrief.paths["balanced"]["active_partners"].iloc[0] == you["active_partners"].iloc[0]


def test_a_bad_training_scenario_file_is_refused_with_exit_2_naming_the_field(tmp_path, capsys):
    text = (DATA_DIR / "gebied_onder_druk.toml").read_text(encoding="utf-8")
    bad = text.replace("weeks = 12\n", "weeks = 0\n", 1)
    assert main(["training", "check", _write(tmp_path, bad, "gebied.toml")]) == 2
    err = capsys.readouterr().err
    assert "gebied.toml: line " in err and "training.weeks: expected an integer in [1, 104], got 0" in err
    line = int(err.split(": line ")[1].split(":")[0])
    assert bad.splitlines()[line - 1] == "weeks = 0"
    bad = text.replace("exit_patience = 6", "exit_patience = 0", 1)  # the scenario's own check names it too
    assert main(["training", "check", _write(tmp_path, bad, "gebied.toml")]) == 2
    assert "exit_patience=0 is not valid" in capsys.readouterr().err


def test_a_session_with_a_trainers_own_dilemmas_replays_exactly():
    own = EXAMPLE.read_text(encoding="utf-8")
    session = TrainingSession("jeugd_na_incident", seed=5, horizon=12, training="jeugd_na_incident", dilemmas_toml=own)
    play = session.new_play()
    assert [d.id for d in play.dilemmas] == ["wethouder_wil_daderaanpak", "stille_partner_bellen"]
    for _ in range(12):
        if play.waiting:
            option = play.firing.dilemma.options[0].id
            session.choices += [None] * (play.week - 1 - len(session.choices))
            session.choices.append(Choice(play.firing.dilemma.id, option))
            play.choose(option)
        session.decisions.append([])
        play.step()
    assert len([c for c in session.choices if c]) == 2
    replayed = TrainingSession.from_json(session.to_json()).replay()
    assert replayed.datacollector.get_model_vars_dataframe().equals(play.model.datacollector.get_model_vars_dataframe())


def test_an_unknown_partner_outside_the_network_is_refused():
    with pytest.raises(ValueError, match="outside: unknown partner 'Nobody'"):
        CollaborationModel(scenario="jeugdaanpak", rng=1, outside=["Nobody"])


def test_handling_an_incident_as_blame_costs_its_partners_trust_that_learning_does_not():
    from experiments.training.measure import measure_dilemma

    dilemma = next(d for d in load_builtin_dilemmas() if d.id == "schuldvraag")
    row = measure_dilemma(dilemma, [load_training_scenario("jeugd_na_incident")], list(range(1, 7)), 12, 4)
    assert row.firings >= 5
    assert row.trust["lerend_verantwoorden"] > row.trust["laten_lopen"] + 0.01
    assert row.trust["laten_lopen"] >= row.trust["publiek_aanspreken"] - 0.005  # public blame is no better


def test_a_training_session_lasts_its_scenarios_weeks_by_default():
    assert TrainingSession("gebied_onder_druk", seed=1, training="gebied_onder_druk").horizon == 12
    assert TrainingSession("jeugdaanpak", seed=1).horizon == 26
    doc = json.loads(TrainingSession("gebied_onder_druk", seed=1, training="gebied_onder_druk").to_json())
    del doc["horizon"]
    assert TrainingSession.from_json(json.dumps(doc)).horizon == 12
    doc["decisions"] = [[] for _ in range(13)]
    with pytest.raises(ValueError, match="13 weeks, more than the horizon of 12"):
        TrainingSession.from_json(json.dumps(doc))
