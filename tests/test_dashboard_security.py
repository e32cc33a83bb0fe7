"""The dashboard against hostile input: user text is shown as text in every renderer, the server answers only
allowed hosts and origins, and uploads and session files are bounded and checked before anything is built."""

from __future__ import annotations

import asyncio
import html.parser
import io
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import ipyvue
import ipyvuetify as v
import ipywidgets
import numpy as np
import pytest
import solara

from dashboards import app, explore, server, state, training
from dashboards.debrief import compute_debrief, debrief_html, debrief_png
from dashboards.explore import relations_html
from dashboards.network_view import line_chart_svg, network_svg, timeseries_svgs
from dashboards.safe_text import dashboard_message, figure_text, file_name_part, html_text, one_line
from dashboards.session import (
    MAX_DECISIONS_PER_WEEK,
    Decision,
    TrainingSession,
    load_session_file,
    read_session_file,
)
from experiments.cli import main
from model import CollaborationModel, parse_scenario
from model.inputs import DASHBOARD_LIMITS, InputError, Limits, using_limits
from tests.corpus.dashboard import CASES, GENERATED, HOSTILE, MINI, partners_toml, session

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_TOML = partners_toml([*HOSTILE, "Gewoon"], name="vijandig").replace(
    'name = "vijandig"', 'name = "vijandig"\ntitle = "<script>alert(1)</script> $\\\\frac{1}{0}$"'
)
#: what must never reach a Vue template (Solara's Markdown) from the names above
TEMPLATE_MARKERS = ("onerror=alert", "alert(1)", "1+1", "javascript:alert", "**bold**", "<strong>bold</strong>")


# ---- helpers ----------------------------------------------------------------------------------------------------


class _Markup(html.parser.HTMLParser):
    """Collects the elements, attributes and text of an HTML or SVG fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def assert_inert(markup: str) -> str:
    """``markup`` holds no element or attribute that runs or loads anything; returns its text."""
    parsed = _Markup()
    parsed.feed(markup)
    parsed.close()
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "iframe", "object", "embed", "a", "form", "link", "base"), tag
        assert tag != "meta" or [n for n, _ in attrs] == ["charset"], attrs
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "xlink:href", "action", "formaction", "style"):
                assert "javascript:" not in (value or "").lower() and "url(" not in (value or ""), (tag, name)
        if tag == "img":
            assert dict(attrs).get("src", "").startswith("data:image/png;base64,"), attrs
    return "".join(parsed.text)


def hostile_model(**params) -> CollaborationModel:
    return CollaborationModel(scenario=parse_scenario(HOSTILE_TOML, "vijandig.toml"), rng=3, **params)


def _drop(name: str, data: bytes, size: int | None = None) -> dict:
    return {"name": name, "size": len(data) if size is None else size, "file_obj": io.BytesIO(data)}


def widgets_shown(rc) -> list:
    """Every widget on the page: the render tree walked through all traits that hold widgets."""
    seen: dict[int, ipywidgets.Widget] = {}
    todo = list(rc.find().widgets)

    def collect(value):
        if isinstance(value, ipywidgets.Widget):
            todo.append(value)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)

    while todo:
        w = todo.pop()
        if id(w) in seen:
            continue
        seen[id(w)] = w
        for name in w.trait_names():
            if name not in ("comm", "keys", "log"):
                collect(getattr(w, name, None))
    return list(seen.values())


def assert_page_shows_user_text_as_text(rc) -> list[str]:
    """No user text reaches a Vue template; HTML and SVG strings are inert. Returns the page's text nodes."""
    texts = []
    widgets = widgets_shown(rc)
    assert len(widgets) > 30
    for w in widgets:
        if isinstance(w, solara.widgets.HTML):
            assert_inert(w.unsafe_innerHTML or "")
        elif isinstance(w, ipyvue.VueTemplate):
            template = w.template if isinstance(w.template, str) else getattr(w.template, "template", "")
            for marker in TEMPLATE_MARKERS:
                assert marker not in (template or ""), (marker, type(w).__name__)
            if isinstance(getattr(w, "svg", None), str):
                assert_inert(w.svg)
        for child in getattr(w, "children", None) or []:
            if isinstance(child, str):
                texts.append(child)
    return texts


