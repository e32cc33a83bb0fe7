"""Training: the trainee is the network director, week by week, followed by a debrief.

Each week the trainee sees the hours left, the network and what happened last week (incidents, exits, overload,
partners threatening to leave), spends hours on interventions (the model's ``manual`` strategy and
``apply_intervention``) and presses "next week". The session (scenario, seed, parameters, decisions) saves to a
JSON file and replays exactly; the debrief compares the trainee's path with the built-in strategies in the same
world and exports as PNG or self-contained HTML. Sessions, the debrief and its export have no page in them: they
live in :mod:`experiments.training` (``netwerkregie debrief`` uses them too); this module shows them.
"""

from __future__ import annotations

import copy
import functools
import logging
import math
import re
from typing import Any

import numpy as np
import reacton.ipyvuetify as rv
import solara

from dashboards import state
from dashboards.explore import LayerChoice, NetworkSvg, TimeSeries, layer, metrics_line, relations_html
from dashboards.i18n import intervention_description, intervention_label, metric_label, strategy_label, tr
from dashboards.network_view import network_svg
from dashboards.safe_text import Bullets, Heading, Labelled, Line, dashboard_message, file_name_part
from experiments.training.debrief import (
    Debrief,
    compute_debrief,
    describe_decisions,
    moment_texts,
    moments_intro,
    path_label,
)
from experiments.training.export import (
    debrief_figure,
    debrief_html,
    debrief_png,
    figure_png,
    report_text,
    table_value,
    trust_header,
)
from experiments.training.play import Choice, TrainingPlay
from experiments.training.scenarios import list_training_scenarios, load_training_scenario
from experiments.training.session import HORIZONS, MAX_SESSION_BYTES, Decision, TrainingSession, load_session_file
from experiments.training.story import DilemmaOutcome, concept_sentences
from model import CollaborationModel
from model.inputs import DASHBOARD_LIMITS, InputError, number, using_limits
from model.interventions import INTERVENTIONS

log = logging.getLogger("netwerkregie.dashboard")

setup_scenario = solara.reactive("jeugdaanpak")
setup_seed = solara.reactive(1)
setup_horizon = solara.reactive(26)
setup_training = solara.reactive("")  # a training scenario's name, or "": the research scenario of setup_scenario
play: solara.Reactive[TrainingPlay | None] = solara.reactive(None)  # the week's dilemmas (a training scenario)
session: solara.Reactive[TrainingSession | None] = solara.reactive(None)
model: solara.Reactive[CollaborationModel | None] = solara.reactive(None)
pending: solara.Reactive[list[Decision]] = solara.reactive([])
version = solara.reactive(0)
message: solara.Reactive[tuple[str, str] | None] = solara.reactive(None)
debrief: solara.Reactive[Debrief | None] = solara.reactive(None)
choice = solara.reactive("vision_session")
targets: solara.Reactive[list[str]] = solara.reactive([])
hours: solara.Reactive[float] = solara.reactive(0.0)
selected: solara.Reactive[str | None] = solara.reactive(None)


def start(scenario: str | None = None, seed: int | None = None, horizon: int | None = None) -> None:
    """Start a new training session (arguments default to the setup controls)."""
    if scenario is None and setup_training.value:
        start_training(setup_training.value, seed)
        return
    scenario = scenario or setup_scenario.value
    upload = state.uploads.value.get(scenario) if isinstance(scenario, str) else None
    try:
        with using_limits(DASHBOARD_LIMITS):
            new = TrainingSession(
                scenario=scenario,
                seed=setup_seed.value if seed is None else seed,
                horizon=setup_horizon.value if horizon is None else horizon,
                scenario_toml=upload.text if upload is not None else None,
            )
            m = new.new_model()
    except ValueError as e:
        message.set(("error", dashboard_message(e)))
        return
    _begin(new, m)
    message.set(None)


def start_training(name: str, seed: int | None = None) -> None:
    """Start a session in a training scenario: its own length, its newcomers outside, its dilemmas ready to fire."""
    try:
        found = load_training_scenario(name)
        new = TrainingSession(
            scenario=name, seed=setup_seed.value if seed is None else seed, horizon=found.weeks, training=name
        )
        p = new.new_play()
    except ValueError as e:
        message.set(("error", dashboard_message(e)))
        return
    _begin(new, p.model, p)
    message.set(None)


