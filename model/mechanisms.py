"""The model's mechanisms: small, pure, vectorised functions over numpy arrays.

Nothing here knows Mesa, agents or scenarios. Each function states its equation and its source; the tests
reproduce the published results of each (model spec, section 9). Relation arrays are indexed by directed edge
``e = i -> j`` (``src[e] = i``, ``dst[e] = j``); partner arrays by partner index.

Calibration constants are keyword arguments whose defaults are the declared values of :mod:`model.constants`
(``DECLARED``), so a function can be run alone; the model always passes the values in force.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import overload

import numpy as np
import numpy.typing as npt

from model.constants import DECLARED


def _special() -> ModuleType:
    """:mod:`scipy.special`, imported on first use: it takes a good part of a second to import, which the command
    line's help and scenario list, reading only declarations, should not wait for."""
    from scipy import special

    return special


#: An array of real numbers (per partner, per directed relation, or partners x value dimensions).
FloatArray = npt.NDArray[np.float64]
#: An array of partner or edge indices.
IndexArray = npt.NDArray[np.intp]
#: A boolean mask over partners or edges.
BoolArray = npt.NDArray[np.bool_]
# The element-wise functions are generic in ``Num``, one number (float) or an array of them (FloatArray), and return
# the same kind: a parameter typed ``Num`` sets the kind of the result, a parameter typed ``Num | float`` may also be a
# single number (broadcast over the array).


def median(x: FloatArray) -> float:
    """The median of a non-empty 1-D array without NaN: the same number as ``np.median(x)`` (the middle value, or the
    mean of the two middle values) without its per-call overhead, which counts on arrays of a few partners."""
    ordered = np.sort(x)
    half = len(ordered) // 2
    return float(ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2)


def _clip[Num: (float, FloatArray)](x: Num, low: float, high: float) -> Num:
    """``np.clip(x, low, high)`` as maximum then minimum: the same numbers without np.clip's per-call overhead."""
    return np.minimum(np.maximum(x, low), high)


# ----------------------------------------------------------------------------------------------------------------
# Trust: beta reputation with a base rate (Josang & Ismail 2002)
# ----------------------------------------------------------------------------------------------------------------


def trust_from_evidence[Num: (float, FloatArray)](
    r: Num, s: Num | float, base_rate: float = DECLARED["base_rate"], prior_weight: float = 2.0
) -> Num:
    """Expected trust T = (r + aW) / (r + s + W) (beta reputation with base rate a and prior weight W)."""
    return (r + base_rate * prior_weight) / (r + s + prior_weight)


def doubt_from_evidence[Num: (float, FloatArray)](r: Num, s: Num | float, prior_weight: float = 2.0) -> Num:
    """Doubt (uncertainty) U = W / (r + s + W): healthy doubt that keeps a partner open to surprises."""
    return prior_weight / (r + s + prior_weight)


def distrust_from_evidence[Num: (float, FloatArray)](r: Num | float, s: Num, prior_weight: float = 2.0) -> Num:
    """Distrust (disbelief) D = s / (r + s + W). A relation is *in distrust* when D > T."""
    return s / (r + s + prior_weight)


