"""The hold-out patterns H1-H5 (experiments/holdout.py, docs/holdout.md): each evaluation's statistics on synthetic
runs (one input that must pass and one that must fail), the helpers, the command's options and the page's part;
a long test runs ``--quick`` end to end on one scenario."""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from experiments import holdout as ho
from experiments.cli import build_parser
from experiments.cli import main as command_line
from model.inputs import InputError

ROOT = Path(__file__).resolve().parents[1]
ONE = replace(ho.QUICK, seeds=30, scenarios=("jeugdaanpak",), bootstrap=400)
WEEKS = 104


def run(final: dict[str, float], series: np.ndarray | None = None) -> dict:
    """A fake run result: final metrics and the weekly :data:`ho.SERIES` (rows 0..WEEKS)."""
    if series is None:
        series = np.zeros((WEEKS + 1, len(ho.SERIES)))
    return {"final": final, "series": series}


def evaluate(holdout: ho.Holdout, results: dict, cfg: ho.HoldoutConfig = ONE) -> tuple[list[ho.Check], ho.Verdict]:
    checks, verdicts, _ = ho.evaluate_all(cfg, {holdout.key: results}, (holdout,))
    return checks, verdicts[holdout.key]


def by_key(key: str) -> ho.Holdout:
    return next(h for h in ho.HOLDOUTS if h.key == key)


# ---- helpers --------------------------------------------------------------------------------------------------


def test_mediation_recovers_known_paths():
    rng = np.random.default_rng(1)
    x = rng.normal(size=5000)
    m = 0.6 * x + 0.8 * rng.normal(size=5000)  # standardised a = 0.6
    y = 0.3 * x + 0.5 * m + rng.normal(size=5000)
    est = ho.mediation(x, m, y)
    assert est["a"] == pytest.approx(0.6, abs=0.03)
    assert est["indirect"] == pytest.approx(est["c"] - est["c_prime"], abs=1e-9)  # OLS identity c = c' + a b
    assert 0.3 < est["proportion"] < 0.7


def test_half_week_is_the_first_week_at_half_the_final_value():
    assert ho.half_week(np.array([0.0, 0.1, 0.4, 0.5, 1.0])) == 3
    assert ho.half_week(np.array([0.0, -0.6, -1.0])) == 1  # a negative difference reaches half of itself too
    assert math.isnan(ho.half_week(np.array([0.0, 0.2, 0.0])))


def test_holm_over_all_checks_and_the_seoi_both_decide():
    checks = [
        ho.Check("H1", "x", "s", effect=0.5, p_value=0.004, seoi=0.02, criterion=True),
        ho.Check("H1", "y", "s", effect=0.5, p_value=0.004, seoi=0.02, criterion=True),
        ho.Check("H1", "z", "s", effect=0.005, p_value=1e-9, seoi=0.01, criterion=False),
        ho.Check("H1", "w", "s", effect=0.1, criterion=True),  # judged by an interval: not in the family
    ]
    ho.apply_holm(checks)
    assert checks[0].p_holm == pytest.approx(0.008) and checks[0].holds  # 3 tested: 0.004 x 2 at rank 2
    assert not checks[2].holds  # significant but below its SEOI
    assert checks[3].holds and math.isnan(checks[3].p_holm)
    checks[0].p_value = checks[1].p_value = 0.006  # 0.006 x 2 = 0.012 > 0.01
    ho.apply_holm(checks)
    assert not checks[0].holds and not checks[1].holds


# ---- H1 -------------------------------------------------------------------------------------------------------


def h1_results(trust_slope: float, seed: int = 2) -> dict:
    rng = np.random.default_rng(seed)
    out = {}
    for h in ho.HOURS:
        runs = []
        for _ in range(ONE.seeds):
            trust = 0.5 + trust_slope * h + rng.normal(0, 0.03)
            task = 0.2 + 0.004 * h + 0.5 * trust + rng.normal(0, 0.02)
            s = np.zeros((WEEKS + 1, len(ho.SERIES)))
            s[1:, ho.SERIES.index("hours_spent")] = h
            runs.append(run({"trust": trust, "task_progress": task}, s))
        out[("jeugdaanpak", f"{h:g} h")] = runs
    return out


def test_h1_partial_mediation_passes():
    checks, verdict = evaluate(by_key("H1"), h1_results(trust_slope=0.008))
    assert all(c.holds for c in checks), [(c.label, c.effect) for c in checks if not c.holds]
    assert verdict.result == "holds"


def test_h1_fails_when_management_does_not_raise_trust():
    checks, verdict = evaluate(by_key("H1"), h1_results(trust_slope=0.0))
    assert not next(c for c in checks if c.label.startswith("(a)")).holds
    assert not next(c for c in checks if c.label.startswith("(c)")).holds
    assert verdict.result == "fails"


