"""The debrief as a figure, a PNG and a self-contained HTML page (no scripts, no links: the figure is embedded).

The dashboard offers both as downloads; ``netwerkregie debrief`` writes the HTML page (:func:`write_debrief_html`,
through a temporary file, so an interrupted write never leaves half a page). User text (a scenario's title,
partner names) is escaped in the page and taken literally in the figure (a ``$`` is a dollar, not mathematics).
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from experiments.files import atomic_write
from experiments.texts import metric_label, strategy_label, tr
from experiments.training.debrief import PANELS, TOP_MOMENTS, Debrief, moment_texts, moments_intro, path_label

COLOURS = {
    "none": "#9e9e9e",
    "task_focus": "#e6862a",
    "relation_focus": "#3a7dc9",
    "balanced": "#2e9e5b",
    "adaptive": "#a05fc4",
    "you": "#111111",
}


def figure_text(value: object) -> str:
    """``value`` for a Matplotlib text: dollar signs are literal, not mathematics."""
    return str(value).replace("$", r"\$")


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


def write_debrief_html(debrief: Debrief, path: Path, lang: str = "nl") -> None:
    """Write :func:`debrief_html` to ``path`` atomically (:func:`experiments.files.atomic_write`)."""
    page = debrief_html(debrief, lang)
    atomic_write(Path(path), lambda tmp: tmp.write_text(page, encoding="utf-8"))
