"""Ablation: each pattern with the mechanism it is claimed to be evidence for switched off.

The declaration (:data:`EVIDENCE`, :data:`NONE_SWITCHABLE`) names, per pattern, the mechanism switches
(:mod:`model.switches`, ODD 7.14) whose mechanism the pattern is claimed to be evidence for. It was committed before
any ablation with its switches was run: the second version's five patterns first, the first version's mechanisms
(patterns 1, 2, 4, 7, 8, 11) in a commit of their own, with their switches and neutral forms, before their run. The
expectation is the same for every entry: the pattern's checks hold with every switch on (as in the validation) and
its emergent checks fail with the switch off (its neutral form, ODD 7.14). A pattern is evidence for a mechanism only
where that is what happens.
"""

from __future__ import annotations

import argparse
import datetime
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from experiments.page_parts import PagePart, check_options, text_table, write_part

#: Pattern key -> the switches whose mechanism it is claimed to be evidence for.
EVIDENCE: dict[str, tuple[str, ...]] = {
    # A higher blame culture means fewer incidents accounted for; what follows an incident that is not accounted for
    # (negative evidence both ways, the blamed partner closing, respect and equality lost, the blame level rising,
    # escalation) is what lowers trust and task progress. With blame's effects off, a blame culture only turns fewer
    # incidents into learning.
    "1": ("blame",),
    # The peak of task progress at an intermediate sharing rate is the overload penalty cutting work beyond a load of
    # 1 (by construction); without it the benefit of information only saturates.
    "2": ("overload",),
    # task_focus loses task progress to balanced through what negotiating the role division costs (commitment of
    # every partner, equality of the less powerful) against what its clearer frames give.
    "4": ("role_division_costs",),
    # balanced beats task_focus through role division's costs (pattern 4); it beats relation_focus where incidents and
    # blame limit through its accountability dialogue against blame's effects. "balanced beats none" rests on every
    # intervention together and is claimed for no switch.
    "7": ("role_division_costs", "blame"),
    # Clear frames raise task progress in a committed network through freedom's effort bonus, and lower trust in an
    # uncommitted one through misuse; with freedom acting on nothing, frame clarity has no other path to either.
    "8": ("freedom",),
    # Shared governance wins in small networks and the network organisation in large ones because the coordination
    # of shared governance grows with the size (coordination_factor) while the organisation's overhead is shared.
    "11": ("coordination_costs",),
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

#: Patterns without a switchable mechanism, and why.
NONE_SWITCHABLE: dict[str, str] = {
    "3": "its checks are beta-reputation algebra computed outside the simulation (recovery_ticks on the evidence of a "
    "snapshot): no switch of the simulation can change them",
    "9": "its checks are by construction (stake and relations are written into commitment_target, coverage into "
    "task_rate); switching exits off would leave no exit order to measure, not a neutral form of the claim",
    "10": "its checks are by construction: beta-reputation algebra of the prior weight W computed outside the "
    "simulation, and expectation management's own equation",
}

#: What is expected of every declared (pattern, switch): its checks hold with the switch on and fail with it off.
#: Only an emergent check that does so is evidence for the mechanism in the sense of the validation; a check by
#: construction that does so shows that the switch reaches the equation the check rests on.
EXPECTATION = "holds with the switch on, fails with the switch off"


# ---------------------------------------------------------------------------------------------------------------
# Running the ablation (everything below was written after the declaration above was committed)
# ---------------------------------------------------------------------------------------------------------------

#: Markers of the generated part of the Ablation section of docs/validation.md.
BEGIN = "<!-- ablation: generated by `netwerkregie validate --ablation --doc docs/validation.md`, do not edit -->"
END = "<!-- ablation: end of the generated part -->"
PART = PagePart(BEGIN, END, "ablation", "experiments.ablation", "the table of the full ablation")
FIGURE = "validation_ablation.png"

EVIDENCE_FOR, STILL_HOLDS, NOT_WITH_IT = "evidence for {}", "still holds without it", "does not hold with it"


def switched_off(arm: Any, switch: str) -> Any:
    """The arm with ``switch`` off; the arm's own setting of every other switch is kept."""
    params = dict(arm.params)
    params["switches"] = {**dict(params.get("switches") or {}), switch: False}
    return replace(arm, params=params)


def ablated(pattern: Any, switch: str) -> Any:
    """The pattern with ``switch`` off in every arm, under a key of its own (``"12 without layers"``)."""
    return replace(
        pattern,
        key=f"{pattern.key} without {switch}",
        arms=lambda scenario, cfg: [switched_off(a, switch) for a in pattern.arms(scenario, cfg)],
    )


@dataclass
class AblationRow:
    """One check of a declared (pattern, switch): with the switch on and off, over the same seeds."""

    pattern: str
    switch: str
    check: str
    label: str
    scenario: str
    effect_on: float
    effect_off: float
    sesoi: float
    at_most: bool
    holds_on: bool
    holds_off: bool

    @property
    def verdict(self) -> str:
        if not self.holds_on:
            return NOT_WITH_IT
        return STILL_HOLDS if self.holds_off else EVIDENCE_FOR.format(self.switch)


def pairs(evidence: Mapping[str, Sequence[str]] | None = None, patterns: Sequence[Any] | None = None) -> list:
    """The declared (pattern, switch) pairs, in the order of the patterns."""
    from experiments import patterns as pt

    evidence = EVIDENCE if evidence is None else evidence
    chosen = pt.PATTERNS if patterns is None else patterns
    return [(p, s) for p in chosen for s in evidence.get(p.key, ())]


def run_ablation(
    cfg: Any,
    workers: int | None = None,
    progress: bool = True,
    evidence: Mapping[str, Sequence[str]] | None = None,
    patterns: Sequence[Any] | None = None,
) -> tuple[list[AblationRow], int]:
    """Run every declared pattern with every switch on and with its switch off (same paired seeds) and evaluate its
    checks as the validation does: its own criteria, the smallest effects of interest, and Holm over the whole
    ablation table (on and off rows together). Returns the rows and the number of runs."""
    from experiments import pattern_runs
    from experiments import patterns as pt

    chosen = pairs(evidence, patterns)
    on_patterns = list({p.key: p for p, _ in chosen}.values())
    off_patterns = [ablated(p, s) for p, s in chosen]
    tasks, layout = pattern_runs.collect_tasks(cfg, [*on_patterns, *off_patterns])
    results = pattern_runs.execute(tasks, workers, progress)
    by_pattern = pattern_runs.results_by_pattern(results, layout)
    evaluated: dict[str, list[pt.Row]] = {}
    for pattern in [*on_patterns, *off_patterns]:
        rows: list[pt.Row] = []
        for scenario in pattern.scenarios:
            new = pattern.evaluate(by_pattern[pattern.key][scenario], scenario, cfg)
            pt.declare(new, pattern.checks)
            rows += new
        evaluated[pattern.key] = rows
    every = [r for p in on_patterns for r in evaluated[p.key]] + [r for p in off_patterns for r in evaluated[p.key]]
    pattern_runs.judge(every)
    table = []
    for (pattern, switch), off in zip(chosen, off_patterns, strict=True):
        for a, b in zip(evaluated[pattern.key], evaluated[off.key], strict=True):
            if (a.check, a.scenario) != (b.check, b.scenario):
                raise ValueError(f"pattern {pattern.key}: its rows differ with {switch} off ({a.check!r}, {b.check!r})")
            table.append(
                AblationRow(
                    pattern.key, switch, a.check, a.label, a.scenario, a.effect, b.effect, a.sesoi, a.at_most,
                    a.holds, b.holds,
                )
            )  # fmt: skip
    return table, len(tasks)


def verdict_key(r: AblationRow) -> tuple[str, str, str, str]:
    """The key of a row in :data:`experiments.ablation_known.KNOWN`: (pattern, switch, check, scenario)."""
    return (r.pattern, r.switch, r.check, r.scenario)


def short_verdict(r: AblationRow) -> str:
    """``evidence``, ``still holds`` or ``not with it``."""
    if r.verdict.startswith("evidence"):
        return "evidence"
    return "still holds" if r.verdict == STILL_HOLDS else "not with it"


def unexpected(rows: Sequence[AblationRow], known: Mapping[tuple[str, str, str, str], str] | None = None) -> list[str]:
    """Where a full run's verdicts differ from those the page reports (:data:`experiments.ablation_known.KNOWN`):
    one line per row whose verdict differs, per row that is new and per known row that is missing."""
    from experiments.ablation_known import KNOWN

    known = KNOWN if known is None else known
    found = {verdict_key(r): short_verdict(r) for r in rows}
    differ = [k for k in found if k in known and found[k] != known[k]]
    lines = [f"{' / '.join(k)}: {found[k]}, the page reports {known[k]}" for k in differ]
    lines += [f"{' / '.join(k)}: {found[k]}, not on the page" for k in found if k not in known]
    lines += [f"{' / '.join(k)}: on the page ({known[k]}), not in the run" for k in known if k not in found]
    return lines


def table_text(rows: Sequence[AblationRow], markdown: bool = False) -> str:
    """The ablation table, fixed-width or markdown."""
    from experiments.patterns.common import SCENARIO_LABELS, number_text, sesoi_text

    head = ("pattern", "switch off", "check", "label", "scenario", "effect on", "effect off", "SESOI", "holds on",
            "holds off", "verdict")  # fmt: skip
    cells = [
        (
            r.pattern,
            f"`{r.switch}`" if markdown else r.switch,
            r.check,
            r.label,
            SCENARIO_LABELS.get(r.scenario, r.scenario),
            number_text(r.effect_on),
            number_text(r.effect_off),
            sesoi_text(r.sesoi, r.at_most),
            "yes" if r.holds_on else "NO",
            "yes" if r.holds_off else "NO",
            r.verdict,
        )
        for r in rows
    ]
    return text_table(head, cells, markdown)


def counts(rows: Sequence[AblationRow]) -> dict[str, dict[str, int]]:
    """Per label, how many checks get each verdict (the switch's name left out)."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        verdict = "evidence" if r.verdict.startswith("evidence") else r.verdict
        out.setdefault(r.label, {}).setdefault(verdict, 0)
        out[r.label][verdict] += 1
    return out


def counts_text(rows: Sequence[AblationRow]) -> str:
    return "; ".join(
        f"{label}: " + ", ".join(f"{n} {v}" for v, n in sorted(by.items())) for label, by in counts(rows).items()
    )


#: Panels per line of the figure.
COLUMNS = 4


def page_rows(path: Path) -> list[AblationRow]:
    """The rows of the generated ablation table of a page (effects as printed, to three decimals): what the figure
    is drawn from when it is redrawn without rerunning the ablation."""
    from experiments.patterns.common import SCENARIO_LABELS

    scenario_of = {label: key for key, label in SCENARIO_LABELS.items()}
    text = path.read_text(encoding="utf-8")
    _, begun, rest = text.partition(BEGIN)
    part, ended, _ = rest.partition(END)
    if not begun or not ended:
        raise PART.missing(path)
    rows = []
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 11 or not cells[0].isdigit():
            continue
        pattern, switch, check, label, scenario, on, off, sesoi, holds_on, holds_off, _ = cells
        bound, _, value = sesoi.partition(" ")
        rows.append(
            AblationRow(
                pattern, switch.strip("`"), check, label, scenario_of.get(scenario, scenario), _number(on),
                _number(off), _number(value), bound == "<=", holds_on == "yes", holds_off == "yes",
            )
        )  # fmt: skip
    return rows


def _number(text: str) -> float:
    """A number as :func:`experiments.patterns.common.number_text` prints it (``-``: missing)."""
    return math.nan if text in ("-", "") else float(text)


def draw(rows: Sequence[AblationRow]):
    """Effect with the switch on against off, one point per check and scenario, one panel per (pattern, switch)."""
    from experiments.patterns import plotting

    plt = plotting.pyplot()
    groups = list(dict.fromkeys((r.pattern, r.switch) for r in rows))
    columns = min(COLUMNS, len(groups))
    lines = math.ceil(len(groups) / columns)
    fig, axes = plt.subplots(lines, columns, figsize=(4.6 * columns, 4.2 * lines), squeeze=False)
    for ax in axes.flat[len(groups) :]:
        ax.set_visible(False)
    marks = {"emergent": "o", "by construction": "s", "verification": "^"}
    for ax, (key, switch) in zip(axes.flat, groups, strict=False):
        chosen = [r for r in rows if (r.pattern, r.switch) == (key, switch)]
        finite = [x for r in chosen for x in (r.effect_on, r.effect_off) if math.isfinite(x)]
        low, high = (min([0.0, *finite]), max([0.0, *finite])) if finite else (0.0, 1.0)
        pad = 0.05 * (high - low or 1.0)
        ax.plot([low - pad, high + pad], [low - pad, high + pad], color="grey", lw=0.8, ls=":")
        for k, check in enumerate(dict.fromkeys(r.check for r in chosen)):
            these = [r for r in chosen if r.check == check]
            ax.scatter(
                [r.effect_on for r in these],
                [r.effect_off for r in these],
                marker=marks.get(these[0].label, "o"),
                color=plotting.colour(k),
                label=f"{check[:38]}{'...' if len(check) > 38 else ''} ({these[0].label})",
                s=28,
            )
        sesoi = next((r.sesoi for r in chosen if math.isfinite(r.sesoi)), None)
        if sesoi is not None:
            ax.axhline(sesoi, color="black", lw=0.6, ls="--")
        ax.axhline(0, color="black", lw=0.6)
        ax.set_title(f"{key}: {switch} off", fontsize=10)
        ax.set_xlabel("effect, switch on")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6, loc="upper left")
    for line in axes:
        line[0].set_ylabel("effect, switch off (dashed: SESOI)")
    fig.suptitle("Ablation: each check's effect with its pattern's mechanism on and off (one point per scenario)",
                 fontsize=11)  # fmt: skip
    return plotting.finish(fig)


def block(rows: Sequence[AblationRow], cfg: Any, runs: int, on: str, today: str) -> str:
    """The generated part of the Ablation section."""
    return "\n".join(
        [
            f"Run with `netwerkregie validate --ablation --figures docs/figures --doc docs/validation.md` on revision "
            f"`{on}`, {today}: {runs} runs, {cfg.seeds} paired seeds per arm (the validation's seeds), "
            f"{'each scenario' + chr(39) + 's own horizon' if cfg.steps is None else f'{cfg.steps} weeks'}, "
            f"{cfg.bootstrap} bootstrap resamples; Holm over the ablation table (on and off rows together), "
            "family-wise 0.01, and each effect clearing its smallest effect of interest.",
            "",
            f"Verdicts per label: {counts_text(rows)}.",
            "",
            table_text(rows, markdown=True),
            "",
            f"![Ablation: effects with the switch on and off](figures/{FIGURE})",
        ]
    )


def write_page(path: Path, block: str) -> None:
    """Put ``block`` between the ablation markers of the page."""
    write_part(path, PART, block)


def main(args: argparse.Namespace) -> int:
    """``netwerkregie validate --ablation``: run every declared (pattern, switch), print the table; ``--figures`` and
    ``--doc`` write the figure and the page's generated ablation part."""
    from experiments import patterns as pt
    from experiments.holdout import revision
    from experiments.patterns import plotting

    options = check_options(args, PART)
    workers, quick, figures, doc = options.workers, options.quick, options.figures, options.doc
    on = revision()
    cfg = pt.QUICK if quick else pt.FULL
    start = time.perf_counter()
    chosen = pairs()
    print(
        "Ablation: "
        + ", ".join(f"pattern {p.key} without {s}" for p, s in chosen)
        + f"; {cfg.seeds} paired seeds{' (quick: a smoke test, not evidence)' if quick else ''}",
        flush=True,
    )
    rows, runs = run_ablation(cfg, workers)
    print(table_text(rows))
    print(f"\n{runs} runs in {time.perf_counter() - start:.0f} s; verdicts per label: {counts_text(rows)}")
    if not quick:  # the full run is what the page reports (experiments/ablation_known.py)
        differences = unexpected(rows)
        print("every verdict as the page reports" if not differences else "verdicts that differ from the page's:")
        for line in differences:
            print(f"  {line}")
    if figures is not None:
        Path(figures).mkdir(parents=True, exist_ok=True)
        written = plotting.save(draw(rows), Path(figures) / FIGURE)
        print(f"figure written to {written}")
    if doc is not None:
        write_page(Path(doc), block(rows, cfg, runs, on, datetime.date.today().isoformat()))
        print(f"the ablation part of {doc} rewritten")
    return 0
