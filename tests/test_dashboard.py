"""The dashboard, headless: components rendered with ``solara.render`` and driven by clicking their widgets."""

from __future__ import annotations

import base64
import io
import time

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara

from dashboards import app, explore, state, training
from dashboards.debrief import STRATEGIES, compute_debrief, debrief_html
from dashboards.i18n import tr
from dashboards.latency import measure_latency, measure_page_step
from dashboards.network_view import MAX_EDGES, layout_positions, network_svg
from dashboards.session import Decision, TrainingSession
from model import CollaborationModel
from model import strategies as planner
from model.interventions import INTERVENTIONS
from model.parameters import PARAMETERS


@pytest.fixture
def page():
    """The whole page, rendered headless, from its initial state."""
    app.reset()
    box, rc = solara.render(app.Page(), handle_error=False)
    yield rc
    explore.playing.set(False)
    rc.close()
    app.reset()


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).assert_single()
    rc.find(v.Btn, children=[label]).widget.click()


# ---- explore -------------------------------------------------------------------------------------------------


def test_every_numeric_parameter_gets_a_slider_inside_its_declared_range():
    for name, p in PARAMETERS.items():
        if p.kind not in ("int", "float") or name in explore.NOT_CONTROLLED:
            continue
        low, high, step = explore.slider_range(name)
        assert low < high and step > 0
        assert p.validate(low) == pytest.approx(low)  # the ends of every slider are accepted values
        assert p.validate(high) == pytest.approx(high)


def test_explore_shows_controls_labelled_from_the_declarations(page):
    labels = [w.label for w in page.find(v.Slider).widgets]
    for name in explore.MAIN_PARAMETERS:
        if name != "steering_share":  # shown only where the director has goals of its own (below)
            assert any(label.startswith(PARAMETERS[name].label_nl) for label in labels), name
    for widget in page.find(v.Slider).widgets:
        assert widget.min <= widget.v_model <= widget.max


def test_the_steering_slider_is_shown_only_where_the_director_has_goals_of_its_own(page):
    def steering_sliders():
        label = PARAMETERS["steering_share"].label_nl
        return [w for w in page.find(v.Slider).widgets if w.label.startswith(label)]

    assert explore.scenario.value == "jeugdaanpak" and explore.model.value.state.goals is None
    assert not steering_sliders()
    explore.set_scenario("gebiedsontwikkeling")
    assert explore.model.value.state.goals is not None
    assert len(steering_sliders()) == 1


def test_step_advances_and_reset_rebuilds_the_model(page):
    first = explore.model.value
    assert first.steps == 0
    click(page, "Stap")
    click(page, "Stap")
    assert explore.model.value is first and first.steps == 2
    click(page, "Opnieuw")
    assert explore.model.value is not first and explore.model.value.steps == 0


def test_moving_a_slider_rebuilds_the_model_with_that_value(page):
    label = PARAMETERS["blame_culture"].label_nl
    slider = next(w for w in page.find(v.Slider).widgets if w.label.startswith(label))
    slider.v_model = 0.8
    assert explore.model.value.params["blame_culture"] == pytest.approx(0.8)


def test_a_mechanism_checkbox_switches_it_off_and_a_new_scenario_brings_its_own_switches(page):
    from model.switches import SWITCHES

    label = SWITCHES["layers"].label_nl
    box = next(w for w in page.find(v.Checkbox).widgets if w.label == label)
    assert box.v_model is True and explore.model.value.switches["layers"] is True
    box.v_model = False
    assert explore.model.value.switches["layers"] is False
    explore.set_scenario("sociaal_domein")
    assert explore.model.value.switches["layers"] is True


def test_play_steps_in_the_background_and_pause_stops_it(page):
    click(page, "Afspelen")
    deadline = time.monotonic() + 10
    while explore.model.value.steps < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert explore.model.value.steps >= 3
    page.find(v.Btn, children=["Pauze"]).widget.click()
    time.sleep(0.4)
    stopped = explore.model.value.steps
    time.sleep(0.5)
    assert explore.model.value.steps == stopped
    assert not explore.playing.value


