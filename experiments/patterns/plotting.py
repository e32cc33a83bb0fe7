"""Plotting helpers of the pattern figures (docs/figures/validation_*.png): colours, bars and bands with 95% CIs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from experiments.files import atomic_write
from experiments.patterns.common import SCENARIO_LABELS
from model import METRICS

COLOURS = {"a": "#1b9e77", "b": "#d95f02", "c": "#7570b3", "d": "#e7298a", "e": "#66a61e"}
STRATEGY_COLOURS = {"balanced": "#1b9e77", "none": "#777777", "task_focus": "#d95f02", "relation_focus": "#7570b3"}


def colour(k: int) -> str:
    """The k-th colour of :data:`COLOURS` (cycling)."""
    return list(COLOURS.values())[k % len(COLOURS)]


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def ci(x: np.ndarray) -> float:
    """Half-width of the 95% confidence interval of the mean (finite values only)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(1.96 * x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0


def bars(ax, groups: list[str], series: dict[str, list[np.ndarray]], title: str, ylabel: str = "") -> None:
    """Grouped bars with 95% confidence intervals: one group per scenario, one bar per arm."""
    width = 0.8 / max(len(series), 1)
    x = np.arange(len(groups))
    for k, (label, values) in enumerate(series.items()):
        means = [np.nanmean(v) for v in values]
        errs = [ci(v) for v in values]
        ax.bar(
            x + (k - (len(series) - 1) / 2) * width, means, width, yerr=errs, label=label, color=colour(k), capsize=2
        )
    ax.set_xticks(x, [SCENARIO_LABELS.get(g, g) for g in groups], rotation=20, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)


def series(results: list[dict[str, Any]], metric: str) -> np.ndarray:
    """Per-week values of ``metric``: (runs, weeks)."""
    k = METRICS.index(metric)
    return np.array([r["series"][:, k] for r in results])


def band(ax, results, metric, label, line_colour) -> None:
    """The mean of ``metric`` over the weeks with its 95% confidence band."""
    y = series(results, metric)
    mean, err = y.mean(axis=0), 1.96 * y.std(axis=0, ddof=1) / np.sqrt(len(y))
    t = np.arange(len(mean))
    ax.plot(t, mean, color=line_colour, label=label, lw=1.6)
    ax.fill_between(t, mean - err, mean + err, color=line_colour, alpha=0.2, lw=0)


def finish(fig):
    """Lay a figure out (tight) and return it."""
    fig.tight_layout()
    return fig


def save(fig, path: Path) -> Path:
    """Write a figure as PNG (100 dpi, atomically) and close it."""
    atomic_write(path, lambda p: fig.savefig(p, dpi=100, format="png"))
    pyplot().close(fig)
    return path
