"""Patterns as plug-ins: one module per pattern, found by listing the package, and docs/validation.md generated from
the modules (its text checked here; its numbers come from a full run)."""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from experiments import patterns as pt
from experiments import validate as v
from experiments.patterns import page
from experiments.runner import derive_seed

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "validation.md"
PACKAGE = Path(pt.__file__).parent


# ---- discovery -------------------------------------------------------------------------------------------------


def test_discovery_finds_every_pattern_in_order():
    assert [p.key for p in pt.PATTERNS] == [str(k) for k in range(1, 15)]
    assert [p.key for p in pt.PLUGINS] == [
        *[str(k) for k in range(1, 8)],
        "7m",
        "7s",
        *[str(k) for k in range(8, 15)],
        "S1",
        "S2",
        "S3",
        "S4",
    ]
    assert pt.MAP_PATTERN.part_of == "7" and pt.MAP_PATTERN in pt.EXPERIMENTS and pt.MAP_PATTERN not in pt.PATTERNS
    assert [key for key, _title, _run in pt.SUB_MECHANISMS] == ["S1", "S2", "S3", "S4"]


def test_every_module_of_the_package_is_a_pattern_or_infrastructure():
    modules = {p.stem for p in PACKAGE.glob("*.py")} - pt.INFRASTRUCTURE - {"__init__"}
    declared = {sys.modules[p.draw.__module__].__name__.rsplit(".", 1)[1] for p in pt.PLUGINS}
    assert declared == modules
    assert len({p.figure for p in pt.PLUGINS}) == len(pt.PLUGINS), "two patterns draw the same figure file"


EXTRA = '''
"""Pattern 99, for a test: commitment is higher without blame."""

from experiments.patterns.common import EMERGENT, Arm, Check, Pattern, Row, compare, with_scenario


def arms(scenario, cfg):
    return [
        Arm("no blame", with_scenario(scenario, n_partners=6, blame_culture=0.0), steps=4),
        Arm("blame", with_scenario(scenario, n_partners=6, blame_culture=1.0), steps=4),
    ]


def evaluate(res, scenario, cfg):
    return [compare("99", "blame lowers trust", scenario, res["no blame"], res["blame"], "trust")]


def draw(res, cfg):
    raise NotImplementedError


PATTERN = Pattern(
    key="99",
    title="A pattern added by a test",
    claim="One new module is enough.",
    source="tests/test_pattern_plugins.py.",
    experiment="Two arms in a small synthetic network.",
    arms=arms,
    evaluate=evaluate,
    figure="validation_99_extra.png",
    draw=draw,
    text="The text of its section.",
    scenarios=("synthetic",),
    checks=(Check("blame lowers trust", EMERGENT, 0.02, "trust (0-1)"),),
)
'''


def test_a_new_pattern_module_is_all_a_new_pattern_needs(tmp_path: Path, monkeypatch):
    # a module with a pattern 99, in a folder added to the package's path for this test only
    (tmp_path / "p99_extra.py").write_text(EXTRA, encoding="utf-8")
    monkeypatch.setattr(pt, "__path__", [*pt.__path__, str(tmp_path)])
    try:
        plugins = pt.discover()
    finally:
        monkeypatch.undo()
        sys.modules.pop("experiments.patterns.p99_extra", None)
    keys = [p.key for p in plugins]
    assert keys == [p.key for p in pt.PLUGINS if not p.key.startswith("S")] + ["99"] + ["S1", "S2", "S3", "S4"]
    assert "99" not in [p.key for p in pt.discover()], "the test's pattern outlived the test"
    extra = next(p for p in plugins if p.key == "99")

    # it runs through the validation's machinery like any other pattern ...
    cfg = pt.Config(seeds=3, base_seed=5, steps=None)
    tasks, layout = v.collect_tasks(cfg, [extra])
    assert len(tasks) == 6 and set(layout) == {("99", "synthetic", "no blame"), ("99", "synthetic", "blame")}
    results = {key: pt.run_task(*task) for key, task in tasks.items()}
    rows, by_pattern, _ = v.evaluate(cfg, results, layout, [extra], [])
    assert [r.check for r in rows] == ["blame lowers trust"] and rows[0].p_holm == rows[0].p_value
    assert rows[0].label == "emergent" and rows[0].sesoi == 0.02
    assert v.summary(rows, [extra])[1] == 1

    # ... and gets its section of the page, after the last pattern's
    generated = page.render(rows, by_pattern, cfg, plugins)
    last = pt.PATTERNS[-1]
    assert f"## {last.key}. {last.title}" in generated.split("## 99. A pattern added by a test")[0]
    assert "**Claim.** One new module is enough." in generated
    assert "![pattern 99](figures/validation_99_extra.png)" in generated
    assert "| blame lowers trust | emergent | synthetic (50) |" in generated

    # refreshing the page's text gives the new section a placeholder and keeps every other table
    refreshed = page.refresh(PAGE.read_text(encoding="utf-8"), plugins)
    section = refreshed.split("## 99. A pattern added by a test")[1].split("## Sub-mechanisms")[0]
    assert pt.common.TABLE_PLACEHOLDER in section
    assert refreshed.count(pt.common.TABLE_PLACEHOLDER) == 1


