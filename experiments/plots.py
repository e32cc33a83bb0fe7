"""Figures of single runs: the six concepts and the joint task's progress over the weeks."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from model import SIX_CONCEPTS

CONCEPT_LABELS = {
    "trust": "vertrouwen (trust)",
    "respect": "respect",
    "equality": "gelijkwaardigheid (equality)",
    "freedom": "vrijheid (freedom)",
    "accountability": "verantwoordelijkheid (accountability)",
    "transparency": "transparantie (transparency)",
}
CONCEPT_COLOURS = {
    "trust": "#1b9e77",
    "respect": "#d95f02",
    "equality": "#7570b3",
    "freedom": "#e7298a",
    "accountability": "#66a61e",
    "transparency": "#e6ab02",
}


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
    top.plot(step, df["health"], label="health (mean)", color="black", lw=2.2, ls="--")
    top.set_ylim(0, 1)
    top.set_ylabel("network mean")
    top.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    top.set_title(title or "Netwerkregie run")
    top.grid(alpha=0.3)
    bottom.plot(step, df["task_progress"], color="#333333", lw=2.2, label="task progress (cumulative)")
    bottom.set_ylabel("task progress")
    twin = bottom.twinx()
    twin.plot(step, df["task_rate"], color="#888888", lw=1, alpha=0.8, label="task rate (per week)")
    twin.set_ylabel("task rate", color="#666666")
    lines = bottom.get_lines() + twin.get_lines()
    bottom.legend(lines, [ln.get_label() for ln in lines], loc="upper left", fontsize=8, frameon=False)
    bottom.set_xlabel("week")
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
