"""Trust evidence: the one place where anything adds to, or forgets, the evidence behind trust.

Trust is beta-reputation evidence (Josang & Ismail 2002): per directed relation i -> j, positive evidence ``r`` and
negative evidence ``s``; per partner, the evidence ``director_r``, ``director_s`` of its trust in the director.
:class:`TrustEvidence` owns these arrays and is their only writer, so "what changes trust?" has one answer: the
calls of ``trust_evidence.add_...`` (search for ``trust_evidence``), each naming one of the :data:`SOURCES`.

Two moments, as in the ODD's schedule (section 3):

- the partners' week (joint work, information flow, accountability events) *gathers* evidence with
  :meth:`TrustEvidence.add_positive` and :meth:`TrustEvidence.add_negative`; everyone reads the trust of the start
  of the week, and :meth:`TrustEvidence.settle` applies the week's evidence once, with forgetting
  (r <- λ r + positive, s <- λ s + negative; evidence about the director decays the same way);
- the director's interventions act at once (its week precedes the partners' week):
  :meth:`TrustEvidence.add_positive_now` and :meth:`TrustEvidence.add_director_positive_now` (and, when the
  director steers on its own goals, :meth:`TrustEvidence.add_director_negative_now`).

Each addition names its relations (or partners) and one amount for each of them, or gives an amount for every
relation at once (``edges=None``); joint work sums the judgements of a relation first (both sides of a pair may
have chosen each other, so a relation can be judged twice in a week).
"""

from __future__ import annotations

import numpy as np

from model import mechanisms as mech
from model.mechanisms import FloatArray

#: Every source of trust evidence, with what it adds (the ODD section that defines it).
SOURCES: dict[str, str] = {
    "joint work": "each side of a pairing judges the other's weekly effort: met +1, missed +kappa; misused room "
    "adds kappa x misuse (ODD 7.1)",
    "information overload": "an overloaded partner about the senders that flood it: overload_distrust x excess "
    "load x their share of its inflow (ODD 7.2)",
    "learning": "an incident the partner gives account for: every neighbour +learning_evidence about it (ODD 7.3)",
    "blame": "an incident without account: every neighbour +kappa about it, and it +kappa about each of them (ODD 7.3)",
    "personal contact": "the director brings a pair together: +contact_evidence x dose both ways; or meets one "
    "partner: +contact_evidence x dose in its trust in the director (ODD 7.5)",
    "kept promise": "an intervention that acts: +kept_promise_evidence x dose in the trust of every partner it "
    "reached in the director (ODD 7.5)",
    "steering": "the director steers on its own goals: +steering_distrust x dose negative evidence in the trust every "
    "other partner places in the director (ODD 7.12)",
    # ---- board and work floor (switch ``layers``, ODD 7.13): the board relations' evidence and the floor's erosion
    "board session": "a board (or board and floor) intervention: +board_session_evidence x dose on the board "
    "relations among the organisations it reached (ODD 7.13)",
    "hearing the floor": "each week a board hears its work floor: +board_hearing_evidence x alignment x T_floor "
    "positive and x (1 - T_floor) negative on its board relation (ODD 7.13)",
    "escalation": "a blamed incident escalates to the boards: +escalation_evidence negative on the board relations "
    "between the blamed partner and its blamers, both ways (ODD 7.13)",
    "erosion": "an escalation the boards do not cover returns to the work floor: +escalation_erosion x (1 - board "
    "cover) negative on the floor relations of the pair, both ways (ODD 7.13)",
}