def test_a_pattern_module_without_a_pattern_is_refused(tmp_path: Path, monkeypatch):
    (tmp_path / "p13_forgotten.py").write_text('"""A module that forgot its PATTERN."""\n', encoding="utf-8")
    monkeypatch.setattr(pt, "__path__", [*pt.__path__, str(tmp_path)])
    try:
        with pytest.raises(TypeError, match="p13_forgotten declares no PATTERN"):
            pt.discover()
    finally:
        sys.modules.pop("experiments.patterns.p13_forgotten", None)


def test_two_modules_with_the_same_key_are_refused(tmp_path: Path, monkeypatch):
    source = (PACKAGE / "p01_blame.py").read_text(encoding="utf-8")
    (tmp_path / "p01_again.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(pt, "__path__", [*pt.__path__, str(tmp_path)])
    try:
        with pytest.raises(ValueError, match="both declare pattern 1"):
            pt.discover()
    finally:
        sys.modules.pop("experiments.patterns.p01_again", None)


@pytest.mark.parametrize(("key", "order"), [("2", (0, 2, "")), ("7m", (0, 7, "m")), ("S3", (1, 3, ""))])
def test_pattern_keys_order_by_number_with_parts_after_and_sub_mechanisms_last(key, order):
    assert pt.common.order_of(key) == order
    assert pt.common.order_of("10") > pt.common.order_of("9")


def test_a_malformed_key_is_named():
    with pytest.raises(ValueError, match="'7.1'"):
        pt.common.order_of("7.1")


# ---- docs/validation.md --------------------------------------------------------------------------------------


def test_validation_page_matches_the_pattern_modules():
    text = PAGE.read_text(encoding="utf-8")
    expected = page.refresh(text)
    diff = "\n".join(difflib.unified_diff(text.split("\n"), expected.split("\n"), "page", "modules", lineterm="", n=1))
    assert expected == text, (
        "docs/validation.md differs from the pattern modules; rewrite its pattern sections with "
        "`uv run python -m experiments.patterns.page docs/validation.md`:\n" + diff[:3000]
    )


def test_validation_page_keeps_its_hand_written_parts():
    before, generated, after = page.split(PAGE.read_text(encoding="utf-8"))
    assert "## Summary" in before and "[holdout.md](holdout.md)" in before
    assert "## Calibration" in after and "## Where patterns pull against each other" in after
    assert generated.startswith("## 1. ") and page.SUB_MECHANISMS_HEADING in generated


def test_summary_names_every_pattern_with_its_claim():
    before, _, _ = page.split(PAGE.read_text(encoding="utf-8"))
    summary = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| (\d+)\. ([^|]+) \| ([^|]+) \|", before, flags=re.MULTILINE)
    }
    assert summary == {p.key: (p.title, p.claim) for p in pt.PATTERNS}


def test_every_figure_of_the_page_is_drawn_by_a_pattern_and_committed():
    _, generated, _ = page.split(PAGE.read_text(encoding="utf-8"))
    images = re.findall(r"!\[[^]]*\]\(figures/([^)]+)\)", generated)
    assert sorted(images) == sorted(p.figure for p in pt.PLUGINS)
    assert all((PAGE.parent / "figures" / name).is_file() for name in images)


