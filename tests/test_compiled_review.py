"""The compiled engine against the reference in states the other engine tests do not reach.

Partners who join (again) or leave between weeks, partners outside the network from the start (all of them, too),
a training's manual director with ``apply_intervention`` (and its refusals), another strategy played on a copy of a
session, settings a training holds, agent-level collection with exits, the evidence ledger, scenario files of odd
shapes (one partner left, no relation left, one or sixteen value dimensions, identical partners), constants at the
ends of their ranges, every switch off, lead succession by a lead that left, arrays a caller keeps across a week,
copies and pickles of a compiled model in mid-run (and in a fresh process). Whole runs agree as in
``tests/test_engines.py``, and so do the final states, the director's log (targets included) and the lead.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from experiments.training.dilemmas import PARTNER_SETTINGS, Hold, apply_hold
from model import CollaborationModel, parse_scenario
from model.constants import CONSTANTS
from model.inputs import InputError
from model.interventions import FLOOR_PARTNER_ARRAYS, FLOOR_RELATION_ARRAYS
from model.switches import ALL_ON, FIRST_VERSION
from tests.compiled_support import ATOL, RTOL, assert_same_run

Script = Callable[[CollaborationModel, int], None]


def _run(engine: str, kwargs: dict[str, Any], seed: int, weeks: int, script: Script | None) -> CollaborationModel:
    model = CollaborationModel(rng=seed, engine=engine, **kwargs)
    for week in range(weeks):
        if script is not None:
            script(model, week)
        model.step()
    return model


def both(kwargs: dict[str, Any], seed: int = 7, weeks: int = 30, script: Script | None = None, what: str = "") -> None:
    ref = _run("reference", kwargs, seed, weeks, script)
    twin = _run("compiled", kwargs, seed, weeks, script)
    assert_same_run(ref, twin, what or str(kwargs))


# ---- partners joining and leaving between weeks -------------------------------------------------------------------


def _leave_and_join(model: CollaborationModel, week: int) -> None:
    names = model.state.names
    top = int(np.argmax(model.state.power))  # the lead under lead governance
    other = 2 if top != 2 else 3
    if week == 3:
        model.join(names[1])  # outside from the start
    if week == 6:
        model.leave(names[top])
    if week == 9:
        model.leave(names[other])
    if week == 14:
        model.join(names[top])  # joins again, with the state it had when it left
    if week == 18:
        model.join(names[other])


@pytest.mark.parametrize("governance", ["lead", "shared", "nao"])
def test_joins_and_leaves_between_weeks(governance):
    names = CollaborationModel(scenario="jeugdaanpak", engine="reference").state.names
    kwargs = {"scenario": "jeugdaanpak", "governance": governance, "strategy": "balanced", "outside": [names[1]]}
    ref = _run("reference", kwargs, 7, 26, _leave_and_join)
    twin = _run("compiled", kwargs, 7, 26, _leave_and_join)
    kinds = [e["event"] for e in ref.events]
    assert kinds.count("join") == 3 and ("lead_succession" in kinds) == (governance == "lead")
    assert_same_run(ref, twin, governance)


def test_outside_partners_at_construction_in_a_large_network():
    model = CollaborationModel(scenario="synthetic", n_partners=60, rng=4, engine="reference")
    outside = model.state.names[5:9]
    both({"scenario": "synthetic", "n_partners": 60, "outside": outside, "strategy": "adaptive"}, seed=4, weeks=15)


@pytest.mark.parametrize("governance", ["lead", "shared"])
def test_everyone_outside_at_construction_then_two_join(governance):
    names = CollaborationModel(scenario="jeugdaanpak", engine="reference").state.names

    def script(model: CollaborationModel, week: int) -> None:
        if week in (3, 5):
            model.join(names[week // 5 - 1])  # the first partner, then the last

    kwargs = {"scenario": "jeugdaanpak", "outside": names, "governance": governance, "strategy": "adaptive"}
    both(kwargs, weeks=10, script=script, what=governance)


# ---- a training session's manual director -------------------------------------------------------------------------


def _manual(model: CollaborationModel, week: int) -> None:
    names = model.state.names
    active = [names[i] for i in model.state.active_index()]
    if len(active) < 5:
        return
    plan: list[tuple[str, Any, float | None]] = [
        ("vision_session", None, None),
        ("personal_contact", [active[0], active[-1]], 2.0),
        ("personal_contact", active[1], 1.0),
        ("equal_footing", active[:3], None),
        ("recognize_interests", [int(model.state.active_index()[0])], 2.0),
        ("align_layers", None, 3.0),
        ("covenant", None, 4.0),
        ("accountability_dialogue", active[2:5], None),
        ("build_info_structure", None, None),
        ("expectation_management", active[0], None),
        ("role_division", None, None),
        ("steer_own_goals", None, 2.0),
        ("personal_contact", None, 1.0),  # the weakest relation
    ]
    for k in range(3):
        iv, targets, hours = plan[(3 * week + k) % len(plan)]
        if model.director.hours_left <= 1e-9:
            return
        model.apply_intervention(iv, targets, None if hours is None else min(hours, model.director.hours_left))
    if week == 8 and model.state.active[4]:
        model.leave(names[4])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scenario": "gebiedsontwikkeling", "strategy": "manual"},
        {"scenario": "sociaal_domein", "strategy": "manual", "governance": "shared"},
        {"scenario": "jeugdaanpak", "strategy": "manual", "switches": FIRST_VERSION},
    ],
    ids=["goals", "shared", "first version"],
)
def test_manual_director_with_apply_intervention(kwargs):
    both(kwargs, weeks=16, script=_manual)


@pytest.mark.parametrize("strategy", ["balanced", "adaptive"])
def test_a_script_spends_hours_before_a_strategy_plays_the_rest(strategy):
    both({"scenario": "sociaal_domein", "strategy": strategy}, seed=9, weeks=15, script=_manual, what=strategy)


@pytest.mark.parametrize(
    "targets",
    [["nobody"], [99], [-1], ["A", "nobody"], [True], [1.5], [None]],
)
@pytest.mark.parametrize("engine", ["reference", "compiled"])
def test_bad_targets_raise_the_same_input_error(engine, targets):
    messages = []
    for e in ("reference", engine):
        model = CollaborationModel(scenario="jeugdaanpak", strategy="manual", rng=1, engine=e)
        with pytest.raises(InputError) as info:
            model.apply_intervention("equal_footing", targets)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


# ---- agent-level collection with exits ----------------------------------------------------------------------------


def test_agent_level_collection_with_exits_and_a_join():
    kwargs = {"scenario": "jeugdaanpak", "collect_agents": True, "exit_threshold": 0.5, "strategy": "task_focus"}

    def script(model: CollaborationModel, week: int) -> None:
        if week == 12 and not model.state.active[0]:
            model.join(model.state.names[0])

    ref = _run("reference", kwargs, 3, 30, script)
    twin = _run("compiled", kwargs, 3, 30, script)
    assert ref.counts["exits"] > 0
    assert_same_run(ref, twin, "collect_agents")
    kind = next(iter(ref.agents_by_type))
    a = ref.datacollector.get_agenttype_vars_dataframe(kind)
    b = twin.datacollector.get_agenttype_vars_dataframe(kind)
    np.testing.assert_allclose(b.to_numpy(float), a.to_numpy(float), rtol=RTOL, atol=ATOL, equal_nan=True)


# ---- scenario files of odd shapes ---------------------------------------------------------------------------------


def _scenario(n: int, dims: int, relations: str, governance: str = "nao", extra: str = "", seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    lines = [f'name = "odd{n}_{dims}"', 'title = "Odd"', f'governance = "{governance}"', extra]
    for i in range(n):
        values = ", ".join(f"{v:.3f}" for v in rng.random(dims))
        lines += [
            "[[partner]]",
            f'name = "P{i}"',
            'kind = "gemeente"',
            f"power = {rng.uniform(0.1, 0.95):.3f}",
            f"stake = {rng.uniform(0.2, 0.9):.3f}",
            f"dependency = {rng.uniform(0.0, 1.0):.3f}",
            f"values = [{values}]",
        ]
    pairs: list[tuple[int, int]] = []
    if relations == "chain":
        pairs = [(i, i + 1) for i in range(n - 1)]
    elif relations == "all":
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    for i, j in pairs:
        lines += ["[[relation]]", f'between = ["P{i}", "P{j}"]']
    return "\n".join(lines) + "\n"


ODD_SHAPES = [
    ("two partners, one leaves, then the other", 2, 2, "chain", "lead", {4: 0, 9: 1}),
    ("three in a chain, the middle leaves: no relation", 3, 2, "chain", "lead", {3: 1}),
    ("three partners, a chain, one dimension", 3, 1, "chain", "shared", {}),
    ("six partners, twelve dimensions", 6, 12, "all", "shared", {8: 0}),
    ("ten partners, sixteen dimensions", 10, 16, "chain", "nao", {}),
]


@pytest.mark.parametrize("name,n,dims,relations,governance,leaves", ODD_SHAPES, ids=[s[0] for s in ODD_SHAPES])
def test_scenario_files_of_odd_shapes(name, n, dims, relations, governance, leaves):
    text = _scenario(n, dims, relations, governance, seed=n * dims)
    scenario = parse_scenario(text, f"{name}.toml")

    def script(model: CollaborationModel, week: int) -> None:
        if week in leaves and model.state.active[leaves[week]]:
            model.leave(model.state.names[leaves[week]])

    for strategy in ("balanced", "adaptive"):
        for switches in (None, {s: False for s in ALL_ON}):
            kwargs = {"scenario": scenario, "strategy": strategy, "switches": switches, "exit_threshold": 0.4}
            both(kwargs, seed=n + dims, weeks=14, script=script, what=f"{name}, {strategy}, {switches is not None}")


# ---- constants at the ends of their plausible ranges, every switch off --------------------------------------------


@pytest.mark.parametrize("end", ["low", "high"])
@pytest.mark.parametrize("scenario", ["jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein"])
def test_constants_at_the_ends_of_their_ranges(scenario, end):
    constants = {name: getattr(c, end) for name, c in CONSTANTS.items()}
    constants = {k: int(v) if CONSTANTS[k].integer else v for k, v in constants.items()}
    both({"scenario": scenario, "strategy": "adaptive", "constants": constants}, weeks=20, what=f"{scenario} {end}")


@pytest.mark.parametrize("scenario", ["jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein"])
def test_every_switch_off(scenario):
    both({"scenario": scenario, "strategy": "balanced", "switches": {s: False for s in ALL_ON}}, weeks=30)


# ---- arrays the engines change in place or replace ---------------------------------------------------------------


def _arrays(model: CollaborationModel) -> dict[str, np.ndarray]:
    st = model.state
    holders = {"state": st, "evidence": st.trust_evidence, "goals": st.goals}
    return {
        f"{where}.{k}": v
        for where, obj in holders.items()
        if obj is not None
        for k, v in vars(obj).items()
        if isinstance(v, np.ndarray)
    }


#: The work floor's arrays an intervention of the boards reaches (:func:`model.interventions.reach_layers`): the
#: reference replaces most of them (keeps the values' array, and a large network's untouched relation arrays), its
#: twin writes into them. No caller keeps one across an intervention (the caches of NetworkState keep copies).
REACHED = {
    f"state.{name}"
    for name in (*FLOOR_PARTNER_ARRAYS, *FLOOR_RELATION_ARRAYS, "floor_frame_clarity", "floor_procedure_equality")
}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scenario": "gebiedsontwikkeling", "strategy": "manual", "exit_threshold": 0.45},
        {"scenario": "sociaal_domein", "strategy": "balanced", "governance": "shared", "blame_culture": 0.9},
        {"scenario": "synthetic", "n_partners": 150, "strategy": "adaptive", "exit_threshold": 0.45},
    ],
    ids=["manual", "shared", "large"],
)
def test_an_array_kept_from_last_week_changes_as_with_the_reference(kwargs):
    """A caller (the dashboard, a memo, a snapshot) that kept last week's array sees it change only where the reference
    changes it in place: a twin writes in place only where its reference does (but for :data:`REACHED`)."""
    models = {e: CollaborationModel(rng=8, engine=e, **kwargs) for e in ("reference", "compiled")}
    for week in range(14):
        changed: dict[str, set[str]] = {}
        for engine, model in models.items():
            kept = _arrays(model)
            copies = {k: v.copy() for k, v in kept.items()}
            if kwargs["strategy"] == "manual":
                _manual(model, week)
            if week == 6 and model.state.active.any():
                model.leave(model.state.names[int(np.argmax(np.where(model.state.active, model.state.power, -1)))])
            model.step()
            changed[engine] = {k for k, v in kept.items() if not np.array_equal(v, copies[k], equal_nan=True)}
        assert changed["compiled"] - REACHED <= changed["reference"], (week, changed["compiled"] - changed["reference"])


# ---- copies and pickles of a compiled model -----------------------------------------------------------------------


def test_a_copy_or_a_pickle_in_mid_run_continues_as_the_run_and_leaves_it_alone():
    kwargs = {"scenario": "sociaal_domein", "strategy": "adaptive", "governance": "lead", "exit_threshold": 0.45}
    whole = _run("compiled", kwargs, 2, 30, None)
    model = _run("compiled", kwargs, 2, 12, None)
    before = copy.deepcopy(model)
    forks = [copy.deepcopy(model), pickle.loads(pickle.dumps(model))]
    for fork in forks:
        fork.run_for(18)
        assert_same_run(whole, fork, "a copy")
    assert_same_run(before, model, "the original after its copies ran")
    model.run_for(18)
    assert_same_run(whole, model, "the original")
    reference = pickle.loads(pickle.dumps(_run("reference", kwargs, 2, 12, None)))
    reference.run_for(18)
    assert_same_run(reference, whole, "the reference")


# ---- a training's debrief: another strategy played on a copy of the session ---------------------------------------


def test_another_strategy_played_on_a_copy_of_a_manual_session():
    kwargs = {"scenario": "gebiedsontwikkeling", "strategy": "manual"}
    sessions = {e: _run(e, kwargs, 6, 6, _manual) for e in ("reference", "compiled")}
    for strategy in ("balanced", "relation_focus", "task_focus", "adaptive"):
        played = {}
        for engine, session in sessions.items():
            fork = copy.deepcopy(session)
            played[engine] = [
                (iv, hours, None if t is None else list(t)) for iv, hours, t in fork.director.play(strategy)
            ]
            fork.step()
            played[engine + " model"] = fork
        assert played["compiled"] == played["reference"], strategy
        assert_same_run(played["reference model"], played["compiled model"], strategy)
    assert_same_run(sessions["reference"], sessions["compiled"], "the sessions after their copies played")


# ---- the evidence ledger: every addition recorded with its source --------------------------------------------------


@pytest.mark.parametrize("scenario", ["gebiedsontwikkeling", "sociaal_domein"])
def test_a_run_with_the_evidence_ledger_records_what_the_reference_records(scenario):
    kwargs = {"scenario": scenario, "strategy": "manual", "blame_culture": 0.8}

    def script(model: CollaborationModel, week: int) -> None:
        if week == 0:
            model.state.trust_evidence.ledger = {}
        _manual(model, week)

    ref = _run("reference", kwargs, 12, 16, script)
    twin = _run("compiled", kwargs, 12, 16, script)
    assert_same_run(ref, twin, scenario)
    a, b = ref.state.trust_evidence.ledger, twin.state.trust_evidence.ledger
    assert a is not None and b is not None and sorted(a) == sorted(b) and len(a) > 5
    for key in a:
        assert b[key] == pytest.approx(a[key], rel=RTOL, abs=ATOL), key


# ---- a large network (results kept between weeks: NetworkState.memo) with partners leaving and joining again ----


def test_a_large_network_whose_partners_leave_and_join_again():
    kwargs = {"scenario": "synthetic", "n_partners": 150, "strategy": "manual", "governance": "lead"}

    def script(model: CollaborationModel, week: int) -> None:
        names = model.state.names
        if week in (2, 5):
            for i in range(week, 40, 7):
                if model.state.active[i]:
                    model.leave(names[i])
        if week in (4, 9):
            for i in range(2, 40, 7):
                if not model.state.active[i]:
                    model.join(names[i])
        _manual(model, week)

    ref = _run("reference", kwargs, 5, 12, script)
    twin = _run("compiled", kwargs, 5, 12, script)
    assert ref.state.is_large()
    assert_same_run(ref, twin, "large")


# ---- a training's dilemmas: settings held between weeks -----------------------------------------------------------


@pytest.mark.parametrize("n_partners", [12, 150])
def test_settings_held_between_weeks(n_partners):
    kwargs = {"scenario": "synthetic", "n_partners": n_partners, "strategy": "balanced"}

    def script(model: CollaborationModel, week: int) -> None:
        if 4 <= week <= 9:
            hold = Hold("blame_culture", 0.9, 4, 9)
            apply_hold(model, hold)
            apply_hold(model, Hold("procedure_equality", 0.1, 4, 9))
            apply_hold(model, Hold("sharing_rate", 0.05, 4, 9))
            for setting in PARTNER_SETTINGS:
                apply_hold(model, Hold(setting, 0.2, 4, 9, partner=week % 5))
        if week == 6:  # a power shift (the state's kept power order and memos see it)
            model.state.power[[0, 3]] = model.state.power[[3, 0]]
            model.state.dependency[1] = 1.0

    both(kwargs, seed=3, weeks=14, script=script, what=str(n_partners))


def test_every_metric_is_a_float_with_either_engine():
    for engine in ("reference", "compiled"):
        model = _run(engine, {"scenario": "gebiedsontwikkeling"}, 1, 3, None)
        assert all(isinstance(v, float) for v in model.last_metrics.values()), engine


def test_the_custom_strategy_with_tiny_and_large_shares():
    kwargs = {
        "scenario": "gebiedsontwikkeling",
        "strategy": "custom",
        "governance": "shared",
        "alloc_personal_contact": 1e-9,
        "alloc_covenant": 100.0,
        "alloc_equal_footing": 0.05,
        "alloc_steer_own_goals": 1.0,
        "alloc_align_layers": 1.0,
    }
    ref = _run("reference", kwargs, 4, 20, None)
    twin = _run("compiled", kwargs, 4, 20, None)
    assert len(ref.director.log) > 20
    assert_same_run(ref, twin, "custom")


def test_identical_partners_tie_everywhere():
    """Partners alike in every respect: every choice (contacts, power order, median, lead succession) is a tie."""
    lines = ['name = "alike"', 'title = "Alike"', 'governance = "lead"']
    for i in range(40):
        lines += ["[[partner]]", f'name = "P{i}"', 'kind = "gemeente"', "power = 0.5", "stake = 0.6"]
        lines += ["values = [0.5, 0.5]"]
    lines += [f'[[relation]]\nbetween = ["P{i}", "P{j}"]' for i in range(40) for j in range(i + 1, 40)]
    scenario = parse_scenario("\n".join(lines) + "\n", "alike.toml")
    for strategy in ("balanced", "manual"):
        kwargs = {"scenario": scenario, "strategy": strategy, "exit_threshold": 0.3}
        ref = _run("reference", kwargs, 3, 15, _manual if strategy == "manual" else None)
        twin = _run("compiled", kwargs, 3, 15, _manual if strategy == "manual" else None)
        assert ref.state.is_large()
        assert_same_run(ref, twin, strategy)


def test_a_pickled_compiled_model_runs_on_in_a_fresh_process(tmp_path):
    """As on a worker (Dask, a process pool): unpickled where the compiled engine was never imported."""
    kwargs = {"scenario": "jeugdaanpak", "strategy": "adaptive"}
    model = _run("compiled", kwargs, 21, 5, None)
    (tmp_path / "model.pkl").write_bytes(pickle.dumps(model))
    code = (
        "import pickle, sys\n"
        f"model = pickle.loads(open({str(tmp_path / 'model.pkl')!r}, 'rb').read())\n"
        "assert 'numba' not in sys.modules\n"
        "model.run_for(5)\n"
        f"open({str(tmp_path / 'after.pkl')!r}, 'wb').write(pickle.dumps(model))\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True, cwd=root, timeout=120)
    after = pickle.loads((tmp_path / "after.pkl").read_bytes())
    model.run_for(5)
    assert_same_run(model, after, "a fresh process")
