"""The ablation (experiments/ablation.py, docs/validation.md "Ablation"): the declaration, switching one mechanism
off while an arm keeps its own switches, the verdicts, the bookkeeping of a tiny run against the validation's own
evaluation, the command's options and the page's part; a long test runs ``--ablation --quick`` end to end."""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
from pathlib import Path

import pytest

from experiments import ablation as ab
from experiments import patterns as pt
from experiments import validate
from experiments.cli import build_parser
from experiments.cli import main as command_line
from model.inputs import InputError
from model.switches import SWITCHES

ROOT = Path(__file__).resolve().parents[1]
TINY = replace(pt.QUICK, seeds=3, steps=20, bootstrap=100)


def test_every_pattern_is_declared_once_with_known_switches():
    keys = {p.key for p in pt.PATTERNS}
    assert set(ab.EVIDENCE) | set(ab.NONE_SWITCHABLE) == keys
    assert not set(ab.EVIDENCE) & set(ab.NONE_SWITCHABLE)
    for switches in ab.EVIDENCE.values():
        assert switches and set(switches) <= set(SWITCHES)
    assert ab.EVIDENCE["12"] == ("layers",) and ab.EVIDENCE["13"] == ("director_goals",)
    assert ab.EVIDENCE["14"] == ("dependency",)
    # every pattern with an emergent check names at least one mechanism
    emergent = {p.key for p in pt.PATTERNS if any(c.label == pt.EMERGENT for c in p.checks)}
    assert emergent <= set(ab.EVIDENCE)


def test_the_page_declares_the_same_switches():
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    section = text.split("\n## Ablation\n", 1)[1]
    declared = re.findall(r"^\| (\d+)\. [^|]+\| `(\w+)` \|", section, flags=re.M)
    assert sorted(declared) == sorted((k, s) for k, v in ab.EVIDENCE.items() for s in v)
    assert text.count(ab.BEGIN) == 1 and text.count(ab.END) == 1


def test_switching_off_keeps_the_arms_own_switches():
    pattern5 = next(p for p in pt.PATTERNS if p.key == "5")
    arms = ab.ablated(pattern5, "dependency").arms("jeugdaanpak", TINY)
    no_contact = next(a for a in arms if a.name == "no contact")
    assert no_contact.params["switches"] == {"partner_contact": False, "dependency": False}
    assert all(a.params["switches"]["dependency"] is False for a in arms)
    original = next(a for a in pattern5.arms("jeugdaanpak", TINY) if a.name == "no contact")
    assert original.params["switches"] == {"partner_contact": False}  # not changed in place
    pattern14 = next(p for p in pt.PATTERNS if p.key == "14")
    assert all(
        a.params["switches"] == {"dependency": False}
        for a in ab.ablated(pattern14, "dependency").arms("synthetic", TINY)
    )


def row(holds_on: bool, holds_off: bool) -> ab.AblationRow:
    return ab.AblationRow("12", "layers", "c", pt.EMERGENT, "jeugdaanpak", 0.1, 0.0, 0.02, False, holds_on, holds_off)


def test_verdicts():
    assert row(True, False).verdict == "evidence for layers"
    assert row(True, True).verdict == ab.STILL_HOLDS
    assert row(False, False).verdict == ab.NOT_WITH_IT
    assert row(False, True).verdict == ab.NOT_WITH_IT
    assert ab.counts([row(True, False), row(True, True), row(True, False)]) == {
        pt.EMERGENT: {"evidence": 2, ab.STILL_HOLDS: 1}
    }


def test_a_tiny_run_matches_the_validation_on_the_same_seeds():
    rows, runs = ab.run_ablation(TINY, workers=0, progress=False, evidence={"13": ("director_goals",)})
    pattern13 = next(p for p in pt.PATTERNS if p.key == "13")
    assert runs == 2 * len(pattern13.arms("gebiedsontwikkeling", TINY)) * TINY.seeds
    reference, _, _ = validate.validate(TINY, workers=0, progress=False, patterns=[pattern13], reproductions=[])
    assert [(r.check, r.scenario) for r in rows] == [(r.check, r.scenario) for r in reference]
    for mine, theirs in zip(rows, reference, strict=True):
        assert mine.effect_on == pytest.approx(theirs.effect, nan_ok=True)
        assert mine.label == theirs.label and mine.sesoi == theirs.sesoi
    # without goals of its own, steering moves nothing: the checks on the goals, legitimacy and freedom give 0
    for r in rows[:3]:
        assert r.effect_off == pytest.approx(0.0, abs=1e-12) and not r.holds_off
    assert "director_goals" in ab.table_text(rows) and ab.table_text(rows, markdown=True).count("\n") == len(rows) + 1


