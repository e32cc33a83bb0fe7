"""Bad input for ``netwerkregie sweep`` and ``netwerkregie analyze``: specifications, command lines, damaged results
folders (manifests and Parquet files), and a few good controls.

A results folder is the case's temporary folder itself (``--out {tmp}``, ``analyze {tmp}``): the manifest and the
result files below are written there. They belong to the small specification :data:`SPEC` (a grid of two points,
two replications, no time series). Every case is quick: none runs a model (a real sweep starts worker processes,
which takes seconds; the sweep tests run those).
"""

from __future__ import annotations

import io
import json
from typing import Any

from tests.corpus import Case

SPEC = 'scenario = "jeugdaanpak"\nsteps = 2\nreplications = 2\nseed = 3\n\n[parameters]\nkappa = [1.0, 2.0]\n'
RAW = {
    "scenario": "jeugdaanpak",
    "steps": 2,
    "replications": 2,
    "seed": 3,
    "timeseries": False,
    "design": {"kind": "grid", "samples": None},
    "parameters": {"kappa": [1.0, 2.0]},
}
LHS = '[design]\nkind = "lhs"\nsamples = 4\n\n[parameters]\n'  # followed by a range


def manifest(**change: Any) -> str:
    """The manifest of a finished sweep of :data:`SPEC`, with fields changed (``None`` removes one)."""
    doc: dict[str, Any] = {
        "spec": json.loads(json.dumps(RAW)),
        "spec_file": "spec.toml",
        "started": "2026-01-01T00:00:00+00:00",
        "ended": "2026-01-01T00:00:05+00:00",
        "status": "complete",
        "sessions": [{"started": "2026-01-01T00:00:00+00:00", "status": "complete", "git_revision": None}],
        "failed": [],
        "counts": {"points": 2, "replications": 2, "runs": 4, "done": 4, "failed": 0},
    }
    for key, value in change.items():
        if value is None:
            doc.pop(key)
        else:
            doc[key] = value
    return json.dumps(doc, indent=2)


def spec_with(**change: Any) -> dict[str, Any]:
    """The stored specification with fields changed (``None`` removes one)."""
    raw = json.loads(json.dumps(RAW))
    for key, value in change.items():
        if value is None:
            raw.pop(key)
        else:
            raw[key] = value
    return raw


