"""The debrief of a training session: the same world replayed under the built-in strategies, and the moments
where the trainee's choices mattered most.

The world's random draws depend only on the seed and the week (``CollaborationModel.world_uniforms``), so each
strategy faces exactly the incidents and noise the trainee faced. The moments are found by counterfactual
replays: for each played week, the trainee's session with that one week's choices replaced by what the best
strategy would have done in the trainee's situation that week (its planner run on the trainee's state), ranked
by the difference in task progress at the end.
"""

from __future__ import annotations

import base64
import copy
import html
import io
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dashboards.i18n import intervention_label, metric_label, strategy_label, tr
from dashboards.safe_text import figure_text
from dashboards.session import Decision, TrainingSession, apply_decisions, apply_decisions_lenient
from model import SIX_CONCEPTS, CollaborationModel, parse_scenario
from model import strategies as strategy_planner

STRATEGIES = ("none", "task_focus", "relation_focus", "balanced", "adaptive")
PANELS = ("task_progress", *SIX_CONCEPTS)
COLOURS = {
    "none": "#9e9e9e",
    "task_focus": "#e6862a",
    "relation_focus": "#3a7dc9",
    "balanced": "#2e9e5b",
    "adaptive": "#a05fc4",
    "you": "#111111",
}
TOP_MOMENTS = 3
#: The counterfactual replays of one debrief, in partner-weeks: every played week replays the rest of the session,
#: so the work grows with the square of the weeks (a network below 50 partners counts as 50, the cost of a step).
#: 104 weeks of sociaal_domein are about 270,000; a session file of 520 weeks of 2,000 partners would be 270
#: million (hours of a processor), so above this budget the moments are left out and the debrief says so.
MAX_COUNTERFACTUAL_WORK = 1_500_000


@dataclass
class Moment:
    """One week where replacing the trainee's choices by the best strategy's changes the end result.

    Attributes:
        week: the week (1 = the first week).
        yours: the trainee's decisions that week.
        theirs: the best strategy's plan in the trainee's situation: (intervention, hours, partner names or None).
        diff_task: task progress at the end, counterfactual minus the trainee's.
        diff_health: relationship health at the end, counterfactual minus the trainee's.
    """

    week: int
    yours: list[Decision]
    theirs: list[tuple[str, float, list[str] | None]]
    diff_task: float
    diff_health: float


@dataclass
class Debrief:
    """The result of :func:`compute_debrief`.

    Attributes:
        weeks: weeks compared (the weeks the trainee played).
        paths: per path ("you" and each strategy) the per-week metrics (step 0 .. weeks).
        best: the strategy with the highest task progress at the end.
        moments: all counterfactual weeks, ranked by |diff_task| (largest first).
        seconds: wall time of the computation.
        scenario_title: for the report's heading.
        moments_skipped: the session was too large for the counterfactual replays (:data:`MAX_COUNTERFACTUAL_WORK`).
        partners: partners in the network (at the start).
    """

    weeks: int
    paths: dict[str, pd.DataFrame]
    best: str
    moments: list[Moment] = field(default_factory=list)
    seconds: float = 0.0
    scenario_title: str = ""
    seed: int = 0
    moments_skipped: bool = False
    partners: int = 0

    def final_table(self) -> pd.DataFrame:
        """Per path the end values of task progress and the six concepts."""
        rows = {name: df.iloc[-1][list(PANELS)] for name, df in self.paths.items()}
        return pd.DataFrame(rows).T


def counterfactual_work(weeks: int, partners: int) -> int:
    """The partner-weeks of the counterfactual replays of a debrief of ``weeks`` weeks."""
    return weeks * (weeks + 1) // 2 * max(int(partners), 50)


