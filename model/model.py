"""The collaboration model: partner organisations, their relations and a network director (Mesa 3.5).

Each tick is one week, in the order of the ODD's schedule (section 3): the director acts; partners do joint work
and judge each other against expectations; information flows (and may overload); incidents call for account
(learning or blame); relationships update; metrics are collected. :meth:`CollaborationModel.step` reads as that
schedule: each submodel is a function in :mod:`model.submodels`. All partners read the trust of the start of the
tick; the tick's trust evidence is gathered by :class:`model.evidence.TrustEvidence` and applied at the end.

The world's random draws (partner choice, contribution noise, incidents) come from a stream per tick,
``SeedSequence([seed, WORLD, tick])``, with a fixed number of uniforms, so a director's choices never shift the
random numbers later ticks draw: strategies and a trainee face the same world in the same seed.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping, Sequence
from typing import Any

import mesa
import numpy as np
import pandas as pd

from model import mechanisms as mech
from model.agents import Director, Partner
from model.compiled import ENGINES
from model.constants import resolve
from model.inputs import InputError, number, shown
from model.interventions import INTERVENTIONS
from model.metrics import METRICS, SIX_CONCEPTS
from model.parameters import PARAMETERS, defaults, validate
from model.scenarios import Scenario, load_scenario
from model.state import NetworkState
from model.strategies import weakest_pairs
from model.submodels import MAX_INCIDENTS, Incidents, WeekDraws, _mean
from model.switches import resolve_switches

__all__ = ["AGENT_METRICS", "MAX_INCIDENTS", "METRICS", "SIX_CONCEPTS", "CollaborationModel"]

WORLD = 0x574F524C  # "WORL": the world's per-tick stream
DIRECTOR = 0x44495245  # "DIRE": the director's own stream
PROGRESS_WEEKS = 104.0  # task_progress 1.0 = what the network at full health achieves in two years
SEED_BOUND = 2**63  # integer seeds are in [0, SEED_BOUND)
SHOWN_PARTNERS = 20  # partners named in an error message
MISSING = float("nan")  # a metric with nothing to measure: a mean over no active partner or relation (ODD 7.8)

AGENT_METRICS = [*SIX_CONCEPTS, "commitment", "load", "active"]


class CollaborationModel(mesa.Model):
    """A network of partner organisations collaborating on a joint task, with a network director.

    Keyword arguments are the parameters declared in :mod:`model.parameters` (``scenario``, ``strategy``,
    ``blame_culture``, ...), plus Mesa's ``rng`` seed. ``reference_rate`` (not a parameter) lets a what-if variant
    be measured against its baseline's reference output. ``constants`` overrides calibration constants
    (:mod:`model.constants`), e.g. ``constants={"met_tolerance": 0.2}``. ``switches`` switches mechanisms off
    (:mod:`model.switches`: those of the second version, and first-version mechanisms the patterns rest on), e.g.
    ``switches={"layers": False}``; ``switches=FIRST_VERSION`` gives the first version's outputs. ``outside``
    names partners of the scenario that start outside the network and may :meth:`join` later (a training scenario's
    possible newcomers).

    Attributes:
        scenario_name: the scenario's name (Mesa's own ``scenario`` property is left alone).
        scenario_spec: the concrete :class:`Scenario` (partners and relations).
        params: every parameter's value after precedence (default < scenario ``[set]`` < keyword).
        constants: every calibration constant's value after precedence (declared < scenario ``[constants]`` <
            the ``constants`` argument).
        switches: every mechanism switch's value (all on < scenario ``[switches]`` < the ``switches`` argument).
        governance: shared, lead or nao.
        state: the network's arrays (:class:`NetworkState`); ``state.trust_evidence`` is the one writer of trust
            evidence.
        director: the :class:`Director` agent.
        partners: the :class:`Partner` agents, in the order of the state arrays.
        task_progress: cumulative output (1.0 = what the network at full health achieves in 104 weeks).
        reference_rate: the pair output per tick of this network at full health.
        seed: the integer seed of all the model's streams.
        interactions: pairings partners initiated in joint work so far (the unit of cost in the benchmarks).
    """

    def __init__(
        self,
        *,
        rng: Any = None,
        reference_rate: float | None = None,
        constants: Mapping[str, float] | None = None,
        switches: Mapping[str, Any] | None = None,
        outside: Sequence[str] = (),
        engine: str = "compiled",
        **kwargs: Any,
    ) -> None:
        if engine not in ENGINES:
            raise InputError(f"engine: {shown(engine)} is not one of {', '.join(ENGINES)}")
        scenario_obj = kwargs.pop("scenario", None) if isinstance(kwargs.get("scenario"), Scenario) else None
        given = validate(kwargs)
        scenario_arg = scenario_obj or given.get("scenario", PARAMETERS["scenario"].default)
        template = scenario_arg if isinstance(scenario_arg, Scenario) else load_scenario(scenario_arg)
        params = defaults()
        params.update(template.settings)
        params.update(given)
        constants_in_force = resolve(template.constants, constants)  # declared < scenario [constants] < argument
        switches_in_force = resolve_switches(template.switches, switches)  # all on < scenario [switches] < argument
        if not template.generated and "n_partners" in given:
            raise InputError(
                f"parameter n_partners applies only to generated scenarios (like synthetic); scenario "
                f"{template.name!r} has a fixed partner list"
            )
        seed = _seed_of(rng)
        super().__init__(rng=seed)
        self.seed = seed
        self.engine = engine
        self.params = params
        self.constants = constants_in_force
        self.switches = switches_in_force
        self.scenario_name = template.name
        # a generated scenario's size: the n_partners keyword if given, else the generator file's own
        self.scenario_spec = template.build(seed, given.get("n_partners") if template.generated else None)
        if template.generated:
            self.params["n_partners"] = len(self.scenario_spec.partners)
        self.governance = params["governance"] or template.governance
        self.params["governance"] = self.governance
        self.strategy = params["strategy"]
        self.director_rng = np.random.default_rng(np.random.SeedSequence([seed, DIRECTOR]))

        self.state = st = NetworkState(self.scenario_spec, params, self.governance, self.constants, self.switches)
        self.n0, self.m0 = st.n, st.m
        for name in outside:  # partners that start outside the network and may join later (:meth:`join`)
            st.deactivate(self._partner_index(name, "outside"))
        self.lead = int(np.argmax(st.power)) if self.governance == "lead" else -1
        self._apply_coordination_costs()
        self.reference_rate = reference_rate if reference_rate is not None else self.full_health_output()
        self.task_progress = 0.0
        self.task_rate = 0.0
        self.counts = {"incidents": 0, "accounted": 0, "blamed": 0, "exits": 0}
        self.interactions = 0
        self.escalations = 0  # blamed incidents escalated to the boards (switch ``layers``, ODD 7.13)
        self.contacts_this_week = 0  # pairs of partners who met in personal contact this week (ODD 7.11)
        self.events: list[dict[str, Any]] = []
        self.last_metrics: dict[str, float] = {}

        self.partners = [Partner(self, i) for i in range(st.n)]
        self.director = Director(self, self.strategy)

        self.datacollector = MetricsCollector(
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
        hours = number(f"hours for {intervention!r}", hours, 0.0, None, low_open=True)
        if hours > left + 1e-9:
            raise InputError(f"{intervention!r} asks {hours:g} hours but only {left:g} are left this week")
        index = self._target_indices(intervention, targets)
        if index is None and intervention == "personal_contact":  # default: the weakest relation
            pairs = weakest_pairs(self.state, 1)
            index = pairs[0] if pairs else None
        return self.director.apply(intervention, index, float(min(hours, left)))

    @property
    def submodels(self) -> Any:
        """The week's submodels of this model's engine: the compiled twins, or the reference functions
        (:mod:`model.compiled`). A property, not an attribute, so a model still copies and pickles."""
        return _ENGINE_MODULES.get(self.engine) or _engine_submodels(self.engine)

    def step(self) -> None:
        """One week, in the order of the ODD's schedule (section 3); each submodel is a function of the state, the
        parameters, the constants and the week's draws (:mod:`model.submodels`, or its compiled twin:
        :mod:`model.compiled`)."""
        st, p, c, sub = self.state, self.params, self.constants, self.submodels
        trust_evidence = st.trust_evidence
        if self.strategy != "manual":
            # 1. the director spends its hours (interventions act at once). It acts between last week and this one,
            # as a person does between weeks: the state's tick is still last week's, so an intervention that lasts
            # k weeks lasts k weeks of joint work from either (ODD decision 10).
            self.director.act()
        st.tick = self.steps  # Mesa 3.5 counts steps before calling step(): tick 1 is the first week
        draws = self.world_draws(st.tick)
        trust = st.trust()  # the trust every partner reads this week
        if self.switches["partner_contact"]:
            self.contacts_this_week = sub.partner_contact(st, c, trust)  # 2a.
        work = sub.joint_work(st, p, c, trust, draws, trust_evidence)  # 2.
        self.interactions += work.pairs
        sub.information_flow(st, p, c, trust, trust_evidence)  # 3.
        incidents = sub.accountability_events(st, p, c, work, draws, trust_evidence)  # 4.
        self._record_incidents(incidents)
        layers = st.layers  # board and work floor (ODD 7.13)
        if layers and self.switches["blame"]:  # with the switch blame off a blamed incident does not escalate
            self.escalations += sub.escalation(st, c, incidents, trust_evidence)
        self.task_rate = sub.task_rate(st, work.output, incidents.setback, self.reference_rate)
        if st.goals is not None:  # the director's own goals (ODD 7.12): their share of the task, their pressure
            self.task_rate += sub.goal_task_rate(st, c, PROGRESS_WEEKS)
            sub.goal_pressure(st)
        leaving = sub.relationships(st, p, c, trust, self.last_metrics["task_rate"])  # 5.
        if layers:
            sub.align_layers(st, p, c, trust, trust_evidence)
        sub.settle(trust_evidence, p["evidence_retention"])
        if layers:
            sub.settle_board(trust_evidence, p["evidence_retention"])
        sub.relax_levels(st, p, c)
        self._let_go(leaving)
        self.task_progress += self.task_rate / PROGRESS_WEEKS
        if not st.active.any():
            self.running = False
        self._update_metrics(hours_spent=self.director.hours_spent)  # 6.
        self.datacollector.collect(self)
        self.director.new_week()
        if st.goals is not None:
            st.goals.new_week()

    # ---- partners joining and leaving between weeks (a training's dilemmas) ------------------------------------------

    def leave(self, partner: str) -> None:
        """``partner`` leaves the network now, between weeks, as a partner whose commitment ran out does: an exit and
        an event; lead succession and coordination costs follow.

        Raises:
            InputError: ``partner`` is not a partner of the scenario, or is outside the network already.
        """
        i = self._partner_index(partner, "leave")
        if not self.state.active[i]:
            raise InputError(f"partner {partner!r} cannot leave: it is not in the network")
        self._let_go(np.array([i]))

    def join(self, partner: str) -> None:
        """A partner outside the network (one that started outside, the ``outside`` argument, or left) joins now,
        between weeks: it and its relations with active partners become active again, with the state they had when
        it left (or at the start); its weeks of low commitment start anew, and coordination costs follow the size.

        Raises:
            InputError: ``partner`` is not a partner of the scenario, or is in the network already.
        """
        st = self.state
        i = self._partner_index(partner, "join")
        if st.active[i]:
            raise InputError(f"partner {partner!r} cannot join: it is in the network already")
        st.active[i] = True
        edges = np.arange(st.offsets[i], st.offsets[i] + st.out_degree[i])
        edge_active = st.edge_active.copy()  # a new array, as in NetworkState.deactivate
        edge_active[edges] = st.active[st.dst[edges]]
        edge_active[st.rev[edges]] = st.active[st.dst[edges]]
        st.edge_active = edge_active
        st.low_commitment_weeks[i] = 0
        self.events.append({"step": st.tick, "event": "join", "partner": st.names[i]})
        self._apply_coordination_costs()

    def _partner_index(self, partner: Any, what: str) -> int:
        if not isinstance(partner, str) or partner not in self.state.index:
            raise InputError(
                f"{what}: unknown partner {shown(partner)}; partners: "
                f"{', '.join(self.state.names[:SHOWN_PARTNERS])}{' ...' if self.state.n > SHOWN_PARTNERS else ''}"
            )
        return self.state.index[partner]

    # ---- the world's random numbers ------------------------------------------------------------------------

    def world_uniforms(self, tick: int) -> np.ndarray:
        """The world's uniforms of a tick: a fixed number, from ``SeedSequence([seed, WORLD, tick])``."""
        return self.submodels.world_uniforms(self.seed, WORLD, tick, WeekDraws.size(self.m0, self.n0))

    def world_draws(self, tick: int) -> WeekDraws:
        """The world's uniforms of a tick, by use (contact choice, noise, incidents)."""
        return WeekDraws.split(self.world_uniforms(tick), self.m0, self.n0)

    # ---- what the tick's submodels report ------------------------------------------------------------------------

    def _record_incidents(self, incidents: Incidents) -> None:
        for j, accounted in incidents.outcomes:
            self.counts["incidents"] += 1
            self.counts["accounted" if accounted else "blamed"] += 1
            self.events.append(
                {"step": self.state.tick, "event": "incident", "partner": self.state.names[j], "accounted": accounted}
            )

    def _let_go(self, leaving: np.ndarray) -> None:
        """Partners whose commitment stayed low leave (``Partner.leave``); coordination costs follow the size."""
        for i in leaving:
            self.partners[i].leave()
            self.counts["exits"] += 1
            self.events.append({"step": self.state.tick, "event": "exit", "partner": self.state.names[i]})
        if len(leaving) and self.switches["lead_succession"]:
            self._succeed_lead()
        if len(leaving):
            self._apply_coordination_costs()

    def _succeed_lead(self) -> None:
        """When the lead organisation has left, the most powerful active partner takes over lead governance (ODD
        7.6; switch ``lead_succession``): it pays the coordination costs and the legitimacy's power gap is measured
        to it. The director's hours, strategy, banks and the trust partners place in the director carry over."""
        st = self.state
        if self.governance != "lead" or st.active[self.lead] or not st.active.any():
            return
        previous = st.names[self.lead]
        self.lead = int(np.argmax(np.where(st.active, st.power, -np.inf)))
        self.events.append(
            {"step": st.tick, "event": "lead_succession", "partner": st.names[self.lead], "previous": previous}
        )

    # ---- governance -------------------------------------------------------------------------------------------

    def _apply_coordination_costs(self) -> None:
        """Work capacity lost to coordination (:func:`model.submodels.coordination_factor`) and, with
        ``partner_contact``, to personal contact between partners (``contact_time_factor``, ODD 7.11)."""
        factor = self.submodels.coordination_factor(self.state, self.governance, self.lead, self.constants)
        if self.switches["partner_contact"]:
            c = self.constants
            factor = factor * mech.contact_time_factor(c["partner_contact_hours"], c["work_week_hours"])
        self.state.capacity_factor = factor

    def current_legitimacy(self) -> float:
        """The director's legitimacy in [0, 1] (:func:`model.submodels.legitimacy`)."""
        return self.submodels.legitimacy(self.state, self.governance, self.lead, self.constants)

    def effective_legitimacy(self) -> float:
        """Legitimacy that scales intervention effects; shared governance also needs shared vision."""
        lg = self.current_legitimacy()
        if self.governance == "shared":
            lg *= self._shared_vision()
        return lg

    def full_health_output(self) -> float:
        """The reference rate of this network (:func:`model.submodels.full_health_output`)."""
        return self.submodels.full_health_output(self.state, self.params, self.constants)

    # ---- metrics and views ------------------------------------------------------------------------------------

    def _shared_vision(self) -> float:
        st = self.state
        e = st.edge_active
        if not e.any():
            return 0.0
        distance = st.edge_distance()
        return 1.0 - _mean(distance if st.whole_arrays() else distance[e])

    def _update_metrics(self, hours_spent: float) -> None:
        """The week's metrics into ``last_metrics`` (and as attributes of the model): the compiled engine's in one
        kernel call (:func:`model.compiled.metrics.week_metrics`, the same dict), else
        :meth:`_update_metrics_reference`."""
        if self.engine != "compiled":
            self._update_metrics_reference(hours_spent)
            return
        from model.compiled.metrics import week_metrics  # imports numba: only with the compiled engine

        m = week_metrics(self, hours_spent)
        self.last_metrics = m
        self.__dict__.update(m)

    def _update_metrics_reference(self, hours_spent: float) -> None:
        """The week's metrics as the ODD defines them (section 7.8): means over the active partners or relations,
        NaN where there is none."""
        st = self.state
        act, e = st.active, st.edge_active
        trust, distrust, doubt = st.opinion()
        has_e, has_a = e.any(), act.any()
        all_e, all_a = st.all_relations_active(), act.all()  # then x[mask] is x itself: skip the copy

        # a mean over no active relation or partner is missing (NaN), not 0 (ODD 7.8)
        def mean_e(x: np.ndarray) -> float:
            return _mean(x if all_e else x[e]) if has_e else MISSING

        def mean_a(x: np.ndarray) -> float:
            return _mean(x if all_a else x[act]) if has_a else MISSING

        # the share of relations or partners where a condition holds: a mean of 0s and 1s, whose sum is the count
        # (exact), so the count over the size gives the same number
        def share_e(x: np.ndarray) -> float:
            return _share(x if all_e else x[e]) if has_e else MISSING

        def share_a(x: np.ndarray) -> float:
            return _share(x if all_a else x[act]) if has_a else MISSING

        m: dict[str, float] = {
            "trust": mean_e(trust),
            "respect": mean_e(st.respect),
            "equality": mean_a(st.equality),
            "freedom": mean_a(st.freedom),
            "accountability": mean_a(st.accountability),
            "transparency": mean_a(st.openness * (1.0 - st.penalty)),
        }
        m["health"] = _mean(np.array([m[c] for c in SIX_CONCEPTS]))
        m["doubt"] = mean_e(doubt)
        m["distrust_share"] = share_e(distrust > trust)
        m["understanding"] = mean_e(st.understanding)
        m["shared_vision"] = self._shared_vision() if has_e else MISSING
        m["commitment"] = mean_a(st.commitment)
        m["load"] = mean_a(st.load)
        m["overloaded_share"] = share_a(st.load > 1.0)
        m["task_rate"] = self.task_rate
        m["task_progress"] = self.task_progress
        m.update({k: float(v) for k, v in self.counts.items()})
        m["active_partners"] = float(act.sum())
        m["equality_gap"] = self._equality_gap() if has_a else MISSING
        m["hours_spent"] = float(hours_spent)
        m["legitimacy"] = self.current_legitimacy() if has_a and (has_e or self.governance != "shared") else MISSING
        m["blame"] = float(st.blame)
        m["frame_clarity"] = float(st.frame_clarity)
        goals = st.goals  # the director's own goals (ODD 7.12); 0 without goals
        m["director_goal_progress"] = goals.progress if goals is not None else 0.0
        m["goal_pressure"] = goals.pressure if goals is not None else 0.0
        m["steering_hours"] = goals.week_hours if goals is not None else 0.0
        if st.layers:  # board and work floor (ODD 7.13)
            m["board_trust"] = mean_e(st.board_trust())
            m["alignment"] = mean_a(st.alignment)
            m["floor_frame_clarity"] = mean_a(st.floor_frame_clarity)
        else:  # one layer: the board is the work floor
            m["board_trust"] = m["trust"]
            m["alignment"] = 1.0
            m["floor_frame_clarity"] = m["frame_clarity"]
        m["escalations"] = float(self.escalations)
        m["dependent_voice"], m["dependent_account"] = self._dependent_voice(trust)
        m["recognition"] = mean_a(st.recognition)
        # ---- the second version's metrics (appended in the order of model.metrics) ----
        m["partner_contacts"] = float(self.contacts_this_week)
        m["contact_load_relief"] = mean_a(st.contact_relief)
        self.last_metrics = m
        self.__dict__.update(m)

    def _dependent_voice(self, trust: np.ndarray) -> tuple[float, float]:
        """Voice of the dependent (ODD 7.10), the partners with dependency above the median of the active partners:
        ``dependent_voice``, the mean information per unit of openness they send along their active relations toward
        more powerful partners, min(1, 2 T_ij) · f_ij; ``dependent_account``, their mean factor on the chance of
        giving account (1 with the dependency switch off). Each is 1 where there is nobody to be silenced toward (no
        partner above the median, or none of them with a more powerful partner) and NaN without active partners."""
        st, c = self.state, self.constants
        act = st.active
        if not act.any():
            return math.nan, math.nan
        dependent, upward = st.dependent_upward()
        if not dependent.any():
            return 1.0, 1.0
        per_openness = mech.information_sent(1.0, 1.0, trust[upward], c["sharing_trust_factor"])
        if not self.switches["dependency"]:
            return (_mean(per_openness) if len(upward) else 1.0), 1.0
        voice = self.submodels.voice(st, c)
        account = self.submodels.account_voice_of(st, c, voice)[dependent]
        return (_mean(per_openness * voice[upward]) if len(upward) else 1.0), _mean(account)

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
                # board and work floor (ODD 7.13); one layer: fully aligned
                "alignment": st.alignment if st.layers else np.ones(st.n),
            }
        )

    def relation_table(self) -> pd.DataFrame:
        """One row per directed relation i -> j: trust, doubt, distrust, respect, understanding, active, and the
        trust between the two boards (ODD 7.13; with one layer the work floor's trust)."""
        st = self.state
        trust = st.trust()
        return pd.DataFrame(
            {
                "source": np.array(st.names, dtype=object)[st.src],
                "target": np.array(st.names, dtype=object)[st.dst],
                "source_index": st.src,
                "target_index": st.dst,
                "trust": trust,
                "doubt": st.doubt(),
                "distrust": st.distrust(),
                "respect": st.respect,
                "understanding": st.understanding,
                "expectation": st.expectation,
                "active": st.edge_active,
                "board_trust": st.board_trust() if st.layers else trust,
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
                    f"{', '.join(self.state.names[:SHOWN_PARTNERS])}{' ...' if self.state.n > SHOWN_PARTNERS else ''}"
                )
        if intervention == "personal_contact" and len(index) > 2:
            raise InputError("personal_contact takes one partner (contact with the director) or a pair")
        return np.array(index, dtype=np.int64)


class MetricsCollector(mesa.DataCollector):
    """Mesa's DataCollector for the model's metrics, with a direct path for the weekly row.

    Each model reporter is the name of a metric, and :meth:`CollaborationModel._update_metrics` has just put every
    metric's value, a float, in ``model.last_metrics``: :meth:`collect` appends those values to ``model_vars`` as they
    are (a float needs no copy), without Mesa's dispatch on the kind of reporter and its deep copy of each value.
    Agent-level collection (``collect_agents``) goes through Mesa's own :meth:`mesa.DataCollector.collect`.
    """

    def collect(self, model: mesa.Model) -> None:
        if self.agent_reporters or self.agenttype_reporters or not isinstance(model, CollaborationModel):
            super().collect(model)
            return
        self._collection_steps.append(model.time)
        row = model.last_metrics
        for name, values in self.model_vars.items():
            values.append(row[name])

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """Mesa's table of the model's metrics, one column per metric: built from one two-dimensional array when
        every column holds floats (the same table as from the columns one by one, in a third of the time)."""
        columns = list(self.model_vars.values())
        if columns and all(type(column[0]) is float for column in columns if column):
            table = np.array(columns)
            if table.dtype == np.float64 and table.ndim == 2:
                return pd.DataFrame(table.T, columns=list(self.model_vars))
        return super().get_model_vars_dataframe()


def _share(x: np.ndarray) -> float:
    """The mean of a non-empty boolean array as a float: the same number as ``_mean(x.astype(float))`` (a sum of 0s
    and 1s is the count, exactly), without the float copy."""
    return np.count_nonzero(x) / x.size


_ENGINE_MODULES: dict[str, Any] = {}


def _engine_submodels(engine: str) -> Any:
    """The module of the week's submodels for ``engine``, imported on first use (the compiled one loads numba)."""
    module = importlib.import_module("model.compiled.submodels" if engine == "compiled" else "model.compiled.reference")
    _ENGINE_MODULES[engine] = module
    return module


def _seed_of(rng: Any) -> int:
    """An integer seed for all the model's streams from Mesa's ``rng`` argument (int, None or Generator)."""
    if rng is None:
        entropy = np.random.SeedSequence().entropy  # without entropy given, SeedSequence draws a fresh int
        assert isinstance(entropy, int)
        return int(entropy % SEED_BOUND)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(SEED_BOUND))
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise InputError(f"rng={rng!r} must be an integer seed, None or a numpy Generator")
    if rng < 0:
        raise InputError(f"rng={rng!r} must be a non-negative integer seed")
    return int(rng)
