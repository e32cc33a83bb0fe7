"""The network view and the time-series plots, drawn as SVG texts (cheap to build, drawn by the browser).

Positions are computed once per network and stored (a seeded spring layout; for large networks a cheap spectral
layout), so Step, Play and Reset never move the nodes. Nodes: size by power, colour by commitment, grey when the
partner has left. Relations: colour by mutual trust; a relation in distrust (distrust above trust on either
side) is drawn red and dashed. Large networks draw only their strongest relations (at most ``MAX_EDGES``).
"""

from __future__ import annotations

import html
import threading
import zlib
from collections import OrderedDict

import matplotlib as mpl
import networkx as nx
import numpy as np

from dashboards.i18n import metric_label, tr
from model import SIX_CONCEPTS, CollaborationModel
from model import mechanisms as mech
from model.metrics import metric

MAX_EDGES = 1500
SPRING_LIMIT = 300  # above this many partners the layout is spectral (a spring layout takes seconds)
LABEL_LIMIT = 40  # names are written on the nodes up to this many partners
TRUST_CMAP = mpl.colormaps["Blues"]
COMMITMENT_CMAP = mpl.colormaps["RdYlGn"]
#: The six concepts' colours in the charts, from :mod:`model.metrics` (their ``colour_in("dashboard")``).
CONCEPT_COLOURS = [metric(c).colour_in("dashboard") for c in SIX_CONCEPTS]
DISTRUST_COLOUR = "#d62728"
LEFT_COLOUR = "#c8c8c8"

_LAYOUTS: OrderedDict[tuple, np.ndarray] = OrderedDict()
_LAYOUT_CACHE_SIZE = 16
_LAYOUT_LOCK = threading.Lock()


def network_key(model: CollaborationModel) -> tuple:
    """Identifies a network: its partner names and relations (a synthetic network differs by seed)."""
    st = model.state
    return (model.scenario_name, st.n, st.m, zlib.crc32(st.src.tobytes() + st.dst.tobytes()))


def layout_positions(model: CollaborationModel) -> np.ndarray:
    """Node positions (n, 2) in [-1, 1], computed once per network and stored; seeded, so always the same."""
    key = network_key(model)
    with _LAYOUT_LOCK:  # several browser sessions share the stored layouts
        if key in _LAYOUTS:
            _LAYOUTS.move_to_end(key)
            return _LAYOUTS[key]
    st = model.state
    graph = nx.Graph()
    graph.add_nodes_from(range(st.n))
    once = st.src < st.dst
    graph.add_edges_from(zip(st.src[once].tolist(), st.dst[once].tolist(), strict=True))
    seed = zlib.crc32(model.scenario_name.encode()) % (2**31)
    if st.n <= SPRING_LIMIT:
        pos = nx.spring_layout(graph, seed=seed, k=1.8 / np.sqrt(max(st.n, 1)), iterations=100)
    else:
        try:
            pos = nx.spectral_layout(graph)
        except (nx.NetworkXException, ValueError, ArithmeticError):
            pos = nx.circular_layout(graph)
    xy = np.array([pos[i] for i in range(st.n)], dtype=float)
    xy -= xy.mean(axis=0)
    span = np.abs(xy).max()
    if span > 0:
        xy /= span
    with _LAYOUT_LOCK:
        _LAYOUTS[key] = xy
        while len(_LAYOUTS) > _LAYOUT_CACHE_SIZE:
            _LAYOUTS.popitem(last=False)
    return xy


def _hex(rgba: np.ndarray) -> list[str]:
    """Colours (k, 4) in [0, 1] as ``#rrggbb`` texts."""
    rgb = np.clip(np.round(np.asarray(rgba)[:, :3] * 255), 0, 255).astype(int)
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in rgb]


