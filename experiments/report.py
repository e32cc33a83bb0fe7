"""The what-if report: one self-contained HTML file for a board, and the figures the dashboard shows too.

Everything is inside the file: figures are PNG images in ``data:`` URIs, the style sheet is inline, and no ``src``
or ``href`` points outside the file, so it opens offline and can be mailed as is.
"""

from __future__ import annotations

import base64
import html
import io
import math
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from experiments.compare import LEVEL, Comparison, format_dz, mean_interval, verdict
from experiments.files import atomic_write
from experiments.plots import CONCEPT_LABELS, pyplot
from experiments.texts import FIGURES, column
from experiments.variants import Variant
from model import METRICS, SIX_CONCEPTS, Scenario
from model.metrics import metric

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ARM_COLOURS = ["#333333", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
MAX_DRAWN_PARTNERS = 400
KEY_METRICS = ["task_progress", *SIX_CONCEPTS, "health", "commitment", "active_partners", "exits", "load"]
#: What each key metric is, for a reader of the report, from its declaration in :mod:`model.metrics`: the six
#: concepts by their labels (as in :data:`experiments.plots.CONCEPT_LABELS`), the others by label and description.
METRIC_TEXT = {
    name: CONCEPT_LABELS[name] if name in SIX_CONCEPTS else f"{metric(name).label_en}: {metric(name).description}"
    for name in KEY_METRICS
}

#: The figures' texts by language, ``{"en": {key: text}, "nl": {...}}``: the table is
#: :data:`experiments.texts.FIGURES` (the one translation module); this name stays for earlier callers.
FIGURE_TEXT = {lang: column(FIGURES, lang) for lang in ("en", "nl")}


def colour(index: int) -> str:
    """The colour of an arm (0 = the baseline)."""
    return ARM_COLOURS[index % len(ARM_COLOURS)]


# ---- figures ------------------------------------------------------------------------------------------------------


def _band(ax, comparison: Comparison, label: str, metric: str, index: int, shown: str | None = None) -> None:
    values = comparison.over_time(label, metric)
    mean, low, high = mean_interval(values, LEVEL, axis=0)
    weeks = np.arange(values.shape[1])
    ax.fill_between(weeks, low, high, color=colour(index), alpha=0.2, lw=0)
    ax.plot(weeks, mean, color=colour(index), lw=1.8 if index else 2.2, label=shown or label)


def new_figure(**kwargs: Any) -> Figure:
    """A matplotlib ``Figure`` (not managed by pyplot); matplotlib is imported with the first figure."""
    from matplotlib.figure import Figure

    return Figure(**kwargs)


def progress_figure(comparison: Comparison, lang: str = "en") -> Figure:
    """Task progress over the weeks: every arm's mean with its 95% band, and each variant's paired difference
    (texts in ``lang``, en or nl)."""
    t = FIGURE_TEXT["nl" if lang == "nl" else "en"]
    fig = new_figure(figsize=(9, 6.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    for i, arm in enumerate(comparison.arms):
        _band(top, comparison, arm.label, "task_progress", i, t["baseline"] if i == 0 else None)
    top.set_ylabel(t["progress"])
    top.set_title(t["progress_title"])
    top.legend(loc="upper left", fontsize=8, frameon=False)
    top.grid(alpha=0.3)
    base = comparison.over_time(comparison.arms[0].label, "task_progress")
    weeks = np.arange(base.shape[1])
    for i, arm in enumerate(comparison.arms[1:], start=1):
        diff = comparison.over_time(arm.label, "task_progress") - base
        mean, low, high = mean_interval(diff, LEVEL, axis=0)
        bottom.fill_between(weeks, low, high, color=colour(i), alpha=0.2, lw=0)
        bottom.plot(weeks, mean, color=colour(i), lw=1.8, label=arm.label)
    bottom.axhline(0.0, color="#333333", lw=1, ls="--")
    bottom.set_ylabel(t["difference"])
    bottom.set_xlabel(t["week"])
    bottom.set_title(t["difference_title"], fontsize=10)
    bottom.grid(alpha=0.3)
    return fig


def concepts_figure(comparison: Comparison, lang: str = "en") -> Figure:
    """The six concepts over the weeks, one panel each: every arm's mean with its 95% band."""
    t = FIGURE_TEXT["nl" if lang == "nl" else "en"]
    fig = new_figure(figsize=(11, 6.5), layout="constrained")
    axes = fig.subplots(2, 3, sharex=True).ravel()
    for ax, concept in zip(axes, SIX_CONCEPTS, strict=True):
        for i, arm in enumerate(comparison.arms):
            _band(ax, comparison, arm.label, concept, i, t["baseline"] if i == 0 else None)
        ax.set_title(CONCEPT_LABELS[concept], fontsize=10)
        ax.grid(alpha=0.3)
    for ax in axes[3:]:
        ax.set_xlabel(t["week"])
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize=8, frameon=False)
    fig.suptitle(t["concepts_title"])
    return fig


def _graph(scenario: Scenario) -> nx.Graph:
    g = nx.Graph()
    for p in scenario.partners:
        g.add_node(p.name, stake=p.stake, power=p.power)
    for r in scenario.relations:
        g.add_edge(r.a, r.b, trust=0.5 * (r.trust_ab + r.trust_ba))
    return g


def network_figure(comparison: Comparison, lang: str = "en") -> Figure | None:
    """The network before (the baseline) and after each variant, at the first seed; ``None`` if it is too large
    to draw. New partners and relations are green, merged partners orange, removed ones red and dashed."""
    t = FIGURE_TEXT["nl" if lang == "nl" else "en"]
    networks = [arm.scenarios[0] for arm in comparison.arms]
    if max(len(s.partners) for s in networks) > MAX_DRAWN_PARTNERS:
        return None
    base = _graph(networks[0])
    pos = nx.spring_layout(base, seed=1, k=1.2 / math.sqrt(max(len(base), 1)))
    n_panels = len(networks)
    cols = min(n_panels, 3)
    rows = math.ceil(n_panels / cols)
    fig = new_figure(figsize=(4.6 * cols, 4.4 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for index, (ax, arm) in enumerate(zip(axes, comparison.arms, strict=False)):
        draw_network(ax, base, pos, arm.scenarios[0], arm.variant)
        title = t["before"] if arm.variant is None else t["after"].format(arm.label)
        ax.set_title(title, fontsize=10, color=colour(index))
    for ax in axes[n_panels:]:
        ax.set_axis_off()
    fig.suptitle(t["network_title"], fontsize=10)
    return fig


def draw_network(ax, base: nx.Graph, pos: dict, scenario: Scenario, variant: Variant | None) -> None:
    """Draw a variant's network on ``ax`` over the baseline's layout ``pos``, marking what changed."""
    g = _graph(scenario)
    merges = variant.merge_partners if variant is not None else []
    merged = {m["into"]: [n for n in m["names"] if n in pos] for m in merges}
    parts = {n for names in merged.values() for n in names}
    place = {n: pos[n] for n in g if n in pos and n not in merged}
    for into, names in merged.items():  # a merged partner sits between the partners it replaces
        if into in g and names:
            place[into] = np.mean([pos[n] for n in names], axis=0)
    new = [n for n in g if n not in place]
    if new or merged:  # new and merged partners find a place near their neighbours; the others stay
        fixed = [n for n in place if n not in merged]
        for n in new:
            near = [place[m] for m in g.neighbors(n) if m in place]
            place[n] = np.mean(near, axis=0) + 0.05 if near else np.zeros(2)
        place = nx.spring_layout(g, pos=place, fixed=fixed or None, seed=1)
    removed = [n for n in base if n not in g and n not in parts]
    old_edges = [e for e in base.edges if not g.has_edge(*e) and not (set(e) & parts)]
    touches_merged = [e for e in g.edges if set(e) & set(merged) and not base.has_edge(*e)]
    added_edges = [e for e in g.edges if not base.has_edge(*e) and e not in touches_merged]
    if variant is not None:
        explicit = {frozenset(r["between"]) for r in variant.add_relation}
        added_edges += [e for e in touches_merged if frozenset(e) in explicit]
        touches_merged = [e for e in touches_merged if frozenset(e) not in explicit]
    kept_edges = [e for e in g.edges if base.has_edge(*e)]
    nx.draw_networkx_edges(g, place, edgelist=kept_edges + touches_merged, edge_color="#9a9a9a", width=1.2, ax=ax)
    nx.draw_networkx_edges(g, place, edgelist=added_edges, edge_color="#2ca02c", width=2.2, ax=ax)
    nx.draw_networkx_edges(
        base, pos, edgelist=old_edges, edge_color="#d62728", style="dashed", width=1.0, alpha=0.6, ax=ax
    )
    gone = removed + sorted(parts)
    if gone:
        nx.draw_networkx_nodes(
            base, pos, nodelist=gone, node_color="none", linewidths=1.5,
            edgecolors=["#d62728" if n in removed else "#ff7f0e" for n in gone],
            node_size=[80 + 500 * base.nodes[n]["stake"] for n in gone], ax=ax,
        )  # fmt: skip
    node_colours = ["#ff7f0e" if n in merged else "#2ca02c" if n in new else "#6baed6" for n in g]
    nx.draw_networkx_nodes(
        g, place, node_color=node_colours, node_size=[80 + 500 * g.nodes[n]["stake"] for n in g],
        edgecolors="#333333", linewidths=0.6, ax=ax,
    )  # fmt: skip
    if len(g) + len(gone) <= 40:
        labels = {n: n for n in g}
        nx.draw_networkx_labels(g, place, labels=labels, font_size=7, ax=ax)
        for names, tint in ((removed, "#b42318"), (sorted(parts), "#c75c00")):
            if names:
                nx.draw_networkx_labels(base, pos, labels={n: n for n in names}, font_size=7, font_color=tint, ax=ax)
    ax.margins(0.12)
    ax.set_axis_off()


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """A figure as PNG bytes (the figure is closed)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    pyplot().close(fig)
    return buffer.getvalue()


def _img(fig: Figure | None, alt: str) -> str:
    if fig is None:
        return f"<p><em>{html.escape(alt)}: the network is too large to draw.</em></p>"
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'


# ---- the report ---------------------------------------------------------------------------------------------------


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 66rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
.lead { color: #555; margin-top: 0; }
img { max-width: 100%; height: auto; display: block; margin: 0.8rem 0; }
table { border-collapse: collapse; font-family: Helvetica, Arial, sans-serif; font-size: 0.82rem; margin: 0.6rem 0; }
th, td { padding: 0.22rem 0.5rem; border-bottom: 1px solid #e2e2e2; text-align: right; white-space: nowrap; }
.wide { overflow-x: auto; }
th:first-child, td:first-child { text-align: left; }
td.better { color: #1a7f37; font-weight: bold; } td.worse { color: #b42318; font-weight: bold; }
td.unclear, td.same, td.negligible { color: #666; }
.summary li { margin-bottom: 0.5rem; }
code, pre { font-family: Menlo, Consolas, monospace; font-size: 0.85rem; background: #f4f4f4; }
pre { padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
.note { color: #555; font-size: 0.9rem; }
"""


def _fmt(x: float, sign: str = "") -> str:
    if math.isnan(x):
        return "–"  # missing: no active partner left in the runs (ODD 7.8)
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    return f"{x:{sign}.0f}" if abs(x) >= 1000 else f"{x:{sign}.3f}"


def _summary(comparison: Comparison) -> str:
    table = comparison.table
    items = []
    for arm in comparison.variants:
        rows = table[table["variant"] == arm.label].set_index("metric")
        tp = rows.loc["task_progress"]
        better = int(round(tp["share_better"] * tp["n"]))
        concepts = {v: [] for v in ("better", "worse", "negligible", "unclear", "same", "missing")}
        for c in SIX_CONCEPTS:
            concepts[verdict(rows.loc[c])].append(metric(c).label_nl)
        parts = [
            f"<strong>{html.escape(arm.label)}</strong>: task progress after {comparison.steps} weeks "
            f"{_fmt(tp['variant_mean'])} against {_fmt(tp['baseline_mean'])} in the baseline, a difference of "
            f"{tp['diff_mean']:+.3f} (95% interval {tp['diff_low']:+.3f} to {tp['diff_high']:+.3f}, effect size "
            f"d<sub>z</sub> {html.escape(format_dz(tp['effect_size_dz']))}); "
            f"the variant did better in {better} of {int(tp['n'])} seeds "
            f"(<em>{verdict(tp)}</em>)."
        ]
        missing = (int(rows.loc["trust", "missing_baseline"]), int(rows.loc["trust", "missing_variant"]))
        if any(missing):
            parts.append(
                f"Runs without active partners at the end (concepts missing): {missing[0]} of the "
                f"baseline, {missing[1]} of the variant."
            )
        for key, word in (
            ("better", "better"),
            ("worse", "worse"),
            ("negligible", "a negligible difference (within 0.01)"),
            ("unclear", "no clear difference"),
            ("missing", "missing"),
        ):
            if concepts[key]:
                parts.append(f"Concepts {word}: {html.escape(', '.join(concepts[key]))}.")
        items.append("<li>" + " ".join(parts) + "</li>")
    return '<ul class="summary">' + "".join(items) + "</ul>"


def _table_html(comparison: Comparison, label: str) -> str:
    rows = comparison.table[comparison.table["variant"] == label]
    head = (
        "<tr><th>metric</th><th>better when</th><th>baseline</th><th>95% interval</th><th>variant</th>"
        "<th>95% interval</th><th>difference</th><th>95% interval</th><th>d<sub>z</sub></th>"
        "<th>seeds better</th><th>verdict</th></tr>"
    )
    body = []
    order = KEY_METRICS + [m for m in METRICS if m not in KEY_METRICS]
    rows = rows.set_index("metric").loc[order].reset_index()
    for _, r in rows.iterrows():
        v = verdict(r)
        share = "" if math.isnan(r["share_better"]) else f"{r['share_better']:.0%}"
        body.append(
            f"<tr><td>{html.escape(r['metric'])}</td><td>{r['better_when']}</td>"
            f"<td>{_fmt(r['baseline_mean'])}</td><td>{_fmt(r['baseline_low'])} – {_fmt(r['baseline_high'])}</td>"
            f"<td>{_fmt(r['variant_mean'])}</td><td>{_fmt(r['variant_low'])} – {_fmt(r['variant_high'])}</td>"
            f"<td>{_fmt(r['diff_mean'], '+')}</td><td>{_fmt(r['diff_low'], '+')} – {_fmt(r['diff_high'], '+')}</td>"
            f'<td>{html.escape(format_dz(r["effect_size_dz"]))}</td><td>{share}</td><td class="{v}">{v}</td></tr>'
        )
    return f'<div class="wide"><table>{head}{"".join(body)}</table></div>'


def _command(comparison: Comparison) -> str:
    sc = comparison.scenario
    scenario = sc.name if not sc.source or Path(sc.source).parent.name == "data" else sc.source
    parts = ["netwerkregie", "compare", scenario, *[arm.variant.source for arm in comparison.variants]]
    parts += ["--replications", str(len(comparison.seeds)), "--steps", str(comparison.steps)]
    parts += ["--seed", str(comparison.base_seed)]
    if comparison.strategy:
        parts += ["--strategy", comparison.strategy]
    for name, value in comparison.constants.items():
        parts += ["--constant", f"{name}={value!r}"]
    for name, on in comparison.switches.items():
        parts += ["--switch", f"{name}={'on' if on else 'off'}"]
    return " ".join(f'"{p}"' if " " in p else p for p in parts)


def _version() -> str:
    try:
        return metadata.version("netwerkregie")
    except metadata.PackageNotFoundError:
        return "unknown"


def render_report(comparison: Comparison) -> str:
    """The report as one HTML text."""
    if comparison.table is None:
        raise ValueError("the comparison has not been run yet")
    sc = comparison.scenario
    esc = html.escape
    base_model_params = comparison.arms[0].kwargs
    variants_html = []
    for i, arm in enumerate(comparison.variants, start=1):
        changes = "".join(f"<li>{esc(line)}</li>" for line in arm.variant.describe())
        desc = f"<p>{esc(arm.variant.description)}</p>" if arm.variant.description else ""
        variants_html.append(
            f'<h3 style="color:{colour(i)}">{esc(arm.label)}</h3>{desc}<ul>{changes}</ul>'
            f"<p class=note>From {esc(arm.variant.source)}; {len(arm.scenarios[0].partners)} partners, "
            f"{len(arm.scenarios[0].relations)} relations, governance {esc(arm.scenarios[0].governance)}.</p>"
        )
    tables = "".join(f"<h3>{esc(arm.label)}</h3>{_table_html(comparison, arm.label)}" for arm in comparison.variants)
    refs = sorted(set(comparison.reference_rates))
    ref_text = f"{refs[0]:.3f}" if len(refs) == 1 else f"{min(refs):.3f} to {max(refs):.3f} (one per seed)"
    seeds = ", ".join(str(s) for s in comparison.seeds)
    strategy = comparison.strategy or base_model_params.get("strategy") or sc.settings.get("strategy") or "balanced"
    generated_note = (
        '<p class="note">This scenario draws its network per seed: shown is the network of the first seed.</p>'
        if sc.generated
        else ""
    )
    settings = ", ".join(f"{esc(k)} = {esc(str(v))}" for k, v in sc.settings.items()) or "none"
    constants = (
        "Calibration constants changed for every arm: "
        + ", ".join(f"<code>{esc(k)}</code> = {esc(repr(v))}" for k, v in comparison.constants.items())
        + ". "
        if comparison.constants
        else ""
    ) + (
        "Mechanisms switched for every arm: "
        + ", ".join(f"<code>{esc(k)}</code> {'on' if v else 'off'}" for k, v in comparison.switches.items())
        + ". "
        if comparison.switches
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>What if: {esc(sc.title)}</title><style>{_CSS}</style></head>
<body>
<h1>What if … {esc(sc.title)}</h1>
<p class="lead">The scenario <code>{esc(sc.name)}</code> as it is (the baseline) against {len(comparison.variants)}
variant(s), each over the same {len(comparison.seeds)} seeds, {comparison.steps} weeks, director's strategy
<code>{esc(strategy)}</code>.</p>

<h2>In short</h2>
{_summary(comparison)}
<p class="note">A difference is called better or worse only when its 95% interval lies entirely on one side of zero
and it is at least the metric's smallest difference of interest (0.01 on a 0-1 level, one event for a count);
<em>negligible</em> when the whole interval lies within that difference of zero; otherwise the model cannot tell
with this many seeds (<em>unclear</em>). These are outcomes of a simulation model,
useful to compare options and to see how sure the comparison is — not a forecast.</p>

<h2>The variants</h2>
{"".join(variants_html)}

<h2>Task progress over time</h2>
{_img(progress_figure(comparison), "task progress over the weeks")}

<h2>The six concepts over time</h2>
{_img(concepts_figure(comparison), "the six concepts over the weeks")}

<h2>The network before and after</h2>
{_img(network_figure(comparison), "the network before and after")}
{generated_note}

<h2>The table</h2>
<p class="note">Values at the end of week {comparison.steps}. Difference = variant − baseline, computed seed by seed
(paired) with a 95% t-interval; d<sub>z</sub> = the mean difference divided by the standard deviation of the
differences (0.2 small, 0.5 medium, 0.8 large); seeds better = the share of seeds in which the variant did better
(a tie is not better).</p>
{tables}

<h2>Assumptions</h2>
<ul>
<li>Every arm runs the same model with the same seeds; only the variant's changes differ. Replication <em>r</em> of
every arm uses seed <em>r</em> (common random numbers), so the comparison is paired.</li>
<li>A variant with the same partners and relations draws exactly the same random numbers as the baseline. A variant
that changes the network draws a different number per week, so the same numbers land in other roles: the pairing
then holds at the level of the seed only. The intervals remain valid; they are wider than with a perfect pairing.</li>
<li>Task progress of every arm is measured against the baseline network's output at full health (reference rate
{ref_text} per week), so a variant that removes or adds partners is compared on the same scale.</li>
<li>Scenario settings: {settings}. Governance of the baseline: {esc(comparison.arms[0].scenarios[0].governance)}.
{constants}Parameters not mentioned keep their declared defaults (see <code>docs/ODD.md</code>).</li>
<li>A partner's attributes, relations and initial trust in a variant follow the rules of
<code>docs/what-if.md</code> (merging: power the maximum, stake and values the mean, capacities the sum).</li>
</ul>

<h2>Seeds and reproduction</h2>
<p>Base seed {comparison.base_seed}; the {len(comparison.seeds)} seeds derive from it
(<code>SeedSequence([base seed, replication])</code>): {seeds}.</p>
<p>To reproduce:</p><pre>{esc(_command(comparison))}</pre>
<p class="note">netwerkregie {esc(_version())}; {len(comparison.arms) * len(comparison.seeds)} runs in
{comparison.wall_s:.1f} s.</p>
</body></html>
"""


def write_report(comparison: Comparison, path: str | Path) -> None:
    """Write the report atomically (never a half-written file)."""
    text = render_report(comparison)
    atomic_write(Path(path), lambda p: p.write_text(text, encoding="utf-8"))
