"""Drive the dashboard in a real browser: start ``netwerkregie dashboard``, play it by clicking, take screenshots.

Used by the browser tests and to regenerate the figures of ``docs/dashboard.md`` and ``docs/training.md``:

    uv run python -m dashboards.screenshots docs/figures              # all of them
    uv run python -m dashboards.screenshots docs/figures --training   # only those of docs/training.md

The browser is Debian's Chromium (``/usr/bin/chromium``), driven by Playwright.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1050}


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_dashboard(port: int, log: Path | None = None, timeout: float = 90.0) -> subprocess.Popen:
    """Start ``netwerkregie dashboard --port PORT`` (output to ``log``) and wait until it answers.

    Raises:
        RuntimeError: it exited or did not answer within ``timeout`` seconds (with the end of its output).
    """
    log = log or Path(tempfile.gettempdir()) / f"netwerkregie-dashboard-{port}.log"
    command = [str(Path(sys.executable).with_name("netwerkregie")), "dashboard", "--port", str(port)]
    with open(log, "w", encoding="utf-8") as out:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
            start_new_session=True,  # its own process group: stopping it also stops the Solara server it starts
        )
    process.log = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop_dashboard(process)
    raise RuntimeError(f"the dashboard did not answer on port {port} within {timeout:.0f} s: {log.read_text()[-2000:]}")


def stop_dashboard(process: subprocess.Popen) -> None:
    """Stop a dashboard started by :func:`start_dashboard` (and its Solara child)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def launch(playwright: Any) -> Any:
    """Debian's Chromium under Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_page(browser: Any, url: str, errors: list[str] | None = None, viewport: dict | None = None) -> Any:
    """A new page (in a browser context of its own: a new user) on the dashboard, loaded until its Step button
    shows; console errors are collected. Close it with ``page.context.close()``."""
    page = browser.new_context(viewport=viewport or VIEWPORT).new_page()
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.get_by_role("button", name="Stap").wait_for(timeout=90_000)
    page.locator(".netwerkregie-network svg").first.wait_for(timeout=30_000)
    return page


def play_training(page: Any, weeks: int = 4, horizon: int = 26) -> None:
    """Open Training, start a session of ``horizon`` weeks, and play ``weeks`` weeks by clicking, with a few
    different interventions."""
    page.get_by_role("button", name="Training").click()
    page.get_by_role("button", name="Start training").wait_for()
    if horizon != 26:
        choose(page, "Aantal weken", str(horizon))
    page.get_by_role("button", name="Start training").click()
    page.get_by_role("button", name="Inzetten").wait_for()
    plan = ["gezamenlijke visievorming", "persoonlijk contact", "lerende verantwoording", "convenant"]
    for week in range(weeks):
        page.get_by_text(f"Week {week + 1} van").wait_for()
        if week % 4 != 0:
            choose_intervention(page, plan[week % 4])
        page.get_by_role("button", name="Inzetten").click()
        page.get_by_text("Deze week ingezet:").locator("xpath=..").get_by_text("u)").first.wait_for()
        page.get_by_role("button", name="Volgende week").click()
        if week + 1 < horizon:
            page.get_by_text(f"Week {week + 2} van").wait_for()


def start_training_scenario(page: Any, title: str) -> None:
    """Open Training and pick the training scenario whose Dutch title is ``title``; its briefing shows."""
    page.get_by_role("button", name="Training").click()
    page.get_by_role("button", name="Start training").wait_for()
    choose(page, "Of: een oefenscenario", title)
    page.get_by_text(f"Briefing: {title}").wait_for()


def play_training_scenario(
    page: Any,
    name: str,
    seed: int = 1,
    spend: Callable[[int], bool] = lambda week: week % 3 == 0,
    on_dilemma: Callable[[Any, int, Any, Any], None] | None = None,
) -> Any:
    """Play a session of training scenario ``name`` (just started on the page) to its end by clicking.

    Every dilemma that fires is answered by clicking one of its option buttons, another option each time (the
    second, the third, ... in turn, counted over the dilemmas answered); in the weeks where ``spend(week)`` holds
    the default intervention (a vision session) gets the hours left, up to its cost. The same session is played
    beside the page in Python, so each week the page must show the dilemma that fires there, and after each click
    the hours that are left there; ``on_dilemma(page, week, firing, card)`` is called before a dilemma is answered.

    Returns:
        the :class:`~experiments.training.session.TrainingSession` the page should have recorded.
    """
    from playwright.sync_api import expect

    from experiments.training.play import Choice
    from experiments.training.session import Decision, TrainingSession
    from model.interventions import INTERVENTIONS

    session = TrainingSession(name, seed=seed, training=name)
    play = session.new_play()
    director = play.model.director
    answered = 0

    def hours_shown() -> None:
        left, total = director.hours_left, director.weekly_hours()
        page.get_by_text(f"Uren over deze week: {left:g} van {total:g}").wait_for()

    for week in range(1, session.horizon + 1):
        page.get_by_text(f"Week {week} van {session.horizon}").first.wait_for()
        decisions: list[Decision] = []
        if play.waiting:
            firing = play.firing
            options = firing.dilemma.options
            card = page.locator(".v-card").filter(has=page.get_by_role("heading", name=firing.title("nl"), exact=True))
            expect(card.get_by_role("button")).to_have_count(len(options))
            if on_dilemma is not None:
                on_dilemma(page, week, firing, card)
            option = options[(answered + 1) % len(options)]
            label = firing.label(option, "nl")
            card.get_by_role("button", name=label, exact=True).click()
            play.choose(option.id)
            session.choices = [
                *session.choices,
                *[None] * (week - 1 - len(session.choices)),
                Choice(firing.dilemma.id, option.id),
            ]
            answered += 1
            card.get_by_text(f"Uw keuze: {label}", exact=True).wait_for()
            expect(card.get_by_role("button")).to_have_count(0)
            hours_shown()
        if spend(week) and director.hours_left >= INTERVENTIONS["vision_session"].cost / 2:
            hours = min(INTERVENTIONS["vision_session"].cost, director.hours_left)
            button = page.get_by_role("button", name="Inzetten")
            expect(button).to_have_count(1)
            page.get_by_text(f"Uren: {hours:g}").wait_for()
            button.click()
            play.model.apply_intervention("vision_session", targets=None, hours=hours)
            decisions.append(Decision("vision_session", None, hours))
            hours_shown()
        following = page.get_by_role("button", name="Volgende week")
        expect(following).to_have_count(1)
        expect(following).to_be_enabled()
        following.click()
        session.decisions.append(decisions)
        play.step()
    return session


def play_training_on(page: Any, weeks: int, first: int) -> None:
    """Continue a running session for ``weeks`` weeks, from week ``first``, spending on personal contact."""
    for week in range(first, first + weeks):
        page.get_by_text(f"Week {week} van").first.wait_for()
        choose_intervention(page, "persoonlijk contact")
        page.get_by_role("button", name="Inzetten").click()
        page.get_by_text("Deze week ingezet:").locator("xpath=..").get_by_text("u)").first.wait_for()
        page.get_by_role("button", name="Volgende week").click()
        page.wait_for_timeout(300)


def choose(page: Any, select_label: str, option: str) -> None:
    """Pick an option (by the start of its text) in the select labelled ``select_label``."""
    select = page.locator(".v-select").filter(has_text=select_label).first
    select.locator(".v-field").click()
    page.get_by_role("option", name=option).first.click()
    select.get_by_text(option).first.wait_for()


def choose_intervention(page: Any, label: str) -> None:
    """Pick an intervention in the select by (the start of) its Dutch label."""
    choose(page, "Interventie", label)


def switch_language(page: Any) -> None:
    """Flip the Dutch/English switch."""
    page.get_by_label("English").first.click()


def open_debrief(page: Any) -> None:
    page.get_by_role("button", name="Debriefing").click()
    page.get_by_text("Momenten die het verschil maakten").wait_for(timeout=60_000)


def take_screenshots(url: str, out: Path) -> list[Path]:
    """Screenshots of Explore, Training and the debrief into ``out`` (dashboard_*.png)."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with sync_playwright() as p:
        browser = launch(p)
        page = open_page(browser, url)
        page.locator('[data-partner="Politie"] circle').click()
        page.get_by_text("Hoe Politie elke relatie ziet").wait_for()
        for _ in range(12):
            page.get_by_role("button", name="Stap").click()
            page.get_by_text(f"Week {_ + 1} ·").wait_for()
        page.wait_for_timeout(500)
        paths.append(out / "dashboard_explore.png")
        page.screenshot(path=paths[-1])
        play_training(page, weeks=6, horizon=13)
        page.wait_for_timeout(500)
        paths.append(out / "dashboard_training.png")
        page.screenshot(path=paths[-1])
        play_training_on(page, weeks=7, first=7)
        page.get_by_text("Momenten die het verschil maakten").wait_for(timeout=60_000)
        page.set_viewport_size({"width": VIEWPORT["width"], "height": 1500})
        page.get_by_text("Momenten die het verschil maakten").scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        paths.append(out / "dashboard_debrief.png")
        page.screenshot(path=paths[-1])
        page.set_viewport_size(VIEWPORT)
        switch_language(page)
        page.get_by_role("button", name="Next week").wait_for()
        page.wait_for_timeout(500)
        paths.append(out / "dashboard_training_en.png")
        page.screenshot(path=paths[-1])
        page.context.close()
        browser.close()
    return paths


