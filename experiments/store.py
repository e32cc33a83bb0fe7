"""The results store of a sweep: ``runs.parquet``, ``timeseries.parquet`` and ``manifest.json`` in one folder.

Results reach disk in batches while the sweep runs. Each batch rewrites the three files whole, each through a
temporary file in the same folder and an atomic rename (:func:`experiments.files.atomic_write`): a crash, ``kill -9``
or Ctrl-C loses at most the runs not yet flushed, never a written file, and every file is readable at any moment
after the first batch. The order of the renames (time series, then runs, then manifest) means a run listed in
``runs.parquet`` always has its time series on disk; a time series of a run that ``runs.parquet`` does not list
(a crash between the two renames) is replaced when that run is done again.

Both tables are kept sorted by ``(point_id, replication)`` (and ``step``), so their content does not depend on the
order in which runs finished, on the executor, or on interruptions: only ``wall_s`` differs between two sweeps of
the same specification. The time series is merged batch by batch in a stream of row groups of fixed size, so the
coordinating process never holds it whole.

Resuming: :meth:`ResultStore.open` reads what is done; a different specification in the folder is refused, except
a raised ``replications``. Runs that failed are tried again when the sweep is resumed. Before anything is read,
the manifest is checked (:func:`read_manifest`: a JSON object with a ``spec``, ``sessions`` and ``status``, read
with :func:`model.inputs.read_json`) and so are the columns of ``runs.parquet`` and ``timeseries.parquet``
(:func:`check_results`: the schema of this specification, and runs that belong to it): a damaged folder is refused
with an :class:`model.inputs.InputError` naming the file and what is wrong, never read as missing values.

One sweep at a time: a sweep holds :class:`FolderLock` (``fcntl.flock`` on ``DIR/.lock``, which records the holder's
process id and host) from before it reads what is done until its last write. A second sweep on the same folder is
refused while the first runs; the lock of a process that died (``kill -9``, a crash) is released by the operating
system, so the next sweep simply takes it over. Only the holder writes into the folder, and only the holder removes
the temporary files that a killed writer left behind (``.runs.parquet.*``, ``.timeseries.parquet.*``,
``.manifest.json.*``). ``--dry-run`` and ``analyze`` read the folder without the lock: every file is replaced
atomically, so what they read is always whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from experiments.designs import CONSTANT_PREFIX, RAW_KEYS, SWITCH_PREFIX, SweepSpec, run_id
from experiments.files import atomic_write
from model import METRICS
from model.constants import CONSTANTS
from model.inputs import InputError, array, check_output_folder, number, read_input_file, read_json, table, text
from model.parameters import PARAMETERS

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: msvcrt below
    fcntl = None

RUNS = "runs.parquet"
TIMESERIES = "timeseries.parquet"
MANIFEST = "manifest.json"
LOCK = ".lock"
MANIFEST_REQUIRED = ("spec", "sessions", "status")
TS_ROWS_PER_GROUP = 8_192  # fixed row-group size of timeseries.parquet (same layout however the sweep ran); it bounds
# the memory of a merge
ARROW_TYPES = {"float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(), "choice": pa.string(), "str": pa.string()}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value))


def column_type(name: str) -> pa.DataType:
    """The Arrow type of a dimension's column: the parameter's kind, a number for ``const.NAME`` (an integer
    for a constant that counts), a boolean for ``switch.NAME``."""
    if name.startswith(CONSTANT_PREFIX):
        return pa.int64() if CONSTANTS[name[len(CONSTANT_PREFIX) :]].integer else pa.float64()
    if name.startswith(SWITCH_PREFIX):
        return pa.bool_()
    return ARROW_TYPES[PARAMETERS[name].kind]


def runs_schema(spec: SweepSpec) -> pa.Schema:
    """The columns of ``runs.parquet``: ids, seed, one per parameter and constant (``const.NAME``), one per metric,
    steps, wall_s."""
    fields = [
        pa.field("run_id", pa.string()),
        pa.field("point_id", pa.int64()),
        pa.field("replication", pa.int64()),
        pa.field("seed", pa.int64()),
    ]
    fields += [pa.field(name, column_type(name)) for name in spec.parameter_names]
    fields += [pa.field(name, pa.float64()) for name in METRICS]
    fields += [pa.field("steps", pa.int64()), pa.field("wall_s", pa.float64())]
    return pa.schema(fields)


def timeseries_schema() -> pa.Schema:
    """The columns of ``timeseries.parquet``: ``run_id``, ``point_id``, ``replication``, ``step``, the metrics."""
    return pa.schema(
        [
            pa.field("run_id", pa.string()),
            pa.field("point_id", pa.int64()),
            pa.field("replication", pa.int64()),
            pa.field("step", pa.int64()),
            *(pa.field(name, pa.float64()) for name in METRICS),
        ]
    )


def environment() -> dict[str, Any]:
    """Package versions and the git revision of the code that ran the sweep."""
    from importlib import metadata

    versions = {"python": sys.version.split()[0]}
    for package in ("netwerkregie", "mesa", "numpy", "scipy", "pandas", "pyarrow", "SALib", "distributed"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    root = Path(__file__).resolve().parent.parent
    try:
        revision = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        revision += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.SubprocessError):
        revision = None
    return {"versions": versions, "git_revision": revision}


def _spec_difference(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = sorted(set(old) | set(new))
    return [k for k in keys if k != "replications" and old.get(k) != new.get(k)]


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The manifest of a results folder, checked: a JSON object (no NaN) with ``spec`` (a table), ``sessions``
    (a list of tables), ``status`` (a text), and, if present, ``failed`` (runs with their ``point_id`` and
    ``replication``) and ``counts`` (a table).

    Raises:
        InputError: the manifest is missing, a folder, too large, not JSON, or not of this shape; the message names
            the file and the field.
    """
    path = Path(directory) / MANIFEST
    where = f"sweep manifest {str(path)!r}"
    doc = read_json(read_input_file(path, "sweep manifest"), "sweep manifest", repr(str(path)))
    if not isinstance(doc, dict):
        raise InputError(
            f"{where} must be a JSON object with the fields {', '.join(MANIFEST_REQUIRED)}, got "
            f"{type(doc).__name__ if doc is not None else 'null'}; the folder's results are damaged"
        )
    table(where, doc, None, MANIFEST_REQUIRED)
    table(f"{where}: spec", doc["spec"])
    text(f"{where}: status", doc["status"])
    for i, session in enumerate(array(f"{where}: sessions", doc["sessions"])):
        table(f"{where}: sessions[{i}]", session)
    for i, entry in enumerate(array(f"{where}: failed", doc.get("failed", []))):
        table(f"{where}: failed[{i}]", entry, None, ("point_id", "replication"))
        for key in ("point_id", "replication"):
            number(f"{where}: failed[{i}].{key}", entry[key], 0, integer=True)
    if "counts" in doc:
        table(f"{where}: counts", doc["counts"])
    return doc


