"""The director's interventions (model spec, section 4; feedback between board and work floor, ODD 7.13; steering
on its own goals, ODD 7.12), as data: id, labels, hour cost, what it targets, the layer it reaches.

The effect of each is a function ``effect(state, dose, legitimacy, targets, constants)`` that changes the network
state through the dose-response of :mod:`model.mechanisms`: a level rises by effect · legitimacy · dose · (1 - z)
and falls by effect · dose · z, with dose = 1 - exp(-hours / cost). The effect sizes are calibration constants
(:mod:`model.constants`, group "interventions"); trust evidence goes through ``state.trust_evidence``.

``targets`` is ``None`` (the whole network, or the intervention's default choice) or an integer array of partner
indices (a subset; for ``personal_contact`` one partner, contact with the director, or a pair).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import mechanisms as mech

if TYPE_CHECKING:
    from model.state import NetworkState

Constants = Mapping[str, float]
#: ``None`` (the whole network, or the intervention's default choice) or an integer array of partner indices.
Targets = np.ndarray | None
#: The relations within a group are found from its members' own relations (their CSR blocks) when that is cheaper
#: than one pass over every relation: a group of up to ``SMALL_GROUP`` members in a network with more than
#: ``RELATIONS_PER_MEMBER`` relations per member (below that, numpy's cost per call outweighs the pass).
SMALL_GROUP = 16
RELATIONS_PER_MEMBER = 1000


@dataclass(frozen=True)
class Intervention:
    """A named intervention.

    Attributes:
        id: identifier used in code, strategies and the command line.
        label_nl, label_en: labels for people.
        cost: hours for a full dose (dose = 1 - exp(-hours / cost)).
        accrues: hours accrue in a bank over weeks; the effect comes when the bank reaches the cost.
        targets: what it can be aimed at: "network", "subset" (all or a subset), "pair" (one partner or a pair),
            "partner" (the network or one partner).
        description: what it does, for people.
        effect: ``effect(state, dose, legitimacy, targets, constants)``: what it does to the network state.
        layer: which layer it reaches when the board and the work floor are separate (switch ``layers``, ODD 7.13):
            "board" (a board session: board relations and the boards' agreements; the work floor only through each
            organisation's alignment), "floor" (a work-floor meeting: the work floor, as with one layer) or "both".
    """

    id: str
    label_nl: str
    label_en: str
    cost: float
    accrues: bool
    targets: str
    description: str
    effect: Callable[[NetworkState, float, float, Targets, Constants], None]
    layer: str = "floor"


def _edges_within(state: NetworkState, targets: Targets) -> np.ndarray:
    """Directed edges whose two ends are both among ``targets`` (``None``: every active partner) and active, in
    ascending order."""
    if targets is None:  # everyone who is still there: the active relations
        return state.active_edges()
    # an intervention and its reach to the boards ask for the same group's edges: kept until the group or the
    # active relations change
    group = np.asarray(targets)
    if len(group) <= SMALL_GROUP:  # a few partners' own relations cost less than keeping them
        return _group_edges(state, group)
    return state.memo("edges_within", (group, state.active, state.edge_active), lambda: _group_edges(state, group))


def _group_edges(state: NetworkState, targets: np.ndarray) -> np.ndarray:
    member = np.zeros(state.n, dtype=bool)
    member[targets] = True
    if (member == state.active).all():  # the targets are everyone who is still there
        return state.active_edges()
    few = member.nonzero()[0]
    if 0 < len(few) <= SMALL_GROUP and state.m > RELATIONS_PER_MEMBER * len(few):  # only the members' own relations
        edges = np.concatenate([np.arange(state.offsets[i], state.offsets[i] + state.out_degree[i]) for i in few])
        return edges[member[state.dst[edges]] & state.edge_active[edges]]
    return (member[state.src] & member[state.dst] & state.edge_active).nonzero()[0]


def _vision_session(
    state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants
) -> None:
    """Joint vision-forming: understanding +0.15 between participants; values converge by bounded
    confidence weighted by respect (Deffuant et al. 2000); respect follows through understanding."""
    e = _edges_within(state, targets)
    if len(e) == 0:
        return
    state.understanding[e] = mech.raise_level(
        state.understanding[e], constants["vision_understanding"], legitimacy, dose
    )
    step = mech.bounded_confidence_step(
        state.values,
        state.src[e],
        state.dst[e],
        state.respect[e],
        state.confidence_bound,
        mu=constants["vision_convergence"] * legitimacy * dose,
    )
    state.values[:] = np.clip(step, 0.0, 1.0)


def _covenant(state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants) -> None:
    """A covenant: agreed frames; frame clarity +0.5."""
    state.frame_clarity = float(
        mech.raise_level(state.frame_clarity, constants["covenant_frame_clarity"], legitimacy, dose)
    )


def _role_division(state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants) -> None:
    """Negotiating tasks and roles: frames clearer (+0.2), but attention shifts to powers: commitment -0.05 for
    all, perceived equality -0.1 for partners below median power ("contra-samenwerking")."""
    state.frame_clarity = float(
        mech.raise_level(state.frame_clarity, constants["role_division_frame_clarity"], legitimacy, dose)
    )
    if not state.switches["role_division_costs"]:  # switch off: frames only (ODD 7.14)
        return
    act = state.active
    state.commitment[act] = mech.lower_level(state.commitment[act], constants["role_division_commitment_loss"], dose)
    low = act & (state.power < mech.median(state.power[act]))
    state.equality[low] = mech.lower_level(state.equality[low], constants["role_division_equality_loss"], dose)


def _accountability_dialogue(
    state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants
) -> None:
    """Organising learning accountability: blame -0.1, accountability +0.1."""
    state.blame = float(mech.lower_level(state.blame, constants["dialogue_blame_relief"], dose))
    act = state.active
    state.accountability[act] = mech.raise_level(
        state.accountability[act], constants["dialogue_accountability"], legitimacy, dose
    )


def _build_info_structure(
    state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants
) -> None:
    """Setting up or maintaining an information structure (MIS): info_structure +0.3."""
    state.info_structure = float(
        mech.raise_level(state.info_structure, constants["info_structure_gain"], legitimacy, dose)
    )


def _personal_contact(
    state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants
) -> None:
    """Personal contact (bypasses information load): for a pair, understanding +0.1 and +1 positive evidence
    both ways; for one partner, +1 positive evidence in its relation with the director."""
    if targets is None or len(targets) == 0:
        return
    evidence = constants["contact_evidence"] * dose
    trust_evidence = state.trust_evidence
    if len(targets) == 1:
        trust_evidence.add_director_positive_now(targets[:1], evidence, "personal contact")
        return
    e = _edges_within(state, targets[:2])
    if len(e) == 0:  # no relation between them: the contact creates understanding with the director only
        trust_evidence.add_director_positive_now(targets[:2], evidence, "personal contact")
        return
    state.understanding[e] = mech.raise_level(
        state.understanding[e], constants["contact_understanding"], legitimacy, dose
    )
    trust_evidence.add_positive_now(e, evidence, "personal contact")


def _expectation_management(
    state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants
) -> None:
    """Expectation management: expectations move halfway to real contributions; over-promising drift stops
    for 8 weeks. Targets: the network, or the expectations toward the given partners."""
    if targets is None and state.whole_arrays():  # every relation: whole arrays, the same numbers
        real = state.real_effort[state.dst]
        state.expectation += constants["expectation_management_share"] * legitimacy * dose * (real - state.expectation)
    else:
        if targets is None:
            e = state.active_edges()
        else:
            member = np.zeros(state.n, dtype=bool)
            member[targets] = True
            e = (member[state.dst] & state.edge_active).nonzero()[0]
        real = state.real_effort[state.dst[e]]
        state.expectation[e] += (
            constants["expectation_management_share"] * legitimacy * dose * (real - state.expectation[e])
        )
    # an integer constant (checked as such), so the week stays an int
    state.drift_off_until = state.tick + int(constants["expectation_management_weeks"])


def _equal_footing(state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants) -> None:
    """Organising deliberation on equal footing: procedure_equality +0.2; with the ``dependency`` switch also every
    active partner's recognition +0.1 (ODD 7.10)."""
    state.procedure_equality = float(
        mech.raise_level(state.procedure_equality, constants["equal_footing_gain"], legitimacy, dose)
    )
    if state.switches["dependency"]:
        act = state.active
        state.recognition[act] = mech.raise_level(
            state.recognition[act], constants["equal_footing_recognition"], legitimacy, dose
        )


def _recognize_interests(
    state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants
) -> None:
    """Making interests discussable: understanding of low-power partners' interests +0.1 (toward partners below
    median power), which feeds their perceived equality (recognition) and the respect they get; with the
    ``dependency`` switch also the recognition of those partners (among the targets) +0.3 (ODD 7.10)."""
    act = state.active
    # partners below the active partners' median power (kept until the active partners or power change)
    low = state.memo("below_median_power", (act, state.power), lambda: state.power < mech.median(state.power[act]))
    if targets is None:  # the active relations toward them (kept until those change too)
        e = state.memo("edges_toward_low_power", (state.edge_active, low), lambda: _toward(state, None, low))
    else:
        e = _toward(state, targets, low)
    state.understanding[e] = mech.raise_level(
        state.understanding[e], constants["recognize_interests_understanding"], legitimacy, dose
    )
    if state.switches["dependency"]:
        members = state.active_index() if targets is None else targets
        member = np.zeros(state.n, dtype=bool)
        member[members] = True
        recognised = member & low & act
        state.recognition[recognised] = mech.raise_level(
            state.recognition[recognised], constants["recognize_interests_recognition"], legitimacy, dose
        )


def _toward(state: NetworkState, targets: Targets, low: np.ndarray) -> np.ndarray:
    """The directed edges within ``targets`` (:func:`_edges_within`) toward a partner in the mask ``low``."""
    e = _edges_within(state, targets)
    return e[low[state.dst[e]]]


def _steer_own_goals(
    state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants
) -> None:
    """Steering on the director's own goals (ODD 7.12): the goals advance by goal_rate · dose (the organisation's
    own means: no legitimacy needed); every other active partner gains steering_distrust · dose negative evidence
    in its trust in the director; the week's steering dose (which narrows the partners' freedom) grows. Nothing
    happens when the director has no goals (switch off, or a scenario without ``[director_goals]``)."""
    goals = state.goals
    if goals is None:
        return
    advance = mech.goal_advance(dose, constants["goal_rate"])
    goals.progress += advance
    goals.week_advance += advance
    goals.week_dose = mech.combined_dose(goals.week_dose, dose)
    others = np.flatnonzero(state.active & goals.others)
    state.trust_evidence.add_director_negative_now(others, constants["steering_distrust"] * dose, "steering")


def _align_layers(state: NetworkState, dose: float, legitimacy: float, targets: Targets, constants: Constants) -> None:
    """Feedback between board and work floor (terugkoppeling; switch ``layers``, ODD 7.13): each targeted
    organisation's alignment rises by ``align_layers_gain`` (and wears off toward the scenario's value). With one
    layer there is nothing to align: no effect."""
    if not state.layers:
        return
    members = state.active_index() if targets is None else targets
    state.alignment[members] = mech.raise_level(
        state.alignment[members], constants["align_layers_gain"], legitimacy, dose
    )


# ---- board and work floor (switch ``layers``, ODD 7.13) ------------------------------------------------------------

LAYERS = ("board", "floor", "both")
#: The work floor's arrays a board intervention may change directly (partners; relations; values).
FLOOR_PARTNER_ARRAYS = ("commitment", "accountability", "openness", "equality", "freedom", "recognition")
FLOOR_RELATION_ARRAYS = ("understanding", "respect", "expectation")


def floor_snapshot(state: NetworkState, layer: str = "board") -> dict[str, np.ndarray]:
    """What :func:`reach_layers` needs of the state before an intervention of ``layer`` acts: the boards' levels
    (frame clarity, procedure equality), and for a "board" intervention also the work floor's arrays."""
    snapshot: dict[str, np.ndarray] = {
        "frame_clarity": np.array(float(state.frame_clarity)),
        "procedure_equality": np.array(float(state.procedure_equality)),
    }
    if layer == "board":
        for name in (*FLOOR_PARTNER_ARRAYS, *FLOOR_RELATION_ARRAYS, "values"):
            snapshot[name] = getattr(state, name).copy()
    return snapshot


def reach_layers(
    state: NetworkState,
    layer: str,
    before: dict[str, np.ndarray],
    dose: float,
    targets: Targets,
    constants: Constants,
) -> None:
    """What an intervention that acted does to the two layers (switch ``layers``; a "floor" intervention: nothing
    more than with one layer).

    - "board": the boards' levels (frame clarity, procedure equality) changed by the effect reach each work floor
      later, through its alignment (:func:`model.submodels.align_layers`); a direct effect on a partner's or a
      relation's work floor reaches it times the alignment a_i of the partner (of the relation's source):
      before + a_i (after - before) (``through_alignment``);
    - "both": the work floors take the change of the boards' levels at once too;
    - "board" and "both": the boards that took part (the targets, or every active partner) meet: their board
      relations gain ``board_session_evidence`` x dose positive evidence (source "board session").
    """
    if layer == "floor":
        return
    a = state.alignment
    if layer == "board":
        for name in FLOOR_PARTNER_ARRAYS:
            setattr(state, name, mech.through_alignment(before[name], getattr(state, name), a))
        a_edge = None
        plain_a = state.is_large() and _plain(a)  # (in a small network checking costs more than computing)
        for name in FLOOR_RELATION_ARRAYS:
            after = getattr(state, name)
            if plain_a and _plain(before[name]) and _same_bits(before[name], after):
                continue  # the intervention left it alone: before + a (after - before) would be before, bit for bit
            if a_edge is None:
                a_edge = a[state.src]
            setattr(state, name, mech.through_alignment(before[name], after, a_edge))
        state.values[:] = mech.through_alignment(before["values"], state.values, a[:, None])
    else:
        state.floor_frame_clarity = np.clip(
            state.floor_frame_clarity + (state.frame_clarity - before["frame_clarity"]), 0.0, 1.0
        )
        state.floor_procedure_equality = np.clip(
            state.floor_procedure_equality + (state.procedure_equality - before["procedure_equality"]), 0.0, 1.0
        )
    e = _edges_within(state, targets)
    if len(e) == state.m:  # every relation (the edges are distinct): whole arrays, the same numbers
        state.trust_evidence.add_board_positive_now(None, constants["board_session_evidence"] * dose, "board session")
    elif len(e):
        state.trust_evidence.add_board_positive_now(e, constants["board_session_evidence"] * dose, "board session")


#: The bits of +inf: a float64 whose bits, read as an unsigned integer, are below it is finite with its sign bit clear.
_INF_BITS = np.uint64(0x7FF0000000000000)


def _plain(x: np.ndarray) -> bool:
    """Whether every value of ``x`` is a finite number with its sign bit clear (+0 included, -0 not): then x - x is
    +0, a · (+0) is +0 for such an a, and x + (+0) is x, bit for bit."""
    return bool((x.view(np.uint64) < _INF_BITS).all())


def _same_bits(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether two float arrays hold the same bits."""
    return x.shape == y.shape and bool((x.view(np.uint64) == y.view(np.uint64)).all())


INTERVENTIONS: dict[str, Intervention] = {
    iv.id: iv
    for iv in [
        Intervention(
            "vision_session",
            "gezamenlijke visievorming",
            "joint vision session",
            12,
            False,
            "subset",
            "Understanding between participants; values converge within the confidence bound.",
            _vision_session,
            "both",
        ),
        Intervention(
            "covenant",
            "convenant / kaders afspreken",
            "covenant (agree frames)",
            24,
            True,
            "network",
            "Clear frames (+0.5 frame clarity) within which partners get room to act.",
            _covenant,
            "board",
        ),
        Intervention(
            "role_division",
            "taak- en rolverdeling uitonderhandelen",
            "negotiate task and role division",
            8,
            False,
            "network",
            "Clearer frames, but attention shifts to powers: commitment and equality of the less powerful fall.",
            _role_division,
            "board",
        ),
        Intervention(
            "accountability_dialogue",
            "lerende verantwoording organiseren",
            "organise learning accountability",
            6,
            False,
            "network",
            "Less blame, more willingness to account.",
            _accountability_dialogue,
            "floor",
        ),
        Intervention(
            "build_info_structure",
            "informatiestructuur (MIS) inrichten/onderhouden",
            "build / maintain the information structure",
            10,
            False,
            "network",
            "Better information structure: the same information loads less.",
            _build_info_structure,
            "both",
        ),
        Intervention(
            "personal_contact",
            "persoonlijk contact",
            "personal contact",
            2,
            False,
            "pair",
            "Understanding and positive experience for a pair, or trust in the director.",
            _personal_contact,
            "floor",
        ),
        Intervention(
            "expectation_management",
            "verwachtingenmanagement",
            "expectation management",
            4,
            False,
            "partner",
            "Expectations move to real contributions; no over-promising for 8 weeks.",
            _expectation_management,
            "floor",
        ),
        Intervention(
            "equal_footing",
            "gelijkwaardig overleg organiseren",
            "organise deliberation on equal footing",
            4,
            False,
            "network",
            "More procedural equality.",
            _equal_footing,
            "board",
        ),
        Intervention(
            "recognize_interests",
            "belangen bespreekbaar maken",
            "make interests discussable",
            6,
            False,
            "subset",
            "Understanding of the less powerful partners' interests.",
            _recognize_interests,
            "both",
        ),
        Intervention(
            "align_layers",
            "terugkoppeling bestuur en uitvoering",
            "align board and work floor (feedback)",
            6,
            False,
            "subset",
            "Boards and their work floors meet: their alignment grows (only with board and work floor as two layers).",
            _align_layers,
            "both",
        ),
        Intervention(
            "steer_own_goals",
            "sturen op eigen doelen",
            "steer on own goals",
            8,
            False,
            "network",
            "Advances your own organisation's goals (and the part of the task they share), brings resources, but "
            "costs trust in you and the partners' room.",
            _steer_own_goals,
            "floor",  # it acts on the goals and the trust in the director, not on either layer's relations
        ),
    ]
}
