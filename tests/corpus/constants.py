"""Bad calibration constants: ``--constant NAME=VALUE`` on ``run`` and ``compare``, and the ``[constants]`` table of a
sweep specification. Every refusal names the constant; a few good controls.

Runs are one week long and sweeps are dry runs, so every case is quick.
"""

from __future__ import annotations

from tests.corpus import Case

RUN = ("run", "jeugdaanpak", "--steps", "1")
COMPARE = ("compare", "jeugdaanpak", "{variant.toml}", "--replications", "2", "--steps", "1", "--workers", "1")
VARIANT = {"variant.toml": 'name = "niets"\n'}
DRY = ("sweep", "{spec.toml}", "--out", "{tmp}/out", "--dry-run")
GRID = 'scenario = "jeugdaanpak"\nsteps = 2\n\n[parameters]\nkappa = [1.0, 2.0]\n\n[constants]\n'
LHS = 'scenario = "jeugdaanpak"\nsteps = 2\n\n[design]\nkind = "lhs"\nsamples = 4\n\n[constants]\n'


def _run(case_id: str, assignment: str, message: str, exit: int = 2) -> Case:
    return Case(id=f"run-constant-{case_id}", argv=(*RUN, "--constant", assignment), exit=exit, message=message)


def _compare(case_id: str, assignment: str, message: str, exit: int = 2) -> Case:
    return Case(
        id=f"compare-constant-{case_id}",
        argv=(*COMPARE, "--constant", assignment),
        files=VARIANT,
        exit=exit,
        message=message,
    )


def _spec(case_id: str, text: str, message: str, exit: int = 2) -> Case:
    return Case(id=f"spec-constants-{case_id}", argv=DRY, files={"spec.toml": text}, exit=exit, message=message)


CASES = [
    # ---- good controls ----------------------------------------------------------------------------------------
    _run("good", "met_tolerance=0.2", "", exit=0),
    _run("good-integer", "expectation_management_weeks=4", "", exit=0),
    _spec("good-grid", GRID + "met_tolerance = [0.1, 0.3]\nsynergy = 0.8\n", "", exit=0),
    _spec("good-lhs-range", LHS + "met_tolerance = { min = 0.1, max = 0.35 }\n", "", exit=0),
    # ---- run --------------------------------------------------------------------------------------------------
    _run("unknown", "met_tolerence=0.2", r"unknown constant 'met_tolerence'; did you mean 'met_tolerance'"),
    _run("unknown-no-match", "charisma=1", r"--constant: unknown constant 'charisma'"),
    _run("parameter-not-constant", "blame_culture=0.5", r"unknown constant 'blame_culture'"),
    _run("above-domain", "met_tolerance=1.5", r"constant met_tolerance = 1\.5 is outside \[0, 1\]"),
    _run("below-domain", "synergy=-0.5", r"constant synergy = -0\.5 is outside"),
    _run("nan", "met_tolerance=nan", r"constant met_tolerance must be a finite number"),
    _run("inf", "information_bonus=inf", r"constant information_bonus must be a finite number"),
    _run("text", "met_tolerance=high", r"--constant met_tolerance='high': expected a number"),
    _run("empty-value", "met_tolerance=", r"--constant met_tolerance='': expected a number"),
    _run("no-equals", "met_tolerance", r"--constant 'met_tolerance': expected NAME=VALUE"),
    _run("no-name", "=0.2", r"--constant '=0\.2': expected NAME=VALUE"),
    _run(
        "integer-constant-fraction",
        "expectation_management_weeks=2.5",
        r"expectation_management_weeks must be an integer",
    ),
    _run("open-lower-bound", "work_week_hours=0", r"constant work_week_hours = 0\.0 is outside \(0, 168\]"),
    # ---- compare: the same checks, before any run --------------------------------------------------------------
    _compare("unknown", "met_tolerence=0.2", r"unknown constant 'met_tolerence'; did you mean 'met_tolerance'"),
    _compare("above-domain", "base_rate=2", r"constant base_rate = 2\.0 is outside \[0, 1\]"),
    _compare("text", "synergy=lots", r"--constant synergy='lots': expected a number"),
    # ---- the [constants] table of a sweep specification ------------------------------------------------------------
    _spec("unknown", GRID + "met_tolerence = 0.2\n", r"\[constants\].*unknown constant 'met_tolerence'; did you mean"),
    _spec("not-a-table", "constants = 3\n" + GRID.replace("[constants]\n", ""), r"constants = 3 .*expected a table"),
    _spec(
        "under-parameters",
        'scenario = "jeugdaanpak"\n[parameters]\nmet_tolerance = [0.1, 0.2]\n',
        r"met_tolerance under \[parameters\] is a calibration constant; put it under \[constants\]",
    ),
    _spec("outside-domain-in-list", GRID + "met_tolerance = [0.1, 1.5]\n", r"constant met_tolerance = 1\.5 is outside"),
    _spec("outside-domain-fixed", GRID + "synergy = -1\n", r"constant synergy = -1\.0 is outside"),
    _spec("nan", GRID + "met_tolerance = nan\n", r"constant met_tolerance must be a finite number"),
    _spec("text", GRID + 'met_tolerance = "high"\n', r"constant met_tolerance must be a number, got 'high'"),
    _spec("boolean", GRID + "met_tolerance = true\n", r"constant met_tolerance must be a number"),
    _spec(
        "repeated",
        GRID + "met_tolerance = [0.1, 0.1]\n",
        r"constant met_tolerance = \[0\.1, 0\.1\]: a value is repeated",
    ),
    _spec("empty-list", GRID + "met_tolerance = []\n", r"constant met_tolerance = \[\]: expected at least one value"),
    _spec("range-in-grid", GRID + "met_tolerance = { min = 0.1, max = 0.3 }\n", r"constant met_tolerance is a range"),
    _spec(
        "range-keys", LHS + "met_tolerance = { low = 0.1, high = 0.3 }\n", r"constant met_tolerance = .*min = \.\.\."
    ),
    _spec("range-reversed", LHS + "met_tolerance = { min = 0.3, max = 0.1 }\n", r"constant met_tolerance: range min"),
    _spec(
        "range-outside", LHS + "met_tolerance = { min = 0.1, max = 3 }\n", r"constant met_tolerance = 3\.0 is outside"
    ),
    _spec(
        "integer-range-fraction",
        LHS + "expectation_management_weeks = { min = 2.5, max = 8 }\n",
        r"constant expectation_management_weeks must be an integer",
    ),
    _spec("lhs-without-range", LHS + "met_tolerance = [0.1, 0.2]\n", r"design lhs needs at least one range"),
]
