"""The collaboration model: partner organisations, their relations and a network director (Mesa 3.5).

Each tick is one week, in the order of the model spec (section 3): the director acts; partners do joint work and
judge each other against expectations; information flows (and may overload); incidents call for account
(learning or blame); relationships update; metrics are collected. All partners read the state at the start of
the tick; the tick's evidence is gathered in arrays and applied at the end.

The world's random draws (partner choice, contribution noise, incidents) come from a stream per tick,
``SeedSequence([seed, WORLD, tick])``, with a fixed number of uniforms, so a director's choices never shift the
random numbers later ticks draw: strategies and a trainee face the same world in the same seed.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from model import mechanisms as mech
from model.agents import Director, Partner
from model.inputs import InputError
from model.interventions import INTERVENTIONS
from model.parameters import PARAMETERS, defaults, validate
from model.scenarios import Scenario, load_scenario
from model.state import NetworkState
from model.strategies import weakest_pairs

WORLD = 0x574F524C  # "WORL": the world's per-tick stream
DIRECTOR = 0x44495245  # "DIRE": the director's own stream
MAX_INCIDENTS = 32  # incidents per tick are capped so the number of uniforms per tick is fixed
MET_TOLERANCE = 0.25  # calibration: "met" within 25% of the expectation (ODD, calibration 2)
SETBACK = 0.5  # an incident costs 0.5 x the mean pair output of the tick
COORDINATION_HOURS = 0.35  # hours per week per other partner spent coordinating (calibration 6; spec 0.5)

METRICS = [
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
    "task_rate",
    "task_progress",
    "incidents",
    "accounted",
    "blamed",
    "exits",
    "active_partners",
    "equality_gap",
    "hours_spent",
    "legitimacy",
    "blame",
    "frame_clarity",
]
SIX_CONCEPTS = METRICS[:6]
AGENT_METRICS = [*SIX_CONCEPTS, "commitment", "load", "active"]


class CollaborationModel(mesa.Model):
    """A network of partner organisations collaborating on a joint task, with a network director.

    Keyword arguments are the parameters declared in :mod:`model.parameters` (``scenario``, ``strategy``,
    ``blame_culture``, ...), plus Mesa's ``rng`` seed. ``reference_rate`` (not a parameter) lets a what-if variant
    be measured against its baseline's reference output.

    Attributes:
        scenario_name: the scenario's name (Mesa's own ``scenario`` property is left alone).
        scenario_spec: the concrete :class:`Scenario` (partners and relations).
        params: every parameter's value after precedence (default < scenario ``[set]`` < keyword).
        governance: shared, lead or nao.
        state: the network's arrays (:class:`NetworkState`).
        director: the :class:`Director` agent.
        partners: the :class:`Partner` agents, in the order of the state arrays.
        task_progress: cumulative output (1.0 = what the network at full health achieves in 104 weeks).
        reference_rate: the pair output per tick of this network at full health.
        seed: the integer seed of all the model's streams.
        interactions: pairings partners initiated in joint work so far (the unit of cost in the benchmarks).
    """

    def __init__(self, *, rng: Any = None, reference_rate: float | None = None, **kwargs: Any) -> None:
        scenario_obj = kwargs.pop("scenario", None) if isinstance(kwargs.get("scenario"), Scenario) else None
        given = validate(kwargs)
        scenario_arg = scenario_obj or given.get("scenario", PARAMETERS["scenario"].default)
        template = scenario_arg if isinstance(scenario_arg, Scenario) else load_scenario(scenario_arg)
        params = defaults()
        params.update(template.settings)
        params.update(given)
        if not template.generated and "n_partners" in given:
            raise InputError(
                f"parameter n_partners applies only to generated scenarios (like synthetic); scenario "
                f"{template.name!r} has a fixed partner list"
            )
        seed = _seed_of(rng)
        super().__init__(rng=seed)
        self.seed = seed
        self.params = params
        self.scenario_name = template.name
        # a generated scenario's size: the n_partners keyword if given, else the generator file's own
        self.scenario_spec = template.build(seed, given.get("n_partners") if template.generated else None)
        if template.generated:
            self.params["n_partners"] = len(self.scenario_spec.partners)
        self.governance = params["governance"] or template.governance
        self.params["governance"] = self.governance
        self.strategy = params["strategy"]
        self.director_rng = np.random.default_rng(np.random.SeedSequence([seed, DIRECTOR]))

        self.state = st = NetworkState(self.scenario_spec, params, self.governance)
        self.n0, self.m0 = st.n, st.m
        self.lead = int(np.argmax(st.power)) if self.governance == "lead" else -1
        self._apply_coordination_costs()
        self.reference_rate = reference_rate if reference_rate is not None else self.full_health_output()
        self.task_progress = 0.0
        self.task_rate = 0.0
        self.counts = {"incidents": 0, "accounted": 0, "blamed": 0, "exits": 0}
        self.interactions = 0
        self.events: list[dict[str, Any]] = []
        self.last_metrics: dict[str, float] = {}

        self.partners = [Partner(self, i) for i in range(st.n)]
        self.director = Director(self, self.strategy)

        self.datacollector = mesa.DataCollector(
            model_reporters={name: name for name in METRICS},
            agenttype_reporters={Partner: {name: name for name in AGENT_METRICS}} if params["collect_agents"] else None,
        )
        self.running = True
        self._update_metrics(hours_spent=0.0)
        self.datacollector.collect(self)

    # ---- public API -------------------------------------------------------------------------------------

    def apply_intervention(self, intervention: str, targets: Any = None, hours: float | None = None) -> float:
        """Spend this week's hours on an intervention (training mode and scripts); return the hours left.

        Args:
            intervention: an intervention id (see :data:`model.interventions.INTERVENTIONS`).
            targets: ``None`` (the network or the intervention's default), a partner name, or a list of names
                (a subset; for ``personal_contact`` one partner or a pair).
            hours: hours to spend (default: the intervention's cost, or what is left this week if less).

        Raises:
            InputError: unknown intervention or partner, no hours left, or more hours than are left.
        """
        if intervention not in INTERVENTIONS:
            raise InputError(f"unknown intervention {intervention!r}; known: {', '.join(INTERVENTIONS)}")
        iv = INTERVENTIONS[intervention]
        left = self.director.hours_left
        if left <= 1e-9:
            raise InputError(f"no hours left this week for {intervention!r} (the week's hours are spent)")
        if hours is None:
            hours = min(iv.cost, left)
        if not isinstance(hours, int | float) or isinstance(hours, bool) or hours <= 0:
            raise InputError(f"hours={hours!r} for {intervention!r} must be a positive number")
        if hours > left + 1e-9:
            raise InputError(f"{intervention!r} asks {hours:g} hours but only {left:g} are left this week")
        index = self._target_indices(intervention, targets)
        if index is None and intervention == "personal_contact":  # default: the weakest relation
            pairs = weakest_pairs(self.state, 1)
            index = pairs[0] if pairs else None
        return self.director.apply(intervention, index, float(min(hours, left)))

    def step(self) -> None:
        """One week: director, joint work, information flow, accountability events, relationships, collect."""
        st = self.state
        st.tick = self.steps  # Mesa 3.5 counts steps before calling step(): tick 1 is the first week
        if self.strategy != "manual":
            self.director.act()
        u = self.world_uniforms(st.tick)
        m0, n0 = self.m0, self.n0
        u_choice, u_noise = u[:m0], u[m0 : m0 + n0]
        u_count, u_attr, u_account = (
            u[m0 + n0],
            u[m0 + n0 + 1 : m0 + n0 + 1 + MAX_INCIDENTS],
            u[-MAX_INCIDENTS:],
        )

        pos = np.zeros(st.m)
        neg = np.zeros(st.m)
        trust = st.trust()
        effort, output, n_pairs = self._joint_work(trust, u_choice, u_noise, pos, neg)
        self.interactions += n_pairs
        self._information_flow(trust, neg)
        setback = self._accountability_events(effort, output / max(n_pairs, 1), u_count, u_attr, u_account, pos, neg)
        coverage = (st.stake[st.active].sum() / st.stake.sum()) ** 2
        self.task_rate = max(0.0, (output - setback) * coverage / self.reference_rate)
        self._relationships(trust, pos, neg)
        self.task_progress += self.task_rate / 104.0
        if not st.active.any():
            self.running = False
        self._update_metrics(hours_spent=self.director.hours_spent)
        self.datacollector.collect(self)
        self.director.new_week()

    # ---- the world's random numbers ------------------------------------------------------------------------

    def world_uniforms(self, tick: int) -> np.ndarray:
        """The world's uniforms of a tick: a fixed number, from ``SeedSequence([seed, WORLD, tick])``."""
        gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, WORLD, tick])))
        return gen.random(self.m0 + self.n0 + 1 + 2 * MAX_INCIDENTS)

    # ---- the tick's processes ---------------------------------------------------------------------------------

    def _joint_work(self, trust, u_choice, u_noise, pos, neg):
        """Partners pick contacts (Gumbel-top-k on log trust), work, and judge each other's weekly effort."""
        st, p = self.state, self.params
        log_w = np.where(st.edge_active, np.log(np.maximum(trust, 1e-12)), -np.inf)
        chosen = mech.choose_contacts(st.src, log_w, u_choice, st.offsets, p["contacts_per_week"]).nonzero()[0]
        i, j = st.src[chosen], st.dst[chosen]
        pairings = np.bincount(i, minlength=st.n) + np.bincount(j, minlength=st.n)
        noiseless, misuse = mech.weekly_effort(
            st.work_capacity * st.capacity_factor, st.commitment, st.penalty, st.benefit, st.freedom, 1.0
        )
        noiseless = noiseless * st.active
        effort = noiseless * mech.lognormal_noise(u_noise)
        st.real_effort = noiseless
        # each side of a pair judges the other's whole weekly effort against its expectation
        judging = np.concatenate([chosen, st.rev[chosen]])
        judged = st.dst[judging]
        good, bad = mech.asymmetric_judgement(effort[judged], st.expectation[judging], p["kappa"], MET_TOLERANCE)
        bad = bad + p["kappa"] * misuse[judged]  # misused room counts against the partner (calibration 5)
        pos += np.bincount(judging, weights=good, minlength=st.m)
        neg += np.bincount(judging, weights=bad, minlength=st.m)
        seen = np.bincount(judging, minlength=st.m).nonzero()[0]
        drift_on = float(st.tick > st.drift_off_until)
        st.expectation[seen] = mech.update_expectation(st.expectation[seen], effort[st.dst[seen]], drift_on)
        st.understanding[seen] += 0.005 * (1.0 - st.understanding[seen])
        share = effort / np.maximum(pairings, 1)
        mutual_t = 0.5 * (trust[chosen] + trust[st.rev[chosen]])
        mutual_r = 0.5 * (st.respect[chosen] + st.respect[st.rev[chosen]])
        output = float(mech.pair_output(share[i], share[j], st.distance0[chosen], mutual_r, mutual_t).sum())
        return effort, output, len(chosen)

    def _information_flow(self, trust, neg) -> None:
        """Information along every active tie; load, benefit, overload penalty; floods breed distrust."""
        st, p = self.state, self.params
        sent = mech.information_sent(p["sharing_rate"], st.openness[st.src], trust) * st.edge_active
        received = np.bincount(st.dst, weights=sent, minlength=st.n)
        load = mech.information_load(received, st.info_structure, st.info_capacity) * st.active
        st.load = load
        st.benefit = mech.information_benefit(load)
        st.penalty = mech.overload_penalty(load)
        excess = np.maximum(0.0, load - 1.0)
        share = sent / np.maximum(received[st.dst], 1e-12)
        # j's negative evidence about senders that flood it; rev is its own inverse, so a gather replaces the
        # slower scatter neg[rev] += x (each relation gets exactly one addition, the same numbers)
        neg += (0.5 * excess[st.dst] * share)[st.rev]
        target = st.accountability * st.mean_out(trust) * (1.0 - 0.5 * st.blame)
        st.openness = np.where(st.active, mech.move_toward(st.openness, target), st.openness)

    def _accountability_events(self, effort, mean_pair_output, u_count, u_attr, u_account, pos, neg) -> float:
        """Incidents, attributed by work share; accounted -> learning, not accounted -> blame. Returns setback."""
        st, p = self.state, self.params
        act = st.active
        if not act.any():
            return 0.0
        lam = mech.incident_intensity(p["incident_rate"], _mean(st.benefit[act]), _mean(st.penalty[act]))
        count = mech.poisson_from_uniform(float(u_count), lam, MAX_INCIDENTS)
        weights = effort * act
        total = weights.sum()
        if count == 0 or total <= 0:
            return 0.0
        cumulative = np.cumsum(weights)
        setback = 0.0
        for k in range(count):
            j = int(min(np.searchsorted(cumulative, u_attr[k] * total, side="right"), st.n - 1))
            edges = st.in_edges(j)
            edges = edges[st.edge_active[edges]]
            accounted = u_account[k] < mech.account_probability(st.accountability[j], st.blame)
            self.counts["incidents"] += 1
            if accounted:  # learning
                st.expectation[edges], st.accountability[j], st.blame = mech.incident_learning(
                    st.expectation[edges], st.real_effort[j], st.accountability[j], st.blame
                )
                pos[edges] += 1.0
                setback += 0.5 * SETBACK * mean_pair_output
                self.counts["accounted"] += 1
            else:  # blame
                neg[edges] += p["kappa"]
                neg[st.rev[edges]] += p["kappa"]  # being blamed damages the relation both ways (calibration 3)
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
                    )
                )
                setback += SETBACK * mean_pair_output
                self.counts["blamed"] += 1
            self.events.append(
                {"step": st.tick, "event": "incident", "partner": st.names[j], "accounted": bool(accounted)}
            )
        return setback

    def _relationships(self, trust, pos, neg) -> None:
        """Respect, understanding, perceived equality, freedom, commitment, exit, evidence, levels."""
        st, p = self.state, self.params
        act, eact = st.active, st.edge_active
        distance = st.edge_distance()
        st.respect = np.where(
            eact, mech.move_toward(st.respect, mech.respect_target(distance, st.understanding)), st.respect
        )
        st.understanding = np.where(eact, st.understanding - 0.01 * (st.understanding - 0.2), st.understanding)
        equality = mech.equality_target(
            st.mean_in(st.understanding), st.procedure_equality, st.power_gap(), st.equality_gap_weight()
        )
        st.equality = np.where(act, mech.move_toward(st.equality, equality), st.equality)
        freedom = mech.freedom_target(st.frame_clarity, st.mean_in(trust))
        st.freedom = np.where(act, mech.move_toward(st.freedom, freedom), st.freedom)
        commitment = mech.commitment_target(
            st.stake,
            st.mean_out(trust),
            st.mean_out(st.respect),
            st.equality,
            self.last_metrics.get("task_rate", 0.5),
            st.penalty,
        )
        st.commitment = np.where(act, mech.move_toward(st.commitment, commitment), st.commitment)
        low = st.commitment < p["exit_threshold"]
        st.low_commitment_weeks = np.where(act, np.where(low, st.low_commitment_weeks + 1, 0), st.low_commitment_weeks)
        st.r, st.s = mech.update_evidence(st.r, st.s, pos, neg, p["evidence_retention"])
        lam = p["evidence_retention"]
        st.director_r *= lam
        st.director_s *= lam
        st.blame = float(mech.move_toward(st.blame, p["blame_culture"]))
        st.frame_clarity = float(mech.move_toward(st.frame_clarity, p["frame_clarity"], 0.03))
        st.info_structure = float(mech.move_toward(st.info_structure, p["info_structure"], 0.03))
        st.procedure_equality = st.procedure_equality_floor(
            float(mech.move_toward(st.procedure_equality, p["procedure_equality"], 0.03))
        )
        leaving = (act & (st.low_commitment_weeks >= p["exit_patience"])).nonzero()[0]
        for i in leaving:
            self.partners[i].leave()
            self.counts["exits"] += 1
            self.events.append({"step": st.tick, "event": "exit", "partner": st.names[i]})
        if len(leaving):
            self._apply_coordination_costs()

    # ---- governance -------------------------------------------------------------------------------------------

    def _apply_coordination_costs(self) -> None:
        """Work capacity lost to coordination (Provan & Kenis 2008): shared -> every partner 0.35 (n - 1) hours
        of a 40-hour week; lead -> the lead pays that itself; nao -> 0.5 partner-equivalents of overhead."""
        st = self.state
        n = int(st.active.sum())
        factor = np.ones(st.n)
        if self.governance == "shared":
            factor[:] = max(0.0, 1.0 - COORDINATION_HOURS * (n - 1) / 40.0)
        elif self.governance == "lead":
            factor[self.lead] = max(0.0, 1.0 - COORDINATION_HOURS * (n - 1) / 40.0)
        else:
            factor[:] = max(0.0, 1.0 - 0.5 / max(n, 1))
        st.capacity_factor = factor

    def current_legitimacy(self) -> float:
        """The director's legitimacy in [0, 1]: mean trust partners place in it (shared: in each other); under a
        lead organisation times (1 - 0.3 mean power gap to the lead)."""
        st = self.state
        act = st.active
        if not act.any():
            return 0.0
        if self.governance == "shared":
            e = st.edge_active
            return _mean(st.trust()[e]) if e.any() else 0.0
        director_trust = st.director_trust()
        base = _mean(director_trust if act.all() else director_trust[act])
        if self.governance == "lead":
            gap = _mean(np.maximum(0.0, st.power[self.lead] - st.power[act]))
            base *= 1.0 - 0.3 * gap
        return base

    def effective_legitimacy(self) -> float:
        """Legitimacy that scales intervention effects; shared governance also needs shared vision."""
        lg = self.current_legitimacy()
        if self.governance == "shared":
            lg *= self._shared_vision()
        return lg

    def full_health_output(self) -> float:
        """Expected pair output per tick at full health: trust, respect, commitment 1, no overload, no information
        or freedom bonus, no coordination overhead, uniform contact choice (calibration 4)."""
        st = self.state
        k = self.params["contacts_per_week"]
        deg = np.maximum(st.out_degree, 1)
        p_pick = np.minimum(k, deg) / deg  # chance that i picks a given neighbour
        p_e = p_pick[st.src]
        expected_pairings = np.minimum(k, deg) + np.bincount(st.dst, weights=p_e, minlength=st.n)
        share = st.work_capacity / np.maximum(expected_pairings, 1e-9)
        out = p_e * (share[st.src] + share[st.dst]) * (1.0 + 0.6 * st.distance0)
        return float(out.sum())

    # ---- metrics and views ------------------------------------------------------------------------------------

    def _shared_vision(self) -> float:
        st = self.state
        e = st.edge_active
        if not e.any():
            return 0.0
        return 1.0 - _mean(st.edge_distance()[e])

    def _update_metrics(self, hours_spent: float) -> None:
        st = self.state
        act, e = st.active, st.edge_active
        trust, distrust = st.trust(), st.distrust()
        has_e, has_a = e.any(), act.any()
        all_e, all_a = st.all_relations_active(), act.all()  # then x[mask] is x itself: skip the copy

        def mean_e(x):
            return _mean(x if all_e else x[e]) if has_e else 0.0

        def mean_a(x):
            return _mean(x if all_a else x[act]) if has_a else 0.0

        m: dict[str, float] = {
            "trust": mean_e(trust),
            "respect": mean_e(st.respect),
            "equality": mean_a(st.equality),
            "freedom": mean_a(st.freedom),
            "accountability": mean_a(st.accountability),
            "transparency": mean_a(st.openness * (1.0 - st.penalty)),
        }
        m["health"] = float(np.mean([m[c] for c in SIX_CONCEPTS]))
        m["doubt"] = mean_e(st.doubt())
        m["distrust_share"] = mean_e((distrust > trust).astype(float))
        m["understanding"] = mean_e(st.understanding)
        m["shared_vision"] = self._shared_vision()
        m["commitment"] = mean_a(st.commitment)
        m["load"] = mean_a(st.load)
        m["overloaded_share"] = mean_a((st.load > 1.0).astype(float))
        m["task_rate"] = self.task_rate
        m["task_progress"] = self.task_progress
        m.update({k: float(v) for k, v in self.counts.items()})
        m["active_partners"] = float(act.sum())
        m["equality_gap"] = self._equality_gap()
        m["hours_spent"] = float(hours_spent)
        m["legitimacy"] = self.current_legitimacy()
        m["blame"] = float(st.blame)
        m["frame_clarity"] = float(st.frame_clarity)
        self.last_metrics = m
        self.__dict__.update(m)

    def _equality_gap(self) -> float:
        st = self.state
        act = st.active
        if act.sum() < 3:
            return 0.0
        order = st.power_order()
        ordered = order[act[order]]  # active partners by power, as a stable sort of their powers
        third = len(ordered) // 3
        return _mean(st.equality[ordered[-third:]]) - _mean(st.equality[ordered[:third]])

    def partner_table(self) -> pd.DataFrame:
        """One row per partner: attributes and current state (for a network view or a partner panel)."""
        st = self.state
        trust = st.trust()
        return pd.DataFrame(
            {
                "name": st.names,
                "kind": st.kinds,
                "power": st.power,
                "dependency": st.dependency,
                "stake": st.stake,
                "active": st.active,
                "trust": st.mean_out(trust),
                "trusted": st.mean_in(trust),
                "respect": st.mean_out(st.respect),
                "equality": st.equality,
                "freedom": st.freedom,
                "accountability": st.accountability,
                "transparency": st.openness * (1.0 - st.penalty),
                "commitment": st.commitment,
                "load": st.load,
                "value_1": st.values[:, 0],
                "value_2": st.values[:, 1] if st.values.shape[1] > 1 else st.values[:, 0],
            }
        )

    def relation_table(self) -> pd.DataFrame:
        """One row per directed relation i -> j: trust, doubt, distrust, respect, understanding, active."""
        st = self.state
        return pd.DataFrame(
            {
                "source": np.array(st.names, dtype=object)[st.src],
                "target": np.array(st.names, dtype=object)[st.dst],
                "source_index": st.src,
                "target_index": st.dst,
                "trust": st.trust(),
                "doubt": st.doubt(),
                "distrust": st.distrust(),
                "respect": st.respect,
                "understanding": st.understanding,
                "expectation": st.expectation,
                "active": st.edge_active,
            }
        )

    # ---- helpers ---------------------------------------------------------------------------------------------

    def _target_indices(self, intervention: str, targets: Any) -> np.ndarray | None:
        if targets is None:
            return None
        names = [targets] if isinstance(targets, str | int | np.integer) else list(targets)
        index = []
        for t in names:
            if isinstance(t, int | np.integer) and not isinstance(t, bool):
                if not 0 <= t < self.state.n:
                    raise InputError(f"partner index {t} is out of range 0..{self.state.n - 1}")
                index.append(int(t))
            elif t in self.state.index:
                index.append(self.state.index[t])
            else:
                raise InputError(
                    f"unknown partner {t!r} for {intervention!r}; partners: "
                    f"{', '.join(self.state.names[:20])}{' ...' if self.state.n > 20 else ''}"
                )
        if intervention == "personal_contact" and len(index) > 2:
            raise InputError("personal_contact takes one partner (contact with the director) or a pair")
        return np.array(index, dtype=np.int64)


def _mean(x: np.ndarray) -> float:
    """The mean of a non-empty 1-D array as a float: the same number as ``x.mean()`` (pairwise sum over the size)
    without its per-call overhead, which counts when a tick computes a few dozen means."""
    return float(x.sum() / x.size)


def _seed_of(rng: Any) -> int:
    """An integer seed for all the model's streams from Mesa's ``rng`` argument (int, None or Generator)."""
    if rng is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63))
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise InputError(f"rng={rng!r} must be an integer seed, None or a numpy Generator")
    if rng < 0:
        raise InputError(f"rng={rng!r} must be a non-negative integer seed")
    return int(rng)
