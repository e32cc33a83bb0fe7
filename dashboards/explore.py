"""Explore: pick a scenario (or upload one), set parameters, and watch the network week by week.

Controls are generated from the parameter declarations (:data:`model.parameters.PARAMETERS`): sliders within the
declared range, selects for choices. Changing a control, the scenario or the seed builds a new model (a reset).
Play steps in a background thread, so the page stays responsive. Models are built under the dashboard's limits
(:data:`model.inputs.DASHBOARD_LIMITS`), whatever a control sends.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import solara

from dashboards import state
from dashboards.i18n import metric_label, parameter_label, strategy_label, tr
from dashboards.network_view import network_svg, timeseries_svgs
from dashboards.safe_text import Line, dashboard_message, html_text
from dashboards.session import MAX_SEED
from model import CollaborationModel, list_scenarios, load_scenario
from model.inputs import DASHBOARD_LIMITS, using_limits
from model.parameters import PARAMETERS, STRATEGY_NAMES, names_in
from model.switches import SWITCHES

PLAY_INTERVAL = 0.15  # seconds between weeks while playing
MAIN_PARAMETERS = names_in("network", "director")  # the sliders shown first; the rest under "more settings"
UI_INT_MAX = DASHBOARD_LIMITS.partners  # sliders of unbounded integers (n_partners) stop here
NOT_CONTROLLED = ("scenario", "strategy", "collect_agents")

scenario = solara.reactive("jeugdaanpak")
seed = solara.reactive(1)
params: solara.Reactive[dict[str, Any]] = solara.reactive({"strategy": "balanced"})
switches: solara.Reactive[dict[str, bool]] = solara.reactive({})  # switched off or on by hand (model.switches)
model: solara.Reactive[CollaborationModel | None] = solara.reactive(None)
version = solara.reactive(0)
playing = solara.reactive(False)
_stepping = threading.Lock()  # held while the play task computes a week; Pause waits for it
error: solara.Reactive[str | None] = solara.reactive(None)
selected: solara.Reactive[str | None] = solara.reactive(None)
layer = solara.reactive("floor")  # the network view's layer: the work floor or the boards (switch layers)


def slider_range(name: str) -> tuple[float, float, float]:
    """(min, max, step) of a parameter's slider: inside the declared range, so a control cannot go out of it."""
    p = PARAMETERS[name]
    step = p.step or (1 if p.kind == "int" else 0.05)
    low = p.low if p.low is not None else 0.0
    if p.low_open:
        low += step
    high = p.high if p.high is not None else low + 100 * step
    if p.kind == "int":
        high = min(high, UI_INT_MAX)
    return low, high, step


def build_model() -> None:
    """A new model from the current scenario, seed and parameters; a refused setting leaves the old model."""
    playing.set(False)
    try:
        with using_limits(DASHBOARD_LIMITS):
            values = {k: v for k, v in params.value.items() if k != "n_partners" or _generated(scenario.value)}
            new = CollaborationModel(
                scenario=state.scenario_argument(scenario.value), rng=seed.value, switches=switches.value, **values
            )
    except ValueError as e:
        error.set(tr("invalid_setting", state.lang.value, error=dashboard_message(e)))
        return
    error.set(None)
    if selected.value not in new.state.index:
        selected.set(None)
    model.set(new)
    version.set(version.value + 1)


def step_once() -> None:
    """One week of the current model."""
    m = model.value
    if m is None:
        return
    m.step()
    version.set(version.value + 1)


def toggle_play() -> None:
    """Play (weeks follow each other in a background task) or pause. Pausing waits for a week being computed, so
    once the button reads "Play" again the shown week no longer moves."""
    if playing.value:
        with _stepping:
            playing.set(False)
    else:
        playing.set(True)
        play_task()


@solara.lab.task(prefer_threaded=True)
def play_task() -> None:
    """Step the model until Pause, the scenario's horizon, or the end of the network."""
    while True:
        started = time.perf_counter()
        with _stepping:
            if not playing.value:
                return
            m = model.value
            if m is None or not m.running or m.steps >= m.scenario_spec.steps:
                playing.set(False)
                return
            step_once()
        time.sleep(max(0.02, PLAY_INTERVAL - (time.perf_counter() - started)))