def compute_debrief(session: TrainingSession, counterfactuals: bool = True) -> Debrief:
    """Replay the session's world under the built-in strategies and rank the weeks by counterfactual impact
    (the counterfactuals only within :data:`MAX_COUNTERFACTUAL_WORK`).

    Raises:
        ValueError: the session has no played week yet.
    """
    started = time.perf_counter()
    weeks = session.weeks_played
    if weeks < 1:
        raise ValueError("the debrief needs at least one played week")
    paths: dict[str, pd.DataFrame] = {}
    finals: dict[str, float] = {}
    partners = 0
    for strategy in STRATEGIES:
        model = _strategy_model(session, strategy)
        partners = model.state.n
        model.run_for(weeks)
        paths[strategy] = model.datacollector.get_model_vars_dataframe()
        finals[strategy] = float(model.task_progress)
    best = max(STRATEGIES, key=lambda s: (finals[s], -STRATEGIES.index(s)))
    skipped = counterfactuals and counterfactual_work(weeks, partners) > MAX_COUNTERFACTUAL_WORK
    counterfactuals = counterfactuals and not skipped

    # the trainee's path, keeping the state at the start of every week for the counterfactuals
    model = session.new_model()
    snapshots: list[CollaborationModel] = []
    for week_decisions in session.decisions:
        if counterfactuals:
            snapshots.append(copy.deepcopy(model))
        apply_decisions(model, week_decisions)
        model.step()
    trainee = model.datacollector.get_model_vars_dataframe()
    paths = {"you": trainee, **paths}
    scenario_title = model.scenario_spec.title
    end_task, end_health = float(model.task_progress), float(model.health)

    moments: list[Moment] = []
    for w, start in enumerate(snapshots):
        alt = start  # the snapshot is used once: no need to copy it again
        names = alt.state.names
        theirs = strategy_planner.plan(
            best, alt.state, alt.director.hours_left, alt.params, alt.last_metrics, alt.director.covenant_done
        )
        spent = []
        for iv, hours, targets in theirs:
            hours = min(hours, alt.director.hours_left)
            if hours > 1e-9:
                alt.director.apply(iv, targets, hours)
                spent.append((iv, float(hours), None if targets is None else [names[int(i)] for i in targets]))
        alt.step()
        for later in session.decisions[w + 1 :]:
            apply_decisions_lenient(alt, later)
            alt.step()
        moments.append(
            Moment(
                week=w + 1,
                yours=session.decisions[w],
                theirs=spent,
                diff_task=float(alt.task_progress) - end_task,
                diff_health=float(alt.health) - end_health,
            )
        )
    moments.sort(key=lambda m: (-abs(m.diff_task), m.week))
    return Debrief(
        weeks=weeks,
        paths=paths,
        best=best,
        moments=moments,
        seconds=time.perf_counter() - started,
        scenario_title=scenario_title,
        seed=session.seed,
        moments_skipped=skipped,
        partners=partners,
    )


def _strategy_model(session: TrainingSession, strategy: str) -> CollaborationModel:
    """The session's world with a built-in strategy as director."""
    scenario: Any = session.scenario
    if session.scenario_toml is not None:
        scenario = parse_scenario(session.scenario_toml, source=f"session scenario {session.scenario!r}")
    return CollaborationModel(scenario=scenario, rng=session.seed, strategy=strategy, **session.params)


# ---- presentation --------------------------------------------------------------------------------------------


def describe_decisions(decisions: list[Decision], lang: str) -> str:
    """The trainee's choices of a week in words."""
    return _describe([(d.intervention, d.hours, d.targets) for d in decisions], lang)


def describe_plan(plan: list[tuple[str, float, list[str] | None]], lang: str) -> str:
    """A strategy's plan in words."""
    return _describe(plan, lang)


def _describe(items: list[tuple[str, float, list[str] | None]], lang: str) -> str:
    """Choices grouped by intervention: label, number of times, hours, and the targets of a single choice."""
    if not items:
        return tr("no_choice", lang)
    unit = "h" if lang == "en" else "u"
    grouped: dict[str, list[tuple[float, list[str] | None]]] = {}
    for iv, hours, targets in items:
        grouped.setdefault(iv, []).append((hours, targets))
    parts = []
    for iv, entries in grouped.items():
        hours = sum(h for h, _ in entries)
        times = f" ×{len(entries)}" if len(entries) > 1 else ""
        text = f"{intervention_label(iv, lang)}{times} ({hours:.3g} {unit}"
        targets = entries[0][1]
        if len(entries) == 1 and targets:
            text += ": " + ", ".join(targets[:3]) + (", ..." if len(targets) > 3 else "")
        parts.append(text + ")")
    return "; ".join(parts)


def moment_texts(debrief: Debrief, lang: str, top: int = TOP_MOMENTS) -> list[str]:
    """The top moments as sentences."""
    return [
        tr(
            "moment_better",
            lang,
            week=m.week,
            yours=describe_decisions(m.yours, lang),
            strategy=strategy_label(debrief.best, lang),
            theirs=describe_plan(m.theirs, lang),
            diff=m.diff_task,
            relative=100.0 * m.diff_task / max(float(debrief.paths["you"]["task_progress"].iloc[-1]), 1e-12),
            dhealth=m.diff_health,
        )
        for m in debrief.moments[:top]
    ]


