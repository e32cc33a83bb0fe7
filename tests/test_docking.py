"""The docking study (experiments/docking.py, docs/validation.md "Docking"): the mediation estimator and its
bootstrap recover a known indirect effect on synthetic data, the criterion tells partial, full and no mediation and
wrong signs apart, the networks are drawn inside the declared domains and reproducibly, the command's options and the
page's part; a long test runs ``--quick`` end to end."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from experiments import docking as dk
from experiments import holdout as ho
from experiments.cli import build_parser
from experiments.cli import main as command_line
from model import PARAMETERS
from model.inputs import InputError

ROOT = Path(__file__).resolve().parents[1]


def synthetic(a: float, b: float, c_prime: float, n: int = 400, seed: int = 1) -> tuple[np.ndarray, ...]:
    """Standard-normal effort x; trust m = a x + noise with unit variance; outcome y = c' x + b m + noise with unit
    variance: the standardised paths are a, b and c' exactly (in expectation)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    m = a * x + np.sqrt(1 - a**2) * rng.normal(size=n)
    var_y = c_prime**2 + b**2 + 2 * c_prime * b * a
    y = c_prime * x + b * m + np.sqrt(1 - var_y) * rng.normal(size=n)
    return x, m, y


def est(a: float, b: float, c_prime: float, n: int = 400, seed: int = 1) -> dk.Estimate:
    x, m, y = synthetic(a, b, c_prime, n, seed)
    return dk.estimate("pooled", x, m, y, 400, np.random.default_rng(seed + 100))


def test_the_estimator_recovers_a_known_indirect_effect():
    a, b, c_prime = 0.5, 0.4, 0.3
    e = est(a, b, c_prime, n=20_000)
    assert e.point["a"] == pytest.approx(a, abs=0.02)
    assert e.point["b"] == pytest.approx(b, abs=0.02)
    assert e.point["c_prime"] == pytest.approx(c_prime, abs=0.02)
    assert e.point["indirect"] == pytest.approx(a * b, abs=0.02)
    assert e.point["proportion"] == pytest.approx(a * b / (c_prime + a * b), abs=0.03)
    assert e.point["indirect"] == pytest.approx(e.point["c"] - e.point["c_prime"], abs=1e-9)  # c = c' + a b


def test_the_bootstrap_interval_covers_the_true_indirect_effect_at_about_95_percent():
    a, b = 0.4, 0.4
    covered = 0
    for seed in range(40):
        x, m, y = synthetic(a, b, 0.2, n=200, seed=seed)
        lo, hi = ho.mediation_bootstrap(x, m, y, 300, np.random.default_rng(seed))["indirect"]
        covered += lo <= a * b <= hi
    assert covered >= 34  # 95% of 40 is 38; a binomial lower bound of about 1% leaves 34


def test_the_criterion_holds_for_partial_mediation_and_fails_for_wrong_signs():
    scenarios = [est(0.5, 0.4, 0.3, n=100, seed=s) for s in range(4)]
    verdict = dk.judge(est(0.5, 0.4, 0.3), scenarios)
    assert verdict.result == "holds" and not verdict.failed
    full = dk.judge(est(0.5, 0.6, 0.0), scenarios)  # no direct effect: full mediation
    assert full.result != "holds" and any(name.startswith("(c)") for name in full.failed)
    none = dk.judge(est(0.0, 0.0, 0.5), scenarios)  # management works, not through trust
    assert none.result != "holds" and any(name.startswith("(a)") for name in none.failed)
    negative = dk.judge(est(0.5, 0.6, -0.3), scenarios)  # a direct effect against the published sign
    assert negative.result == "fails"
    few = dk.judge(est(0.5, 0.4, 0.3), [est(0.5, 0.4, -0.3, n=100, seed=s) for s in range(4)])
    assert few.result == "partly" and few.failed == [few.parts[-1][0]]


def test_the_networks_are_drawn_inside_the_declared_ranges_and_reproducibly():
    cfg = replace(dk.FULL, per_scenario=20)
    nets = dk.draw_networks(cfg)
    assert len(nets) == 20 * len(cfg.scenarios) and nets == dk.draw_networks(cfg)
    assert len({seed for _, _, seed in nets}) == len(nets)
    for scenario, params, _ in nets:
        ranges = {**dk.RANGES, **(dk.SYNTHETIC_RANGES if scenario == "synthetic" else {})}
        assert set(params) == {"scenario", "strategy", *ranges}
        for name, (low, high) in ranges.items():
            assert low <= params[name] <= high
            PARAMETERS[name].validate(params[name])
    hours = np.array([p["director_hours"] for s, p, _ in nets if s == "jeugdaanpak"])
    assert np.histogram(hours, bins=20, range=dk.RANGES["director_hours"])[0].tolist() == [1] * 20  # a hypercube
    sizes = {p["n_partners"] for s, p, _ in nets if s == "synthetic"}
    assert all(isinstance(n, int) for n in sizes) and len(sizes) > 10
    assert dk.FULL.networks >= 200


def test_a_network_run_is_reproducible_and_measures_the_hours_spent():
    params = {"scenario": "jeugdaanpak", "strategy": "balanced", "director_hours": 0.0}
    assert dk.run_network(params, 3, 8)[0] == 0.0
    busy = {**params, "director_hours": 20.0}
    first = dk.run_network(busy, 3, 8)
    assert first == dk.run_network(busy, 3, 8) and 0 < first[0] <= 20.0


def test_the_command_offers_docking_and_refuses_a_quick_doc(tmp_path):
    args = build_parser().parse_args(["validate", "--docking", "--quick", "--doc", str(tmp_path / "x.md")])
    assert args.docking and args.quick
    with pytest.raises(InputError, match="--doc"):
        dk.main(args)
    page = tmp_path / "page.md"
    page.write_text("no markers\n", encoding="utf-8")
    assert command_line(["validate", "--docking", "--doc", str(page)]) == 2
    assert command_line(["validate", "--docking", "--holdout"]) == 2


def test_write_page_replaces_only_the_marked_part(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"before\n{dk.BEGIN}\nold\n{dk.END}\nafter\n", encoding="utf-8")
    dk.write_page(page, "new table")
    assert page.read_text(encoding="utf-8") == f"before\n{dk.BEGIN}\nnew table\n{dk.END}\nafter\n"
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert text.count(dk.BEGIN) == 1 and text.count(dk.END) == 1


@pytest.mark.long
def test_quick_docking_end_to_end(tmp_path, capsys):
    args = argparse.Namespace(quick=True, workers=2, figures=str(tmp_path), doc=None)
    assert dk.main(args) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:2] == ["Docking", r] for line in out.splitlines() for r in ("holds", "partly", "fails"))
    assert f"{dk.QUICK.networks} networks in" in out
    assert (tmp_path / dk.FIGURE).stat().st_size > 10_000
