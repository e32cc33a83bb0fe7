"""``netwerkregie validate``: run the pattern experiments (model spec, sections 8 and 9) and print the table.

Every arm of every pattern (:mod:`experiments.patterns`, one module each) runs over the same seeds (common random
numbers) through :func:`experiments.runner.run_one` on an :class:`experiments.evaluator.Evaluator` (local worker
processes); identical runs shared by several patterns run once. The whole table is corrected for multiple testing
(Holm, family-wise 1%); a check holds when its Holm-adjusted p-value is at most 0.01, its own criterion (e.g. the
inverted U's two bootstrap standard errors) is met and its effect clears the smallest effect of interest its pattern
declares for it (:class:`experiments.patterns.common.Check`, which also labels it emergent, by construction or
verification). A completed validation exits with status 0 whatever it finds,
and prints how many patterns hold. Each pattern draws its own figure; the pattern sections of docs/validation.md are
written by :mod:`experiments.patterns.page`.

    netwerkregie validate [--quick] [--figures DIR] [--doc PAGE] [--workers N]
    python -m experiments.validate [--quick] [--figures DIR] [--doc PAGE] [--workers N]

With ``--holdout`` the same command runs the hold-out patterns H1-H5 of docs/holdout.md instead
(:mod:`experiments.holdout`); with ``--docking`` the docking study of docs/validation.md (:mod:`experiments.docking`);
with ``--ablation`` each pattern with the mechanism switch it is evidence for off, beside it on
(:mod:`experiments.ablation`); with ``--robustness`` the robustness study over every calibration constant
(:mod:`experiments.robustness`).

Both take the options of :func:`add_arguments`, declared in :mod:`experiments.validate_options` so that the command
line can offer them without loading the pattern modules.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from experiments import patterns as pt
from experiments.pattern_runs import collect_tasks, execute, judge, results_by_pattern
from experiments.patterns import page, plotting
from experiments.patterns.common import number_text, p_text, sesoi_text
from experiments.patterns.p07m_strategy_map import table_text
from experiments.validate_options import add_arguments
from model.inputs import InputError, check_output_folder

ALPHA = pt.ALPHA
#: The options of ``--robustness`` alone.
ROBUSTNESS_ONLY = ("points", "seeds", "trajectories", "steps", "store", "scheduler")


def evaluate(
    cfg: pt.Config,
    results: dict[str, dict[str, Any]],
    layout: dict[tuple[str, str, str], list[str]],
    patterns: Sequence[pt.Pattern] | None = None,
    reproductions: Sequence[pt.SubMechanism] | None = None,
) -> tuple[list[pt.Row], dict[str, dict[str, dict[str, list]]], dict[str, Any]]:
    """All rows (Holm-corrected), the results by pattern -> scenario -> arm, and the sub-mechanism data."""
    patterns = pt.EXPERIMENTS if patterns is None else patterns
    reproductions = pt.REPRODUCTIONS if reproductions is None else reproductions
    by_pattern = results_by_pattern(results, layout)
    rows: list[pt.Row] = []
    for pattern in patterns:
        for scenario in pattern.scenarios:
            new = pattern.evaluate(by_pattern[pattern.key][scenario], scenario, cfg)
            pt.declare(new, pattern.checks)
            _note_dissolved(new, by_pattern[pattern.key][scenario])
            rows += new
    sub_data: dict[str, Any] = {}
    for sub in reproductions:
        sub_rows, data = sub.run(cfg)
        pt.declare(sub_rows, sub.checks)
        rows += sub_rows
        sub_data[sub.key] = data
    judge(rows)
    return rows, by_pattern, sub_data


def dissolved_runs(arms: dict[str, list[dict[str, Any]]]) -> tuple[int, int]:
    """Runs of a pattern's scenario that ended without an active partner, and all its runs. Their concepts are
    missing (NaN, ODD 7.8): a paired test leaves those pairs out (``one_sample_greater`` keeps finite
    differences), and :func:`evaluate` says so in the rows' notes."""
    runs = [r for results in arms.values() for r in results]
    return sum(1 for r in runs if r["final"].get("active_partners", 1.0) == 0), len(runs)


def _note_dissolved(rows: list[pt.Row], arms: dict[str, list[dict[str, Any]]]) -> None:
    dissolved, total = dissolved_runs(arms)
    if dissolved:
        note = f"{dissolved} of {total} runs ended without active partners (concepts missing, left out of pairs)"
        for r in rows:
            r.note = f"{r.note}; {note}" if r.note else note