@pytest.fixture
def page():
    app.reset()
    box, rc = solara.render(app.Page(), handle_error=False)
    yield rc
    explore.playing.set(False)
    rc.close()
    app.reset()


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).assert_single()
    rc.find(v.Btn, children=[label]).widget.click()


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


# ---- escaping, renderer by renderer -----------------------------------------------------------------------------


def test_the_helpers_escape_html_and_mathematics_and_clean_file_names():
    assert html_text('<img src=x onerror="a">&') == "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;"
    assert figure_text("$\\frac{1}{0}$") == "\\$\\frac{1}{0}\\$"
    assert one_line("a\nb\x07c" + "x" * 300, 20) == "a b c" + "x" * 14 + "…"
    assert file_name_part("../../<b>x</b> y") == "b_x_b_y"
    assert dashboard_message("partners = 9 is more than the limit of 2 (raise it with --limit partners=N)") == (
        "partners = 9 is more than the limit of 2 (a limit of the dashboard)"
    )


def test_the_partner_table_escapes_partner_names():
    m = hostile_model()
    for partner in m.partners:
        text = assert_inert(relations_html(partner.relations(), "nl"))
        others = [r["partner"] for r in partner.relations()]
        for name in others:
            assert name in text  # the literal name, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in relations_html(m.partners[1].relations(), "en")


