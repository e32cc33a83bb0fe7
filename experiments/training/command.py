"""``netwerkregie debrief SESSION.json --out debrief.html`` (or ``netwerkregie training debrief SESSION.json --html
debrief.html``): the printable debrief of a saved training session, without a browser; and ``netwerkregie training
scenarios | check FILE ...``: the training scenarios, and a check of a trainer's own dilemma and training scenario
files (``docs/training.md``).

The session file is read exactly as the dashboard reads an uploaded one (:func:`read_session_file`: its size,
every field, the scenario and the decisions, under :data:`model.inputs.DASHBOARD_LIMITS`, which ``--limit``
does not raise) and replayed; the debrief is computed as in the Training tab and written as the same
self-contained HTML page. The output file is checked before the work and written atomically.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from experiments.texts import strategy_label, tr
from model.inputs import DASHBOARD_LIMITS, InputError, check_output_file, read_input_file, using_limits


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``debrief`` command and its options on the ``netwerkregie`` command's subparsers."""
    p = subparsers.add_parser(
        "debrief",
        help="the debrief of a saved training session as a self-contained HTML page",
        description="Replay a training session saved by the dashboard, compare it with the built-in strategies "
        "in the same world, and write the debrief (figure, end table, the moments that mattered) as HTML.",
    )
    p.add_argument("session", help="a training session saved by the dashboard (.json)")
    p.add_argument("--out", required=True, help="the debrief as a self-contained HTML page (.html)")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="the page's language (default nl)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run ``netwerkregie debrief``: check the output, read and replay the session, write the debrief.

    Raises:
        InputError: a bad session file or output path, or a session without a played week (one line; nothing
            is written).
    """
    from experiments.training.session import read_session_file, without_limit_advice  # the model: when it runs

    option = getattr(args, "out_option", "--out")
    out = check_output_file(args.out, option, (".html", ".htm"))
    shown = Path(args.session).name
    try:
        with using_limits(DASHBOARD_LIMITS):
            data = read_input_file(args.session, "session")
            session = read_session_file(data, shown)
    except InputError as e:
        raise InputError(without_limit_advice(e)) from None
    if session.weeks_played == 0:
        raise InputError(f"session {shown!r} has no played week yet; the debrief needs at least one")

    from experiments.training.debrief import compute_debrief, moment_texts  # matplotlib and the replays: only here
    from experiments.training.export import write_debrief_html
    from experiments.training.story import concept_sentences

    with using_limits(DASHBOARD_LIMITS):
        debrief = compute_debrief(session)
    write_debrief_html(debrief, out, args.lang)
    print(f"{debrief.scenario_title} (seed {debrief.seed}): {debrief.weeks} weeks played, {debrief.partners} partners")
    print(tr("best_strategy", args.lang, strategy=strategy_label(debrief.best, args.lang)))
    for line in moment_texts(debrief, args.lang):
        print(f"- {line}")
    for o in debrief.dilemmas:
        chosen = next((r.label[args.lang] for r in o.rows if r.chosen), "-")
        print(f"week {o.week}: {o.title[args.lang]}: {chosen}")
    if debrief.history is not None:
        for line in concept_sentences(debrief.history, args.lang):
            print(f"- {line}")
    print(f"debrief written to {out}")
    return 0


# ---- netwerkregie training ---------------------------------------------------------------------------------------

TRY_SEEDS = 5


def add_training_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``netwerkregie training`` (``scenarios``, ``check``, ``debrief``) on the ``netwerkregie`` command's
    subparsers."""
    p = subparsers.add_parser(
        "training",
        help="training scenarios and dilemmas: list them, check a trainer's own files",
        description="Training scenarios start in trouble; dilemmas stop a week and ask the director to decide "
        "(docs/training.md).",
    )
    sub = p.add_subparsers(dest="training_command", required=True)
    s = sub.add_parser("scenarios", help="list the training scenarios: name, weeks, partners, newcomers, title")
    s.add_argument("--lang", choices=("nl", "en"), default="nl", help="the titles' language (default nl)")
    s.set_defaults(func=main_scenarios)
    c = sub.add_parser(
        "check",
        help="check dilemma files and training scenario files; exit 2 on a bad file",
        description="Check a trainer's own dilemma files ([[dilemma]] blocks) and training scenario files ([training] "
        "and [scenario] tables). A bad file gets one line naming the file, the line, the field's path and what is "
        "expected; the exit status is then 2.",
    )
    c.add_argument("files", nargs="+", help="dilemma files and training scenario files (.toml)")
    c.add_argument(
        "--try",
        dest="try_scenario",
        default=None,
        metavar="SCENARIO",
        help=f"also play the dilemmas in a training scenario (a name, or one of the files) over {TRY_SEEDS} seeds "
        "with the balanced strategy and their first options, and report the weeks each one fires in",
    )
    c.set_defaults(func=main_check)
    d = sub.add_parser(
        "debrief",
        help="the printable debrief of a saved training session as a self-contained HTML report",
        description="Replay a training session saved by the dashboard and write the debrief a trainer can teach "
        "from: the path beside the built-in strategies, each dilemma with what every option would have done four "
        "weeks on, one sentence per concept on what happened and why, and the moments that mattered (HTML with "
        "print CSS: A4, a page per section). A bad session file: one line naming the problem, exit 2.",
    )
    d.add_argument("session", help="a training session saved by the dashboard (.json)")
    d.add_argument("--html", dest="out", required=True, help="the report as a self-contained HTML page (.html)")
    d.add_argument("--lang", choices=("nl", "en"), default="nl", help="the report's language (default nl)")
    d.set_defaults(func=main, out_option="--html")