def moments_intro(debrief: Debrief, lang: str) -> str:
    """What the list of moments shows, or why it is empty."""
    if debrief.moments_skipped:
        return tr("moments_skipped", lang, weeks=debrief.weeks, partners=debrief.partners)
    return tr("moments_intro", lang, strategy=strategy_label(debrief.best, lang), weeks=debrief.weeks)


def path_label(name: str, lang: str) -> str:
    return tr("you", lang) if name == "you" else strategy_label(name, lang)


def debrief_figure(debrief: Debrief, lang: str = "nl") -> Figure:
    """Task progress and the six concepts over the weeks: the trainee's path beside each strategy's."""
    fig = Figure(figsize=(12, 5.6), dpi=90, layout="constrained")
    axes = fig.subplots(2, 4, sharex=True)
    marked = [m.week for m in debrief.moments[:TOP_MOMENTS]]
    for ax, metric in zip(axes.flat, PANELS, strict=False):
        for name, df in debrief.paths.items():
            if name == "you":
                continue
            ax.plot(df.index, df[metric], color=COLOURS[name], lw=1.3, label=path_label(name, lang))
        you = debrief.paths["you"]
        ax.plot(you.index, you[metric], color=COLOURS["you"], lw=2.6, label=path_label("you", lang))
        for week in marked:
            ax.axvline(week, color="#d62728", lw=0.8, ls=":", alpha=0.8)
        ax.set_title(metric_label(metric, lang), fontsize=10)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if metric != "task_progress":
            ax.set_ylim(0, 1)
    legend_ax = axes.flat[-1]
    legend_ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    legend_ax.legend(handles, labels, loc="center", fontsize=9, frameon=False)
    for ax in axes[1]:
        ax.set_xlabel(tr("week", lang).lower(), fontsize=9)
    title = f"{tr('debrief_title', lang, weeks=debrief.weeks)} — {figure_text(debrief.scenario_title)}"
    fig.suptitle(title, fontsize=12)  # a "$" in a scenario's title is a dollar, not mathematics
    return fig


def figure_png(fig: Figure, dpi: int | None = None) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def debrief_png(debrief: Debrief, lang: str = "nl") -> bytes:
    """The debrief figure as a PNG (for the trainer)."""
    return figure_png(debrief_figure(debrief, lang), dpi=110)


def debrief_html(debrief: Debrief, lang: str = "nl") -> str:
    """A self-contained HTML page of the debrief: the figure embedded as base64, the table and the moments."""
    image = base64.b64encode(debrief_png(debrief, lang)).decode("ascii")
    table = debrief.final_table()
    header = "".join(f"<th>{html.escape(metric_label(c, lang))}</th>" for c in table.columns)
    rows = "".join(
        f"<tr><td>{html.escape(path_label(name, lang))}</td>"
        + "".join(f"<td>{value:.3f}</td>" for value in row)
        + "</tr>"
        for name, row in table.iterrows()
    )
    moments = "".join(f"<li>{html.escape(text)}</li>" for text in moment_texts(debrief, lang))
    title = tr("debrief_title", lang, weeks=debrief.weeks)
    best = tr("best_strategy", lang, strategy=strategy_label(debrief.best, lang))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; }}
td:first-child {{ text-align: left; }} img {{ max-width: 100%; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(debrief.scenario_title)} · seed {debrief.seed}</p>
<p>{html.escape(tr("debrief_intro", lang))}</p>
<img alt="{html.escape(title)}" src="data:image/png;base64,{image}">
<h2>{html.escape(tr("final_table", lang, weeks=debrief.weeks))}</h2>
<table><tr><th>{html.escape(tr("path", lang))}</th>{header}</tr>{rows}</table>
<p>{html.escape(best)}</p>
<h2>{html.escape(tr("moments", lang))}</h2>
<p>{html.escape(moments_intro(debrief, lang))}</p>
<ol>{moments}</ol>
</body></html>
"""


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


def final_values(model: CollaborationModel, metrics: Any = PANELS) -> dict[str, float]:
    """The current values of some metrics."""
    return {m: float(model.last_metrics[m]) for m in metrics}