def test_the_network_svg_escapes_names_in_labels_tooltips_and_attributes():
    m = hostile_model()
    for selected in (None, HOSTILE[0]):
        svg, _, _ = network_svg(m, "nl", selected)
        text = assert_inert(svg)
        root = ET.fromstring(svg)  # well-formed: no name broke out of its attribute or element
        picked = [g.get("data-partner") for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-partner")]
        assert picked == m.state.names  # a click hands back the exact name
        for name in HOSTILE:
            assert name in text


def test_the_charts_escape_titles_and_labels():
    svg = line_chart_svg(np.arange(5), [(HOSTILE[0], np.arange(5.0), "#111")], HOSTILE[2], legend=True)
    assert HOSTILE[0] in assert_inert(svg) and HOSTILE[2] in assert_inert(svg)
    ET.fromstring(svg)
    for chart in timeseries_svgs(hostile_model()):
        assert_inert(chart)


def _hostile_session(weeks: int = 3) -> TrainingSession:
    s = TrainingSession("vijandig", seed=2, horizon=weeks, scenario_toml=HOSTILE_TOML)
    m = s.new_model()
    for _ in range(weeks):
        before = m.director.hours_left
        after = m.apply_intervention("personal_contact", targets=HOSTILE[:2], hours=2.0)
        s.decisions.append([Decision("personal_contact", HOSTILE[:2], before - after)])
        m.step()
    return s


def test_the_debrief_export_escapes_names_and_titles_and_its_figure_takes_dollars_literally():
    d = compute_debrief(_hostile_session())
    page = debrief_html(d, "en")
    text = assert_inert(page)
    assert "<script>alert(1)</script>" in text  # the scenario's title, shown as text
    assert HOSTILE[0] in text  # a target named in the moments
    assert "<script" not in page and "onerror=" not in page.replace("onerror=alert(1)&gt;", "")
    assert debrief_png(d, "en")[:8] == b"\x89PNG\r\n\x1a\n"  # "$\frac{1}{0}$" is not read as mathematics


def test_explore_shows_hostile_names_only_as_text(page):
    explore.on_upload(_drop("vijandig.toml", HOSTILE_TOML.encode()))
    assert explore.scenario.value == "vijandig"
    explore.selected.set(HOSTILE[1])
    texts = assert_page_shows_user_text_as_text(page)
    assert f"Hoe {HOSTILE[1]} elke relatie ziet" in texts
    tables = [w.unsafe_innerHTML for w in page.find(solara.widgets.HTML).widgets if "relations" in w.unsafe_innerHTML]
    assert HOSTILE[0] in assert_inert(tables[0])
    assert any(HOSTILE[2] in s for w in page.find(v.Select).widgets for s in map(str, w.items or []))


def test_training_and_its_debrief_show_hostile_names_only_as_text(page):
    explore.on_upload(_drop("vijandig.toml", HOSTILE_TOML.encode()))
    page.find(v.BtnToggle).widget.v_model = "Training"
    training.setup_scenario.set("vijandig")
    training.setup_horizon.set(13)
    click(page, "Start training")
    training.choose("personal_contact")
    training.targets.set(HOSTILE[2:4])
    click(page, "Inzetten")
    texts = assert_page_shows_user_text_as_text(page)
    assert any(HOSTILE[2] in t for t in texts)  # "Deze week ingezet: persoonlijk contact (... {{ 1+1 }}, ...)"
    for _ in range(3):
        click(page, "Volgende week")
    training.selected.set(HOSTILE[0])
    click(page, "Debriefing")
    wait_for(lambda: training.debrief.value is not None)
    wait_for(lambda: any("Debriefing als HTML" in str(w.children) for w in page.find(v.Btn).widgets), 20)
    texts = assert_page_shows_user_text_as_text(page)
    assert f"Hoe {HOSTILE[0]} elke relatie ziet" in texts
    assert any(HOSTILE[3] in t for t in texts)  # the moments name the targets, in a list of text


def test_the_training_session_download_gets_a_plain_file_name(page):
    bad = "../<img src=x>"
    explore.on_upload(_drop("x.toml", MINI.replace('name = "mini"', f'name = "{bad}"').encode()))
    page.find(v.BtnToggle).widget.v_model = "Training"
    training.setup_scenario.set(bad)
    click(page, "Start training")
    names = [w.filename for w in widgets_shown(page) if hasattr(w, "filename") and w.filename]
    assert names and all("/" not in n and "<" not in n for n in names), names


@pytest.mark.skipif(app.WhatIfTab is None, reason="the what-if tab is not installed")
def test_the_what_if_tab_shows_hostile_names_only_as_text(page):
    explore.on_upload(_drop("vijandig.toml", HOSTILE_TOML.encode()))
    page.find(v.BtnToggle).widget.v_model = "Wat als"
    scenario_select = next(w for w in page.find(v.Select).widgets if w.label == "Scenario")
    scenario_select.v_model = "vijandig"
    click(page, "Verwijder deze partner")  # the first partner: the <img ...> one
    name_field = next(w for w in page.find(v.TextField).widgets if w.label == "Naam van de variant")
    name_field.v_model = HOSTILE[1]
    name_field.fire_event("focusout", None)  # what the browser sends when the field loses focus
    texts = assert_page_shows_user_text_as_text(page)
    assert any(HOSTILE[0] in t for t in texts)  # "Verwijder partner <img ...>" as a list item of text
    sliders = {w.label: w for w in page.find(v.Slider).widgets}
    sliders["Herhalingen (seeds)"].v_model = 2
    sliders["Weken"].v_model = 4
    click(page, "Vergelijk")
    wait_for(lambda: any(f"Uitkomst: {HOSTILE[1]}" in t for t in assert_page_shows_user_text_as_text(page)), 120)


# ---- the server: hosts and origins -------------------------------------------------------------------------------


class _Inner:
    """An ASGI app that answers every request (and accepts every WebSocket), counting what reached it."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        if scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _headers(host: str | None, origin: str | None) -> list[tuple[bytes, bytes]]:
    out = []
    if host is not None:
        out.append((b"host", host.encode("latin-1")))
    if origin is not None:
        out.append((b"origin", origin.encode("latin-1")))
    return out


def http(app, host: str | None, origin: str | None = None, extra: list | None = None) -> tuple[int, bytes]:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": _headers(host, origin) + (extra or [])}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def websocket(app, host: str | None, origin: str | None) -> str:
    """What the app answered a WebSocket handshake: ``websocket.accept`` or ``websocket.close``."""
    sent, incoming = [], [{"type": "websocket.connect"}]

    async def receive():
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message):
        sent.append(message)

    scope = {"type": "websocket", "path": "/jupyter/api/kernels/k/channels", "headers": _headers(host, origin)}
    asyncio.run(app(scope, receive, send))
    return sent[0]["type"]


@pytest.fixture
def guarded():
    inner = _Inner()
    return server.HostGuard(inner, server.allowed_hosts("127.0.0.1", 8765)), inner


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8765", "127.0.0.1", "localhost:8765", "LOCALHOST", "[::1]:8765", "[::1]"],
)
def test_loopback_hosts_are_served(guarded, host):
    app_, inner = guarded
    assert http(app_, host) == (200, b"ok") and inner.calls == 1


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("attacker.example:8765", 403),  # DNS rebinding: the attacker's name resolves to 127.0.0.1
        ("attacker.example", 403),
        ("127.0.0.1.attacker.example:8765", 403),
        ("localhost.:8765", 403),
        ("127.0.0.1:9999", 403),  # another port of this machine
        ("0.0.0.0:8765", 403),
        ("", 400),
        (None, 400),
        ("127.0.0.1:8765:1", 400),
        ("[::1", 400),
        ("exa mple", 400),
        ("x" * 400, 400),
    ],
)
def test_other_hosts_are_refused_before_the_app_sees_them(guarded, host, status):
    app_, inner = guarded
    code, body = http(app_, host)
    assert code == status and inner.calls == 0
    assert b"127.0.0.1" in body and b"--allowed-host" in body and b"<" not in body


def test_two_host_headers_are_refused(guarded):
    app_, inner = guarded
    assert http(app_, "127.0.0.1:8765", extra=[(b"host", b"attacker.example")])[0] == 400 and inner.calls == 0


def test_an_http_request_from_a_page_of_another_site_is_refused(guarded):
    app_, inner = guarded
    assert http(app_, "127.0.0.1:8765", "http://attacker.example")[0] == 403
    assert http(app_, "127.0.0.1:8765", "null")[0] == 403
    assert http(app_, "127.0.0.1:8765", "http://127.0.0.1:8765")[0] == 200  # the page itself
    assert inner.calls == 1


@pytest.mark.parametrize(
    ("origin", "answer"),
    [
        ("http://127.0.0.1:8765", "websocket.accept"),
        ("http://localhost:8765", "websocket.accept"),
        ("http://[::1]:8765", "websocket.accept"),
        ("http://attacker.example:8765", "websocket.close"),
        ("http://attacker.example", "websocket.close"),
        ("http://127.0.0.1:3000", "websocket.close"),  # another page on this machine
        ("null", "websocket.close"),
        ("file://", "websocket.close"),
        ("http://127.0.0.1:8765/path", "websocket.close"),
        (None, "websocket.close"),
    ],
)
def test_websockets_need_an_allowed_origin(guarded, origin, answer):
    app_, inner = guarded
    assert websocket(app_, "127.0.0.1:8765", origin) == answer
    assert inner.calls == (1 if answer == "websocket.accept" else 0)


def test_a_websocket_with_a_rebound_host_is_refused_even_from_an_allowed_origin(guarded):
    app_, inner = guarded
    assert websocket(app_, "attacker.example:8765", "http://127.0.0.1:8765") == "websocket.close"
    assert inner.calls == 0


def test_lifespan_events_pass_through(guarded):
    app_, inner = guarded

    async def nothing():
        return {"type": "lifespan.startup"}

    async def ignore(message):
        return None

    asyncio.run(app_({"type": "lifespan"}, nothing, ignore))
    assert inner.calls == 1


def test_a_classroom_allows_the_names_given_and_nothing_else():
    allowed = server.allowed_hosts("0.0.0.0", 8765, ["klaslokaal-pc", "192.168.1.20", "proxy.example:443"])
    assert allowed.allows("klaslokaal-pc", 8765) and allowed.allows("klaslokaal-pc", None)
    assert allowed.allows("192.168.1.20", 8765) and allowed.allows("proxy.example", 443)
    assert not allowed.allows("proxy.example", 8765) and not allowed.allows("0.0.0.0", 8765)
    assert not allowed.allows("other-pc", 8765)
    assert allowed.allows("127.0.0.1", 8765)  # the machine itself still opens it
    bound = server.allowed_hosts("192.168.1.20", 8765)
    assert bound.allows("192.168.1.20", 8765)  # an address given with --host is allowed by itself
    assert server.allowed_hosts("::1", 8765).allows("::1", 8765)


@pytest.mark.parametrize("name", ["*", "0.0.0.0", "http://x.example", "a b", "", "x.example:99999", "x/y", "[::1"])
def test_a_bad_allowed_host_is_refused(name):
    with pytest.raises(InputError, match="--allowed-host"):
        server.allowed_hosts("0.0.0.0", 8765, [name])


def test_the_command_line_refuses_a_bad_allowed_host_before_it_starts_anything(capsys):
    assert main(["dashboard", "--allowed-host", "http://evil.example"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--allowed-host" in err[0]


def test_the_command_line_says_when_the_port_is_taken(capsys):
    taken = server.listening_socket("127.0.0.1", 0)
    taken.listen()
    try:
        assert main(["dashboard", "--port", str(taken.getsockname()[1])]) == 2
    finally:
        taken.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot listen on 127.0.0.1" in err[0]


GUARDED_SOLARA = """
import asyncio, json, sys
from dashboards import server
app = server.build_app(server.allowed_hosts("127.0.0.1", 8765))
out = {"inner": type(app.app).__name__}

def http(host, path="/readyz"):
    sent = []
    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}
    async def send(m):
        sent.append(m)
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http", "path": path,
             "raw_path": path.encode(), "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5),
             "server": ("127.0.0.1", 8765), "headers": [(b"host", host.encode())]}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"]

