"""Dependency in the equations (ODD 7.10, model 2; the switch ``dependency``): a dependent partner leaves less
easily, voices and accounts less toward more powerful partners and perceives less equality, unless its interests are
recognised; ``recognize_interests`` and ``equal_footing`` raise recognition, which wears off. With the switch off
dependency enters no equation."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from model import FIRST_VERSION, CollaborationModel, submodels
from model import mechanisms as mech
from model.constants import DECLARED
from model.metrics import METRICS
from model.scenarios import load_scenario

ONLY_DEPENDENCY = {**FIRST_VERSION, "dependency": True}


# ---- the equations -----------------------------------------------------------------------------------------------


def test_voice_is_lower_toward_more_powerful_partners_the_more_dependent_the_sender():
    dependency = np.array([0.0, 0.4, 0.8])
    toward_stronger = mech.voice_factor(dependency, 0.2, 0.9, 0.0, weight=1.0)
    np.testing.assert_allclose(toward_stronger, [1.0, 1 - 0.4 * 0.7, 1 - 0.8 * 0.7])
    assert (np.diff(toward_stronger) < 0).all()
    # toward a partner that is not more powerful nobody is silenced
    np.testing.assert_allclose(mech.voice_factor(dependency, 0.9, 0.2, 0.0), 1.0)
    np.testing.assert_allclose(mech.voice_factor(dependency, 0.5, 0.5, 0.0), 1.0)


def test_recognition_restores_voice():
    silenced = mech.voice_factor(0.8, 0.2, 0.9, 0.0)
    half = mech.voice_factor(0.8, 0.2, 0.9, 0.5)
    full = mech.voice_factor(0.8, 0.2, 0.9, 1.0)
    assert silenced < half < full == 1.0
    assert half == pytest.approx(1 - DECLARED["dependency_voice_weight"] * 0.8 * 0.7 * 0.5)


def test_voice_stays_in_the_unit_interval():
    rng = np.random.default_rng(2)
    f = mech.voice_factor(rng.random(1000), rng.random(1000), rng.random(1000), rng.random(1000), weight=1.0)
    assert ((f >= 0) & (f <= 1)).all()


def test_the_voice_from_its_kept_silencing_part_is_the_voice_bit_for_bit():
    rng = np.random.default_rng(7)
    dependency, power, toward, recognition = (rng.random(5000) for _ in range(4))
    recognition[::7] = 0.0
    for weight in (DECLARED["dependency_voice_weight"], 1.0, 0.3):
        whole = mech.voice_factor(dependency, power, toward, recognition, weight)
        split = mech.voice_from_silencing(mech.voice_silencing(dependency, power, toward, weight), recognition)
        assert whole.tobytes() == split.tobytes()


def test_a_large_network_s_voice_is_a_small_network_s_voice_bit_for_bit(monkeypatch):
    from model import state as state_module

    model = CollaborationModel(scenario="synthetic", n_partners=300, rng=4)
    model.run_for(3)
    st = model.state
    assert st.is_large()
    submodels.voice(st, model.constants)  # keeps the silencing part
    st.recognition[:] = np.random.default_rng(1).random(st.n)  # recognition changes; the kept part does not
    kept = submodels.voice(st, model.constants)
    monkeypatch.setattr(state_module, "KEEP_FROM", 10**9)  # as a small network: the voice factor over every relation
    assert not st.is_large()
    assert kept.tobytes() == submodels.voice(st, model.constants).tobytes()


def test_a_dependent_partner_has_a_lower_exit_threshold():
    thresholds = mech.dependent_exit_threshold(0.1, np.array([0.0, 0.5, 1.0]), weight=0.5)
    np.testing.assert_allclose(thresholds, [0.1, 0.075, 0.05])


def test_a_dependent_partner_perceives_less_equality_unless_recognised():
    target = np.array([0.6, 0.6, 0.6, 0.05])
    dependency = np.array([0.0, 0.8, 0.8, 0.8])
    recognition = np.array([0.0, 0.0, 1.0, 0.0])
    out = mech.dependent_equality_target(target, dependency, recognition, weight=0.2)
    np.testing.assert_allclose(out, [0.6, 0.6 - 0.16, 0.6, 0.0])  # never below 0


# ---- the submodels -----------------------------------------------------------------------------------------------


def _pair(scenario: str = "jeugdaanpak", **params) -> tuple[CollaborationModel, CollaborationModel]:
    """The same network with only the dependency switch on, and with every switch off."""
    on = CollaborationModel(scenario=scenario, rng=1, switches=ONLY_DEPENDENCY, **params)
    off = CollaborationModel(scenario=scenario, rng=1, switches=FIRST_VERSION, **params)
    return on, off


def test_dependent_partners_send_less_toward_more_powerful_partners():
    on, off = _pair("sociaal_domein")
    for m in (on, off):
        submodels.information_flow(m.state, m.params, m.constants, m.state.trust(), m.state.trust_evidence)
    st = on.state
    top = int(np.argmax(st.power))
    bottom = int(np.argmin(st.power))
    assert on.state.load[top] < off.state.load[top]  # the Gemeente hears less from its dependent providers
    assert on.state.load[bottom] == pytest.approx(off.state.load[bottom])  # nobody is less powerful than it


def test_dependent_partners_give_account_less_often():
    on, _ = _pair("sociaal_domein")
    st = on.state
    voice = submodels.account_voice_of(st, on.constants)
    assert ((voice > 0) & (voice <= 1)).all()
    top = int(np.argmax(st.power))
    assert voice[top] == 1.0  # nobody is more powerful than the Gemeente
    dependent = st.dependency > np.median(st.dependency)
    assert voice[dependent].mean() < voice[~dependent].mean()


def test_a_dependent_partner_stays_where_an_independent_one_starts_to_leave():
    on, off = _pair("jeugdaanpak", constants={"dependency_exit_weight": 0.5})
    for m in (on, off):
        m.state.commitment[:] = 0.08  # below the exit threshold 0.1
        submodels.relationships(m.state, m.params, m.constants, m.state.trust(), 0.0)
    st = on.state
    theta = 0.1 * (1 - 0.5 * st.dependency)
    expected = (st.commitment < theta).astype(int)
    np.testing.assert_array_equal(st.low_commitment_weeks, expected)
    assert st.low_commitment_weeks[st.dependency >= 0.6].sum() == 0  # their thresholds are 0.07 or lower
    assert (off.state.low_commitment_weeks == 1).all()


def test_dependent_partners_perceive_less_equality_from_the_start():
    on, off = _pair("sociaal_domein")
    loss = off.state.equality - on.state.equality
    np.testing.assert_allclose(
        loss, np.minimum(off.state.equality, DECLARED["dependency_equality_weight"] * on.state.dependency)
    )
    assert on.last_metrics["equality"] < off.last_metrics["equality"]


def test_recognize_interests_raises_the_recognition_of_low_power_partners_only():
    on, off = _pair("jeugdaanpak", strategy="manual")
    for m in (on, off):
        m.apply_intervention("recognize_interests", hours=6)
    st = on.state
    low = st.power < np.median(st.power)
    assert (st.recognition[low] > 0).all() and (st.recognition[~low] == 0).all()
    assert (off.state.recognition == 0).all()  # the switch off: the level is never touched


def test_equal_footing_raises_everyone_s_recognition_and_it_wears_off():
    on, off = _pair("jeugdaanpak", strategy="manual")
    for m in (on, off):
        m.apply_intervention("equal_footing", hours=4)
    st = on.state
    assert (st.recognition > 0).all()
    assert (off.state.recognition == 0).all()
    before = st.recognition.copy()
    submodels.relax_levels(st, on.params, on.constants)
    np.testing.assert_allclose(st.recognition, before * (1 - DECLARED["level_relax_rate"]))


def test_a_recognising_director_restores_the_voice_of_the_dependent():
    def final(strategy: dict) -> dict:
        model = CollaborationModel(scenario="jeugdaanpak", rng=4, switches=ONLY_DEPENDENCY, **strategy)
        model.run_for(26)
        return model.last_metrics

    none = final({"strategy": "none"})
    recognising = final({"strategy": "custom", "alloc_recognize_interests": 1.0})
    assert none["recognition"] == 0.0 and recognising["recognition"] > 0.3
    assert recognising["dependent_account"] > none["dependent_account"]
    assert recognising["dependent_voice"] > none["dependent_voice"]


# ---- the switch off ----------------------------------------------------------------------------------------------


def _with_dependency(value: float):
    scenario = copy.deepcopy(load_scenario("jeugdaanpak"))
    for p in scenario.partners:
        p.dependency = value
    return scenario


def test_with_the_switch_off_dependency_enters_no_equation():
    first = [c for c in METRICS if not c.startswith("dependent_") and c != "recognition"]
    runs = {}
    for value in (0.0, 0.9):
        for switch in (False, True):
            model = CollaborationModel(
                scenario=_with_dependency(value),
                rng=2,
                strategy="balanced",
                switches={**FIRST_VERSION, "dependency": switch},
            )
            model.run_for(20)
            runs[value, switch] = model.datacollector.get_model_vars_dataframe()[first].to_numpy(float)
    np.testing.assert_array_equal(runs[0.0, False], runs[0.9, False])
    assert not np.array_equal(runs[0.0, True], runs[0.9, True])
    np.testing.assert_array_equal(runs[0.0, True], runs[0.0, False])  # without dependency the switch changes nothing


def test_the_metrics_take_their_neutral_values_with_the_switch_off():
    model = CollaborationModel(scenario="jeugdaanpak", rng=1, switches=FIRST_VERSION)
    model.run_for(3)
    assert model.last_metrics["recognition"] == 0.0
    assert model.last_metrics["dependent_account"] == 1.0
    assert 0.0 < model.last_metrics["dependent_voice"] <= 1.0


def test_with_the_switch_off_the_model_is_the_first_version():
    """Every switch off: the stored first-version reference (sociaal_domein, adaptive, seed 1, 20 weeks), exactly."""
    import pandas as pd

    from benchmarks.make_regression_reference import DATA_DIR

    stored = pd.read_csv(DATA_DIR / "sociaal_domein.csv")
    stored = stored[stored["strategy"] == "adaptive"]
    model = CollaborationModel(scenario="sociaal_domein", strategy="adaptive", rng=1, switches=FIRST_VERSION)
    model.run_for(20)
    now = model.datacollector.get_model_vars_dataframe()
    columns = [c for c in stored.columns if c in METRICS]
    np.testing.assert_allclose(now[columns].to_numpy(float), stored[columns].to_numpy(float), rtol=1e-9, atol=1e-12)
