"""Ablation: each pattern with the second version's mechanism it is evidence for switched off.

The declaration (:data:`EVIDENCE`, :data:`NONE_SWITCHABLE`) names, per pattern, the mechanism switches
(:mod:`model.switches`, ODD 7.14) whose mechanism the pattern is claimed to be evidence for. It was committed before
any ablation was run. The expectation is the same for every entry: the pattern's checks hold with every switch on
(as in the validation) and its emergent checks fail with the switch off (its neutral form, ODD 7.14). A pattern is
evidence for a mechanism only where that is what happens.
"""

from __future__ import annotations

#: Pattern key -> the switches whose mechanism it is claimed to be evidence for.
EVIDENCE: dict[str, tuple[str, ...]] = {
    # "Without contact" is an arm of its own (no director, partner_contact off); the partners' own personal contact
    # builds the understanding that raises respect between value-distant partners in the other arms.
    "5": ("partner_contact",),
    # With dependency on, equal_footing and recognize_interests also raise the recognition of low-power partners,
    # which enters their perceived equality: part of how the director narrows the gap.
    "6": ("dependency",),
    # Board agreements reach the work floor only through alignment between the two layers.
    "12": ("layers",),
    # Steering on the director's own goals exists only with the switch director_goals.
    "13": ("director_goals",),
    # Voice and account toward more powerful partners fall with dependency only with the switch dependency.
    "14": ("dependency",),
}

#: Patterns without a switchable mechanism yet, and why (the mechanism they rest on is of the first version).
NONE_SWITCHABLE: dict[str, str] = {
    "1": "blame culture and accountability are first-version mechanisms; shortfall_accountability changes whom an "
    "incident is attributed to, not whether blame follows it",
    "2": "information load is a first-version mechanism",
    "3": "the beta reputation's asymmetry is a first-version mechanism",
    "4": "the role division's penalties are first-version interventions",
    "7": "the strategies' mix of task and relations rests on first-version mechanisms",
    "8": "freedom (frames x trust) and misuse are first-version mechanisms",
    "9": "exits by stake are a first-version mechanism (dependency and lead_succession change who leaves and what "
    "follows, not the stake the claim is about)",
    "10": "the prior weight W of trust is a first-version mechanism",
    "11": "the governance modes' costs are first-version mechanisms",
}

#: What is expected of every declared (pattern, switch): its checks hold with the switch on and fail with it off.
#: Only an emergent check that does so is evidence for the mechanism in the sense of the validation; a check by
#: construction that does so shows that the switch reaches the equation the check rests on.
EXPECTATION = "holds with the switch on, fails with the switch off"
