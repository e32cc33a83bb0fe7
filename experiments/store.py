"""The results store of a sweep: ``runs.parquet``, ``timeseries.parquet`` and ``manifest.json`` in one folder.

Results reach disk in batches while the sweep runs. Each batch rewrites the three files whole, each through a
temporary file in the same folder and an atomic rename (:func:`experiments.cli.atomic_write`): a crash, ``kill -9``
or Ctrl-C loses at most the runs not yet flushed, never a written file, and every file is readable at any moment
after the first batch. The order of the renames (time series, then runs, then manifest) means a run listed in
``runs.parquet`` always has its time series on disk; a time series of a run that ``runs.parquet`` does not list
(a crash between the two renames) is replaced when that run is done again.

Both tables are kept sorted by ``(point_id, replication)`` (and ``step``), so their content does not depend on the
order in which runs finished, on the executor, or on interruptions: only ``wall_s`` differs between two sweeps of
the same specification. The time series is merged batch by batch in a stream of row groups of fixed size, so the
coordinating process never holds it whole.

Resuming: :meth:`ResultStore.open` reads what is done; a different specification in the folder is refused, except
a raised ``replications``. Runs that failed are tried again when the sweep is resumed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.designs import SweepSpec
from experiments.files import atomic_write

RUNS = "runs.parquet"
TIMESERIES = "timeseries.parquet"
MANIFEST = "manifest.json"
TS_ROWS_PER_GROUP = 8_192  # fixed row-group size of timeseries.parquet (same layout however the sweep ran); it bounds
# the memory of a merge
ARROW_TYPES = {"float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(), "choice": pa.string(), "str": pa.string()}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value))


def runs_schema(spec: SweepSpec) -> pa.Schema:
    """The columns of ``runs.parquet``: ids, seed, one per parameter, one per metric, steps, wall_s."""
    from model import METRICS
    from model.parameters import PARAMETERS

    fields = [
        pa.field("run_id", pa.string()),
        pa.field("point_id", pa.int64()),
        pa.field("replication", pa.int64()),
        pa.field("seed", pa.int64()),
    ]
    fields += [pa.field(name, ARROW_TYPES[PARAMETERS[name].kind]) for name in spec.parameter_names]
    fields += [pa.field(name, pa.float64()) for name in METRICS]
    fields += [pa.field("steps", pa.int64()), pa.field("wall_s", pa.float64())]
    return pa.schema(fields)


def timeseries_schema() -> pa.Schema:
    """The columns of ``timeseries.parquet``: ``run_id``, ``point_id``, ``replication``, ``step``, the metrics."""
    from model import METRICS

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
        """Check a results folder against the specification, without writing anything.

        Raises:
            ValueError: the folder is a file, holds something other than a sweep, or a sweep of another
                specification (only a raised ``replications`` is accepted).
        """
        directory = Path(directory)
        manifest_path = directory / MANIFEST
        if directory.exists() and not directory.is_dir():
            raise ValueError(f"--out {directory} is a file; expected a folder for the sweep's results")
        if not manifest_path.exists():
            visible = [p for p in directory.iterdir() if not p.name.startswith(".")] if directory.exists() else []
            if visible:
                raise ValueError(
                    f"--out {directory} is not empty and holds no sweep (no {MANIFEST}); choose a new folder"
                )
            return cls(directory, spec, None, set())
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            old = manifest["spec"]
        except (json.JSONDecodeError, KeyError, UnicodeDecodeError):
            raise ValueError(f"{manifest_path} is not a sweep manifest; choose a new folder") from None
        new = _jsonable(spec.raw)
        changed = _spec_difference(old, new)
        if changed:
            raise ValueError(
                f"--out {directory} holds a sweep of a different specification (changed: {', '.join(changed)}); "
                "use a new folder (only replications may be raised)"
            )
        if new["replications"] < old["replications"]:
            raise ValueError(
                f"--out {directory} holds a sweep with replications = {old['replications']}; replications can be "
                f"raised, not lowered to {new['replications']}"
            )
        done: set[tuple[int, int]] = set()
        if (directory / RUNS).exists():
            table = pq.read_table(directory / RUNS, columns=["point_id", "replication"])
            done = set(zip(table["point_id"].to_pylist(), table["replication"].to_pylist(), strict=True))
        return cls(directory, spec, manifest, done)

    # ---- writing ----------------------------------------------------------------------------------------------

    def begin(self, spec_file: str | None, executor: str) -> None:
        """Create the folder (if new) and write the manifest of a starting (or resumed) session."""
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
        """Keep one finished run (or its error) for the next :meth:`flush`."""
        from experiments.designs import run_id as make_run_id

        key = (point_id, replication)
        rid = make_run_id(point_id, replication)
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
            import pyarrow.compute as pc

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
            import pyarrow.compute as pc

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
    import pyarrow.compute as pc

    return pc.add(pc.multiply(table["point_id"], pa.scalar(stride, pa.int64())), table["replication"])


def _series_table(series: Iterable[tuple[str, int, int, np.ndarray]], schema: pa.Schema) -> pa.Table:
    from model import METRICS

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