def network_svg(
    model: CollaborationModel, lang: str = "nl", selected: str | None = None, layer: str = "floor"
) -> tuple[str, int, int]:
    """The network as an SVG text. Returns (svg, relations drawn, relations in the network).

    Every node carries ``data-partner="<name>"`` so a click can select it; hovering shows name, power and
    commitment. ``layer`` is the work floor ("floor": the partners' joint work, the relations every metric reports)
    or the boards ("board", switch ``layers``: the relations between the organisations' boards, and each node
    coloured by its organisation's vertical alignment instead of its commitment). With one layer both views are
    the same network.
    """
    st = model.state
    board = layer == "board" and st.layers
    xy = layout_positions(model)
    width, height, pad = 640.0, 540.0, 46.0
    px = pad + (xy[:, 0] + 1) / 2 * (width - 2 * pad)
    py = pad + (1 - (xy[:, 1] + 1) / 2) * (height - 2 * pad)
    if board:
        trust = st.board_trust()
        distrust = mech.distrust_from_evidence(st.board_r, st.board_s, st.prior_weight)
    else:
        trust = st.trust()
        distrust = st.distrust()
    once = np.flatnonzero(st.src < st.dst)
    back = st.rev[once]
    mutual = 0.5 * (trust[once] + trust[back])
    in_distrust = (distrust[once] > trust[once]) | (distrust[back] > trust[back])
    active = st.edge_active[once]
    total = len(once)
    order = np.arange(total)
    if total > MAX_EDGES:  # draw only the strongest relations (in trust or in distrust), active ones first
        strength = np.maximum(mutual, 0.5 * (distrust[once] + distrust[back])) + active
        order = np.argsort(-strength, kind="stable")[:MAX_EDGES]
    many = st.n > LABEL_LIMIT
    stroke = 1.0 if many else 3.2
    edge_colour = _hex(TRUST_CMAP(0.25 + 0.75 * mutual[order]))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        'style="width:100%;max-width:760px;height:auto;font-family:sans-serif">'
    ]
    left_edges, live_edges, bad_edges = [], [], []
    for k, e in enumerate(order):
        a, b = st.src[once[e]], st.dst[once[e]]
        coords = f'x1="{px[a]:.1f}" y1="{py[a]:.1f}" x2="{px[b]:.1f}" y2="{py[b]:.1f}"'
        if not active[e]:
            left_edges.append(f"<line {coords}/>")
        elif in_distrust[e]:
            bad_edges.append(f"<line {coords}/>")
        else:
            live_edges.append(f'<line {coords} stroke="{edge_colour[k]}"/>')
    parts.append(f'<g stroke="{LEFT_COLOUR}" stroke-width="1" stroke-dasharray="2 3">{"".join(left_edges)}</g>')
    parts.append(f'<g stroke-width="{stroke}" stroke-linecap="round">{"".join(live_edges)}</g>')
    parts.append(
        f'<g class="distrust" stroke="{DISTRUST_COLOUR}" stroke-width="{stroke}" stroke-dasharray="7 4">'
        f"{''.join(bad_edges)}</g>"
    )
    node_value = st.alignment if board else st.commitment
    node_colour = _hex(COMMITMENT_CMAP(np.clip(node_value, 0, 1)))
    radius = (2.0 + 5.0 * st.power) if many else (7.0 + 16.0 * st.power)
    nodes = []
    for i, name in enumerate(st.names):
        fill = node_colour[i] if st.active[i] else LEFT_COLOUR
        ring = ' stroke="#111" stroke-width="3"' if name == selected else ""
        safe = html.escape(name, quote=True)
        node_label = metric_label("alignment" if board else "commitment", lang)
        tip = f"{safe} — {tr('power', lang)} {st.power[i]:.2f}, {node_label} {node_value[i]:.2f}" + (
            "" if st.active[i] else f" ({tr('gone', lang)})"
        )
        label = ""
        if not many:
            colour = "#222" if st.active[i] else "#999"
            label = (
                f'<text x="{px[i]:.1f}" y="{py[i] - radius[i] - 4:.1f}" text-anchor="middle" font-size="12" '
                f'fill="{colour}" pointer-events="none">{safe}</text>'
            )
        nodes.append(
            f'<g data-partner="{safe}" style="cursor:pointer"><circle cx="{px[i]:.1f}" cy="{py[i]:.1f}" '
            f'r="{radius[i]:.1f}" fill="{fill}"{ring}><title>{tip}</title></circle>{label}</g>'
        )
    parts.append(f'<g stroke="#333" stroke-width="0.8">{"".join(nodes)}</g>')
    parts.append(
        f'<text x="{width - 8:.0f}" y="18" text-anchor="end" font-size="13" fill="#333">'
        f"{tr('after_week', lang, week=model.steps) if model.steps else tr('at_start', lang)}</text>"
    )
    if st.layers:
        parts.append(
            f'<text x="8" y="18" font-size="13" font-weight="bold" fill="#333">'
            f"{tr('board_layer' if board else 'floor_layer', lang)}</text>"
        )
    parts.append(_network_legend(lang, height, board))
    parts.append("</svg>")
    return "".join(parts), len(order), total


