"""Fixes of the model's second version: a network without active partners reports its concepts as missing (NaN)
and the tools show and count such runs (ODD 7.8); the lead organisation's succession (ODD 7.6, switch
``lead_succession``); saved training sessions record the model's version (experiments.training.session)."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from experiments import analyze, validate
from experiments.cli import _print_metrics
from experiments.compare import format_table, prepare, run_comparison, verdict
from experiments.patterns.common import Row
from experiments.plots import plot_run
from experiments.report import render_report
from experiments.training.session import TrainingSession, read_session_file
from experiments.variants import Variant
from model import FIRST_VERSION, MODEL_VERSION, CollaborationModel, InputError
from model.metrics import METRIC_DECLARATIONS, METRICS
from model.strategies import concept_shortfalls

DISSOLVING = {"exit_threshold": 0.5, "exit_patience": 2}  # every partner leaves in week 2
#: Metrics that are means over active partners or relations (missing when there are none); the rest stay numbers.
MEANS = {
    "trust",
    "respect",
    "equality",
    "freedom",
    "accountability",
    "transparency",
    "health",
    "doubt",
    "distrust_share",
    "understanding",
    "shared_vision",
    "commitment",
    "load",
    "overloaded_share",
    "equality_gap",
    "legitimacy",
    "contact_load_relief",
    "board_trust",
    "alignment",
    "floor_frame_clarity",
    "dependent_voice",
    "dependent_account",
    "recognition",
}


def _dissolved(weeks: int = 6, **kw) -> CollaborationModel:
    model = CollaborationModel(scenario="jeugdaanpak", rng=1, **DISSOLVING, **kw)
    model.run_for(weeks)
    assert not model.state.active.any()
    return model


# ---- (1) no active partner: concepts missing, counts and progress numbers ------------------------------------


def test_a_network_without_partners_reports_its_concepts_as_missing_not_zero():
    final = _dissolved().datacollector.get_model_vars_dataframe().iloc[-1]
    for name in METRICS:
        if name in MEANS:
            assert math.isnan(final[name]), f"{name} = {final[name]}"
        else:
            assert math.isfinite(final[name]), f"{name} should stay a number"
    assert final["active_partners"] == 0 and final["exits"] == 10 and final["task_progress"] > 0


def test_the_first_week_with_partners_is_unchanged():
    df = _dissolved().datacollector.get_model_vars_dataframe()
    assert df.iloc[0][sorted(MEANS - {"contact_load_relief"})].notna().all()


def test_a_missing_concept_counts_as_zero_for_the_adaptive_director():
    model = CollaborationModel(scenario="jeugdaanpak", rng=1)
    nan = {c: float("nan") for c in METRICS}
    zero = {c: 0.0 for c in METRICS}
    assert concept_shortfalls(model.state, nan, model.params) == concept_shortfalls(model.state, zero, model.params)


def test_the_command_line_table_and_the_run_plot_show_missing_values(capsys, tmp_path):
    df = _dissolved().datacollector.get_model_vars_dataframe().reset_index(drop=True)
    _print_metrics(df.iloc[-1], METRICS)
    lines = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()[2:]}
    assert lines["trust"] == "–" and lines["exits"] == "10"
    assert METRIC_DECLARATIONS["trust"].format(float("nan")) == "–"
    df.insert(0, "step", np.arange(len(df)))
    plot_run(df, tmp_path / "run.png", "dissolved")
    assert (tmp_path / "run.png").stat().st_size > 0


def test_a_comparison_counts_runs_without_partners_and_does_not_call_them_worse():
    c = run_comparison(prepare("jeugdaanpak", [Variant("uiteen", settings=DISSOLVING)], replications=3, steps=6))
    rows = c.table.set_index("metric")
    assert rows.loc["trust", "missing_variant"] == 3 and rows.loc["trust", "missing_baseline"] == 0
    assert rows.loc["task_progress", "missing_variant"] == 0
    assert verdict(rows.loc["trust"]) == "missing" and math.isnan(rows.loc["trust", "variant_mean"])
    assert verdict(rows.loc["task_progress"]) in ("better", "worse", "unclear")
    text = format_table(c)
    assert "missing (no active partner): 0 baseline, 3 variant runs" in text and "nan" not in text
    # every column starts at the same place, whatever the length of the metric's name
    rows = [line for line in text.splitlines() if line.split(" ")[0] in ("metric", "trust", "contact_load_relief")]
    starts = {len(line) - len(line.split(" ", 1)[1].lstrip()) for line in rows}  # where the second column starts
    assert len(rows) == 3 and len(starts) == 1
    html = render_report(c)
    assert "without active partners" in html and not re.search(r"[>+ ]nan\b", html, re.IGNORECASE)


def test_analyze_counts_runs_without_a_value():
    runs = pd.DataFrame({"trust": [0.5, float("nan"), 0.4], "task_progress": [0.1, 0.0, 0.2]})
    assert analyze.missing_runs(runs, ["trust", "task_progress"]) == {"trust": 1}


def test_validation_notes_runs_that_ended_without_partners():
    arms = {"a": [{"final": {"active_partners": 0.0}}, {"final": {"active_partners": 4.0}}], "b": []}
    assert validate.dissolved_runs(arms) == (1, 2)
    rows = [Row("p", "check", "s", 0.1, 1.0, 0.01, note="n")]
    validate._note_dissolved(rows, arms)
    assert rows[0].note == "n; 1 of 2 runs ended without active partners (concepts missing, left out of pairs)"


# ---- (2) lead succession ----------------------------------------------------------------------------------------


def _lead_leaves(switches):
    model = CollaborationModel(scenario="jeugdaanpak", rng=1, switches=switches)
    model.run_for(2)
    old = model.lead
    model._let_go(np.array([old]))
    return model, old


def test_when_the_lead_leaves_the_most_powerful_active_partner_takes_over():
    model, old = _lead_leaves(None)
    st = model.state
    assert model.lead != old and st.active[model.lead]
    assert st.power[model.lead] == st.power[st.active].max()
    event = model.events[-1]
    assert event == {
        "step": st.tick,
        "event": "lead_succession",
        "partner": st.names[model.lead],
        "previous": st.names[old],
    }
    # the new lead pays the coordination costs, nobody else; legitimacy's power gap is measured to it
    n = int(st.active.sum())
    c = model.constants
    shared = 1.0 - c["partner_contact_hours"] / c["work_week_hours"] if model.switches["partner_contact"] else 1.0
    expected = (1.0 - c["coordination_hours"] * (n - 1) / c["work_week_hours"]) * shared
    assert st.capacity_factor[model.lead] == pytest.approx(expected)
    others = st.active.copy()
    others[model.lead] = False
    np.testing.assert_allclose(st.capacity_factor[others], shared)
    model.step()
    assert math.isfinite(model.legitimacy)


def test_without_lead_succession_the_lead_keeps_its_role_after_leaving():
    model, old = _lead_leaves({**FIRST_VERSION})
    assert model.lead == old
    assert not [e for e in model.events if e["event"] == "lead_succession"]


# ---- (3) saved sessions record the model's version --------------------------------------------------------------


def _played(session: TrainingSession, weeks: int = 4) -> TrainingSession:
    model = session.new_model()
    for _ in range(weeks):
        model.apply_intervention("vision_session", hours=8)
        session.decisions.append([])
        from experiments.training.session import Decision

        session.decisions[-1].append(Decision("vision_session", None, 8.0))
        model.step()
    return session


def test_a_session_records_the_model_version_and_its_switches():
    doc = json.loads(_played(TrainingSession("jeugdaanpak", seed=5, horizon=8)).to_json())
    assert doc["model_version"] == MODEL_VERSION
    assert set(doc["switches"]) == set(FIRST_VERSION) and all(doc["switches"].values())
    again = read_session_file(json.dumps(doc))
    assert again.switches == doc["switches"] and again.model_version == MODEL_VERSION


def test_a_session_of_the_first_version_replays_the_first_versions_metrics():
    session = _played(TrainingSession("jeugdaanpak", seed=5, horizon=8))
    doc = json.loads(session.to_json())
    del doc["model_version"], doc["switches"]  # the first version's file format
    old = read_session_file(json.dumps(doc))
    assert old.model_version == 1 and old.switches == FIRST_VERSION
    replayed = old.replay().datacollector.get_model_vars_dataframe()
    first = CollaborationModel(scenario="jeugdaanpak", rng=5, strategy="manual", switches=FIRST_VERSION)
    for _ in range(4):
        first.apply_intervention("vision_session", hours=8)
        first.step()
    expected = first.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(replayed, expected)


def test_a_session_of_a_later_model_version_is_refused_naming_it():
    doc = json.loads(TrainingSession("jeugdaanpak", seed=5).to_json())
    doc["model_version"] = 99
    with pytest.raises(InputError, match=r"model version 99"):
        read_session_file(json.dumps(doc))
    doc["model_version"] = 2
    doc["switches"] = {"telepathy": True}
    with pytest.raises(InputError, match="unknown switch 'telepathy'"):
        read_session_file(json.dumps(doc))
    doc["model_version"] = 1
    doc["switches"] = {"layers": True}
    with pytest.raises(InputError, match="model version 1 has no mechanism switches"):
        read_session_file(json.dumps(doc))


@pytest.mark.parametrize(
    ("metric", "low", "mean", "high", "expected"),
    [
        ("trust", 0.02, 0.03, 0.04, "better"),
        ("trust", -0.04, -0.03, -0.02, "worse"),
        ("doubt", -0.04, -0.03, -0.02, "better"),  # lower is better
        ("trust", 0.002, 0.003, 0.004, "negligible"),  # clearly not zero, and too small to matter
        ("trust", -0.005, 0.0, 0.004, "negligible"),
        ("trust", 0.001, 0.008, 0.015, "unclear"),  # above zero; whether it matters, the seeds cannot tell
        ("trust", -0.02, 0.01, 0.03, "unclear"),
        ("incidents", 0.2, 0.5, 0.8, "negligible"),  # a count: less than one incident
        ("incidents", 1.5, 2.0, 2.5, "worse"),
        ("hours_spent", 1.0, 2.0, 3.0, "-"),
    ],
)
def test_a_verdict_needs_the_metrics_smallest_difference_of_interest(metric, low, mean, high, expected):
    better_when = {1: "higher", -1: "lower", 0: "none"}[METRIC_DECLARATIONS[metric].direction]
    row = pd.Series(
        {"metric": metric, "better_when": better_when, "diff_low": low, "diff_mean": mean, "diff_high": high}
    )
    assert verdict(row) == expected
