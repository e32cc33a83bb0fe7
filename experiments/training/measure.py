"""How much a trainee's choices matter within a workshop: a measurement of the training scenarios and dilemmas.

    python -m experiments.training.measure [--seeds 20] [--weeks 12] [--after 4] [--strategy balanced] [--pace]

Tables in Markdown, as in ``docs/training.md``:

1. per training scenario, over paired seeds (the same seeds for every strategy), after ``--weeks`` weeks: each
   built-in strategy's mean ``health`` and ``task_progress``; the best strategy against the worst by ``health`` (the
   mean paired difference and its 95% interval, a t-interval) and by task progress (the difference, and as a share of
   the worst's progress). A strategy meets no dilemmas.
2. per dilemma, over the training scenarios and seeds in which it fires (the balanced strategy, or ``--strategy``,
   spends the hours the options leave; only this dilemma can fire, so it fires at the first week its conditions
   hold): the world is forked at that week, each option is chosen in one fork, and ``--after`` weeks later (counted
   from the week of the choice) ``health`` and the mean trust of the relations the dilemma concerns (those of its
   ``{partner}``, ``{newcomer}`` or ``{own}``; for ``{pair_a}`` and ``{pair_b}`` the relation between the two; the
   whole network's when it concerns nobody in particular) are compared: the best option against the worst, as the
   mean over the firings;
3. with ``--pace``: why the strategies end close together within a workshop. Per training scenario, the best
   strategy's lead over the worst in ``health`` (mean paired difference and the lower end of its 95% interval) after
   12, 18 and 26 weeks of the model as it is, and after 12 weeks of a faster model: every intervention's effect size
   and the adaptation rate at the top of its plausible range (:data:`PACE_CONSTANTS`; a what-if, used nowhere else).

The issue's criteria (12 weeks, at least 20 seeds): the best strategy ahead of the worst by at least 0.15 in
``health`` with the interval above 0.10, and in task progress by at least a fifth of the worst's progress; each
dilemma's best and worst options at least 0.05 apart in ``health`` or in the concerned partners' trust. The tables
say per row whether it holds. Nothing is tuned here: this measures the scenarios and dilemmas as they are (the
training data were changed to meet the criteria where the model allows it; docs/training.md says which are met).
"""

from __future__ import annotations

import argparse
import copy
import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from experiments.training.dilemmas import Dilemma, load_builtin_dilemmas
from experiments.training.play import TrainingPlay
from experiments.training.scenarios import TrainingScenario, list_training_scenarios, load_training_scenario
from model.constants import CONSTANTS

STRATEGIES = ("none", "task_focus", "relation_focus", "balanced", "adaptive")
HEALTH_MARGIN, HEALTH_INTERVAL, TASK_SHARE, DILEMMA_MARGIN = 0.15, 0.10, 0.2, 0.05
#: A faster model, for ``--pace`` only: the interventions' effect sizes and the rate at which partners adapt, each at
#: the top of its plausible range (``model/constants.py``).
PACE_CONSTANTS = {
    name: CONSTANTS[name].high
    for name in (
        "adaptation_rate",
        "vision_understanding",
        "vision_convergence",
        "covenant_frame_clarity",
        "role_division_frame_clarity",
        "dialogue_blame_relief",
        "dialogue_accountability",
        "info_structure_gain",
        "contact_understanding",
        "contact_evidence",
        "expectation_management_share",
        "equal_footing_gain",
        "recognize_interests_understanding",
        "recognize_interests_recognition",
        "equal_footing_recognition",
    )
}
PACE_HORIZONS = (12, 18, 26)


@dataclass
class ScenarioRow:
    scenario: str
    health: dict[str, float]
    task: dict[str, float]
    best: str
    worst: str
    diff: float
    low: float
    high: float
    task_best: str
    task_worst: str
    task_diff: float
    task_share: float

    @property
    def health_holds(self) -> bool:
        """The best strategy leads the worst by at least 0.15 in ``health``, its interval above 0.10."""
        return self.diff >= HEALTH_MARGIN and self.low > HEALTH_INTERVAL

    @property
    def task_holds(self) -> bool:
        """The best strategy leads the worst in task progress by at least a fifth of the worst's progress."""
        return self.task_share >= TASK_SHARE

    @property
    def holds(self) -> bool:
        return self.health_holds and self.task_holds


@dataclass
class DilemmaRow:
    dilemma: str
    firings: int
    scenarios: list[str]
    health: dict[str, float]
    trust: dict[str, float]

    @property
    def health_gap(self) -> float:
        return max(self.health.values()) - min(self.health.values()) if self.firings else math.nan

    @property
    def trust_gap(self) -> float:
        return max(self.trust.values()) - min(self.trust.values()) if self.firings else math.nan

    @property
    def holds(self) -> bool:
        return self.firings > 0 and (self.health_gap >= DILEMMA_MARGIN or self.trust_gap >= DILEMMA_MARGIN)


def interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval of paired differences."""
    mean = float(np.mean(x))
    if len(x) < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / math.sqrt(len(x)))
    return mean, mean - half, mean + half


def measure_scenario(t: TrainingScenario, seeds: list[int], weeks: int) -> ScenarioRow:
    """The built-in strategies in one training scenario over paired seeds."""
    health = {s: np.zeros(len(seeds)) for s in STRATEGIES}
    task = {s: np.zeros(len(seeds)) for s in STRATEGIES}
    for k, seed in enumerate(seeds):
        for s in STRATEGIES:
            model = t.model(seed, s)
            model.run_for(weeks)
            health[s][k] = model.last_metrics["health"]
            task[s][k] = model.last_metrics["task_progress"]
    mean_h = {s: float(v.mean()) for s, v in health.items()}
    mean_t = {s: float(v.mean()) for s, v in task.items()}
    best, worst = max(mean_h, key=mean_h.get), min(mean_h, key=mean_h.get)  # type: ignore[arg-type]
    diff, low, high = interval(health[best] - health[worst])
    task_best, task_worst = max(mean_t, key=mean_t.get), min(mean_t, key=mean_t.get)  # type: ignore[arg-type]
    task_diff = mean_t[task_best] - mean_t[task_worst]
    return ScenarioRow(
        t.name,
        mean_h,
        mean_t,
        best,
        worst,
        diff,
        low,
        high,
        task_best,
        task_worst,
        task_diff,
        task_diff / mean_t[task_worst] if mean_t[task_worst] > 0 else math.inf,
    )


def health_gaps(
    t: TrainingScenario, seeds: list[int], horizons: tuple[int, ...], constants: dict[str, float] | None = None
) -> list[tuple[float, float]]:
    """The best strategy's lead over the worst in ``health`` (mean paired difference, lower end of its 95%
    interval) at each horizon, best and worst chosen at that horizon; ``constants`` override the model's."""
    health = {s: np.zeros((len(seeds), len(horizons))) for s in STRATEGIES}
    for k, seed in enumerate(seeds):
        for s in STRATEGIES:
            model = t.model(seed, s, constants=constants)
            done = 0
            for h, weeks in enumerate(horizons):
                model.run_for(weeks - done)
                done = weeks
                health[s][k, h] = model.last_metrics["health"]
    out = []
    for h in range(len(horizons)):
        mean = {s: float(v[:, h].mean()) for s, v in health.items()}
        best, worst = max(mean, key=mean.get), min(mean, key=mean.get)  # type: ignore[arg-type]
        diff, low, _ = interval(health[best][:, h] - health[worst][:, h])
        out.append((diff, low))
    return out


def pace_table(scenarios: list[TrainingScenario], seeds: list[int]) -> str:
    """Best against worst strategy in ``health`` at longer horizons, and at 12 weeks of a faster model."""
    head = " | ".join(f"{w} weeks" for w in PACE_HORIZONS)
    lines = [
        f"| training scenario | {head} | 12 weeks, faster model |",
        "|---|" + "---|" * (len(PACE_HORIZONS) + 1),
    ]
    for t in scenarios:
        gaps = health_gaps(t, seeds, PACE_HORIZONS) + health_gaps(t, seeds, (12,), PACE_CONSTANTS)
        cells = " | ".join(f"{d:+.3f} [{low:+.3f}]" for d, low in gaps)
        lines.append(f"| {t.name} | {cells} |")
    return "\n".join(lines)


def concerned_trust(model, bound: dict) -> float:
    """Mean trust over the relations a dilemma concerns: from and to its ``{partner}``, ``{newcomer}`` or
    ``{own}``; for a pair (``{pair_a}``, ``{pair_b}``) the relation between the two, both ways (what the dilemma is
    about is their trust in each other); nobody in particular: the network's active relations."""
    st = model.state
    trust = st.trust()
    names = [str(v) for k, v in bound.items() if k != "pair"]
    pair = bound.get("pair")
    if not names and pair is None:
        return float(trust[st.edge_active].mean()) if st.edge_active.any() else math.nan
    member = np.zeros(st.n, dtype=bool)
    member[[st.index[n] for n in names]] = True
    # their relations, also of a partner that left (its trust as it was when it left)
    edges = member[st.src] | member[st.dst]
    if pair is not None:
        a, b = st.index[pair[0]], st.index[pair[1]]
        edges |= ((st.src == a) & (st.dst == b)) | ((st.src == b) & (st.dst == a))
    return float(trust[edges].mean())


