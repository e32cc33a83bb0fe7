"""The debrief as a figure, a PNG and a printable, self-contained HTML report (no scripts, no links: the figures
are embedded as PNG).

The report has four sections, each starting on a new A4 page when printed: the trainee's path beside the built-in
strategies (figure and end table), the dilemmas (per dilemma the option chosen and what every option would have
done to the network some weeks on), what happened concept by concept (one sentence per concept and a figure of the
relations and partners they name, :mod:`experiments.training.story`), and the moments that made a difference.

The dashboard offers the PNG and the report as downloads; ``netwerkregie debrief`` and ``netwerkregie training
debrief`` write the report (:func:`write_debrief_html`, through a temporary file, so an interrupted write never
leaves half a page). User text (a scenario's title, partner names, a dilemma's texts) is escaped in the page and
taken literally in the figures (a ``$`` is a dollar, not mathematics).
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
from experiments.training.story import DilemmaOutcome, concept_sentences, concept_stories
from model.metrics import metric as declared_metric

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


#: The report's own texts (Dutch, English).
REPORT_TEXT = {
    "title": ("Debriefing", "Debrief"),
    "seed": (
        "seed {seed} · {weeks} weken gespeeld · {partners} partners",
        "seed {seed} · {weeks} weeks played · {partners} partners",
    ),
    "paths": ("Uw pad naast de vaste strategieën", "Your path beside the fixed strategies"),
    "strategies_at_dilemmas": (
        "Ook de vaste strategieën krijgen de dilemma's voorgelegd die in hun wereld opkomen; zij kiezen steeds "
        "de eerste optie (de standaardkeuze) en besteden daarna hun uren zoals zij plannen.",
        "The fixed strategies meet the dilemmas that come up in their world too; they always take the first "
        "option (the default) and then spend their hours as they plan.",
    ),
    "dilemmas": ("De dilemma's", "The dilemmas"),
    "dilemmas_intro": (
        "Per dilemma: de gekozen optie, en waar het netwerk {weeks} weken later had gestaan bij elke optie. Elke "
        "optie is opnieuw gespeeld vanaf het begin van die week, in dezelfde wereld, met uw eigen uren en latere "
        "keuzes (een dilemma dat dan anders opkomt: de eerste optie). De gekozen rij is uw eigen pad. Een streepje: "
        "geen relatie meer om te meten (de partner vertrok of trad niet toe).",
        "Per dilemma: the option chosen, and where the network would have stood {weeks} weeks later with each "
        "option. Each option is played again from the start of that week, in the same world, with your own hours "
        "and later choices (a dilemma that then comes up otherwise: its first option). The chosen row is your own "
        "path. A dash: no relation left to measure (the partner left or did not join).",
    ),
    "no_dilemmas": ("Er kwam geen dilemma op.", "No dilemma came up."),
    "dilemmas_skipped": (
        "Deze sessie is te groot om elke optie opnieuw te spelen; de tabellen zijn weggelaten.",
        "This session is too large to play every option again; the tables are left out.",
    ),
    "week_dilemma": ("Week {week}: {title}", "Week {week}: {title}"),
    "option": ("optie", "option"),
    "chosen": ("gekozen", "chosen"),
    "weeks_on": ("na {weeks} weken", "{weeks} weeks on"),
    "health": ("relatiegezondheid", "relation health"),
    "task": ("taakvoortgang", "task progress"),
    "trust_of": ("vertrouwen van {partners}", "trust of {partners}"),
    "trust_between": ("vertrouwen tussen {a} en {b}", "trust between {a} and {b}"),
    "trust_network": ("vertrouwen in het netwerk", "trust in the network"),
    "story": ("Wat er gebeurde, begrip voor begrip", "What happened, concept by concept"),
    "story_intro": (
        "Per begrip de relatie of partner die het meest veranderde, en wat voorafging aan de grootste verandering "
        "in een week (uit de gebeurtenissen van het model en uw keuzes; zonder gebeurtenis: een geleidelijke "
        "verschuiving).",
        "Per concept the relation or partner that changed most, and what preceded its largest change in one week "
        "(from the model's events and your choices; without an event: it drifted).",
    ),
    "story_figure": ("Het meest veranderd per begrip", "What changed most, per concept"),
    "story_skipped": (
        "Deze sessie is te groot om relatie voor relatie vast te leggen; de zinnen per begrip zijn weggelaten.",
        "This session is too large to record relation by relation; the sentences per concept are left out.",
    ),
    "network_mean": ("netwerk (gemiddeld)", "network (mean)"),
}


def report_text(key: str, lang: str, **fields: object) -> str:
    """A text of the report in ``lang``, with ``fields`` filled in."""
    nl, en = REPORT_TEXT[key]
    text = en if lang == "en" else nl
    return text.format(**fields) if fields else text


def table_value(x: float, digits: int = 3) -> str:
    """A number for a table ("–": missing, e.g. the trust of a partner that left)."""
    return "–" if x != x else f"{x:.{digits}f}"


def story_figure(debrief: Debrief, lang: str = "nl") -> Figure | None:
    """Per concept the relation or partner its sentence names, beside the network's mean, with the week of its
    largest change marked; ``None`` without a history."""
    history = debrief.history
    if history is None:
        return None
    fig = Figure(figsize=(12, 6.2), dpi=90, layout="constrained")
    axes = fig.subplots(2, 3, sharex=True)
    weeks = list(range(history.weeks + 1))
    for ax, story in zip(axes.flat, concept_stories(history), strict=True):
        concept = story.concept
        mean = report_text("network_mean", lang)
        ax.plot(weeks, history.network[concept], color="#888888", lw=1.3, ls="--", label=mean)
        if story.partners:
            series, active, partners = history.series(concept)
            k = partners.index(story.partners)
            values = [v if a else float("nan") for v, a in zip(series[:, k], active[:, k], strict=True)]
            name = " – ".join(figure_text(p) for p in story.partners)
            ax.plot(weeks, values, color=declared_metric(concept).colour or "#1f77b4", lw=2.4, label=name)
            if story.week:
                ax.axvline(story.week, color="#d62728", lw=0.9, ls=":")
        ax.set_title(metric_label(concept, lang), fontsize=10)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=7, loc="best", frameon=False)
    for ax in axes[1]:
        ax.set_xlabel(tr("week", lang).lower(), fontsize=9)
    fig.suptitle(report_text("story_figure", lang), fontsize=12)
    return fig


def _embedded(fig: Figure, alt: str) -> str:
    image = base64.b64encode(figure_png(fig, dpi=110)).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{image}">'


def trust_header(outcome: DilemmaOutcome, lang: str) -> str:
    partners = outcome.partners
    if not partners:
        return report_text("trust_network", lang)
    if len(partners) == 2:
        return report_text("trust_between", lang, a=partners[0], b=partners[1])
    return report_text("trust_of", lang, partners=", ".join(partners))


def dilemma_html(outcome: DilemmaOutcome, lang: str) -> str:
    """One dilemma: its week and title, its text, and a table of its options' consequences (the chosen marked)."""
    t = lambda key, **f: html.escape(report_text(key, lang, **f))  # noqa: E731
    rows = "".join(
        f"<tr{' class="chosen"' if row.chosen else ''}><td>{html.escape(row.label[lang])}</td>"
        f"<td>{t('chosen') if row.chosen else ''}</td>"
        f"<td>{table_value(row.health)}</td><td>{table_value(row.task_progress, 4)}</td>"
        f"<td>{table_value(row.partners_trust)}</td></tr>"
        for row in outcome.rows
    )
    on = t("weeks_on", weeks=outcome.weeks_on)
    return (
        f'<div class="dilemma"><h3>{t("week_dilemma", week=outcome.week, title=outcome.title[lang])}</h3>'
        f"<p>{html.escape(outcome.text[lang])}</p>"
        f"<table><tr><th>{t('option')}</th><th></th><th>{t('health')}<br>{on}</th><th>{t('task')}<br>{on}</th>"
        f"<th>{html.escape(trust_header(outcome, lang))}<br>{on}</th></tr>{rows}</table></div>"
    )


