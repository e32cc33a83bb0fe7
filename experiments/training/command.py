"""``netwerkregie debrief SESSION.json --out debrief.html``: the debrief of a saved training session, without a
browser.

The session file is read exactly as the dashboard reads an uploaded one (:func:`read_session_file`: its size,
every field, the scenario and the decisions, under :data:`model.inputs.DASHBOARD_LIMITS`, which ``--limit``
does not raise) and replayed; the debrief is computed as in the Training tab and written as the same
self-contained HTML page. The output file is checked before the work and written atomically.
"""

from __future__ import annotations

import argparse
from pathlib import Path

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

    out = check_output_file(args.out, "--out", (".html", ".htm"))
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

    with using_limits(DASHBOARD_LIMITS):
        debrief = compute_debrief(session)
    write_debrief_html(debrief, out, args.lang)
    print(f"{debrief.scenario_title} (seed {debrief.seed}): {debrief.weeks} weeks played, {debrief.partners} partners")
    print(tr("best_strategy", args.lang, strategy=strategy_label(debrief.best, args.lang)))
    for line in moment_texts(debrief, args.lang):
        print(f"- {line}")
    print(f"debrief written to {out}")
    return 0
