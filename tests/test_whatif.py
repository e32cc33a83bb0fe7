"""What-if comparisons: variants apply exactly, seeds are paired, intervals cover, the report stands alone,
bad input is refused before anything runs, and the dashboard tab builds and runs a comparison."""

from __future__ import annotations

import base64
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import cli
from experiments.compare import (
    LOWER_IS_BETTER,
    direction,
    mean_interval,
    paired_difference,
    prepare,
    run_comparison,
    share_better,
    tasks,
)
from experiments.report import render_report
from experiments.runner import derive_seed, run_one
from experiments.variants import Variant, apply_variant, load_variant, parse_variant, variant_scenario
from model import METRICS, CollaborationModel, load_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "variants"

FULL_VARIANT = """
name = "Alles tegelijk"
governance = "nao"

[[add_partner]]
name = "Woonstede"
kind = "woningcorporatie"
power = 0.4
stake = 0.6
links = ["Gemeente", "Politie"]

[[remove_partner]]
name = "Onderwijs"

[[merge_partners]]
names = ["Jeugdbescherming", "Reclassering"]
into = "Jeugd & Reclassering"

[[add_relation]]
between = ["Halt", "GGZ"]
trust = [0.3, 0.4]

[[remove_relation]]
between = ["Gemeente", "Woningcorporatie"]

[set]
frame_clarity = 0.7
director_hours = 24
"""


def relation_trust(scenario, a: str, b: str) -> tuple[float, float]:
    """(a's initial trust in b, b's in a), whichever way the relation is stored."""
    for r in scenario.relations:
        if (r.a, r.b) == (a, b):
            return r.trust_ab, r.trust_ba
        if (r.a, r.b) == (b, a):
            return r.trust_ba, r.trust_ab
    raise KeyError(f"{a} - {b}")


def pairs(scenario) -> set[frozenset[str]]:
    return {frozenset((r.a, r.b)) for r in scenario.relations}


# ---- variants apply exactly ------------------------------------------------------------------------------------


def test_variant_applies_every_kind_of_change_exactly():
    base = load_scenario("jeugdaanpak")
    before_partners, before_pairs = base.partner_names(), pairs(base)
    v = parse_variant(FULL_VARIANT)
    out = apply_variant(base, v)

    # the original scenario is untouched
    assert base.partner_names() == before_partners and pairs(base) == before_pairs
    names = out.partner_names()
    assert "Onderwijs" not in names and "Jeugdbescherming" not in names and "Reclassering" not in names
    assert names.count("Jeugd & Reclassering") == 1 and "Woonstede" in names
    assert len(names) == 10 - 1 - 2 + 1 + 1
    assert not any("Onderwijs" in p for p in pairs(out))

    merged = next(p for p in out.partners if p.name == "Jeugd & Reclassering")
    assert merged.power == pytest.approx(0.45)  # max(0.45, 0.4)
    assert merged.stake == pytest.approx(0.75)  # mean(0.8, 0.7)
    assert merged.dependency == pytest.approx(0.65)  # mean(0.7, 0.6)
    assert merged.values == pytest.approx((0.425, 0.6))
    assert merged.work_capacity == pytest.approx(2.0) and merged.info_capacity == pytest.approx(2.0)
    # union of relations: Gemeente, OM, GGZ (both had them), Wijkteam (JB only); no relation with itself
    neighbours = {n for p in pairs(out) if "Jeugd & Reclassering" in p for n in p} - {"Jeugd & Reclassering"}
    assert neighbours == {"Gemeente", "Openbaar Ministerie", "GGZ", "Wijkteam"}
    # Gemeente -> JB 0.55, JB -> Gemeente 0.5; Gemeente <-> Reclassering 0.55 (the default): averaged per side
    assert relation_trust(out, "Gemeente", "Jeugd & Reclassering") == pytest.approx((0.55, 0.525))
    # OM - JB 0.5, OM - Reclassering 0.6 -> 0.55 both ways; Wijkteam - JB 0.6 stays 0.6
    assert relation_trust(out, "Openbaar Ministerie", "Jeugd & Reclassering") == pytest.approx((0.55, 0.55))
    assert relation_trust(out, "Wijkteam", "Jeugd & Reclassering") == pytest.approx((0.6, 0.6))

    new = next(p for p in out.partners if p.name == "Woonstede")
    assert (new.kind, new.power, new.stake) == ("woningcorporatie", 0.4, 0.6)
    assert new.dependency == 0.3 and new.work_capacity == 1.0 and new.info_capacity == 1.0
    others = [p for p in out.partners if p.name != "Woonstede"]  # the network's mean when it was added
    assert new.values == pytest.approx(tuple(np.mean([p.values for p in others], axis=0)))
    assert relation_trust(out, "Woonstede", "Gemeente") == (base.initial_trust, base.initial_trust)
    assert {n for p in pairs(out) if "Woonstede" in p for n in p} == {"Woonstede", "Gemeente", "Politie"}

    assert relation_trust(out, "Halt", "GGZ") == (0.3, 0.4)
    assert frozenset(("Gemeente", "Woningcorporatie")) not in pairs(out)
    assert out.governance == "nao"
    assert out.settings["frame_clarity"] == 0.7 and out.settings["director_hours"] == 24.0
    assert out.settings["incident_rate"] == base.settings["incident_rate"]  # the scenario's own [set] stays

    model = CollaborationModel(scenario=out, rng=1)
    assert model.governance == "nao" and model.params["director_hours"] == 24.0
    assert model.state.n == len(names) and model.state.m == 2 * len(out.relations)


