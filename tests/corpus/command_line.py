"""Bad command lines: options of run, validate, dashboard and the command itself; paths given for reading or writing."""

from __future__ import annotations

from tests.corpus import Case

TOML = 'name = "x"\n'


def _run(case_id: str, args: tuple[str, ...], message: str, exit: int = 2, files: dict | None = None) -> Case:
    return Case(id=f"run-{case_id}", argv=("run", *args), files=files or {}, exit=exit, message=message)


CASES = [
    Case(id="no-command", argv=(), exit=2, message="required: command"),
    Case(id="unknown-command", argv=("simulate",), exit=2, message="invalid choice: 'simulate'"),
    Case(id="scenarios-extra-argument", argv=("scenarios", "extra"), exit=2, message="unrecognized arguments"),
    Case(id="scenarios-control", argv=("scenarios",), exit=0),
    # run: the scenario argument
    _run("scenario-unknown-name", ("atlantis",), "unknown scenario 'atlantis'"),
    _run("scenario-missing-file", ("{tmp}/gone.toml",), "does not exist"),
    _run("scenario-folder", ("{tmp}",), "is a folder, not a file"),
    _run("scenario-dev-zero", ("/dev/zero",), "not a regular file"),
    _run("scenario-dev-null", ("/dev/null",), "not a regular file"),
    _run("scenario-under-a-file", ("{a.toml}/b.toml",), "does not exist", files={"a.toml": TOML}),
    _run(
        "scenario-too-large",
        ("{big.toml}", "--limit", "file_bytes=1000"),
        "larger than 1,000 bytes",
        files={"big.toml": "# " + "x" * 2000 + "\n"},
    ),
    _run("scenario-empty-name", ("",), "unknown scenario ''"),
    # run: options
    _run("steps-negative", ("jeugdaanpak", "--steps", "-1"), "--steps"),
    _run("steps-text", ("jeugdaanpak", "--steps", "ten"), "--steps 'ten': expected an integer"),
    _run("steps-2-63", ("jeugdaanpak", "--steps", str(2**63 - 1)), "--steps"),
    _run("steps-over-limit", ("jeugdaanpak", "--steps", "5201"), "limit of 5,200"),
    _run("steps-limit-raised", ("jeugdaanpak", "--steps", "5201", "--limit", "steps=5201"), "", exit=0),
    _run("steps-zero-control", ("jeugdaanpak", "--steps", "0"), "", exit=0),
    _run("seed-negative", ("jeugdaanpak", "--seed", "-3"), "--seed"),
    _run("switch-no-value", ("jeugdaanpak", "--switch", "layers"), "expected NAME=on or NAME=off"),
    _run("switch-unknown", ("jeugdaanpak", "--switch", "layer=off"), "unknown switch 'layer'"),
    _run("switch-bad-value", ("jeugdaanpak", "--switch", "layers=maybe"), "--switch layers: 'maybe' is not on or off"),
    _run("switch-control", ("jeugdaanpak", "--steps", "2", "--switch", "layers=off"), "", exit=0),
    _run("seed-float", ("jeugdaanpak", "--seed", "1.5"), "--seed '1.5': expected an integer"),
    _run("seed-huge", ("jeugdaanpak", "--seed", "9" * 30), "--seed"),
    _run("strategy-unknown", ("jeugdaanpak", "--strategy", "chaos"), "strategy='chaos'"),
    _run("strategy-empty", ("jeugdaanpak", "--strategy", ""), "strategy"),
    _run("set-no-equals", ("jeugdaanpak", "--set", "blame_culture"), "is not KEY=VALUE"),
    _run("set-unknown", ("jeugdaanpak", "--set", "charisma=1"), "unknown parameter 'charisma'"),
    _run("set-nan", ("jeugdaanpak", "--set", "blame_culture=nan"), "blame_culture='nan' is not valid|blame_culture"),
    _run("set-inf", ("jeugdaanpak", "--set", "sharing_rate=inf"), "sharing_rate"),
    _run("set-above-range", ("jeugdaanpak", "--set", "blame_culture=1.5"), "blame_culture=1.5"),
    _run("set-int-param-float", ("jeugdaanpak", "--set", "exit_patience=2.5"), "exit_patience"),
    _run("set-bool-param-word", ("jeugdaanpak", "--set", "collect_agents=maybe"), "collect_agents"),
    _run("set-scenario", ("jeugdaanpak", "--set", "scenario=synthetic"), "first argument"),
    _run("set-n-partners-fixed", ("jeugdaanpak", "--set", "n_partners=20"), "n_partners applies only"),
    _run("set-n-partners-over-limit", ("synthetic", "--set", "n_partners=100001"), "limit of 100,000"),
    _run("set-n-partners-one", ("synthetic", "--set", "n_partners=1"), "n_partners"),
    _run("set-huge-number-text", ("jeugdaanpak", "--set", "exit_patience=" + "9" * 5000), "exit_patience"),
    _run("set-governance-unknown", ("jeugdaanpak", "--set", "governance=monarchy"), "governance"),
    # run: outputs, checked before the run
    _run("out-wrong-suffix", ("jeugdaanpak", "--steps", "1", "--out", "{tmp}/m.xlsx"), r"ending in \.csv"),
    _run("out-folder", ("jeugdaanpak", "--steps", "1", "--out", "{tmp}"), r"ending in \.csv|folder"),
    _run(
        "out-folder-with-suffix",
        ("jeugdaanpak", "--steps", "1", "--out", "{tmp}/d.csv"),
        "is a folder",
        files={"d.csv/keep": ""},
    ),
    _run(
        "out-under-a-file",
        ("jeugdaanpak", "--steps", "1", "--out", "{a.toml}/m.csv"),
        "is a file, not a folder",
        files={"a.toml": TOML},
    ),
    _run("plot-wrong-suffix", ("jeugdaanpak", "--steps", "1", "--plot", "{tmp}/p.jpg"), r"ending in \.png"),
    _run(
        "plot-under-a-file",
        ("jeugdaanpak", "--steps", "1", "--plot", "{a.toml}/x/p.png"),
        "is a file",
        files={"a.toml": TOML},
    ),
    _run("plot-empty-name", ("jeugdaanpak", "--steps", "1", "--plot", ""), r"ending in \.png"),
    _run("out-new-folder-control", ("jeugdaanpak", "--steps", "1", "--out", "{tmp}/new/deeper/m.csv"), "", exit=0),
    # dashboard and validate options (refused before anything starts)
    Case(id="dashboard-port-70000", argv=("dashboard", "--port", "70000"), exit=2, message="--port 70000"),
    Case(id="dashboard-port-zero", argv=("dashboard", "--port", "0"), exit=2, message="--port 0"),
    Case(id="dashboard-port-text", argv=("dashboard", "--port", "http"), exit=2, message="--port 'http'"),
    Case(id="validate-workers-zero", argv=("validate", "--workers", "0"), exit=2, message="--workers 0"),
    Case(
        id="validate-figures-a-file",
        argv=("validate", "--quick", "--figures", "{a.toml}"),
        files={"a.toml": TOML},
        exit=2,
        message="exists and is not a folder",
    ),
    Case(
        id="validate-figures-under-a-file",
        argv=("validate", "--quick", "--figures", "{a.toml}/figs"),
        files={"a.toml": TOML},
        exit=2,
        message="is a file, not a folder",
    ),
    Case(id="validate-limit-bad", argv=("validate", "--limit", "depth=0"), exit=2, message="positive integer"),
]