def set_parameter(name: str, value: Any) -> None:
    """Change one parameter (validated against its declaration) and rebuild the model; a setting the model
    refuses (more partners than the dashboard's limit) is not kept."""
    try:
        value = PARAMETERS[name].validate(value) if value is not None else None
    except ValueError as e:
        error.set(tr("invalid_setting", state.lang.value, error=dashboard_message(e)))
        return
    new = dict(params.value)
    if value is None:
        new.pop(name, None)
    else:
        new[name] = value
    before = params.value
    params.set(new)
    build_model()
    if error.value is not None:
        params.set(before)


def set_switch(name: str, on: bool) -> None:
    """Switch a mechanism of the model on or off (:mod:`model.switches`) and rebuild the model."""
    if name not in SWITCHES or not isinstance(on, bool):
        error.set(tr("invalid_setting", state.lang.value, error=f"unknown switch {str(name)[:80]!r}"))
        return
    switches.set({**switches.value, name: on})
    build_model()


def set_scenario(name: str) -> None:
    """Choose another scenario of the list (its own settings then apply) and rebuild the model."""
    if name not in state.scenario_names():
        error.set(tr("invalid_setting", state.lang.value, error=f"unknown scenario {str(name)[:80]!r}"))
        return
    scenario.set(name)
    params.set({"strategy": params.value.get("strategy", "balanced")})
    switches.set({})  # the new scenario's own [switches] apply
    build_model()