def test_add_partner_like_copies_attributes_and_relations():
    base = load_scenario("jeugdaanpak")
    out = apply_variant(base, Variant("meer politie", add_partner=[{"name": "Politie Noord", "like": "Politie"}]))
    old = next(p for p in base.partners if p.name == "Politie")
    new = next(p for p in out.partners if p.name == "Politie Noord")
    assert (new.power, new.stake, new.values, new.kind) == (old.power, old.stake, old.values, old.kind)
    politie = {n for p in pairs(base) if "Politie" in p for n in p} - {"Politie"}
    assert {n for p in pairs(out) if "Politie Noord" in p for n in p} - {"Politie Noord"} == politie
    assert relation_trust(out, "Politie Noord", "GGZ") == relation_trust(base, "Politie", "GGZ")


def test_variant_round_trips_through_toml():
    v = parse_variant(FULL_VARIANT, source="x.toml")
    again = parse_variant(v.to_toml(), source="x.toml")
    assert again.to_dict() == v.to_dict()


def test_example_variants_apply_to_their_scenario():
    base = load_scenario("jeugdaanpak")
    files = sorted(EXAMPLES.glob("*.toml"))
    assert len(files) >= 2
    for path in files:
        v = load_variant(path)
        assert not v.is_null
        apply_variant(base, v)


def test_network_change_on_a_generated_scenario_applies_to_each_seeds_network():
    template = load_scenario("synthetic")
    v = Variant("zonder P03", remove_partner=["P03"])
    one, two = variant_scenario(template, v, seed=1), variant_scenario(template, v, seed=2)
    assert "P03" not in one.partner_names() and "P03" not in two.partner_names()
    assert len(one.partners) == template.generator["n_partners"] - 1
    assert [p.power for p in one.partners] != [p.power for p in two.partners]
    with pytest.raises(ValueError, match="generated"):
        apply_variant(template, v)


# ---- bad input --------------------------------------------------------------------------------------------------

