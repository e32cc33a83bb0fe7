"""Figures of single runs: the six concepts and the joint task's progress over the weeks."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from model import SIX_CONCEPTS
from model.metrics import metric

#: The six concepts' labels in figures, Dutch with English ("vertrouwen (trust)"), from :mod:`model.metrics`.
CONCEPT_LABELS = {c: metric(c).label_nl_en() for c in SIX_CONCEPTS}
#: The six concepts' colours in figures, from :mod:`model.metrics`.
CONCEPT_COLOURS = {c: metric(c).colour_in("figure") for c in SIX_CONCEPTS}


@cache
def pyplot() -> Any:
    """``matplotlib.pyplot`` on the Agg backend (files, no window), imported when the first figure is drawn:
    matplotlib takes seconds to import, and commands that draw nothing should not wait for it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_run(df: pd.DataFrame, path: Path, title: str = "") -> None:
    """Two panels: the six concepts (0-1) and task progress with the weekly task rate."""
    plt = pyplot()
    step = df["step"] if "step" in df else range(len(df))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True, height_ratios=[3, 2])
    for c in SIX_CONCEPTS:
        top.plot(step, df[c], label=CONCEPT_LABELS[c], color=CONCEPT_COLOURS[c], lw=1.8)
    top.plot(step, df["health"], label="health (mean)", color=metric("health").colour_in("figure"), lw=2.2, ls="--")
    top.set_ylim(0, 1)
    top.set_ylabel("network mean")
    top.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    top.set_title(title or "Netwerkregie run")
    top.grid(alpha=0.3)
    progress, rate = metric("task_progress"), metric("task_rate")
    bottom.plot(
        step, df["task_progress"], color=progress.colour_in("figure"), lw=2.2, label="task progress (cumulative)"
    )
    bottom.set_ylabel("task progress")
    twin = bottom.twinx()
    twin.plot(step, df["task_rate"], color=rate.colour_in("figure"), lw=1, alpha=0.8, label="task rate (per week)")
    twin.set_ylabel("task rate", color="#666666")
    lines = bottom.get_lines() + twin.get_lines()
    bottom.legend(lines, [ln.get_label() for ln in lines], loc="upper left", fontsize=8, frameon=False)
    bottom.set_xlabel("week")
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
