"""The submodels of a tick (ODD section 7), each a function of the state, the parameters, the constants and the
week's draws.

:meth:`model.CollaborationModel.step` calls them in the order of the ODD's schedule (section 3):
the director acts (:meth:`model.agents.Director.act`), then (with the switch ``partner_contact``)
:func:`partner_contact`, :func:`joint_work`, :func:`information_flow`,
:func:`accountability_events`, :func:`task_rate`, :func:`relationships`, the week's trust evidence is settled
(:meth:`model.evidence.TrustEvidence.settle`) and :func:`relax_levels`; partners who leave are let go by the model.

Every submodel reads the trust of the start of the week (``trust``, one snapshot taken after the director acted)
and gathers its trust evidence in ``trust_evidence`` (:class:`model.evidence.TrustEvidence`), applied once at the
end of the tick. Other state changes in place as the ODD describes. ``params`` are the parameters in force
(:mod:`model.parameters`), ``constants`` the calibration constants in force (:mod:`model.constants`); the
equations themselves are the pure functions of :mod:`model.mechanisms`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model import mechanisms as mech
from model.evidence import TrustEvidence
from model.state import NetworkState

MAX_INCIDENTS = 32  # incidents per tick are capped so the number of uniforms per tick is fixed

Params = Mapping[str, Any]
Constants = Mapping[str, float]


@dataclass(slots=True)
class WeekDraws:
    """The world's uniforms of one week, by use (ODD 5): a fixed number, whatever the director does.

    Attributes:
        choice: one per directed relation (contact choice, Gumbel-top-k).
        noise: one per partner (the weekly effort's noise).
        count: one for the number of incidents.
        attribution: ``MAX_INCIDENTS`` for whom each incident is attributed to.
        account: ``MAX_INCIDENTS`` for whether account is given.
    """

    choice: np.ndarray
    noise: np.ndarray
    count: float
    attribution: np.ndarray
    account: np.ndarray

    @staticmethod
    def size(relations: int, partners: int) -> int:
        """The number of uniforms a week draws."""
        return relations + partners + 1 + 2 * MAX_INCIDENTS

    @classmethod
    def split(cls, uniforms: np.ndarray, relations: int, partners: int) -> WeekDraws:
        """The week's uniforms in the order they are drawn: choice, noise, count, attribution, account."""
        m0, n0 = relations, partners
        first = m0 + n0 + 1  # the first attribution's
        return cls(
            uniforms[:m0],  # choice
            uniforms[m0 : m0 + n0],  # noise
            uniforms[m0 + n0],  # count
            uniforms[first : first + MAX_INCIDENTS],  # attribution
            uniforms[-MAX_INCIDENTS:],  # account
        )


@dataclass(frozen=True)
class JointWork:
    """What a week of joint work produced.

    Attributes:
        effort: each partner's weekly effort, with noise (0 for partners who left).
        output: the sum of pair outputs.
        pairs: the number of pairings partners initiated (interactions).
    """

    effort: np.ndarray
    output: float
    pairs: int

    @property
    def mean_pair_output(self) -> float:
        return self.output / max(self.pairs, 1)


@dataclass
class Incidents:
    """The week's accountability events.

    Attributes:
        setback: output lost to incidents, subtracted before the task rate.
        outcomes: per incident in order, (the partner it was attributed to, whether it gave account).
    """

    setback: float = 0.0
    outcomes: list[tuple[int, bool]] = field(default_factory=list)


# ---- 2. joint work (ODD 7.1) --------------------------------------------------------------------------------------


def joint_work(
    state: NetworkState,
    params: Params,
    constants: Constants,
    trust: np.ndarray,
    draws: WeekDraws,
    trust_evidence: TrustEvidence,
) -> JointWork:
    """Partners pick contacts (Gumbel-top-k on log trust), work, and judge each other's weekly effort.

    Each side of a pairing judges the other's whole weekly effort against its expectation (met within
    ``met_tolerance``: +1; missed: +kappa; misused room: +kappa x misuse), expectations follow experience, working
    together builds understanding (``understanding_gain``), and the pair produces (c_i + c_j)(1 + synergy d0 R T).
    """
    st, c, kappa = state, constants, params["kappa"]
    log_w = _on_active_relations(st, np.log(np.maximum(trust, 1e-12)), -np.inf)
    chosen = mech.choose_contacts(st.src, log_w, draws.choice, st.offsets, params["contacts_per_week"]).nonzero()[0]
    i, j = st.src[chosen], st.dst[chosen]
    pairings = np.bincount(i, minlength=st.n) + np.bincount(j, minlength=st.n)
    capacity = st.work_capacity * st.capacity_factor
    if st.goals is not None:  # the resources the director's own goals bring as they advance (ODD 7.12)
        capacity = capacity * mech.goal_resources(st.goals.progress, st.goals.spec.resources)
    noiseless, misuse = mech.weekly_effort(
        capacity,
        st.commitment,
        st.penalty,
        st.benefit,
        st.freedom if st.switches["freedom"] else 0.0,  # switch freedom off: no bonus, no misuse (ODD 7.14)
        1.0,
        c["misuse_below"],
        c["information_bonus"],
        c["freedom_bonus"],
        c["misuse_penalty"],
    )
    noiseless = noiseless * st.active
    effort = noiseless * mech.lognormal_noise(draws.noise, c["effort_noise_sd"])
    st.real_effort = noiseless
    # each side of a pair judges the other's whole weekly effort against its expectation
    judging = np.concatenate([chosen, st.rev[chosen]])
    judged = st.dst[judging]
    good, bad = mech.asymmetric_judgement(effort[judged], st.expectation[judging], kappa, c["met_tolerance"])
    bad = bad + kappa * misuse[judged]  # misused room counts against the partner (calibration 5)
    # a relation is judged twice when both sides chose each other: its judgements are summed
    trust_evidence.add_positive(None, np.bincount(judging, weights=good, minlength=st.m), "joint work")
    trust_evidence.add_negative(None, np.bincount(judging, weights=bad, minlength=st.m), "joint work")
    judged_relation = np.zeros(st.m, dtype=bool)
    judged_relation[judging] = True
    seen = judged_relation.nonzero()[0]
    drift_on = float(st.tick > st.drift_off_until)
    st.expectation[seen] = mech.update_expectation(
        st.expectation[seen], effort[st.dst[seen]], drift_on, c["expectation_rate"], c["overpromise_drift"]
    )
    st.understanding[seen] += c["understanding_gain"] * (1.0 - st.understanding[seen])
    share = effort / np.maximum(pairings, 1)
    mutual_t = (trust[chosen] + trust[st.rev[chosen]]) / 2
    mutual_r = (st.respect[chosen] + st.respect[st.rev[chosen]]) / 2
    output = float(mech.pair_output(share[i], share[j], st.distance0[chosen], mutual_r, mutual_t, c["synergy"]).sum())
    return JointWork(effort, output, len(chosen))


# ---- 3. information flow (ODD 7.2) --------------------------------------------------------------------------------


def information_flow(
    state: NetworkState, params: Params, constants: Constants, trust: np.ndarray, trust_evidence: TrustEvidence
) -> None:
    """Information along every active tie; load, benefit, overload penalty; floods breed distrust; openness
    adapts to accountability, trust and blame. With the ``dependency`` switch, dependent partners send less toward
    more powerful ones (:func:`voice`)."""
    st, c = state, constants
    sent = mech.information_sent(params["sharing_rate"], st.openness[st.src], trust, c["sharing_trust_factor"])
    if st.switches["dependency"]:  # dependent partners voice less toward more powerful ones (ODD 7.10)
        sent = sent * voice(st, c)
    if not st.whole_arrays():  # (times 1 where all are active: the same numbers)
        sent = sent * st.edge_active
    received = np.bincount(st.dst, weights=sent, minlength=st.n)
    load = mech.information_load(received, st.info_structure, st.info_capacity, c["info_structure_filter"])
    load = load * st.active
    informed = load  # the load that informs (benefit); personal contact may take part of it off the overload
    if st.switches["partner_contact"]:
        sent, received, load = _contact_buffer(st, c, sent)
        st.contact_relief = informed - load
    st.load = load
    st.benefit = mech.information_benefit(informed, c["information_benefit_exponent"])
    if st.switches["overload"]:
        st.penalty = mech.overload_penalty(load, c["overload_penalty_slope"])
        excess = np.maximum(0.0, load - 1.0)
        if excess.any():  # (a NaN load counts as overload here, as it would below)
            share = sent / np.maximum(received[st.dst], 1e-12)
            # j's negative evidence about senders that flood it, on the relation j -> sender; rev is its own
            # inverse, so a gather gives every relation its one amount
            flood = (c["overload_distrust"] * excess[st.dst] * share)[st.rev]
            trust_evidence.add_negative(None, flood, "information overload")
        else:  # nobody is overloaded: every amount is zero, and so is this (the same numbers: the week's evidence
            # starts at +0 and only grows, so adding a zero of either sign leaves it as it is)
            trust_evidence.add_negative(None, 0.0, "information overload")
    else:  # switch overload off (ODD 7.14): the load costs nothing
        st.penalty = np.zeros(st.n)
    target = st.accountability * st.mean_out(trust)
    if st.switches["blame"]:  # the blame level closes openness (switch blame off: it does not; ODD 7.14)
        target = target * (1.0 - c["blame_closes_openness"] * st.blame)
    st.openness = np.where(st.active, mech.move_toward(st.openness, target, c["adaptation_rate"]), st.openness)


def _contact_buffer(
    state: NetworkState, constants: Constants, sent: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The information that loads when personal contact handles part of it (ODD 7.11): the share
    ``partner_contact_buffer`` of what comes from a partner met in the last ``partner_contact_memory`` weeks does
    not load. Returns the loading information per relation, the loading inflow and the load per partner."""
    st, c = state, constants
    recent = (st.tick - st.last_contact < c["partner_contact_memory"]).astype(float)
    loading = mech.buffered_information(sent, recent, c["partner_contact_buffer"])
    received = np.bincount(st.dst, weights=loading, minlength=st.n)
    load = mech.information_load(received, st.info_structure, st.info_capacity, c["info_structure_filter"])
    return loading, received, load * st.active


# ---- 2a. personal contact between partners (ODD 7.11, model 2) ------------------------------------------------------


def partner_contact(state: NetworkState, constants: Constants, trust: np.ndarray) -> int:
    """Every active partner seeks personal contact with ``partner_contacts_per_week`` partners, those with the
    highest contact score T_ij (1 - u_ij) (deterministic); understanding within each pair that meets rises by
    ``partner_contact_understanding`` of what is missing, both ways, once a week however many of the two sought
    the other; the pair's week is recorded (``last_contact``) for the information buffer of 7.2. Its time is the
    capacity factor's ``contact_time_factor`` (:meth:`model.CollaborationModel._apply_coordination_costs`).
    Returns the number of pairs that met."""
    st, c = state, constants
    score = _on_active_relations(st, mech.contact_score(trust, st.understanding), 0.0)
    sought = mech.choose_partner_contacts(st.src, score, st.offsets, int(c["partner_contacts_per_week"])).nonzero()[0]
    meets = np.zeros(st.m, dtype=bool)  # both directions of each pair that meets, once
    meets[sought] = True
    meets[st.rev[sought]] = True
    met = meets.nonzero()[0]
    st.understanding[met] = mech.raise_level(st.understanding[met], c["partner_contact_understanding"], 1.0, 1.0)
    st.last_contact[met] = st.tick
    return len(met) // 2


# ---- 4. accountability events (ODD 7.3) ---------------------------------------------------------------------------


def accountability_events(
    state: NetworkState,
    params: Params,
    constants: Constants,
    work: JointWork,
    draws: WeekDraws,
    trust_evidence: TrustEvidence,
) -> Incidents:
    """Incidents arrive (Poisson, more in uninformed or overloaded networks), each attributed to a partner by its
    share of the week's effort (the first version); given account -> learning, not given -> blame. Incidents are
    handled one after another (each moves blame and the partner's accountability before the next).

    With the ``shortfall_accountability`` switch an incident is attributed by shortfall against what the partner's
    neighbours expect of it (:func:`model.mechanisms.shortfall_attribution_weights`; ODD 7.3); with the
    ``dependency`` switch a partner's chance of giving account is scaled by its mean voice toward its neighbours
    (:func:`voice`; ODD 7.10). The number of incidents follows the same rule and uses the same draws either way."""
    st, c, kappa = state, constants, params["kappa"]
    incidents = Incidents()
    act = st.active
    if not act.any():
        return incidents
    lam = mech.incident_intensity(
        params["incident_rate"], _mean(st.benefit[act]), _mean(st.penalty[act]), c["overload_incident_weight"]
    )
    count = mech.poisson_from_uniform(float(draws.count), lam, MAX_INCIDENTS)
    if st.switches["shortfall_accountability"]:
        expected = st.mean_in(st.expectation)  # what its neighbours expect of each partner
        weights = mech.shortfall_attribution_weights(
            expected,
            work.effort,
            _mean(work.effort[act]),
            st.frame_clarity,
            c["shortfall_floor"],
            c["shortfall_clarity_weight"],
        )
        weights = weights * act
    else:
        weights = work.effort * act
    total = weights.sum()
    if count == 0 or total <= 0:
        return incidents
    cumulative = np.cumsum(weights)
    mean_pair_output = work.mean_pair_output
    account_voice = account_voice_of(st, c) if st.switches["dependency"] else None
    for k in range(count):
        j = int(min(np.searchsorted(cumulative, draws.attribution[k] * total, side="right"), st.n - 1))
        edges = st.in_edges(j)
        edges = edges[st.edge_active[edges]]
        p_account = mech.account_probability(st.accountability[j], st.blame)
        if account_voice is not None:
            p_account = p_account * account_voice[j]
        accounted = draws.account[k] < p_account
        if accounted:  # learning
            st.expectation[edges], st.accountability[j], st.blame = mech.incident_learning(
                st.expectation[edges],
                st.real_effort[j],
                st.accountability[j],
                st.blame,
                c["learning_expectation_share"],
                c["learning_accountability_rate"],
                c["learning_blame_relief"],
            )
            trust_evidence.add_positive(edges, c["learning_evidence"], "learning")
            incidents.setback += c["learning_setback_share"] * c["incident_setback"] * mean_pair_output
        else:  # blame (switch blame off: the incident costs only its setback; ODD 7.14)
            if st.switches["blame"]:
                trust_evidence.add_negative(edges, kappa, "blame")
                # being blamed damages the relation both ways (calibration 3)
                trust_evidence.add_negative(st.rev[edges], kappa, "blame")
                (st.accountability[j], st.openness[j], st.respect[edges], st.equality[j], st.blame) = (
                    mech.incident_blame(
                        st.accountability[j],
                        st.openness[j],
                        st.respect[edges],
                        st.understanding[edges],
                        st.equality[j],
                        st.power[st.src[edges]],
                        st.power[j],
                        st.blame,
                        c["blame_closing_rate"],
                        c["blame_understanding_threshold"],
                        c["blame_respect_loss"],
                        c["blame_equality_loss"],
                        c["blame_culture_rise"],
                    )
                )
            incidents.setback += c["incident_setback"] * mean_pair_output
        incidents.outcomes.append((j, bool(accounted)))
    return incidents


def voice(state: NetworkState, constants: Constants) -> np.ndarray:
    """Per directed relation i -> j, i's voice toward j (ODD 7.10): 1 - w · dependency_i · max(0, power_j - power_i) ·
    (1 - recognition_i) (:func:`model.mechanisms.voice_factor`)."""
    st = state
    weight = constants["dependency_voice_weight"]
    if not st.is_large():
        return mech.voice_factor(
            st.dependency[st.src], st.power[st.src], st.power[st.dst], st.recognition[st.src], weight
        )
    # the silencing part does not change with recognition: a large network keeps it per relation (the same numbers)
    return mech.voice_from_silencing(st.voice_silencing(weight), st.recognition[st.src])


def account_voice_of(state: NetworkState, constants: Constants, voices: np.ndarray | None = None) -> np.ndarray:
    """Per partner, the factor on its chance of giving account (ODD 7.10): the mean of its voice over its active
    relations (the neighbours it would account to), 1 - mean(1 - f); 1 for a partner without active relations.
    ``voices``: :func:`voice` of this state, when the caller has it already."""
    f = voice(state, constants) if voices is None else voices
    return 1.0 - state.mean_out(1.0 - f)


def task_rate(state: NetworkState, output: float, setback: float, reference_rate: float) -> float:
    """This week's output relative to the reference rate: max(0, (output - setback) x coverage / reference),
    coverage = (active stake / total stake)^2 (a joint task needs its partners)."""
    coverage = (state.stake[state.active].sum() / state.stake.sum()) ** 2
    return max(0.0, (output - setback) * coverage / reference_rate)


def goal_task_rate(state: NetworkState, constants: Constants, progress_weeks: float) -> float:
    """The task rate the week's advance of the director's own goals adds (ODD 7.12): overlap · goal_task_size ·
    ΔG · ``progress_weeks`` (0 without goals)."""
    goals = state.goals
    if goals is None:
        return 0.0
    return mech.goal_task_rate(goals.week_advance, goals.spec.overlap, constants["goal_task_size"], progress_weeks)


def goal_pressure(state: NetworkState) -> None:
    """The pressure of the director's own organisation follows its goals' lag behind their schedule at the
    scenario's weekly ``pressure`` rate (ODD 7.12): P <- P + pressure · (lag - P)."""
    goals = state.goals
    if goals is None:
        return
    lag = mech.goal_lag(goals.progress, state.tick, goals.weeks)
    goals.pressure = float(mech.move_toward(goals.pressure, lag, goals.spec.pressure))


# ---- 5. relationship updates (ODD 7.4) ----------------------------------------------------------------------------


def relationships(
    state: NetworkState, params: Params, constants: Constants, trust: np.ndarray, visible_progress: float
) -> np.ndarray:
    """Respect, understanding, perceived equality, freedom and commitment move toward their targets; weeks of low
    commitment are counted. Returns the partners who leave this week (low commitment for ``exit_patience``).

    With the ``dependency`` switch a dependent partner's equality target is lower unless its interests are
    recognised, and its exit threshold is lower (ODD 7.10)."""
    st, c = state, constants
    act = st.active
    rho = c["adaptation_rate"]
    distance = st.edge_distance()
    respect = mech.respect_target(distance, st.understanding)
    st.respect = _on_active_relations(st, mech.move_toward(st.respect, respect, rho), st.respect)
    decay = c["understanding_decay"] * (st.understanding - c["understanding_floor"])
    st.understanding = _on_active_relations(st, st.understanding - decay, st.understanding)
    # with two layers (ODD 7.13) the work floor acts on the boards' agreements as far as they reached it
    layers = st.layers
    equality = mech.equality_target(
        st.mean_in(st.understanding),
        st.floor_procedure_equality if layers else st.procedure_equality,
        st.power_gap(),
        st.equality_gap_weight(),
        c["recognition_weight"],
    )
    dependency_on = st.switches["dependency"]
    if dependency_on:  # dependent partners perceive less equality unless their interests are recognised (7.10)
        equality = mech.dependent_equality_target(
            equality, st.dependency, st.recognition, c["dependency_equality_weight"]
        )
    st.equality = np.where(act, mech.move_toward(st.equality, equality, rho), st.equality)
    freedom = mech.freedom_target(st.floor_frame_clarity if layers else st.frame_clarity, st.mean_in(trust))
    if st.goals is not None:  # steering on the director's own goals narrows the others' room (ODD 7.12)
        freedom = mech.steered_freedom_target(
            freedom, st.goals.week_dose * st.goals.others, constants["steering_freedom_loss"]
        )
    st.freedom = np.where(act, mech.move_toward(st.freedom, freedom, rho), st.freedom)
    commitment = mech.commitment_target(
        st.stake,
        st.mean_out(trust),
        st.mean_out(st.respect),
        st.equality,
        visible_progress,
        st.penalty,
        c["progress_weight"],
        c["overload_commitment_loss"],
    )
    if st.goals is not None:  # the director's own organisation commits less while its goals lag (ODD 7.12)
        own = np.zeros(st.n)
        own[st.goals.own] = st.goals.pressure
        commitment = mech.pressured_commitment_target(commitment, own, c["pressure_commitment_loss"])
    st.commitment = np.where(act, mech.move_toward(st.commitment, commitment, rho), st.commitment)
    threshold = params["exit_threshold"]
    if dependency_on:  # a dependent partner cannot easily leave (7.10)
        threshold = mech.dependent_exit_threshold(threshold, st.dependency, c["dependency_exit_weight"])
    low = st.commitment < threshold
    st.low_commitment_weeks = np.where(act, np.where(low, st.low_commitment_weeks + 1, 0), st.low_commitment_weeks)
    return (act & (st.low_commitment_weeks >= params["exit_patience"])).nonzero()[0]


# ---- board and work floor (switch ``layers``, ODD 7.13) ------------------------------------------------------------


def escalation(state: NetworkState, constants: Constants, incidents: Incidents, trust_evidence: TrustEvidence) -> int:
    """Blamed incidents escalate to the boards of the blamed partner and its blamers: ``escalation_evidence``
    negative evidence on their board relations, both ways; where the two boards do not cover their work floors
    (board cover = mean mutual board trust), the escalation returns as ``escalation_erosion`` x (1 - cover) negative
    evidence on the floor relations of the pair, both ways. Returns the number of escalated incidents."""
    st, c = state, constants
    blamed = [j for j, accounted in incidents.outcomes if not accounted]
    if not blamed:
        return 0
    board_trust = st.board_trust()
    cover = mech.board_cover(board_trust, board_trust[st.rev])
    to_boards = np.zeros(st.m)
    to_floor = np.zeros(st.m)
    for j in blamed:
        edges = st.in_edges(j)
        edges = edges[st.edge_active[edges]]  # the blamers' relations toward j
        both = np.concatenate([edges, st.rev[edges]])
        np.add.at(to_boards, both, c["escalation_evidence"])
        np.add.at(to_floor, both, mech.escalation_erosion(cover[both], c["escalation_erosion"]))
    trust_evidence.add_board_negative(None, to_boards, "escalation")
    trust_evidence.add_negative(None, to_floor, "erosion")
    return len(blamed)


def align_layers(
    state: NetworkState, params: Params, constants: Constants, trust: np.ndarray, trust_evidence: TrustEvidence
) -> None:
    """Vertical alignment, both ways, each organisation at its alignment a_i. Downward: its work floor's agreed
    frames and procedure move at ``alignment_down_rate`` toward its own level (the parameter's) plus a_i times the
    boards' agreement beyond it (``floor_follows_board``). Upward: its board hears the floor's trust of each partner
    (``board_hears_floor``: ``board_hearing_evidence`` x a_i x (T, 1 - T)). Alignment raised by feedback
    (``align_layers``) relaxes toward the scenario's at ``level_relax_rate``."""
    st, c = state, constants
    act, a = st.active, st.alignment
    rate = c["alignment_down_rate"]
    own_frames = params["frame_clarity"]
    own_procedure = st.procedure_equality_floor(params["procedure_equality"])
    st.floor_frame_clarity = np.where(
        act,
        mech.floor_follows_board(st.floor_frame_clarity, st.frame_clarity, own_frames, a, rate),
        st.floor_frame_clarity,
    )
    st.floor_procedure_equality = np.where(
        act,
        mech.floor_follows_board(st.floor_procedure_equality, st.procedure_equality, own_procedure, a, rate),
        st.floor_procedure_equality,
    )
    positive, negative = mech.board_hears_floor(trust, a[st.src], c["board_hearing_evidence"])
    if not st.whole_arrays():  # (times 1 where all are active: the same numbers)
        positive, negative = positive * st.edge_active, negative * st.edge_active
    trust_evidence.add_board_positive(None, positive, "hearing the floor")
    trust_evidence.add_board_negative(None, negative, "hearing the floor")
    # alignment built by feedback (align_layers) wears off like every level
    st.alignment = np.where(act, mech.move_toward(a, st.alignment0, c["level_relax_rate"]), a)


def relax_levels(state: NetworkState, params: Params, constants: Constants) -> None:
    """Blame relaxes toward ``blame_culture`` (``adaptation_rate``); frame clarity, information structure and
    procedural equality toward their parameter values (``level_relax_rate``): interventions wear off. With the
    ``dependency`` switch, recognition relaxes toward 0 at the same rate."""
    st, c = state, constants
    rate = c["level_relax_rate"]
    st.blame = float(mech.move_toward(st.blame, params["blame_culture"], c["adaptation_rate"]))
    st.frame_clarity = float(mech.move_toward(st.frame_clarity, params["frame_clarity"], rate))
    st.info_structure = float(mech.move_toward(st.info_structure, params["info_structure"], rate))
    st.procedure_equality = st.procedure_equality_floor(
        float(mech.move_toward(st.procedure_equality, params["procedure_equality"], rate))
    )
    if st.switches["dependency"]:  # recognition wears off without upkeep (ODD 7.10)
        st.recognition = mech.move_toward(st.recognition, 0.0, rate)


# ---- governance (ODD 7.6) -----------------------------------------------------------------------------------------


def coordination_factor(state: NetworkState, governance: str, lead: int, constants: Constants) -> np.ndarray:
    """Work capacity left after coordination (Provan & Kenis 2008): shared -> every partner loses
    ``coordination_hours`` (n - 1) of a ``work_week_hours`` week; lead -> the lead pays that itself; nao -> the
    partners share ``nao_overhead`` partner-equivalents."""
    c = constants
    n = int(state.active.sum())
    factor = np.ones(state.n)
    if not state.switches["coordination_costs"]:  # switch off: governance costs no capacity (ODD 7.14)
        return factor
    if governance == "shared":
        factor[:] = max(0.0, 1.0 - c["coordination_hours"] * (n - 1) / c["work_week_hours"])
    elif governance == "lead":
        factor[lead] = max(0.0, 1.0 - c["coordination_hours"] * (n - 1) / c["work_week_hours"])
    else:
        factor[:] = max(0.0, 1.0 - c["nao_overhead"] / max(n, 1))
    return factor


def legitimacy(state: NetworkState, governance: str, lead: int, constants: Constants) -> float:
    """The director's legitimacy in [0, 1]: the mean trust partners place in it (shared: in each other); under a
    lead organisation times (1 - ``lead_legitimacy_gap_weight`` x mean power gap to the lead)."""
    st = state
    act = st.active
    if not act.any():
        return 0.0
    if governance == "shared":
        e = st.edge_active
        return _mean(st.trust()[e]) if e.any() else 0.0
    director_trust = st.director_trust()
    base = _mean(director_trust if act.all() else director_trust[act])
    if governance == "lead":
        gap = _mean(np.maximum(0.0, st.power[lead] - st.power[act]))
        base *= 1.0 - constants["lead_legitimacy_gap_weight"] * gap
    return base


def full_health_output(state: NetworkState, params: Params, constants: Constants) -> float:
    """The reference rate: expected pair output per tick at full health (trust, respect, commitment 1, no
    overload, no information or freedom bonus, no coordination overhead, uniform contact choice; calibration 4)."""
    st = state
    k = params["contacts_per_week"]
    deg = np.maximum(st.out_degree, 1)
    p_pick = np.minimum(k, deg) / deg  # chance that i picks a given neighbour
    p_e = p_pick[st.src]
    expected_pairings = np.minimum(k, deg) + np.bincount(st.dst, weights=p_e, minlength=st.n)
    share = st.work_capacity / np.maximum(expected_pairings, 1e-9)
    out = p_e * (share[st.src] + share[st.dst]) * (1.0 + constants["synergy"] * st.distance0)
    return float(out.sum())


def _on_active_relations(state: NetworkState, value: np.ndarray, otherwise: Any) -> np.ndarray:
    """``np.where(state.edge_active, value, otherwise)``; ``value`` itself while every relation of a large network
    is active (the same numbers, without a pass over the relations; :meth:`NetworkState.whole_arrays`)."""
    return value if state.whole_arrays() else np.where(state.edge_active, value, otherwise)


def _mean(x: np.ndarray) -> float:
    """The mean of a non-empty 1-D array as a float: the same number as ``x.mean()`` (pairwise sum over the size)
    without its per-call overhead, which counts when a tick computes a few dozen means."""
    return float(x.sum() / x.size)
