"""The dashboard in a real browser: Playwright drives Debian's Chromium against ``netwerkregie dashboard``.

The tests start the dashboard themselves on a free port. Screenshots go to ``test-artifacts/screenshots/``
(kept by CI as artefacts; those of the 12-week training session to pytest's temporary folder). Marked ``long``:
run with ``pytest -m long tests/test_browser.py``.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest

from dashboards import app, offline_assets
from dashboards.screenshots import (
    CHROMIUM,
    choose,
    choose_intervention,
    free_port,
    launch,
    open_debrief,
    open_page,
    play_training,
    play_training_scenario,
    start_dashboard,
    start_training_scenario,
    stop_dashboard,
    switch_language,
)
from dashboards.training import flowing as training_flowing

pytestmark = [
    pytest.mark.long,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed ({CHROMIUM})"),
]

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def url():
    """The dashboard, started as a user would: ``netwerkregie dashboard --port PORT``."""
    try:  # without a public CDN, Solara's browser files come from the npm registry into its local cache
        offline_assets.install()
    except RuntimeError as e:
        print(f"offline assets not installed ({e}); the page then needs the public CDN")
    port = free_port()
    SHOTS.mkdir(parents=True, exist_ok=True)
    server = start_dashboard(port, log=SHOTS.parent / "dashboard.log")
    yield f"http://127.0.0.1:{port}/"
    stop_dashboard(server)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def errors():
    return []


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png")


def shown_week(page) -> int:
    """The week in the line above the network ("Week 12 · actieve partners ...")."""
    line = page.get_by_text("actieve partners").first.inner_text()
    return int(line.split("·")[0].split()[-1])


def test_the_page_loads_without_errors(url, browser, errors):
    page = open_page(browser, url, errors)
    page.get_by_text("Afrekencultuur").first.wait_for()
    assert page.locator(".netwerkregie-network [data-partner]").count() == 10  # jeugdaanpak's partners
    shot(page, "explore_loaded")
    if app.WhatIfTab is not None:  # the what-if tab, when installed, opens without errors too
        page.get_by_role("button", name="Wat als").click()
        page.wait_for_timeout(2000)
        shot(page, "whatif_loaded")
    assert errors == []
    page.context.close()


def test_step_and_clicking_a_partner_in_the_network(url, browser, errors):
    page = open_page(browser, url, errors)
    for week in range(1, 4):
        page.get_by_role("button", name="Stap").click()
        page.get_by_text(f"Week {week} ·").wait_for()
    page.get_by_text("na week 3").wait_for()  # the network view was redrawn
    page.locator('[data-partner="GGZ"] circle').click()
    page.get_by_text("Hoe GGZ elke relatie ziet").wait_for()
    page.locator(".netwerkregie-relations tr").nth(2).wait_for()  # the table can follow its heading a moment later
    assert page.locator(".netwerkregie-relations tr").count() > 2
    shot(page, "explore_partner")
    assert errors == []
    page.context.close()


def test_play_keeps_the_page_responsive_and_pause_stops(url, browser, errors):
    page = open_page(browser, url, errors)
    page.get_by_role("button", name="Afspelen").click()
    page.get_by_role("button", name="Pauze").wait_for(timeout=5_000)
    shot(page, "explore_playing")
    deadline = time.monotonic() + 30
    while shown_week(page) < 5 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert shown_week(page) >= 5
    started = time.monotonic()
    page.locator('[data-partner="Politie"] circle').click()  # the page answers while it plays
    page.get_by_text("Hoe Politie elke relatie ziet").wait_for(timeout=5_000)
    assert time.monotonic() - started < 5
    page.get_by_role("button", name="Pauze").click()
    page.get_by_role("button", name="Afspelen").wait_for(timeout=5_000)
    week = shown_week(page)
    page.wait_for_timeout(1000)
    assert shown_week(page) == week
    shot(page, "explore_played")
    assert errors == []
    page.context.close()


def test_a_training_session_by_clicking_ends_in_a_debrief(url, browser, errors):
    page = open_page(browser, url, errors)
    play_training(page, weeks=5)
    page.get_by_text("Week 6 van 26").wait_for()
    choose_intervention(page, "belangen bespreekbaar maken")
    page.get_by_role("button", name="Inzetten").click()
    page.get_by_text("Uren over deze week: 10 van 16").wait_for()
    shot(page, "training_week6")
    open_debrief(page)
    page.get_by_text("Debriefing na 5 weken").first.wait_for()
    assert page.get_by_role("button", name="Debriefing als HTML").count() == 1
    assert page.locator("img").count() >= 1
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.get_by_text("Momenten die het verschil maakten").scroll_into_view_if_needed()
    shot(page, "training_debrief")
    with page.expect_download() as download:
        page.get_by_role("button", name="Debriefing als HTML").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "data:image/png;base64," in text and "https://" not in text
    assert errors == []
    page.context.close()


def test_twelve_weeks_in_a_training_scenario_with_every_dilemma_answered_by_clicking(url, browser, errors, tmp_path):
    """A trainer's workshop: a training scenario that starts in trouble, its briefing, 12 weeks with every dilemma
    answered by clicking (another option each time), the debrief with each dilemma, the option chosen and a
    sentence per concept, and the printable report. Screenshots go to a temporary folder."""
    from playwright.sync_api import expect

    from experiments.training.debrief import compute_debrief
    from experiments.training.scenarios import load_training_scenario
    from experiments.training.session import TrainingSession
    from experiments.training.story import concept_sentences

    found = load_training_scenario("jeugd_na_incident")
    title = found.title["nl"]
    page = open_page(browser, url, errors)
    start_training_scenario(page, title)
    page.get_by_text(training_flowing(found.briefing["nl"])).first.wait_for()  # the briefing, for the trainee
    page.get_by_text(training_flowing(found.learning_goal["nl"])).wait_for()  # the learning goal, for the trainer
    page.get_by_role("button", name="Start training").click()
    page.get_by_text("Week 1 van 12").wait_for()
    page.get_by_text(f"Briefing: {title}").wait_for()  # the briefing stays in sight in the first week
    page.screenshot(path=tmp_path / "week1.png")
    following = page.get_by_role("button", name="Volgende week")

    def before_the_answer(page, week, firing, card):
        # the week cannot go on while the dilemma waits: no hours to spend, "next week" disabled, a click ignored
        expect(page.get_by_role("button", name="Inzetten")).to_have_count(0)
        expect(following).to_have_count(1)
        expect(following).to_be_disabled()
        if week == 1:
            following.click(force=True)
            page.wait_for_timeout(1000)
            assert page.get_by_text("Week 1 van 12").count() == 1 and card.get_by_role("button").count() >= 2
            page.screenshot(path=tmp_path / "dilemma_waiting.png")

    session = play_training_scenario(page, "jeugd_na_incident", seed=1, on_dilemma=before_the_answer)
    fired = [(week, c) for week, c in enumerate(session.choices, start=1) if c is not None]
    assert session.weeks_played == 12 and len(fired) >= 6  # a trouble scenario keeps the director busy
    assert len({c.option for _, c in fired}) >= 3  # the options varied

    # at the last week the debrief appears by itself
    card = page.locator(".v-card").filter(has_text="Debriefing na 12 weken")
    page.get_by_text("Momenten die het verschil maakten").wait_for(timeout=120_000)
    page.get_by_role("heading", name="De dilemma's").wait_for()
    expected = compute_debrief(session)
    tables = card.locator("table.netwerkregie-dilemma-outcomes")
    assert tables.count() == len(fired) == len(expected.dilemmas)
    for k, outcome in enumerate(expected.dilemmas):
        chosen = next(row for row in outcome.rows if row.chosen)
        assert (outcome.week, outcome.dilemma, chosen.option) == (fired[k][0], fired[k][1].dilemma, fired[k][1].option)
        card.get_by_text(f"Week {outcome.week}: {outcome.title['nl']}", exact=True).wait_for()
        card.get_by_text(f"Uw keuze: {chosen.label['nl']}", exact=True).wait_for()
        rows = tables.nth(k).locator("tr")
        assert rows.count() == len(outcome.rows) + 1
        bold = [i for i in range(1, rows.count()) if "bold" in (rows.nth(i).get_attribute("style") or "")]
        assert bold == [outcome.rows.index(chosen) + 1]
        assert rows.nth(bold[0]).locator("td").first.inner_text() == chosen.label["nl"]
    page.get_by_role("heading", name="Wat er gebeurde, begrip voor begrip").wait_for()
    sentences = concept_sentences(expected.history, "nl")
    story = card.locator("ul").filter(has_text="(netwerk:").locator("li")
    assert [story.nth(i).inner_text() for i in range(story.count())] == sentences and len(sentences) == 6
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.get_by_role("heading", name="De dilemma's").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "debrief_dilemmas.png")
    page.get_by_role("heading", name="Wat er gebeurde, begrip voor begrip").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "debrief_story.png")

    with page.expect_download() as download:  # the session as the page recorded it: the answers clicked
        page.get_by_role("button", name="Sessie opslaan").click()
    saved = TrainingSession.from_json(Path(download.value.path()).read_bytes())
    assert saved.choices == session.choices and saved.decisions == session.decisions

    with page.expect_download() as download:  # the printable report
        page.get_by_role("button", name="Debriefing als HTML").click()
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "@media print" in report and "https://" not in report and "<script" not in report
    assert report.count('<tr class="chosen">') == len(fired) + 1  # a row per dilemma, and "u" in the end table
    for outcome in expected.dilemmas:
        chosen = next(row for row in outcome.rows if row.chosen)
        assert f'<tr class="chosen"><td>{html.escape(chosen.label["nl"])}</td>' in report
        assert html.escape(f"Week {outcome.week}: {outcome.title['nl']}") in report
    assert all(f"<li>{html.escape(s)}</li>" in report for s in sentences)
    assert errors == []
    page.context.close()


def test_the_language_switch_changes_the_page_to_english(url, browser, errors):
    page = open_page(browser, url, errors)
    switch_language(page)
    page.get_by_role("button", name="Step").wait_for()
    page.get_by_text("Blame culture").first.wait_for()
    page.get_by_role("button", name="Training").click()
    page.get_by_role("button", name="Start training").wait_for()
    page.get_by_text("You are the director").wait_for()
    shot(page, "english")
    switch_language(page)
    page.get_by_text("U bent de regisseur").wait_for()
    assert errors == []
    page.context.close()


@pytest.mark.skipif(app.WhatIfTab is None, reason="the what-if tab is not installed")
def test_whatif_tab_builds_a_variant_by_clicking_and_runs_a_comparison(url, browser, errors):
    page = open_page(browser, url, errors)
    page.get_by_role("button", name="Wat als").click()
    page.get_by_role("button", name="Verwijder deze partner").click()  # the first partner: Gemeente
    page.get_by_text("De variant verandert nog niets.").wait_for(state="detached", timeout=10_000)
    page.get_by_role("button", name="Vergelijk", exact=True).click()
    page.get_by_text("Voortgang na").first.wait_for(timeout=120_000)  # the summary of the finished comparison
    assert page.get_by_text("Uitkomst").count() >= 1
    page.get_by_text("Uitkomst").first.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "whatif_compared.png", full_page=True)
    assert errors == []
    page.context.close()


# ---- hostile input -----------------------------------------------------------------------------------------------

#: partner names that run script if a page inserts them as HTML, Markdown or a Vue template
PAYLOADS = [
    "<img src=x onerror=window.__pwned=1>",
    "<img src=x onerror=alert(1)>",
    "{{ $options.constructor.constructor('window.__pwned=2')() }}",
    "**bold** [link](javascript:window.__pwned=3)",
    '"><svg onload=window.__pwned=4>',
    "{{ 1+1 }}",
    "<script>window.__pwned=5</script>",
]
HOSTILE_SCENARIO = "<i onmouseover=window.__pwned=7>vijandig</i>"


def hostile_scenario() -> str:
    from tests.corpus.dashboard import partners_toml

    text = partners_toml(PAYLOADS, name=HOSTILE_SCENARIO)
    return text.replace("governance =", 'title = "<img src=x onerror=window.__pwned=6>"\ngovernance =', 1)


def drop_file(page, name: str, content: str, index: int = 0) -> None:
    """Drop a file on the ``index``-th upload area, as a user dragging it from the desktop would.

    Chromium gives a ``DataTransfer`` made by a script no file-system entries, so the entries are provided here.
    """
    page.evaluate(
        """() => { DataTransferItem.prototype.webkitGetAsEntry = function () {
            const file = this.getAsFile(); return {isFile: true, file: (ok) => ok(file)}; }; }"""
    )
    transfer = page.evaluate_handle(
        "([name, text]) => { const dt = new DataTransfer(); dt.items.add(new File([text], name)); return dt; }",
        [name, content],
    )
    page.locator(".solara-file-drop").nth(index).dispatch_event("drop", {"dataTransfer": transfer})


def assert_nothing_ran(page, dialogs: list[str]) -> None:
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator('img[src="x"], script:not([src]):text("__pwned"), a[href^="javascript"]').count() == 0
    assert page.locator("strong", has_text="bold").count() == 0


def test_hostile_partner_names_in_an_uploaded_scenario_are_shown_as_text_and_run_nothing(url, browser, errors):
    page = open_page(browser, url, errors)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    drop_file(page, "vijandig.toml", hostile_scenario())
    page.get_by_text(f"Scenario {HOSTILE_SCENARIO} geladen.").wait_for(timeout=30_000)
    nodes = page.locator(".netwerkregie-network [data-partner]")
    page.locator('.netwerkregie-network [data-partner="Gemeente"]').wait_for(state="detached")
    assert [nodes.nth(i).get_attribute("data-partner") for i in range(nodes.count())] == PAYLOADS
    for i, name in enumerate(PAYLOADS):  # every name: a label in the network and the heading of its panel
        nodes.nth(i).locator("circle").click()
        page.get_by_text(f"Hoe {name} elke relatie ziet", exact=True).wait_for(timeout=10_000)
        page.locator(".netwerkregie-relations td").filter(has_text=PAYLOADS[i - 1 if i else 1]).first.wait_for()
    page.get_by_role("button", name="Stap").click()
    page.get_by_text("Week 1 ·").wait_for()
    assert page.get_by_text("{{ 1+1 }}").count() >= 1  # not "2"
    shot(page, "hostile_explore")
    assert_nothing_ran(page, dialogs)

    page.get_by_role("button", name="Training").click()
    page.get_by_role("button", name="Start training").wait_for()
    choose(page, "Scenario", HOSTILE_SCENARIO)
    page.get_by_role("button", name="Start training").click()
    page.get_by_role("button", name="Inzetten").wait_for()
    choose_intervention(page, "persoonlijk contact")
    nodes.nth(2).locator("circle").click()
    nodes.nth(3).locator("circle").click()
    page.get_by_role("button", name="Inzetten").click()
    spent = page.get_by_text("Deze week ingezet:").locator("xpath=..")
    spent.get_by_text(PAYLOADS[2], exact=False).wait_for()
    for week in range(3):
        page.get_by_role("button", name="Volgende week").click()
        page.get_by_text(f"Week {week + 2} van").wait_for()
    open_debrief(page)
    shot(page, "hostile_training")
    assert_nothing_ran(page, dialogs)
    with page.expect_download() as download:
        page.get_by_role("button", name="Debriefing als HTML").click()
    assert "window.__pwned=6" not in Path(download.value.path()).read_text(encoding="utf-8").replace(
        "&lt;img src=x onerror=window.__pwned=6&gt;", ""
    )

    if app.WhatIfTab is not None:
        page.get_by_role("button", name="Wat als").click()
        page.get_by_role("button", name="Verwijder deze partner").wait_for()
        choose(page, "Scenario", HOSTILE_SCENARIO)
        page.get_by_role("button", name="Verwijder deze partner").click()
        page.get_by_text(f"verwijder partner {PAYLOADS[0]} (met haar relaties)").wait_for(timeout=10_000)
        shot(page, "hostile_whatif")
    assert_nothing_ran(page, dialogs)
    assert errors == []
    page.context.close()


def test_the_server_answers_only_its_own_host_and_pages(url):
    import urllib.error
    import urllib.request

    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    port = int(url.rstrip("/").rsplit(":", 1)[1])
    request = urllib.request.Request(url, headers={"Host": f"rebound.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": f"localhost:{port}"}), timeout=10) as r:
        assert r.status == 200
    socket_url = f"ws://127.0.0.1:{port}/jupyter/api/kernels/{'0' * 32}/channels?session_id=x"
    for origin in (f"http://rebound.example:{port}", "null", "http://127.0.0.1:1"):
        with pytest.raises(InvalidStatus) as refused, connect(socket_url, origin=origin, open_timeout=10):
            pass
        assert refused.value.response.status_code == 403
    with connect(socket_url, origin=f"http://127.0.0.1:{port}", open_timeout=10) as ws:
        ws.close()
