"""The network's state in bulk: partner and relation arrays, and network-level levels.

Relations are directed edges ``e = i -> j`` on every relation of the scenario, in both directions, grouped by
source partner (CSR order: ``offsets[i]`` is the first edge of partner i). ``rev[e]`` is the edge ``j -> i``.
Everything that changes each tick is a numpy array here, so a tick costs O(relations). The trust evidence
(``r``, ``s``, ``director_r``, ``director_s``) belongs to :class:`model.evidence.TrustEvidence`, its only writer;
the state reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from model import mechanisms as mech
from model.constants import DECLARED
from model.evidence import TrustEvidence
from model.inputs import InputError, shown
from model.scenarios import DirectorGoals, Scenario
from model.switches import ALL_ON

NEVER = -(2**40)  # the week of a contact that never happened (far before any tick)
#: From this many directed relations up, results that change only when partners leave (or power changes) are kept
#: (:meth:`NetworkState.memo`) and whole-array shortcuts are checked for; below, computing them again costs less
#: than the comparisons that would keep them.
KEEP_FROM = 1000


class GoalState:
    """The director's own goals in a run (ODD 7.12): the scenario's ``[director_goals]`` and their progress.

    Attributes:
        spec: the scenario's :class:`DirectorGoals`.
        weeks: the weeks in which the goals are due.
        own: the index of the director's own organisation.
        others: a mask over partners: every partner but the own organisation.
        progress: goal progress G (0 at the start; 1 = the goals reached; may pass 1).
        pressure: the organisation's pressure P in [0, 1].
        week_hours, week_dose, week_advance: this week's steering hours, combined steering dose and goal advance
            (reset after each week's metrics).
    """

    def __init__(self, spec: DirectorGoals, names: list[str], power: np.ndarray, steps: int) -> None:
        self.spec = spec
        self.weeks = spec.weeks if spec.weeks is not None else steps
        if spec.organisation is None:
            self.own = int(np.argmax(power))
        elif spec.organisation in names:
            self.own = names.index(spec.organisation)
        else:
            raise InputError(f"[director_goals]: organisation {shown(spec.organisation)} is not a partner")
        self.others = np.ones(len(names), dtype=bool)
        self.others[self.own] = False
        self.progress = 0.0
        self.pressure = 0.0
        self.week_hours = 0.0
        self.week_dose = 0.0
        self.week_advance = 0.0

    def new_week(self) -> None:
        self.week_hours = 0.0
        self.week_dose = 0.0
        self.week_advance = 0.0


class NetworkState:
    """Arrays over partners and directed relations, plus the network-level levels.

    Attributes (partners, length n):
        names, kinds, power, dependency, stake, values (n, k), values0, work_capacity, info_capacity;
        commitment, accountability, openness, equality (perceived), freedom, load, benefit, penalty, active,
        low_commitment_weeks, real_effort (last noiseless weekly effort), director_r, director_s (evidence of
        each partner's trust in the director; read-only, see ``trust_evidence``), recognition (how far its
        interests are recognised, raised by the director; ODD 7.10, 0 with the ``dependency`` switch off).
    Attributes (directed relations, length m):
        src, dst, rev, r, s (trust evidence; read-only, see ``trust_evidence``), expectation, understanding,
        respect, distance0.
    Network level:
        blame, frame_clarity, info_structure, procedure_equality (current levels), tick, drift_off_until.
    Board and work floor (switch ``layers``, ODD 7.13; kept but unread with the switch off):
        alignment (per partner, vertical alignment of its board and work floor; alignment0 the scenario's),
        floor_frame_clarity and
        floor_procedure_equality (per partner, the boards' agreed frames and procedure as its work floor acts on
        them), board_r, board_s (read-only, see ``trust_evidence``).
    Personal contact between partners (ODD 7.11):
        last_contact (per directed relation, the last week its pair met; ``NEVER`` before), contact_relief (per
        partner, the load its recent contacts took off this week).
    Other:
        trust_evidence: the :class:`TrustEvidence` that holds and alone changes the trust evidence.
        goals: the director's own goals (:class:`GoalState`), or ``None``: the switch ``director_goals`` is off or
            the scenario gives the director no goals.
        constants: the calibration constants in force (:mod:`model.constants`).
        switches: the mechanism switches in force (:mod:`model.switches`).
    """

    def __init__(
        self,
        scenario: Scenario,
        params: dict[str, Any],
        governance: str,
        constants: Mapping[str, float] | None = None,
        switches: Mapping[str, bool] | None = None,
    ):
        self.scenario = scenario
        self.params = params
        self.governance = governance
        self.constants = c = dict(DECLARED) if constants is None else constants
        self.switches = dict(ALL_ON) if switches is None else dict(switches)
        partners = scenario.partners
        self.n = n = len(partners)
        self.names = [p.name for p in partners]
        self.index = {name: i for i, name in enumerate(self.names)}
        self.kinds = [p.kind for p in partners]
        self.power = np.array([p.power for p in partners])
        self.dependency = np.array([p.dependency for p in partners])
        self.stake = np.array([p.stake for p in partners])
        self.values = np.array([p.values for p in partners], dtype=float)
        self.values0 = self.values.copy()
        self.work_capacity = np.array([p.work_capacity for p in partners])
        self.info_capacity = np.array([p.info_capacity for p in partners])

        # --- directed relations in CSR order -------------------------------------------------------------
        idx = self.index
        a = np.fromiter((idx[r.a] for r in scenario.relations), dtype=np.int64, count=len(scenario.relations))
        b = np.fromiter((idx[r.b] for r in scenario.relations), dtype=np.int64, count=len(scenario.relations))
        t_ab = np.fromiter((r.trust_ab for r in scenario.relations), dtype=float, count=len(a))
        t_ba = np.fromiter((r.trust_ba for r in scenario.relations), dtype=float, count=len(a))
        src = np.concatenate([a, b])
        dst = np.concatenate([b, a])
        t0 = np.concatenate([t_ab, t_ba])
        order = np.lexsort((dst, src))
        self.src, self.dst, t0 = src[order], dst[order], t0[order]
        self.m = m = len(self.src)
        position = np.empty(m, dtype=np.int64)
        position[order] = np.arange(m)
        half = len(a)
        orig_rev = np.concatenate([np.arange(half, 2 * half), np.arange(half)])
        self.rev = position[orig_rev[order]]
        self.out_degree = np.bincount(self.src, minlength=n)
        self.offsets = np.concatenate([[0], np.cumsum(self.out_degree)[:-1]])
        # edges by destination (for "everyone's relation toward j")
        self.in_order = np.argsort(self.dst, kind="stable")
        self.in_offsets = np.concatenate([[0], np.cumsum(np.bincount(self.dst, minlength=n))])

        self.base_rate = c["base_rate"]
        self.prior_weight = params["prior_weight"]
        self.trust_evidence = TrustEvidence.at_initial_trust(
            t0,
            self.base_rate if governance == "nao" else scenario.director_trust,
            n,
            params["evidence_retention"],
            self.base_rate,
            self.prior_weight,
            c["evidence_without_forgetting"],
        )
        self.distance0 = mech.value_distance_between(self.values, self.src, self.dst)
        self.understanding = np.full(m, c["initial_understanding"])
        self.respect = mech.respect_target(self.distance0, self.understanding)
        self.confidence_bound = params["confidence_bound"]

        # --- network levels --------------------------------------------------------------------------------
        self.blame = params["blame_culture"]
        self.frame_clarity = params["frame_clarity"]
        self.info_structure = params["info_structure"]
        self.procedure_equality = self.procedure_equality_floor(params["procedure_equality"])
        self.tick = 0
        self.drift_off_until = -1
        # board and work floor (ODD 7.13): the floor starts at the boards' agreements
        self.alignment = np.array([p.alignment for p in partners], dtype=float)
        self.alignment0 = self.alignment.copy()  # the scenario's: what feedback's gains wear off toward
        self.floor_frame_clarity = np.full(n, float(self.frame_clarity))
        self.floor_procedure_equality = np.full(n, float(self.procedure_equality))

        # --- partners --------------------------------------------------------------------------------------
        self.active = np.ones(n, dtype=bool)
        self.edge_active = np.ones(m, dtype=bool)
        self._counts_cache: tuple | None = None
        self._distance_cache: tuple | None = None
        self._power_order_cache: tuple | None = None
        self._memo_cache: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self.low_commitment_weeks = np.zeros(n, dtype=np.int64)
        self.accountability = np.array([p.accountability for p in partners])
        trust = self.trust()
        if self.switches.get("blame", True):
            self.openness = np.clip(
                self.accountability * self.mean_out(trust) * (1 - c["blame_closes_openness"] * self.blame), 0, 1
            )
        else:  # switch blame off (ODD 7.14): the blame level closes no openness
            self.openness = np.clip(self.accountability * self.mean_out(trust), 0, 1)
        self.equality = mech.equality_target(
            self.mean_in(self.understanding),
            self.procedure_equality,
            self.power_gap(),
            self.equality_gap_weight(),
            c["recognition_weight"],
        )
        if self.switches["dependency"]:  # at its target: no interests recognised yet (ODD 7.10)
            self.equality = mech.dependent_equality_target(
                self.equality, self.dependency, 0.0, c["dependency_equality_weight"]
            )
        self.freedom = mech.freedom_target(self.frame_clarity, self.mean_in(trust))
        self.load = np.zeros(n)
        self.benefit = np.zeros(n)
        self.penalty = np.zeros(n)
        self.commitment = mech.commitment_target(
            self.stake,
            self.mean_out(trust),
            self.mean_out(self.respect),
            self.equality,
            c["initial_visible_progress"],
            0.0,
            c["progress_weight"],
            c["overload_commitment_loss"],
        )
        self.capacity_factor = np.ones(n)
        self.real_effort = self.work_capacity * self.commitment
        self.expectation = self.real_effort[self.dst].copy()
        goals = scenario.director_goals
        # the director's own goals (ODD 7.12): a double role needs a director; without one (strategy "none") its
        # organisation is a partner like the others (calibration log 22)
        self.goals = (
            GoalState(goals, self.names, self.power, scenario.steps)
            if goals is not None and self.switches.get("director_goals", True) and params.get("strategy") != "none"
            else None
        )
        # --- model 2 ---------------------------------------------------------------------------------------
        self.recognition = np.zeros(n)  # recognised interests (ODD 7.10); stays 0 with the dependency switch off
        # --- personal contact between partners (ODD 7.11; switch partner_contact) ---------------------------------
        self.last_contact = np.full(m, NEVER, dtype=np.int64)
        self.contact_relief = np.zeros(n)

    # ---- trust evidence (read-only views; TrustEvidence writes it) -----------------------------------------------

    @property
    def r(self) -> np.ndarray:
        """Positive trust evidence per directed relation."""
        return self.trust_evidence.r

    @property
    def s(self) -> np.ndarray:
        """Negative trust evidence per directed relation."""
        return self.trust_evidence.s

    @property
    def director_r(self) -> np.ndarray:
        """Per partner, positive evidence of its trust in the director."""
        return self.trust_evidence.director_r

    @property
    def director_s(self) -> np.ndarray:
        """Per partner, negative evidence of its trust in the director."""
        return self.trust_evidence.director_s

    @property
    def board_r(self) -> np.ndarray:
        """Positive trust evidence per directed relation between the boards (switch ``layers``)."""
        return self.trust_evidence.board_r

    @property
    def board_s(self) -> np.ndarray:
        """Negative trust evidence per directed relation between the boards (switch ``layers``)."""
        return self.trust_evidence.board_s

    @property
    def layers(self) -> bool:
        """Whether the board and the work floor are separate layers (the switch ``layers``)."""
        return bool(self.switches.get("layers", False))

    # ---- derived quantities -------------------------------------------------------------------------------

    def trust(self) -> np.ndarray:
        return mech.trust_from_evidence(self.r, self.s, self.base_rate, self.prior_weight)

    def distrust(self) -> np.ndarray:
        return mech.distrust_from_evidence(self.r, self.s, self.prior_weight)

    def doubt(self) -> np.ndarray:
        return mech.doubt_from_evidence(self.r, self.s, self.prior_weight)

    def opinion(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Trust, distrust and doubt per directed relation (the same numbers as :meth:`trust`, :meth:`distrust`,
        :meth:`doubt`), for less work than the three."""
        return mech.opinion_from_evidence(self.r, self.s, self.base_rate, self.prior_weight)

    def board_trust(self) -> np.ndarray:
        """Trust between the boards per directed relation (switch ``layers``)."""
        return mech.trust_from_evidence(self.board_r, self.board_s, self.base_rate, self.prior_weight)

    def director_trust(self) -> np.ndarray:
        return mech.trust_from_evidence(self.director_r, self.director_s, self.base_rate, self.prior_weight)

    def active_index(self) -> np.ndarray:
        return self.active.nonzero()[0]

    def _active_counts(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """Active out- and in-relations per partner, and whether every relation is active.

        Cached until ``edge_active`` changes (compared by content, so in-place changes are seen too).
        """
        cached = self._counts_cache
        if cached is None or not _same(cached[0], self.edge_active):
            w = self.edge_active.astype(float)
            cached = (
                self.edge_active.copy(),
                np.bincount(self.src, weights=w, minlength=self.n),
                np.bincount(self.dst, weights=w, minlength=self.n),
                bool(self.edge_active.all()),
            )
            self._counts_cache = cached
        return cached[1], cached[2], cached[3]

    def mean_out(self, x: np.ndarray) -> np.ndarray:
        """Per partner, the mean of an edge quantity over its active out-relations (i -> *)."""
        count, _, everyone = self._active_counts()
        total = np.bincount(self.src, weights=x if everyone else x * self.edge_active, minlength=self.n)
        return np.where(count > 0, total / np.maximum(count, 1.0), 0.0)

    def mean_in(self, x: np.ndarray) -> np.ndarray:
        """Per partner, the mean of an edge quantity over its active in-relations (* -> j)."""
        _, count, everyone = self._active_counts()
        total = np.bincount(self.dst, weights=x if everyone else x * self.edge_active, minlength=self.n)
        return np.where(count > 0, total / np.maximum(count, 1.0), 0.0)

    def is_large(self) -> bool:
        """Whether the network has at least ``KEEP_FROM`` relations (keeping results and checking for shortcuts pay)."""
        return self.m >= KEEP_FROM

    def whole_arrays(self) -> bool:
        """Whether every relation is active in a network of at least ``KEEP_FROM`` relations: then a mask over the
        relations can be skipped (the same numbers), and checking for it pays."""
        return self.m >= KEEP_FROM and self._active_counts()[2]

    def all_relations_active(self) -> bool:
        """Whether every relation is still active (nobody has left)."""
        return self._active_counts()[2]

    def power_order(self) -> np.ndarray:
        """Partner indices by ascending power, ties in index order (cached until ``power`` changes)."""
        cached = self._power_order_cache
        if cached is None or not _same(cached[0], self.power):
            cached = (self.power.copy(), np.argsort(self.power, kind="stable"))
            self._power_order_cache = cached
        return cached[1]

    def edge_distance(self) -> np.ndarray:
        """The current value distance d_ij of every directed relation (read-only; cached until values change)."""
        cached = self._distance_cache
        if cached is None or not _same(cached[0], self.values):
            distance = mech.value_distance_between(self.values, self.src, self.dst)
            distance.flags.writeable = False
            cached = (self.values.copy(), distance)
            self._distance_cache = cached
        return cached[1]

    def memo(self, name: str, inputs: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``, kept until one of ``inputs`` (arrays compared by content, others by ``==``) changes; a
        kept array is read-only (callers must not change it). Below ``KEEP_FROM`` relations, ``compute()``."""
        if self.m < KEEP_FROM:  # a small network: computing again costs less than comparing
            return compute()
        kept = self._memo_cache.get(name)
        if kept is not None:
            for old, new in zip(kept[0], inputs, strict=True):
                if not (_same(old, new) if isinstance(new, np.ndarray) else old == new):
                    break
            else:
                return kept[1]
        value = compute()
        for array in value if isinstance(value, tuple) else (value,):
            if isinstance(array, np.ndarray):
                array.flags.writeable = False
        self._memo_cache[name] = (tuple(x.copy() if isinstance(x, np.ndarray) else x for x in inputs), value)
        return value

    def active_edges(self) -> np.ndarray:
        """The active relations' indices, ascending (``edge_active.nonzero()[0]``; read-only, cached until
        ``edge_active`` changes)."""
        return self.memo("active_edges", (self.edge_active,), lambda: self.edge_active.nonzero()[0])

    def voice_silencing(self, weight: float) -> np.ndarray:
        """Per directed relation i -> j, w · dependency_i · max(0, power_j - power_i)
        (:func:`model.mechanisms.voice_silencing`; read-only; cached until dependency, power or ``weight`` change)."""
        return self.memo(
            "voice_silencing",
            (weight, self.dependency, self.power),
            lambda: mech.voice_silencing(self.dependency[self.src], self.power[self.src], self.power[self.dst], weight),
        )

    def dependent_upward(self) -> tuple[np.ndarray, np.ndarray]:
        """The dependent partners (a mask: active, with dependency above the median of the active partners; ODD
        7.10) and, in ascending order, the active relations from a dependent partner toward a more powerful one
        (read-only; cached until the active partners or relations, dependency or power change). Call only with
        some partner active."""
        return self.memo("dependent_upward", (self.active, self.edge_active, self.dependency, self.power), self._upward)

    def _upward(self) -> tuple[np.ndarray, np.ndarray]:
        act = self.active
        dependent = act & (self.dependency > mech.median(self.dependency[act]))
        upward = self.edge_active & (self.power[self.dst] > self.power[self.src]) & dependent[self.src]
        return dependent, upward.nonzero()[0]

    def power_gap(self) -> np.ndarray:
        return np.max(self.power[self.active]) - self.power if self.active.any() else np.zeros(self.n)

    def equality_gap_weight(self) -> float:
        """Weight of the power gap in perceived equality: ``power_gap_weight`` (0.5), and
        ``lead_power_gap_weight`` (0.75) under a lead organisation."""
        c = self.constants
        return c["lead_power_gap_weight"] if self.governance == "lead" else c["power_gap_weight"]

    def procedure_equality_floor(self, level: float) -> float:
        """Shared governance organises deliberation among equals: procedure_equality at least
        ``shared_procedure_equality_floor`` (0.8)."""
        return max(level, self.constants["shared_procedure_equality_floor"]) if self.governance == "shared" else level

    def in_edges(self, j: int) -> np.ndarray:
        """Directed edges toward partner j (i -> j)."""
        return self.in_order[self.in_offsets[j] : self.in_offsets[j + 1]]

    def deactivate(self, i: int) -> None:
        """Partner i leaves: it and every relation it has become inactive (a new ``edge_active`` array).

        Only i's own relations are touched (O(degree), not O(relations)): ``edge_active`` stays equal to
        ``active[src] & active[dst]``.
        """
        self.active[i] = False
        edge_active = self.edge_active.copy()
        edge_active[self.offsets[i] : self.offsets[i] + self.out_degree[i]] = False
        edge_active[self.in_edges(i)] = False
        self.edge_active = edge_active


def _same(kept: np.ndarray, current: np.ndarray) -> bool:
    """Whether a cache's copy still equals the current array: ``np.array_equal`` without its per-call overhead (the
    caches are consulted dozens of times a tick)."""
    return kept.shape == current.shape and bool((kept == current).all())