def ws(origin):
    sent, incoming = [], [{"type": "websocket.connect"}]
    async def receive():
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}
    async def send(m):
        sent.append(m)
    scope = {"type": "websocket", "scheme": "ws", "path": "/jupyter/api/kernels/x/channels", "raw_path": b"",
             "query_string": b"session_id=y", "root_path": "", "client": ("127.0.0.1", 5),
             "server": ("127.0.0.1", 8765), "subprotocols": [],
             "headers": [(b"host", b"127.0.0.1:8765"), (b"origin", origin.encode())]}
    asyncio.run(app(scope, receive, send))
    return sent[0]["type"]

out["good_host"] = http("127.0.0.1:8765")
out["bad_host"] = http("rebound.example:8765")
out["bad_host_page"] = http("rebound.example:8765", "/")
out["bad_origin_ws"] = ws("http://rebound.example:8765")
import solara.server.settings as settings
out["mode"] = settings.main.mode
print(json.dumps(out))
"""


def test_solaras_app_is_served_behind_the_guard_in_production_mode():
    env = {**os.environ, "SOLARA_MODE": "development"}  # the dashboard sets production mode itself
    done = subprocess.run(
        [sys.executable, "-c", GUARDED_SOLARA], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["inner"] == "Starlette" and out["mode"] == "production"
    assert out["good_host"] != 403 and out["bad_host"] == 403 and out["bad_host_page"] == 403
    assert out["bad_origin_ws"] == "websocket.close"


# ---- uploads ------------------------------------------------------------------------------------------------------


def test_uploads_are_bounded_by_the_dashboards_limits_whatever_limits_are_in_force():
    huge = Limits(partners=10**7, steps=10**6, file_bytes=10**9, text=10**6)
    with using_limits(huge):
        with pytest.raises(InputError, match="limit of 2,000"):
            state.read_upload("big.toml", partners_toml([f"p{i}" for i in range(2001)]).encode(), "en")
        with pytest.raises(InputError, match="limit of 2,000"):
            state.read_upload("gen.toml", GENERATED.format(n=1_000_000).encode(), "en")
        with pytest.raises(InputError, match="larger than 5 MB"):
            state.read_upload("big.toml", b"#" * (DASHBOARD_LIMITS.file_bytes + 1), "en")


def test_a_file_announced_as_too_large_is_not_read():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read")

    name, data = state.read_file_drop({"name": "x.toml", "size": 10**9, "file_obj": Unreadable()})
    assert name == "x.toml" and data is None
    name, data = state.read_file_drop(_drop("y.toml", b"#" * (DASHBOARD_LIMITS.file_bytes + 5), size=3))
    assert data is None  # the browser announced less than it sent: what was read counts


def test_a_too_large_upload_in_the_page_says_so_and_changes_nothing(page):
    before = explore.model.value
    explore.on_upload({"name": "huge.toml", "size": 10**9, "file_obj": None})
    assert explore.model.value is before and state.uploads.value == {}
    assert state.upload_message.value[0] == "error" and "groter dan 5 MB" in state.upload_message.value[1]


def test_an_upload_that_crashes_the_reader_leaves_nothing_behind(page, monkeypatch):
    names = state.scenario_names()

    def crash(*args, **kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(state, "CollaborationModel", crash)
    before = explore.model.value
    explore.on_upload(_drop("mini.toml", MINI.encode()))
    assert state.uploads.value == {} and state.scenario_names() == names
    assert explore.model.value is before and explore.scenario.value == "jeugdaanpak"
    assert state.upload_message.value == (
        "error",
        "Bestand mini.toml kon niet worden gelezen (RuntimeError); er is niets veranderd.",
    )


def test_an_upload_whose_model_cannot_be_built_in_explore_is_taken_off_the_list(page, monkeypatch):
    real = explore.CollaborationModel

    def refuse_uploads(*, scenario, **kwargs):
        if not isinstance(scenario, str):
            raise InputError("this network cannot be built")
        return real(scenario=scenario, **kwargs)

    monkeypatch.setattr(explore, "CollaborationModel", refuse_uploads)
    explore.on_upload(_drop("mini.toml", MINI.encode()))
    assert state.uploads.value == {} and "mini" not in state.scenario_names()
    assert explore.scenario.value == "jeugdaanpak" and explore.model.value.scenario_name == "jeugdaanpak"
    assert "cannot be built" in state.upload_message.value[1]


def test_a_page_keeps_at_most_a_few_dozen_uploads(page):
    for k in range(state.MAX_UPLOADS):
        assert state.handle_upload(f"s{k}.toml", MINI.replace('"mini"', f'"s{k}"').encode()) == f"s{k}"
    assert state.handle_upload("one-more.toml", MINI.replace('"mini"', '"one-more"').encode()) is None
    assert "one-more" not in state.uploads.value and len(state.uploads.value) == state.MAX_UPLOADS
    assert state.handle_upload("s0.toml", MINI.replace('"mini"', '"s0"').encode()) == "s0"  # replacing is fine


@pytest.mark.timeout(60)  # a guard against a stall, not a speed goal
def test_a_file_with_millions_of_values_is_refused_before_it_is_parsed(monkeypatch):
    import model.inputs

    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(model.inputs.tomllib, "loads", never)
    with pytest.raises(InputError, match="more than 300,000 values"):
        state.read_upload("numbers.toml", ("x = [" + "1," * 2_500_000 + "]").encode(), "en")


def test_the_page_opens_only_scenarios_of_its_list_never_a_path(page):
    before = explore.model.value
    for path in ("/etc/passwd", str(ROOT / "model" / "data" / "jeugdaanpak.toml"), "../x.toml"):
        explore.set_scenario(path)
        assert explore.model.value is before and explore.scenario.value == "jeugdaanpak"
        assert explore.error.value and "unknown scenario" in explore.error.value
        with pytest.raises(InputError, match="unknown scenario"):
            state.scenario_argument(path)
    training.start(scenario="/etc/passwd")
    assert training.session.value is None and "unknown scenario" in training.message.value[1]


def test_explore_cannot_ask_for_more_partners_than_the_limit(page):
    assert explore.slider_range("n_partners")[1] == DASHBOARD_LIMITS.partners
    explore.set_scenario("synthetic")
    before = explore.model.value
    explore.set_parameter("n_partners", 1_000_000)  # what a crafted message from the page could send
    assert explore.model.value is before
    assert "limit of 2,000" in explore.error.value and "--limit" not in explore.error.value


def test_hours_that_are_not_a_number_are_refused_in_training(page):
    page.find(v.BtnToggle).widget.v_model = "Training"
    click(page, "Start training")
    m = training.model.value
    for bad in (float("nan"), float("inf"), None, "2", -1.0):
        training.hours.set(bad)
        training.apply()
        assert m.director.hours_left == 16 and training.message.value[0] == "error", bad
    assert training.pending.value == []


def test_a_click_on_something_that_is_not_a_partner_selects_nothing(page):
    page.find(v.BtnToggle).widget.v_model = "Training"
    click(page, "Start training")
    training.choose("vision_session")
    training._pick("<img src=x onerror=alert(1)>")
    assert training.selected.value is None and training.targets.value == []
    training._pick("Politie")
    assert training.selected.value == "Politie" and training.targets.value == ["Politie"]


# ---- sessions -----------------------------------------------------------------------------------------------------


@pytest.mark.timeout(60)  # a guard against building the network, not a speed goal
def test_a_session_asking_for_a_million_partners_is_refused_at_once(monkeypatch):
    import model.scenarios

    def never(*args, **kwargs):
        raise AssertionError("the network was built")

    monkeypatch.setattr(model.scenarios, "small_world_edges", never)
    with pytest.raises(InputError, match=r"n_partners = 1,000,000 is more than the limit of 2,000"):
        read_session_file(session(scenario="synthetic", params={"n_partners": 1_000_000}).encode(), "s.json")


def test_sessions_are_bounded_by_the_dashboards_limits_whatever_limits_are_in_force():
    with using_limits(Limits(partners=10**7, steps=10**6, file_bytes=10**9)):
        with pytest.raises(InputError, match="limit of 2,000"):
            read_session_file(session(scenario="synthetic", params={"n_partners": 5000}).encode(), "s.json")
        with pytest.raises(InputError, match=r"horizon = 600 is outside \[1, 520\]"):
            read_session_file(session(horizon=600).encode(), "s.json")
        with pytest.raises(InputError, match="larger than 5 MB"):
            read_session_file(b" " * (DASHBOARD_LIMITS.file_bytes + 1), "s.json")


@pytest.mark.parametrize(
    ("hours", "expected"),
    [("NaN", "contains NaN"), ("Infinity", "contains Infinity"), ("-Infinity", "contains -Infinity"), ("0", "outside")],
)
def test_hours_must_be_a_finite_positive_number(hours, expected):
    text = session().replace('"hours": 12.0', f'"hours": {hours}')
    with pytest.raises(InputError, match=expected):
        read_session_file(text.encode(), "s.json")


def test_every_decision_is_checked_before_the_replay():
    week = [{"intervention": "vision_session", "targets": None, "hours": 0.1}] * (MAX_DECISIONS_PER_WEEK + 1)
    with pytest.raises(InputError, match="must have 0 to 64 items"):
        read_session_file(session(decisions=[week]).encode(), "s.json")
    bad = [[{"intervention": "personal_contact", "targets": ["Politie", "Nobody"], "hours": 2}]]
    with pytest.raises(InputError, match="'Nobody', which is not a partner"):
        read_session_file(session(decisions=bad).encode(), "s.json")


def test_a_loaded_session_is_replayed_once(monkeypatch, page):
    s = TrainingSession("jeugdaanpak", seed=4, horizon=6)
    m = s.new_model()
    for _ in range(3):
        before = m.director.hours_left
        s.decisions.append([Decision("vision_session", None, before - m.apply_intervention("vision_session"))])
        m.step()
    data = s.to_json().encode()

    def no_replay(self, weeks=None):
        raise AssertionError("replayed again")

    monkeypatch.setattr(TrainingSession, "replay", no_replay)
    steps = []
    real_step = CollaborationModel.step
    monkeypatch.setattr(CollaborationModel, "step", lambda self: (steps.append(1), real_step(self))[1])
    training.load_session("s.json", data)
    assert training.message.value[0] == "success", training.message.value
    assert training.session.value == s and training.model.value.steps == 3 and len(steps) == 3


def test_a_bad_session_in_the_page_keeps_the_current_one_and_says_why_in_one_line(page):
    page.find(v.BtnToggle).widget.v_model = "Training"
    click(page, "Start training")
    current = training.session.value
    text = session().replace('"hours": 12.0', '"hours": NaN')
    training.load_session("<b>x.json", text.encode())
    assert training.session.value is current
    kind, message = training.message.value
    assert kind == "error" and "contains NaN" in message and "<b>x.json" in message and "\n" not in message
    training.load_session("big.json", None)
    assert training.session.value is current and "larger than 5 MB" in training.message.value[1]


def test_a_session_that_crashes_the_reader_keeps_the_current_one(page, monkeypatch):
    page.find(v.BtnToggle).widget.v_model = "Training"
    click(page, "Start training")
    current = training.session.value

    def crash(*args, **kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(training, "load_session_file", crash)
    training.load_session("s.json", session().encode())
    assert training.session.value is current and "RuntimeError" in training.message.value[1]


def test_a_session_round_trips_with_hostile_names_and_json_without_nan():
    s = _hostile_session(2)
    text = s.to_json()
    loaded, model = load_session_file(text.encode(), "s.json")
    assert loaded == s and model.steps == 2
    s.decisions[0][0].hours = float("nan")
    with pytest.raises(ValueError):
        s.to_json()  # never written, so never read back


# ---- the corpus -----------------------------------------------------------------------------------------------------


def test_the_dashboard_corpus_is_large_and_well_formed():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)) and len(CASES) >= 45
    assert {c.runner for c in CASES} == {"session", "upload"}
    for c in CASES:
        assert set(c.files) == {"session.json" if c.runner == "session" else "upload.toml"}, c.id
        assert c.exit in (0, 2) and (c.exit == 0 or c.message), c.id


def test_a_debrief_too_large_for_the_counterfactuals_leaves_the_moments_out_and_says_so(monkeypatch):
    from experiments.training import debrief

    assert debrief.counterfactual_work(104, 27) <= debrief.MAX_COUNTERFACTUAL_WORK  # the page's longest horizon
    assert debrief.counterfactual_work(520, 2000) > 100 * debrief.MAX_COUNTERFACTUAL_WORK  # a crafted file
    monkeypatch.setattr(debrief, "MAX_COUNTERFACTUAL_WORK", 100)
    d = compute_debrief(_hostile_session(3))
    assert d.moments_skipped and d.moments == [] and d.partners == len(HOSTILE) + 1
    assert "too large to replay every week" in debrief_html(d, "en")
    assert set(d.paths) == {"you", *debrief.STRATEGIES}


def test_a_comparison_asks_no_more_than_the_what_if_tab_offers():
    from dashboards import whatif
    from experiments.variants import Variant

    variant = Variant(name="v", source="test", governance="shared")
    for replications, steps in ((200, 26), (2, 520), (10**9, 4)):
        with pytest.raises(InputError, match="outside"):
            whatif._run("jeugdaanpak", variant, replications, steps, 1, lambda done, total: None)


def test_the_what_if_figures_take_dollars_in_names_literally():
    from dashboards import whatif
    from experiments.variants import Variant

    scenario = parse_scenario(partners_toml(["$\\foo$", "B", "C", "D"]), "x.toml")
    comparison = whatif._run(scenario, Variant(name="$\\bar$", source="t", remove_partner=["D"]), 2, 3, 1, None)
    for figure in whatif._figures(comparison, "en"):
        if figure is not None:
            figure.savefig(io.BytesIO(), format="png")  # mathematics would fail on \foo and \bar


HOSTILE_DILEMMAS = """
[[dilemma]]
id = "vijandig"
title_nl = "<img src=x onerror=alert(1)> {{ 1+1 }}"
title_en = "<img src=x onerror=alert(1)> {{ 1+1 }}"
text_nl = "**bold** [link](javascript:alert(1)) <strong>bold</strong>"
text_en = "**bold** [link](javascript:alert(1)) <strong>bold</strong>"
[dilemma.when]
weeks = [1, 12]
[[dilemma.option]]
id = "een"
label_nl = "{{ $options.constructor.constructor('alert(1)')() }}"
label_en = "{{ $options.constructor.constructor('alert(1)')() }}"
actions = [{ do = "intervention", intervention = "equal_footing", hours = 4 }]
[[dilemma.option]]
id = "twee"
label_nl = "<script>alert(1)</script>"
label_en = "<script>alert(1)</script>"
actions = [{ do = "set", setting = "blame_culture", value = 0.2, weeks = 2 }]
"""


def test_a_trainers_own_dilemmas_show_only_as_text(page):
    s = TrainingSession(
        "jeugd_na_incident", seed=2, horizon=12, training="jeugd_na_incident", dilemmas_toml=HOSTILE_DILEMMAS
    )
    page.find(v.BtnToggle).widget.v_model = "Training"
    training.load_session("sessie.json", s.to_json().encode())
    assert training.play.value is not None and training.play.value.waiting
    texts = assert_page_shows_user_text_as_text(page)
    assert "<img src=x onerror=alert(1)> {{ 1+1 }}" in texts
    assert "**bold** [link](javascript:alert(1)) <strong>bold</strong>" in texts
    click(page, "<script>alert(1)</script>")  # an option's label is the button's text
    assert training.session.value.choices[0].option == "twee"
    texts = assert_page_shows_user_text_as_text(page)
    assert "Uw keuze: <script>alert(1)</script>" in texts
    click(page, "Volgende week")
    click(page, "Debriefing")  # the debrief names the dilemma, its answer and every option: as text
    wait_for(lambda: training.debrief.value is not None)
    wait_for(lambda: any("Debriefing als HTML" in str(w.children) for w in page.find(v.Btn).widgets), 20)
    texts = assert_page_shows_user_text_as_text(page)
    assert "Week 1: <img src=x onerror=alert(1)> {{ 1+1 }}" in texts
    assert "Uw keuze: <script>alert(1)</script>" in texts
    assert "{{ $options.constructor.constructor('alert(1)')() }}" in texts  # the option not chosen, in its table
