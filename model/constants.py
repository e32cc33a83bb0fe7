"""The model's calibration constants, declared once.

A constant is a modelling choice inside a submodel (the tolerance of a judgement, the rate at which understanding
decays, the evidence a kept promise earns), as opposed to a *parameter* (:mod:`model.parameters`), which describes
the situation a user studies (blame culture, sharing rate, the director's hours). Constants have no sliders and are
not swept by default; they are overridden explicitly, for calibration and sensitivity analysis:

- in a scenario file, by a ``[constants]`` table (``met_tolerance = 0.2``);
- in code, by ``CollaborationModel(constants={"met_tolerance": 0.2})``.

Precedence: the declared value < the scenario's ``[constants]`` < the ``constants=`` argument. Every override is
checked here (a known name, a finite number inside the constant's valid domain) and refused with an
:class:`~model.inputs.InputError` that names the constant.

Each :class:`Constant` says where its value came from (``source``: the ODD section, the design specification's
section, or the calibration step of ``docs/ODD.md`` that set it) and gives a plausible range (``low``, ``high``)
for sensitivity analysis, inside its valid ``domain``. ``docs/ODD.md`` carries the table of :func:`markdown_table`;
a test keeps the two equal. Pure bookkeeping (array sizes, the normalisation of the task's horizon, numerical
guards) is not a constant and stays beside the code that needs it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from model.inputs import InputError, number, table


@dataclass(frozen=True)
class Constant:
    """One calibration constant.

    Attributes:
        name: the identifier used in code (``constants["met_tolerance"]``) and in ``[constants]`` tables.
        value: the declared value.
        low, high: a plausible range for sensitivity analysis (inside the domain, around the value).
        unit: what the number counts.
        group: the submodel it belongs to (the ODD's section 7 headings).
        source: where the value comes from: an ODD section, the design specification ("spec 3.2") or a
            calibration step of the ODD's calibration log.
        description: what it does, in one sentence.
        domain: the valid values, (lowest, highest); ``None`` for no bound. Overrides outside it are refused.
        low_open: the domain's lower bound is excluded.
        integer: the constant counts something (weeks) and takes integers only.
    """

    name: str
    value: float
    low: float
    high: float
    unit: str
    group: str
    source: str
    description: str
    domain: tuple[float | None, float | None] = (0.0, 1.0)
    low_open: bool = False
    integer: bool = False

    def check(self, value: Any, where: str = "") -> float:
        """``value`` as this constant's type if it is inside the domain, else an :class:`InputError` naming it."""
        label = f"{where}: constant {self.name}" if where else f"constant {self.name}"
        lowest, highest = self.domain
        return number(label, value, lowest, highest, integer=self.integer, low_open=self.low_open)

    def shown_domain(self) -> str:
        lowest, highest = self.domain
        left = "(" if self.low_open or lowest is None else "["
        right = ")" if highest is None else "]"
        lo = "-inf" if lowest is None else f"{lowest:g}"
        hi = "inf" if highest is None else f"{highest:g}"
        return f"{left}{lo}, {hi}{right}"


UNBOUNDED = (0.0, None)  # any finite number >= 0


def _c(
    name: str,
    value: float,
    low: float,
    high: float,
    unit: str,
    group: str,
    source: str,
    description: str,
    **kw: Any,
) -> Constant:
    return Constant(name, value, low, high, unit, group, source, description, **kw)


_DECLARED = [
    # ---- trust (ODD 2, 5; model/evidence.py, model/state.py) ---------------------------------------------------
    _c(
        "base_rate",
        0.5,
        0.3,
        0.7,
        "trust",
        "trust",
        "ODD 2 (spec 2; Josang & Ismail 2002)",
        "Base rate a of beta reputation: the trust a relation without evidence has; also the initial trust in a "
        "network organisation.",
    ),
    _c(
        "evidence_without_forgetting",
        100.0,
        20.0,
        500.0,
        "units of evidence",
        "trust",
        "ODD 5",
        "Initial evidence per relation when evidence_retention is 1 (no forgetting has no steady state).",
        domain=UNBOUNDED,
        low_open=True,
    ),
    # ---- joint work (ODD 7.1) -----------------------------------------------------------------------------------
    _c(
        "met_tolerance",
        0.25,
        0.1,
        0.35,
        "share of the expectation",
        "joint work",
        "ODD 8.2 (spec 11.2; spec 3.2 said 0.1)",
        "A weekly effort counts as met if it reaches the expectation less this share.",
    ),
    _c(
        "expectation_rate",
        0.2,
        0.1,
        0.4,
        "per judgement",
        "joint work",
        "ODD 7.1 (spec 3.2)",
        "Rate at which an expectation follows the effort experienced.",
    ),
    _c(
        "overpromise_drift",
        0.01,
        0.0,
        0.03,
        "per judgement",
        "joint work",
        "ODD 7.1 (spec 3.2)",
        "Upward creep of expectations toward 1 (over-promising), off while expectation management is in force.",
    ),
    _c(
        "effort_noise_sd",
        0.2,
        0.1,
        0.3,
        "sd of log effort",
        "joint work",
        "ODD 7.1 (spec 3.2)",
        "Sigma of the weekly effort's lognormal noise (mean 1).",
        domain=UNBOUNDED,
    ),
    _c(
        "misuse_below",
        0.3,
        0.2,
        0.5,
        "commitment",
        "joint work",
        "calibration log 1 (spec 3.2 said 0.5)",
        "Commitment below which granted room is misused: misuse = freedom x max(0, misuse_below - commitment).",
    ),
    _c(
        "information_bonus",
        0.5,
        0.25,
        1.0,
        "factor per unit of benefit",
        "joint work",
        "ODD 7.1 (spec 3.2)",
        "Extra effort of a well-informed partner: x (1 + information_bonus x b).",
        domain=UNBOUNDED,
    ),
    _c(
        "freedom_bonus",
        0.3,
        0.1,
        0.5,
        "factor",
        "joint work",
        "ODD 7.1 (spec 3.2)",
        "Extra effort from room used with commitment: + freedom_bonus x freedom x commitment.",
        domain=UNBOUNDED,
    ),
    _c(
        "misuse_penalty",
        0.6,
        0.3,
        1.0,
        "factor per unit of misuse",
        "joint work",
        "ODD 7.1 (spec 3.2)",
        "Effort lost to misused room: - misuse_penalty x misuse.",
        domain=UNBOUNDED,
    ),
    _c(
        "synergy",
        0.6,
        0.3,
        1.0,
        "factor",
        "joint work",
        "ODD 7.1 (spec 3.2)",
        "Extra pair output of diverse partners who respect and trust each other: x (1 + synergy d0 R T); also in "
        "the reference rate.",
        domain=UNBOUNDED,
    ),
    _c(
        "understanding_gain",
        0.005,
        0.0025,
        0.01,
        "per week of joint work",
        "joint work",
        "ODD 8.6 (spec 11.6; spec 3.2 said 0.01)",
        "Understanding gained by working together: u += understanding_gain (1 - u).",
    ),
    # ---- information flow (ODD 7.2) -----------------------------------------------------------------------------
    _c(
        "sharing_trust_factor",
        2.0,
        1.0,
        4.0,
        "per unit of trust",
        "information",
        "ODD 7.2 (spec 3.3)",
        "Information sent grows with trust until it is complete: sharing_rate x openness x min(1, factor x T).",
        domain=UNBOUNDED,
    ),
    _c(
        "info_structure_filter",
        0.6,
        0.4,
        0.8,
        "share of load",
        "information",
        "ODD 7.2 (spec 3.3)",
        "Share of the load a complete information structure filters away: L x (1 - filter x info_structure).",
    ),
    _c(
        "information_benefit_exponent",
        0.5,
        0.3,
        1.0,
        "exponent",
        "information",
        "ODD 7.2 (spec 3.3)",
        "Diminishing returns of being informed: b = min(L, 1) ^ exponent.",
        domain=UNBOUNDED,
        low_open=True,
    ),
    _c(
        "overload_penalty_slope",
        0.5,
        0.25,
        1.0,
        "per unit of excess load",
        "information",
        "ODD 7.2 (spec 3.3; Eppler & Mengis 2004)",
        "Work lost to overload: pen = min(1, slope x max(0, L - 1)).",
        domain=UNBOUNDED,
    ),
    _c(
        "overload_distrust",
        0.5,
        0.25,
        1.0,
        "evidence per unit of excess load",
        "information",
        "ODD 7.2 (spec 3.3)",
        "Negative evidence an overloaded partner gains about the senders that flood it, in proportion to their "
        "share of its inflow.",
        domain=UNBOUNDED,
    ),
    _c(
        "blame_closes_openness",
        0.5,
        0.25,
        1.0,
        "share",
        "information",
        "ODD 7.2 (spec 3.3)",
        "How far a blame culture closes partners: openness moves toward accountability x trust x (1 - this x blame).",
    ),
    # ---- accountability events (ODD 7.3) ------------------------------------------------------------------------
    _c(
        "overload_incident_weight",
        2.0,
        1.0,
        3.0,
        "factor per unit of penalty",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Incidents overloaded networks miss: intensity x (1 + (1 - mean b) + weight x mean pen).",
        domain=UNBOUNDED,
    ),
    _c(
        "incident_setback",
        0.5,
        0.25,
        1.0,
        "mean pair outputs per incident",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "What an incident without account costs the week's output.",
        domain=UNBOUNDED,
    ),
    _c(
        "learning_setback_share",
        0.5,
        0.25,
        0.75,
        "share of the setback",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Share of the setback an incident still costs when its partner gives account.",
    ),
    _c(
        "learning_expectation_share",
        0.5,
        0.25,
        0.75,
        "share",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "How far expectations toward a partner who gives account move to its real effort.",
    ),
    _c(
        "learning_accountability_rate",
        0.2,
        0.1,
        0.3,
        "per incident",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Rate at which giving account raises the partner's accountability toward 1.",
    ),
    _c(
        "learning_blame_relief",
        0.01,
        0.005,
        0.02,
        "blame per incident",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "How much an incident that becomes learning eases the blame culture.",
    ),
    _c(
        "learning_evidence",
        1.0,
        0.5,
        2.0,
        "units of evidence",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Positive evidence (of integrity) each neighbour gains about a partner who gives account.",
        domain=UNBOUNDED,
    ),
    _c(
        "blame_closing_rate",
        0.2,
        0.1,
        0.3,
        "per incident",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Rate at which blame lowers the blamed partner's accountability and openness toward 0.",
    ),
    _c(
        "blame_understanding_threshold",
        0.5,
        0.3,
        0.7,
        "understanding",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Neighbours whose understanding of a blamed partner is below this lose respect for it.",
    ),
    _c(
        "blame_respect_loss",
        0.1,
        0.05,
        0.2,
        "respect per incident",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Respect a neighbour without understanding loses for a blamed partner.",
    ),
    _c(
        "blame_equality_loss",
        0.1,
        0.05,
        0.2,
        "equality per unit of power excess",
        "accountability",
        "ODD 8.13",
        "Perceived equality a blamed partner loses, per unit of its blamers' mean power excess.",
        domain=UNBOUNDED,
    ),
    _c(
        "blame_culture_rise",
        0.02,
        0.01,
        0.05,
        "blame per unit of power",
        "accountability",
        "ODD 7.3 (spec 3.4)",
        "Rise of the blame culture per incident without account, times the strongest blamer's power.",
    ),
    # ---- relationship updates (ODD 7.4) -------------------------------------------------------------------------
    _c(
        "adaptation_rate",
        0.05,
        0.02,
        0.1,
        "per week",
        "relationships",
        "ODD 7 (spec 2: rho)",
        "Rate rho at which respect, perceived equality, freedom, commitment, openness and blame move toward their "
        "targets.",
    ),
    _c(
        "level_relax_rate",
        0.03,
        0.01,
        0.05,
        "per week",
        "relationships",
        "ODD 7.4 (spec 2)",
        "Rate at which frame clarity, information structure and procedural equality relax to their parameter "
        "values (effects of interventions wear off).",
    ),
    _c(
        "understanding_decay",
        0.01,
        0.005,
        0.02,
        "per week",
        "relationships",
        "ODD 8.6 (spec 11.6)",
        "Rate at which understanding decays toward its floor without upkeep.",
    ),
    _c(
        "understanding_floor",
        0.2,
        0.1,
        0.3,
        "understanding",
        "relationships",
        "ODD 8.6 (spec 11.6)",
        "The level understanding decays toward.",
    ),
    _c(
        "recognition_weight",
        0.5,
        0.25,
        0.75,
        "share",
        "relationships",
        "ODD 7.4 (spec 3.5)",
        "Weight of recognition in perceived equality; procedural equality has the rest.",
    ),
    _c(
        "power_gap_weight",
        0.5,
        0.25,
        0.75,
        "equality per unit of power gap",
        "relationships",
        "ODD 7.4 (spec 3.5)",
        "How much a partner's power gap lowers its perceived equality where procedures are not equal.",
        domain=UNBOUNDED,
    ),
    _c(
        "lead_power_gap_weight",
        0.75,
        0.5,
        1.0,
        "equality per unit of power gap",
        "relationships",
        "ODD 8.7 (spec 11.7)",
        "The power gap's weight under a lead organisation (the equality gap is larger there).",
        domain=UNBOUNDED,
    ),
    _c(
        "progress_weight",
        0.5,
        0.25,
        0.75,
        "share",
        "relationships",
        "ODD 7.4 (spec 3.5)",
        "Weight of visible progress v in commitment: x ((1 - w) + w v).",
    ),
    _c(
        "overload_commitment_loss",
        0.3,
        0.1,
        0.5,
        "commitment per unit of penalty",
        "relationships",
        "ODD 7.4 (spec 3.5)",
        "Commitment an overloaded partner loses: - loss x pen.",
        domain=UNBOUNDED,
    ),
    # ---- initial state (ODD 5) ----------------------------------------------------------------------------------
    _c(
        "initial_understanding",
        0.5,
        0.3,
        0.7,
        "understanding",
        "initialisation",
        "ODD 8.6 (spec 11.6)",
        "Understanding every relation starts with.",
    ),
    _c(
        "initial_visible_progress",
        0.5,
        0.0,
        1.0,
        "task rate",
        "initialisation",
        "ODD 5",
        "The visible progress v that initial commitment assumes.",
    ),
    # ---- governance (ODD 7.6) -----------------------------------------------------------------------------------
    _c(
        "coordination_hours",
        0.35,
        0.2,
        0.5,
        "hours per week per other partner",
        "governance",
        "calibration log 6 (spec 6 said 0.5)",
        "Hours a partner spends coordinating per other partner (shared: every partner; lead: the lead).",
        domain=UNBOUNDED,
    ),
    _c(
        "work_week_hours",
        40.0,
        32.0,
        40.0,
        "hours",
        "governance",
        "ODD 7.6 (spec 6)",
        "The working week that coordination hours are taken from.",
        domain=(0.0, 168.0),
        low_open=True,
    ),
    _c(
        "nao_overhead",
        0.5,
        0.25,
        1.0,
        "partner-equivalents of work per week",
        "governance",
        "ODD 7.6 (spec 6)",
        "Fixed overhead of a network organisation, shared by the active partners.",
        domain=UNBOUNDED,
    ),
    _c(
        "lead_legitimacy_gap_weight",
        0.3,
        0.1,
        0.5,
        "legitimacy per unit of power gap",
        "governance",
        "ODD 7.6 (spec 6)",
        "How much the mean power gap to a lead organisation lowers its legitimacy: x (1 - w x gap).",
    ),
    _c(
        "shared_procedure_equality_floor",
        0.8,
        0.6,
        1.0,
        "procedural equality",
        "governance",
        "ODD 7.6 (spec 6)",
        "Shared governance deliberates among equals: procedural equality at least this.",
    ),
    _c(
        "shared_hours_per_partner",
        1.0,
        0.5,
        2.0,
        "hours per week",
        "governance",
        "ODD 7.6 (spec 6)",
        "Hours each active partner pools for directing under shared governance.",
        domain=(0.0, 168.0),
    ),
    # ---- the director and its interventions (ODD 7.5) ------------------------------------------------------------
    _c(
        "kept_promise_evidence",
        0.25,
        0.1,
        0.5,
        "units of evidence per dose",
        "director",
        "ODD 8.12",
        "Positive evidence about the director each partner an intervention reached gains (a kept promise).",
        domain=UNBOUNDED,
    ),
    _c(
        "vision_understanding",
        0.15,
        0.05,
        0.3,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "vision_session: understanding between participants rises by this effect.",
    ),
    _c(
        "vision_convergence",
        0.3,
        0.1,
        0.5,
        "mu of bounded confidence",
        "interventions",
        "ODD 7.5 (spec 4; Deffuant et al. 2000)",
        "vision_session: convergence rate mu of participants' values (times legitimacy and dose).",
    ),
    _c(
        "covenant_frame_clarity",
        0.5,
        0.3,
        0.7,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "covenant: frame clarity rises by this effect.",
    ),
    _c(
        "role_division_frame_clarity",
        0.2,
        0.1,
        0.3,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "role_division: frame clarity rises by this effect.",
    ),
    _c(
        "role_division_commitment_loss",
        0.05,
        0.02,
        0.1,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "role_division: every partner's commitment falls by this effect.",
    ),
    _c(
        "role_division_equality_loss",
        0.1,
        0.05,
        0.2,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "role_division: perceived equality of partners below median power falls by this effect.",
    ),
    _c(
        "dialogue_blame_relief",
        0.1,
        0.05,
        0.2,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "accountability_dialogue: the blame culture falls by this effect.",
    ),
    _c(
        "dialogue_accountability",
        0.1,
        0.05,
        0.2,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "accountability_dialogue: accountability rises by this effect.",
    ),
    _c(
        "info_structure_gain",
        0.3,
        0.15,
        0.5,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "build_info_structure: the information structure rises by this effect.",
    ),
    _c(
        "contact_understanding",
        0.1,
        0.05,
        0.2,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "personal_contact: understanding within the pair rises by this effect.",
    ),
    _c(
        "contact_evidence",
        1.0,
        0.5,
        2.0,
        "units of evidence per dose",
        "interventions",
        "ODD 7.5 (spec 4)",
        "personal_contact: positive evidence both ways within the pair, or in one partner's trust in the director.",
        domain=UNBOUNDED,
    ),
    _c(
        "expectation_management_share",
        0.5,
        0.25,
        0.75,
        "share (times legitimacy and dose)",
        "interventions",
        "ODD 7.5 (spec 4)",
        "expectation_management: how far expectations move to real efforts.",
    ),
    _c(
        "expectation_management_weeks",
        8,
        4,
        12,
        "weeks",
        "interventions",
        "ODD 7.5 (spec 4)",
        "expectation_management: weeks without over-promising drift.",
        domain=(0, 5_200),
        integer=True,
    ),
    _c(
        "equal_footing_gain",
        0.2,
        0.1,
        0.3,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "equal_footing: procedural equality rises by this effect.",
    ),
    _c(
        "recognize_interests_understanding",
        0.1,
        0.05,
        0.2,
        "effect",
        "interventions",
        "ODD 7.5 (spec 4)",
        "recognize_interests: understanding toward partners below median power rises by this effect.",
    ),
    # ---- the director's own goals (ODD 7.12; switch director_goals) -------------------------------------------
    _c(
        "goal_rate",
        0.01,
        0.005,
        0.02,
        "share of the goals per week at a full dose",
        "director goals",
        "ODD 7.12 (model 2); calibration log 14",
        "steer_own_goals: the director's own goals advance by this times the dose of its steering hours.",
    ),
    _c(
        "goal_task_size",
        0.3,
        0.1,
        0.6,
        "task progress (1 = two years at full health)",
        "director goals",
        "ODD 7.12 (model 2)",
        "The joint task's progress the director's own goals stand for in full; the scenario's overlap share of it "
        "advances with them.",
        domain=UNBOUNDED,
    ),
    _c(
        "steering_distrust",
        0.5,
        0.25,
        1.0,
        "units of evidence per dose",
        "director goals",
        "ODD 7.12 (model 2)",
        "steer_own_goals: negative evidence in every other partner's trust in the director, times the dose.",
        domain=UNBOUNDED,
    ),
    _c(
        "steering_freedom_loss",
        0.5,
        0.25,
        0.75,
        "share of the freedom target at a full weekly dose",
        "director goals",
        "ODD 7.12 (model 2)",
        "The other partners' freedom target falls by this share times the week's steering dose.",
    ),
    _c(
        "pressure_commitment_loss",
        0.3,
        0.15,
        0.5,
        "share of the commitment target at full pressure",
        "director goals",
        "ODD 7.12 (model 2)",
        "The commitment target of the director's own organisation falls by this share times the goal pressure.",
    ),
    # ---- board and work floor (switch ``layers``, ODD 7.13) ----------------------------------------------------
    _c(
        "alignment_down_rate",
        0.05,
        0.025,
        0.2,
        "per week",
        "board and work floor",
        "ODD 7.13 (model 2); calibration log 16 (first 0.1)",
        "Downward: an organisation's work floor moves its agreed frames and procedure at this rate toward its own "
        "level plus its alignment times the boards' agreement beyond it.",
    ),
    _c(
        "board_hearing_evidence",
        1.0,
        0.5,
        2.0,
        "units of evidence per week at full alignment",
        "board and work floor",
        "ODD 7.13 (model 2)",
        "Upward: a board hears its work floor's experience of a partner: + this x alignment x floor trust positive "
        "and x (1 - floor trust) negative evidence on the board relation each week.",
        domain=UNBOUNDED,
    ),
    _c(
        "board_session_evidence",
        1.0,
        0.5,
        2.0,
        "units of evidence per dose",
        "board and work floor",
        "ODD 7.13 (model 2)",
        "A board (or board and floor) intervention: positive evidence on the board relations among the "
        "organisations it reached.",
        domain=UNBOUNDED,
    ),
    _c(
        "escalation_evidence",
        2.0,
        1.0,
        4.0,
        "units of evidence per blamed relation",
        "board and work floor",
        "ODD 7.13 (model 2)",
        "A blamed incident escalates: negative evidence on the board relations between the blamed partner and each "
        "blamer, both ways (kappa's default: the boards take it as the floor does).",
        domain=UNBOUNDED,
    ),
    _c(
        "escalation_erosion",
        2.0,
        1.0,
        4.0,
        "units of evidence per blamed relation",
        "board and work floor",
        "ODD 7.13 (model 2)",
        "An escalation without board cover returns to the work floor: + this x (1 - board cover) negative evidence "
        "on the floor relations of the pair, both ways; board cover = the pair's mean board trust.",
        domain=UNBOUNDED,
    ),
    _c(
        "align_layers_gain",
        0.2,
        0.1,
        0.3,
        "effect",
        "board and work floor",
        "ODD 7.13 (model 2)",
        "align_layers: the alignment of the organisations it reached rises by this effect (and wears off toward "
        "the scenario's value at level_relax_rate).",
    ),
    # ---- accountability for shortfalls (ODD 7.3, model 2; switch shortfall_accountability) ------------------------
    _c(
        "shortfall_floor",
        0.05,
        0.01,
        0.2,
        "attribution weight per unit of effort relative to the mean",
        "accountability",
        "ODD 7.3 (model 2)",
        "Attribution weight an incident gives a partner per unit of its weekly effort relative to the mean effort, "
        "besides its relative shortfall: where nobody falls short, incidents go where the work is done (the first "
        "version's rule).",
        domain=UNBOUNDED,
    ),
    _c(
        "shortfall_clarity_weight",
        0.5,
        0.0,
        1.0,
        "share",
        "accountability",
        "ODD 7.3 (model 2)",
        "How much a shortfall's visibility depends on the clarity of agreed frames: visibility = 1 - w (1 - "
        "frame_clarity).",
    ),
    # ---- dependency (ODD 7.10, model 2; switch dependency) -------------------------------------------------------
    _c(
        "dependency_exit_weight",
        0.1,
        0.05,
        0.25,
        "share of the exit threshold per unit of dependency",
        "dependency",
        "ODD 7.10 (model 2; Klos & Nooteboom 2001); calibration log 19",
        "A dependent partner leaves less easily: its exit threshold is exit_threshold x (1 - w x dependency).",
    ),
    _c(
        "dependency_voice_weight",
        1.0,
        0.5,
        1.0,
        "share of voice per unit of dependency x power gap",
        "dependency",
        "ODD 7.10 (model 2)",
        "A dependent partner voices less toward more powerful partners: information and the chance of giving "
        "account x (1 - w x dependency x power excess x (1 - recognition)).",
    ),
    _c(
        "dependency_equality_weight",
        0.2,
        0.1,
        0.3,
        "perceived equality per unit of dependency",
        "dependency",
        "ODD 7.10 (model 2)",
        "A dependent partner perceives less equality unless its interests are recognised: target - w x dependency "
        "x (1 - recognition).",
    ),
    _c(
        "recognize_interests_recognition",
        0.3,
        0.15,
        0.5,
        "effect",
        "dependency",
        "ODD 7.10 (model 2)",
        "recognize_interests: the recognition of partners below median power rises by this effect.",
    ),
    _c(
        "equal_footing_recognition",
        0.1,
        0.05,
        0.2,
        "effect",
        "dependency",
        "ODD 7.10 (model 2)",
        "equal_footing: every active partner's recognition rises by this effect.",
    ),
    # ---- personal contact between partners (ODD 7.11 (model 2); switch partner_contact) ---------------------------
    _c(
        "partner_contact_hours",
        2.0,
        1.0,
        4.0,
        "hours per week",
        "partner contact",
        "ODD 7.11 (model 2)",
        "Hours of a work_week_hours week every active partner spends on personal contact with other partners; its "
        "work capacity shrinks by this share.",
        domain=(0.0, 168.0),
    ),
    _c(
        "partner_contacts_per_week",
        1,
        1,
        2,
        "partners per week",
        "partner contact",
        "ODD 7.11 (model 2)",
        "Partners each active partner seeks personal contact with per week (those with the highest contact score).",
        domain=(0, 1_000),
        integer=True,
    ),
    _c(
        "partner_contact_understanding",
        0.01,
        0.005,
        0.03,
        "effect",
        "partner contact",
        "ODD 7.11 (model 2); calibration log 21",
        "Understanding within a pair that met rises by this share of what is missing, both ways (the director's "
        "contact_understanding is 0.1).",
    ),
    _c(
        "partner_contact_buffer",
        0.5,
        0.25,
        0.75,
        "share of the information",
        "partner contact",
        "ODD 7.11 (model 2)",
        "Share of the information from a partner met recently that personal contact handles: it informs but does "
        "not load.",
    ),
    _c(
        "partner_contact_memory",
        4,
        2,
        8,
        "weeks",
        "partner contact",
        "ODD 7.11 (model 2)",
        "Weeks after a personal contact during which information from that partner is buffered.",
        domain=(1, 5_200),
        integer=True,
    ),
    # ---- strategies (ODD 7.7) -----------------------------------------------------------------------------------
    _c(
        "adaptive_target",
        0.8,
        0.6,
        0.9,
        "share of a concept's ceiling",
        "strategies",
        "ODD 7.7 (spec 5)",
        "adaptive: the share of its ceiling (the most the director's interventions let it reach) each concept should "
        "reach.",
    ),
    _c(
        "adaptive_first_share",
        0.6,
        0.5,
        1.0,
        "share of the hours",
        "strategies",
        "ODD 7.7 (spec 5)",
        "adaptive: hours for the concept with the largest shortfall; the second largest gets the rest.",
    ),
]

#: Every calibration constant, by name.
CONSTANTS: dict[str, Constant] = {c.name: c for c in _DECLARED}

#: The declared values, read-only (the keyword defaults of :mod:`model.mechanisms` come from here).
DECLARED: Mapping[str, float] = MappingProxyType({c.name: c.value for c in _DECLARED})


def check_constants(given: Any, where: str = "constants") -> dict[str, float]:
    """Validate overrides ``{name: value}``: known names, finite numbers inside each constant's domain.

    Raises:
        InputError: ``given`` is not a table, a name is unknown (with the closest known name), or a value is not a
            finite number inside its domain (naming the constant and the domain).
    """
    table(where, given)
    out: dict[str, float] = {}
    for name, value in given.items():
        if name not in CONSTANTS:
            shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
            close = difflib.get_close_matches(str(name), list(CONSTANTS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"{where}: unknown constant {shown}{hint} (the constants are listed in docs/ODD.md, "
                "section 7.9, and model/constants.py)"
            )
        out[name] = CONSTANTS[name].check(value, where)
    return out


def resolve(*overrides: Mapping[str, Any] | None) -> dict[str, float]:
    """The values in force: the declared values, updated by each table of overrides in turn (checked).

    ``resolve(scenario.constants, constants)`` gives the precedence declared < scenario < argument.
    """
    values = dict(DECLARED)
    for given in overrides:
        if given:
            values.update(check_constants(given))
    return values


def markdown_table() -> str:
    """The table of constants for ``docs/ODD.md`` (section 7.9), by submodel, as Markdown."""
    lines = [
        "| constant | value | plausible range | valid domain | unit | submodel | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in _DECLARED:
        lines.append(
            f"| `{c.name}` | {c.value:g} | {c.low:g} - {c.high:g} | {c.shown_domain()} | {c.unit} | {c.group} "
            f"| {c.source} |"
        )
    return "\n".join(lines)