def test_page_tables_come_from_the_rows():
    rows = [pt.Row("1", "blame lowers trust", "sociaal_domein", 0.05, 2.0, 1e-6, p_holm=2e-5, holds=True)]
    pt.declare(rows, next(p for p in pt.PATTERNS if p.key == "1").checks)
    generated = page.render(rows, None, pt.FULL, [next(p for p in pt.PATTERNS if p.key == "1")])
    assert (
        "| blame lowers trust | emergent | sociaal domein | 0.050 | >= 0.02 | 2.00 | 1.0e-06 | 2.0e-05 | yes |  |"
        in generated
    )
    assert "| blame lowers trust | emergent | >= 0.02 | trust (0-1) |" in generated  # the declarations
    assert pt.common.TABLE_PLACEHOLDER not in generated


# ---- labels and smallest effects of interest ------------------------------------------------------------------


def test_every_check_declares_a_label_and_a_smallest_effect_of_interest():
    for plugin in pt.PLUGINS:
        if isinstance(plugin, pt.Pattern) and plugin.part_of is not None:
            continue  # the pattern-7 map and the strategies' table are reports without checks
        assert plugin.checks, f"{plugin.key} declares no checks"
        for c in plugin.checks:
            assert c.label in pt.LABELS, (plugin.key, c.check)
            assert c.unit and c.why, (plugin.key, c.check)
            if c.label != pt.EMERGENT:
                assert c.basis, f"{plugin.key}: {c.check!r} is {c.label} and must name what implies it"
            if c.zero_one and not c.at_most:
                assert c.sesoi >= 0.01, f"{plugin.key}: {c.check!r}: a SESOI below 0.01 on a 0-1 metric"


def test_verification_is_told_from_validation():
    labels = {s.key: {c.label for c in s.checks} for s in pt.REPRODUCTIONS}
    assert labels["S1"] == labels["S3"] == {pt.VERIFICATION}
    assert labels["S4"] == {pt.EMERGENT}


def test_a_check_holds_only_when_its_effect_clears_the_sesoi():
    check = pt.Check("a check", pt.EMERGENT, 0.02, "trust (0-1)")
    tolerance = pt.Check("an error", pt.VERIFICATION, 1e-9, "trust (0-1)", basis="closed form", at_most=True)
    assert check.clears(0.02) and not check.clears(0.019) and not check.clears(float("nan"))
    assert tolerance.clears(1e-12) and not tolerance.clears(1e-6)
    rows = [pt.Row("1", "a check", "s", 0.01, 5.0, 1e-12), pt.Row("1", "an error", "s", 0.0, float("nan"), 1.0)]
    pt.declare(rows, [check, tolerance])
    assert [r.clears for r in rows] == [False, True] and rows[0].label == "emergent"
    with pytest.raises(ValueError, match="has no declaration"):
        pt.declare([pt.Row("1", "an undeclared check", "s", 0.1, 1.0, 0.0)], [check])


def test_the_validation_counts_labels_apart():
    rows = [pt.Row("1", "x", "s", 0.1, 1.0, 0.0, holds=True, label=pt.EMERGENT)]
    rows += [pt.Row("1", "y", "s", 0.0, 1.0, 1.0, holds=False, label=pt.EMERGENT)]
    rows += [pt.Row("S1", "z", "-", 0.0, 1.0, 1.0, holds=True, label=pt.VERIFICATION)]
    counts = v.label_counts(rows, ["1"])
    assert counts[pt.EMERGENT] == (1, 2) and counts[pt.VERIFICATION] == (0, 0)
    assert v.counts_text(v.label_counts(rows)) == "emergent 1 of 2, verification 1 of 1"


def test_hegselmann_krause_with_the_model_rule_reaches_consensus_only_with_a_wide_bound():
    from experiments.patterns import s4_hegselmann_krause as hk

    wide, steps = hk.hk_run(60, 0.5, 1)
    narrow, _ = hk.hk_run(60, 0.05, 1)
    assert np.ptp(wide) < hk.CONSENSUS_SPREAD and steps < hk.MAX_STEPS
    assert pt.common.mech.count_major_clusters(narrow) >= 4
    assert hk.crossing([0.0, 0.0, 0.0, 0.5, 1.0, 1.0]) == pytest.approx(0.22)
    assert hk.crossing([0.0, 0.0, 0.2, 0.4, 0.8, 1.0]) == pytest.approx(0.22 + 0.03 / 4)


