"""Training without a page (experiments/training): the director plays a strategy's week through the model's own
API, the debrief's counterfactuals are the trainee's session with one week played that way, and
``netwerkregie debrief`` writes the debrief of a session file, refusing bad files as the dashboard does."""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.training import command
from experiments.training.debrief import STRATEGIES, compute_debrief, counterfactual_moment
from experiments.training.session import Decision, TrainingSession
from model import CollaborationModel
from model import strategies as planner
from model.constants import DECLARED
from model.inputs import DASHBOARD_LIMITS, InputError

ROOT = Path(__file__).resolve().parent.parent


def _follow(session: TrainingSession, strategy: str, first_only: bool = False) -> TrainingSession:
    """A trainee who spends every week as ``strategy`` would (or only its first intervention)."""
    m = session.new_model()
    for _ in range(session.horizon):
        week = []
        d = m.director
        for iv, hours, targets in planner.plan(strategy, m.state, d.hours_left, m.params, m.last_metrics, False):
            names = None if targets is None else [m.state.names[int(i)] for i in targets]
            before = m.director.hours_left
            after = m.apply_intervention(iv, targets=names, hours=min(hours, before))
            week.append(Decision(iv, names, before - after))
            if first_only:
                break
        session.decisions.append(week)
        m.step()
    return session


# ---- the director plays a strategy's week ---------------------------------------------------------------------


@pytest.mark.parametrize("strategy", [*STRATEGIES, "custom"])
def test_a_manual_director_playing_a_strategy_each_week_follows_that_strategys_path(strategy):
    params = {"alloc_covenant": 1.0, "alloc_personal_contact": 2.0} if strategy == "custom" else {}
    direct = CollaborationModel(scenario="jeugdaanpak", rng=6, strategy=strategy, **params)
    direct.run_for(12)
    played = CollaborationModel(scenario="jeugdaanpak", rng=6, strategy="manual", **params)
    for _ in range(12):
        played.director.play(strategy)
        played.step()
    pd.testing.assert_frame_equal(
        played.datacollector.get_model_vars_dataframe(), direct.datacollector.get_model_vars_dataframe()
    )


def test_playing_a_week_uses_the_models_constants():
    constants = {"adaptive_first_share": 1.0, "adaptive_target": 0.9}
    direct = CollaborationModel(scenario="sociaal_domein", rng=3, strategy="adaptive", constants=constants)
    played = CollaborationModel(scenario="sociaal_domein", rng=3, strategy="manual", constants=constants)
    direct.run_for(6)
    for _ in range(6):
        played.director.play("adaptive")
        played.step()
    pd.testing.assert_frame_equal(
        played.datacollector.get_model_vars_dataframe(), direct.datacollector.get_model_vars_dataframe()
    )
    declared = CollaborationModel(scenario="sociaal_domein", rng=3, strategy="adaptive")
    declared.run_for(6)
    assert declared.task_progress != direct.task_progress  # the override changes the plan


def test_a_played_week_reports_what_was_spent():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual")
    spent = m.director.play("relation_focus")
    assert sum(hours for _, hours, _ in spent) == pytest.approx(m.params["director_hours"])
    assert m.director.hours_left == pytest.approx(0.0)
    assert {iv for iv, _, _ in spent} == set(planner.SHARES["relation_focus"])
    assert m.director.play("relation_focus") == []  # nothing left to spend this week


# ---- the debrief's counterfactuals -----------------------------------------------------------------------------


def _replay_with_week(session: TrainingSession, week: int, plan) -> CollaborationModel:
    """The session replayed through ``apply_intervention`` with week ``week`` replaced by ``plan`` (names), the
    later weeks' hours capped at what is left."""
    m = session.new_model()
    for w, decisions in enumerate(session.decisions, start=1):
        chosen = plan if w == week else [(d.intervention, d.hours, d.targets) for d in decisions]
        for iv, hours, targets in chosen:
            left = m.director.hours_left
            if left > 1e-9:
                m.apply_intervention(iv, targets=targets, hours=min(hours, left) if w > week else hours)
        m.step()
    return m


def test_each_moment_is_the_session_with_that_week_chosen_as_the_best_strategy_would():
    session = _follow(TrainingSession("jeugdaanpak", seed=2, horizon=8), "task_focus", first_only=True)
    d = compute_debrief(session)
    you = d.paths["you"].iloc[-1]
    assert sorted(m.week for m in d.moments) == list(range(1, 9))
    for moment in d.moments[:3]:
        assert moment.theirs, "the best strategy spends hours"
        alt = _replay_with_week(session, moment.week, moment.theirs)
        assert moment.diff_task == pytest.approx(alt.task_progress - you["task_progress"], abs=1e-12)
        assert moment.diff_health == pytest.approx(alt.health - you["health"], abs=1e-12)


def test_a_counterfactual_week_follows_the_scenarios_constants():
    toml = (ROOT / "model" / "data" / "jeugdaanpak.toml").read_text(encoding="utf-8")
    toml += "\n[constants]\nadaptive_first_share = 1.0\nadaptive_target = 0.9\n"
    session = TrainingSession("jeugd-constanten", seed=4, horizon=3, scenario_toml=toml)
    session.decisions = [[] for _ in range(3)]
    start = session.new_model()
    assert start.constants["adaptive_first_share"] == 1.0
    d = start.director
    planned = planner.plan(
        "adaptive", start.state, d.hours_left, start.params, start.last_metrics, False, start.constants
    )
    declared = planner.plan("adaptive", start.state, d.hours_left, start.params, start.last_metrics, False, DECLARED)
    assert [p[:2] for p in planned] != [p[:2] for p in declared]
    moment = counterfactual_moment(session, 1, start, "adaptive", 0.0, 0.0)
    assert [(iv, hours) for iv, hours, _ in moment.theirs] == [(iv, hours) for iv, hours, _ in planned]


