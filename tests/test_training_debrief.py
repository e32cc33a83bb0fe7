"""The debrief a trainer can teach from: the sentences per concept (true to the recorded numbers, naming the event
that preceded the largest change or saying it drifted), each dilemma's options replayed from the decision, the
printable report (escaped, self-contained) and ``netwerkregie training debrief``."""

from __future__ import annotations

import copy
import math
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.training.debrief import compute_debrief, default_option, moment_texts, strategy_path
from experiments.training.export import debrief_html
from experiments.training.play import Choice, TrainingPlay
from experiments.training.scenarios import DATA_DIR, load_training_scenario
from experiments.training.session import Decision, TrainingSession
from experiments.training.story import (
    LEVEL,
    PRECEDENCE,
    WEEKS_ON,
    concept_sentence,
    concept_sentences,
    concept_stories,
    event_text,
    number,
)
from model.metrics import SIX_CONCEPTS

SCENARIO = "jeugd_na_incident"
#: One dilemma in week 3 about the most open partner: close it up (openness 0 for six weeks) or keep it open.
CLOSING_UP = """
[[dilemma]]
id = "sluit_zich_af"
title_nl = "{partner} sluit zich af"
title_en = "{partner} closes up"
text_nl = "{partner} deelt niets meer met het netwerk."
text_en = "{partner} shares nothing with the network any more."
[dilemma.when]
weeks = [3, 3]
partner = { of = "transparency", pick = "highest" }
[[dilemma.option]]
id = "dicht"
label_nl = "Laat {partner} dichtgaan"
label_en = "Let {partner} close up"
actions = [{ do = "set", setting = "openness", partner = "@partner", value = 0.0, weeks = 6 }]
[[dilemma.option]]
id = "open"
label_nl = "Houd {partner} open"
label_en = "Keep {partner} open"
actions = [{ do = "set", setting = "openness", partner = "@partner", value = 1.0, weeks = 6 }]
"""


def _session(option: str = "dicht", weeks: int = 12, seed: int = 5, **kwargs) -> TrainingSession:
    """A 12-week session of the closing-up dilemma (answered with ``option``), 4 hours of personal contact a week."""
    session = TrainingSession(SCENARIO, seed=seed, horizon=weeks, training=SCENARIO, **kwargs)
    play = session.new_play()
    for _ in range(weeks):
        if play.waiting:
            chosen = option if session.dilemmas_toml else play.firing.dilemma.options[-1].id
            play.choose(chosen)
            session.choices += [None] * (play.week - 1 - len(session.choices))
            session.choices.append(Choice(play.firing.dilemma.id, chosen))
        left = play.model.director.hours_left
        week = [Decision("personal_contact", None, min(4.0, left))]
        play.apply(week)
        session.decisions.append(week)
        play.step()
    return session


@pytest.fixture(scope="module")
def closing_up():
    session = _session(dilemmas_toml=CLOSING_UP)
    return session, compute_debrief(session, counterfactuals=False)


# ---- the sentences ----------------------------------------------------------------------------------------------


def test_the_sentence_names_the_dilemma_that_preceded_the_largest_change(closing_up):
    session, d = closing_up
    outcome = d.dilemmas[0]
    partner = outcome.partners[0]
    story = next(s for s in concept_stories(d.history) if s.concept == "transparency")
    assert story.partners == (partner,) and story.week == 3 and story.change < -0.2
    en = concept_sentence(story, "en")
    assert f"the transparency of {partner} changed most; it fell from" in en
    assert f"in week 3) came after the dilemma “{partner} closes up” (chosen: “Let {partner} close up”)" in en
    nl = concept_sentence(story, "nl")
    assert f"de transparantie van {partner}, van" in nl and "(omlaag)" in nl
    assert f"in week 3) kwam na het dilemma ‘{partner} sluit zich af’ (gekozen: ‘Laat {partner} dichtgaan’)" in nl
    # held at 0 for weeks 3-8, then free again: the recorded numbers say whether and how far it came back
    assert story.before > story.after
    expected = "recovered (" if story.end >= story.before else "recovered in part" if story.end > story.after else "not"
    assert expected in en


