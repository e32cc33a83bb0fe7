"""The robustness study (experiments/robustness.py, docs/validation.md "Robustness over every constant"): the designs
(ranges, domains, whole numbers, reproducible), the store (an interrupted run continues to the same results, another
design is refused), the options, and a long reduced run through the command that writes the page's parts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from experiments import robustness as rb
from experiments.cli import main as command_line
from model.constants import CONSTANTS, Constant
from model.inputs import InputError

ROOT = Path(__file__).resolve().parents[1]


def test_every_constant_is_a_factor_inside_its_range_and_domain():
    chosen = rb.factors()
    assert [f.name for f in chosen] == list(CONSTANTS)
    for f in chosen:
        c = CONSTANTS[f.name]
        assert f.low < f.high or (c.integer and f.low == f.high)
        assert (f.low, f.high) == (max(c.low, f.low), min(c.high, f.high))
        for u in (0.0, 0.3, 0.999, 1.0):
            assert c.check(f.value(u)) == f.value(u)  # inside the domain: the model takes it
            assert f.low <= f.value(u) <= f.high
        if c.integer:
            assert f.value(0.0) == f.low and f.value(1.0) == f.high
            values = {f.value(u) for u in np.linspace(0, 1, 101)}
            assert values == {float(v) for v in range(int(f.low), int(f.high) + 1)}


def test_a_constant_without_a_range_takes_half_either_side_clipped_to_its_domain():
    def constant(value, low, high, domain, **kw):
        return Constant("x", value, low, high, "-", "g", "s", "d", domain=domain, **kw)

    assert rb.factor_of(constant(0.4, 0.4, 0.4, (0.0, 1.0))) == rb.Factor("x", 0.2, 0.6000000000000001)
    assert rb.factor_of(constant(0.8, 0.8, 0.8, (0.0, 1.0))) == rb.Factor("x", 0.4, 1.0)
    open_low = rb.factor_of(constant(1.0, 0.0, 2.0, (0.0, None), low_open=True))
    assert 0.0 < open_low.low < 1e-5 and open_low.high == 2.0
    weeks = rb.factor_of(constant(5, 5, 5, (0, 100), integer=True))
    assert (weeks.low, weeks.high, weeks.integer) == (3.0, 7.0, True)
    assert {weeks.value(u) for u in np.linspace(0, 1, 50)} == {3.0, 4.0, 5.0, 6.0, 7.0}


def test_the_hypercube_is_reproducible_latin_and_stratified_by_scenario():
    unit, where = rb.lhs_design(40)
    again, where_again = rb.lhs_design(40)
    assert np.array_equal(unit, again) and where == where_again
    assert not np.array_equal(unit, rb.lhs_design(40, seed=1)[0])
    assert unit.shape == (40, len(CONSTANTS))
    for column in unit.T:  # one point in each of the 40 strata of every constant
        assert sorted(np.floor(column * 40).astype(int)) == list(range(40))
    assert {s: where.count(s) for s in rb.scenarios()} == {s: 10 for s in rb.scenarios()}


def test_the_morris_design_has_whole_trajectories_on_its_levels():
    unit = rb.morris_design(3)
    k = len(CONSTANTS)
    assert unit.shape == (3 * (k + 1), k)
    assert set(np.round(unit, 9).ravel()) <= {0.0, round(1 / 3, 9), round(2 / 3, 9), 1.0}
    steps = np.abs(np.diff(unit.reshape(3, k + 1, k), axis=1))
    assert ((steps > 0).sum(axis=2) == 1).all()  # one constant moves per step


def test_the_patterns_are_those_with_an_emergent_check():
    keys = [p.key for p in rb.emergent_patterns()]
    assert keys == ["1", "4", "7", "8", "11", "12", "13"]
    assert all(
        p.scenarios == ("gebiedsontwikkeling",) for p in rb.point_patterns("gebiedsontwikkeling") if p.key == "13"
    )
    assert "13" not in [p.key for p in rb.point_patterns("jeugdaanpak")]


def small_studies(store: Path) -> list[rb.Study]:
    """Two cheap points of the hypercube (4 weeks, 2 seeds) and six of the Morris design."""
    lhs = rb.lhs_study(store, 4, 2, 4)
    keep = [i for i, (s, _) in enumerate(lhs.labels) if s in ("jeugdaanpak", "sociaal_domein")]
    lhs = replace(lhs, tasks=[lhs.tasks[i] for i in keep], labels=[lhs.labels[i] for i in keep])
    morris = rb.morris_study(store, 2, 4)
    morris = replace(morris, tasks=morris.tasks[:6], labels=morris.labels[:6])
    return [lhs, morris]


def stored(study: rb.Study) -> dict:
    out = {}
    for path in sorted((study.folder / "points").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("seconds")
        out[path.name] = data
    return out


def test_an_interrupted_run_continues_to_the_same_results(tmp_path, monkeypatch):
    whole = small_studies(tmp_path / "whole")
    for study in whole:
        rb.run_study(study, workers=0, progress=False)
    parts = small_studies(tmp_path / "parts")
    real_write, written = rb._write_json, []

    def write_then_stop(path, data):
        real_write(path, data)
        written.append(path)
        if path.name != "design.json" and len(written) in (2, 6):
            raise KeyboardInterrupt

    monkeypatch.setattr(rb, "_write_json", write_then_stop)
    for study in parts:
        with pytest.raises(KeyboardInterrupt):
            rb.run_study(study, workers=0, progress=False)
    monkeypatch.setattr(rb, "_write_json", real_write)
    assert len(stored(parts[0])) == 1 and len(stored(parts[1])) == 3  # what was done before the interruption
    for study in parts:
        done = rb.run_study(study, workers=0, progress=False)
        assert len(done) == len(study.tasks)
    for a, b in zip(whole, parts, strict=True):
        assert stored(a) == stored(b) and len(stored(a)) == len(a.tasks)
    lhs_rows = [r for record in stored(parts[0]).values() for r in record["rows"]]
    assert {r["pattern"] for r in lhs_rows} >= {"1", "4", "7", "8", "12"}


def test_a_store_of_another_design_is_refused(tmp_path):
    rb.open_study(rb.lhs_study(tmp_path, 8, 2, 4))
    rb.open_study(rb.lhs_study(tmp_path, 8, 2, 4))  # the same design: fine
    for other in (rb.lhs_study(tmp_path, 8, 3, 4), rb.lhs_study(tmp_path, 12, 2, 4), rb.lhs_study(tmp_path, 8, 2, 5)):
        with pytest.raises(InputError, match="--store .*another design"):
            rb.open_study(other)
    rb.open_study(rb.morris_study(tmp_path, 2, 4))
    with pytest.raises(InputError, match="--store .*morris results are of another design"):
        rb.open_study(rb.morris_study(tmp_path, 3, 4))


def exit_status(argv: list[str]) -> int:
    """The command's exit status, whether it returns it or the parser exits (a value it cannot parse)."""
    try:
        return command_line(argv)
    except SystemExit as e:
        return int(e.code)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        (["--points", "3"], "--points"),
        (["--points", "x"], "--points"),
        (["--seeds", "1"], "--seeds"),
        (["--seeds", "101"], "--seeds"),
        (["--trajectories", "1"], "--trajectories"),
        (["--steps", "2"], "--steps"),
        (["--workers", "0"], "--workers"),
        (["--scheduler", "not an address"], "--scheduler"),
        (["--quick", "--doc", "docs/validation.md"], "--doc"),
        (["--ablation"], "--ablation and --robustness"),
    ],
)
def test_bad_options_exit_2_naming_the_option(tmp_path, capsys, options, field):
    assert exit_status(["validate", "--robustness", "--store", str(tmp_path / "s"), *options]) == 2
    assert field in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_the_store_must_be_a_folder_and_its_options_need_robustness(tmp_path, capsys):
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    assert command_line(["validate", "--robustness", "--store", str(file)]) == 2
    assert "--store" in capsys.readouterr().err
    assert command_line(["validate", "--points", "8"]) == 2
    assert "--points applies to --robustness only" in capsys.readouterr().err