def _network_legend(lang: str, height: float, board: bool = False) -> str:
    y = height - 14
    trust_label = metric_label("trust", lang)  # in the board view: trust between the boards (its title says so)
    node_label = metric_label("alignment" if board else "commitment", lang)
    items = [
        f'<line x1="8" y1="{y}" x2="34" y2="{y}" stroke="{_hex(TRUST_CMAP([0.95]))[0]}" stroke-width="3"/>',
        f'<text x="38" y="{y + 4}" font-size="11">{trust_label} ↑</text>',
        f'<line x1="108" y1="{y}" x2="134" y2="{y}" stroke="{_hex(TRUST_CMAP([0.35]))[0]}" stroke-width="3"/>',
        f'<text x="138" y="{y + 4}" font-size="11">{trust_label} ↓</text>',
        f'<line x1="208" y1="{y}" x2="234" y2="{y}" stroke="{DISTRUST_COLOUR}" stroke-width="3" '
        'stroke-dasharray="7 4"/>',
        f'<text x="238" y="{y + 4}" font-size="11">{tr("distrust", lang)}</text>',
        f'<circle cx="330" cy="{y}" r="6" fill="{_hex(COMMITMENT_CMAP([0.9]))[0]}" stroke="#333"/>',
        f'<circle cx="345" cy="{y}" r="6" fill="{_hex(COMMITMENT_CMAP([0.1]))[0]}" stroke="#333"/>',
        f'<text x="356" y="{y + 4}" font-size="11">{node_label} ↑ ↓</text>',
        f'<circle cx="486" cy="{y}" r="6" fill="{LEFT_COLOUR}" stroke="#333"/>',
        f'<text x="497" y="{y + 4}" font-size="11">{tr("gone", lang)}</text>',
    ]
    return "<g>" + "".join(items) + "</g>"


def line_chart_svg(
    x: np.ndarray,
    series: list[tuple[str, np.ndarray, str]],
    title: str,
    ylim: tuple[float, float] | None = None,
    width: float = 300.0,
    height: float = 200.0,
    reference: float | None = None,
    legend: bool = False,
    min_span: float = 10.0,
) -> str:
    """A small line chart as an SVG text: ``series`` is a list of (label, values, colour)."""
    columns = 3
    legend_rows = (len(series) + columns - 1) // columns if legend else 0
    height += 14 * legend_rows
    left, right, top, bottom = 36.0, 8.0, 22.0, 22.0 + 14 * legend_rows
    x = np.asarray(x, dtype=float)
    ys = [np.asarray(v, dtype=float) for _, v, _ in series]
    if ylim is None:
        high = max([float(np.nanmax(v)) for v in ys if len(v)] + [reference or 0.0, 0.01])
        ylim = (0.0, high * 1.1)
    x0, x1 = (float(x.min()), float(x.max())) if len(x) else (0.0, 1.0)
    x1 = max(x1, x0 + min_span)
    y0, y1 = ylim
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(v):
        return left + (np.asarray(v) - x0) / (x1 - x0) * plot_w

    def sy(v):
        return top + (1 - (np.asarray(v) - y0) / (y1 - y0)) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'style="width:100%;height:auto;font-family:sans-serif">',
        f'<text x="{left}" y="14" font-size="12" fill="#222">{html.escape(title)}</text>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bbb"/>',
    ]
    for frac in (0.0, 0.5, 1.0):
        value = y0 + frac * (y1 - y0)
        yy = sy(value)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 4}" y="{yy + 4:.1f}" font-size="10" text-anchor="end">{value:.2g}</text>')
    for value in (x0, x1):
        parts.append(
            f'<text x="{sx(value):.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="middle">{value:.0f}</text>'
        )
    if reference is not None and y0 <= reference <= y1:
        yy = sy(reference)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{DISTRUST_COLOUR}" '
            'stroke-dasharray="3 3"/>'
        )
    for (label, _, colour), v in zip(series, ys, strict=True):
        if len(v) == 0:
            continue
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(sx(x), sy(np.clip(v, y0, y1)), strict=True))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{html.escape(label)}</title></polyline>"
        )
    if legend:
        for k, (label, _, colour) in enumerate(series):
            lx = left + (k % columns) * plot_w / columns
            ly = top + plot_h + 30 + (k // columns) * 14
            parts.append(
                f'<line x1="{lx}" x2="{lx + 14}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="3"/>'
            )
            parts.append(f'<text x="{lx + 18}" y="{ly}" font-size="10">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def timeseries_svgs(model: CollaborationModel, lang: str = "nl") -> list[str]:
    """Three charts: the six concepts, task progress, information load (with the overload line at 1)."""
    df = model.datacollector.get_model_vars_dataframe()
    x = df.index.to_numpy()
    concepts = [
        (metric_label(c, lang), df[c].to_numpy(), colour)
        for c, colour in zip(SIX_CONCEPTS, CONCEPT_COLOURS, strict=True)
    ]
    return [
        line_chart_svg(x, concepts, tr("six_concepts", lang), ylim=(0.0, 1.0), width=640, legend=True),
        line_chart_svg(
            x,
            [
                (
                    metric_label("task_progress", lang),
                    df["task_progress"].to_numpy(),
                    metric("task_progress").colour_in("dashboard"),
                )
            ],
            metric_label("task_progress", lang),
        ),
        line_chart_svg(
            x,
            [(metric_label("load", lang), df["load"].to_numpy(), metric("load").colour_in("dashboard"))],
            metric_label("load", lang),
            reference=1.0,
        ),
    ]