def _drop(name: str, data: bytes) -> dict:
    return {"name": name, "size": len(data), "file_obj": io.BytesIO(data)}


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("broken.toml", b"name = [unclosed", "geen geldig scenario"),
        ("net.toml", b'name = "x"\n[[partner]]\nname = "A"\npower = 0.5\nstake = 0.5\nvalues = [0.5]\n', "geldig"),
        ("net.toml", b'name="x"\n[[relation]]\nbetween=["A","Nobody"]\n', "geldig scenario"),
        ("net.pickle", b"\x80\x04K\x01.", "geen .toml"),
        ("huge.toml", b"#" * (state.MAX_UPLOAD_BYTES + 10), "groter dan"),
    ],
)
def test_a_bad_upload_shows_a_message_and_leaves_the_model_untouched(page, name, data, expected):
    click(page, "Stap")
    before = explore.model.value
    explore.on_upload(_drop(name, data))
    assert explore.model.value is before and before.steps == 1
    alerts = " ".join(str(c) for w in page.find(v.Alert).widgets for c in w.children)
    assert expected in alerts and name.split(".")[0] in alerts


MINI = (
    b'name = "mini"\ngovernance = "nao"\n'
    b'[[partner]]\nname = "A"\npower = 0.5\nstake = 0.7\nvalues = [0.4, 0.5]\n'
    b'[[partner]]\nname = "B"\npower = 0.3\nstake = 0.6\nvalues = [0.6, 0.5]\n'
    b'[[partner]]\nname = "C"\npower = 0.6\nstake = 0.8\nvalues = [0.5, 0.2]\n'
    b'[[relation]]\nbetween = ["A", "B"]\n[[relation]]\nbetween = ["B", "C"]\n'
)


def test_a_valid_upload_becomes_the_current_scenario(page):
    explore.on_upload(_drop("mini.toml", MINI))
    assert explore.scenario.value == "mini"
    assert explore.model.value.state.names == ["A", "B", "C"]
    assert "mini" in state.scenario_names()


def test_an_uploaded_scenario_can_be_trained_and_travels_inside_the_saved_session(page):
    explore.on_upload(_drop("mini.toml", MINI))
    page.find(v.BtnToggle).widget.v_model = "Training"
    training.setup_scenario.set("mini")
    click(page, "Start training")
    click(page, "Inzetten")
    click(page, "Volgende week")
    saved = training.session.value.to_json()
    state.reset()  # a new page: the upload is gone, the session file still replays
    loaded = TrainingSession.from_json(saved.encode())
    assert loaded.scenario_toml == MINI.decode() and loaded.replay().state.names == ["A", "B", "C"]
    pd.testing.assert_frame_equal(
        loaded.replay().datacollector.get_model_vars_dataframe(),
        training.model.value.datacollector.get_model_vars_dataframe(),
    )


def test_the_partner_panel_shows_the_chosen_partners_relations(page):
    explore.selected.set("Politie")
    tables = [
        w.unsafe_innerHTML
        for w in page.find(solara.widgets.HTML).widgets
        if "netwerkregie-relations" in (w.unsafe_innerHTML or "")
    ]
    assert len(tables) == 1
    table = tables[0]
    for relation in explore.model.value.partners[1].relations():
        assert relation["partner"] in table


def test_the_language_switch_changes_the_labels(page):
    page.find(v.Switch, label="English").widget.v_model = True
    assert state.lang.value == "en"
    page.find(v.Btn, children=["Step"]).assert_single()
    labels = [w.label for w in page.find(v.Slider).widgets]
    assert any(label.startswith(PARAMETERS["blame_culture"].label_en) for label in labels)


def test_the_what_if_tab_is_offered_when_its_module_exists():
    assert (app.WhatIfTab is not None) == app.WHATIF_MODULE.exists()


# ---- network view --------------------------------------------------------------------------------------------