def test_the_command_offers_ablation_and_refuses_a_quick_doc(tmp_path):
    args = build_parser().parse_args(["validate", "--ablation", "--quick", "--doc", str(tmp_path / "x.md")])
    assert args.ablation and args.quick
    with pytest.raises(InputError, match="--doc"):
        ab.main(args)
    page = tmp_path / "page.md"
    page.write_text("no markers\n", encoding="utf-8")
    assert command_line(["validate", "--ablation", "--doc", str(page)]) == 2


def test_write_page_replaces_only_the_marked_part(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"before\n{ab.BEGIN}\nold\n{ab.END}\nafter\n", encoding="utf-8")
    ab.write_page(page, "new")
    assert page.read_text(encoding="utf-8") == f"before\n{ab.BEGIN}\nnew\n{ab.END}\nafter\n"


@pytest.mark.long
def test_quick_ablation_end_to_end(tmp_path, capsys):
    args = argparse.Namespace(quick=True, workers=2, figures=str(tmp_path), doc=None)
    assert ab.main(args) == 0
    out = capsys.readouterr().out
    for key, switches in ab.EVIDENCE.items():
        for switch in switches:
            assert re.search(rf"^{key}\s+{switch}\s", out, flags=re.M)
    assert "verdicts per label" in out
    assert (tmp_path / ab.FIGURE).stat().st_size > 10_000


def test_unexpected_names_every_difference_from_the_known_verdicts():
    rows = [row(True, False), replace(row(True, True), scenario="sociaal_domein")]
    known = {("12", "layers", "c", "jeugdaanpak"): "evidence", ("12", "layers", "c", "sociaal_domein"): "still holds"}
    assert ab.unexpected(rows, known) == []
    assert ab.unexpected(rows, {**known, ("12", "layers", "c", "jeugdaanpak"): "not with it"}) == [
        "12 / layers / c / jeugdaanpak: evidence, the page reports not with it"
    ]
    assert ab.unexpected(rows[:1], known) == [
        "12 / layers / c / sociaal_domein: on the page (still holds), not in the run"
    ]
    assert ab.unexpected(rows, {}) and all("not on the page" in line for line in ab.unexpected(rows, {}))


def page_verdicts() -> dict[tuple[str, str, str, str], str]:
    """The verdicts of the page's generated ablation table, by (pattern, switch, check, scenario)."""
    return {ab.verdict_key(r): ab.short_verdict(r) for r in ab.page_rows(ROOT / "docs" / "validation.md")}


def test_the_page_rows_are_the_tables_and_draw(tmp_path):
    from experiments.ablation_known import KNOWN

    rows = ab.page_rows(ROOT / "docs" / "validation.md")
    assert len(rows) == len(KNOWN) and all(r.holds_on == (ab.short_verdict(r) != "not with it") for r in rows)
    first = rows[0]
    assert (first.pattern, first.switch, first.scenario, first.sesoi, first.at_most) == (
        "1", "blame", "jeugdaanpak", 0.02, False
    )  # fmt: skip
    from experiments.patterns import plotting

    written = plotting.save(ab.draw(rows), tmp_path / ab.FIGURE)
    assert written.stat().st_size > 10_000


def test_the_known_verdicts_are_the_pages():
    from experiments.ablation_known import KNOWN

    assert page_verdicts() == KNOWN
    assert {(k[0], k[1]) for k in KNOWN} == {(p.key, s) for p, s in ab.pairs()}


@pytest.mark.full
def test_full_ablation_gives_the_verdicts_the_page_reports():
    """The full ablation (30 seeds, every declared pattern and switch; about 20 minutes on two free cores): run with
    ``pytest -m full``, not in CI, whose reduced version is ``test_quick_ablation_end_to_end``."""
    rows, _ = ab.run_ablation(pt.FULL, workers=None, progress=False)
    differences = ab.unexpected(rows)
    assert not differences, "\n".join(differences)