class TrustEvidence:
    """The trust evidence of a network, and the week's evidence gathered so far.

    Attributes:
        r, s: positive and negative evidence per directed relation (read them; write through the methods).
        director_r, director_s: per partner, the evidence of its trust in the director.
        positive, negative: the evidence gathered this week per relation, applied by :meth:`settle`.
        board_r, board_s: (switch ``layers``, ODD 7.13) positive and negative evidence per directed relation between
            the two organisations' boards; they start equal to ``r`` and ``s`` and change only with the switch on.
        board_positive, board_negative: the board evidence gathered this week, applied by :meth:`settle_board`.
        ledger: ``None``, or a dict ``{(source, "positive" | "negative"): total amount}`` that every addition is
            recorded in (set it to ``{}`` to start recording).
    """

    def __init__(self, r: np.ndarray, s: np.ndarray, director_r: np.ndarray, director_s: np.ndarray) -> None:
        self.r, self.s = r, s
        self.director_r, self.director_s = director_r, director_s
        self.positive = np.zeros(len(r))
        self.negative = np.zeros(len(s))
        # board and work floor (switch ``layers``, ODD 7.13): the boards' relations, seeded at the floor's evidence
        self.board_r, self.board_s = r.copy(), s.copy()
        self.board_positive = np.zeros(len(r))
        self.board_negative = np.zeros(len(s))
        self.ledger: dict[tuple[str, str], float] | None = None

    @classmethod
    def at_initial_trust(
        cls,
        trust0: np.ndarray,
        director_trust0: float,
        n_partners: int,
        retention: float,
        base_rate: float,
        prior_weight: float,
        without_forgetting: float,
    ) -> TrustEvidence:
        """Evidence at steady state for the initial trust of each relation and in the director (ODD 5)."""
        r, s = mech.evidence_for_trust(trust0, retention, base_rate, prior_weight, without_forgetting)
        director_r, director_s = (
            np.full(n_partners, x)
            for x in mech.evidence_for_trust(director_trust0, retention, base_rate, prior_weight, without_forgetting)
        )
        return cls(r, s, director_r, director_s)

    # ---- the partners' week: gathered, applied by settle() ------------------------------------------------------

    def add_positive(self, edges: np.ndarray | None, amount: float | FloatArray, source: str) -> None:
        """Gather positive evidence: each relation in ``edges`` gains ``amount`` (a number; a relation listed twice
        gains it once), or, with ``edges=None``, ``amount`` is an array with one amount per relation."""
        self._record(source, "positive", edges, amount)
        _add(self.positive, edges, amount)

    def add_negative(self, edges: np.ndarray | None, amount: float | FloatArray, source: str) -> None:
        """Gather negative evidence, like :meth:`add_positive` (``edges=None`` with a number: every relation gains
        it)."""
        self._record(source, "negative", edges, amount)
        _add(self.negative, edges, amount)

    def settle(self, retention: float) -> None:
        """Apply the week's evidence with forgetting, once per tick: r <- λ r + positive, s <- λ s + negative
        (``update_evidence``); evidence about the director decays by λ. Starts a new week's gathering."""
        self.r, self.s = mech.update_evidence(self.r, self.s, self.positive, self.negative, retention)
        self.director_r *= retention
        self.director_s *= retention
        self.positive = np.zeros(len(self.r))
        self.negative = np.zeros(len(self.s))

    # ---- the director's interventions: at once --------------------------------------------------------------------

    def add_positive_now(self, edges: np.ndarray, amount: float, source: str) -> None:
        """Positive evidence for the relations ``edges`` that counts at once (an intervention's effect)."""
        self._record(source, "positive", edges, amount)
        _add(self.r, edges, amount)

    def add_director_positive_now(self, partners: np.ndarray, amount: float, source: str) -> None:
        """Positive evidence in the trust each of the ``partners`` places in the director, at once (a partner
        listed twice gains it once)."""
        self._record(source, "positive", partners, amount)
        _add(self.director_r, partners, amount)

    def add_director_negative_now(self, partners: np.ndarray, amount: float, source: str) -> None:
        """Negative evidence in the trust each of the ``partners`` places in the director, at once (a partner
        listed twice gains it once)."""
        self._record(source, "negative", partners, amount)
        _add(self.director_s, partners, amount)

    # ---- board and work floor (switch ``layers``, ODD 7.13) --------------------------------------------------------

    def add_board_positive(self, edges: np.ndarray | None, amount: float | FloatArray, source: str) -> None:
        """Gather positive evidence on board relations (like :meth:`add_positive`), applied by :meth:`settle_board`."""
        self._record(source, "positive", edges, amount)
        _add(self.board_positive, edges, amount)

    def add_board_negative(self, edges: np.ndarray | None, amount: float | FloatArray, source: str) -> None:
        """Gather negative evidence on board relations (like :meth:`add_negative`)."""
        self._record(source, "negative", edges, amount)
        _add(self.board_negative, edges, amount)

    def add_board_positive_now(self, edges: np.ndarray | None, amount: float, source: str) -> None:
        """Positive evidence on the board relations ``edges`` (``None``: every relation) that counts at once (a
        board session)."""
        self._record(source, "positive", edges, amount)
        _add(self.board_r, edges, amount)

    def settle_board(self, retention: float) -> None:
        """Apply the week's board evidence with forgetting (``update_evidence``), once per tick, with the switch on."""
        self.board_r, self.board_s = mech.update_evidence(
            self.board_r, self.board_s, self.board_positive, self.board_negative, retention
        )
        self.board_positive = np.zeros(len(self.board_r))
        self.board_negative = np.zeros(len(self.board_s))

    # ---- bookkeeping ------------------------------------------------------------------------------------------------

    def _record(self, source: str, sign: str, index: np.ndarray | None, amount: float | FloatArray) -> None:
        if source not in SOURCES:
            raise ValueError(f"unknown source of trust evidence {source!r}; declared: {', '.join(SOURCES)}")
        if index is not None and isinstance(amount, np.ndarray) and amount.ndim:  # np.ndim, without its overhead
            raise ValueError(f"trust evidence from {source!r}: give one amount for the listed relations")
        if self.ledger is not None:
            if index is None:  # an amount per relation, or one amount for every relation
                total = float(np.sum(amount)) if isinstance(amount, np.ndarray) else float(amount) * len(self.r)
            else:
                total = float(amount) * len(np.unique(index))
            self.ledger[(source, sign)] = self.ledger.get((source, sign), 0.0) + total


def _add(target: np.ndarray, index: np.ndarray | None, amount: float | FloatArray) -> None:
    """``target += amount`` (every element) or ``target[index] += amount`` (each listed element once)."""
    if index is None:
        target += amount
    else:
        target[index] += amount
