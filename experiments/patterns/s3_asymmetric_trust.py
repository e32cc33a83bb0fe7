"""Sub-mechanism S3. Asymmetric trust (Slovic 1993): one negative experience with kappa > 1 costs more trust than
one positive experience gains."""

from __future__ import annotations

from typing import Any

import numpy as np

from experiments.patterns import plotting
from experiments.patterns.common import VERIFICATION, Check, Config, Row, SubMechanism
from model import mechanisms as mech

KEY = "S3"


def run(cfg: Config) -> tuple[list[Row], Any]:
    n0 = 1.0 / (1.0 - 0.95)
    levels = np.linspace(0.5, 0.95, 10)
    r, s = mech.evidence_for_trust(levels, 0.95)
    t = mech.trust_from_evidence(r, s)
    gain = mech.trust_from_evidence(r + 1.0, s) - t
    rows = []
    curves = {}
    for kappa in (1.0, 2.0, 3.0):
        loss = t - mech.trust_from_evidence(r, s + kappa)
        curves[kappa] = loss
        if kappa > 1:
            rows.append(
                Row(
                    KEY,
                    f"one negative (kappa {kappa:g}) costs more than one positive gains",
                    "-",
                    float(np.min(loss / gain)),
                    float("nan"),
                    float("nan"),
                    criterion=bool(np.all(loss > gain)),
                    note=f"trust 0.5-0.95 at {n0:g} units of evidence; effect: min loss/gain",
                )
            )
    return rows, {"levels": t, "gain": gain, "loss": curves}


def draw(data: dict[str, Any], cfg: Config):
    plt = plotting.pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(data["levels"], data["gain"], "k-", label="gain from one positive experience")
    for k, (kappa, loss) in enumerate(data["loss"].items()):
        ax.plot(
            data["levels"],
            loss,
            "--",
            color=plotting.colour(k),
            label=f"loss from one negative, kappa {kappa:g}",
        )
    ax.set_xlabel("trust before the experience (20 units of evidence)")
    ax.set_ylabel("change of trust")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("Asymmetric trust: with kappa > 1 a negative experience costs more than a positive gains", fontsize=10)
    return plotting.finish(fig)


TEXT = """\
At the model's steady amount of evidence (retention 0.95: 20 units) and any trust between 0.5 and 0.95, one negative
experience with κ = 2 or 3 costs more trust than one positive experience gains (the table reports the smallest ratio
of loss to gain over that range). With κ = 1 the two are nearly equal at trust 0.5 and a positive experience gains
more at low trust: the asymmetry comes from κ, as the model intends. Like S1 this verifies the code against its own
algebra; it is no evidence that the model is valid.
"""

CHECKS = (
    Check(
        "one negative (kappa *) costs more than one positive gains",
        VERIFICATION,
        1.1,
        "ratio of the trust one negative experience costs to what one positive gains",
        why="a tenth more loss than gain: a smaller asymmetry would vanish in the noise of a relation's judgements",
        basis="trust_from_evidence (r + aW)/(r + s + W): one negative experience adds κ to s, one positive 1 to r "
        "(asymmetric_judgement); the code against its own algebra",
        zero_one=False,
    ),
)

PATTERN = SubMechanism(
    key=KEY,
    title="Asymmetric trust",
    source="Slovic 1993",
    mechanisms="`mechanisms.asymmetric_judgement`",
    run=run,
    figure="validation_S3_asymmetry.png",
    draw=draw,
    text=TEXT,
    checks=CHECKS,
)