# ---- netwerkregie debrief ----------------------------------------------------------------------------------------


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="netwerkregie")
    command.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["debrief", *argv])
    assert args.func is command.main
    return args.func(args)


def _session_file(tmp_path: Path, text: str | bytes, name: str = "session.json") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


def test_the_debrief_command_writes_the_debrief_of_a_session(tmp_path, capsys):
    session = _follow(TrainingSession("gebiedsontwikkeling", seed=3, horizon=4), "task_focus", first_only=True)
    path = _session_file(tmp_path, session.to_json())
    out = tmp_path / "report" / "debrief.html"
    assert _run(path, "--out", str(out), "--lang", "en") == 0
    page = out.read_text(encoding="utf-8")
    assert "Debrief after 4 weeks" in page and "Moments that mattered most" in page
    assert "data:image/png;base64," in page and "<script" not in page and "https://" not in page
    assert [p.name for p in out.parent.iterdir()] == ["debrief.html"]  # no temporary file left
    printed = capsys.readouterr().out
    assert "Best fixed strategy on task progress" in printed and str(out) in printed


def test_the_debrief_command_speaks_dutch_by_default(tmp_path):
    session = _follow(TrainingSession("jeugdaanpak", seed=1, horizon=2), "balanced")
    out = tmp_path / "debrief.html"
    assert _run(_session_file(tmp_path, session.to_json()), "--out", str(out)) == 0
    assert "Debriefing na 2 weken" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", r"session file 'session.json' is not valid JSON"),
        ('{"format": "something else"}', "not a training session"),
        (
            '{"format": "netwerkregie-training-session", "version": 1, "scenario": "jeugdaanpak", "seed": 1, '
            '"horizon": 4, "decisions": [[{"intervention": "covenant", "targets": null, "hours": 40}]]}',
            "week 1: 'covenant' asks 40 hours but only 16 are left",
        ),
        (
            '{"format": "netwerkregie-training-session", "version": 1, "scenario": "jeugdaanpak", "seed": 1, '
            '"horizon": 4, "decisions": []}',
            "has no played week yet",
        ),
        (b" " * (DASHBOARD_LIMITS.file_bytes + 1), r"larger than 5 MB \(a limit of the dashboard\)$"),
    ],
)
def test_the_debrief_command_refuses_a_bad_session_in_one_line_and_writes_nothing(tmp_path, content, expected):
    out = tmp_path / "debrief.html"
    with pytest.raises(InputError, match=expected) as info:
        _run(_session_file(tmp_path, content), "--out", str(out))
    assert "\n" not in str(info.value)
    assert not out.exists()


def test_the_debrief_command_checks_its_output_before_reading_the_session(tmp_path):
    with pytest.raises(InputError, match=r"--out .*expected a file ending in \.html"):
        _run(_session_file(tmp_path, "{not json"), "--out", str(tmp_path / "debrief.txt"))
    (tmp_path / "folder.html").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        _run(_session_file(tmp_path, "{not json"), "--out", str(tmp_path / "folder.html"))
    with pytest.raises(InputError, match="does not exist"):
        _run(str(tmp_path / "missing.json"), "--out", str(tmp_path / "debrief.html"))


def test_the_debrief_command_offers_two_languages():
    with pytest.raises(SystemExit):
        _run("s.json", "--out", "d.html", "--lang", "fr")


# ---- the package and the dashboard ---------------------------------------------------------------------------------


def test_the_training_package_imports_nothing_of_the_dashboard():
    for path in (ROOT / "experiments" / "training").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "dashboards" or n.startswith("dashboards.") for n in names), path.name


def test_the_dashboard_modules_re_export_the_training_package():
    from dashboards import debrief as page_debrief
    from dashboards import session as page_session
    from experiments.training import debrief, export, session

    assert page_session.read_session_file is session.read_session_file
    assert page_session.TrainingSession is session.TrainingSession
    assert page_debrief.compute_debrief is debrief.compute_debrief
    assert page_debrief.debrief_html is export.debrief_html


def test_the_dashboard_and_the_debrief_read_the_one_translation_module():
    from dashboards import i18n
    from experiments import texts
    from experiments.training import debrief, export

    assert i18n.TEXT is texts.TEXT and i18n.tr is texts.tr  # the dashboard re-exports, never copies
    assert debrief.tr is texts.tr and export.tr is texts.tr
    for key in ("debrief_title", "moments", "whatif_hours", "scenario"):
        nl, en = texts.TEXT[key]
        assert texts.tr(key, "nl", weeks=1) == nl.format(weeks=1) and texts.tr(key, "en", weeks=1) == en.format(weeks=1)


def test_a_session_file_round_trips_through_json():
    session = _follow(TrainingSession("jeugdaanpak", seed=9, horizon=3), "adaptive")
    doc = json.loads(session.to_json())
    assert doc["format"] == "netwerkregie-training-session" and len(doc["decisions"]) == 3
    assert TrainingSession.from_json(session.to_json()) == session
    np.testing.assert_allclose(
        session.replay().datacollector.get_model_vars_dataframe().to_numpy(dtype=float),
        TrainingSession.from_json(session.to_json()).replay().datacollector.get_model_vars_dataframe().to_numpy(),
    )