def test_the_page_has_the_robustness_parts():
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for marker in (rb.BEGIN, rb.END, rb.HEAD_BEGIN, rb.HEAD_END):
        assert text.count(marker) == 1
    assert text.index(rb.HEAD_BEGIN) < text.index("\n## ") < text.index(rb.BEGIN)


@pytest.mark.long
def test_a_reduced_run_through_the_command_writes_the_page(tmp_path, capsys):
    page = tmp_path / "validation.md"
    page.write_text(
        f"# V\n\n{rb.HEAD_BEGIN}\nSTALE\n{rb.HEAD_END}\n\n## R\n\n{rb.BEGIN}\nSTALE\n{rb.END}\nafter\n",
        encoding="utf-8",
    )
    options = ["--points", "8", "--seeds", "2", "--trajectories", "2", "--steps", "12", "--workers", "2"]
    argv = ["validate", "--robustness", *options, "--store", str(tmp_path / "s"), "--figures", str(tmp_path), "--doc"]
    assert command_line([*argv, str(page)]) == 0
    out = capsys.readouterr().out
    assert "s per point" in out and "goal (90%)" in out
    text = page.read_text(encoding="utf-8")
    assert "STALE" not in text and text.endswith(f"{rb.END}\nafter\n")
    assert "--points 8 --seeds 2 --trajectories 2 --steps 12" in text and "**Robustness.**" in text
    for key in ("1", "4", "7", "8", "11", "12", "13"):
        assert f"\n| {key} | " in text
    assert (tmp_path / rb.MORRIS_FIGURE).stat().st_size > 10_000
    assert len(json.loads((tmp_path / "s" / "summary.json").read_text(encoding="utf-8"))["shares"]) == 7
    assert (tmp_path / rb.LHS_FIGURE).stat().st_size > 10_000
    before = {p.name: p.read_bytes() for p in (tmp_path / "s" / "lhs" / "points").glob("*.json")}
    assert len(before) == 8
    assert command_line([*argv, str(page)]) == 0  # a rerun finds every point done and runs nothing
    assert "lhs: 8 points, 8 already" in capsys.readouterr().out
    assert before == {p.name: p.read_bytes() for p in (tmp_path / "s" / "lhs" / "points").glob("*.json")}