def answer(option_id: str) -> None:
    """Answer this week's dilemma: the option's actions act at once and the answer is recorded in the session."""
    s, p = session.value, play.value
    if s is None or p is None or not p.waiting or p.firing is None:
        return
    dilemma = p.firing.dilemma.id
    try:
        p.choose(option_id)
    except ValueError as e:
        message.set(("error", dashboard_message(e)))
        return
    week = p.week
    s.choices = [*s.choices, *[None] * (week - 1 - len(s.choices)), Choice(dilemma, option_id)]
    m = p.model
    hours.set(min(INTERVENTIONS[choice.value].cost, m.director.hours_left))
    message.set(None)
    version.set(version.value + 1)


def _begin(new: TrainingSession, m: CollaborationModel, p: TrainingPlay | None = None) -> None:
    session.set(new)
    model.set(m)
    play.set(p)
    pending.set([])
    debrief.set(None)
    targets.set([])
    selected.set(None)
    hours.set(min(INTERVENTIONS[choice.value].cost, m.director.hours_left))
    version.set(version.value + 1)


def stop() -> None:
    """Leave the session (back to the setup)."""
    session.set(None)
    model.set(None)
    play.set(None)
    pending.set([])
    debrief.set(None)
    message.set(None)


def finished() -> bool:
    s = session.value
    return s is not None and s.weeks_played >= s.horizon


def choose(iv_id: str) -> None:
    """Choose an intervention: its targets are cleared and its hours default to its cost (or what is left)."""
    choice.set(iv_id)
    targets.set([])
    m = model.value
    if m is not None:
        hours.set(min(INTERVENTIONS[iv_id].cost, m.director.hours_left))


def apply() -> None:
    """Spend hours on the chosen intervention this week."""
    m, lang = model.value, state.lang.value
    if m is None or finished():
        return
    if play.value is not None and play.value.waiting:
        message.set(("error", tr("dilemma_first", lang)))
        return
    iv = INTERVENTIONS[choice.value]
    chosen = list(targets.value) or None
    if chosen is not None and iv.targets == "subset" and len(chosen) < 2:
        message.set(
            (
                "error",
                "Kies minstens twee partners, of geen (iedereen)."
                if lang == "nl"
                else "Choose at least two partners, or none (everyone).",
            )
        )
        return
    before = m.director.hours_left
    try:
        spend = number(tr("hours", lang), hours.value, 0.0, before + 1e-9, low_open=True)
        after = m.apply_intervention(iv.id, targets=chosen, hours=spend)
    except ValueError as e:
        message.set(("error", dashboard_message(e)))
        return
    pending.set([*pending.value, Decision(iv.id, chosen, before - after)])
    message.set(None)
    hours.set(min(iv.cost, after))
    version.set(version.value + 1)


def next_week() -> None:
    """Close the week: the model steps; at the horizon the debrief is computed."""
    s, m, p = session.value, model.value, play.value
    if s is None or m is None or finished():
        return
    if p is not None and p.waiting:
        message.set(("error", tr("dilemma_first", state.lang.value)))
        return
    s.decisions.append(list(pending.value))
    if p is not None:
        p.step()  # the model steps, held settings end, and next week's dilemma (if any) fires
    else:
        m.step()
    pending.set([])
    debrief.set(None)
    hours.set(min(INTERVENTIONS[choice.value].cost, m.director.hours_left))
    version.set(version.value + 1)
    if finished():
        show_debrief()


def show_debrief() -> None:
    """Compute the debrief of the weeks played so far, in the background (the page shows that it is busy)."""
    s = session.value
    if s is None or s.weeks_played == 0:
        message.set(("info", tr("debrief_none", state.lang.value)))
        return
    debrief.set(None)
    debrief_task(s, copy.deepcopy(s))


@solara.lab.task(prefer_threaded=True)
def debrief_task(live: TrainingSession, frozen: TrainingSession) -> None:
    """The debrief of ``frozen`` (a copy of the session at the click); shown unless the session moved on."""
    with using_limits(DASHBOARD_LIMITS):
        result = compute_debrief(frozen)
    if session.value is live and live.weeks_played == frozen.weeks_played:
        debrief.set(result)