# ---- H2 -------------------------------------------------------------------------------------------------------


def h2_results(combined: float, best_single: float) -> dict:
    rng = np.random.default_rng(3)
    means = {iv: 0.4 for iv in ho.NINE} | {"covenant": best_single, "four process": combined, "all nine": combined}
    return {
        ("jeugdaanpak", arm): [
            run({"task_progress": mean + rng.normal(0, 0.01), "trust": 0.7}) for _ in range(ONE.seeds)
        ]
        for arm, mean in means.items()
    }


def test_h2_combining_beats_every_single_kind_passes():
    checks, verdict = evaluate(by_key("H2"), h2_results(combined=0.5, best_single=0.45))
    assert all(c.holds for c in checks) and verdict.result == "holds"
    assert "(covenant)" in checks[0].label  # the best single kind is found after the runs


def test_h2_fails_when_one_kind_is_better_than_combining():
    checks, verdict = evaluate(by_key("H2"), h2_results(combined=0.5, best_single=0.6))
    assert not checks[0].holds and checks[1].holds and verdict.result == "fails"


# ---- H3 -------------------------------------------------------------------------------------------------------


def h3_results(advantage: float) -> dict:
    rng = np.random.default_rng(4)
    means = {
        (ho.HIGH_HIGH, "shared"): 0.45 + advantage,
        (ho.LOW_LOW, "lead"): 0.4 + advantage,
    }
    return {
        (cell, mode): [
            run({"task_progress": means.get((cell, mode), 0.45 if cell == ho.HIGH_HIGH else 0.4) + rng.normal(0, 0.01)})
            for _ in range(ONE.seeds)
        ]
        for cell in ho.CELLS
        for mode in ho.MODES
    }


def test_h3_contingency_passes():
    checks, verdict = evaluate(by_key("H3"), h3_results(advantage=0.05))
    assert verdict.result == "holds", [(c.label, c.effect, c.holds) for c in checks]
    assert not next(c for c in checks if c.label == "(b) nao beats shared").holds  # one of (b) is enough


def test_h3_fails_without_any_difference_between_modes():
    checks, verdict = evaluate(by_key("H3"), h3_results(advantage=0.0))
    assert not any(c.holds for c in checks) and verdict.result == "fails"


# ---- H4 -------------------------------------------------------------------------------------------------------


def h4_results(trust_tau: float, commitment_tau: float) -> dict:
    rng = np.random.default_rng(5)
    t = np.arange(WEEKS + 1)
    out: dict = {("jeugdaanpak", "dialogue"): [], ("jeugdaanpak", "structure"): []}
    for _ in range(ONE.seeds):
        progress = rng.uniform(0.1, 0.3)
        dialogue = np.zeros((WEEKS + 1, len(ho.SERIES)))
        structure = np.zeros_like(dialogue)
        dialogue[:, 0] = 0.5 + 0.2 * (1 - np.exp(-t / trust_tau)) + rng.normal(0, 0.005, t.size)
        dialogue[:, 1] = 0.5 + 0.1 * (1 - np.exp(-t / commitment_tau)) + rng.normal(0, 0.005, t.size)
        dialogue[:, 2] = 0.5 + 0.1 * (1 - np.exp(-t / commitment_tau)) + rng.normal(0, 0.005, t.size)
        dialogue[:, 3] = progress * t / WEEKS * 4
        dialogue[ho.WEEK :, 0] += 0.5 * (progress - 0.2) * (t[ho.WEEK :] - ho.WEEK) / WEEKS  # small wins feed back
        structure[:, :3] = 0.5
        finals = {m: float(dialogue[-1, k]) for k, m in enumerate(ho.SERIES)}
        out[("jeugdaanpak", "dialogue")].append(run(finals, dialogue))
        out[("jeugdaanpak", "structure")].append(run(dict.fromkeys(ho.SERIES, 0.5), structure))
    return out


def test_h4_trust_first_and_small_wins_pass():
    checks, verdict = evaluate(by_key("H4"), h4_results(trust_tau=4.0, commitment_tau=20.0))
    assert all(c.holds for c in checks), [(c.label, c.effect, c.interval) for c in checks if not c.holds]
    assert verdict.result == "holds"


def test_h4_fails_when_commitment_comes_before_trust():
    checks, verdict = evaluate(by_key("H4"), h4_results(trust_tau=20.0, commitment_tau=4.0))
    ordering = [c for c in checks if c.label.startswith("(b)")]
    assert ordering and not any(c.holds for c in ordering)
    assert verdict.result == "fails"