def test_hegselmann_krause_draws_its_figure(tmp_path: Path):
    from experiments.patterns import s4_hegselmann_krause as hk

    shares = [0.0, 0.0, 0.1, 0.6, 1.0, 1.0]
    data = {
        "consensus": {n: shares for n in hk.SIZES},
        "clusters": {n: [3.0, 2.0, 2.0, 1.5, 1.0, 1.0] for n in hk.SIZES},
        "crossing": {n: 0.21 for n in hk.SIZES},
        "seeds": hk.SEEDS,
    }
    (path,) = v.write_figures(tmp_path, [], {}, {"S4": data}, pt.FULL, [hk.PATTERN])
    assert path.stat().st_size > 10_000


def test_a_page_without_markers_is_refused():
    with pytest.raises(ValueError, match="no generated part"):
        page.refresh("# A page\n\nwithout markers\n")


def test_page_command_checks_and_rewrites_the_text(tmp_path: Path, capsys):
    target = tmp_path / "validation.md"
    text = PAGE.read_text(encoding="utf-8")
    stale = text.replace("**Claim.** Higher blame_culture", "**Claim.** An old claim: higher blame_culture")
    target.write_text(stale, encoding="utf-8")
    assert page.main([str(target), "--check"]) == 1
    assert target.read_text(encoding="utf-8") == stale
    assert page.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == text
    assert page.main([str(target), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quick", "--doc", "PAGE"], "leave out --quick"),
        (["--doc", "NO_MARKERS"], "no generated part"),
        (["--doc", "MISSING"], "cannot read it"),
    ],
)
def test_validate_refuses_a_page_it_cannot_rewrite_before_running(args, message, tmp_path: Path, capsys):
    pages = {"PAGE": PAGE, "NO_MARKERS": tmp_path / "plain.md", "MISSING": tmp_path / "missing.md"}
    pages["NO_MARKERS"].write_text("# A page\n", encoding="utf-8")
    assert v.command_line([str(pages.get(a, a)) for a in args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert pages["NO_MARKERS"].read_text(encoding="utf-8") == "# A page\n"


# ---- figures -------------------------------------------------------------------------------------------------


def test_sub_mechanisms_draw_their_own_figures(tmp_path: Path):
    # S2's cluster counts take half a minute, S4's Hegselmann-Krause runs a minute (its figure: its own test)
    cheap = [s for s in pt.REPRODUCTIONS if s.key not in ("S2", "S4")]
    sub_data = {s.key: s.run(pt.QUICK)[1] for s in cheap}
    written = v.write_figures(tmp_path, [], {}, sub_data, pt.QUICK, cheap)
    assert [p.name for p in written] == [s.figure for s in cheap]
    assert all(p.stat().st_size > 10_000 for p in written)


def test_a_pattern_draws_its_figure_from_its_results(tmp_path: Path):
    pattern = next(p for p in pt.PATTERNS if p.key == "11")
    cfg = pt.Config(seeds=2, base_seed=11, steps=3, sizes=(4, 24))
    results = {
        "synthetic": {
            arm.name: [pt.run_task(arm.params, derive_seed(cfg.base_seed, k), cfg.steps, arm.kind) for k in range(2)]
            for arm in pattern.arms("synthetic", cfg)
        }
    }
    (path,) = v.write_figures(tmp_path, [], {"11": results}, {}, cfg, [pattern])
    assert path.name == "validation_11_governance.png" and path.stat().st_size > 10_000


def test_a_declared_failure_is_shown_in_its_section_and_compared_with_the_run():
    p12 = next(p for p in pt.PATTERNS if p.key == "12")
    assert p12.known_failures, "pattern 12 declares where it does not hold"
    section = page.pattern_section(p12, [], None, None, pt.FULL)
    assert "**Does not hold in**" in section
    assert all(pt.SCENARIO_LABELS.get(s, s) in section for s in p12.known_failures)
    rows = [
        pt.Row("12", "a check", "synthetic", 0.0, 0.0, 1.0, holds=False),
        pt.Row("12", "a check", "jeugdaanpak", 0.1, 3.0, 1e-9, holds=True),
    ]
    assert v.failing_scenarios(rows) == {("12", "synthetic")}
    assert ("12", "synthetic") in v.known_failures()
