"""The ``netwerkregie`` command: run, sweep, analyze, validate, compare, and start the dashboard.

Exit status 0 on success, 2 on bad input (one line on stderr naming the problem, nothing written), 1 on an
internal error.

This module is the top of ``experiments/``: it imports the modules of the commands, and none of them imports it.
It imports at the top only what the parser needs (the declarations of :mod:`model`, which are light); each command
loads the modules that do its work when it runs (the model with Mesa and pandas, the sweep's Arrow and Dask, the
plots' matplotlib, the validation's scipy statistics, the dashboard), so that ``netwerkregie --help``, every
subcommand's ``--help`` and ``netwerkregie scenarios`` start in a fraction of a second
(``tests/test_imports.py`` checks which libraries they load).
"""

from __future__ import annotations

import os

# The coordinator of a sweep uses Arrow's system allocator (see experiments.sweep); it takes effect only if it is
# set before pyarrow is first imported, which importing the model does.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime as dt  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from experiments.files import atomic_write  # noqa: E402
from experiments.training.command import add_parser as add_debrief_parser  # noqa: E402
from experiments.training.command import add_training_parser  # noqa: E402
from experiments.validate_options import add_arguments as add_validate_arguments  # noqa: E402
from model import METRICS, SIX_CONCEPTS, list_scenarios, load_scenario  # noqa: E402
from model.constants import CONSTANTS, check_constants  # noqa: E402
from model.inputs import (  # noqa: E402
    COMMAND_LINE_LIMITS,
    InputError,
    Limits,
    check_limit,
    check_output_file,
    using_limits,
)
from model.metrics import metric  # noqa: E402
from model.parameters import parse_assignment  # noqa: E402
from model.switches import parse_switch_option  # noqa: E402

__all__ = ["InputError", "UsageError", "atomic_write", "build_parser", "main"]

ROOT = Path(__file__).resolve().parent.parent


UsageError = InputError  # the name earlier versions used for bad input


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one line, exit 2
        self.exit(2, f"netwerkregie: {message}\n")


def _bounded_int(name: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high], refused with the option's name otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} {text[:40]!r}: expected an integer") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name} {value}: expected an integer from {low:,} to {high:,}")
        return value

    return parse


# ---- scenarios, run ------------------------------------------------------------------------------------------


def cmd_scenarios(args: argparse.Namespace) -> int:
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
    values = {}
    for item in items:
        key, value = parse_assignment(item)
        if key == "scenario":
            raise UsageError("give the scenario as the first argument, not with --set")
        values[key] = value
    return values


def parse_constants(items: list[str] | None) -> dict[str, float]:
    """``--constant NAME=VALUE`` options as ``{name: value}``, each checked against the constant's valid domain
    (:mod:`model.constants`).

    Raises:
        InputError: an option without ``=``, an unknown constant (with the closest known name), a value that is not
            a finite number inside the constant's domain.
    """
    given: dict[str, float] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or not name:
            shown = repr(item) if len(item) <= 60 else repr(item[:57] + "...")
            raise InputError(f"--constant {shown}: expected NAME=VALUE, e.g. --constant met_tolerance=0.2")
        if name in CONSTANTS:
            given[name] = _number(name, raw)
        else:
            given[name] = 0.0  # check_constants names the unknown constant and the closest known one
    return check_constants(given, "--constant")