def debrief_html(debrief: Debrief, lang: str = "nl") -> str:
    """The printable, self-contained HTML report of the debrief (A4, a page per section when printed; the
    figures embedded as base64 PNG; every user text escaped)."""
    t = lambda key, **f: html.escape(report_text(key, lang, **f))  # noqa: E731
    path_figure = _embedded(debrief_figure(debrief, lang), tr("debrief_title", lang, weeks=debrief.weeks))
    table = debrief.final_table()
    header = "".join(f"<th>{html.escape(metric_label(c, lang))}</th>" for c in table.columns)
    rows = "".join(
        f"<tr{' class="chosen"' if name == 'you' else ''}><td>{html.escape(path_label(name, lang))}</td>"
        + "".join(f"<td>{table_value(float(value))}</td>" for value in row)
        + "</tr>"
        for name, row in table.iterrows()
    )
    moments = "".join(f"<li>{html.escape(text)}</li>" for text in moment_texts(debrief, lang))
    title = tr("debrief_title", lang, weeks=debrief.weeks)
    best = tr("best_strategy", lang, strategy=strategy_label(debrief.best, lang))
    training = debrief.training_title.get(lang, "")
    subtitle = " · ".join(dict.fromkeys(x for x in (training, debrief.scenario_title) if x))
    if debrief.dilemmas_skipped:
        dilemmas = f"<p>{t('dilemmas_skipped')}</p>"
    elif debrief.dilemmas:
        weeks_on = max(o.weeks_on for o in debrief.dilemmas)
        dilemmas = f"<p>{t('dilemmas_intro', weeks=weeks_on)}</p>" + "".join(
            dilemma_html(o, lang) for o in debrief.dilemmas
        )
    else:
        dilemmas = f"<p>{t('no_dilemmas')}</p>"
    story = f"<section><h2>{t('story')}</h2><p>{t('story_skipped')}</p></section>"
    if debrief.history is not None:
        figure = story_figure(debrief, lang)
        sentences = "".join(f"<li>{html.escape(s)}</li>" for s in concept_sentences(debrief.history, lang))
        story = (
            f'<section><h2>{t("story")}</h2><p>{t("story_intro")}</p><ul class="story">{sentences}</ul>'
            f"<figure>{_embedded(figure, report_text('story_figure', lang)) if figure else ''}</figure></section>"
        )
    strategies_note = t("strategies_at_dilemmas") if debrief.training_title else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; line-height: 1.35; }}
