"""The error funnel of the command line: bad input is exit 2 and one line, a defect of ours is exit 1 with a log,
a closed pipe is quiet, and outputs are checked before any work starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from experiments import cli
from model.inputs import COMMAND_LINE_LIMITS, DASHBOARD_LIMITS, InputError, Limits, current_limits, using_limits
from tests.corpus.scenarios import GOOD

ROOT = Path(__file__).resolve().parent.parent


def _netwerkregie(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "experiments.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, **kw
    )


def test_bad_input_through_the_real_command_line_is_one_line_and_exit_2(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("power = 0.8", "power = nan"))
    done = _netwerkregie("run", str(bad))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "power must be a finite number" in done.stderr
    assert done.stdout == ""


def test_a_closed_pipe_ends_quietly_without_a_traceback():
    shell = f"{sys.executable} -m experiments.cli run jeugdaanpak --steps 3 | head -1; echo rc=${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    first, rc = done.stdout.splitlines()
    assert first.startswith("Aanpak jonge criminelen")
    assert rc in ("rc=0", "rc=141")  # 0 when everything fit in the pipe's buffer before head closed it


def test_a_defect_is_exit_1_with_a_short_line_and_the_traceback_in_a_log(monkeypatch, capsys, tmp_path: Path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))

    def broken(args):
        raise RuntimeError("a defect of ours")

    monkeypatch.setattr(cli, "cmd_scenarios", broken)
    parser = cli.build_parser
    monkeypatch.setattr(
        cli, "build_parser", lambda: _with_func(parser(), "scenarios", broken)
    )  # the parser binds the function at build time
    code = cli.main(["scenarios"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert "internal error (RuntimeError: a defect of ours)" in err[0]
    log = Path(err[0].rsplit("details in ", 1)[1])
    assert log.parent == tmp_path / "netwerkregie"
    assert "Traceback" in log.read_text() and "a defect of ours" in log.read_text()


def _with_func(parser, command: str, func):
    for action in parser._subparsers._group_actions:
        action.choices[command].set_defaults(func=func)
    return parser


def test_outputs_are_checked_before_the_model_runs(monkeypatch, capsys, tmp_path: Path):
    import model

    def never(*a, **k):
        raise AssertionError("the model was built before the output was checked")

    monkeypatch.setattr(model, "CollaborationModel", never)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for option, target in (("--out", blocker / "m.csv"), ("--plot", blocker / "p.png")):
        assert cli.main(["run", "jeugdaanpak", option, str(target)]) == 2
        assert "is a file, not a folder" in capsys.readouterr().err


def test_limits_are_raised_by_name_and_held_only_inside_their_block():
    raised = COMMAND_LINE_LIMITS.raised(["partners=200_000", "steps=9000"])
    assert raised.partners == 200_000 and raised.steps == 9000 and raised.depth == COMMAND_LINE_LIMITS.depth
    with pytest.raises(InputError, match="NAME one of partners"):
        COMMAND_LINE_LIMITS.raised(["speed=3"])
    with using_limits(DASHBOARD_LIMITS):
        assert current_limits().partners == 2_000
    assert current_limits() == Limits()


def test_a_generator_files_own_size_is_used_by_run(tmp_path: Path, capsys):
    path = tmp_path / "gen.toml"
    path.write_text('name = "gen"\n[generator]\nn_partners = 12\ndegree = 4\n')
    assert cli.main(["run", str(path), "--steps", "1"]) == 0
    assert "12 partners" in capsys.readouterr().out


def test_files_that_are_not_files_get_their_own_message(tmp_path: Path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    cases = {str(tmp_path): "is a folder", str(fifo): "not a regular file", "/dev/zero": "not a regular file"}
    for path, message in cases.items():
        assert cli.main(["run", path]) == 2
        assert message in capsys.readouterr().err


@pytest.mark.parametrize("hours", [float("nan"), float("inf"), -1.0, 0, True, "4"])
def test_an_intervention_refuses_hours_that_are_not_a_positive_finite_number(hours):
    from model import CollaborationModel

    model = CollaborationModel(scenario="jeugdaanpak", rng=1, strategy="manual")
    with pytest.raises(InputError, match="hours for 'vision_session'"):
        model.apply_intervention("vision_session", hours=hours)
    assert model.director.hours_left == model.params["director_hours"]