def _check_true_to_the_record(history, lang: str) -> None:
    """Every sentence's numbers are the recorded ones; it names the events of the week of the largest change that
    concern its relation or partner, or says it drifted."""
    stories = concept_stories(history)
    sentences = concept_sentences(history, lang)
    assert [s.concept for s in stories] == list(SIX_CONCEPTS) and len(sentences) == 6
    for story, sentence in zip(stories, sentences, strict=True):
        assert number(history.network[story.concept][0], lang) in sentence
        series, active, partners = history.series(story.concept)
        k = partners.index(story.partners)
        values = series[:, k]
        assert story.start == values[0] and story.end == values[-1]
        assert all(name in sentence for name in story.partners)
        if abs(story.end - story.start) < LEVEL and abs(story.change) < LEVEL:
            assert ("no clear change" if lang == "en" else "nergens een duidelijke verandering") in sentence
            continue
        both = active[0] & active[-1]
        net = np.abs(series[-1] - series[0])[both]
        assert abs(story.end - story.start) == pytest.approx(net.max(), abs=1e-15)  # the relation that moved most
        if not story.week:
            continue
        steps = np.diff(values) * (1 if story.end >= story.start else -1)
        assert story.week == int(np.argmax(steps)) + 1 and story.change == values[story.week] - values[story.week - 1]
        concerned = [
            e
            for e in history.events
            if e.week == story.week
            and (e.kind in ("network_dilemma", "lead_succession") or set(e.partners) & set(story.partners))
        ]
        assert sorted(concerned, key=lambda e: PRECEDENCE.index(e.kind)) == list(story.events)
        if story.events:
            assert event_text(story.events[0], lang) in sentence
            assert "drift" not in sentence and "verschuiving" not in sentence
        else:
            assert ("it drifted" if lang == "en" else "een geleidelijke verschuiving") in sentence


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_sentences_are_true_to_the_recorded_numbers_with_dilemmas(closing_up, lang):
    _check_true_to_the_record(closing_up[1].history, lang)


def test_the_sentences_of_a_session_without_events_for_a_relation_say_it_drifted():
    session = TrainingSession("jeugdaanpak", seed=3, horizon=10)
    model = session.new_model()
    for _ in range(10):  # no dilemmas, no interventions aimed at a partner
        session.decisions.append([Decision("personal_contact", None, 4.0)])
        model.apply_intervention("personal_contact", hours=4.0)
        model.step()
    d = compute_debrief(session, counterfactuals=False)
    for lang in ("en", "nl"):
        _check_true_to_the_record(d.history, lang)
    assert d.dilemmas == []
    assert any(not s.events for s in concept_stories(d.history))  # at least one drifted


def test_the_history_records_every_week_and_the_events():
    session = _session(weeks=6)  # the built-in dilemmas, each answered with its last option
    d = compute_debrief(session, counterfactuals=False)
    h = d.history
    assert h.weeks == 6 and len(h.values["trust"]) == 7
    np.testing.assert_allclose(h.network["trust"], d.paths["you"]["trust"].to_numpy(), rtol=0, atol=0)
    fired = [w for w in range(1, 7) if session.choice_of(w)]
    assert sorted({e.week for e in h.events if e.kind in ("dilemma", "network_dilemma")}) == fired
    incidents = [e for e in h.events if e.kind == "incident"]
    model = session.replay()
    assert len(incidents) == sum(1 for e in model.events if e["event"] == "incident")


# ---- the dilemmas' consequences ------------------------------------------------------------------------------------


def test_each_option_of_a_dilemma_is_replayed_from_the_decision_in_the_same_world(closing_up):
    session, d = closing_up
    [outcome] = d.dilemmas
    assert outcome.week == 3 and outcome.weeks_on == WEEKS_ON
    rows = {r.option: r for r in outcome.rows}
    assert rows["dicht"].chosen and not rows["open"].chosen
    at = outcome.week + outcome.weeks_on - 1
    you = d.paths["you"]
    assert rows["dicht"].health == you["health"].iloc[at]  # the chosen row is the trainee's own path, exactly
    assert rows["dicht"].task_progress == you["task_progress"].iloc[at]
    assert rows["open"].health != rows["dicht"].health and rows["open"].partners_trust != rows["dicht"].partners_trust
    for option, row in rows.items():  # each row is the session played with that answer (the same later choices)
        other = copy.deepcopy(session)
        other.choices[outcome.week - 1] = Choice("sluit_zich_af", option)
        model = other.replay(at)
        assert row.health == model.last_metrics["health"] and row.task_progress == model.task_progress


def test_the_report_shows_a_table_per_dilemma_with_the_chosen_option_marked(closing_up):
    _, d = closing_up
    page = debrief_html(d, "en")
    partner = d.dilemmas[0].partners[0]
    assert f"Week 3: {partner} closes up" in page and '<tr class="chosen"><td>Let ' in page
    assert f"trust of {partner}" in page and "4 weeks on" in page
    for row in d.dilemmas[0].rows:
        assert f"{row.health:.3f}" in page


