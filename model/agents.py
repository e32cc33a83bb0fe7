"""The model's agents: partner organisations and the network director.

Partners are Mesa agents whose state lives in the model's arrays (:class:`model.state.NetworkState`); their
properties read it, so ``model.agents`` can be inspected, filtered and collected as in any Mesa model while a
tick costs O(relations). The director spends its weekly hours on interventions, by a strategy or by a person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from model import mechanisms as mech
from model.interventions import INTERVENTIONS

if TYPE_CHECKING:
    from model.model import CollaborationModel


class Partner(mesa.Agent):
    """A partner organisation.

    Attributes:
        index: its position in the model's partner arrays.
        name, kind: from the scenario.
    """

    def __init__(self, model: CollaborationModel, index: int):
        super().__init__(model)
        self.index = index
        self.name = model.state.names[index]
        self.kind = model.state.kinds[index]

    def _out(self) -> np.ndarray:
        st = self.model.state
        edges = np.arange(st.offsets[self.index], st.offsets[self.index] + st.out_degree[self.index])
        return edges[st.edge_active[edges]]

    @property
    def active(self) -> bool:
        return bool(self.model.state.active[self.index])

    @property
    def power(self) -> float:
        return float(self.model.state.power[self.index])

    @property
    def trust(self) -> float:
        """Mean trust this partner places in its active partners."""
        e = self._out()
        return float(self.model.state.trust()[e].mean()) if len(e) else 0.0

    @property
    def respect(self) -> float:
        e = self._out()
        return float(self.model.state.respect[e].mean()) if len(e) else 0.0

    @property
    def equality(self) -> float:
        return float(self.model.state.equality[self.index])

    @property
    def freedom(self) -> float:
        return float(self.model.state.freedom[self.index])

    @property
    def accountability(self) -> float:
        return float(self.model.state.accountability[self.index])

    @property
    def transparency(self) -> float:
        st = self.model.state
        return float(st.openness[self.index] * (1.0 - st.penalty[self.index]))

    @property
    def commitment(self) -> float:
        return float(self.model.state.commitment[self.index])

    @property
    def load(self) -> float:
        return float(self.model.state.load[self.index])

    def relations(self) -> list[dict[str, Any]]:
        """This partner's view of each of its relations: trust, doubt, distrust, respect, understanding, and
        the trust the other places in it."""
        st = self.model.state
        edges = np.arange(st.offsets[self.index], st.offsets[self.index] + st.out_degree[self.index])
        t, d, u = st.trust()[edges], st.distrust()[edges], st.doubt()[edges]
        back = st.trust()[st.rev[edges]]
        return [
            {
                "partner": st.names[st.dst[e]],
                "trust": float(t[k]),
                "distrust": float(d[k]),
                "doubt": float(u[k]),
                "respect": float(st.respect[e]),
                "understanding": float(st.understanding[e]),
                "trusted_by_them": float(back[k]),
                "active": bool(st.edge_active[e]),
            }
            for k, e in enumerate(edges)
        ]

    def leave(self) -> None:
        """Leave the network: no more joint work, information or incidents; its relations fall silent."""
        self.model.state.deactivate(self.index)


class Director(mesa.Agent):
    """The network director (regisseur): spends its weekly hours on interventions.

    Attributes:
        strategy: a strategy name (``manual``: a person or a script calls ``apply_intervention``).
        hours_left: hours still to spend this week.
        hours_spent: hours spent this week.
        bank: hours accrued per intervention that costs more than a week holds.
        covenant_done: a covenant has been completed (the ``balanced`` strategy starts with one).
    """

    def __init__(self, model: CollaborationModel, strategy: str):
        super().__init__(model)
        self.strategy = strategy
        self.bank = {iv: 0.0 for iv in INTERVENTIONS}
        self.covenant_done = False
        self.log: list[dict[str, Any]] = []
        self.hours_spent = 0.0
        self.hours_left = self.weekly_hours()

    def weekly_hours(self) -> float:
        """Hours per week: pooled partner hours (``shared_hours_per_partner``, 1 each) under shared governance,
        else director_hours."""
        if self.strategy == "none":
            return 0.0
        m = self.model
        if m.governance == "shared":
            return float(m.state.active.sum()) * m.constants["shared_hours_per_partner"]
        return float(m.params["director_hours"])

    def new_week(self) -> None:
        self.hours_left = self.weekly_hours()
        self.hours_spent = 0.0

    def act(self) -> None:
        """The director's submodel (ODD 7.5-7.7): spend what is left of this week's hours as the strategy plans
        (:func:`model.strategies.plan`, a function of the state, the parameters, the constants and last week's
        metrics), each intervention through :meth:`apply`; the one implementation is :meth:`play`."""
        self.play(self.strategy)

    def play(self, strategy: str) -> list[tuple[str, float, np.ndarray | None]]:
        """Spend what is left of this week's hours as ``strategy`` would (whatever this director's own strategy;
        :meth:`act` plays its own): the plan of :func:`model.strategies.plan` with the model's
        constants, each intervention through :meth:`apply`. Used for counterfactuals (the debrief of a training).

        Returns:
            what was spent: ``(intervention id, hours, partner indices or None)`` per intervention.
        """
        spent: list[tuple[str, float, np.ndarray | None]] = []
        for iv_id, hours, targets in self.model.submodels.plan(
            strategy,
            self.model.state,
            self.hours_left,
            self.model.params,
            self.model.last_metrics,
            self.covenant_done,
            self.model.constants,
        ):
            hours = min(hours, self.hours_left)
            if hours > 1e-9:
                self.apply(iv_id, targets, hours)
                spent.append((iv_id, float(hours), targets))
        return spent

    def apply(self, iv_id: str, targets: np.ndarray | None, hours: float) -> float:
        """Spend ``hours`` on an intervention; it acts now, or when its bank is full. Returns hours left.

        An intervention that acts is a kept promise: each partner it reached gains ``kept_promise_evidence`` x dose
        positive evidence in its trust in the director (personal contact adds its own evidence instead; steering on
        the director's own goals is no promise to the network and adds negative evidence, ODD 7.12).
        """
        iv = INTERVENTIONS[iv_id]
        st = self.model.state
        constants = self.model.constants
        self.hours_left -= hours
        self.hours_spent += hours
        if iv.accrues:
            self.bank[iv_id] += hours
            if self.bank[iv_id] + 1e-9 < iv.cost:
                self.log.append(
                    {
                        "step": self.model.steps,
                        "intervention": iv_id,
                        "hours": hours,
                        "targets": targets,
                        "effect": "accrued",
                    }
                )
                return self.hours_left
            hours, self.bank[iv_id] = self.bank[iv_id], 0.0
            if iv_id == "covenant":
                self.covenant_done = True
        if not st.active.any():  # nobody left to work with
            return self.hours_left
        d = mech.dose(hours, iv.cost)
        layered = st.layers and iv.layer != "floor"  # board and work floor (ODD 7.13)
        sub = self.model.submodels  # the engine's (model.compiled)
        before = sub.floor_snapshot(st, iv.layer) if layered else None
        sub.intervention_effect(iv, st, d, self.model.effective_legitimacy(), targets, constants)
        if before is not None:
            sub.reach_layers(st, iv.layer, before, d, targets, constants)
        if iv_id == "steer_own_goals":  # serves the director's own organisation: no kept promise (ODD 7.12)
            if st.goals is not None:
                st.goals.week_hours += hours
        elif iv_id != "personal_contact":  # personal contact adds its own evidence
            # a kept promise: the partners it reached gain positive experience with the director
            sub.kept_promise(st, targets, constants["kept_promise_evidence"] * d)
        self.log.append(
            {
                "step": self.model.steps,
                "intervention": iv_id,
                "hours": hours,
                "targets": targets,
                "effect": "applied",
            }
        )
        return self.hours_left
