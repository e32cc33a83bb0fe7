"""Sub-mechanism S1. Beta reputation (Josang & Ismail 2002): with a steady share of positive evidence, trust
converges to its published limit."""

from __future__ import annotations

from typing import Any

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import VERIFICATION, Check, Config, Row, SubMechanism
from model import mechanisms as mech

KEY = "S1"


def beta_reputation_curve(p: float = 0.8, retention: float = 0.9, ticks: int = 200) -> np.ndarray:
    """Trust read after each update with a steady share p of positive evidence (W = 2, a = 1/2, κ = 1)."""
    r = s = 0.0
    out = np.empty(ticks)
    for t in range(ticks):
        r, s = mech.update_evidence(r, s, p, 1.0 - p, retention)
        out[t] = mech.trust_from_evidence(r, s, 0.5, 2.0)
    return out


def run(cfg: Config) -> tuple[list[Row], Any]:
    curve = beta_reputation_curve()
    limit = (0.8 + 1 - 0.9) / (1 + 2 * (1 - 0.9))
    r_inf, s_inf = mech.update_evidence(0.0, 0.0, 0.8 * 1e6, 0.2 * 1e6, 1.0)
    no_forget = float(mech.trust_from_evidence(r_inf, s_inf, 0.5, 2.0))
    doubt = float(mech.doubt_from_evidence(r_inf, s_inf, 2.0))
    error = abs(float(curve[-1]) - limit)
    rows = [
        Row(
            KEY,
            "beta reputation limit (p 0.8, lambda 0.9) = 0.75",
            "-",
            error,
            float("nan"),
            float("nan"),
            criterion=abs(limit - 0.75) < 1e-12,
            note=f"effect: error against the closed form; trust {curve[-1]:.3f} after {len(curve)} updates",
        ),
        Row(
            KEY,
            "without forgetting trust -> p, doubt -> 0",
            "-",
            max(abs(no_forget - 0.8), doubt),
            float("nan"),
            float("nan"),
            note=f"effect: the larger of the error of trust and doubt; trust {no_forget:.6f}, doubt {doubt:.1e}",
        ),
    ]
    return rows, {"curve": curve, "limit": limit}


def draw(data: dict[str, Any], cfg: Config):
    plt = plotting.pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(np.arange(1, len(data["curve"]) + 1), data["curve"], label="trust read after each update")
    ax.axhline(data["limit"], color="grey", ls=":", label=f"(p + 1 - lambda)/(1 + 2(1 - lambda)) = {data['limit']:g}")
    ax.set_xscale("log")
    ax.set_xlabel("updates (p = 0.8 positive, lambda = 0.9, W = 2, a = 1/2)")
    ax.set_ylabel("trust")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("Beta reputation converges to its published limit (Josang & Ismail 2002)", fontsize=10)
    return plotting.finish(fig)


TEXT = """\
With prior weight W = 2, base rate a = 1/2, κ = 1 and a steady share p of positive evidence, trust read right after
each update converges to (p + 1 - λ)/(1 + 2(1 - λ)): for p = 0.8 and retention λ = 0.9 that is 0.75, which the
function reaches to machine precision; without forgetting (λ = 1) trust converges to p and doubt to 0. This is a
verification of the code against its own closed form, not evidence that the model is valid.
"""

CHECKS = (
    Check(
        "beta reputation limit (p 0.8, lambda 0.9) = 0.75",
        VERIFICATION,
        1e-9,
        "trust (0-1): the error against the closed form",
        why="far above the rounding of 200 floating-point updates, far below any difference of interest",
        basis="the fixed point (p + 1 - λ)/(1 + 2(1 - λ)) of update_evidence and trust_from_evidence: the code against "
        "its own closed form",
        zero_one=False,
        at_most=True,
    ),
    Check(
        "without forgetting trust -> p, doubt -> 0",
        VERIFICATION,
        1e-5,
        "trust and doubt (0-1): the error against the limits",
        why="after 10^6 units of evidence the closed form leaves doubt W/(n + W) = 2e-6: the tolerance allows that",
        basis="(r + aW)/(r + s + W) -> r/(r + s) = p and W/(r + s + W) -> 0 as the evidence grows",
        zero_one=False,
        at_most=True,
    ),
)

PATTERN = SubMechanism(
    key=KEY,
    title="Beta reputation",
    source="Josang & Ismail 2002",
    mechanisms="`mechanisms.update_evidence`, `trust_from_evidence`",
    run=run,
    figure="validation_S1_beta.png",
    draw=draw,
    text=TEXT,
    checks=CHECKS,
)