def test_a_failing_point_is_not_stored_and_the_others_go_on(tmp_path, monkeypatch):
    study = small_studies(tmp_path)[1]
    real, bad = rb.run_morris_point, study.tasks[2][1]

    def failing(scenario, constants, seeds, steps):
        if constants == bad:
            raise ValueError("no model here")
        return real(scenario, constants, seeds, steps)

    monkeypatch.setattr(rb, "run_morris_point", failing)
    failures: dict[int, str] = {}
    done = rb.run_study(study, workers=0, progress=False, failures=failures)
    assert sorted(done) == [0, 1, 3, 4, 5] and list(failures) == [2] and "no model here" in failures[2]
    assert not study.path(2).exists()
    monkeypatch.setattr(rb, "run_morris_point", real)
    assert sorted(rb.run_study(study, workers=0, progress=False)) == list(range(6))


def test_quick_has_small_sizes_and_a_store_of_its_own(tmp_path, monkeypatch):
    from experiments.cli import build_parser

    monkeypatch.chdir(tmp_path)
    sizes, store = rb.check_args(build_parser().parse_args(["validate", "--robustness", "--quick"]))
    assert sizes == rb.QUICK and store == Path("robustness-quick")
    sizes, store = rb.check_args(build_parser().parse_args(["validate", "--robustness", "--seeds", "3"]))
    assert sizes == {**rb.DEFAULTS, "seeds": 3} and store == Path("robustness")
