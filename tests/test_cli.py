"""The netwerkregie command: scenarios and run, as a user types them."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import atomic_write, main
from model import METRICS


def test_scenarios_lists_the_four(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in ["jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein", "synthetic"]:
        assert name in out


def test_run_prints_a_table_and_writes_csv_parquet_and_plot(tmp_path: Path, capsys):
    csv, parquet, png = tmp_path / "r.csv", tmp_path / "r.parquet", tmp_path / "r.png"
    assert main(["run", "jeugdaanpak", "--steps", "12", "--seed", "3", "--out", str(csv), "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "task_progress" in out and "vertrouwen" in out
    df = pd.read_csv(csv)
    assert list(df.columns) == ["step", *METRICS] and len(df) == 13
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert main(["run", "jeugdaanpak", "--steps", "12", "--seed", "3", "--out", str(parquet)]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(parquet), df, check_dtype=False)


def test_run_with_strategy_and_set(tmp_path: Path):
    out = tmp_path / "r.csv"
    args = ["run", "synthetic", "--steps", "5", "--strategy", "none", "--set", "n_partners=40", "--out", str(out)]
    assert main(args) == 0
    assert (pd.read_csv(out)["hours_spent"] == 0).all()


def test_run_with_a_constant_equals_the_model_with_that_override(tmp_path: Path, capsys):
    from model import CollaborationModel

    out = tmp_path / "r.csv"
    args = ["run", "jeugdaanpak", "--steps", "6", "--seed", "2", "--out", str(out)]
    assert main([*args, "--constant", "met_tolerance=0.05", "--constant", "expectation_management_weeks=12"]) == 0
    assert "met_tolerance = 0.05, expectation_management_weeks = 12" in capsys.readouterr().out
    model = CollaborationModel(
        scenario="jeugdaanpak", rng=2, constants={"met_tolerance": 0.05, "expectation_management_weeks": 12}
    )
    model.run_for(6)
    expected = model.datacollector.get_model_vars_dataframe()[METRICS].to_numpy()
    written = pd.read_csv(out)
    assert written[METRICS].to_numpy() == pytest.approx(expected, rel=1e-12, abs=0)
    assert main(args) == 0  # without the override: other results
    assert pd.read_csv(out)[METRICS].to_numpy() != pytest.approx(expected, rel=1e-12, abs=0)


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "nosuch"], "unknown scenario"),
        (["run", "jeugdaanpak", "--set", "blame_culture=9"], "blame_culture"),
        (["run", "jeugdaanpak", "--set", "nosuch=1"], "unknown parameter 'nosuch'"),
        (["run", "jeugdaanpak", "--set", "blame_culture"], "KEY=VALUE"),
        (["run", "jeugdaanpak", "--strategy", "bossy"], "strategy"),
        (["run", "jeugdaanpak", "--out", "x.xlsx"], ".csv or .parquet"),
        (["run", "jeugdaanpak", "--set", "n_partners=30"], "n_partners"),
        (["run", "jeugdaanpak", "--constant", "met_tolerence=0.2"], "unknown constant 'met_tolerence'"),
        (["run", "jeugdaanpak", "--constant", "met_tolerance=2"], "constant met_tolerance = 2.0 is outside [0, 1]"),
        (["run", "jeugdaanpak", "--constant", "synergy=nan"], "constant synergy must be a finite number"),
        (["run", "jeugdaanpak", "--constant", "synergy"], "expected NAME=VALUE"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_bad_input_from_a_real_shell_has_no_traceback(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[partner]]\nname = 'A'\n[[partner]]\nname = 'B'\n")
    p = subprocess.run([sys.executable, "-m", "experiments.cli", "run", str(bad)], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "lacks 'power'" in p.stderr


def test_written_files_get_a_normal_files_mode(tmp_path: Path):
    target = tmp_path / "out.csv"
    atomic_write(target, lambda p: p.write_text("a,b\n"))
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_interrupted_write_leaves_no_file(tmp_path: Path):
    target = tmp_path / "out.csv"

    def crash(path: Path) -> None:
        path.write_text("half a tab")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, crash)
    assert list(tmp_path.iterdir()) == []


def test_validate_with_doc_rewrites_the_pattern_sections_of_the_page(tmp_path: Path, monkeypatch, capsys):
    from experiments import patterns as pt
    from experiments.patterns import page

    one = [p for p in pt.PLUGINS if p.key == "11"]  # one pattern, small networks, a few weeks: seconds, not hours
    for name in ("PLUGINS", "EXPERIMENTS", "PATTERNS"):
        monkeypatch.setattr(pt, name, one)
    monkeypatch.setattr(pt, "REPRODUCTIONS", [])
    monkeypatch.setattr(pt, "FULL", pt.Config(seeds=3, base_seed=11, steps=3, sizes=(4, 8), bootstrap=50))
    target = tmp_path / "validation.md"
    target.write_text(f"# Validation\n\nWritten by hand.\n\n{page.BEGIN}\nold sections\n{page.END}\n\nThe end.\n")
    figures = tmp_path / "figures"
    args = ["validate", "--doc", str(target), "--figures", str(figures), "--workers", "1"]
    assert main(args) == 0
    assert f"the pattern sections of {target} rewritten" in capsys.readouterr().out
    before, generated, after = page.split(target.read_text(encoding="utf-8"))
    assert before == "# Validation\n\nWritten by hand.\n\n" and after == "\n\nThe end.\n"
    assert generated.startswith(f"## 11. {one[0].title}") and "old sections" not in generated
    assert "| check | label | scenario |" in generated and pt.common.TABLE_PLACEHOLDER not in generated
    assert (figures / one[0].figure).stat().st_size > 10_000
