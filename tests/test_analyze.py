"""Sensitivity analysis: known indices of test functions through the sweep's own code path, and real sweeps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from experiments.analyze import analyze_design, main_effects
from experiments.cli import main as cli_main
from experiments.designs import Range, SweepSpec, load_spec, unit_samples
from experiments.sweep import run_sweep

# Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: analytic first- and total-order Sobol' indices
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def design(kind: str, ranges: list[Range], samples: int, seed: int = 1) -> tuple[np.ndarray, pd.DataFrame]:
    """The unit design and the parameter values, exactly as a sweep makes them."""
    spec = SweepSpec(
        kind=kind, samples=samples, levels=4, steps=None, replications=1, seed=seed, timeseries=False, ranges=ranges
    )
    unit = unit_samples(spec)
    values = pd.DataFrame({r.name: r.scale(unit[:, j]) for j, r in enumerate(ranges)})
    return unit, values


def ishigami(x: pd.DataFrame) -> np.ndarray:
    return np.sin(x.x1) + 7 * np.sin(x.x2) ** 2 + 0.1 * x.x3**4 * np.sin(x.x1)


def test_sobol_recovers_the_ishigami_indices():
    ranges = [Range(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3)]
    unit, values = design("sobol", ranges, 1024)
    method, table = analyze_design("sobol", unit, values, ishigami(values).to_numpy())
    assert method == "sobol"
    covered = 0
    for row in table.itertuples():
        truth = (ISHIGAMI_S1 if row.index == "S1" else ISHIGAMI_ST)[row.parameter]
        assert abs(row.value - truth) < 0.05, (row.parameter, row.index, row.value, truth)
        covered += row.ci_low <= truth <= row.ci_high
    assert covered >= 5  # 95% intervals: at most one of six may miss
    s1 = table[table["index"] == "S1"].set_index("parameter")["value"]
    assert s1["x2"] > s1["x1"] > s1["x3"]


def test_morris_gives_the_elementary_effects_of_a_linear_function_per_full_range():
    ranges = [Range("a", 0.0, 1.0), Range("b", 0.0, 4.0), Range("c", 10.0, 20.0)]
    unit, values = design("morris", ranges, 10)
    y = 2.0 * values.a + 0.5 * values.b + 0.0 * values.c
    method, table = analyze_design("morris", unit, values, y.to_numpy())
    assert method == "morris"
    mu = table[table["index"] == "mu_star"].set_index("parameter")["value"]
    sigma = table[table["index"] == "sigma"].set_index("parameter")["value"]
    assert mu.to_dict() == pytest.approx({"a": 2.0, "b": 2.0, "c": 0.0}, abs=1e-9)
    assert sigma.to_numpy() == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)


def test_main_effects_estimate_the_explained_variance_and_their_intervals_cover_it():
    # y = x1 + 0.5 x2 + noise on a balanced 5 x 5 grid, 8 runs per cell: eta^2 of x1 = var(x1) / var(y)
    levels = np.linspace(0, 1, 5)
    x1, x2 = (g.ravel() for g in np.meshgrid(levels, levels, indexing="ij"))
    x1, x2 = np.repeat(x1, 8), np.repeat(x2, 8)
    noise_sd = 0.3
    var1, var2 = np.var(levels), 0.25 * np.var(levels)
    truth = var1 / (var1 + var2 + noise_sd**2)
    estimates, covered = [], 0
    for seed in range(40):
        y = x1 + 0.5 * x2 + np.random.default_rng(seed).normal(0, noise_sd, len(x1))
        table = main_effects(pd.DataFrame({"x1": x1, "x2": x2}), y, seed=seed, n_boot=200).set_index("parameter")
        estimates.append(table.loc["x1", "value"])
        covered += table.loc["x1", "ci_low"] <= truth <= table.loc["x1", "ci_high"]
    assert abs(np.mean(estimates) - truth) < 0.03
    assert covered >= 32  # nominal 95%: at least 80% of 40 intervals cover the truth


def test_an_incomplete_sobol_design_falls_back_to_main_effects():
    ranges = [Range("x1", -np.pi, np.pi), Range("x2", -np.pi, np.pi), Range("x3", -np.pi, np.pi)]
    unit, values = design("sobol", ranges, 64)
    y = ishigami(values).to_numpy().copy()
    y[5] = np.nan  # a failed run
    method, table = analyze_design("sobol", unit, values, y)
    assert method == "main effects" and set(table["index"]) == {"eta2"}


# ---- on real sweeps, through the command ----------------------------------------------------------------------


def sweep(tmp_path, text: str):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    out = tmp_path / "out"
    with ThreadPoolExecutor(2) as pool:
        run_sweep(load_spec(path), out, executor=pool, progress=False)
    return out


def test_analyze_a_sobol_sweep_prints_indices_and_writes_a_figure(tmp_path, capsys):
    out = sweep(
        tmp_path,
        'scenario = "jeugdaanpak"\nsteps = 3\nseed = 2\n[design]\nkind = "sobol"\nsamples = 4\n'
        "[parameters]\nblame_culture = { min = 0.0, max = 1.0 }\nincident_rate = { min = 0.0, max = 2.0 }\n",
    )
    png = tmp_path / "a.png"
    assert cli_main(["analyze", str(out), "--metric", "trust", "--metric", "blame", "--out", str(png)]) == 0
    printed = capsys.readouterr().out
    assert "sobol" in printed and "blame_culture" in printed and "incident_rate" in printed
    assert png.read_bytes()[:4] == b"\x89PNG"
    table = pd.read_csv(png.with_suffix(".csv"))
    assert set(table["metric"]) == {"trust", "blame"} and set(table["index"]) == {"S1", "ST"}
    assert len(table) == 2 * 2 * 2


def test_analyze_a_sampled_sweep_with_categories_per_category_and_across(tmp_path, capsys):
    out = sweep(
        tmp_path,
        'scenario = "jeugdaanpak"\nsteps = 3\nreplications = 2\n[design]\nkind = "morris"\nsamples = 3\n'
        '[parameters]\nkappa = { min = 1.0, max = 4.0 }\nstrategy = ["balanced", "none"]\n',
    )
    assert cli_main(["analyze", str(out)]) == 0
    table = pd.read_csv(out / "analysis.csv")
    assert set(table["group"]) == {"strategy=balanced", "strategy=none", "categories"}
    assert set(table[table.group == "categories"]["index"]) == {"eta2"}
    assert (out / "analysis.png").exists()


def test_analyze_a_sweep_over_a_parameter_and_a_calibration_constant(tmp_path, capsys):
    out = sweep(
        tmp_path,
        'scenario = "jeugdaanpak"\nsteps = 3\nseed = 4\n[design]\nkind = "morris"\nsamples = 3\n'
        "[parameters]\nkappa = { min = 1.0, max = 4.0 }\n[constants]\nmet_tolerance = { min = 0.1, max = 0.35 }\n",
    )
    assert cli_main(["analyze", str(out), "--metric", "trust"]) == 0
    assert "const.met_tolerance" in capsys.readouterr().out
    table = pd.read_csv(out / "analysis.csv")
    assert set(table["parameter"]) == {"kappa", "const.met_tolerance"} and set(table["method"]) == {"morris"}


@pytest.mark.parametrize(
    ("args", "says"),
    [(["--metric", "happiness"], "happiness"), (["--out", "fig.jpg"], ".png")],
)
def test_analyze_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, says):
    out = sweep(tmp_path, 'scenario = "jeugdaanpak"\nsteps = 2\n[parameters]\nkappa = [1.0, 3.0]\n')
    before = sorted(p.name for p in out.iterdir())
    assert cli_main(["analyze", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
    assert sorted(p.name for p in out.iterdir()) == before


def test_analyze_a_folder_without_results_exits_2(tmp_path, capsys):
    assert cli_main(["analyze", str(tmp_path)]) == 2
    assert "holds no sweep results" in capsys.readouterr().err
