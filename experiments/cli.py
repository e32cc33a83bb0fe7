"""The ``netwerkregie`` command: run, sweep, analyze, validate, compare, and start the dashboard.

Exit status 0 on success, 2 on bad input (one line on stderr naming the problem, nothing written), 1 on an
internal error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class UsageError(ValueError):
    """Bad input from the user: exit status 2 with one clear line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one line, exit 2
        self.exit(2, f"netwerkregie: {message}\n")


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through a temporary file in the same folder, then rename: never a truncated file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; the result gets a normal file's mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---- scenarios, run ------------------------------------------------------------------------------------------


def cmd_scenarios(args: argparse.Namespace) -> int:
    from model import list_scenarios, load_scenario

    rows = []
    for name in list_scenarios():
        sc = load_scenario(name)
        size = f"{sc.generator.get('n_partners', 50)} (n_partners)" if sc.generated else str(len(sc.partners))
        rows.append((name, sc.title, size, sc.governance))
    widths = [max(len(r[k]) for r in [("name", "title", "partners", "governance"), *rows]) for k in range(4)]
    for r in [("name", "title", "partners", "governance"), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return 0


def _parse_sets(items: list[str]) -> dict:
    from model.parameters import parse_assignment

    values = {}
    for item in items:
        key, value = parse_assignment(item)
        if key == "scenario":
            raise UsageError("give the scenario as the first argument, not with --set")
        values[key] = value
    return values


def cmd_run(args: argparse.Namespace) -> int:
    from model import METRICS, CollaborationModel, load_scenario

    params = _parse_sets(args.set or [])
    if args.strategy is not None:
        params["strategy"] = args.strategy
    for path, kinds in ((args.out, (".csv", ".parquet")), (args.plot, (".png",))):
        if path is not None and Path(path).suffix.lower() not in kinds:
            raise UsageError(f"{path}: expected a file ending in {' or '.join(kinds)}")
    scenario = load_scenario(args.scenario)
    steps = args.steps if args.steps is not None else scenario.steps
    if steps < 0:
        raise UsageError(f"--steps {steps}: expected a non-negative number of weeks")
    model = CollaborationModel(scenario=scenario, rng=args.seed, **params)
    _run_with_progress(model, steps)
    df = model.datacollector.get_model_vars_dataframe()
    df.insert(0, "step", range(len(df)))
    final = df.iloc[-1]
    print(
        f"{scenario.title} ({model.scenario_name}): {model.state.n} partners, governance {model.governance}, "
        f"strategy {model.strategy}, seed {args.seed}, {steps} weeks"
    )
    _print_metrics(final, METRICS)
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() == ".csv":
            atomic_write(out, lambda p: df.to_csv(p, index=False))
        else:
            atomic_write(out, lambda p: df.to_parquet(p, index=False))
        print(f"per-week metrics written to {out}")
    if args.plot:
        from experiments.plots import plot_run

        atomic_write(Path(args.plot), lambda p: plot_run(df, p, title=f"{scenario.title} — {model.strategy}"))
        print(f"plot written to {args.plot}")
    return 0


def _run_with_progress(model, steps: int) -> None:
    if steps >= 20 and model.state.n >= 500 and sys.stderr.isatty():
        from tqdm import tqdm

        for _ in tqdm(range(steps), desc="weeks", unit="wk"):
            model.step()
    else:
        model.run_for(steps)


def _print_metrics(final, names) -> None:
    labels = {
        "trust": "vertrouwen",
        "respect": "respect",
        "equality": "gelijkwaardigheid",
        "freedom": "vrijheid",
        "accountability": "verantwoordelijkheid",
        "transparency": "transparantie",
    }
    print(f"{'metric':<18} {'value':>10}")
    print(f"{'-' * 18} {'-' * 10}")
    for name in names:
        value = float(final[name])
        text = (
            f"{value:.0f}"
            if name in ("incidents", "accounted", "blamed", "exits", "active_partners")
            else f"{value:.3f}"
        )
        extra = f"  ({labels[name]})" if name in labels else ""
        print(f"{name:<18} {text:>10}{extra}")


# ---- the other commands: each lives in its own module --------------------------------------------------------


def cmd_sweep(args: argparse.Namespace) -> int:
    from experiments.sweep import main as sweep_main

    return sweep_main(args)


def cmd_analyze(args: argparse.Namespace) -> int:
    from experiments.analyze import main as analyze_main

    return analyze_main(args)


def cmd_validate(args: argparse.Namespace) -> int:
    from experiments.validate import main as validate_main

    return validate_main(args)


def cmd_compare(args: argparse.Namespace) -> int:
    from experiments.compare import main as compare_main

    return compare_main(args)


def cmd_dashboard(args: argparse.Namespace) -> int:
    app = ROOT / "dashboards" / "app.py"
    if not app.exists():
        raise UsageError(f"the dashboard app is missing ({app})")
    solara = Path(sys.executable).with_name("solara")
    command = [
        str(solara) if solara.exists() else "solara",
        "run",
        str(app),
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
    ]
    print(f"Netwerkregie dashboard on http://{args.host}:{args.port}  (Ctrl-C stops it)", flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="netwerkregie", description="Simulate collaboration between organisations.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("scenarios", help="list the built-in scenarios")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("run", help="one run of a scenario; prints the final metrics")
    p.add_argument("scenario", help="a built-in scenario name or a scenario .toml file")
    p.add_argument("--steps", type=int, default=None, help="weeks to simulate (default: the scenario's)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--strategy", default=None, help="the director's strategy (default: balanced)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="set a parameter (repeatable)")
    p.add_argument("--out", help="write per-week metrics (.csv or .parquet)")
    p.add_argument("--plot", help="write a PNG of the six concepts and task progress")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("sweep", help="many runs from a sweep specification (TOML)")
    p.add_argument("spec", help="the sweep specification (.toml)")
    p.add_argument("--out", required=True, help="the results folder (resumes if it exists)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, help="a Dask scheduler address, tcp://HOST:PORT")
    p.add_argument("--dry-run", action="store_true", help="print the number of runs and points, run nothing")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("analyze", help="sensitivity analysis of a sweep")
    p.add_argument("dir", help="a sweep's results folder")
    p.add_argument("--metric", action="append", default=None, help="metric(s) to analyse (default: task_progress)")
    p.add_argument("--out", default=None, help="figure (.png)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("validate", help="run the pattern experiments of the model spec")
    p.add_argument("--quick", action="store_true", help="fewer seeds and a shorter horizon")
    p.add_argument("--figures", default=None, help="write a figure per pattern to this folder")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("compare", help="what-if: a scenario against variants over paired seeds")
    p.add_argument("scenario", help="a built-in scenario name or a scenario .toml file")
    p.add_argument("variants", nargs="+", help="variant .toml files")
    p.add_argument("--replications", type=int, default=20, help="paired seeds (default 20)")
    p.add_argument("--steps", type=int, default=None, help="weeks (default: the scenario's)")
    p.add_argument("--seed", type=int, default=1, help="base seed (default 1)")
    p.add_argument("--strategy", default=None, help="the director's strategy (default: balanced)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, help="a Dask scheduler address, tcp://HOST:PORT")
    p.add_argument("--report", default=None, help="a self-contained HTML report")
    p.add_argument("--out", default=None, help="the comparison table as CSV")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("dashboard", help="start the Solara dashboard")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.set_defaults(func=cmd_dashboard)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as e:  # bad input: one line, no traceback
        print(f"netwerkregie: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("netwerkregie: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