def test_positions_are_stored_and_do_not_depend_on_the_seed_or_a_reset():
    a = CollaborationModel(scenario="jeugdaanpak", rng=1)
    b = CollaborationModel(scenario="jeugdaanpak", rng=99)
    pos = layout_positions(a)
    assert layout_positions(b) is pos  # the same stored array: computed once per network
    a.run_for(5)
    assert np.array_equal(layout_positions(a), pos)


def test_distrust_is_drawn_red_and_dashed_and_left_partners_grey():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1)
    st = m.state
    e = 0
    st.s[e] += 200.0  # overwhelming negative evidence: this relation is in distrust
    svg, _, _ = network_svg(m)
    distrust_group = svg.split('class="distrust"')[1].split("</g>")[0]
    assert distrust_group.count("<line") >= 1 and 'stroke-dasharray="7 4"' in svg
    m.partners[3].leave()
    svg, _, _ = network_svg(m)
    node = svg.split(f'data-partner="{st.names[3]}"')[1].split("</g>")[0]
    assert 'fill="#c8c8c8"' in node


def test_large_networks_draw_only_the_strongest_relations():
    # how fast the drawing is belongs to benchmarks/run.py (docs/dashboard.md's latency table), not to a test
    m = CollaborationModel(scenario="synthetic", rng=1, n_partners=1000)
    svg, drawn, total = network_svg(m)
    assert total > MAX_EDGES and drawn == MAX_EDGES
    assert svg.count("<line") <= MAX_EDGES + 10  # + the legend


def test_the_latency_measurements_of_the_benchmark_run():
    # the speed goal itself (a step and a redraw well under a quarter second) is measured by benchmarks/run.py
    for scenario in ("jeugdaanpak", "sociaal_domein"):
        result = measure_latency(scenario, steps=3)
        assert result["total"] > 0 and all(v >= 0 for v in result.values() if isinstance(v, float)), result
    assert measure_page_step("sociaal_domein", steps=2) > 0  # with Solara's re-render of the page


# ---- training --------------------------------------------------------------------------------------------------


def open_training(page) -> None:
    page.find(v.BtnToggle).widget.v_model = "Training"  # the second tab
    training.setup_horizon.set(13)
    click(page, "Start training")


def test_training_actions_spend_hours_and_next_week_steps(page):
    open_training(page)
    m = training.model.value
    assert m.strategy == "manual" and m.director.hours_left == 16
    click(page, "Inzetten")  # the default choice: a vision session of 12 hours
    assert m.director.hours_left == pytest.approx(16 - INTERVENTIONS["vision_session"].cost)
    assert [d.intervention for d in training.pending.value] == ["vision_session"]
    training.choose("personal_contact")
    training.targets.set(["Politie", "GGZ"])
    click(page, "Inzetten")
    assert m.director.hours_left == pytest.approx(2)
    click(page, "Volgende week")
    s = training.session.value
    assert s.weeks_played == 1 and m.steps == 1 and m.director.hours_left == 16
    assert s.decisions[0][1] == Decision("personal_contact", ["Politie", "GGZ"], 2.0)


def test_spending_more_hours_than_are_left_is_refused_with_a_message(page):
    open_training(page)
    click(page, "Inzetten")  # 12 of 16 hours
    training.choose("covenant")
    training.hours.set(10.0)
    click(page, "Inzetten")
    assert training.model.value.director.hours_left == pytest.approx(4)
    assert training.message.value[0] == "error" and "4" in training.message.value[1]


def test_the_debrief_computes_after_a_few_weeks(page):
    open_training(page)
    for _ in range(3):
        click(page, "Inzetten")
        click(page, "Volgende week")
    click(page, "Debriefing")
    deadline = time.monotonic() + 20
    while training.debrief.value is None and time.monotonic() < deadline:  # computed in the background
        time.sleep(0.05)
    d = training.debrief.value
    assert d is not None and d.weeks == 3
    assert set(d.paths) == {"you", *STRATEGIES} and len(d.moments) == 3
    wanted = {"Debriefing als PNG", "Debriefing als HTML"}  # the debrief view shows, with its exports
    while time.monotonic() < deadline:
        if wanted <= {c for w in page.find(v.Btn).widgets for c in w.children if isinstance(c, str)}:
            break
        time.sleep(0.05)
    assert wanted <= {c for w in page.find(v.Btn).widgets for c in w.children if isinstance(c, str)}
    assert all(len(df) == 4 for df in d.paths.values())  # week 0 .. 3