def take_training_screenshots(url: str, out: Path) -> list[Path]:
    """Screenshots of a training scenario's briefing, its first dilemma and the debrief after its 12 weeks (every
    dilemma answered by clicking, :func:`play_training_scenario`) into ``out`` (training_*.png, the figures of
    ``docs/training.md``)."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with sync_playwright() as p:
        browser = launch(p)
        page = open_page(browser, url)
        page.get_by_role("button", name="Training").click()
        page.get_by_role("button", name="Start training").wait_for()
        choose(page, "Of: een oefenscenario", "Jeugdaanpak na een ernstig incident")
        page.get_by_text("Leerdoel (voor de trainer)").wait_for()
        page.wait_for_timeout(500)
        paths.append(out / "training_briefing.png")
        page.screenshot(path=paths[-1])
        page.get_by_role("button", name="Start training").click()
        page.get_by_text("Eerst de taken en rollen verdelen?").wait_for()
        page.wait_for_timeout(500)
        paths.append(out / "training_dilemma.png")
        page.screenshot(path=paths[-1])
        play_training_scenario(page, "jeugd_na_incident", seed=1)  # 12 weeks, every dilemma answered
        page.get_by_text("Momenten die het verschil maakten").wait_for(timeout=120_000)
        page.set_viewport_size({"width": VIEWPORT["width"], "height": 1500})
        page.get_by_role("heading", name="Wat er gebeurde, begrip voor begrip").scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        paths.append(out / "training_debrief.png")
        page.screenshot(path=paths[-1])
        page.context.close()
        browser.close()
    return paths


def command_line(argv: list[str] | None = None) -> int:
    """``python -m dashboards.screenshots [FOLDER] [--training]``: remake the dashboard's figures of the docs."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboards.screenshots",
        description="Start the dashboard, click through it in Chromium and write the docs' screenshots.",
    )
    parser.add_argument("folder", nargs="?", default="docs/figures", help="where to write them (docs/figures)")
    parser.add_argument("--training", action="store_true", help="only the figures of docs/training.md")
    args = parser.parse_args(argv)
    target = Path(args.folder)
    port = free_port()
    server = start_dashboard(port)
    try:
        if not args.training:
            for path in take_screenshots(f"http://127.0.0.1:{port}/", target):
                print(path)
        for path in take_training_screenshots(f"http://127.0.0.1:{port}/", target):
            print(path)
    finally:
        stop_dashboard(server)
    return 0


if __name__ == "__main__":
    sys.exit(command_line())