def format_table(rows: list[pt.Row]) -> str:
    """The validation table as fixed-width text."""
    head = ("pattern", "check", "label", "scenario", "effect", "SESOI", "d", "p", "p (Holm)", "holds", "note")
    lines = []
    cells = []
    for r in rows:
        cells.append(
            (
                r.pattern,
                r.check,
                r.label,
                pt.SCENARIO_LABELS.get(r.scenario, r.scenario),
                number_text(r.effect),
                sesoi_text(r.sesoi, r.at_most),
                number_text(r.effect_size, 2),
                p_text(r.p_value),
                p_text(r.p_holm),
                "yes" if r.holds else "NO",
                r.note,
            )
        )
    widths = [max(len(str(c[k])) for c in [head, *cells]) for k in range(len(head))]
    for c in [head, tuple("-" * w for w in widths), *cells]:
        lines.append("  ".join(str(x).ljust(w) for x, w in zip(c, widths, strict=True)).rstrip())
    return "\n".join(lines)


def format_map(by_pattern: dict[str, Any], markdown: bool = False) -> str:
    """The pattern-7 map: per point, task progress of balanced minus relation_focus and its one-sided p-value."""
    return table_text(by_pattern[pt.MAP_PATTERN.key][pt.MAP_SCENARIO], markdown)


def failing_scenarios(rows: list[pt.Row]) -> set[tuple[str, str]]:
    """The (pattern, scenario) pairs with a check that does not hold."""
    return {(r.pattern, r.scenario) for r in rows if not r.holds}


def known_failures(patterns: Sequence[pt.Pattern] | None = None) -> set[tuple[str, str]]:
    """The (pattern, scenario) pairs the pattern modules declare as known not to hold (``Pattern.known_failures``)."""
    return {(p.key, s) for p in (pt.PATTERNS if patterns is None else patterns) for s in p.known_failures}


def summary(rows: list[pt.Row], patterns: Sequence[pt.Pattern] | None = None) -> tuple[int, int, list[str]]:
    """Patterns holding in every scenario they apply to, how many there are, and the failing ones."""
    keys = [p.key for p in (pt.PATTERNS if patterns is None else patterns) if p.part_of is None]
    failing = [k for k in keys if not all(r.holds for r in rows if r.pattern == k)]
    return len(keys) - len(failing), len(keys), failing


def label_counts(rows: list[pt.Row], keys: Sequence[str] | None = None) -> dict[str, tuple[int, int]]:
    """Per label (emergent, by construction, verification): checks holding and checks, over the rows of the given
    patterns (default: every row)."""
    chosen = [r for r in rows if keys is None or r.pattern in keys]
    return {
        label: (sum(r.holds for r in chosen if r.label == label), sum(r.label == label for r in chosen))
        for label in pt.LABELS
    }


def counts_text(counts: dict[str, tuple[int, int]]) -> str:
    """``emergent 60 of 70, by construction 80 of 90, verification 4 of 4`` (labels without checks left out)."""
    return ", ".join(f"{label} {held} of {total}" for label, (held, total) in counts.items() if total)


def validate(
    cfg: pt.Config,
    workers: int | None = None,
    progress: bool = True,
    patterns: Sequence[pt.Pattern] | None = None,
    reproductions: Sequence[pt.SubMechanism] | None = None,
) -> tuple[list[pt.Row], Any, Any]:
    """Run the whole validation (or the given patterns and sub-mechanisms); returns (rows, results by pattern,
    sub-mechanism data)."""
    patterns = pt.EXPERIMENTS if patterns is None else patterns
    tasks, layout = collect_tasks(cfg, patterns)
    results = execute(tasks, workers, progress)
    return evaluate(cfg, results, layout, patterns, reproductions)