def set_seed(value: int | None) -> None:
    """Choose another seed (a non-negative integer) and rebuild the model."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SEED:
        error.set(
            tr("invalid_setting", state.lang.value, error=f"seed {str(value)[:40]!r} must be an integer 0 .. 2**63-1")
        )
        return
    seed.set(int(value))
    build_model()


def on_upload(file: dict) -> None:
    """A file dropped on the upload area: a valid scenario becomes the current one; a bad one changes nothing."""
    name = state.handle_upload(*state.read_file_drop(file))
    if name is None:
        return
    before = scenario.value
    set_scenario(name)
    if error.value is not None:  # its model could not be built after all: nothing of it stays
        problem = error.value
        scenario.set(before if before in state.scenario_names() and before != name else "jeugdaanpak")
        state.forget_upload(name)
        build_model()
        state.upload_message.set(("error", problem))


def _generated(name: str) -> bool:
    """Whether a scenario is generated (takes ``n_partners``)."""
    upload = state.uploads.value.get(name)
    if upload is not None:
        return upload.scenario.generated
    return name in list_scenarios() and _builtin_generated(name)


@functools.lru_cache(maxsize=32)
def _builtin_generated(name: str) -> bool:
    return load_scenario(name).generated


def reset() -> None:
    """Back to the initial state (between tests)."""
    playing.set(False)
    scenario.set("jeugdaanpak")
    seed.set(1)
    params.set({"strategy": "balanced"})
    model.set(None)
    error.set(None)
    selected.set(None)
    switches.set({})
    layer.set("floor")


@solara.component_vue("network.vue")
def NetworkSvg(svg: str, event_pick: Callable[[str], None]):
    """The network view: an SVG whose nodes select a partner when clicked."""


@solara.component
def ParameterControl(name: str, current: Any, lang: str):
    """A control for one parameter, generated from its declaration."""
    p = PARAMETERS[name]
    label = parameter_label(name, lang)
    if p.kind in ("int", "float"):
        label = f"{label}: {current:g}"
    if p.kind == "choice":
        if name == "governance":
            default = tr("scenario_default", lang)
            values = [default, *p.choices]
            solara.Select(
                label,
                values=values,
                value=params.value.get(name) or default,
                on_value=lambda v: set_parameter(name, None if v == default else v),
            )
        else:
            solara.Select(label, values=list(p.choices), value=current, on_value=lambda v: set_parameter(name, v))
        return
    low, high, step = slider_range(name)
    if p.kind == "int":
        solara.SliderInt(
            label,
            value=int(min(max(current, low), high)),
            min=int(low),
            max=int(high),
            step=int(step),
            on_value=lambda v: set_parameter(name, int(v)),
        )
    else:
        solara.SliderFloat(
            label,
            value=float(min(max(current, low), high)),
            min=float(low),
            max=float(high),
            step=float(step),
            on_value=lambda v: set_parameter(name, float(v)),
        )


@solara.component
def Controls(m: CollaborationModel, lang: str, tick: int = 0):
    """Scenario, seed, strategy, upload and the parameter sliders (``tick``: the model's version, so the
    component renders again after the model changed in place)."""
    solara.Select(tr("scenario", lang), values=state.scenario_names(), value=scenario.value, on_value=set_scenario)
    solara.FileDrop(label=tr("upload", lang), on_file=on_upload, lazy=True)
    if state.upload_message.value is not None:
        kind, text = state.upload_message.value
        (solara.Error if kind == "error" else solara.Success)(text, dense=True)
    solara.InputInt(tr("seed", lang), value=seed.value, on_value=set_seed)
    strategies = [s for s in STRATEGY_NAMES if s != "manual"]
    labels = {strategy_label(s, lang): s for s in strategies}
    solara.Select(
        parameter_label("strategy", lang),
        values=list(labels),
        value=strategy_label(m.strategy, lang),
        on_value=lambda v: set_parameter("strategy", labels[v]),
    )
    if m.scenario_spec is not None and _generated(scenario.value):
        ParameterControl("n_partners", m.params["n_partners"], lang)
    # the share of hours on the director's own goals acts only where the director has goals (ODD 7.12)
    hidden = set() if m.state.goals is not None else {"steering_share"}
    for name in MAIN_PARAMETERS:
        if name not in hidden:
            ParameterControl(name, m.params[name], lang)
    with solara.Details(tr("more_parameters", lang)):
        for name in PARAMETERS:
            if name in NOT_CONTROLLED or name in MAIN_PARAMETERS or name == "n_partners" or name.startswith("alloc_"):
                continue
            if name in hidden:
                continue
            ParameterControl(name, m.params[name], lang)
    with solara.Details(tr("mechanisms", lang)):
        for name, switch in SWITCHES.items():
            solara.Checkbox(
                label=switch.label(lang),
                value=m.switches[name],
                on_value=functools.partial(set_switch, name),
            )
    if m.strategy == "custom":
        with solara.Details(tr("custom_shares", lang), expand=True):
            for name in PARAMETERS:
                if name.startswith("alloc_"):
                    ParameterControl(name, m.params[name], lang)


@solara.component
def PartnerPanel(m: CollaborationModel, lang: str, tick: int = 0):
    """Pick a partner (here or by clicking it in the network) and see its view of each relation."""
    names = list(m.state.names)
    solara.Select(tr("partner_panel", lang), values=names, value=selected.value, on_value=selected.set)
    name = selected.value
    if name is None or name not in m.state.index:
        return
    partner = m.partners[m.state.index[name]]
    if not partner.active:
        solara.Warning(tr("left_network", lang, name=name), dense=True)
    Line(tr("partner_view", lang, name=name), bold=True)  # a partner's name is text, never Markdown
    solara.HTML(tag="div", unsafe_innerHTML=relations_html(partner.relations(), lang))


def relations_html(rows: list[dict[str, Any]], lang: str) -> str:
    """A partner's relations as a small HTML table (distrust in red)."""
    columns = {
        "partner": tr("partner", lang),
        "trust": metric_label("trust", lang),
        "distrust": tr("distrust", lang),
        "doubt": "twijfel" if lang == "nl" else "doubt",
        "respect": metric_label("respect", lang),
        "understanding": "begrip" if lang == "nl" else "understanding",
        "trusted_by_them": "vertrouwen terug" if lang == "nl" else "trust back",
    }
    df = pd.DataFrame(rows)
    body = []
    for row in df.itertuples(index=False):
        style = ' style="color:#d62728"' if row.distrust > row.trust else ""
        style = ' style="color:#999"' if not row.active else style
        cells = "".join(
            f"<td>{getattr(row, c):.2f}</td>" if c != "partner" else f"<td>{html_text(getattr(row, c))}</td>"
            for c in columns
        )
        body.append(f"<tr{style}>{cells}</tr>")
    head = "".join(f"<th>{html_text(label)}</th>" for label in columns.values())
    return (
        '<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:12px" '
        f'class="netwerkregie-relations"><tr>{head}</tr>{"".join(body)}</table></div>'
        "<style>.netwerkregie-relations td,.netwerkregie-relations th{padding:2px 5px;border-bottom:1px solid #ddd;"
        "text-align:right}.netwerkregie-relations td:first-child,.netwerkregie-relations th:first-child"
        "{text-align:left}</style>"
    )