def load_session(filename: str, data: bytes | None) -> None:
    """Load a saved session (checked under the dashboard's limits) and replay it once; a bad file changes nothing
    and says why. ``data`` is ``None`` for a file known to be larger than the limit."""
    lang = state.lang.value
    shown = state.shown_file_name(filename)
    try:
        if data is None:
            raise InputError(f"session file {shown!r} is larger than {MAX_SESSION_BYTES // (1024 * 1024)} MB")
        loaded, m = load_session_file(data, shown)
    except InputError as e:
        message.set(("error", tr("session_bad", lang, error=e)))
        return
    except Exception as e:  # a defect of ours: the file is refused all the same, the traceback goes to the log
        log.exception("loading session %r failed", shown)
        message.set(("error", tr("session_failed", lang, file=shown, error=type(e).__name__)))
        return
    p = loaded.replay_play() if loaded.training is not None else None  # the dilemmas' state at the week reached
    _begin(loaded, p.model if p is not None else m, p)
    message.set(("success", tr("session_loaded", state.lang.value, week=loaded.weeks_played, horizon=loaded.horizon)))
    if finished():
        show_debrief()


def reset() -> None:
    """Back to the initial state (between tests)."""
    stop()
    setup_scenario.set("jeugdaanpak")
    setup_seed.set(1)
    setup_horizon.set(26)
    setup_training.set("")
    choice.set("vision_session")


def week_summary(model: CollaborationModel, lang: str) -> list[str]:
    """What happened in the last played week, in words: incidents (accounted or blamed), exits, partners
    overloaded with information, partners threatening to leave."""
    week = model.steps
    if week == 0:
        return []
    lines = []
    for ev in model.events:
        if ev["step"] != week:
            continue
        if ev["event"] == "incident":
            lines.append(tr("ev_accounted" if ev["accounted"] else "ev_blamed", lang, partner=ev["partner"]))
        elif ev["event"] == "exit":
            lines.append(tr("ev_exit", lang, partner=ev["partner"]))
    st = model.state
    for i in np.flatnonzero(st.active & (st.load > 1.0)):
        lines.append(tr("ev_overload", lang, partner=st.names[i], load=float(st.load[i])))
    for i in np.flatnonzero(st.active & (st.low_commitment_weeks > 0)):
        lines.append(
            tr(
                "ev_threat",
                lang,
                partner=st.names[i],
                commitment=float(st.commitment[i]),
                weeks=int(st.low_commitment_weeks[i]),
            )
        )
    return lines


@solara.component
def Message():
    if message.value is None:
        return
    kind, text = message.value
    {"error": solara.Error, "success": solara.Success, "info": solara.Info}[kind](text)


@solara.component
def Setup(lang: str):
    with solara.Card(tr("tab_training", lang), style={"max-width": "720px"}):
        solara.Markdown(tr("training_intro", lang))
        solara.Select(tr("scenario", lang), values=state.scenario_names(), value=setup_scenario)
        solara.InputInt(tr("seed", lang), value=setup_seed.value, on_value=lambda v: setup_seed.set(max(0, v or 0)))
        solara.Select(tr("horizon", lang), values=list(HORIZONS), value=setup_horizon)
        TrainingChoice(lang)
        solara.Button(tr("start", lang), on_click=start, color="primary")
        solara.FileDrop(
            label=tr("load_session", lang),
            on_file=lambda f: load_session(*state.read_file_drop(f, MAX_SESSION_BYTES)),
            lazy=True,
        )
        Message()


@solara.component
def TrainingChoice(lang: str):
    """Pick a training scenario (or none); its briefing and the trainer's learning goal, as text."""
    found = {name: load_training_scenario(name) for name in list_training_scenarios()}
    labels = {f"{t.title[lang]} ({name})": name for name, t in found.items()}
    none = tr("no_training", lang)
    by_name = {name: label for label, name in labels.items()}
    solara.Select(
        tr("training_scenario", lang),
        values=[none, *labels],
        value=by_name.get(setup_training.value, none),
        on_value=lambda v: setup_training.set(labels.get(v, "")),
    )
    chosen = found.get(setup_training.value)
    if chosen is not None:
        Briefing(chosen.title[lang], chosen.briefing[lang], chosen.learning_goal[lang], lang)


def flowing(text: str) -> str:
    """A text written over several lines in a file, as flowing text: single line breaks become spaces, blank
    lines stay paragraph breaks."""
    return re.sub(r"[ \t]*(?<!\n)\n(?!\n)[ \t]*", " ", text.strip())


