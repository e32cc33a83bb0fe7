"""The compiled twins of joint work and personal contact (:mod:`model.compiled.joint`) give their reference
functions' results (:func:`model.submodels.joint_work`, :func:`model.submodels.partner_contact`) and leave the state
as they leave it: on the states of ``model_states()`` and on randomised ones (switches off, partners who left, ties
in trust, clipped noise, goals past their target, the trust-evidence ledger), and their choice of contacts picks what
both paths of :func:`model.mechanisms.choose_top` pick, ties and non-finite keys included."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import numpy as np
import pytest

from model import CollaborationModel
from model import mechanisms as mech
from model import submodels as reference
from model.compiled import joint
from model.state import NetworkState
from model.submodels import JointWork, WeekDraws
from tests.compiled_support import assert_same, assert_same_state, model_states, twin_copies


def _draws(state: NetworkState, rng: np.random.Generator) -> WeekDraws:
    return WeekDraws.split(rng.random(WeekDraws.size(state.m, state.n)), state.m, state.n)


def _same_work(a: JointWork, b: JointWork, where: str) -> None:
    assert_same(f"{where}: effort", a.effort, b.effort)
    assert_same(f"{where}: output", a.output, b.output)
    assert a.pairs == b.pairs, f"{where}: pairs {a.pairs} and {b.pairs}"
    assert isinstance(b.output, float) and isinstance(b.pairs, int)


def _check(model: CollaborationModel, a: NetworkState, b: NetworkState, draws: WeekDraws, where: str) -> JointWork:
    """Personal contact, then joint work (as a week calls them), on two copies: the reference on ``a``, the twins
    on ``b``; the results and the whole states agree after each."""
    trust = a.trust()
    met_a = reference.partner_contact(a, model.constants, trust)
    met_b = joint.partner_contact(b, model.constants, trust)
    assert met_a == met_b, f"{where}: pairs met {met_a} and {met_b}"
    assert isinstance(met_b, int)
    assert_same_state(a, b)
    work_a = reference.joint_work(a, a.params, model.constants, trust, draws, a.trust_evidence)
    work_b = joint.joint_work(b, b.params, model.constants, trust, draws, b.trust_evidence)
    _same_work(work_a, work_b, where)
    assert_same_state(a, b)
    return work_a


def test_the_twins_agree_with_the_reference_on_every_model_state():
    rng = np.random.default_rng(2026)
    worked = 0
    for name, model in model_states():
        for week in range(2):
            a, b = twin_copies(model)
            work = _check(model, a, b, _draws(model.state, rng), f"{name}, draw {week}")
            worked += work.pairs > 0
    assert worked > 20  # most states have pairs that work


def _randomised(seed: int) -> Iterator[tuple[str, CollaborationModel, NetworkState, WeekDraws]]:
    """States of the model cases changed at random: evidence gathered, partners who left, ties in trust and in the
    draws, noise at its clipping bounds, goals past their target, the switches freedom and partner_contact off."""
    rng = np.random.default_rng(seed)
    cases = [
        ("jeugdaanpak", {"scenario": "jeugdaanpak"}),
        ("gebiedsontwikkeling", {"scenario": "gebiedsontwikkeling", "strategy": "relation_focus"}),
        ("synthetic 60", {"scenario": "synthetic", "n_partners": 60}),
        ("synthetic 150", {"scenario": "synthetic", "n_partners": 150, "contacts_per_week": 4}),
        (
            "switches off",
            {"scenario": "sociaal_domein", "switches": {"freedom": False, "partner_contact": False}},
        ),
    ]
    for name, kwargs in cases:
        model = CollaborationModel(rng=int(rng.integers(1000)), engine="reference", **kwargs)
        model.run_for(int(rng.integers(1, 12)))
        st = model.state
        for variant in ("evidence", "left", "ties", "clipped", "goals"):
            state = copy.deepcopy(st)
            draws = _draws(state, rng)
            ev = state.trust_evidence
            ev.positive += rng.random(state.m) * (rng.random(state.m) < 0.3)
            ev.negative += rng.random(state.m) * (rng.random(state.m) < 0.3)
            state.commitment = rng.random(state.n)  # some below misuse_below: misused room
            state.freedom = rng.random(state.n)
            if variant == "left":  # partners who left: neither they nor their relations are active
                gone = rng.random(state.n) < 0.3
                state.active &= ~gone
                state.edge_active &= ~(gone[state.src] | gone[state.dst])
            elif variant == "ties":  # equal trust, understanding and draws: the lower relation index wins
                level = rng.choice([0.2, 0.5, 0.8], size=state.m)
                ev.r[:] = level * 10
                ev.s[:] = (1 - level) * 10
                state.understanding[:] = rng.choice([0.1, 0.4], size=state.m)
                choice = np.full(state.m, 0.5)
                draws = WeekDraws.split(
                    np.concatenate([choice, rng.random(WeekDraws.size(state.m, state.n) - state.m)]),
                    state.m,
                    state.n,
                )
            elif variant == "clipped":  # uniforms at and beyond the clipping bounds of both draws
                u = rng.random(WeekDraws.size(state.m, state.n))
                u[: state.m : 3] = 0.0
                u[state.m : state.m + state.n : 2] = rng.choice([0.0, 1e-13, 1.0 - 1e-13, 1.0 - 1e-17], state.n)[::2]
                draws = WeekDraws.split(u, state.m, state.n)
            elif variant == "goals" and state.goals is not None:
                state.goals.progress = 1.5
            yield f"{name} {variant}", model, state, draws


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_twins_agree_with_the_reference_on_randomised_states(seed):
    for where, model, state, draws in _randomised(seed):
        a, b = copy.deepcopy(state), copy.deepcopy(state)
        _check(model, a, b, draws, where)


def test_the_twins_agree_when_nobody_is_active():
    model = CollaborationModel(rng=4, engine="reference", scenario="jeugdaanpak")
    model.run_for(3)
    state = copy.deepcopy(model.state)
    state.active[:] = False
    state.edge_active[:] = False
    a, b = copy.deepcopy(state), copy.deepcopy(state)
    work = _check(model, a, b, _draws(state, np.random.default_rng(0)), "nobody active")
    assert work.pairs == 0 and work.output == 0.0


def test_joint_work_with_a_ledger_records_as_the_reference_does():
    model = CollaborationModel(rng=8, engine="reference", scenario="sociaal_domein")
    model.run_for(5)
    a, b = twin_copies(model)
    a.trust_evidence.ledger, b.trust_evidence.ledger = {}, {}
    draws = _draws(a, np.random.default_rng(5))
    trust = a.trust()
    work_a = reference.joint_work(a, a.params, model.constants, trust, draws, a.trust_evidence)
    work_b = joint.joint_work(b, b.params, model.constants, trust, draws, b.trust_evidence)
    _same_work(work_a, work_b, "ledger")
    assert_same_state(a, b)
    assert b.trust_evidence.ledger == a.trust_evidence.ledger
    assert b.trust_evidence.ledger[("joint work", "positive")] > 0


def _blocks(rng: np.random.Generator, partners: int, relations: int) -> tuple[np.ndarray, np.ndarray]:
    src = np.sort(rng.integers(0, partners, relations))
    offsets = np.searchsorted(src, np.arange(partners))
    return src, offsets


@pytest.mark.parametrize("relations", [40, 255, 256, 900])
def test_the_choice_of_contacts_is_the_references_on_both_its_paths(relations):
    """Below ``SORT_BELOW`` relations the reference sorts, from it up it takes rounds of maxima: the twin picks what
    each picks, with ties, -inf, and the NaN and +inf keys on which the two paths differ."""
    rng = np.random.default_rng(relations)
    rounds = relations >= mech.SORT_BELOW
    for trial in range(60):
        src, offsets = _blocks(rng, int(rng.integers(1, 30)), relations)
        key = rng.choice([-1.0, 0.0, 0.5, 2.0], relations) if trial % 2 else rng.normal(size=relations)
        odd = rng.random(relations)
        if trial % 3 == 1:
            key[odd < 0.1] = -np.inf
        if trial % 5 == 4:  # (not in the last partner's block: with a NaN in every block the rounds raise)
            key[(odd < 0.02) & (src < src[-1])] = np.nan
            key[odd > 0.98] = np.inf
        k = int(rng.integers(0, 5))
        expected = mech.choose_top(src, key.copy(), offsets, k)
        np.testing.assert_array_equal(joint._choose_top(key, offsets, relations, k, rounds), expected)


def test_tied_trust_goes_to_the_lower_relation_in_both_twins():
    model = CollaborationModel(rng=1, engine="reference", scenario="synthetic", n_partners=80)
    a, b = twin_copies(model)
    assert a.m >= mech.SORT_BELOW  # the reference's path of rounds of maxima
    a.trust_evidence.r[:] = b.trust_evidence.r[:] = 5.0
    a.trust_evidence.s[:] = b.trust_evidence.s[:] = 5.0
    a.understanding[:] = b.understanding[:] = 0.3
    u = np.full(WeekDraws.size(a.m, a.n), 0.5)
    work = _check(model, a, b, WeekDraws.split(u, a.m, a.n), "tied")
    # every partner with out-relations chose its first ones
    first = a.offsets[a.out_degree > 0]
    assert work.pairs == int(np.minimum(a.out_degree, a.params["contacts_per_week"]).sum())
    assert (a.last_contact[first] == a.tick).all()
