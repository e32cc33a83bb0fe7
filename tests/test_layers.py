"""Board and work floor (switch ``layers``, ODD 7.13): the equations of vertical alignment, the submodels with the
switch on and off, the scenario's ``alignment`` and the layer each intervention reaches."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pytest

from model import CollaborationModel, InputError, submodels
from model import mechanisms as mech
from model.interventions import INTERVENTIONS, LAYERS
from model.scenarios import DEFAULT_ALIGNMENT, parse_scenario

OFF = {"layers": False}


def _jeugdaanpak_text() -> str:
    return (files("model") / "data" / "jeugdaanpak.toml").read_text()


# ---- the equations ------------------------------------------------------------------------------------------------


def test_the_floor_acts_on_the_boards_agreement_as_far_as_its_alignment_carries_it():
    floor = np.array([0.2, 0.2, 0.2])
    a = np.array([0.0, 0.5, 1.0])
    step = mech.floor_follows_board(floor, 0.8, 0.2, a, rate=0.1)
    assert step == pytest.approx([0.2, 0.23, 0.26])
    for _ in range(500):
        floor = mech.floor_follows_board(floor, 0.8, 0.2, a, rate=0.1)
    assert floor == pytest.approx([0.2, 0.5, 0.8])  # own + a (board - own)


def test_the_board_hears_the_floors_trust_and_its_trust_moves_there():
    positive, negative = mech.board_hears_floor(np.array([0.9, 0.9]), np.array([0.0, 1.0]), amount=1.0)
    assert positive == pytest.approx([0.0, 0.9]) and negative == pytest.approx([0.0, 0.1])
    r, s = mech.evidence_for_trust(0.3, 0.95)  # a board that distrusts, a floor that trusts (0.9)
    for _ in range(300):
        pos, neg = mech.board_hears_floor(0.9, 1.0, amount=1.0)
        r, s = mech.update_evidence(r, s, pos, neg, 0.95)
    board = mech.trust_from_evidence(r, s, 0.5, 2.0)
    assert 0.85 < board < 0.9  # toward the floor's 0.9, held back by the prior (healthy doubt)


def test_board_cover_is_the_mean_mutual_board_trust_and_erosion_shrinks_with_it():
    assert mech.board_cover(0.8, 0.6) == pytest.approx(0.7)
    assert mech.escalation_erosion(np.array([0.0, 0.5, 1.0]), 2.0) == pytest.approx([2.0, 1.0, 0.0])


def test_a_board_decision_reaches_the_floor_times_the_alignment():
    before, after = np.array([0.5, 0.5]), np.array([0.3, 0.3])
    assert mech.through_alignment(before, after, np.array([0.0, 0.5])) == pytest.approx([0.5, 0.4])


# ---- switch off: one layer -------------------------------------------------------------------------------------


def test_with_the_switch_off_the_board_is_the_work_floor():
    m = CollaborationModel(scenario="jeugdaanpak", rng=2, strategy="balanced", incident_rate=1.5, switches=OFF)
    board_r, board_s = m.state.board_r.copy(), m.state.board_s.copy()
    m.run_for(20)
    assert m.counts["blamed"] > 0
    assert np.array_equal(m.state.board_r, board_r) and np.array_equal(m.state.board_s, board_s)
    assert m.escalations == 0 and m.last_metrics["escalations"] == 0
    assert m.last_metrics["board_trust"] == m.last_metrics["trust"]
    assert m.last_metrics["alignment"] == 1.0
    assert m.last_metrics["floor_frame_clarity"] == m.last_metrics["frame_clarity"]


def test_the_switch_changes_the_run_and_its_metrics_exist_either_way():
    on = CollaborationModel(scenario="jeugdaanpak", rng=2, strategy="balanced", incident_rate=1.5)
    off = CollaborationModel(scenario="jeugdaanpak", rng=2, strategy="balanced", incident_rate=1.5, switches=OFF)
    on.run_for(20)
    off.run_for(20)
    assert on.last_metrics["escalations"] == on.counts["blamed"] > 0
    assert on.last_metrics["trust"] != off.last_metrics["trust"]
    assert 0 < on.last_metrics["alignment"] < 1
    for name in ("board_trust", "alignment", "floor_frame_clarity", "escalations"):
        assert name in on.last_metrics and name in off.last_metrics


# ---- switch on: the submodels ------------------------------------------------------------------------------------


def _scenario_with_alignment(value: float):
    text = _jeugdaanpak_text()
    lines = [line for line in text.splitlines() if not line.startswith("alignment =")]
    text = "\n".join(lines).replace('kind = "', f'alignment = {value}\nkind = "')
    return parse_scenario(text)


@pytest.mark.parametrize("alignment", [0.2, 0.9])
def test_a_covenant_reaches_the_work_floor_later_and_faster_with_more_alignment(alignment):
    m = CollaborationModel(scenario=_scenario_with_alignment(alignment), rng=1, strategy="manual")
    board_before = m.state.frame_clarity
    m.apply_intervention("covenant", hours=16)
    m.step()
    m.apply_intervention("covenant", hours=16)
    assert m.state.frame_clarity > board_before + 0.1  # the boards agreed
    assert m.state.floor_frame_clarity == pytest.approx(np.full(m.state.n, board_before))  # the floor not yet
    floor, board, own = m.state.floor_frame_clarity.copy(), m.state.frame_clarity, m.params["frame_clarity"]
    m.step()  # one week: the floor moves at alignment_down_rate toward own + a_i (board - own)
    rate = m.constants["alignment_down_rate"]
    assert m.state.floor_frame_clarity == pytest.approx(floor + rate * (own + alignment * (board - own) - floor))
    m.run_for(4)
    assert board_before < m.state.floor_frame_clarity.mean() < m.state.frame_clarity


def test_more_alignment_carries_frames_faster():
    reached = []
    for alignment in (0.2, 0.9):
        m = CollaborationModel(scenario=_scenario_with_alignment(alignment), rng=1, strategy="manual")
        m.apply_intervention("covenant", hours=16)
        m.step()
        m.apply_intervention("covenant", hours=16)
        m.run_for(10)
        reached.append(m.state.floor_frame_clarity.mean())
    assert reached[1] > reached[0]


def test_the_work_floor_reads_its_own_frames_with_the_switch_on():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual")
    st = m.state
    st.frame_clarity = 1.0  # the boards' frames are clear, the floors' not at all
    st.floor_frame_clarity[:] = 0.0
    m.step()
    assert st.freedom.max() < 0.5 * mech.freedom_target(1.0, st.mean_in(st.trust())).min()


def test_a_board_with_alignment_hears_the_floor():
    loose, tight = (CollaborationModel(scenario=_scenario_with_alignment(a), rng=3) for a in (0.0, 1.0))
    for m in (loose, tight):
        m.run_for(30)
    gap = [abs(m.last_metrics["board_trust"] - m.last_metrics["trust"]) for m in (loose, tight)]
    assert gap[1] < gap[0]


def _blamed_once(board_trust: float) -> tuple[float, float]:
    """The erosion and escalation evidence of one blamed incident, with every board relation at ``board_trust``."""
    m = CollaborationModel(scenario="jeugdaanpak", rng=1)
    st = m.state
    r, s = mech.evidence_for_trust(np.full(st.m, board_trust), 0.95)
    st.trust_evidence.board_r, st.trust_evidence.board_s = r, s
    st.trust_evidence.ledger = {}
    incidents = submodels.Incidents(outcomes=[(0, False), (1, True)])
    assert submodels.escalation(st, m.constants, incidents, st.trust_evidence) == 1
    book = st.trust_evidence.ledger
    return book[("erosion", "negative")], book[("escalation", "negative")]


def test_an_escalation_erodes_the_floor_less_where_the_boards_cover_it():
    weak_erosion, weak_escalation = _blamed_once(0.3)
    strong_erosion, strong_escalation = _blamed_once(0.9)
    assert weak_erosion > 2 * strong_erosion > 0
    assert weak_escalation == strong_escalation > 0  # escalation reaches the boards either way


def test_escalation_without_blame_does_nothing():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1)
    st = m.state
    st.trust_evidence.ledger = {}
    incidents = submodels.Incidents(outcomes=[(0, True)])
    assert submodels.escalation(st, m.constants, incidents, st.trust_evidence) == 0
    assert st.trust_evidence.ledger == {}


# ---- interventions' layers ---------------------------------------------------------------------------------------


def test_every_intervention_declares_its_layer():
    assert {iv.layer for iv in INTERVENTIONS.values()} <= set(LAYERS)
    assert {iv.id for iv in INTERVENTIONS.values() if iv.layer == "board"} == {
        "covenant",
        "role_division",
        "equal_footing",
    }
    assert INTERVENTIONS["align_layers"].layer == "both"
    assert {iv.id for iv in INTERVENTIONS.values() if iv.layer == "floor"} == {
        "accountability_dialogue",
        "personal_contact",
        "expectation_management",
        "steer_own_goals",  # acts on the goals and the trust in the director: no layer effect (ODD 7.5)
    }


def test_a_board_intervention_reaches_the_floor_only_through_alignment():
    scenario = parse_scenario(_jeugdaanpak_text())
    scenario.partners[0].alignment = 0.0  # Gemeente's floor does not hear its board
    scenario.partners[1].alignment = 1.0  # Politie's does
    results = {}
    for layers in (True, False):
        m = CollaborationModel(scenario=scenario, rng=1, strategy="manual", switches={"layers": layers})
        before = m.state.commitment.copy()
        m.apply_intervention("role_division", hours=8)
        results[layers] = (before, m.state.commitment.copy())
    before, on = results[True]
    _, off = results[False]
    assert on[0] == before[0]  # no alignment: the board's trap does not reach the floor
    assert on[1] == pytest.approx(off[1])  # full alignment: as with one layer
    assert np.all(off < before)


def test_equal_footings_recognition_reaches_the_floor_only_through_alignment():
    scenario = parse_scenario(_jeugdaanpak_text())
    scenario.partners[0].alignment = 0.0
    scenario.partners[1].alignment = 1.0
    scenario.partners[2].alignment = 0.5
    recognition = {}
    for layers in (True, False):
        m = CollaborationModel(scenario=scenario, rng=1, strategy="manual", switches={"layers": layers})
        assert np.all(m.state.recognition == 0)
        m.apply_intervention("equal_footing", hours=8)
        recognition[layers] = m.state.recognition.copy()
    on, off = recognition[True], recognition[False]
    assert np.all(off > 0)
    assert on[0] == 0.0  # the board recognised its interests; its work floor does not know
    assert on[1] == pytest.approx(off[1])
    assert on[2] == pytest.approx(0.5 * off[2])


def test_a_floor_intervention_acts_as_with_one_layer():
    states = []
    for layers in (True, False):
        m = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual", switches={"layers": layers})
        m.apply_intervention("personal_contact", ["Politie", "GGZ"])
        m.apply_intervention("accountability_dialogue")
        states.append((m.state.r.copy(), m.state.understanding.copy(), m.state.accountability.copy()))
    for on, off in zip(*states, strict=True):
        assert np.array_equal(on, off)


def test_board_sessions_build_board_trust_and_floor_meetings_do_not():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual")
    board_r = m.state.board_r.copy()
    m.apply_intervention("personal_contact", ["Politie", "GGZ"])
    assert np.array_equal(m.state.board_r, board_r)
    m.apply_intervention("equal_footing")
    assert np.all(m.state.board_r > board_r)
    m2 = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual", switches=OFF)
    m2.apply_intervention("equal_footing")
    assert np.array_equal(m2.state.board_r, board_r)


# ---- the scenario's alignment -----------------------------------------------------------------------------------


def test_the_built_in_scenarios_give_each_organisation_its_alignment():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1)
    politie, onderwijs = (m.state.alignment[m.state.index[n]] for n in ("Politie", "Onderwijs"))
    assert politie == 0.7 and onderwijs == 0.3


def test_a_scenario_without_alignment_gets_the_default():
    text = "\n".join(line for line in _jeugdaanpak_text().splitlines() if not line.startswith("alignment ="))
    scenario = parse_scenario(text)
    assert {p.alignment for p in scenario.partners} == {DEFAULT_ALIGNMENT} == {0.5}


@pytest.mark.parametrize("bad", ["1.5", "-0.1", '"high"', "true", "[0.5]", "nan"])
def test_a_bad_alignment_is_refused_naming_the_partner(bad):
    text = _jeugdaanpak_text().replace("alignment = 0.7 ", f"alignment = {bad} ", 1)
    with pytest.raises(InputError, match=r"partner 'Politie': alignment"):
        parse_scenario(text)


def test_a_generated_scenario_draws_alignment_last_and_defaults_without_it():
    text = (files("model") / "data" / "synthetic.toml").read_text()
    with_it = parse_scenario(text).build(seed=5, n_partners=30)
    without = parse_scenario(text.replace('alignment = { dist = "uniform", low = 0.3, high = 0.7 }', "")).build(
        seed=5, n_partners=30
    )
    a = np.array([p.alignment for p in with_it.partners])
    assert np.all((a >= 0.3) & (a <= 0.7)) and len(set(a)) > 1
    assert {p.alignment for p in without.partners} == {DEFAULT_ALIGNMENT}
    # the network and every other attribute are the same: alignment is drawn after them
    assert [(p.power, p.stake, p.values) for p in with_it.partners] == [
        (p.power, p.stake, p.values) for p in without.partners
    ]
    assert [(r.a, r.b, r.trust_ab) for r in with_it.relations] == [(r.a, r.b, r.trust_ab) for r in without.relations]
    with pytest.raises(InputError, match="alignment"):
        parse_scenario(text.replace("low = 0.3, high = 0.7", "low = 0.3, high = 1.7"))


def test_the_partner_and_relation_tables_show_both_layers():
    on = CollaborationModel(scenario="jeugdaanpak", rng=1)
    off = CollaborationModel(scenario="jeugdaanpak", rng=1, switches=OFF)
    for m in (on, off):
        m.run_for(3)
    assert np.array_equal(on.partner_table()["alignment"], on.state.alignment)
    assert np.allclose(on.relation_table()["board_trust"], on.state.board_trust())
    assert np.all(off.partner_table()["alignment"] == 1.0)
    assert np.array_equal(off.relation_table()["board_trust"], off.relation_table()["trust"])


def test_feedback_between_board_and_floor_raises_alignment_which_wears_off():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual")
    a0 = m.state.alignment.copy()
    lg = m.effective_legitimacy()
    m.apply_intervention("align_layers", ["Politie", "GGZ"])
    reached = [m.state.index["Politie"], m.state.index["GGZ"]]
    gain = m.constants["align_layers_gain"] * lg * mech.dose(6, 6)
    assert m.state.alignment[reached] == pytest.approx(a0[reached] + gain * (1 - a0[reached]))
    others = np.setdiff1d(np.arange(m.state.n), reached)
    assert np.array_equal(m.state.alignment[others], a0[others])
    raised = m.state.alignment.copy()
    m.run_for(30)
    assert np.all(m.state.alignment[reached] < raised[reached]) and np.all(m.state.alignment >= a0 - 1e-12)


def test_feedback_does_nothing_with_one_layer():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual", switches=OFF)
    a0 = m.state.alignment.copy()
    m.apply_intervention("align_layers")
    assert np.array_equal(m.state.alignment, a0)