@solara.component
def Briefing(title: str, briefing: str, goal: str | None, lang: str):
    """A training scenario's briefing (and the trainer's learning goal): text only."""
    Line(f"{tr('briefing', lang)}: {title}", bold=True)
    Line(flowing(briefing), style={"white-space": "pre-line", "font-size": "13px"})
    if goal:
        Line(tr("learning_goal", lang), bold=True, style={"margin-top": "0.5em"})
        Line(flowing(goal), style={"white-space": "pre-line", "font-size": "13px", "color": "#555"})


@solara.component
def DilemmaCard(p: TrainingPlay, lang: str, tick: int = 0):
    """This week's dilemma: its situation and a button per option, or the answer chosen."""
    firing = p.firing
    if firing is None:
        return
    with solara.Card(style={"border-left": "4px solid #e6862a"}):
        Line(tr("dilemma", lang), style={"font-size": "12px", "color": "#e6862a", "text-transform": "uppercase"})
        Heading(firing.title(lang), level=4)
        Line(flowing(firing.text(lang)), style={"white-space": "pre-line"})
        if p.waiting:
            with solara.Column(gap="6px", style={"margin-top": "0.6em"}):
                for option in firing.dilemma.options:
                    solara.Button(
                        firing.label(option, lang),
                        on_click=functools.partial(answer, option.id),
                        color="warning",
                        outlined=True,
                        style={"text-transform": "none", "white-space": "normal", "height": "auto"},
                    )
        elif p.chosen is not None:
            chosen = firing.label(firing.dilemma.option(p.chosen), lang)
            Line(tr("dilemma_chosen", lang, option=chosen), bold=True, style={"margin-top": "0.5em"})


@solara.component
def InterventionForm(m: CollaborationModel, lang: str, tick: int = 0):
    """Choose an intervention, its targets and hours; spend them."""
    left = m.director.hours_left
    unit = "h" if lang == "en" else "u"
    labels = {f"{intervention_label(i, lang)} ({iv.cost:g} {unit})": i for i, iv in INTERVENTIONS.items()}
    by_id = {i: label for label, i in labels.items()}
    solara.Select(
        tr("intervention", lang), values=list(labels), value=by_id[choice.value], on_value=lambda v: choose(labels[v])
    )
    iv = INTERVENTIONS[choice.value]
    solara.Text(intervention_description(iv.id, lang), style={"font-size": "12px", "color": "#555"})
    names = [n for n, a in zip(m.state.names, m.state.active, strict=True) if a]
    if iv.targets == "network":
        solara.Text(f"{tr('targets', lang)}: {tr('targets_network', lang)}", style={"font-size": "13px"})
    elif iv.targets == "partner":
        none = tr("targets_network", lang)
        solara.Select(
            tr("targets", lang) + " — " + tr("targets_partner_hint", lang),
            values=[none, *names],
            value=targets.value[0] if targets.value else none,
            on_value=lambda v: targets.set([] if v == none else [v]),
        )
    else:
        hint = tr("targets_pair_hint" if iv.targets == "pair" else "targets_subset_hint", lang)

        def set_targets(values: list[str]) -> None:
            targets.set(list(values)[-2:] if iv.targets == "pair" else list(values))

        solara.SelectMultiple(
            tr("targets", lang) + " — " + hint, values=targets.value, all_values=names, on_value=set_targets
        )
    if left > 0:
        top = max(0.5, float(left))
        wanted = hours.value if isinstance(hours.value, int | float) and math.isfinite(hours.value) else 0.5
        shown = min(max(wanted, 0.5), top)
        solara.SliderFloat(
            f"{tr('hours', lang)}: {shown:g}", value=shown, min=0.5, max=top, step=0.5, on_value=hours.set
        )
    solara.Button(tr("apply", lang), on_click=apply, disabled=left <= 1e-9 or finished(), color="primary")


@solara.component
def WeekPanel(m: CollaborationModel, lang: str, tick: int = 0):
    """What happened last week, and what the trainee spent this week."""
    solara.Markdown(f"**{tr('what_happened', lang)}**")
    lines = week_summary(m, lang)
    if m.steps == 0:
        solara.Text(tr("first_week", lang))
    elif not lines:
        solara.Text(tr("quiet_week", lang))
    else:
        Bullets(lines)  # partner names: shown as text, never as Markdown
    spent = describe_decisions(pending.value, lang) if pending.value else tr("nothing_yet", lang)
    Labelled(tr("this_week", lang), spent)