# ---- H5 -------------------------------------------------------------------------------------------------------


def h5_results(mean: float, sd: float) -> dict:
    rng = np.random.default_rng(6)
    runs = []
    for _ in range(ONE.seeds):
        week = rng.uniform(0.3, 0.7, 40)
        both = np.ones(40, dtype=bool)
        both[:3] = False  # relations of a partner who left are not counted
        end = week + rng.normal(mean, sd, 40)
        end[:3] = -5.0
        runs.append({"final": {}, "trust_week": week, "trust_end": end, "both_active": both})
    return {("jeugdaanpak", "default"): runs}


def test_h5_small_heterogeneous_rise_passes():
    checks, verdict = evaluate(by_key("H5"), h5_results(mean=0.05, sd=0.1))
    assert all(c.holds for c in checks) and verdict.result == "holds"
    assert 0.25 < checks[1].effect < 0.4  # about P(N(0.05, 0.1) < 0); the three left-out relations not counted


def test_h5_fails_when_every_relation_rises_steadily():
    checks, verdict = evaluate(by_key("H5"), h5_results(mean=0.3, sd=0.02))
    assert not checks[0].holds and not checks[1].holds and verdict.result == "fails"


# ---- the command and the page ------------------------------------------------------------------------------


def test_the_arms_follow_the_protocol():
    arms = {h.key: h.arms(ho.FULL) for h in ho.HOLDOUTS}
    assert len(arms["H1"]) == 4 * 6 and {a.params["director_hours"] for a in arms["H1"]} == set(ho.HOURS)
    assert len(arms["H2"]) == 4 * 11 and len(ho.NINE) == 9
    assert not {"align_layers", "steer_own_goals"} & set(ho.NINE)
    assert len(arms["H3"]) == 12 and len(arms["H4"]) == 8 and len(arms["H5"]) == 4
    cell = ho.synthetic_cell((0.6, 0.8), (0.4, 0.6)).build(seed=11)
    assert len(cell.partners) == 12
    assert all(0.6 <= r.trust_ab <= 0.8 and 0.6 <= r.trust_ba <= 0.8 for r in cell.relations)
    assert all(0.4 <= v <= 0.6 for p in cell.partners for v in p.values)
    assert ho.FULL.seeds == 30 and ho.FULL.bootstrap == 2000 and ho.FULL.steps is None and ho.FULL.needed == 3


def test_a_relations_run_is_reproducible():
    params = {"scenario": ho.synthetic_cell((0.2, 0.4), (0.0, 1.0)), "governance": "shared"}
    first, second = (ho.run_task("relations", params, 5, 30) for _ in range(2))
    assert np.array_equal(first["trust_end"], second["trust_end"])
    assert first["final"] == second["final"]


def test_the_command_offers_holdout_and_refuses_a_quick_doc(tmp_path):
    args = build_parser().parse_args(["validate", "--holdout", "--quick", "--doc", str(tmp_path / "x.md")])
    assert args.holdout and args.quick
    with pytest.raises(InputError, match="--doc"):
        ho.main(args)
    page = tmp_path / "page.md"
    page.write_text("# a page without the markers\n", encoding="utf-8")
    with pytest.raises(InputError, match="hold-out part"):
        ho.main(argparse.Namespace(quick=False, workers=1, figures=None, doc=str(page)))


def test_the_command_line_routes_holdout_to_the_hold_outs(tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_text("no markers\n", encoding="utf-8")
    assert command_line(["validate", "--holdout", "--doc", str(page)]) == 2
    assert "no hold-out part" in capsys.readouterr().err  # the hold-out's check, before any run


def test_write_page_replaces_only_the_marked_part(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"before\n{ho.BEGIN}\nold\n{ho.END}\nafter\n", encoding="utf-8")
    ho.write_page(page, "new table")
    assert page.read_text(encoding="utf-8") == f"before\n{ho.BEGIN}\nnew table\n{ho.END}\nafter\n"
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert text.count(ho.BEGIN) == 1 and text.count(ho.END) == 1


@pytest.mark.long
def test_quick_holdout_end_to_end_on_one_scenario(tmp_path, capsys):
    args = argparse.Namespace(quick=True, workers=2, figures=str(tmp_path), doc=None)
    assert ho.main(args, scenarios=["jeugdaanpak"]) == 0
    out = capsys.readouterr().out
    for key in ("H1", "H2", "H3", "H4", "H5"):
        assert any(
            line.startswith(f"{key} ") and line.split()[1] in ("holds:", "partly:", "fails:")
            for line in out.splitlines()
        )
    assert (tmp_path / ho.FIGURE).stat().st_size > 10_000