def runs_parquet(change=None) -> bytes:
    """The ``runs.parquet`` of a finished sweep of :data:`SPEC` (4 runs), optionally changed table-wise."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from model import METRICS

    keys = [(0, 0), (0, 1), (1, 0), (1, 1)]
    columns: dict[str, Any] = {
        "run_id": pa.array([f"{p}-{r}" for p, r in keys], pa.string()),
        "point_id": pa.array([p for p, _ in keys], pa.int64()),
        "replication": pa.array([r for _, r in keys], pa.int64()),
        "seed": pa.array([11, 12, 13, 14], pa.int64()),
        "scenario": pa.array(["jeugdaanpak"] * 4, pa.string()),
        "kappa": pa.array([1.0, 1.0, 2.0, 2.0], pa.float64()),
    }
    for j, name in enumerate(METRICS):
        columns[name] = pa.array([0.1 * j + 0.01 * i + 0.2 * (i >= 2) for i in range(4)], pa.float64())
    columns["steps"] = pa.array([2] * 4, pa.int64())
    columns["wall_s"] = pa.array([0.01] * 4, pa.float64())
    table = pa.table(columns)
    if change is not None:
        table = change(table)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _drop_metric(table):
    return table.drop_columns(["trust"])


def _kappa_as_text(table):
    import pyarrow as pa

    return table.set_column(table.schema.get_field_index("kappa"), "kappa", table["kappa"].cast(pa.string()))


def _twice(table):
    import pyarrow as pa

    return pa.concat_tables([table, table.slice(0, 1)])


def _outside(table):
    import pyarrow as pa

    return table.set_column(1, "point_id", pa.array([0, 0, 7, 7], pa.int64()))


def _empty(table):
    return table.slice(0, 0)


def _timeseries_other_schema() -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table({"run_id": ["0-0"], "week": [0]}), sink)
    return sink.getvalue()


GOOD_RUNS = runs_parquet()
SWEEP = ("sweep", "{spec.toml}", "--out", "{tmp}/out", "--workers", "1")
DRY = ("sweep", "{spec.toml}", "--out", "{tmp}/out", "--dry-run")
RESUME = ("sweep", "{spec.toml}", "--out", "{tmp}", "--workers", "1")
ANALYZE = ("analyze", "{tmp}")


def spec_case(id: str, text: str | bytes, message: str, argv: tuple[str, ...] = DRY) -> Case:
    """A specification refused by a dry run (every check of a real sweep, nothing written)."""
    return Case(id=id, argv=argv, files={"spec.toml": text}, message=message)


def resume_case(id: str, message: str, spec: str = SPEC, **files: str | bytes) -> Case:
    """A results folder (manifest and runs) that resuming :data:`SPEC` refuses."""
    contents = {"manifest.json": manifest(), "runs.parquet": GOOD_RUNS, **files}
    return Case(id=id, argv=RESUME, files={"spec.toml": spec, **contents}, message=message)


def analyze_case(id: str, message: str, argv: tuple[str, ...] = ANALYZE, **files: str | bytes) -> Case:
    """A results folder (manifest and runs) that ``analyze`` refuses."""
    return Case(
        id=id, argv=argv, files={"manifest.json": manifest(), "runs.parquet": GOOD_RUNS, **files}, message=message
    )


CASES = [
    # ---- good controls ----------------------------------------------------------------------------------------
    Case(id="sweep-good-dry-run", argv=DRY, files={"spec.toml": SPEC}, exit=0),
    Case(
        id="sweep-good-huge-design-counted-under-raised-limit",
        argv=(*DRY, "--limit", "design_points=2000000000000"),
        files={
            "spec.toml": '[design]\nkind = "lhs"\nsamples = 1099511627776\n[parameters]\nkappa = { min = 1, max = 2 }\n'
        },
        exit=0,
    ),
    Case(
        id="sweep-good-resume-of-a-finished-sweep",
        argv=RESUME,
        files={"spec.toml": SPEC, "manifest.json": manifest(), "runs.parquet": GOOD_RUNS},
        exit=0,
    ),
    Case(
        id="analyze-good-finished-grid",
        argv=ANALYZE,
        files={"manifest.json": manifest(), "runs.parquet": GOOD_RUNS},
        exit=0,
    ),
    # ---- the specification file ---------------------------------------------------------------------------------
    spec_case("spec-not-toml", "steps = [\n", r"sweep specification .*spec\.toml.* is not valid TOML"),
    spec_case("spec-not-utf8", b"steps = 4\n# caf\xe9\n", r"is not a UTF-8 text file"),
    spec_case(
        "spec-nested-too-deep",
        "[parameters]\nkappa = " + "[" * 40 + "1" + "]" * 40 + "\n",
        r"nested more than \d+ levels deep",
    ),
    Case(
        id="spec-larger-than-file-limit",
        argv=(*DRY, "--limit", "file_bytes=16"),
        files={"spec.toml": SPEC},
        message=r"larger than 16 bytes .*--limit file_bytes",
    ),
    Case(
        id="spec-missing",
        argv=("sweep", "{tmp}/missing.toml", "--out", "{tmp}/out"),
        message=r"sweep specification file .*missing\.toml.* does not exist",
    ),
    Case(
        id="spec-is-a-folder",
        argv=("sweep", "{tmp}", "--out", "{tmp}/out"),
        message=r"sweep specification file .* is a folder, not a file",
    ),
    Case(
        id="spec-is-a-device",
        argv=("sweep", "/dev/null", "--out", "{tmp}/out"),
        message=r"sweep specification file '/dev/null' is not a regular file",
    ),
    spec_case("spec-empty-file", "", r"design grid needs at least one parameter under \[parameters\]"),
    # ---- top-level settings ----------------------------------------------------------------------------------------
    spec_case(
        "spec-unknown-setting",
        "repetitions = 3\n[parameters]\nkappa = [1, 2]\n",
        r"unknown setting 'repetitions'.*accepted: scenario, steps",
    ),
    spec_case(
        "spec-parameter-at-top-level",
        "kappa = [1, 2]\n",
        r"unknown setting 'kappa'.*parameters go under \[parameters\]",
    ),
    spec_case(
        "spec-steps-negative",
        "steps = -4\n[parameters]\nkappa = [1, 2]\n",
        r"steps in the sweep specification = -4 is outside >= 0",
    ),
    spec_case(
        "spec-steps-a-text",
        'steps = "ten"\n[parameters]\nkappa = [1, 2]\n',
        r"steps in the sweep specification must be an integer, got 'ten'",
    ),
    spec_case(
        "spec-steps-over-limit",
        "steps = 100000\n[parameters]\nkappa = [1, 2]\n",
        r"steps in the sweep specification = 100,000 is more than the limit of 5,200 \(raise it with --limit steps=N\)",
    ),
    spec_case(
        "spec-steps-a-table",
        "steps = { weeks = 4 }\n[parameters]\nkappa = [1, 2]\n",
        r"steps in the sweep specification must be an integer, got \{'weeks': 4\}",
    ),
    spec_case(
        "spec-replications-zero",
        "replications = 0\n[parameters]\nkappa = [1, 2]\n",
        r"replications in the sweep specification = 0 is outside >= 1",
    ),
    spec_case(
        "spec-replications-fractional",
        "replications = 2.5\n[parameters]\nkappa = [1, 2]\n",
        r"replications in the sweep specification must be an integer, got 2\.5",
    ),
    spec_case(
        "spec-replications-over-limit",
        "replications = 20000\n[parameters]\nkappa = [1, 2]\n",
        r"replications in the sweep specification = 20,000 is more than the limit .*--limit replications=N",
    ),
    spec_case(
        "spec-seed-negative",
        "seed = -1\n[parameters]\nkappa = [1, 2]\n",
        r"seed in the sweep specification = -1 is outside >= 0",
    ),
    spec_case(
        "spec-seed-a-boolean",
        "seed = true\n[parameters]\nkappa = [1, 2]\n",
        r"seed in the sweep specification must be an integer, got True",
    ),
    spec_case(
        "spec-timeseries-a-text",
        'timeseries = "yes"\n[parameters]\nkappa = [1, 2]\n',
        r"timeseries = 'yes' in the sweep specification: expected true or false",
    ),
    spec_case(
        "spec-scenario-a-list-at-top",
        'scenario = ["jeugdaanpak"]\n[parameters]\nkappa = [1, 2]\n',
        r"scenario = \['jeugdaanpak'\] at the top .*put a list under \[parameters\]",
    ),
    spec_case(
        "spec-scenario-given-twice",
        'scenario = "jeugdaanpak"\n[parameters]\nscenario = ["synthetic"]\n',
        r"scenario is given twice",
    ),
    spec_case(
        "spec-scenario-unknown",
        '[parameters]\nscenario = ["jeugdaanpak", "no_such_scenario"]\n',
        r"unknown scenario 'no_such_scenario'; built-in scenarios:",
    ),
    # ---- the design ------------------------------------------------------------------------------------------------
    spec_case(
        "design-not-a-table",
        'design = "grid"\n[parameters]\nkappa = [1, 2]\n',
        r"design = 'grid' in the sweep specification: expected a table",
    ),
    spec_case(
        "design-unknown-setting",
        '[design]\nkind = "grid"\npoints = 4\n[parameters]\nkappa = [1, 2]\n',
        r"\[design\]: unknown field\(s\) \['points'\]; allowed: \['kind', 'levels', 'samples'\]",
    ),
    spec_case(
        "design-kind-unknown",
        '[design]\nkind = "factorial"\n[parameters]\nkappa = [1, 2]\n',
        r"design kind 'factorial' is unknown; expected one of grid, lhs, sobol, morris",
    ),
    spec_case(
        "design-kind-a-number", "[design]\nkind = 3\n[parameters]\nkappa = [1, 2]\n", r"design kind 3 is unknown"
    ),
    spec_case(
        "design-grid-with-samples",
        '[design]\nkind = "grid"\nsamples = 4\n[parameters]\nkappa = [1, 2]\n',
        r"design grid takes no samples",
    ),
    spec_case(
        "design-lhs-without-samples",
        '[design]\nkind = "lhs"\n[parameters]\nkappa = { min = 1, max = 2 }\n',
        r"design lhs needs samples = a positive number of points",
    ),
    spec_case(
        "design-sobol-samples-not-power-of-two",
        '[design]\nkind = "sobol"\nsamples = 10\n[parameters]\nkappa = { min = 1, max = 2 }\n',
        r"design sobol samples = 10: expected a power of two",
    ),
    spec_case(
        "design-morris-one-trajectory",
        '[design]\nkind = "morris"\nsamples = 1\n[parameters]\nkappa = { min = 1, max = 2 }\n',
        r"design morris samples = 1: expected at least 2 trajectories",
    ),
    spec_case(
        "design-morris-odd-levels",
        '[design]\nkind = "morris"\nsamples = 4\nlevels = 5\n[parameters]\nkappa = { min = 1, max = 2 }\n',
        r"design morris levels = 5: expected an even number of levels",
    ),
    spec_case(
        "design-levels-without-morris",
        LHS.replace("samples = 4", "samples = 4\nlevels = 4") + "kappa = { min = 1, max = 2 }\n",
        r"design lhs takes no levels \(only morris does\)",
    ),
    spec_case(
        "design-sampled-without-a-range",
        LHS + 'strategy = ["balanced", "none"]\n',
        r"design lhs needs at least one range under \[parameters\]",
    ),
    spec_case(
        "design-2-to-the-62-samples",
        '[design]\nkind = "lhs"\nsamples = 4611686018427387904\n[parameters]\nkappa = { min = 1, max = 2 }\n',
        r"points of the sweep design = 4,611,686,018,427,387,904 is more than the limit of 10,000,000 "
        r"\(raise it with --limit design_points=N\)",
    ),
    spec_case(
        "design-grid-lists-multiply-past-limit",
        "[parameters]\n"
        + "".join(
            f"{n} = [{', '.join(str(i / 20) for i in range(20))}]\n"
            for n in (
                "blame_culture",
                "sharing_rate",
                "frame_clarity",
                "procedure_equality",
                "incident_rate",
                "evidence_retention",
            )
        ),
        r"points of the sweep design = 64,000,000 is more than the limit",
    ),
    Case(
        id="design-runs-past-limit",
        argv=(*DRY, "--limit", "design_points=100"),
        files={"spec.toml": "replications = 40\n[parameters]\nkappa = [1.0, 2.0, 3.0]\n"},
        message=r"runs of the sweep \(points x replications\) = 120 is more than the limit of 100",
    ),
    # ---- parameters ------------------------------------------------------------------------------------------------
    spec_case(
        "parameters-not-a-table",
        "parameters = [1, 2]\n",
        r"parameters = \[1, 2\] in the sweep specification: expected a table",
    ),
    spec_case(
        "parameter-unknown",
        "[parameters]\nno_such_thing = [1, 2]\n",
        r"unknown parameter 'no_such_thing' in the sweep specification; known: scenario",
    ),
    spec_case(
        "parameter-not-sweepable",
        "[parameters]\ncollect_agents = [true, false]\n",
        r"parameter collect_agents cannot be swept",
    ),
    spec_case(
        "parameter-empty-list", "[parameters]\nkappa = []\n", r"parameter kappa = \[\]: expected at least one value"
    ),
    spec_case(
        "parameter-repeated-value",
        "[parameters]\nkappa = [1.0, 1.0]\n",
        r"parameter kappa = \[1\.0, 1\.0\]: a value is repeated",
    ),
    spec_case(
        "parameter-value-out-of-range",
        "[parameters]\nblame_culture = [0.5, 2.0]\n",
        r"parameter blame_culture=2\.0 is not valid: expected a number in \[0, 1\]",
    ),
    spec_case(
        "parameter-choice-of-wrong-type",
        "[parameters]\nstrategy = [1, 2]\n",
        r"parameter strategy=1 is not valid: expected one of none, task_focus",
    ),
    spec_case(
        "parameter-constant-nan",
        "[parameters]\nkappa = nan\nblame_culture = [0.1, 0.2]\n",
        r"parameter kappa=nan is not valid",
    ),
    spec_case(
        "range-min-nan",
        LHS + "kappa = { min = nan, max = 2.0 }\n",
        r"parameter kappa: range min must be a finite number, got nan",
    ),
    spec_case(
        "range-max-infinite",
        LHS + "kappa = { min = 1.0, max = inf }\n",
        r"parameter kappa: range max must be a finite number, got inf",
    ),
    spec_case(
        "range-min-above-max",
        LHS + "kappa = { min = 3.0, max = 2.0 }\n",
        r"parameter kappa: range min 3\.0 must be below max 2\.0",
    ),
    spec_case(
        "range-bound-a-text",
        LHS + 'kappa = { min = "low", max = 2.0 }\n',
        r"parameter kappa: range min must be a number, got 'low'",
    ),
    spec_case(
        "range-fractional-bound-of-an-integer",
        LHS + "contacts_per_week = { min = 1.5, max = 3 }\n",
        r"parameter contacts_per_week: range min must be an integer, got 1\.5",
    ),
    spec_case(
        "range-extra-key",
        LHS + "kappa = { min = 1.0, max = 2.0, step = 0.1 }\n",
        r"a range is written \{ min = \.\.\., max = \.\.\. \}",
    ),
    spec_case(
        "range-of-a-category",
        LHS + "strategy = { min = 0, max = 1 }\n",
        r"parameter strategy is not a number, so it takes a list of values",
    ),
    spec_case(
        "range-in-a-grid",
        "[parameters]\nkappa = { min = 1.0, max = 2.0 }\n",
        r"design grid needs a list of values, e\.g\. kappa = ",
    ),
    spec_case(
        "n-partners-on-a-fixed-scenario",
        'scenario = "jeugdaanpak"\n[parameters]\nn_partners = [10, 20]\n',
        r"n_partners applies only to generated scenarios",
    ),
    spec_case(
        "n-partners-over-limit",
        'scenario = "synthetic"\n[parameters]\nn_partners = [50, 200000]\n',
        r"n_partners in the sweep specification = 200,000 is more than the limit .*--limit partners=N",
    ),
    # ---- the sweep command line -----------------------------------------------------------------------------------
    Case(
        id="sweep-workers-zero",
        argv=(*SWEEP[:4], "--workers", "0"),
        files={"spec.toml": SPEC},
        message=r"--workers 0: expected an integer from 1 to 1,024",
    ),
    Case(
        id="sweep-workers-not-a-number",
        argv=(*SWEEP[:4], "--workers", "many"),
        files={"spec.toml": SPEC},
        message=r"--workers 'many': expected an integer",
    ),
    Case(id="sweep-without-out", argv=("sweep", "{spec.toml}"), files={"spec.toml": SPEC}, message=r"required: --out"),
    Case(
        id="sweep-out-is-a-file",
        argv=("sweep", "{spec.toml}", "--out", "{taken.txt}"),
        files={"spec.toml": SPEC, "taken.txt": "mine"},
        message=r"--out .*taken\.txt.* exists and is not a folder",
    ),
    Case(
        id="sweep-out-below-a-file",
        argv=("sweep", "{spec.toml}", "--out", "{taken.txt}/out"),
        files={"spec.toml": SPEC, "taken.txt": "mine"},
        message=r"--out .* cannot be written: .*taken\.txt.* is a file, not a folder",
    ),
    Case(
        id="sweep-out-holds-other-files",
        argv=RESUME,
        files={"spec.toml": SPEC, "notes.txt": "mine"},
        message=r"--out .* is not empty and holds no sweep \(no manifest\.json\); choose a new folder",
    ),
    Case(
        id="sweep-scheduler-not-an-address",
        argv=(*SWEEP[:4], "--scheduler", "localhost"),
        files={"spec.toml": SPEC},
        message=r"--scheduler 'localhost': expected a Dask scheduler address, tcp://HOST:PORT",
    ),
    Case(
        id="sweep-scheduler-unknown-protocol",
        argv=(*SWEEP[:4], "--scheduler", "http://127.0.0.1:8786"),
        files={"spec.toml": SPEC},
        message=r"--scheduler .*unknown protocol 'http'",
    ),
    Case(
        id="sweep-limit-unknown-name",
        argv=(*DRY, "--limit", "workers=3"),
        files={"spec.toml": SPEC},
        message=r"--limit 'workers=3': expected NAME=VALUE with NAME one of partners",
    ),
    Case(
        id="sweep-limit-zero",
        argv=(*DRY, "--limit", "design_points=0"),
        files={"spec.toml": SPEC},
        message=r"--limit design_points=0: expected a positive integer",
    ),
    Case(
        id="sweep-lock-file-is-a-folder",
        argv=SWEEP,
        files={"spec.toml": SPEC, "out/.lock/x": "x"},
        message=r"results folder .* cannot be locked: \.lock in it is a folder",
    ),
    # ---- resuming into a results folder ---------------------------------------------------------------------------
    resume_case(
        "resume-other-seed",
        r"holds a sweep of a different specification \(changed: seed\)",
        spec=SPEC.replace("seed = 3", "seed = 4"),
    ),
    resume_case(
        "resume-fewer-replications",
        r"replications can be raised, not lowered to 1",
        spec=SPEC.replace("replications = 2", "replications = 1"),
    ),
    resume_case(
        "manifest-a-list",
        r"sweep manifest .*manifest\.json.* must be a JSON object with the fields spec, sessions, status, got list",
        **{"manifest.json": "[1, 2, 3]"},
    ),
    resume_case("manifest-null", r"must be a JSON object .* got null", **{"manifest.json": "null"}),
    resume_case(
        "manifest-without-spec",
        r"sweep manifest .*manifest\.json' lacks 'spec'",
        **{"manifest.json": manifest(spec=None)},
    ),
    resume_case(
        "manifest-spec-without-seed",
        r"manifest\.json': spec lacks 'seed'",
        **{"manifest.json": manifest(spec=spec_with(seed=None))},
    ),
    resume_case(
        "manifest-spec-replications-a-text",
        r"manifest\.json': spec: replications must be an integer, got 'two'",
        **{"manifest.json": manifest(spec=spec_with(replications="two"))},
    ),
    resume_case(
        "manifest-sessions-a-text",
        r"manifest\.json': sessions must be a list, got 'many'",
        **{"manifest.json": manifest(sessions="many")},
    ),
    resume_case(
        "manifest-status-a-number",
        r"manifest\.json': status must be a text, got 3",
        **{"manifest.json": manifest(status=3)},
    ),
    resume_case(
        "manifest-failed-run-without-point",
        r"manifest\.json': failed\[0\] lacks 'point_id'",
        **{"manifest.json": manifest(failed=[{"run_id": "0-0", "replication": 0}])},
    ),
    resume_case(
        "manifest-invalid-json",
        r"sweep manifest .*manifest\.json.* is not valid JSON",
        **{"manifest.json": '{"spec": {'},
    ),
    resume_case(
        "manifest-with-nan",
        r"sweep manifest .* contains NaN, which is not a finite number",
        **{"manifest.json": manifest().replace('"seed": 3', '"seed": NaN')},
    ),
    resume_case(
        "manifest-not-utf8", r"sweep manifest .* is not a UTF-8 text file", **{"manifest.json": b'{"spec": "\xff"}'}
    ),
    resume_case(
        "manifest-nested-too-deep",
        r"sweep manifest .* is nested more than \d+ levels deep",
        **{"manifest.json": "[" * 100 + "]" * 100},
    ),
    Case(
        id="manifest-is-a-folder",
        argv=RESUME,
        files={"spec.toml": SPEC, "manifest.json/x": "x", "runs.parquet": GOOD_RUNS},
        message=r"sweep manifest file .*manifest\.json.* is a folder, not a file",
    ),
    resume_case(
        "runs-not-parquet",
        r"result file .*runs\.parquet.* is not a readable Parquet file",
        **{"runs.parquet": "point_id,replication\n0,0\n"},
    ),
    resume_case(
        "runs-parameter-of-another-type",
        r"runs\.parquet.* does not have the columns of this sweep: kappa is string, expected double",
        **{"runs.parquet": runs_parquet(_kappa_as_text)},
    ),
    resume_case(
        "runs-a-run-twice",
        r"runs\.parquet.* lists run 0-0 twice; it is damaged",
        **{"runs.parquet": runs_parquet(_twice)},
    ),
    resume_case(
        "runs-a-run-outside-the-design",
        r"runs\.parquet.* lists run 7-0, which is not in this sweep's design \(2 points x 2 replications\)",
        **{"runs.parquet": runs_parquet(_outside)},
    ),
    resume_case(
        "timeseries-of-another-schema",
        r"timeseries\.parquet.* does not have the columns of this sweep: missing column\(s\) point_id",
        **{"timeseries.parquet": _timeseries_other_schema()},
    ),
    # ---- analyze ---------------------------------------------------------------------------------------------------
    Case(
        id="analyze-folder-missing",
        argv=("analyze", "{tmp}/nothing"),
        message=r"results folder .*nothing' does not exist",
    ),
    Case(
        id="analyze-folder-is-a-file",
        argv=("analyze", "{notes.txt}"),
        files={"notes.txt": "mine"},
        message=r"results folder .*notes\.txt' is a file; expected the --out folder of a sweep",
    ),
    Case(
        id="analyze-folder-without-results",
        argv=ANALYZE,
        files={"notes.txt": "mine"},
        message=r"holds no sweep results \(expected manifest\.json and runs\.parquet\)",
    ),
    Case(
        id="analyze-sweep-without-finished-runs",
        argv=ANALYZE,
        files={"manifest.json": manifest()},
        message=r"has no finished runs to analyse yet",
    ),
    analyze_case(
        "analyze-metric-unknown",
        r"--metric 'happiness' is not a metric; expected one of trust",
        argv=(*ANALYZE, "--metric", "happiness"),
    ),
    analyze_case(
        "analyze-out-not-png",
        r"--out .*fig\.jpg': expected a file ending in \.png",
        argv=(*ANALYZE, "--out", "{tmp}/fig.jpg"),
    ),
    analyze_case(
        "analyze-out-is-a-folder",
        r"--out .*figure\.png' is a folder; give a file name",
        argv=(*ANALYZE, "--out", "{tmp}/figure.png"),
        **{"figure.png/x": "x"},
    ),
    analyze_case(
        "analyze-manifest-spec-unknown-parameter",
        r"manifest\.json': spec: unknown parameter 'happiness'",
        **{"manifest.json": manifest(spec=spec_with(parameters={"happiness": [1, 2]}))},
    ),
    analyze_case(
        "analyze-manifest-spec-replications-over-limit",
        r"manifest\.json': spec: replications in the sweep specification = 20,000 is more than the limit",
        **{"manifest.json": manifest(spec=spec_with(replications=20000))},
    ),
    analyze_case(
        "analyze-runs-not-parquet",
        r"result file .*runs\.parquet.* is not a readable Parquet file",
        **{"runs.parquet": b"PAR1 but not really"},
    ),
    analyze_case(
        "analyze-runs-without-a-metric",
        r"runs\.parquet.* missing column\(s\) trust",
        **{"runs.parquet": runs_parquet(_drop_metric)},
    ),
    analyze_case(
        "analyze-runs-empty", r"has no finished runs to analyse yet", **{"runs.parquet": runs_parquet(_empty)}
    ),
    Case(
        id="analyze-runs-is-a-folder",
        argv=ANALYZE,
        files={"manifest.json": manifest(), "runs.parquet/x": "x"},
        message=r"result file .*runs\.parquet' is a folder, not a Parquet file",
    ),
]
