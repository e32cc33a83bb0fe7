"""Training: session files, their replay and the debrief, for the dashboard and the command line alike.

    session.py   a trainee's session (world, horizon, decisions per week): JSON files, checks, exact replay
    debrief.py   the same world under the built-in strategies, and the weeks where the trainee's choices mattered
    export.py    the debrief as a figure, PNG and self-contained HTML page
    texts.py     the debrief's Dutch and English texts
    command.py   ``netwerkregie debrief SESSION.json --out debrief.html``

Nothing here draws a page: ``dashboards/training.py`` shows these results; ``experiments/cli.py`` registers the
command (:func:`experiments.training.command.add_parser`).
"""