def metrics_line(m: CollaborationModel, lang: str, week: bool = True) -> str:
    """Week, active partners, task progress, health and legitimacy in one line."""
    lm = m.last_metrics
    parts = [f"**{tr('week', lang)} {m.steps}**"] if week else []
    parts += [
        f"{metric_label('active_partners', lang)}: {int(lm['active_partners'])}",
        f"{metric_label('task_progress', lang)}: {lm['task_progress']:.3f}",
        f"{metric_label('health', lang)}: {lm['health']:.2f}",
        f"{metric_label('legitimacy', lang)}: {lm['legitimacy']:.2f}",
    ]
    return " · ".join(parts)


@solara.component
def LayerChoice(m: CollaborationModel, lang: str):
    """A switch between the work floor and the boards, for the network view (only when the model has the two
    layers, switch ``layers``)."""
    if not m.state.layers:
        return
    solara.Switch(
        label=tr("show_boards", lang),
        value=layer.value == "board",
        on_value=lambda on: layer.set("board" if on else "floor"),
    )


@solara.component
def NetworkPanel(m: CollaborationModel, lang: str, tick: int = 0):
    """The network view with its legend line and, with two layers, the choice of layer."""
    LayerChoice(m, lang)
    svg, drawn, total = network_svg(m, lang, selected.value, layer.value)
    NetworkSvg(svg=svg, event_pick=selected.set)
    if drawn < total:
        solara.Text(tr("edges_capped", lang, k=drawn, m=total), style={"font-size": "12px", "color": "#666"})


@solara.component
def TimeSeries(m: CollaborationModel, lang: str, tick: int = 0):
    """The six concepts, task progress and load over the weeks, side by side."""
    with solara.Row(style={"flex-wrap": "nowrap", "align-items": "flex-start"}):
        for k, svg in enumerate(timeseries_svgs(m, lang)):
            solara.HTML(tag="div", unsafe_innerHTML=svg, style={"flex": f"{2 if k == 0 else 1} 1 0"})


@solara.component
def Explore():
    """The Explore tab."""
    lang = state.lang.value
    _ = version.value  # re-render after every step

    solara.use_effect(lambda: build_model() if model.value is None else None, [])

    # leaving the tab pauses
    solara.use_effect(lambda: lambda: playing.set(False), [])

    m = model.value
    with solara.Columns([1, 3]):
        with solara.Column(), solara.Card(tr("parameters", lang)):
            if m is not None:
                Controls(m, lang, version.value)
        with solara.Column():
            with solara.Row():
                busy = playing.value or m is None
                solara.Button(tr("step", lang), on_click=step_once, disabled=busy, color="primary")
                solara.Button(
                    tr("pause", lang) if playing.value else tr("play", lang),
                    on_click=toggle_play,
                    disabled=m is None,
                    color="primary",
                )
                solara.Button(tr("reset", lang), on_click=build_model, outlined=True)
            if error.value:
                solara.Error(error.value)
            if m is None:
                return
            solara.Markdown(metrics_line(m, lang))
            with solara.Columns([3, 2]):
                with solara.Column():
                    NetworkPanel(m, lang, version.value)
                    solara.Text(
                        tr("network_legend_board" if layer.value == "board" else "network_legend", lang),
                        style={"font-size": "12px", "color": "#555"},
                    )
                with solara.Column():
                    PartnerPanel(m, lang, version.value)
            TimeSeries(m, lang, version.value)