def test_a_saved_session_replays_exactly(tmp_path):
    rng = np.random.default_rng(5)
    session = TrainingSession("sociaal_domein", seed=11, horizon=12)
    live = session.new_model()
    names = live.state.names
    for _ in range(12):
        week = []
        while live.director.hours_left > 1e-9 and rng.random() < 0.8:
            iv = INTERVENTIONS[rng.choice(list(INTERVENTIONS))]
            targets = None
            if iv.targets == "pair":
                targets = list(rng.choice(names, size=2, replace=False))
            elif iv.targets == "subset" and rng.random() < 0.5:
                targets = list(rng.choice(names, size=4, replace=False))
            before = live.director.hours_left
            hours = float(min(before, rng.choice([1.5, 2.0, iv.cost])))
            after = live.apply_intervention(iv.id, targets=targets, hours=hours)
            week.append(Decision(iv.id, targets, before - after))
        session.decisions.append(week)
        live.step()
    path = tmp_path / "session.json"
    path.write_text(session.to_json(), encoding="utf-8")
    loaded = TrainingSession.from_json(path.read_bytes())
    assert loaded == session
    pd.testing.assert_frame_equal(
        loaded.replay().datacollector.get_model_vars_dataframe(), live.datacollector.get_model_vars_dataframe()
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something else"}', "not a training session"),
        (
            '{"format": "netwerkregie-training-session", "version": 1, "scenario": "jeugdaanpak", "seed": 1, '
            '"horizon": 4, "decisions": [[{"intervention": "magic", "targets": null, "hours": 2}]]}',
            "unknown intervention 'magic'",
        ),
        (
            '{"format": "netwerkregie-training-session", "version": 1, "scenario": "jeugdaanpak", "seed": 1, '
            '"horizon": 4, "decisions": [[{"intervention": "covenant", "targets": null, "hours": 40}]]}',
            "only 16 are left",
        ),
        (
            '{"format": "netwerkregie-training-session", "version": 1, "scenario": "nowhere", "seed": 1}',
            "unknown scenario 'nowhere'",
        ),
    ],
)
def test_a_bad_session_file_is_refused_with_a_reason(text, expected):
    with pytest.raises(ValueError, match=expected.replace("(", r"\(")):
        TrainingSession.from_json(text.encode())


def test_loading_a_bad_session_file_in_the_page_keeps_the_current_session(page):
    open_training(page)
    current = training.session.value
    training.load_session("x.json", b"{not json")
    assert training.session.value is current
    assert training.message.value[0] == "error" and "x.json" in training.message.value[1]


def _follow(session: TrainingSession, strategy: str) -> TrainingSession:
    """A trainee who spends every week exactly as ``strategy`` would."""
    m = session.new_model()
    for _ in range(session.horizon):
        week = []
        d = m.director
        plan = planner.plan(strategy, m.state, d.hours_left, m.params, m.last_metrics, d.covenant_done)
        for iv, hours, targets in plan:
            names = None if targets is None else [m.state.names[int(i)] for i in targets]
            before = m.director.hours_left
            after = m.apply_intervention(iv, targets=names, hours=min(hours, before))
            week.append(Decision(iv, names, before - after))
        session.decisions.append(week)
        m.step()
    return session


def test_a_trainee_who_plays_like_the_best_strategy_has_nothing_to_regret():
    session = TrainingSession("jeugdaanpak", seed=4, horizon=10)
    best = compute_debrief(_follow(TrainingSession("jeugdaanpak", seed=4, horizon=10), "none")).best
    d = compute_debrief(_follow(session, best))
    assert d.best == best
    you, theirs = d.paths["you"], d.paths[best]
    np.testing.assert_allclose(you["task_progress"], theirs["task_progress"], rtol=0, atol=1e-12)
    assert max(abs(m.diff_task) for m in d.moments) < 1e-12