def check_results(directory: str | Path, spec: SweepSpec) -> set[tuple[int, int]]:
    """Check the result files of a folder against a specification; return the keys ``(point_id, replication)`` of
    the runs in ``runs.parquet`` (empty when there is none yet).

    ``runs.parquet`` must have the columns of :func:`runs_schema` (names, types and order) and list each run of the
    design at most once; ``timeseries.parquet``, when present, those of :func:`timeseries_schema`.

    Raises:
        InputError: a file that is a folder, not Parquet, of another schema, or lists runs outside the design.
    """
    directory = Path(directory)
    _check_schema(directory / TIMESERIES, timeseries_schema())
    path = directory / RUNS
    if not _check_schema(path, runs_schema(spec)):
        return set()
    try:
        keys = pq.read_table(path, columns=["point_id", "replication"])
    except (pa.ArrowException, OSError) as e:
        raise InputError(f"result file {str(path)!r} cannot be read ({_first_line(e)}); it is damaged") from None
    points, replications = keys["point_id"].to_pylist(), keys["replication"].to_pylist()
    done: set[tuple[int, int]] = set()
    for p, r in zip(points, replications, strict=True):
        if p is None or r is None or not (0 <= p < spec.n_points and 0 <= r < spec.replications):
            raise InputError(
                f"result file {str(path)!r} lists run {p}-{r}, which is not in this sweep's design "
                f"({spec.n_points} points x {spec.replications} replications); it is damaged"
            )
        if (p, r) in done:
            raise InputError(f"result file {str(path)!r} lists run {p}-{r} twice; it is damaged")
        done.add((p, r))
    return done