def main_scenarios(args: argparse.Namespace) -> int:
    """``netwerkregie training scenarios``: one line per training scenario."""
    from experiments.training.scenarios import list_training_scenarios, load_training_scenario

    for name in list_training_scenarios():
        t = load_training_scenario(name)
        newcomers = ", ".join(t.newcomers) or "-"
        size = f"{t.weeks} weeks\t{len(t.scenario.partners)} partners"
        print(f"{name}\t{size}\tnewcomers: {newcomers}\t{t.title[args.lang]}")
    return 0


def kind_of(text_: str) -> str:
    """Whether a file is "dilemmas" or a training "scenario", by its top-level tables (errors come from parsing)."""
    import re

    if re.search(r"^\s*\[training\]", text_, re.MULTILINE) or re.search(r"^\s*\[scenario\]", text_, re.MULTILINE):
        return "scenario"
    return "dilemmas"


def main_check(args: argparse.Namespace) -> int:
    """``netwerkregie training check FILE ...``: each file checked and reported; 2 if any is bad.

    Raises:
        InputError: ``--try`` names no training scenario.
    """
    from experiments.training.dilemmas import Dilemma, parse_dilemmas, partners_named
    from experiments.training.scenarios import (
        TrainingScenario,
        list_training_scenarios,
        load_training_scenario,
        parse_training_scenario,
    )

    bad = 0
    scenarios: dict[str, TrainingScenario] = {}
    dilemma_sets: list[tuple[str, list[Dilemma]]] = []
    for path in args.files:
        shown = Path(path).name
        try:
            data = read_input_file(path, "training file")
            content = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
            if kind_of(content) == "scenario":
                found = parse_training_scenario(data, shown)
                scenarios[found.name] = found
                print(
                    f"{shown}: ok: training scenario {found.name!r}, {len(found.scenario.partners)} partners, "
                    f"{found.weeks} weeks, newcomers: {', '.join(found.newcomers) or '-'}"
                )
            else:
                dilemmas = parse_dilemmas(data, shown)
                dilemma_sets.append((shown, dilemmas))
                print(f"{shown}: ok: {len(dilemmas)} dilemmas ({', '.join(d.id for d in dilemmas)})")
        except InputError as e:
            bad += 1
            print(f"netwerkregie: {str(e).splitlines()[0][:2000]}", file=sys.stderr)
    # partners a dilemma names literally: it fires only in scenarios that have them
    known = {n for s in scenarios.values() for n in s.scenario.partner_names()}
    if not scenarios:
        known = {n for name in list_training_scenarios() for n in load_training_scenario(name).scenario.partner_names()}
    for shown, dilemmas in dilemma_sets:
        for d in dilemmas:
            missing = sorted(partners_named(d) - known)
            if missing:
                print(
                    f"{shown}: note: dilemma {d.id!r} names {', '.join(missing)}, a partner of none of the "
                    "training scenarios checked: it fires only in a scenario that has them"
                )
    if args.try_scenario is not None and not bad:
        chosen = scenarios.get(args.try_scenario)
        if chosen is None:
            chosen = load_training_scenario(args.try_scenario)
        all_dilemmas = [d for _, ds in dilemma_sets for d in ds]
        if not all_dilemmas:
            raise InputError("--try needs a dilemma file among the files")
        for line in try_dilemmas(chosen, all_dilemmas):
            print(line)
    return 2 if bad else 0


def try_dilemmas(scenario: Any, dilemmas: list[Any], seeds: int = TRY_SEEDS) -> list[str]:
    """Where the dilemmas fire in a training scenario: per dilemma the weeks it fired in, over ``seeds`` seeds
    (the balanced strategy spends the hours; each dilemma is answered with its first option)."""
    from experiments.training.play import TrainingPlay

    fired: dict[str, list[int]] = {d.id: [] for d in dilemmas}
    for seed in range(1, seeds + 1):
        play = TrainingPlay(scenario.model(seed, "balanced"), dilemmas, scenario.name, scenario.newcomers)
        while play.week <= scenario.weeks and play.model.running:
            if play.firing is not None:
                fired[play.firing.dilemma.id].append(play.week)
                play.choose(play.firing.dilemma.options[0].id)
            play.step()
    lines = [f"in {scenario.name} over {seeds} seeds ({scenario.weeks} weeks, balanced strategy, first options):"]
    for d in dilemmas:
        weeks = fired[d.id]
        where = f"fired {len(weeks)} times, in weeks {', '.join(map(str, weeks))}" if weeks else "never fired"
        lines.append(f"  {d.id}: {where}")
    return lines
