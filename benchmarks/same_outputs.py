"""Whether this checkout computes exactly what an older revision computes: every output of a set of runs, bit for bit.

An optimisation must not change the model's outputs. ``tests/test_regression.py`` compares short runs with stored
references to a relative 1e-9; this check is stricter and longer: both revisions run the same cases (the older one in
a temporary git worktree, each in a fresh interpreter of this environment with its own code first on ``sys.path``),
and every float of every output is compared by its bits.

    .venv/bin/python benchmarks/same_outputs.py --rev 009c5eb

Cases, 104 weeks each: every built-in scenario with every fixed strategy and ``adaptive`` over three seeds, and a few
that exercise the rarer paths (agent-level collection, 200 partners, heavy blame and incidents, shared and lead
governance with exits, the first version's switches). Outputs: the per-week metrics, the final partner and relation
tables, the events, the director's log and, with agent-level collection, the per-partner metrics.

Exit status 0 when every output is the same, 1 otherwise (the differing cases are listed).
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

if __package__ in (None, ""):  # run as a script: benchmarks/ is on sys.path
    from checkouts import ROOT, older_checkouts
else:
    from benchmarks.checkouts import ROOT, older_checkouts
WEEKS = 104

# The program each side runs: only the model's public API, which both revisions have.
PROGRAM = """
import pickle, sys
from model import CollaborationModel
from model.agents import Partner

cases = [
    (scenario, {"strategy": strategy}, seed, False)
    for scenario in ("jeugdaanpak", "gebiedsontwikkeling", "sociaal_domein", "synthetic")
    for strategy in ("balanced", "adaptive", "relation_focus", "task_focus", "none")
    for seed in (1, 2, 3)
] + [
    ("jeugdaanpak", {"collect_agents": True}, 5, False),
    ("synthetic", {"n_partners": 200}, 7, False),
    ("sociaal_domein", {"blame_culture": 0.9, "incident_rate": 0.5}, 8, False),
    ("jeugdaanpak", {"governance": "shared"}, 9, False),
    ("jeugdaanpak", {"governance": "lead", "exit_threshold": 0.6}, 10, False),
    ("jeugdaanpak", {}, 11, True),
    ("synthetic", {}, 12, True),
]
out = {}
for scenario, kwargs, seed, first_version in cases:
    extra = {}
    if first_version:
        from model.switches import FIRST_VERSION
        extra["switches"] = FIRST_VERSION
    m = CollaborationModel(scenario=scenario, rng=seed, **kwargs, **extra)
    m.run_for(int(sys.argv[2]))
    result = {
        "metrics": m.datacollector.get_model_vars_dataframe(),
        "partners": m.partner_table(),
        "relations": m.relation_table(),
        "events": repr(m.events),
        "log": repr([(d["step"], d["intervention"], d["hours"], d["effect"], d["targets"]) for d in m.director.log]),
    }
    if kwargs.get("collect_agents"):
        result["agents"] = m.datacollector.get_agenttype_vars_dataframe(Partner)
    out[repr((scenario, sorted(kwargs.items()), seed, first_version))] = result
with open(sys.argv[1], "wb") as f:
    pickle.dump(out, f)
"""


def _outputs(code_dir: Path, path: Path, weeks: int) -> dict:
    env = {"PYTHONPATH": str(code_dir), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-c", PROGRAM, str(path), str(weeks)], cwd=code_dir, env=env, check=True)
    with path.open("rb") as f:
        return pickle.load(f)


def same(a, b) -> bool:
    """Whether two outputs are the same: tables by columns, dtypes, index and every float's bits; others by repr."""
    if not isinstance(a, pd.DataFrame):
        return a == b
    if list(a.columns) != list(b.columns) or list(a.dtypes) != list(b.dtypes) or not a.index.equals(b.index):
        return False
    for column in a.columns:
        x, y = a[column].to_numpy(), b[column].to_numpy()
        if x.dtype.kind == "f":
            if x.tobytes() != y.tobytes():
                return False
        elif not (a[column].astype(str) == b[column].astype(str)).all():
            return False
    return True


def differences(old: dict, new: dict) -> list[str]:
    """The (case, output) pairs that differ, and any case one side lacks."""
    found = [f"{case}: only in one revision" for case in sorted(set(old) ^ set(new))]
    for case in sorted(set(old) & set(new)):
        found += [
            f"{case}: {part}"
            for part in old[case]
            if part not in new[case] or not same(old[case][part], new[case][part])
        ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", required=True, help="the older revision (a commit, tag or branch)")
    parser.add_argument("--weeks", type=int, default=WEEKS)
    args = parser.parse_args(argv)
    with older_checkouts([args.rev]) as dirs, tempfile.TemporaryDirectory() as tmp:
        old = _outputs(dirs[args.rev], Path(tmp) / "old.pickle", args.weeks)
        new = _outputs(ROOT, Path(tmp) / "new.pickle", args.weeks)
    found = differences(old, new)
    outputs = sum(len(parts) for parts in new.values())
    print(f"{len(new)} runs of {args.weeks} weeks, {outputs} outputs: {len(found)} differ from {args.rev}")
    for line in found:
        print(f"  {line}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