@solara.component
def DebriefView(d: Debrief, lang: str):
    """The debrief: paths beside each other, the end table, the moments that mattered, exports."""
    png = solara.use_memo(lambda: figure_png(debrief_figure(d, lang)), [id(d), lang])
    # the same callables on every render: a FileDownload whose data changes forgets a pending click
    exports = solara.use_memo(
        lambda: (functools.partial(debrief_png, d, lang), functools.partial(debrief_html, d, lang)), [id(d), lang]
    )
    with solara.Card(tr("debrief_title", lang, weeks=d.weeks)):
        solara.Text(tr("debrief_intro", lang))
        solara.Image(png, width="100%")
        table = d.final_table()
        head = "| " + tr("path", lang) + " | " + " | ".join(metric_label(c, lang) for c in table.columns) + " |"
        rows = [
            f"| {path_label(str(name), lang)} | " + " | ".join(f"{v:.3f}" for v in row) + " |"
            for name, row in table.iterrows()
        ]
        solara.Markdown(
            f"**{tr('final_table', lang, weeks=d.weeks)}**\n\n{head}\n|"
            + "---|" * (len(table.columns) + 1)
            + "\n"
            + "\n".join(rows)
            + "\n\n"
            + tr("best_strategy", lang, strategy=strategy_label(d.best, lang))
        )
        if d.training_title:
            DebriefDilemmas(d, lang)
        DebriefStory(d, lang)
        solara.Markdown(f"### {tr('moments', lang)}")
        solara.Text(moments_intro(d, lang))
        Bullets(moment_texts(d, lang), ordered=True)
        solara.Text(tr("computed_in", lang, seconds=d.seconds), style={"font-size": "11px", "color": "#888"})
        with solara.Row():
            solara.FileDownload(
                exports[0],
                filename=f"debrief-week{d.weeks}.png",
                label=tr("export_png", lang),
                mime_type="image/png",
            )
            solara.FileDownload(
                exports[1],
                filename=f"debrief-week{d.weeks}.html",
                label=tr("export_html", lang),
                mime_type="text/html",
            )


def _cells(tag: str, values: list[str], style: str = "") -> Any:
    return rv.Html(tag="tr", children=[rv.Html(tag=tag, children=[v]) for v in values], style_=style)


@solara.component
def DilemmaOutcomes(outcome: DilemmaOutcome, lang: str):
    """One dilemma of the debrief: its week and title, the option chosen, and per option where the network stood
    some weeks on (the chosen row bold). Its texts come from a dilemma file: shown as text only."""
    Line(report_text("week_dilemma", lang, week=outcome.week, title=outcome.title[lang]), bold=True)
    chosen = [row for row in outcome.rows if row.chosen]
    if chosen:
        Line(tr("dilemma_chosen", lang, option=chosen[0].label[lang]))
    on = report_text("weeks_on", lang, weeks=outcome.weeks_on)
    head = [
        report_text("option", lang),
        f"{report_text('health', lang)} {on}",
        f"{report_text('task', lang)} {on}",
        f"{trust_header(outcome, lang)} {on}",
    ]
    rows = [_cells("th", head)] + [
        _cells(
            "td",
            [
                row.label[lang],
                table_value(row.health),
                table_value(row.task_progress, 4),
                table_value(row.partners_trust),
            ],
            "font-weight:bold;background:#f2f2f2" if row.chosen else "",
        )
        for row in outcome.rows
    ]
    rv.Html(
        tag="table",
        class_="netwerkregie-dilemma-outcomes",
        children=rows,
        style_="border-collapse:collapse;width:auto;font-size:12px;margin:0.3em 0 0.8em 0",
    )


@solara.component
def DebriefDilemmas(d: Debrief, lang: str):
    """The debrief's dilemmas: each one that fired, the option chosen and what every option would have done."""
    Heading(report_text("dilemmas", lang), level=3)
    if d.dilemmas_skipped:
        solara.Text(report_text("dilemmas_skipped", lang))
    elif not d.dilemmas:
        solara.Text(report_text("no_dilemmas", lang))
    else:
        solara.Text(report_text("dilemmas_intro", lang, weeks=max(o.weeks_on for o in d.dilemmas)))
        for outcome in d.dilemmas:
            DilemmaOutcomes(outcome, lang)
        solara.HTML(tag="style", unsafe_innerHTML=DILEMMA_TABLE_CSS)