def test_strategies_answer_a_dilemma_with_its_first_option_on_the_same_world():
    session = _session(weeks=5)
    scenario = load_training_scenario(SCENARIO)
    play = TrainingPlay(scenario.model(session.seed, "balanced"), session.dilemmas(), SCENARIO, scenario.newcomers)
    answered = 0
    for _ in range(5):
        if play.waiting:
            assert default_option(play.firing.dilemma) == play.firing.dilemma.options[0].id
            play.choose(play.firing.dilemma.options[0].id)
            answered += 1
        play.step()
    assert answered
    ours = strategy_path(session, "balanced", 5).datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(ours, play.model.datacollector.get_model_vars_dataframe())


# ---- the report ------------------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def _hostile_training() -> tuple[str, list[str]]:
    """The training scenario with every partner's name wrapped in markup."""
    text = (DATA_DIR / f"{SCENARIO}.toml").read_text(encoding="utf-8")
    names = load_training_scenario(SCENARIO).scenario.partner_names()
    for name in names:
        text = text.replace(f'"{name}"', f'"<script>{name}</script>"')
    return text, [f"<script>{n}</script>" for n in names]


def test_the_printable_report_shows_hostile_partner_names_only_as_text():
    toml, hostile = _hostile_training()
    session = _session(weeks=6, training_toml=toml)
    d = compute_debrief(session, counterfactuals=False)
    page = debrief_html(d, "nl")
    parsed = _Tags()
    parsed.feed(page)
    assert "<script" not in page
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "iframe", "object", "embed", "a", "link", "base"), tag
        assert not any(name.startswith("on") for name, _ in attrs)
        if tag == "img":
            assert dict(attrs)["src"].startswith("data:image/png;base64,")
    text = "".join(parsed.text)
    shown = [name for name in hostile if name in text]
    assert shown, "the sentences and the dilemmas name partners"
    assert all(n in text for o in d.dilemmas for n in o.partners)
    for sentence in concept_sentences(d.history, "nl"):
        assert sentence in text


def test_the_report_prints_a_page_per_section_on_a4(closing_up):
    page = debrief_html(closing_up[1], "nl")
    assert "@page { size: A4" in page and "break-before: page" in page
    assert page.count("<section") == 4 and page.count("data:image/png;base64,") == 2
    assert "http://" not in page and "https://" not in page


# ---- the command line ------------------------------------------------------------------------------------------


def test_training_debrief_writes_the_report(tmp_path, capsys):
    session = _session(weeks=5, dilemmas_toml=CLOSING_UP)
    path = tmp_path / "sessie.json"
    path.write_text(session.to_json(), encoding="utf-8")
    out = tmp_path / "debrief.html"
    assert main(["training", "debrief", str(path), "--html", str(out), "--lang", "en"]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "What happened, concept by concept" in page
    printed = capsys.readouterr().out
    assert "week 3:" in printed and f"debrief written to {out}" in printed


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"format": "something else"}', "is not a training session"),
        ("{not json", "sessie.json"),
        ('{"format": "netwerkregie-training-session", "version": 1, "scenario": "jeugdaanpak"}', "lacks 'seed'"),
    ],
)
def test_training_debrief_refuses_a_bad_session_file_with_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "sessie.json"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "debrief.html"
    assert main(["training", "debrief", str(path), "--html", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("netwerkregie: ") and message in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_training_debrief_names_its_own_option_for_a_bad_output(tmp_path, capsys):
    path = tmp_path / "sessie.json"
    path.write_text(_session(weeks=1).to_json(), encoding="utf-8")
    assert main(["training", "debrief", str(path), "--html", str(tmp_path / "debrief.txt")]) == 2
    assert "--html" in capsys.readouterr().err


def test_a_nan_is_shown_as_missing_in_the_table():
    from experiments.training.export import table_value

    assert table_value(math.nan) == "–" and table_value(0.5) == "0.500"


def test_a_session_too_large_to_record_leaves_the_sentences_out_and_says_so(monkeypatch):
    from experiments.training import debrief

    monkeypatch.setattr(debrief, "MAX_HISTORY_VALUES", 10)
    d = compute_debrief(_session(weeks=3), counterfactuals=False)
    assert d.history is None
    page = debrief_html(d, "en")
    assert "too large to record relation by relation" in page and page.count("data:image/png;base64,") == 1


def test_a_moment_in_a_week_with_a_dilemma_says_the_answer_stays_and_an_empty_week_says_the_hours_lay_unused():
    session = _session(dilemmas_toml=CLOSING_UP, weeks=6)
    session.decisions[1] = []  # week 2: no hours spent
    d = compute_debrief(session)
    answered = {week for week, c in enumerate(session.choices, start=1) if c is not None}
    assert answered and all(m.answered == (m.week in answered) for m in d.moments)
    texts = moment_texts(d, "en", top=len(d.moments))
    for m, text in zip(d.moments, texts, strict=True):
        assert ("Your answer to that week's dilemma stays the same in both" in text) == m.answered
        assert ("you chose no intervention (the hours were left unspent)" in text) == (m.week == 2)
