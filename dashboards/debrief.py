"""The debrief for the dashboard: its computation lives in :mod:`experiments.training.debrief` and its figure and
HTML export in :mod:`experiments.training.export` (``netwerkregie debrief`` writes the same page); this module
re-exports them for the pages and for code that imports ``dashboards.debrief``."""

from __future__ import annotations

from dashboards.training import week_summary  # the training page's "what happened last week"
from experiments.training.debrief import (
    MAX_COUNTERFACTUAL_WORK,
    PANELS,
    STRATEGIES,
    TOP_MOMENTS,
    Debrief,
    Moment,
    compute_debrief,
    counterfactual_moment,
    counterfactual_work,
    describe_decisions,
    describe_plan,
    final_values,
    moment_texts,
    moments_intro,
    path_label,
)
from experiments.training.export import COLOURS, debrief_figure, debrief_html, debrief_png, figure_png

__all__ = [
    "COLOURS",
    "MAX_COUNTERFACTUAL_WORK",
    "PANELS",
    "STRATEGIES",
    "TOP_MOMENTS",
    "Debrief",
    "Moment",
    "compute_debrief",
    "counterfactual_moment",
    "counterfactual_work",
    "debrief_figure",
    "debrief_html",
    "debrief_png",
    "describe_decisions",
    "describe_plan",
    "figure_png",
    "final_values",
    "moment_texts",
    "moments_intro",
    "path_label",
    "week_summary",
]
