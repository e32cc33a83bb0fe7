"""The per-agent Mesa reference: the simplest honest implementation of one trust update per interaction.

Partners are Mesa agents in an ``AgentSet`` stepped with ``shuffle_do``. Each week every partner picks
``contacts_per_week`` of its neighbours (uniformly, without replacement) and, per pairing (an *interaction*), judges
the other's noisy weekly effort against its expectation: met -> trust rises slowly, not met -> trust drops
``kappa`` times as fast (expectation-based, asymmetric); then the expectation follows the experience. Trust and
expectation are held in dicts keyed by the neighbour. There is no deliberate slowness and no extra work: this is
the yardstick the full model's cost per interaction is compared with (``benchmarks/run.py``).

The network is the same seeded small-world graph the ``synthetic`` scenario generates, so sizes and the number of
interactions per week match the full model's.
"""

from __future__ import annotations

import mesa

from model.scenarios import load_scenario

TOLERANCE = 0.25  # met within 25% of the expectation, as the full model
RATE = 0.05  # trust step
KAPPA = 2.0  # negative experience weighs twice a positive one
SIGMA = 0.2  # log-normal effort noise, mean 1


class ReferencePartner(mesa.Agent):
    """A partner with dict-held trust in and expectations of its neighbours.

    Attributes:
        work: its mean weekly effort.
        neighbours: the partners it can work with.
        trust: trust in each neighbour, in [0, 1].
        expectation: the effort it expects of each neighbour.
    """

    def __init__(self, model: ReferenceModel, work: float) -> None:
        super().__init__(model)
        self.work = work
        self.neighbours: list[ReferencePartner] = []
        self.trust: dict[ReferencePartner, float] = {}
        self.expectation: dict[ReferencePartner, float] = {}

    def step(self) -> None:
        """Pick ``contacts_per_week`` neighbours; judge each one's effort and update trust and expectation."""
        model = self.model
        rnd = model.random
        k = min(model.contacts_per_week, len(self.neighbours))
        for other in rnd.sample(self.neighbours, k):
            effort = other.work * rnd.lognormvariate(-0.5 * SIGMA * SIGMA, SIGMA)
            expected = self.expectation[other]
            trust = self.trust[other]
            if effort >= expected * (1.0 - TOLERANCE):
                self.trust[other] = trust + RATE * (1.0 - trust)
            else:
                self.trust[other] = trust - KAPPA * RATE * trust
            self.expectation[other] = expected + 0.2 * (effort - expected)


class ReferenceModel(mesa.Model):
    """The reference network: the ``synthetic`` scenario's graph and initial trust, one AgentSet of partners.

    Args:
        n_partners: the number of partners.
        contacts_per_week: pairings each partner initiates per week.
        rng: the seed (the graph is the full model's for the same seed).

    Attributes:
        interactions: pairings done so far.
        interactions_per_week: pairings per week (every partner pairs with ``contacts_per_week`` neighbours, or
            all it has if fewer).
    """

    def __init__(self, n_partners: int = 1000, contacts_per_week: int = 2, rng: int = 1) -> None:
        super().__init__(rng=rng)
        self.contacts_per_week = contacts_per_week
        self.interactions = 0
        spec = load_scenario("synthetic").build(rng, n_partners)
        by_name = {}
        for p in spec.partners:
            by_name[p.name] = ReferencePartner(self, work=p.work_capacity * p.stake)
        for rel in spec.relations:
            a, b = by_name[rel.a], by_name[rel.b]
            a.neighbours.append(b)
            b.neighbours.append(a)
            a.trust[b], b.trust[a] = rel.trust_ab, rel.trust_ba
            a.expectation[b], b.expectation[a] = b.work, a.work
        self.interactions_per_week = sum(min(contacts_per_week, len(a.neighbours)) for a in by_name.values())

    def step(self) -> None:
        """One week: every partner, in random order, does its pairings."""
        self.agents.shuffle_do("step")
        self.interactions += self.interactions_per_week

    def mean_trust(self) -> float:
        """Mean trust over all directed relations."""
        values = [t for agent in self.agents for t in agent.trust.values()]
        return sum(values) / len(values)