BAD = {
    "remove unknown": ('[[remove_partner]]\nname = "Brandweer"\n', "Brandweer"),
    "link unknown": (
        '[[add_partner]]\nname = "X"\npower = 0.3\nstake = 0.5\nlinks = ["Gemeente", "Brandweer"]\n',
        "Brandweer",
    ),
    "remove every partner": (
        "".join(f'[[remove_partner]]\nname = "{n}"\n' for n in load_scenario("jeugdaanpak").partner_names()),
        "every partner",
    ),
    "leaves a partner alone": (
        '[[remove_partner]]\nname = "Onderwijs"\n[[remove_relation]]\nbetween = ["Halt", "Politie"]\n'
        '[[remove_relation]]\nbetween = ["Halt", "Openbaar Ministerie"]\n',
        "Halt",
    ),
    "invalid parameter value": ("[set]\nblame_culture = 1.5\n", "blame_culture"),
    "unknown parameter": ("[set]\nblame = 0.5\n", "'blame'"),
    "malformed toml": ('name = "x\n[[remove_partner]\n', "not valid TOML"),
    "unknown field": ('[[remove_partner]]\nname = "GGZ"\nreason = "budget"\n', "reason"),
    "existing relation": ('[[add_relation]]\nbetween = ["Gemeente", "Politie"]\n', "exists already"),
    "duplicate partner": ('[[add_partner]]\nname = "GGZ"\npower = 0.3\nstake = 0.5\nlinks = ["Halt"]\n', "GGZ"),
    "bad governance": ('governance = "chaos"\n', "chaos"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_variant_is_refused_with_one_line_naming_the_problem(case):
    text, needle = BAD[case]
    with pytest.raises(ValueError) as info:
        apply_variant(load_scenario("jeugdaanpak"), parse_variant(text, source="bad.toml"))
    message = str(info.value)
    assert needle in message and "\n" not in message


@pytest.mark.parametrize("case", ["remove unknown", "invalid parameter value", "malformed toml", "missing file"])
def test_compare_command_refuses_bad_input_with_exit_2_and_writes_nothing(case, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    if case != "missing file":
        path.write_text(BAD[case][0])
    out, report = tmp_path / "t.csv", tmp_path / "r.html"
    args = ["compare", "jeugdaanpak", str(path), "--replications", "2", "--steps", "3"]
    code = cli.main([*args, "--out", str(out), "--report", str(report), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists() and not report.exists() and list(tmp_path.iterdir()) == ([path] if path.exists() else [])


def test_compare_refuses_too_few_replications_and_bad_strategy():
    v = Variant("leeg")
    with pytest.raises(ValueError, match="replications"):
        prepare("jeugdaanpak", [v], replications=1)
    with pytest.raises(ValueError, match="strategy"):
        prepare("jeugdaanpak", [v], replications=2, strategy="bossy")
    with pytest.raises(ValueError, match="steps"):
        prepare("jeugdaanpak", [v], replications=2, steps=0)


# ---- pairing ---------------------------------------------------------------------------------------------------


def test_every_arm_runs_the_same_seeds_against_the_baselines_reference():
    variants = [load_variant(EXAMPLES / "zonder_gemeente.toml"), Variant("leeg")]
    c = prepare("jeugdaanpak", variants, replications=5, steps=3, seed=7)
    assert c.seeds == [derive_seed(7, r) for r in range(5)] and len(set(c.seeds)) == 5
    by_arm: dict[int, list[int]] = {}
    refs = set()
    for a, r, params, seed in tasks(c):
        assert seed == c.seeds[r]
        by_arm.setdefault(a, []).append(seed)
        refs.add(params["reference_rate"])
    assert by_arm[0] == by_arm[1] == by_arm[2] == c.seeds
    baseline_reference = CollaborationModel(scenario="jeugdaanpak", rng=1).reference_rate
    assert refs == {baseline_reference}
    # without the baseline's reference the smaller network would be measured against its own, smaller output
    assert CollaborationModel(scenario=c.arms[1].scenarios[0], rng=1).reference_rate < baseline_reference


def test_null_variant_gives_exactly_zero_differences_and_the_baseline_is_the_plain_scenario():
    c = run_comparison(prepare("jeugdaanpak", [Variant("niets")], replications=3, steps=12, seed=3))
    assert np.array_equal(c.finals["baseline"], c.finals["niets"])
    assert np.array_equal(c.series["baseline"], c.series["niets"])
    rows = c.table[c.table["variant"] == "niets"]
    assert len(rows) == len(METRICS)
    assert (rows[["diff_mean", "diff_low", "diff_high", "effect_size_dz"]].to_numpy() == 0).all()
    plain = run_one({"scenario": "jeugdaanpak"}, c.seeds[1], 12)
    assert [plain["final"][m] for m in METRICS] == list(c.finals["baseline"][1])


def test_constants_apply_to_every_arm_and_to_the_baselines_reference():
    constants = {"met_tolerance": 0.05, "synergy": 0.9}
    c = run_comparison(prepare("jeugdaanpak", [Variant("niets")], replications=2, steps=6, seed=3, constants=constants))
    assert c.constants == constants
    reference = CollaborationModel(scenario="jeugdaanpak", rng=c.seeds[0], constants=constants).reference_rate
    assert set(c.reference_rates) == {reference}
    for r, seed in enumerate(c.seeds):
        alone = run_one({"scenario": "jeugdaanpak", "reference_rate": reference}, seed, 6, constants=constants)
        assert [alone["final"][m] for m in METRICS] == list(c.finals["baseline"][r]) == list(c.finals["niets"][r])
    plain = run_comparison(prepare("jeugdaanpak", [Variant("niets")], replications=2, steps=6, seed=3))
    assert not np.array_equal(plain.finals["baseline"], c.finals["baseline"])


def test_compare_command_passes_constants_and_refuses_bad_ones(tmp_path, capsys):
    variant = tmp_path / "v.toml"
    variant.write_text('name = "niets"\n')
    out = tmp_path / "t.csv"
    args = ["compare", "jeugdaanpak", str(variant), "--replications", "2", "--steps", "4", "--workers", "1"]
    assert cli.main([*args, "--constant", "met_tolerance=0.05", "--out", str(out)]) == 0
    table = pd.read_csv(out).set_index("metric")
    c = run_comparison(prepare("jeugdaanpak", [Variant("niets")], 2, 4, constants={"met_tolerance": 0.05}))
    here = c.table.set_index("metric")
    assert table.loc["task_progress", "baseline_mean"] == pytest.approx(here.loc["task_progress", "baseline_mean"])
    capsys.readouterr()
    assert cli.main([*args, "--constant", "met_tolerance=7"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "constant met_tolerance = 7.0 is outside" in err


def test_switches_apply_to_every_arm_and_bad_ones_are_refused(tmp_path, capsys):
    switches = {"layers": False, "dependency": False}
    c = run_comparison(prepare("jeugdaanpak", [Variant("niets")], replications=2, steps=5, seed=3, switches=switches))
    assert c.switches == switches
    for r, seed in enumerate(c.seeds):
        params = {"scenario": "jeugdaanpak", "reference_rate": c.reference_rates[r], "switches": switches}
        alone = run_one(params, seed, 5)
        assert [alone["final"][m] for m in METRICS] == list(c.finals["baseline"][r]) == list(c.finals["niets"][r])
    variant = tmp_path / "v.toml"
    variant.write_text('name = "niets"\n')
    args = ["compare", "jeugdaanpak", str(variant), "--replications", "2", "--steps", "3", "--workers", "1"]
    assert cli.main([*args, "--switch", "layers=maybe"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--switch layers: 'maybe' is not on or off" in err


# ---- statistics --------------------------------------------------------------------------------------------------


def test_paired_interval_has_nominal_coverage_on_a_known_difference():
    """2,000 synthetic paired experiments with a true difference of 0.3: the 95% interval must cover it in
    95% of them, within three binomial standard errors (0.935 to 0.965)."""
    rng = np.random.default_rng(20261127)
    reps, n, delta = 2000, 8, 0.3
    covered = covered_mean = 0
    for _ in range(reps):
        seed_effect = rng.normal(0.0, 1.0, n)  # what the common seed shares between the arms
        baseline = 1.0 + seed_effect + rng.normal(0.0, 0.2, n)
        variant = 1.0 + delta + seed_effect + rng.normal(0.0, 0.2, n)
        d = paired_difference(variant, baseline)
        covered += d["low"] <= delta <= d["high"]
        _, low, high = mean_interval(baseline)
        covered_mean += low <= 1.0 <= high
    se = np.sqrt(0.95 * 0.05 / reps)
    assert abs(covered / reps - 0.95) < 3 * se
    assert abs(covered_mean / reps - 0.95) < 3 * se


def test_effect_size_and_share_better_follow_the_direction_of_the_metric():
    baseline = np.array([1.0, 2.0, 3.0, 4.0])
    variant = baseline + np.array([1.0, 2.0, 3.0, -1.0])
    d = paired_difference(variant, baseline)
    diffs = variant - baseline
    assert d["mean"] == pytest.approx(1.25)
    assert d["dz"] == pytest.approx(diffs.mean() / diffs.std(ddof=1))
    assert share_better(variant, baseline, "task_progress") == 0.75
    assert share_better(variant, baseline, "exits") == 0.25
    assert np.isnan(share_better(variant, baseline, "hours_spent"))
    assert {m for m in METRICS if direction(m) < 0} == LOWER_IS_BETTER
    assert paired_difference(baseline, baseline)["dz"] == 0.0


# ---- the command and the report -----------------------------------------------------------------------------------


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster"):
                self.refs.append((tag, name, value or ""))


def test_compare_command_writes_the_table_and_a_self_contained_report(tmp_path, capsys):
    out, report = tmp_path / "t.csv", tmp_path / "r.html"
    variants = [str(EXAMPLES / "zonder_gemeente.toml"), str(EXAMPLES / "jeugd_en_reclassering.toml")]
    args = ["compare", "jeugdaanpak", *variants, "--replications", "3", "--steps", "8", "--seed", "5"]
    code = cli.main([*args, "--workers", "1", "--out", str(out), "--report", str(report)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Zonder Gemeente  vs  baseline" in printed and "task_progress" in printed
    table = pd.read_csv(out)
    assert len(table) == 2 * len(METRICS)
    assert set(table["variant"]) == {"Zonder Gemeente", "Jeugd & Reclassering samen, Woonstede erbij"}
    # the command ran on worker processes; the same comparison in this process gives the same numbers
    here = run_comparison(prepare("jeugdaanpak", [load_variant(p) for p in variants], 3, 8, seed=5)).table
    numbers = [c for c in here.columns if c.endswith(("_mean", "_low", "_high", "_dz", "better"))]
    np.testing.assert_allclose(table[numbers].to_numpy(), here[numbers].to_numpy(), rtol=1e-12, atol=0)

    text = report.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(text)
    parser.close()
    assert parser.tags.count("img") == 3 and parser.tags.count("table") == 2
    for tag, name, value in parser.refs:
        assert value.startswith("data:") or value.startswith("#"), f"<{tag} {name}> points outside: {value[:60]}"
    for _, _, value in parser.refs:
        png = base64.b64decode(value.split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert "http://" not in text and "https://" not in text and "url(" not in text
    for seed in (derive_seed(5, r) for r in range(3)):
        assert str(seed) in text
    assert "Zonder Gemeente" in text and "reference rate" in text


def test_report_escapes_names_from_variant_files():
    v = Variant("<script>alert(1)</script>", governance="nao")
    c = run_comparison(prepare("jeugdaanpak", [v], replications=2, steps=2))
    text = render_report(c)
    assert "<script>" not in text and "&lt;script&gt;" in text


# ---- the dashboard tab ---------------------------------------------------------------------------------------------


def _templates(rc) -> str:
    """Everything the tab shows as text: Markdown templates and the literal text of its HTML elements."""
    import ipyvue

    def texts(widget) -> list[str]:
        children = getattr(widget, "children", None) or []
        return [t for c in children for t in ([c] if isinstance(c, str) else texts(c))]

    shown = [str(w.template) for w in rc.find(ipyvue.VueTemplate).widgets]
    shown += [t for w in rc.find(ipyvue.Html).widgets for t in texts(w)]
    return "\n".join(shown)


def test_whatif_tab_builds_a_variant_by_clicking_and_runs_a_small_comparison():
    import ipyvuetify as v
    import solara

    from dashboards.whatif import WhatIfTab

    box, rc = solara.render(WhatIfTab(lang="en"), handle_error=False)
    rc.find(v.Select, label="Partner").widget.v_model = "GGZ"
    rc.find(v.Btn, children=["Remove this partner"]).widget.click()
    rc.find(v.Select, label="Like partner").widget.v_model = "Politie"
    rc.find(v.TextField, label="Name of the new partner").widget.v_model = "Politie Noord"
    rc.find(v.Btn, children=["Add a partner like this one"]).widget.click()
    rc.find(v.Select, label="Governance").widget.v_model = "nao"
    shown = _templates(rc)
    assert "remove partner GGZ" in shown and "add partner Politie Noord like Politie" in shown
    assert "governance -&gt; nao" in shown or "governance -> nao" in shown
    toml_text = "".join(str(w.children) for w in rc.find(v.Html).widgets)
    assert "[[remove_partner]]" in toml_text and 'like = "Politie"' in toml_text

    rc.find(v.Slider, label="Replications (seeds)").widget.v_model = 2
    rc.find(v.Slider, label="Weeks").widget.v_model = 4
    rc.find(v.Btn, children=["Compare"]).widget.click()
    deadline = time.time() + 60
    while "Result" not in _templates(rc) and time.time() < deadline:
        time.sleep(0.1)
    assert "Result: variant" in _templates(rc)
    summary = " ".join(str(w.children) for w in rc.find(v.Alert).widgets)
    assert "Progress after 4 weeks" in summary and "of 2 seeds" in summary
    assert len(rc.find(v.Img).widgets) + len(rc.find(__import__("ipywidgets").Image).widgets) >= 2


def test_whatif_tab_shows_an_invalid_variant_and_does_not_run_it():
    import ipyvuetify as v
    import solara

    from dashboards.whatif import WhatIfTab

    box, rc = solara.render(WhatIfTab(lang="en"), handle_error=False)
    for name in ("Onderwijs", "Politie", "Openbaar Ministerie"):  # Halt is left without relations
        rc.find(v.Select, label="Partner").widget.v_model = name
        rc.find(v.Btn, children=["Remove this partner"]).widget.click()
    alerts = " ".join(str(w.children) for w in rc.find(v.Alert).widgets)
    assert "Halt" in alerts and "without any relation" in alerts
    assert rc.find(v.Btn, children=["Compare"]).widget.disabled


OWN_SCENARIO = """
name = "klein"
governance = "shared"
[[partner]]
name = "A"
power = 0.5
stake = 0.7
values = [0.4, 0.5]
[[partner]]
name = "B"
power = 0.3
stake = 0.6
values = [0.6, 0.5]
[[partner]]
name = "C"
power = 0.6
stake = 0.5
values = [0.5, 0.2]
[[relation]]
between = ["A", "B"]
[[relation]]
between = ["B", "C"]
"""


def test_variant_applies_to_a_users_own_scenario_file(tmp_path):
    path = tmp_path / "klein.toml"
    path.write_text(OWN_SCENARIO)
    v = parse_variant('[[add_partner]]\nname = "D"\npower = 0.2\nstake = 0.9\nlinks = ["A", "C"]\n')
    c = run_comparison(prepare(str(path), [v], replications=2, steps=5))
    assert c.arms[1].scenarios[0].partner_names() == ["A", "B", "C", "D"]
    assert c.final("variant", "active_partners").tolist() == [4.0, 4.0]


def test_whatif_tab_offers_an_uploaded_scenario():
    import ipyvuetify as v
    import solara

    from dashboards import state
    from dashboards.whatif import WhatIfTab
    from model import parse_scenario

    state.uploads.set({"klein": state.Upload(parse_scenario(OWN_SCENARIO), OWN_SCENARIO)})
    try:
        box, rc = solara.render(WhatIfTab(lang="en"), handle_error=False)
        assert "klein" in rc.find(v.Select, label="Scenario").widget.items
        rc.find(v.Select, label="Scenario").widget.v_model = "klein"
        assert rc.find(v.Select, label="Partner").widget.items == ["A", "B", "C"]
        rc.find(v.Select, label="Partner").widget.v_model = "C"
        rc.find(v.Btn, children=["Remove this partner"]).widget.click()
        assert "remove partner C" in _templates(rc)
    finally:
        state.uploads.set({})


def test_merge_may_keep_a_parts_name_and_take_explicit_attributes():
    base = load_scenario("jeugdaanpak")
    text = (
        '[[merge_partners]]\nnames = ["Halt", "Reclassering", "Wijkteam"]\ninto = "Wijkteam"\n'
        'power = 0.2\nkind = "maatschappelijk"\n'
    )
    out = apply_variant(base, parse_variant(text))
    names = out.partner_names()
    assert names.count("Wijkteam") == 1 and "Halt" not in names and "Reclassering" not in names
    merged = next(p for p in out.partners if p.name == "Wijkteam")
    assert merged.power == 0.2 and merged.kind == "maatschappelijk"  # explicit values win
    assert merged.work_capacity == pytest.approx(3.0)
    assert merged.stake == pytest.approx((0.7 + 0.7 + 0.75) / 3)
    old = {n for p in pairs(base) if p & {"Halt", "Reclassering", "Wijkteam"} for n in p}
    new = {n for p in pairs(out) if "Wijkteam" in p for n in p}
    assert new == (old - {"Halt", "Reclassering"})
    assert len(out.relations) == len({frozenset(p) for p in pairs(out)})


def test_the_figures_and_a_variants_changes_read_the_one_translation_module():
    from dashboards import i18n
    from experiments import report, texts

    assert i18n.FIGURES is texts.FIGURES and i18n.VARIANT_CHANGES is texts.VARIANT_CHANGES
    for lang, position in (("nl", 0), ("en", 1)):
        assert report.FIGURE_TEXT[lang] == {key: pair[position] for key, pair in texts.FIGURES.items()}
        words = {key: pair[position] for key, pair in texts.VARIANT_CHANGES.items()}
        variant = Variant(name="v", remove_partner=["Politie"], governance="nao")
        assert variant.describe(lang) == [words["remove"].format("Politie"), words["governance"].format("nao")]