table {{ border-collapse: collapse; margin: 0.5em 0; }}
td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; vertical-align: top; }}
td:first-child, th:first-child {{ text-align: left; }}
tr.chosen td {{ font-weight: bold; background: #f2f2f2; }}
img {{ max-width: 100%; }} figure {{ margin: 0.5em 0; }}
ul.story li {{ margin-bottom: 0.6em; }}
.dilemma {{ margin-bottom: 1.2em; }}
@page {{ size: A4; margin: 14mm; }}
@media print {{
  body {{ max-width: none; margin: 0; font-size: 10pt; }}
  section {{ break-before: page; page-break-before: always; }}
  section.first {{ break-before: auto; page-break-before: auto; }}
  .dilemma, table, figure, img, ul.story li, ol li {{ break-inside: avoid; page-break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; page-break-after: avoid; }}
}}
</style></head><body>
<section class="first">
<h1>{html.escape(title)}</h1>
<p>{html.escape(subtitle)}<br>{t("seed", seed=debrief.seed, weeks=debrief.weeks, partners=debrief.partners)}</p>
<h2>{t("paths")}</h2>
<p>{html.escape(tr("debrief_intro", lang))} {strategies_note}</p>
<figure>{path_figure}</figure>
<h3>{html.escape(tr("final_table", lang, weeks=debrief.weeks))}</h3>
<table><tr><th>{html.escape(tr("path", lang))}</th>{header}</tr>{rows}</table>
<p>{html.escape(best)}</p>
</section>
<section><h2>{t("dilemmas")}</h2>{dilemmas}</section>
{story}
<section><h2>{html.escape(tr("moments", lang))}</h2>
<p>{html.escape(moments_intro(debrief, lang))}</p>
<ol>{moments}</ol></section>
</body></html>
"""


def write_debrief_html(debrief: Debrief, path: Path, lang: str = "nl") -> None:
    """Write :func:`debrief_html` to ``path`` atomically (:func:`experiments.files.atomic_write`)."""
    page = debrief_html(debrief, lang)
    atomic_write(Path(path), lambda tmp: tmp.write_text(page, encoding="utf-8"))