DILEMMA_TABLE_CSS = (
    ".netwerkregie-dilemma-outcomes td,.netwerkregie-dilemma-outcomes th{padding:2px 6px;"
    "border-bottom:1px solid #ddd;text-align:right;vertical-align:top}"
    ".netwerkregie-dilemma-outcomes td:first-child,.netwerkregie-dilemma-outcomes th:first-child{text-align:left}"
)


@solara.component
def DebriefStory(d: Debrief, lang: str):
    """What happened, concept by concept: one sentence per concept (partner names in them: shown as text)."""
    Heading(report_text("story", lang), level=3)
    if d.history is None:
        solara.Text(report_text("story_skipped", lang))
        return
    solara.Text(report_text("story_intro", lang))
    Bullets(concept_sentences(d.history, lang))


@solara.component
def Training():
    """The Training tab."""
    lang = state.lang.value
    _ = version.value
    s, m = session.value, model.value
    if s is None or m is None:
        Setup(lang)
        return
    done = finished()
    week = min(s.weeks_played + 1, s.horizon)
    with solara.Row(style={"align-items": "center"}):
        solara.Markdown(f"## {tr('week_of', lang, week=week, horizon=s.horizon)}")
        solara.Markdown(tr("hours_left", lang, left=m.director.hours_left, total=m.director.weekly_hours()))
    solara.Markdown(metrics_line(m, lang, week=False))
    Message()
    if done:
        solara.Success(tr("training_done", lang))
    with solara.Columns([3, 2]):
        with solara.Column():
            LayerChoice(m, lang)
            svg, _drawn, _total = network_svg(m, lang, selected.value, layer.value)
            NetworkSvg(svg=svg, event_pick=_pick)
            solara.Text(
                tr("network_legend_board" if layer.value == "board" else "network_legend", lang),
                style={"font-size": "12px", "color": "#555"},
            )
            if selected.value in m.state.index:
                partner = m.partners[m.state.index[selected.value]]
                Line(tr("partner_view", lang, name=selected.value), bold=True)
                solara.HTML(tag="div", unsafe_innerHTML=relations_html(partner.relations(), lang))
        # the cards here come and go (the briefing, the dilemma, the hours to spend); keyed, so that what stays
        # is kept, not rebuilt in another place (a rebuilt row of buttons shows twice for a moment)
        with solara.Column():
            p = play.value
            if p is not None and s.weeks_played == 0 and s.training is not None:
                found = s.training_scenario()
                with solara.Card().key("briefing"):
                    Briefing(found.title[lang], found.briefing[lang], None, lang)
            with solara.Card().key("week"):
                WeekPanel(m, lang, version.value)
            waiting = p is not None and p.waiting and not done
            if p is not None and not done:
                DilemmaCard(p, lang, version.value).key("dilemma")
            if not done and not waiting:
                with solara.Card().key("spend"):
                    InterventionForm(m, lang, version.value)
            with solara.Row().key("buttons"):
                solara.Button(tr("next_week", lang), on_click=next_week, disabled=done or waiting, color="success")
                solara.Button(tr("debrief", lang), on_click=show_debrief, outlined=True)
            with solara.Row().key("session"):
                solara.FileDownload(
                    s.to_json,
                    filename=f"training-{file_name_part(s.scenario)}-seed{s.seed}-week{s.weeks_played}.json",
                    label=tr("save_session", lang),
                    mime_type="application/json",
                )
                solara.Button(tr("stop", lang), on_click=stop, text=True)
    TimeSeries(m, lang, version.value)
    with solara.Column():  # a fixed place, so the debrief below is not mounted anew when this changes
        if debrief_task.pending:
            solara.ProgressLinear(True)
            solara.Info(tr("debrief_busy", lang))
        elif debrief_task.error:
            solara.Error(dashboard_message(debrief_task.exception))
    if debrief.value is not None:
        DebriefView(debrief.value, lang)


def _pick(name: Any) -> None:
    """A click on a partner in the network: show its relations; for targeted interventions, add it."""
    m = model.value
    name = str(name)
    if m is None or name not in m.state.index:  # a click names a partner of the network, or nothing happens
        return
    selected.set(name)
    iv = INTERVENTIONS[choice.value]
    if iv.targets == "partner":
        targets.set([name])
    elif iv.targets in ("pair", "subset") and name not in targets.value:
        targets.set(([*targets.value, name])[-2:] if iv.targets == "pair" else [*targets.value, name])