def test_the_strategies_in_the_debrief_face_the_same_world():
    session = _follow(TrainingSession("jeugdaanpak", seed=8, horizon=8), "task_focus")
    d = compute_debrief(session, counterfactuals=False)
    for strategy in STRATEGIES:
        direct = CollaborationModel(scenario="jeugdaanpak", rng=8, strategy=strategy)
        direct.run_for(8)
        pd.testing.assert_frame_equal(d.paths[strategy], direct.datacollector.get_model_vars_dataframe())
    pd.testing.assert_frame_equal(d.paths["you"], d.paths["task_focus"])


def test_the_debrief_of_a_year_in_jeugdaanpak_has_a_moment_per_week():
    session = _follow(TrainingSession("jeugdaanpak", seed=2, horizon=52), "relation_focus")
    session.decisions = [week[:1] for week in session.decisions]  # a trainee who does only the first thing
    d = compute_debrief(session)
    assert len(d.moments) == 52
    assert d.moments[0].diff_task != 0.0


def test_the_debrief_exports_a_png_and_a_self_contained_html_page():
    d = compute_debrief(_follow(TrainingSession("gebiedsontwikkeling", seed=3, horizon=6), "task_focus"))
    page = debrief_html(d, "en")
    assert "data:image/png;base64," in page
    png = base64.b64decode(page.split("data:image/png;base64,")[1].split('"')[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert "Moments that mattered most" in page


def test_the_week_summary_names_each_incident_and_exit_of_the_week():
    m = CollaborationModel(scenario="jeugdaanpak", rng=3, strategy="manual")
    for _ in range(30):
        m.step()
        events = [e for e in m.events if e["step"] == m.steps]
        lines = training.week_summary(m, "en")
        for e in events:
            assert any(e["partner"] in line for line in lines)
        if events:
            break
    assert events, "thirty weeks without an incident in jeugdaanpak"


def test_the_network_view_shows_the_boards_or_the_work_floor(page):
    m = explore.model.value
    assert m.state.layers
    floor, _, _ = network_svg(m, "en", None, "floor")
    board, _, _ = network_svg(m, "en", None, "board")
    assert "Work floor" in floor and "Boards" in board and floor != board
    switch = page.find(v.Switch, label="Toon de besturen in plaats van de werkvloer").widget
    floor_caption, board_caption = tr("network_legend", "nl"), tr("network_legend_board", "nl")

    def shown(text):
        return bool(page.find(children=[text]).widgets)

    assert "betrokkenheid" in floor_caption and "afstemming" in board_caption
    switch.v_model = True
    assert explore.layer.value == "board"
    assert shown(board_caption) and not shown(floor_caption)  # the caption says what the board view shows
    switch.v_model = False
    assert explore.layer.value == "floor"
    assert shown(floor_caption) and not shown(board_caption)
    one_layer = CollaborationModel(scenario="jeugdaanpak", rng=1, switches={"layers": False})
    assert network_svg(one_layer, "en", None, "board") == network_svg(one_layer, "en", None, "floor")


# ---- training scenarios with dilemmas ---------------------------------------------------------------------------


def test_a_training_scenario_shows_its_briefing_and_a_dilemma_answered_by_clicking(page):
    from experiments.training.scenarios import load_training_scenario

    page.find(v.BtnToggle).widget.v_model = "Training"
    found = load_training_scenario("jeugd_na_incident")
    training.setup_training.set("jeugd_na_incident")
    texts = lambda: {c for w in page.find(v.Html).widgets for c in w.children if isinstance(c, str)}  # noqa: E731
    assert training.flowing(found.briefing["nl"]) in texts() and training.flowing(found.learning_goal["nl"]) in texts()
    click(page, "Start training")
    s, p = training.session.value, training.play.value
    assert s.training == "jeugd_na_incident" and s.horizon == 12 and p is not None
    assert p.waiting, "a dilemma fires in the first week"
    firing = p.firing
    assert firing.title("nl") in texts()
    assert not page.find(v.Btn, children=["Inzetten"]).widgets  # the dilemma first, then the hours
    click(page, "Volgende week")  # refused while the dilemma waits
    assert s.weeks_played == 0 and training.message.value[0] == "error"
    option = firing.dilemma.options[1]
    click(page, firing.label(option, "nl"))
    assert s.choices[0].option == option.id and not p.waiting
    click(page, "Volgende week")
    assert s.weeks_played == 1 and p.model.steps == 1
    replayed = TrainingSession.from_json(s.to_json()).replay()
    assert replayed.datacollector.get_model_vars_dataframe().equals(p.model.datacollector.get_model_vars_dataframe())


def text_nodes(widgets) -> list[str]:
    """The text in ``widgets`` and their children, depth first."""
    out: list[str] = []
    for w in widgets:
        for child in getattr(w, "children", None) or []:
            out.extend([child] if isinstance(child, str) else text_nodes([child]))
    return out


def test_the_debrief_on_the_page_shows_each_dilemma_with_its_answer_and_a_sentence_per_concept(page):
    from experiments.training.story import concept_sentences

    page.find(v.BtnToggle).widget.v_model = "Training"
    training.setup_training.set("jeugd_na_incident")
    click(page, "Start training")
    s, p = training.session.value, training.play.value
    answered = {}
    for week in range(1, 4):
        if p.waiting:
            option = p.firing.dilemma.options[1]
            answered[week] = (p.firing.title("nl"), p.firing.label(option, "nl"))
            click(page, p.firing.label(option, "nl"))
        click(page, "Volgende week")
    assert s.weeks_played == 3 and len(answered) >= 2
    click(page, "Debriefing")
    deadline = time.monotonic() + 30
    while training.debrief.value is None and time.monotonic() < deadline:  # computed in the background
        time.sleep(0.05)
    d = training.debrief.value
    assert d is not None and d.history is not None and [o.week for o in d.dilemmas] == sorted(answered)
    texts = lambda: set(text_nodes(page.find(v.Html).widgets))  # noqa: E731
    while "De dilemma's" not in texts() and time.monotonic() < deadline:
        time.sleep(0.05)
    shown = texts()
    for week, (title, label) in answered.items():
        assert f"Week {week}: {title}" in shown and f"Uw keuze: {label}" in shown
    assert "Wat er gebeurde, begrip voor begrip" in shown
    sentences = concept_sentences(d.history, "nl")
    assert len(sentences) == 6 and set(sentences) <= shown
    tables = page.find(v.Html, tag="table", class_="netwerkregie-dilemma-outcomes").widgets
    assert len(tables) == len(answered)
    for table, outcome in zip(tables, d.dilemmas, strict=True):
        rows = table.children[1:]  # below the header: an option per row, the chosen one bold
        assert [text_nodes([r])[0] for r in rows] == [row.label["nl"] for row in outcome.rows]
        assert (
            ["bold" in (r.style_ or "") for r in rows]
            == [row.chosen for row in outcome.rows]
            == [False, True, *[False] * (len(rows) - 2)]
        )


def test_answering_a_dilemma_and_the_next_week_keep_the_buttons_below_in_place(page):
    """The week's cards come and go (the briefing, the dilemma, the hours to spend); the buttons below them stay
    the same widgets, so the browser never shows a stale row of them beside the new one."""
    page.find(v.BtnToggle).widget.v_model = "Training"
    training.setup_training.set("jeugd_na_incident")
    click(page, "Start training")
    p = training.play.value
    buttons = lambda: [page.find(v.Btn, children=[label]).widget for label in ("Volgende week", "Debriefing")]  # noqa: E731
    before = buttons()
    assert p.waiting and before[0].disabled
    click(page, p.firing.label(p.firing.dilemma.options[1], "nl"))
    assert page.find(v.Btn, children=["Inzetten"]).widgets  # the hours can be spent now
    after = buttons()
    assert not after[0].disabled and all(a is b for a, b in zip(after, before, strict=True))
    click(page, "Volgende week")  # week 2: the briefing has gone, another dilemma fires
    assert training.session.value.weeks_played == 1 and p.waiting
    assert all(a is b for a, b in zip(buttons(), before, strict=True))