def write_figures(
    folder: Path,
    rows: list[pt.Row],
    by_pattern: dict[str, Any],
    sub_data: dict[str, Any],
    cfg: pt.Config,
    plugins: Sequence[pt.Pattern | pt.SubMechanism] | None = None,
) -> list[Path]:
    """Draw every pattern's figure (the pattern-7 map's and the sub-mechanisms' too); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for plugin in pt.PLUGINS if plugins is None else plugins:
        data = sub_data[plugin.key] if isinstance(plugin, pt.SubMechanism) else by_pattern[plugin.key]
        written.append(plotting.save(plugin.draw(data, cfg), folder / plugin.figure))
    return written


def _check_page(path: str, quick: bool) -> Path:
    """The page ``--doc`` will rewrite: readable, with the markers of its generated part, for a full run."""
    if quick:
        raise InputError("--doc writes the tables of the full validation into the page; leave out --quick")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"--doc {path}: cannot read it ({getattr(e, 'strerror', None) or e})") from None
    try:
        page.split(text)
    except ValueError:
        raise InputError(
            f"--doc {path}: the page has no generated part (the two marker lines of experiments.patterns.page)"
        ) from None
    return Path(path)


def main(args: argparse.Namespace) -> int:
    """Entry point of ``netwerkregie validate`` (``--holdout``: :func:`experiments.holdout.main`; ``--docking``:
    :func:`experiments.docking.main`; ``--ablation``: :func:`experiments.ablation.main`)."""
    chosen = [name for name in ("holdout", "docking", "ablation", "robustness") if getattr(args, name, False)]
    if len(chosen) > 1:
        raise InputError(f"{' and '.join('--' + n for n in chosen)} are separate runs; give one of them")
    if getattr(args, "robustness", False):
        from experiments import robustness

        return robustness.main(args)
    for name in ROBUSTNESS_ONLY:
        if getattr(args, name, None) is not None:
            raise InputError(f"--{name} applies to --robustness only")
    if getattr(args, "docking", False):
        from experiments import docking

        return docking.main(args)
    if getattr(args, "holdout", False):
        from experiments import holdout

        return holdout.main(args)
    if getattr(args, "ablation", False):
        from experiments import ablation

        return ablation.main(args)
    workers = getattr(args, "workers", None)
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: expected at least 1")
    figures = getattr(args, "figures", None)
    if figures is not None:
        check_output_folder(figures, "--figures")
    quick = getattr(args, "quick", False)
    doc = getattr(args, "doc", None)
    doc_path = _check_page(doc, quick) if doc is not None else None
    cfg = pt.QUICK if quick else pt.FULL
    start = time.perf_counter()
    tasks, _ = collect_tasks(cfg, pt.EXPERIMENTS)
    print(
        f"Validating {len(pt.PATTERNS)} patterns and {len(pt.REPRODUCTIONS)} sub-mechanisms: {len(tasks)} runs, "
        f"{cfg.seeds} paired seeds{' (quick)' if cfg.quick else ''}",
        flush=True,
    )
    rows, by_pattern, sub_data = validate(cfg, workers)
    print(format_table(rows))
    holding, total, failing = summary(rows)
    checks = sum(r.holds for r in rows)
    print(
        f"\n{holding} of {total} patterns hold in every scenario they apply to ({checks} of {len(rows)} checks hold; "
        f"Holm, family-wise {ALPHA:g}, and each effect clearing its smallest effect of interest); "
        f"{time.perf_counter() - start:.0f} s"
    )
    pattern_keys = [p.key for p in pt.PATTERNS]
    print("checks of the patterns holding: " + counts_text(label_counts(rows, pattern_keys)))
    print("checks of the sub-mechanisms holding: " + counts_text(label_counts(rows, [s.key for s in pt.REPRODUCTIONS])))
    if failing:
        print("not holding: pattern " + ", ".join(failing))
        known = known_failures()
        found = failing_scenarios(rows)
        for key, scenario in sorted(found & known):
            print(f"  pattern {key} in {scenario}: known not to hold (docs/validation.md, section {key})")
        for key, scenario in sorted(found - known):
            print(f"  pattern {key} in {scenario}: NOT HOLDING, and not known before")
        for key, scenario in sorted(known - found):
            print(f"  pattern {key} in {scenario}: known not to hold, but holds now: update its module")
    for pattern in pt.EXPERIMENTS:
        if pattern.report is not None:
            print("\n" + pattern.report(by_pattern[pattern.key], cfg, False))
    if figures is not None:
        written = write_figures(Path(figures), rows, by_pattern, sub_data, cfg)
        print(f"{len(written)} figures written to {figures}")
    if doc_path is not None:
        page.write(doc_path, rows, by_pattern, cfg)
        print(f"the pattern sections of {doc_path} rewritten")
    return 0


def command_line(argv: list[str] | None = None) -> int:
    """``python -m experiments.validate``: the validation with ``--doc``; bad input is one line and exit 2."""
    parser = argparse.ArgumentParser(prog="python -m experiments.validate", description=__doc__.split("\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return main(args)
    except InputError as e:
        print(f"{parser.prog}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    from experiments.validate import command_line as run  # the workers import the modules by name, not __main__

    sys.exit(run())