def opinion_from_evidence(
    r: FloatArray, s: FloatArray, base_rate: float = DECLARED["base_rate"], prior_weight: float = 2.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Trust, distrust and doubt at once (:func:`trust_from_evidence`, :func:`distrust_from_evidence`,
    :func:`doubt_from_evidence`: the same numbers), their denominator r + s + W computed once."""
    total = r + s + prior_weight
    return (r + base_rate * prior_weight) / total, s / total, prior_weight / total


@overload
def evidence_for_trust(
    t0: float, retention: float, base_rate: float = ..., prior_weight: float = ..., without_forgetting: float = ...
) -> tuple[float, float]: ...
@overload
def evidence_for_trust(
    t0: FloatArray, retention: float, base_rate: float = ..., prior_weight: float = ..., without_forgetting: float = ...
) -> tuple[FloatArray, FloatArray]: ...
def evidence_for_trust(
    t0: float | FloatArray,
    retention: float,
    base_rate: float = DECLARED["base_rate"],
    prior_weight: float = 2.0,
    without_forgetting: float = DECLARED["evidence_without_forgetting"],
) -> tuple[float | FloatArray, float | FloatArray]:
    """Evidence (r0, s0) at steady state that gives trust ``t0``.

    With retention λ the total evidence of a relation judged once per tick settles at n0 = 1 / (1 - λ)
    (``without_forgetting`` when λ = 1); r0 = T0 (n0 + W) - aW, s0 = n0 - r0, with T0 clipped to what n0 allows.
    """
    n0 = 1.0 / (1.0 - retention) if retention < 1.0 else without_forgetting
    t = np.asarray(t0, dtype=float)
    r0 = np.clip(t * (n0 + prior_weight) - base_rate * prior_weight, 0.0, n0)
    return r0, n0 - r0


def update_evidence[Num: (float, FloatArray)](
    r: Num, s: Num, positive: Num | float, negative: Num | float, retention: float
) -> tuple[Num, Num]:
    """One beta-reputation step: r <- λ r + pos, s <- λ s + neg (Josang & Ismail 2002, with forgetting λ)."""
    return retention * r + positive, retention * s + negative


def asymmetric_judgement(
    contribution: FloatArray, expectation: FloatArray, kappa: float, tolerance: float = DECLARED["met_tolerance"]
) -> tuple[FloatArray, FloatArray]:
    """Expectation-based judgement of one partner's effort by another (Slovic 1993; Vangen & Huxham 2003).

    Met if contribution >= expectation (1 - tolerance): +1 positive evidence; else +κ negative evidence, so
    with κ > 1 trust grows slowly and drops fast. Returns (positive, negative) evidence arrays.
    """
    met = contribution >= expectation * (1.0 - tolerance)
    return met.astype(float), np.where(met, 0.0, kappa)


def update_expectation[Num: (float, FloatArray)](
    expectation: Num,
    contribution: Num | float,
    drift_on: float,
    rate: float = DECLARED["expectation_rate"],
    drift: float = DECLARED["overpromise_drift"],
) -> Num:
    """x <- x + rate (c - x) + drift (1 - x): expectations follow experience and creep up (over-promising).

    The drift term is switched off (``drift_on`` False) while expectation management is in force.
    """
    return expectation + rate * (contribution - expectation) + drift * drift_on * (1.0 - expectation)


# ----------------------------------------------------------------------------------------------------------------
# Joint work: partner choice and output
# ----------------------------------------------------------------------------------------------------------------


def choose_contacts(
    src: IndexArray, weights_log: FloatArray, uniforms: FloatArray, offsets: IndexArray, k: int
) -> BoolArray:
    """Gumbel-top-k choice of ``k`` neighbours per partner, proportional to exp(weights_log).

    Each directed edge e = i -> j gets the key log w_e + G_e, G_e = -log(-log u_e) (a Gumbel variate from the
    world's uniform u_e); partner i takes the k edges with the largest keys among its out-edges (sampling
    without replacement with probability proportional to w). Edges with weight -inf are never chosen.
    Edges must be grouped by ``src`` (CSR order, ``offsets`` the start of each partner's block).

    Returns a boolean mask over edges: chosen or not.

    Below ``SORT_BELOW`` edges: a stable sort of the keys, descending within each partner's block. Above: cost
    O(k · edges), k rounds of a per-partner maximum (ties go to the lower edge index, as the stable sort breaks
    them), instead of sorting all keys. Both choose the same edges.
    """
    u = _clip(uniforms, 1e-300, 1.0 - 1e-16)
    return choose_top(src, weights_log - np.log(-np.log(u)), offsets, k)


def choose_top(src: IndexArray, key: FloatArray, offsets: IndexArray, k: int) -> BoolArray:
    """The ``k`` edges with the largest ``key`` in each partner's block (ties to the lower edge index; edges keyed
    -inf never), as a boolean mask over edges: the choice of :func:`choose_contacts` once its keys are drawn.
    ``key`` is changed in place (the chosen edges' keys become -inf)."""
    if len(src) < SORT_BELOW:
        order = np.lexsort((-key, src))
        rank = np.empty(len(src), dtype=np.int64)  # each edge's place in its partner's block, by descending key
        rank[order] = np.arange(len(src)) - offsets[src[order]]
        return (rank < k) & np.isfinite(key)
    chosen = np.zeros(len(src), dtype=bool)
    if len(src) == 0 or k <= 0:
        return chosen
    # the partners' blocks that hold edges, from the offsets (O(partners), not O(edges))
    degree = np.diff(np.append(offsets, len(src)))
    holding = degree > 0
    starts, lengths = offsets[holding], degree[holding]
    for _ in range(min(k, int(lengths.max()))):
        top = np.maximum.reduceat(key, starts)
        at_top = (key == np.repeat(top, lengths)).nonzero()[0]
        block = src[at_top]
        first = at_top[np.concatenate(([True], block[1:] != block[:-1]))]
        first = first[np.isfinite(key[first])]
        chosen[first] = True
        key[first] = -np.inf
    return chosen


def lognormal_noise(uniforms: FloatArray, sigma: float = DECLARED["effort_noise_sd"]) -> FloatArray:
    """ε ~ LogNormal(-σ²/2, σ) by inverse CDF of a uniform: mean 1, so noise neither adds nor removes work."""
    u = _clip(uniforms, 1e-12, 1.0 - 1e-12)
    return np.exp(-0.5 * sigma * sigma + sigma * _special().ndtri(u))


def weekly_effort[Num: (float, FloatArray)](
    capacity: Num,
    commitment: Num,
    penalty: Num | float,
    benefit: Num | float,
    freedom: Num | float,
    noise: Num | float,
    misuse_below: float = DECLARED["misuse_below"],
    information_bonus: float = DECLARED["information_bonus"],
    freedom_bonus: float = DECLARED["freedom_bonus"],
    misuse_penalty: float = DECLARED["misuse_penalty"],
) -> tuple[Num, Num]:
    """A partner's whole weekly effort in joint work (model spec 3.2, calibration 1).

    C = capacity · commitment · (1 - pen) · (1 + 0.5 b) · (1 + 0.3 F·commitment - 0.6 misuse) · ε,
    misuse = F · max(0, 0.3 - commitment): room used without commitment (with the declared ``misuse_below``,
    ``information_bonus``, ``freedom_bonus``, ``misuse_penalty``). Returns (effort, misuse).
    """
    misuse = freedom * np.maximum(0.0, misuse_below - commitment)
    freedom_factor = np.maximum(0.0, 1.0 + freedom_bonus * freedom * commitment - misuse_penalty * misuse)
    return (
        capacity * commitment * (1.0 - penalty) * (1.0 + information_bonus * benefit) * freedom_factor * noise,
        misuse,
    )


def pair_output[Num: (float, FloatArray)](
    c_i: Num,
    c_j: Num,
    distance0: Num | float,
    respect: Num | float,
    trust: Num | float,
    synergy: float = DECLARED["synergy"],
) -> Num:
    """Output of a working pair: (c_i + c_j)(1 + 0.6 d0 R T).

    Diverse partners (initial value distance d0) who respect and trust each other produce more; the initial
    distance is used so that vision work does not destroy the diversity it builds on.
    """
    return (c_i + c_j) * (1.0 + synergy * distance0 * respect * trust)


# ----------------------------------------------------------------------------------------------------------------
# Information flow and overload (Eppler & Mengis 2004; Schick, Gordon & Haka 1990)
# ----------------------------------------------------------------------------------------------------------------


def information_sent[Num: (float, FloatArray)](
    sharing_rate: float, openness_src: Num, trust: Num | float, trust_factor: float = DECLARED["sharing_trust_factor"]
) -> Num:
    """Information sent along each tie: q_ij = sharing_rate · openness_i · min(1, 2 T_ij)."""
    return sharing_rate * openness_src * np.minimum(1.0, trust_factor * trust)


def information_load[Num: (float, FloatArray)](
    received: Num,
    info_structure: float,
    info_capacity: Num | float,
    structure_filter: float = DECLARED["info_structure_filter"],
) -> Num:
    """Load L = received · (1 - 0.6 info_structure) / info_capacity: a structure filters and routes."""
    return received * (1.0 - structure_filter * info_structure) / info_capacity


def information_benefit[Num: (float, FloatArray)](
    load: Num, exponent: float = DECLARED["information_benefit_exponent"]
) -> Num:
    """b = min(L, 1)^0.5: being informed helps, with diminishing returns (for an array ``load``, numpy computes
    the power 0.5 as a square root)."""
    return np.minimum(load, 1.0) ** exponent


def overload_penalty[Num: (float, FloatArray)](load: Num, slope: float = DECLARED["overload_penalty_slope"]) -> Num:
    """pen = min(1, 0.5 max(0, L - 1)): processing time demanded beyond what is available costs work."""
    return np.minimum(1.0, slope * np.maximum(0.0, load - 1.0))


# ----------------------------------------------------------------------------------------------------------------
# Accountability events
# ----------------------------------------------------------------------------------------------------------------


def poisson_from_uniform(u: float, lam: float, cap: int) -> int:
    """Poisson(λ) count by inverse CDF of one uniform, capped at ``cap`` (keeps the number of draws fixed)."""
    if lam <= 0.0:
        return 0
    k, log_factorial = _log_factorials(cap)
    cdf = np.cumsum(np.exp(k * np.log(lam) - lam - log_factorial))
    return min(cap, int(np.searchsorted(cdf, u, side="right")))


@functools.cache
def _log_factorials(cap: int) -> tuple[IndexArray, FloatArray]:
    """k = 0..cap and log k! (``gammaln(k + 1)``), computed once per cap (read-only)."""
    k = np.arange(cap + 1)
    log_factorial = _special().gammaln(k + 1)
    k.flags.writeable = log_factorial.flags.writeable = False
    return k, log_factorial


def incident_intensity(
    incident_rate: float,
    mean_benefit: float,
    mean_penalty: float,
    overload_weight: float = DECLARED["overload_incident_weight"],
) -> float:
    """λ = incident_rate (1 + (1 - mean b) + 2 mean pen): uninformed or overloaded networks miss signals."""
    return incident_rate * (1.0 + (1.0 - mean_benefit) + overload_weight * mean_penalty)


def account_probability[Num: (float, FloatArray)](accountability: Num, blame: float) -> Num:
    """P(a partner gives account for an incident) = accountability · (1 - blame)."""
    return accountability * (1.0 - blame)


def incident_learning[Num: (float, FloatArray)](
    expectation_toward: Num,
    real_effort: float,
    accountability: float,
    blame: float,
    expectation_share: float = DECLARED["learning_expectation_share"],
    accountability_rate: float = DECLARED["learning_accountability_rate"],
    blame_relief: float = DECLARED["learning_blame_relief"],
) -> tuple[Num, float, float]:
    """An incident the partner gives account for becomes learning (model spec 3.4).

    Expectations toward it move halfway (0.5) to its real effort, its accountability rises at rate 0.2 and the
    blame culture eases by 0.01; each neighbour also gains +1 positive evidence about it (added by the caller).
    Returns (expectations toward it, accountability, blame).
    """
    return (
        expectation_toward + expectation_share * (real_effort - expectation_toward),
        accountability + accountability_rate * (1.0 - accountability),
        max(0.0, blame - blame_relief),
    )


def incident_blame(
    accountability: float,
    openness: float,
    respect_toward: FloatArray,
    understanding_toward: FloatArray,
    equality: float,
    blamer_power: FloatArray,
    power: float,
    blame: float,
    closing_rate: float = DECLARED["blame_closing_rate"],
    understanding_threshold: float = DECLARED["blame_understanding_threshold"],
    respect_loss: float = DECLARED["blame_respect_loss"],
    equality_loss: float = DECLARED["blame_equality_loss"],
    culture_rise: float = DECLARED["blame_culture_rise"],
) -> tuple[float, float, FloatArray, float, float]:
    """An incident without account becomes blame (model spec 3.4).

    The partner's accountability and openness fall at rate 0.2; neighbours who do not understand it (u < 0.5) lose
    0.1 respect for it; its perceived equality drops by 0.1 x the mean power excess of its blamers; the blame culture
    rises by 0.02 x the strongest blamer's power. The κ negative evidence is added by the caller.
    Returns (accountability, openness, respect toward it, equality, blame).
    """
    respect_toward = np.where(
        understanding_toward < understanding_threshold, np.maximum(0.0, respect_toward - respect_loss), respect_toward
    )
    if len(blamer_power):
        equality = max(0.0, equality - equality_loss * np.maximum(0.0, blamer_power - power).mean())
        blame = min(1.0, blame + culture_rise * blamer_power.max())
    return (
        accountability - closing_rate * accountability,
        openness - closing_rate * openness,
        respect_toward,
        equality,
        blame,
    )


def shortfall_attribution_weights(
    expected: FloatArray,
    effort: FloatArray,
    mean_effort: float,
    frame_clarity: float,
    floor: float = DECLARED["shortfall_floor"],
    clarity_weight: float = DECLARED["shortfall_clarity_weight"],
) -> FloatArray:
    """Whom an incident is attributed to under accountability for shortfalls (ODD 7.3, model 2).

    w_j = visibility · max(0, 1 - C_j / x̄_j) + floor · C_j / C̄, with x̄_j the mean expectation j's neighbours hold
    of it, C_j its weekly effort, C̄ the mean weekly effort of the active partners and visibility =
    1 - clarity_weight · (1 - frame_clarity). The shortfall is relative, the share of what was expected that did not
    come (as the judgement of joint work is relative to the expectation): a shortfall against what was agreed and
    expected is what goes differently than planned, whatever a partner's size, and clearer agreements make it more
    visible. The floor keeps incidents attributable where nobody falls short: then they go where the work is done,
    in proportion to effort (the first version's rule). A partner nobody expects anything of (x̄ = 0) has no
    shortfall; partners who left pass effort 0 and are masked by the caller.
    """
    visibility = 1.0 - clarity_weight * (1.0 - frame_clarity)
    shortfall = np.where(expected > 0, np.maximum(0.0, 1.0 - effort / np.maximum(expected, 1e-12)), 0.0)
    return visibility * shortfall + floor * effort / mean_effort if mean_effort > 0 else visibility * shortfall


# ----------------------------------------------------------------------------------------------------------------
# Relationship updates
# ----------------------------------------------------------------------------------------------------------------


def move_toward[Num: (float, FloatArray)](
    z: Num, target: Num | float, rate: float = DECLARED["adaptation_rate"]
) -> Num:
    """z <- z + ρ (target - z)."""
    return z + rate * (target - z)


def value_distance(values_a: FloatArray, values_b: FloatArray) -> FloatArray:
    """Euclidean distance between value vectors, divided by sqrt(k) so that it lies in [0, 1]."""
    diff = values_a - values_b
    k = diff.shape[-1]
    if diff.ndim == 2 and k < 8:  # column by column: the same sequential sum numpy does for < 8 terms, faster
        total = diff[:, 0] * diff[:, 0]
        for dim in range(1, k):
            total += diff[:, dim] * diff[:, dim]
    else:
        total = np.sum(diff * diff, axis=-1)
    return np.sqrt(total / k)


def value_distance_between(values: FloatArray, src: IndexArray, dst: IndexArray) -> FloatArray:
    """``value_distance(values[src], values[dst])`` for index arrays ``src``, ``dst`` into one value matrix.

    Gathers column by column (much faster than gathering rows of a short matrix); the same numbers.
    """
    k = values.shape[-1]
    if values.ndim != 2 or k >= 8:
        return value_distance(values[src], values[dst])
    column = values[:, 0]
    diff = column[src] - column[dst]
    total = diff * diff
    for dim in range(1, k):
        column = values[:, dim]
        diff = column[src] - column[dst]
        total += diff * diff
    return np.sqrt(total / k)


def respect_target[Num: (float, FloatArray)](distance: Num, understanding: Num | float) -> Num:
    """R* = 1 - d (1 - u): understanding the other's motives neutralises value differences."""
    return 1.0 - distance * (1.0 - understanding)


def equality_target[Num: (float, FloatArray)](
    recognition: Num | float,
    procedure_equality: Num | float,
    power_gap: Num,
    gap_weight: float = DECLARED["power_gap_weight"],
    recognition_weight: float = DECLARED["recognition_weight"],
) -> Num:
    """E* = 0.5 recognition + 0.5 procedure_equality - w · power_gap · (1 - procedure_equality)
    (0.5 and 0.5: ``recognition_weight`` and its complement)."""
    return _clip(
        recognition_weight * recognition
        + (1.0 - recognition_weight) * procedure_equality
        - gap_weight * power_gap * (1.0 - procedure_equality),
        0,
        1,
    )


def freedom_target[Num: (float, FloatArray)](frame_clarity: Num | float, trust_received: Num) -> Num:
    """F* = frame_clarity · mean trust others place in the partner: room is granted to the trusted."""
    return frame_clarity * trust_received


def commitment_target[Num: (float, FloatArray)](
    stake: Num,
    trust: Num | float,
    respect: Num | float,
    equality: Num | float,
    progress: float,
    penalty: Num | float,
    progress_weight: float = DECLARED["progress_weight"],
    overload_loss: float = DECLARED["overload_commitment_loss"],
) -> Num:
    """K* = stake · (T + R + E)/3 · (0.5 + 0.5 v) - 0.3 pen, v the visible progress (last task rate)
    (0.5 + 0.5 v: (1 - ``progress_weight``) + ``progress_weight`` v)."""
    v = _clip(progress, 0.0, 1.0)
    return _clip(
        stake * (trust + respect + equality) / 3.0 * ((1.0 - progress_weight) + progress_weight * v)
        - overload_loss * penalty,
        0.0,
        1.0,
    )


# ----------------------------------------------------------------------------------------------------------------
# Dependency (ODD 7.10, model 2)
# ----------------------------------------------------------------------------------------------------------------


def voice_factor[Num: (float, FloatArray)](
    dependency: Num,
    power: Num | float,
    power_toward: Num | float,
    recognition: Num | float,
    weight: float = DECLARED["dependency_voice_weight"],
) -> Num:
    """f_ij = 1 - w · dependency_i · max(0, power_j - power_i) · (1 - recognition_i): a dependent partner voices less
    toward a more powerful one (information it sends, its chance of giving account), unless its interests are
    recognised. In [0, 1] for inputs in [0, 1] and w <= 1.

    The same numbers as :func:`voice_from_silencing` of :func:`voice_silencing`, the part that does not change with
    recognition (a large network keeps it per relation: :meth:`model.state.NetworkState.voice_silencing`)."""
    return 1.0 - weight * dependency * np.maximum(0.0, power_toward - power) * (1.0 - recognition)


def voice_silencing[Num: (float, FloatArray)](
    dependency: Num,
    power: Num | float,
    power_toward: Num | float,
    weight: float = DECLARED["dependency_voice_weight"],
) -> Num:
    """w · dependency_i · max(0, power_j - power_i): how far i's dependency would silence it toward j, before
    recognition (:func:`voice_factor`)."""
    return weight * dependency * np.maximum(0.0, power_toward - power)


def voice_from_silencing[Num: (float, FloatArray)](silencing: Num, recognition: Num | float) -> Num:
    """f_ij = 1 - silencing_ij · (1 - recognition_i) (:func:`voice_factor`; ``silencing`` from
    :func:`voice_silencing`)."""
    return 1.0 - silencing * (1.0 - recognition)


def dependent_exit_threshold[Num: (float, FloatArray)](
    exit_threshold: float, dependency: Num, weight: float = DECLARED["dependency_exit_weight"]
) -> Num:
    """θ_i = exit_threshold · (1 - w · dependency_i): a dependent partner cannot easily leave (Klos & Nooteboom
    2001: each partner has its own threshold for defecting)."""
    return exit_threshold * (1.0 - weight * dependency)


def dependent_equality_target[Num: (float, FloatArray)](
    target: Num, dependency: Num, recognition: Num | float, weight: float = DECLARED["dependency_equality_weight"]
) -> Num:
    """E*_i - w · dependency_i · (1 - recognition_i), at least 0: a dependent partner perceives less equality unless
    its interests are recognised."""
    return np.maximum(0.0, target - weight * dependency * (1.0 - recognition))


# ----------------------------------------------------------------------------------------------------------------
# Interventions: dose-response and bounded confidence (Deffuant et al. 2000)
# ----------------------------------------------------------------------------------------------------------------


def dose(hours: float, cost: float) -> float:
    """dose = 1 - exp(-h / cost): diminishing returns of hours spent."""
    return 1.0 - float(np.exp(-hours / cost)) if cost > 0 else 1.0


def raise_level[Num: (float, FloatArray)](z: Num, effect: float, legitimacy: float, dose_: float) -> Num:
    """Δz = effect · legitimacy · dose · (1 - z): a level rises, never past 1."""
    return z + effect * legitimacy * dose_ * (1.0 - z)


def lower_level[Num: (float, FloatArray)](z: Num, effect: float, dose_: float) -> Num:
    """Δz = -effect · dose · z: a level falls, never below 0."""
    return z - effect * dose_ * z


def bounded_confidence_step(
    values: FloatArray,
    src: IndexArray,
    dst: IndexArray,
    weight: FloatArray | float,
    confidence_bound: float,
    mu: float,
) -> FloatArray:
    """One synchronous bounded-confidence step over the given directed pairs (Deffuant et al. 2000).

    Partner i moves toward j by μ · weight_ij · (v_j - v_i) if their distance is below the confidence bound;
    a partner with several close partners takes the mean of their pulls. ``weight`` is respect (or 1).
    """
    d = value_distance_between(values, src, dst)
    close = (d < confidence_bound).astype(float) * weight
    n = len(values)
    total = np.zeros_like(values)
    for dim in range(values.shape[1]):
        column = values[:, dim]
        pull = (column[dst] - column[src]) * close
        total[:, dim] = np.bincount(src, weights=pull, minlength=n)
    count = np.bincount(src, weights=(d < confidence_bound).astype(float), minlength=n)
    return values + mu * total / np.maximum(count, 1.0)[:, None]


def deffuant_pairwise(values: npt.ArrayLike, confidence_bound: float, mu: float, pairs: IndexArray) -> FloatArray:
    """Classic Deffuant pairwise updates, one random pair at a time (for validation against the literature).

    ``pairs`` is an (m, 2) integer array of the pairs met, in order. Values are 1-D opinions.
    """
    v = np.array(values, dtype=float)
    for a, b in pairs:
        diff = v[b] - v[a]
        if abs(diff) < confidence_bound:
            v[a] += mu * diff
            v[b] -= mu * diff
    return v


def count_major_clusters(values: npt.ArrayLike, share: float = 0.05, gap: float = 0.05) -> int:
    """Number of opinion clusters (sorted values split where adjacent values differ by more than ``gap``)
    that hold at least ``share`` of all agents."""
    v = np.sort(np.asarray(values))
    breaks = np.flatnonzero(np.diff(v) > gap)
    sizes = np.diff(np.concatenate(([0], breaks + 1, [len(v)])))
    return int(np.sum(sizes >= share * len(v)))


# ----------------------------------------------------------------------------------------------------------------
# The director's own goals (ODD 7.12; switch director_goals)
# ----------------------------------------------------------------------------------------------------------------


def goal_advance(dose_: float, rate: float = DECLARED["goal_rate"]) -> float:
    """ΔG = goal_rate · dose: steering hours advance the director's own goals with diminishing returns."""
    return rate * dose_


def combined_dose(week_dose: float, dose_: float) -> float:
    """The week's steering dose after one more dose: 1 - (1 - D)(1 - d), in [0, 1] (two calls of h hours give the
    dose of 2h when their doses are combined this way)."""
    return 1.0 - (1.0 - week_dose) * (1.0 - dose_)


def goal_lag(progress: float, tick: int, weeks: int) -> float:
    """The relative lag of the goals behind their schedule: clip(1 - G / min(1, t / weeks), 0, 1), with the goals
    due in ``weeks`` weeks (0 before the first week)."""
    schedule = min(1.0, tick / weeks)
    if schedule <= 0.0:
        return 0.0
    return float(min(1.0, max(0.0, 1.0 - progress / schedule)))


def goal_task_rate(advance: float, overlap: float, size: float, weeks: float) -> float:
    """The task rate the week's goal advance adds: overlap · size · ΔG · weeks, with ``size`` (``goal_task_size``)
    in task progress, so that · ``weeks`` (the model's 104: task progress 1 = 104 weeks at the reference rate)
    turns it into a weekly task rate."""
    return overlap * size * advance * weeks


def goal_resources[Num: (float, FloatArray)](progress: Num | float, resources: float) -> Num | float:
    """The work-capacity factor the goals' resources give: 1 + resources · min(1, G) (money, permits, capacity the
    director's organisation brings as its goals advance; bounded by 1 + resources)."""
    return 1.0 + resources * np.minimum(1.0, progress)


def steered_freedom_target[Num: (float, FloatArray)](
    target: Num, steering_dose: Num | float, loss: float = DECLARED["steering_freedom_loss"]
) -> Num:
    """F*_steered = F* · (1 - loss · D): a director steering on its own goals narrows the partners' room."""
    return target * (1.0 - loss * steering_dose)


def pressured_commitment_target[Num: (float, FloatArray)](
    target: Num, pressure: Num | float, loss: float = DECLARED["pressure_commitment_loss"]
) -> Num:
    """K*_own = K* · (1 - loss · P): the director's own organisation commits less while its goals lag."""
    return target * (1.0 - loss * pressure)


# Personal contact between partners (ODD 7.11, model 2)
# ----------------------------------------------------------------------------------------------------------------


def contact_score(trust: FloatArray, understanding: FloatArray) -> FloatArray:
    """s_ij = T_ij (1 - u_ij): a partner seeks contact where it trusts enough to talk and understands too little."""
    return trust * (1.0 - understanding)


def choose_partner_contacts(src: IndexArray, score: FloatArray, offsets: IndexArray, k: int) -> BoolArray:
    """Each partner's ``k`` out-relations with the highest positive score (ties to the lower edge index), without
    random numbers: a relation scoring 0 (or less, e.g. a partner who left) is never chosen.

    The top-k of :func:`choose_contacts` with every Gumbel term equal (u = e^-1: -log(-log u) is the same for every
    relation), so the keys are the log scores themselves.
    """
    positive = score > 0.0
    if positive.all():  # the log of every score (the same numbers)
        log_score = np.log(score)
    else:
        log_score = np.full(len(score), -np.inf)
        log_score[positive] = np.log(score[positive])
    return choose_top(src, log_score - _equal_gumbel(len(score)), offsets, k)


#: How many network sizes :func:`_equal_gumbel` keeps its array for (a process may build networks of several sizes).
EQUAL_GUMBEL_SIZES = 4


@functools.lru_cache(maxsize=EQUAL_GUMBEL_SIZES)
def _equal_gumbel(size: int) -> FloatArray:
    """The Gumbel term log(-log u) of :func:`choose_contacts` for ``size`` uniforms all e^-1, computed as it computes
    it (read-only; kept per size: it never changes)."""
    gumbel = np.log(-np.log(_clip(np.full(size, np.exp(-1.0)), 1e-300, 1.0 - 1e-16)))
    gumbel.flags.writeable = False
    return gumbel


def contact_time_factor(hours: float, week_hours: float) -> float:
    """Work capacity left after personal contact: 1 - hours / week_hours (a share of the working week)."""
    return 1.0 - hours / week_hours


def buffered_information[Num: (float, FloatArray)](sent: Num, recent: Num | float, buffer: float) -> Num:
    """q'_ij = q_ij (1 - buffer · recent_ij): the share ``buffer`` of the information from a partner met recently
    (``recent`` 1, else 0) is handled in personal contact and does not load the receiver."""
    return sent * (1.0 - buffer * recent)


# ----------------------------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------------------------


#: Below this many values, :func:`lowest` and :func:`choose_contacts` sort them all: one sort costs less than the
#: several numpy calls of the ways that avoid it, which pay off only on larger arrays.
SORT_BELOW = 256


def lowest(x: npt.ArrayLike, count: int) -> IndexArray:
    """Indices of the ``count`` smallest values of ``x``, smallest first, ties in index order.

    The same as ``np.argsort(x, kind="stable")[:count]``, in O(len(x)) for a small ``count`` (a partition finds
    the threshold; only the values at or below it are sorted). Below ``SORT_BELOW`` values the sort itself is
    cheaper than the partition's several calls.
    """
    x = np.asarray(x)
    count = max(0, min(int(count), len(x)))
    if count == 0 or count == len(x) or len(x) < SORT_BELOW:
        return np.argsort(x, kind="stable")[:count]
    threshold = np.partition(x, count - 1)[count - 1]
    if np.isnan(threshold):
        return np.argsort(x, kind="stable")[:count]
    candidates = (x <= threshold).nonzero()[0]
    return candidates[np.argsort(x[candidates], kind="stable")[:count]]


def lowest_set(x: npt.ArrayLike, count: int) -> IndexArray:
    """The indices of the ``count`` smallest values of ``x`` (ties in index order), ascending by index: the same as
    ``np.sort(lowest(x, count))``, without ordering them by value (the values below the ``count``-th smallest, and
    as many of those equal to it as fill the count, the first ones)."""
    x = np.asarray(x)
    count = max(0, min(int(count), len(x)))
    if count == 0 or count == len(x) or len(x) < SORT_BELOW:
        return np.sort(lowest(x, count))
    threshold = np.partition(x, count - 1)[count - 1]
    if np.isnan(threshold):
        return np.sort(lowest(x, count))
    chosen = x < threshold
    ties = (x == threshold).nonzero()[0]
    chosen[ties[: count - int(np.count_nonzero(chosen))]] = True
    return chosen.nonzero()[0]


# ----------------------------------------------------------------------------------------------------------------
# Board and work floor: vertical alignment (switch ``layers``, ODD 7.13)
# ----------------------------------------------------------------------------------------------------------------


def floor_follows_board[Num: (float, FloatArray)](
    floor_level: Num,
    board_level: float,
    own_level: float,
    alignment: Num | float,
    rate: float = DECLARED["alignment_down_rate"],
) -> Num:
    """Downward: an organisation's work floor acts on what its board agreed as far as its alignment carries it, with
    a delay: the floor's level moves at ``alignment_down_rate`` toward own + a_i (board - own), ``own`` the level
    its work floor has without the boards' agreements (the parameter's value)."""
    return floor_level + rate * (own_level + alignment * (board_level - own_level) - floor_level)


def board_hears_floor[Num: (float, FloatArray)](
    floor_trust: Num, alignment: Num | float, amount: float = DECLARED["board_hearing_evidence"]
) -> tuple[Num, Num]:
    """Upward: a board hears what its work floor experiences of a partner, as weekly evidence (positive, negative) =
    h a_i (T_floor, 1 - T_floor), h = ``board_hearing_evidence``: with forgetting, board trust moves toward the
    floor's trust at a rate that grows with the alignment."""
    weight = amount * alignment
    return weight * floor_trust, weight * (1.0 - floor_trust)


def board_cover[Num: (float, FloatArray)](board_trust: Num, board_trust_back: Num) -> Num:
    """The cover two boards give their work floors in an escalation: their mean mutual board trust."""
    return (board_trust + board_trust_back) / 2.0


def escalation_erosion[Num: (float, FloatArray)](cover: Num, erosion: float = DECLARED["escalation_erosion"]) -> Num:
    """Negative evidence an escalated incident returns to the floor relation of the pair: erosion x (1 - cover)."""
    return erosion * (1.0 - cover)


def through_alignment[Num: (float, FloatArray)](before: Num, after: Num, alignment: Num | float) -> Num:
    """A board decision's direct effect on a partner's (or relation's) work floor, as far as its alignment carries
    it: before + a (after - before)."""
    return before + alignment * (after - before)