def _check_schema(path: Path, expected: pa.Schema) -> bool:
    """Whether ``path`` exists; if it does, it must be a Parquet file with exactly the columns of ``expected``."""
    if not os.path.lexists(path):
        return False
    shown = repr(str(path))
    if path.is_dir():
        raise InputError(f"result file {shown} is a folder, not a Parquet file")
    if not path.is_file():
        raise InputError(f"result file {shown} is not a regular file")
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as e:
        raise InputError(f"result file {shown} is not a readable Parquet file ({_first_line(e)})") from None
    got = [(f.name, f.type) for f in schema]
    want = [(f.name, f.type) for f in expected]
    if got == want:
        return True
    have = dict(got)
    problems = []
    missing = [name for name, _ in want if name not in have]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    names = {name for name, _ in want}
    extra = [name for name, _ in got if name not in names]
    if extra:
        problems.append(f"unexpected column(s) {', '.join(extra[:5])}{' ...' if len(extra) > 5 else ''}")
    wrong = [f"{name} is {have[name]}, expected {kind}" for name, kind in want if name in have and have[name] != kind]
    problems += wrong[:3]
    if not problems:
        problems.append("its columns are in another order")
    raise InputError(f"result file {shown} does not have the columns of this sweep: {'; '.join(problems)}")


def _first_line(e: BaseException) -> str:
    line = (str(e).strip().splitlines() or [type(e).__name__])[0]
    return line if len(line) <= 120 else line[:117] + "..."


