"""Bad files given to the dashboard: saved training sessions (``runner="session"``, read by
``dashboards.session.read_session_file``) and uploaded scenarios (``runner="upload"``, read by
``dashboards.state.read_upload``). Both readers apply the dashboard's limits (2,000 partners, 520 weeks, 5 MB,
80 characters a name) themselves; a refused file raises an ``InputError`` whose one-line message matches
``message``. A few good files (``exit=0``) show that the checks do not refuse real sessions and scenarios.
"""

from __future__ import annotations

import json
from typing import Any

from tests.corpus import Case

FORMAT = "netwerkregie-training-session"
MB = 1024 * 1024
HOSTILE = ["<img src=x onerror=alert(1)>", "**bold**", "{{ 1+1 }}", "[link](javascript:alert(1))"]
_DROP = object()


def session(**fields: Any) -> str:
    """A session file: a valid one (jeugdaanpak, seed 1, 4 weeks, one week played) with ``fields`` replaced
    (a field set to ``_DROP`` is left out). ``NaN`` and ``Infinity`` are written as JSON's non-standard tokens."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": 1,
        "scenario": "jeugdaanpak",
        "scenario_toml": None,
        "seed": 1,
        "horizon": 4,
        "params": {},
        "decisions": [[{"intervention": "vision_session", "targets": None, "hours": 12.0}]],
    }
    doc.update(fields)
    return json.dumps({k: v for k, v in doc.items() if v is not _DROP})


def decision(**fields: Any) -> str:
    """A session whose only decision is ``fields`` over a valid personal contact between Politie and GGZ."""
    d: dict[str, Any] = {"intervention": "personal_contact", "targets": ["Politie", "GGZ"], "hours": 2.0}
    d.update(fields)
    return session(decisions=[[{k: v for k, v in d.items() if v is not _DROP}]])


def partners_toml(names: list[str], extra: str = "", name: str = "upload") -> str:
    """A scenario: one partner per name, joined in a chain of relations."""
    parts = [f'name = {json.dumps(name)}\ngovernance = "nao"\nsteps = 26\n{extra}\n']
    for n in names:
        parts.append(f"[[partner]]\nname = {json.dumps(n)}\npower = 0.5\nstake = 0.6\nvalues = [0.5, 0.4]\n")
    for a, b in zip(names, names[1:], strict=False):
        parts.append(f"[[relation]]\nbetween = [{json.dumps(a)}, {json.dumps(b)}]\n")
    return "".join(parts)


MINI = partners_toml(["A", "B", "C"], name="mini")
GENERATED = 'name = "gen"\ngovernance = "nao"\nsteps = 26\n[generator]\nn_partners = {n}\ndegree = 4\n'


def _session(id: str, content: str | bytes, message: str = "", exit: int = 2) -> Case:
    return Case(id=id, files={"session.json": content}, exit=exit, message=message, runner="session")


def _upload(id: str, content: str | bytes, message: str = "", exit: int = 2) -> Case:
    return Case(id=id, files={"upload.toml": content}, exit=exit, message=message, runner="upload")


SESSIONS = [
    # good sessions: the checks let real files through
    _session("session-good", session(), exit=0),
    _session("session-good-no-week-played", session(decisions=[]), exit=0),
    _session("session-good-uploaded-scenario", session(scenario="mini", scenario_toml=MINI, decisions=[]), exit=0),
    _session(
        "session-good-hostile-partner-names",
        session(
            scenario="hostile",
            scenario_toml=partners_toml(HOSTILE, name="hostile"),
            decisions=[[{"intervention": "personal_contact", "targets": HOSTILE[:2], "hours": 2.0}]],
        ),
        exit=0,
    ),
    # the file itself
    _session("session-not-json", "{not json", r"session file 'session\.json' is not valid JSON"),
    _session("session-empty-file", b"", r"is not valid JSON"),
    _session("session-not-utf8", b'{"format": "\xff\xfe"}', r"is not a UTF-8 text file"),
    _session("session-oversized", session(pad=" " * (5 * MB)), r"larger than 5 MB"),
    _session(
        "session-oversized-no-limit-advice", b" " * (5 * MB + 1), r"larger than 5 MB \(a limit of the dashboard\)$"
    ),
    _session(
        "session-nested-too-deep",
        session(params="PARAMS").replace('"PARAMS"', "[" * 200 + "]" * 200),
        r"nested more than 32 levels deep",
    ),
    # format and version
    _session("session-not-an-object", "[1, 2, 3]", r"is not a training session"),
    _session("session-format-missing", session(format=_DROP), r'not a training session \(expected "format"'),
    _session("session-format-wrong", session(format="something else"), r"is not a training session"),
    _session("session-version-2", session(version=2), r"version 2 is not supported \(expected 1\)"),
    _session("session-version-true", session(version=True), r"version True is not supported"),
    _session("session-version-text", session(version="1"), r"version '1' is not supported"),
    _session("session-unknown-field", session(extra=1), r"unknown field\(s\) \['extra'\]"),
    # the scenario
    _session("session-scenario-unknown", session(scenario="nowhere"), r"unknown scenario 'nowhere'"),
    _session("session-scenario-is-a-path", session(scenario="/etc/passwd"), r"unknown scenario '/etc/passwd'"),
    _session("session-scenario-not-text", session(scenario=5), r"scenario must be a text, got 5"),
    _session("session-scenario-name-too-long", session(scenario="x" * 500), r"500 characters long; at most 90"),
    _session("session-scenario-toml-not-text", session(scenario_toml=5), r"scenario_toml must be a text"),
    _session("session-scenario-toml-not-toml", session(scenario_toml="name = ["), r"is not valid TOML"),
    _session(
        "session-scenario-toml-huge-generator",
        session(scenario="gen", scenario_toml=GENERATED.format(n=1_000_000), decisions=[]),
        r"n_partners = 1,000,000 is more than the limit of 2,000",
    ),
    _session(
        "session-scenario-toml-too-many-weeks",
        session(scenario="mini", scenario_toml=MINI.replace("steps = 26", "steps = 100000"), decisions=[]),
        r"steps = 100,000 is more than the limit of 520",
    ),
    _session(
        "session-synthetic-a-million-partners",
        session(scenario="synthetic", params={"n_partners": 1_000_000}, decisions=[]),
        r"n_partners = 1,000,000 is more than the limit of 2,000",
    ),
    _session(
        "session-synthetic-2001-partners",
        session(scenario="synthetic", params={"n_partners": 2001}, decisions=[]),
        r"more than the limit of 2,000",
    ),
    _session(
        "session-n-partners-of-a-fixed-scenario",
        session(params={"n_partners": 12}),
        r"n_partners applies only to generated scenarios",
    ),
    # seed and horizon
    _session("session-seed-missing", session(seed=_DROP), r"lacks 'seed'"),
    _session("session-seed-negative", session(seed=-1), r"seed = -1 is outside \[0, "),
    _session("session-seed-above-2-63", session(seed=2**64), r"seed = 18446744073709551616 is outside"),
    _session("session-seed-fraction", session(seed=1.5), r"seed must be an integer, got 1\.5"),
    _session("session-seed-text", session(seed="1"), r"seed must be an integer, got '1'"),
    _session("session-seed-boolean", session(seed=True), r"seed must be an integer, got True"),
    _session("session-seed-nan", session(seed=float("nan")), r"contains NaN, which is not a finite number"),
    _session("session-seed-1e400", session().replace('"seed": 1', '"seed": 1e400'), r"seed must be a finite number"),
    _session("session-horizon-zero", session(horizon=0, decisions=[]), r"horizon = 0 is outside \[1, 520\]"),
    _session("session-horizon-521", session(horizon=521), r"horizon = 521 is outside \[1, 520\]"),
    _session("session-horizon-a-billion", session(horizon=10**9), r"horizon = 1000000000 is outside"),
    _session("session-horizon-fraction", session(horizon=26.5), r"horizon must be an integer"),
    _session("session-horizon-infinity", session(horizon=float("inf")), r"contains Infinity"),
    # parameters
    _session("session-params-not-a-table", session(params=[1]), r"params must be a table"),
    _session("session-params-unknown", session(params={"magic": 1}), r"unknown parameter 'magic'"),
    _session("session-params-strategy", session(params={"strategy": "balanced"}), r"may not set strategy"),
    _session("session-params-scenario-path", session(params={"scenario": "/etc/passwd"}), r"may not set scenario"),
    _session("session-params-out-of-range", session(params={"blame_culture": 5}), r"blame_culture=5 is not valid"),
    _session("session-params-nan", session(params={"blame_culture": float("nan")}), r"contains NaN"),
    _session(
        "session-params-wrong-type", session(params={"blame_culture": "high"}), r"blame_culture='high' is not valid"
    ),
    # decisions: the lists
    _session("session-decisions-not-a-list", session(decisions="lots"), r"decisions must be a list"),
    _session("session-decisions-null", session(decisions=None), r"decisions must be a list, got None"),
    _session("session-week-not-a-list", session(decisions=[{"a": 1}]), r"decisions of week 1 must be a list"),
    _session(
        "session-five-mb-of-numbers",
        session(params="P").replace('"P"', "[" + "1," * (2 * MB) + "1]"),
        r"holds more than 300,000 values",
    ),
    _session(
        "session-more-weeks-than-the-horizon",
        session(horizon=2, decisions=[[], [], []]),
        r"decisions must have 0 to 2 items, got 3",
    ),
    _session(
        "session-a-million-weeks",
        session(horizon=520, decisions="WEEKS").replace('"WEEKS"', "[" + ",".join(["[]"] * 1_000_000) + "]"),
        r"holds more than 300,000 values, lines and lists",
    ),
    _session(
        "session-too-many-decisions-in-a-week",
        session(decisions=[[{"intervention": "covenant", "hours": 0.1}] * 65]),
        r"decisions of week 1 must have 0 to 64 items, got 65",
    ),
    _session("session-decision-not-a-table", session(decisions=[["covenant"]]), r"a decision must be a table"),
    # decisions: each field
    _session("session-intervention-unknown", decision(intervention="magic"), r"unknown intervention 'magic'"),
    _session("session-intervention-not-text", decision(intervention=3), r"unknown intervention 3"),
    _session("session-intervention-missing", decision(intervention=_DROP), r"decision lacks 'intervention'"),
    _session("session-decision-unknown-field", decision(cost=1), r"unknown field\(s\) \['cost'\]"),
    _session("session-hours-nan", decision(hours=float("nan")), r"contains NaN, which is not a finite number"),
    _session("session-hours-infinity", decision(hours=float("inf")), r"contains Infinity"),
    _session("session-hours-minus-infinity", decision(hours=float("-inf")), r"contains -Infinity"),
    _session("session-hours-1e400", decision().replace('"hours": 2.0', '"hours": 1e400'), r"must be a finite number"),
    _session("session-hours-zero", decision(hours=0), r"hours of 'personal_contact' = 0\.0 is outside \(0, "),
    _session("session-hours-negative", decision(hours=-3), r"= -3\.0 is outside"),
    _session("session-hours-text", decision(hours="2"), r"hours of 'personal_contact' must be a number, got '2'"),
    _session("session-hours-boolean", decision(hours=True), r"must be a number, got True"),
    _session("session-hours-missing", decision(hours=_DROP), r"decision lacks 'hours'"),
    _session("session-hours-huge", decision(hours=1e308), r"is outside \(0, 10000\]"),
    _session("session-hours-more-than-the-week", decision(hours=40), r"week 1: .*only 16 are left"),
    _session(
        "session-targets-unknown", decision(targets=["Nobody", "GGZ"]), r"targets 'Nobody', which is not a partner"
    ),
    _session(
        "session-targets-hostile-name",
        decision(targets=[HOSTILE[0], "GGZ"]),
        r"targets '<img src=x onerror=alert\(1\)>', which is not a partner",
    ),
    _session(
        "session-targets-not-a-list", decision(targets="Politie"), r"targets of 'personal_contact' must be a list"
    ),
    _session("session-targets-empty-list", decision(targets=[]), r"must have 1 to 2,?000 items, got 0"),
    _session("session-targets-twice", decision(targets=["GGZ", "GGZ"]), r"name a partner twice"),
    _session("session-targets-numbers", decision(targets=[1, 2]), r"a target of 'personal_contact' must be a text"),
    _session("session-targets-too-long-name", decision(targets=["x" * 81, "GGZ"]), r"81 characters long; at most 80"),
    _session(
        "session-targets-too-many",
        decision(targets=[f"p{i}" for i in range(2001)]),
        r"must have 1 to 2,?000 items, got 2,001",
    ),
    _session(
        "session-targets-of-a-pair-intervention-three",
        decision(targets=["Politie", "GGZ", "Onderwijs"]),
        r"week 1: personal_contact takes one partner .* or a pair",
    ),
]

SCENARIOS = [
    _upload("upload-good", MINI, exit=0),
    _upload("upload-good-generated", GENERATED.format(n=40), exit=0),
    _upload("upload-good-hostile-partner-names", partners_toml(HOSTILE, name="<b>x</b>"), exit=0),
    _upload("upload-good-2000-partners", partners_toml([f"p{i}" for i in range(2000)]), exit=0),
    _upload("upload-not-toml", "name = [unclosed", r"upload\.toml is not a valid scenario: .*is not valid TOML"),
    _upload("upload-binary-pickle", b"\x80\x04K\x01.", r"is not a UTF-8 text file"),
    _upload("upload-empty", b"", r"needs at least two \[\[partner\]\] entries"),
    _upload("upload-oversized", b"#" * (5 * MB + 1), r"File upload\.toml is larger than 5 MB"),
    _upload(
        "upload-too-many-partners",
        partners_toml([f"p{i}" for i in range(2001)]),
        r"partners = 2,001 is more than the limit of 2,000 \(a limit of the dashboard\)",
    ),
    _upload("upload-generator-a-million", GENERATED.format(n=1_000_000), r"n_partners = 1,000,000 is more than the"),
    _upload("upload-generator-n-fraction", GENERATED.format(n=12.5), r"n_partners must be an integer"),
    _upload(
        "upload-generator-degree-huge",
        GENERATED.format(n=12).replace("degree = 4", "degree = 100000"),
        r"degree = 100000 is outside",
    ),
    _upload("upload-too-many-weeks", MINI.replace("steps = 26", "steps = 521"), r"steps = 521 is more than the limit"),
    _upload(
        "upload-a-trillion-weeks", MINI.replace("steps = 26", f"steps = {10**12}"), r"is more than the limit of 520"
    ),
    _upload(
        "upload-name-too-long", partners_toml(["A", "B"], name="x" * 81), r"name is 81 characters long; at most 80"
    ),
    _upload("upload-partner-name-too-long", partners_toml(["A", "y" * 200]), r"200 characters long; at most 80"),
    _upload("upload-partner-name-control-character", partners_toml(["A", "B\u0007"]), r"contains a control character"),
    _upload(
        "upload-title-too-long",
        MINI.replace('name = "mini"', f'name = "mini"\ntitle = "{"t" * 501}"'),
        r"501 characters long; at most 500",
    ),
    _upload(
        "upload-description-too-long",
        MINI.replace('name = "mini"', f'name = "mini"\ndescription = "{"d" * 10_001}"'),
        r"10,001 characters long; at most 10,000",
    ),
    _upload("upload-five-mb-of-numbers", "x = [" + "1," * (2 * MB) + "]\n", r"holds more than 300,000 values"),
    _upload("upload-350-thousand-keys", "".join(f"k{i} = 1\n" for i in range(350_000)), r"holds more than 300,000"),
    _upload("upload-nested-too-deep", "x = " + "[" * 100 + "]" * 100 + "\n", r"nested more than 32 levels deep"),
    _upload(
        "upload-power-nan", MINI.replace("power = 0.5", "power = nan", 1), r"power must be a finite number, got nan"
    ),
    _upload(
        "upload-power-infinity", MINI.replace("power = 0.5", "power = inf", 1), r"must be a finite number, got inf"
    ),
    _upload("upload-power-text", MINI.replace("power = 0.5", 'power = "high"', 1), r"power must be a number"),
    _upload(
        "upload-relation-unknown-partner",
        MINI + '[[relation]]\nbetween = ["A", "Nobody"]\n',
        r"unknown partner 'Nobody'",
    ),
    _upload(
        "upload-partner-without-relation",
        partners_toml(["A", "B"]) + '[[partner]]\nname = "C"\npower = 0.5\nstake = 0.6\nvalues = [0.5, 0.4]\n',
        r"without any relation: 'C'",
    ),
    _upload("upload-duplicate-partner", partners_toml(["A", "B", "A"]), r"partner name\(s\) repeated: 'A'"),
    _upload("upload-one-partner", partners_toml(["A"]), r"needs at least two \[\[partner\]\] entries"),
    _upload(
        "upload-set-n-partners",
        partners_toml(["A", "B"], extra="[set]\nn_partners = 1000000\n"),
        r"unknown or fixed parameter 'n_partners'",
    ),
    _upload(
        "upload-set-scenario-path",
        partners_toml(["A", "B"], extra='[set]\nscenario = "/etc/passwd"\n'),
        r"unknown or fixed parameter 'scenario'",
    ),
    _upload(
        "upload-set-unknown-parameter",
        partners_toml(["A", "B"], extra="[set]\nmagic = 1\n"),
        r"unknown or fixed parameter 'magic'",
    ),
    _upload("upload-unknown-top-field", 'script = "alert(1)"\n' + MINI, r"unknown field\(s\) \['script'\]"),
    _upload(
        "upload-values-17-dimensions",
        MINI.replace("values = [0.5, 0.4]", "values = [" + ", ".join(["0.5"] * 17) + "]"),
        r"values must be a list of 1 to 16 numbers",
    ),
]

CASES = SESSIONS + SCENARIOS