def measure_dilemma(
    dilemma: Dilemma,
    scenarios: list[TrainingScenario],
    seeds: list[int],
    weeks: int,
    after: int,
    strategy: str = "balanced",
) -> DilemmaRow:
    """Each option of one dilemma against the others, ``after`` weeks on, where it fires."""
    health: dict[str, list[float]] = {o.id: [] for o in dilemma.options}
    trust: dict[str, list[float]] = {o.id: [] for o in dilemma.options}
    where: list[str] = []
    for t in scenarios:
        for seed in seeds:
            play = TrainingPlay(t.model(seed, strategy), [dilemma], t.name, t.newcomers)
            while play.firing is None and play.week <= weeks and play.model.running:
                play.step()
            if play.firing is None:
                continue
            where.append(t.name)
            for option in dilemma.options:
                fork = copy.deepcopy(play)
                fork.choose(option.id)
                for _ in range(after):
                    fork.step()
                health[option.id].append(float(fork.model.last_metrics["health"]))
                trust[option.id].append(concerned_trust(fork.model, play.firing.bound))
    firings = len(where)
    return DilemmaRow(
        dilemma.id,
        firings,
        sorted(set(where)),
        {k: float(np.nanmean(v)) if v else math.nan for k, v in health.items()},
        {k: float(np.nanmean(v)) if v else math.nan for k, v in trust.items()},
    )


def scenario_table(rows: list[ScenarioRow]) -> str:
    lines = [
        "| training scenario | best (health) | worst | health best − worst [95% CI] | best (task) | worst | task "
        "best − worst (share of worst) | health holds | task holds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scenario} | {r.best} {r.health[r.best]:.3f} | {r.worst} {r.health[r.worst]:.3f} | "
            f"{r.diff:+.3f} [{r.low:+.3f}, {r.high:+.3f}] | {r.task_best} {r.task[r.task_best]:.4f} | "
            f"{r.task_worst} {r.task[r.task_worst]:.4f} | {r.task_diff:+.4f} ({100 * r.task_share:.0f}%) | "
            f"{'yes' if r.health_holds else 'no'} | {'yes' if r.task_holds else 'no'} |"
        )
    return "\n".join(lines)


def dilemma_table(rows: list[DilemmaRow]) -> str:
    lines = [
        "| dilemma | fired (of runs) | best option (health) | worst | health gap | concerned trust gap | holds |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if not r.firings:
            lines.append(f"| {r.dilemma} | 0 | – | – | – | – | no |")
            continue
        best = max(r.health, key=r.health.get)  # type: ignore[arg-type]
        worst = min(r.health, key=r.health.get)  # type: ignore[arg-type]
        lines.append(
            f"| {r.dilemma} | {r.firings} | {best} {r.health[best]:.3f} | {worst} {r.health[worst]:.3f} | "
            f"{r.health_gap:.3f} | {r.trust_gap:.3f} | {'yes' if r.holds else 'no'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.training.measure", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="paired seeds 1..N (default 20)")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of a session (default 12)")
    parser.add_argument("--after", type=int, default=4, help="weeks after a dilemma's choice (default 4)")
    parser.add_argument(
        "--strategy",
        choices=(*STRATEGIES, "manual"),
        default="balanced",
        help="who spends the hours the dilemmas leave (default balanced; manual: nobody, only the options act)",
    )
    parser.add_argument(
        "--pace",
        action="store_true",
        help="only the pace table: best against worst strategy at 12, 18 and 26 weeks, and in a faster model",
    )
    args = parser.parse_args(argv)
    seeds = list(range(1, args.seeds + 1))
    scenarios = [load_training_scenario(n) for n in list_training_scenarios()]
    if args.pace:
        print(
            f"Best against worst built-in strategy in health, mean paired difference [lower end of its 95% "
            f"interval], {len(seeds)} paired seeds:\n"
        )
        print(pace_table(scenarios, seeds))
        return 0
    rows = [measure_scenario(t, seeds, args.weeks) for t in scenarios]
    print(f"Built-in strategies after {args.weeks} weeks, {len(seeds)} paired seeds:\n")
    print(scenario_table(rows))
    dilemmas = load_builtin_dilemmas()
    drows = [measure_dilemma(d, scenarios, seeds, args.weeks, args.after, args.strategy) for d in dilemmas]
    runs = len(scenarios) * len(seeds)
    print(
        f"\nDilemmas: best against worst option {args.after} weeks after the choice, the {args.strategy} strategy "
        f"spending the other hours (of {runs} runs):\n"
    )
    print(dilemma_table(drows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