class FolderLock:
    """The exclusive lock of a results folder: one sweep writes into a folder at a time.

    ``fcntl.flock`` on ``DIR/.lock`` (``msvcrt.locking`` on Windows), taken without waiting. The holder writes its
    process id, host and start time into the file, for the message another sweep gets; the file stays (removing it
    would let two processes lock two different files), emptied when the lock is released. The operating system
    releases the lock of a process that dies, so a killed sweep's lock is taken over by the next sweep. The lock is
    not inherited by worker processes (the file is opened close-on-exec).

    Use as a context manager, or :meth:`acquire` and :meth:`release`.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / LOCK
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        """Take the lock, creating the folder if needed.

        Raises:
            InputError: another process holds the lock (naming it), or the lock file cannot be made.
        """
        shown = repr(str(self.directory))
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except IsADirectoryError:
            raise InputError(f"results folder {shown} cannot be locked: {LOCK} in it is a folder") from None
        except OSError as e:
            raise InputError(f"results folder {shown} cannot be locked: {e.strerror or e}") from None
        try:
            locked = _try_lock(fd)
        except OSError as e:
            os.close(fd)
            raise InputError(f"results folder {shown} cannot be locked: {e.strerror or e}") from None
        if not locked:
            holder = _holder(fd)
            os.close(fd)
            raise InputError(
                f"results folder {shown} is in use by another sweep ({holder}); wait until it ends, or stop it and "
                "run the same command again to resume"
            )
        note = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": _now()}) + "\n"
        with contextlib.suppress(OSError):  # without the note the lock holds; another sweep's message names no one
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, note.encode())
        self._fd = fd
        return self

    def release(self) -> None:
        """Empty the lock file and release the lock (nothing if it is not held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the only descriptor releases the lock

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def __enter__(self) -> FolderLock:
        return self.acquire() if self._fd is None else self

    def __exit__(self, *exc: object) -> None:
        self.release()


_WINDOWS_LOCK_OFFSET = 1 << 20  # msvcrt locks a byte range; one far from the holder's note keeps the note readable


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` exclusively without waiting; False if another process holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt  # pragma: no cover - Windows

    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)  # pragma: no cover
    try:  # pragma: no cover
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:  # pragma: no cover
        return False
    return True  # pragma: no cover


def _holder(fd: int) -> str:
    """Who holds the lock, from its note: ``process 123`` (``on HOST`` when another host), and since when."""
    note: Any = None
    for _ in range(10):  # the holder writes its note just after it takes the lock
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            note = json.loads(os.read(fd, 4096).decode("utf-8", "replace") or "null")
        except (OSError, ValueError):
            note = None
        if isinstance(note, dict):
            break
        time.sleep(0.05)
    if not isinstance(note, dict) or not isinstance(note.get("pid"), int):
        return "process unknown"
    host = note.get("host")
    where = f" on {host}" if isinstance(host, str) and host != socket.gethostname() else ""
    since = f", started {note['started']}" if isinstance(note.get("started"), str) else ""
    return f"process {note['pid']}{where}{since}"


class ResultStore:
    """A sweep's results folder: what is done, and the batches still to write.

    Attributes:
        directory: the folder.
        spec: the validated specification.
        done: keys ``(point_id, replication)`` of the runs in ``runs.parquet``.
        failed: failed runs by key: ``{run_id, point_id, replication, seed, params, error}``.
        manifest: the manifest as last written.
    """

    def __init__(self, directory: Path, spec: SweepSpec, manifest: dict[str, Any] | None, done: set) -> None:
        self.directory = directory
        self.spec = spec
        self.manifest = manifest
        self.done: set[tuple[int, int]] = done
        self.failed: dict[tuple[int, int], dict[str, Any]] = {}
        if manifest:
            for entry in manifest.get("failed", []):
                key = (entry["point_id"], entry["replication"])
                if key not in done:
                    self.failed[key] = entry
        self._rows: list[dict[str, Any]] = []
        self._series: list[tuple[str, int, int, np.ndarray]] = []
        self._runs_schema = runs_schema(spec)

    # ---- opening ----------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, directory: str | Path, spec: SweepSpec) -> ResultStore:
        """Check a results folder against the specification and read what is done, without writing anything.

        Call it again under the :class:`FolderLock` before writing: another sweep may have written meanwhile.

        Raises:
            InputError: the folder is a file or cannot be written, holds something other than a sweep, a damaged
                manifest or result file (:func:`read_manifest`, :func:`check_results`), or a sweep of another
                specification (only a raised ``replications`` is accepted).
        """
        directory = check_output_folder(directory, "--out")
        manifest_path = directory / MANIFEST
        if not os.path.lexists(manifest_path):
            visible = [p for p in directory.iterdir() if not p.name.startswith(".")] if directory.exists() else []
            if visible:
                raise InputError(
                    f"--out {directory} is not empty and holds no sweep (no {MANIFEST}); choose a new folder"
                )
            return cls(directory, spec, None, set())
        manifest = read_manifest(directory)
        where = f"sweep manifest {str(manifest_path)!r}: spec"
        old = table(where, manifest["spec"], None, RAW_KEYS)
        number(f"{where}: replications", old["replications"], 1, integer=True)
        new = _jsonable(spec.raw)
        changed = _spec_difference(old, new)
        if changed:
            raise InputError(
                f"--out {directory} holds a sweep of a different specification (changed: {', '.join(changed)}); "
                "use a new folder (only replications may be raised)"
            )
        if new["replications"] < old["replications"]:
            raise InputError(
                f"--out {directory} holds a sweep with replications = {old['replications']}; replications can be "
                f"raised, not lowered to {new['replications']}"
            )
        done = check_results(directory, spec)
        return cls(directory, spec, manifest, done)

    # ---- writing ----------------------------------------------------------------------------------------------

    def begin(self, spec_file: str | None, executor: str) -> None:
        """Create the folder (if new) and write the manifest of a starting (or resumed) session.

        Call it holding the folder's :class:`FolderLock`: it removes the temporary files of earlier writers, which
        only a dead process can have left while the lock is held.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        for leftover in self.directory.glob(".*.*"):  # temporary files of a write that was killed
            if leftover.name.split(".")[1] in (RUNS.split(".")[0], TIMESERIES.split(".")[0], MANIFEST.split(".")[0]):
                leftover.unlink(missing_ok=True)
        env = environment()
        session = {
            "started": _now(),
            "ended": None,
            "executor": executor,
            "status": "running",
            "git_revision": env["git_revision"],
        }
        if self.manifest is None:
            self.manifest = {
                "spec": _jsonable(self.spec.raw),
                "spec_file": spec_file,
                "started": session["started"],
                "ended": None,
                "status": "running",
                "sessions": [],
            }
        self.manifest["spec"] = _jsonable(self.spec.raw)  # replications may have been raised
        self.manifest.update(env)
        self.manifest["sessions"].append(session)
        self.manifest["status"] = "running"
        self.manifest["ended"] = None
        self._write_manifest()

    @property
    def earlier_revisions(self) -> list[str]:
        """Code revisions of earlier sessions that differ from this session's (results of different code mixed)."""
        sessions = (self.manifest or {}).get("sessions", [])
        if not sessions:
            return []
        current = sessions[-1].get("git_revision")
        return list(dict.fromkeys(s.get("git_revision") for s in sessions[:-1] if s.get("git_revision") != current))

    def add(
        self,
        point_id: int,
        replication: int,
        seed: int,
        params: dict[str, Any],
        result: dict[str, Any] | None,
        error: str | None,
    ) -> None:
        """Keep one finished run (or its error) for the next :meth:`flush`.

        ``params`` is the run's point (parameters, and constants as ``const.NAME``), as :func:`experiments.designs.
        iter_points` gives it.
        """
        key = (point_id, replication)
        rid = run_id(point_id, replication)
        if error is not None:
            self.failed[key] = {
                "run_id": rid,
                "point_id": point_id,
                "replication": replication,
                "seed": seed,
                "params": _jsonable(params),
                "error": error,
            }
            return
        self.failed.pop(key, None)
        row = {"run_id": rid, "point_id": point_id, "replication": replication, "seed": seed}
        row.update({name: params.get(name) for name in self.spec.parameter_names})
        row.update(result["final"])
        row["steps"] = int(result["steps"])
        row["wall_s"] = float(result["wall_s"])
        self._rows.append(row)
        if self.spec.timeseries:
            self._series.append((rid, point_id, replication, np.asarray(result["timeseries"], dtype=float)))

    @property
    def pending(self) -> int:
        """Finished runs not yet on disk."""
        return len(self._rows)

    def flush(self, status: str = "running", counts: dict[str, Any] | None = None) -> None:
        """Write the finished runs to disk (time series, then runs, then manifest; each atomically)."""
        rows, series = self._rows, self._series
        self._rows, self._series = [], []
        if rows or not (self.directory / RUNS).exists():
            if self.spec.timeseries:
                self._merge_timeseries(series)
            self._merge_runs(rows)
            self.done.update((r["point_id"], r["replication"]) for r in rows)
        self.manifest["failed"] = [self.failed[k] for k in sorted(self.failed) if k not in self.done]
        self.manifest["counts"] = {**(counts or {}), "done": len(self.done), "failed": len(self.manifest["failed"])}
        self.manifest["status"] = status
        self.manifest["sessions"][-1]["status"] = status
        if status != "running":
            self.manifest["ended"] = self.manifest["sessions"][-1]["ended"] = _now()
        self._write_manifest()

    def _write_manifest(self) -> None:
        text = json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n"
        atomic_write(self.directory / MANIFEST, lambda p: p.write_text(text, encoding="utf-8"))

    def _merge_runs(self, rows: list[dict[str, Any]]) -> None:
        new = pa.Table.from_pylist(rows, schema=self._runs_schema)
        path = self.directory / RUNS
        if path.exists():
            old = pq.read_table(path, schema=self._runs_schema)
            keys = pa.array([f"{r['point_id']}-{r['replication']}" for r in rows], pa.string())
            old = old.filter(pc.invert(pc.is_in(old["run_id"], value_set=keys)))
            new = pa.concat_tables([old, new])
        table = new.sort_by([("point_id", "ascending"), ("replication", "ascending")])
        atomic_write(path, lambda p: pq.write_table(table, p))

    def _merge_timeseries(self, series: list[tuple[str, int, int, np.ndarray]]) -> None:
        schema = timeseries_schema()
        batch = _series_table(series, schema)
        stride = self.spec.replications
        batch = batch.append_column("_key", _keys(batch, stride))
        batch = batch.sort_by([("_key", "ascending"), ("step", "ascending")])
        batch_keys = set(batch["_key"].to_pylist())
        path = self.directory / TIMESERIES

        def write(tmp: Path) -> None:
            with pq.ParquetWriter(tmp, schema) as writer:
                out = _FixedGroups(writer, schema)
                remaining = batch
                if path.exists():
                    for record_batch in pq.ParquetFile(path).iter_batches(batch_size=TS_ROWS_PER_GROUP):
                        chunk = pa.Table.from_batches([record_batch]).cast(schema)
                        keys = _keys(chunk, stride)
                        chunk = chunk.append_column("_key", keys)
                        if batch_keys:
                            chunk = chunk.filter(pc.invert(pc.is_in(keys, value_set=pa.array(sorted(batch_keys)))))
                        if chunk.num_rows == 0:
                            continue
                        top = pc.max(chunk["_key"]).as_py()
                        take = pc.less_equal(remaining["_key"], top)
                        merged = pa.concat_tables([chunk, remaining.filter(take)])
                        remaining = remaining.filter(pc.invert(take))
                        out.write(merged.sort_by([("_key", "ascending"), ("step", "ascending")]))
                out.write(remaining)
                out.close()

        atomic_write(path, write)


def _keys(table: pa.Table, stride: int) -> pa.Array:
    return pc.add(pc.multiply(table["point_id"], pa.scalar(stride, pa.int64())), table["replication"])


def _series_table(series: Iterable[tuple[str, int, int, np.ndarray]], schema: pa.Schema) -> pa.Table:
    series = list(series)
    if not series:
        return schema.empty_table()
    lengths = [s[3].shape[0] for s in series]
    values = np.concatenate([s[3] for s in series], axis=0)
    columns = {
        "run_id": pa.array(np.repeat([s[0] for s in series], lengths).tolist(), pa.string()),
        "point_id": pa.array(np.repeat([s[1] for s in series], lengths), pa.int64()),
        "replication": pa.array(np.repeat([s[2] for s in series], lengths), pa.int64()),
        "step": pa.array(np.concatenate([np.arange(n) for n in lengths]), pa.int64()),
    }
    for j, name in enumerate(METRICS):
        columns[name] = pa.array(values[:, j], pa.float64())
    return pa.table(columns, schema=schema)


class _FixedGroups:
    """Write a sorted stream of tables as row groups of exactly ``TS_ROWS_PER_GROUP`` rows (the last may be short)."""

    def __init__(self, writer: pq.ParquetWriter, schema: pa.Schema) -> None:
        self.writer, self.schema = writer, schema
        self.buffer: list[pa.Table] = []
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if "_key" in table.column_names:
            table = table.drop_columns(["_key"])
        if table.num_rows == 0:
            return
        self.buffer.append(table.cast(self.schema))
        self.rows += table.num_rows
        while self.rows >= TS_ROWS_PER_GROUP:
            whole = pa.concat_tables(self.buffer)
            self.writer.write_table(whole.slice(0, TS_ROWS_PER_GROUP), row_group_size=TS_ROWS_PER_GROUP)
            rest = whole.slice(TS_ROWS_PER_GROUP)
            self.buffer, self.rows = [rest], rest.num_rows

    def close(self) -> None:
        if self.rows:
            self.writer.write_table(pa.concat_tables(self.buffer), row_group_size=TS_ROWS_PER_GROUP)
        self.buffer, self.rows = [], 0