def _number(name: str, raw: str) -> float | int:
    text = raw.replace("_", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        shown = repr(raw) if len(raw) <= 40 else repr(raw[:37] + "...")
        raise InputError(f"--constant {name}={shown}: expected a number") from None


def cmd_run(args: argparse.Namespace) -> int:
    from model import CollaborationModel  # Mesa and pandas: only when a command runs a model

    params = _parse_sets(args.set or [])
    constants = parse_constants(args.constant)
    switches = dict(parse_switch_option(item) for item in args.switch or [])
    if args.strategy is not None:
        params["strategy"] = args.strategy
    if args.out is not None:
        check_output_file(args.out, "--out", (".csv", ".parquet"))
    if args.plot is not None:
        check_output_file(args.plot, "--plot", (".png",))
    scenario = load_scenario(args.scenario)
    steps = args.steps if args.steps is not None else scenario.steps
    check_limit("--steps", steps, "steps")
    model = CollaborationModel(scenario=scenario, rng=args.seed, constants=constants, switches=switches, **params)
    _run_with_progress(model, steps)
    df = model.datacollector.get_model_vars_dataframe()
    df.insert(0, "step", range(len(df)))
    written = []
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() == ".csv":
            atomic_write(out, lambda p: df.to_csv(p, index=False))
        else:
            atomic_write(out, lambda p: df.to_parquet(p, index=False))
        written.append(f"per-week metrics written to {out}")
    if args.plot:
        from experiments.plots import plot_run  # matplotlib: only for a plot

        atomic_write(Path(args.plot), lambda p: plot_run(df, p, title=f"{scenario.title} — {model.strategy}"))
        written.append(f"plot written to {args.plot}")
    print(
        f"{scenario.title} ({model.scenario_name}): {model.state.n} partners, governance {model.governance}, "
        f"strategy {model.strategy}, seed {args.seed}, {steps} weeks"
        + "".join(f", {name} = {value!r}" for name, value in constants.items())
        + "".join(f", {name} {'on' if on else 'off'}" for name, on in switches.items())
    )
    _print_metrics(df.iloc[-1], METRICS)
    for line in written:
        print(line)
    return 0


def _run_with_progress(model, steps: int) -> None:
    from tqdm import tqdm

    if steps >= 20 and model.state.n >= 500 and sys.stderr.isatty():
        for _ in tqdm(range(steps), desc="weeks", unit="wk"):
            model.step()
    elif steps > 0:
        model.run_for(steps)


def _print_metrics(final, names) -> None:
    """The final metrics as a table: name, value (as its declaration shows it) and, for the six concepts, the
    Dutch label."""
    print(f"{'metric':<18} {'value':>10}")
    print(f"{'-' * 18} {'-' * 10}")
    for name in names:
        declared = metric(name)
        extra = f"  ({declared.label_nl})" if name in SIX_CONCEPTS else ""
        print(f"{name:<18} {declared.format(float(final[name])):>10}{extra}")


# ---- the other commands ---------------------------------------------------------------------------------------


def cmd_sweep(args: argparse.Namespace) -> int:
    from experiments import sweep  # Arrow, Dask

    return sweep.main(args)


def cmd_analyze(args: argparse.Namespace) -> int:
    from experiments import analyze  # pandas, SALib, matplotlib

    return analyze.main(args)


def cmd_validate(args: argparse.Namespace) -> int:
    from experiments import validate  # here: its pattern modules import scipy's statistics (seconds)

    return validate.main(args)


def cmd_compare(args: argparse.Namespace) -> int:
    """``netwerkregie compare``: check the input, run the arms, print the table, write the files.

    Raises:
        InputError: bad input (one line; nothing is run or written).
    """
    out = check_output_file(args.out, "--out", (".csv",)) if args.out is not None else None
    report = check_output_file(args.report, "--report", (".html", ".htm")) if args.report is not None else None
    from experiments.compare import format_table, prepare, run_comparison  # the model, pandas
    from experiments.evaluator import Evaluator
    from experiments.report import write_report
    from experiments.runner import default_workers
    from experiments.variants import load_variant

    constants = parse_constants(args.constant)
    switches = dict(parse_switch_option(item) for item in args.switch or [])
    variants = [load_variant(p) for p in args.variants]
    comparison = prepare(
        args.scenario,
        variants,
        replications=args.replications,
        steps=args.steps,
        seed=args.seed,
        strategy=args.strategy,
        constants=constants,
        switches=switches,
    )
    total = len(comparison.arms) * len(comparison.seeds)
    print(
        f"{comparison.scenario.title} ({comparison.scenario.name}): baseline + {len(variants)} variant(s), "
        f"{len(comparison.seeds)} paired seeds each, {comparison.steps} weeks: {total} runs",
        flush=True,
    )
    workers = min(args.workers or default_workers(), total)
    with Evaluator(workers, args.scheduler, progress="runs") as evaluator:
        run_comparison(comparison, evaluator)
    print(format_table(comparison))
    if out:
        atomic_write(out, lambda p: comparison.table.to_csv(p, index=False))
        print(f"table written to {out}")
    if report:
        write_report(comparison, report)
        print(f"report written to {report}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from dashboards import server  # here: the dashboard is a layer above experiments/, loaded only to start it

    if not server.APP.exists():
        raise InputError(f"the dashboard app is missing ({server.APP})")
    return server.serve(args.host, args.port, args.allowed_host or [])


STEPS = _bounded_int("--steps", 0, 2**62)
SEED = _bounded_int("--seed", 0, 2**63 - 1)
REPLICATIONS = _bounded_int("--replications", 1, 2**62)
WORKERS = _bounded_int("--workers", 1, 1024)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="netwerkregie", description="Simulate collaboration between organisations.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("scenarios", help="list the built-in scenarios")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("run", help="one run of a scenario; prints the final metrics")
    p.add_argument("scenario", help="a built-in scenario name or a scenario .toml file")
    p.add_argument("--steps", type=STEPS, default=None, help="weeks to simulate (default: the scenario's)")
    p.add_argument("--seed", type=SEED, default=1, help="random seed (default 1)")
    p.add_argument("--strategy", default=None, help="the director's strategy (default: balanced)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="set a parameter (repeatable)")
    _constant_option(p)
    _switch_option(p)
    p.add_argument("--out", help="write per-week metrics (.csv or .parquet)")
    p.add_argument("--plot", help="write a PNG of the six concepts and task progress")
    _limit_option(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("sweep", help="many runs from a sweep specification (TOML)")
    p.add_argument("spec", help="the sweep specification (.toml)")
    p.add_argument("--out", required=True, help="the results folder (resumes if it exists)")
    p.add_argument("--workers", type=WORKERS, default=None, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, help="a Dask scheduler address, tcp://HOST:PORT")
    p.add_argument("--dry-run", action="store_true", help="print the number of runs and points, run nothing")
    _limit_option(p)
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("analyze", help="sensitivity analysis of a sweep")
    p.add_argument("dir", help="a sweep's results folder")
    p.add_argument("--metric", action="append", default=None, help="metric(s) to analyse (default: task_progress)")
    p.add_argument("--out", default=None, help="figure (.png)")
    _limit_option(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("validate", help="run the pattern experiments of the model spec")
    add_validate_arguments(
        p, workers=WORKERS
    )  # the options of python -m experiments.validate (experiments/validate_options.py)
    _limit_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("compare", help="what-if: a scenario against variants over paired seeds")
    p.add_argument("scenario", help="a built-in scenario name or a scenario .toml file")
    p.add_argument("variants", nargs="+", help="variant .toml files")
    p.add_argument("--replications", type=REPLICATIONS, default=20, help="paired seeds (default 20)")
    p.add_argument("--steps", type=STEPS, default=None, help="weeks (default: the scenario's)")
    p.add_argument("--seed", type=SEED, default=1, help="base seed (default 1)")
    p.add_argument("--strategy", default=None, help="the director's strategy (default: balanced)")
    _constant_option(p, "in every arm")
    _switch_option(p, "in every arm")
    p.add_argument("--workers", type=WORKERS, default=None, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, help="a Dask scheduler address, tcp://HOST:PORT")
    p.add_argument("--report", default=None, help="a self-contained HTML report")
    p.add_argument("--out", default=None, help="the comparison table as CSV")
    _limit_option(p)
    p.set_defaults(func=cmd_compare)

    add_debrief_parser(sub)  # netwerkregie debrief SESSION.json --out debrief.html
    add_training_parser(sub)  # netwerkregie training scenarios | check FILE ...

    p = sub.add_parser("dashboard", help="start the Solara dashboard")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_bounded_int("--port", 1, 65535), default=8765, help="port (default 8765)")
    p.add_argument(
        "--allowed-host",
        action="append",
        default=None,
        metavar="NAME",
        help="a host name or address (optionally NAME:PORT) the page may be opened with, besides 127.0.0.1, "
        "localhost and ::1 (repeatable; e.g. this machine's name in a training room with --host 0.0.0.0)",
    )
    p.set_defaults(func=cmd_dashboard)
    return parser


def _switch_option(parser: argparse.ArgumentParser, where: str = "") -> None:
    """``--switch NAME=on|off``: switch a mechanism of :mod:`model.switches` (repeatable)."""
    parser.add_argument(
        "--switch",
        action="append",
        metavar="NAME=on|off",
        help=f"switch a mechanism of the model on or off{' ' + where if where else ''} "
        "(repeatable), e.g. layers=off; the switches are listed in docs/ODD.md",
    )


def _constant_option(parser: argparse.ArgumentParser, where: str = "") -> None:
    """``--constant NAME=VALUE``: override a calibration constant of :mod:`model.constants` (repeatable)."""
    parser.add_argument(
        "--constant",
        action="append",
        default=None,
        metavar="NAME=VALUE",
        help=f"override a calibration constant{' ' + where if where else ''} (repeatable), e.g. met_tolerance=0.2; "
        "the constants and their valid values are listed in docs/ODD.md, section 7.9",
    )


def _limit_option(parser: argparse.ArgumentParser) -> None:
    """``--limit NAME=N``: raise one of the limits of :class:`model.inputs.Limits` for this command."""
    described = "; ".join(
        f"{name} ({what}, default {getattr(COMMAND_LINE_LIMITS, name):,})" for name, what in Limits.describe().items()
    )
    parser.add_argument(
        "--limit", action="append", default=None, metavar="NAME=N", help=f"raise a limit (repeatable): {described}"
    )


def _log_internal_error(exc: BaseException) -> Path | None:
    """Write the traceback of a defect to a log file; return its path (None if no file could be written)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(exc))
    for folder in (
        Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "netwerkregie",
        Path(tempfile.gettempdir()),
    ):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"netwerkregie-error-{stamp}-{os.getpid()}.log"
            path.write_text(f"netwerkregie {' '.join(sys.argv[1:])}\n\n{text}", encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def _quiet_stdout() -> None:
    """After a broken pipe (``netwerkregie run ... | head -1``): send what is still buffered nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every error ends here: exit 2 for bad input, 1 for a defect of ours."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        limits = COMMAND_LINE_LIMITS.raised(getattr(args, "limit", None))
        with using_limits(limits):
            code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except SystemExit:
        raise
    except InputError as e:  # bad input: one line, no traceback
        _error_line(str(e))
        return 2
    except BrokenPipeError:
        _quiet_stdout()
        return 141
    except KeyboardInterrupt:
        _error_line("interrupted")
        return 130
    except MemoryError:
        _error_line("not enough memory for this request; ask for fewer partners, weeks or runs")
        return 2
    except OSError as e:  # the file system said no: a path the user gave, a full disk
        where = f"{e.filename}: " if e.filename else ""
        _error_line(f"{where}{e.strerror or e}")
        return 2
    except Exception as e:  # a defect of ours: a short line here, the traceback in a log file
        log = _log_internal_error(e)
        detail = f"; details in {log}" if log else ""
        _error_line(f"internal error ({type(e).__name__}: {str(e)[:200]}){detail}")
        return 1


def _error_line(message: str) -> None:
    """One line on stderr: the message's first line, cut to a screen's width of text."""
    line = " ".join(message.split())
    with contextlib.suppress(OSError, ValueError):
        print(f"netwerkregie: {line[:2000]}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
