"""Bad scenario files, given to ``netwerkregie run``: structure, numbers, names, relations, generators, files."""

from __future__ import annotations

from tests.corpus import Case

GOOD = """name = "mini"
title = "Mini"
governance = "nao"
steps = 10

[set]
incident_rate = 0.2

[[partner]]
name = "A"
kind = "gemeente"
power = 0.8
stake = 0.7
values = [0.2, 0.5]

[[partner]]
name = "B"
kind = "politie"
power = 0.5
stake = 0.6
values = [0.8, 0.5]

[[partner]]
name = "C"
kind = "zorgaanbieder"
power = 0.4
stake = 0.6
values = [0.5, 0.5]

[[relation]]
between = ["A", "B"]
trust = [0.6, 0.4]

[[relation]]
between = ["B", "C"]
"""

GENERATOR = """name = "gen"
governance = "nao"
steps = 10

[generator]
n_partners = 12
degree = 4
rewire = 0.1
value_dims = 2
kinds = ["gemeente", "politie"]
power = { dist = "beta", a = 2.0, b = 3.0 }
trust = { dist = "uniform", low = 0.4, high = 0.6 }
"""


def _run(content: str | bytes, case_id: str, message: str, exit: int = 2, extra: tuple[str, ...] = ()) -> Case:
    return Case(
        id=f"scenario-{case_id}",
        argv=("run", "{s.toml}", "--steps", "2", *extra),
        files={"s.toml": content},
        exit=exit,
        message=message,
    )


def _edit(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, count)


def _gen(old: str, new: str) -> str:
    assert old in GENERATOR, old
    return GENERATOR.replace(old, new, 1)


CASES = [
    # controls: the good files run
    _run(GOOD, "good-control", "", exit=0),
    _run(GENERATOR, "generator-good-control", "", exit=0),
    # the document as a whole
    _run("", "empty-file", "at least two"),
    _run("name = ", "not-toml", "not valid TOML"),
    _run(b"\xff\xfe\x00n\x00a\x00m\x00e", "not-utf8", "not a UTF-8"),
    _run(b"name = 'x'\x00\n", "nul-byte", "not valid TOML"),
    _run("x = " + "[" * 2000 + "]" * 2000, "nested-arrays-2000", "nested"),
    _run("x = " + "{a = " * 500 + "1" + "}" * 500, "nested-inline-tables-500", "nested"),
    _run("[a" + ".b" * 60 + "]\nx = 1", "dotted-table-60-deep", "nested|unknown field"),
    _run(GOOD + "\ncolour = 'red'\n", "unknown-top-field", "unknown field.*colour"),
    _run(GOOD + "\n[switches]\nlayers = 'maybe'\n", "switch-bad-value", r"\[switches\]: switch layers: 'maybe'"),
    _run(GOOD + "\n[switches]\nlayer = false\n", "switch-unknown", "unknown switch 'layer'"),
    _run("switches = 3\n" + GOOD, "switches-not-a-table", r"\[switches\] must be a table"),
    _run(GOOD + "\n[switches]\nlayers = false\ndependency = 'uit'\n", "switches-control", "", exit=0),
    _run(GOOD + "\n[set.x]\ny = 1\n", "set-names-table", r"\[set\] names unknown"),
    _run(_edit('name = "mini"', "name = 42"), "name-not-text", "name must be a text"),
    _run(_edit('name = "mini"', 'name = "' + "m" * 5000 + '"'), "name-too-long", "characters long"),
    _run(_edit('title = "Mini"', "title = [1, 2]"), "title-list", "title must be a text"),
    _run(_edit('title = "Mini"', 'description = 7\ntitle = "Mini"'), "description-number", "description must be"),
    _run(_edit('governance = "nao"', 'governance = "king"'), "governance-unknown", "governance.*not one of"),
    _run(_edit('governance = "nao"', "governance = ['nao']"), "governance-list", "governance.*not one of"),
    _run(_edit("steps = 10", "steps = 0"), "steps-zero", "steps must be a positive integer"),
    _run(_edit("steps = 10", "steps = 10.5"), "steps-float", "steps must be a positive integer"),
    _run(_edit("steps = 10", "steps = 9223372036854775807"), "steps-huge", "limit", extra=()),
    _run(_edit("steps = 10", 'steps = "ten"'), "steps-text", "steps must be a positive integer"),
    _run(_edit("steps = 10", "initial_trust = nan\nsteps = 10"), "initial-trust-nan", "initial_trust.*finite"),
    _run(_edit("steps = 10", "director_trust = 1.5\nsteps = 10"), "director-trust-above-1", "director_trust.*outside"),
    # [set]
    _run(_edit("incident_rate = 0.2", "incident_rate = -1"), "set-negative-rate", "incident_rate"),
    _run(_edit("incident_rate = 0.2", "incident_rate = nan"), "set-nan", "incident_rate.*not valid"),
    _run(_edit("incident_rate = 0.2", "incident_rate = inf"), "set-inf", "incident_rate.*not valid"),
    _run(_edit("incident_rate = 0.2", "colour = 0.2"), "set-unknown-parameter", "unknown or fixed parameter 'colour'"),
    _run(_edit("incident_rate = 0.2", "n_partners = 5"), "set-fixed-parameter", "unknown or fixed parameter"),
    _run(_edit("incident_rate = 0.2", 'strategy = "dictator"'), "set-unknown-strategy", "strategy"),
    _run(_edit("incident_rate = 0.2", "contacts_per_week = 2.5"), "set-int-as-float", "contacts_per_week"),
    _run(_edit("incident_rate = 0.2", "blame_culture = true"), "set-bool-for-number", "blame_culture"),
    _run(_edit("[set]\nincident_rate = 0.2", "set = 3"), "set-not-table", r"\[set\] must be a table"),
    # partners
    _run(_edit('name = "A"', 'name = "B"'), "partner-name-repeated", "repeated: 'B'"),
    _run(_edit('name = "A"', 'name = ""'), "partner-name-empty", "must not be empty"),
    _run(_edit('name = "A"', 'name = "   "'), "partner-name-blank", "must not be empty"),
    _run(_edit('name = "A"', 'name = "A\\u0007"'), "partner-name-control-char", "control character"),
    _run(_edit('name = "A"', "name = 1"), "partner-name-number", "name must be a text"),
    _run(_edit('name = "A"\n', ""), "partner-without-name", "lacks 'name'"),
    _run(_edit("power = 0.8", "power = nan"), "partner-power-nan", "power must be a finite number"),
    _run(_edit("power = 0.8", "power = -inf"), "partner-power-minus-inf", "power must be a finite number"),
    _run(_edit("power = 0.8", "power = 1.01"), "partner-power-above-1", r"power = 1.01 is outside \[0, 1\]"),
    _run(_edit("power = 0.8", 'power = "high"'), "partner-power-text", "power must be a number"),
    _run(_edit("power = 0.8\n", ""), "partner-without-power", "lacks 'power'"),
    _run(_edit("stake = 0.7", "stake = true"), "partner-stake-bool", "stake must be a number"),
    _run(_edit("values = [0.2, 0.5]", "values = [0.2, nan]"), "partner-values-nan", "values must be a finite"),
    _run(_edit("values = [0.2, 0.5]", "values = []"), "partner-values-empty", "values must be a list"),
    _run(_edit("values = [0.2, 0.5]", "values = 0.2"), "partner-values-scalar", "values must be a list"),
    _run(_edit("values = [0.2, 0.5]", "values = [0.2]"), "partner-values-dims-differ", "same number of values"),
    _run(_edit("values = [0.2, 0.5]", "values = [" + ", ".join(["0.5"] * 40) + "]"), "values-40-dims", "1 to 16"),
    _run(_edit('kind = "gemeente"', 'kind = ["x"]'), "partner-kind-list", "kind must be a text"),
    _run(_edit('kind = "gemeente"', "kind = 3"), "partner-kind-number", "kind must be a text"),
    _run(_edit("stake = 0.7", "stake = 0.7\nwork_capacity = -1"), "work-capacity-negative", "work_capacity"),
    _run(_edit("stake = 0.7", "stake = 0.7\ninfo_capacity = 0"), "info-capacity-zero", "info_capacity"),
    _run(_edit("stake = 0.7", "stake = 0.7\ndependency = 2"), "dependency-above-1", "dependency"),
    _run(_edit("stake = 0.7", "stake = 0.7\nweight = 2"), "partner-unknown-field", "unknown field.*weight"),
    _run(GOOD.replace("[[partner]]", "[partner]", 1), "partner-table-not-list", "needs at least two|twice|Cannot"),
    _run(GOOD.split("[[partner]]")[0], "no-partners", "at least two"),
    # relations
    _run(_edit('between = ["A", "B"]', 'between = ["A", "X"]'), "relation-unknown-partner", "unknown partner 'X'"),
    _run(_edit('between = ["A", "B"]', 'between = ["A", "A"]'), "relation-with-itself", "with itself"),
    _run(_edit('between = ["A", "B"]', 'between = ["A"]'), "relation-one-name", "between must name two"),
    _run(_edit('between = ["A", "B"]', 'between = ["A", 2]'), "relation-number-name", "between must name two"),
    _run(_edit('between = ["A", "B"]', 'between = "A-B"'), "relation-between-text", "between must name two"),
    _run(
        _edit('between = ["B", "C"]', 'between = ["C", "B"]\n[[relation]]\nbetween = ["B", "C"]'),
        "relation-twice",
        "listed twice",
    ),
    _run(_edit('between = ["B", "C"]\n', "trust = 0.5\n"), "relation-without-between", "needs between"),
    _run(_edit("trust = [0.6, 0.4]", "trust = [0.6, 0.4, 0.2]"), "relation-trust-three", "one number or two"),
    _run(_edit("trust = [0.6, 0.4]", "trust = [0.6, nan]"), "relation-trust-nan", "trust must be a finite"),
    _run(_edit("trust = [0.6, 0.4]", "trust = -0.1"), "relation-trust-negative", "trust = -0.1 is outside"),
    _run(_edit("trust = [0.6, 0.4]", "trust = 0.5\nweight = 3"), "relation-unknown-field", "unknown field.*weight"),
    _run(GOOD.rsplit("[[relation]]", 1)[0], "partner-without-relation", "without any relation: 'C'"),
    # generators
    _run(_gen("degree = 4", "degree = -4"), "generator-degree-negative", r"degree = -4 is outside"),
    _run(_gen("degree = 4", "degree = 4.5"), "generator-degree-float", "degree must be an integer"),
    _run(_gen("rewire = 0.1", "rewire = 5"), "generator-rewire-above-1", r"rewire = 5.0 is outside \[0, 1\]"),
    _run(_gen("rewire = 0.1", "rewire = nan"), "generator-rewire-nan", "rewire must be a finite number"),
    _run(_gen('kinds = ["gemeente", "politie"]', 'kinds = "abc"'), "generator-kinds-text", "kinds must be a list"),
    _run(_gen('kinds = ["gemeente", "politie"]', "kinds = []"), "generator-kinds-empty", "kinds must have"),
    _run(_gen('kinds = ["gemeente", "politie"]', "kinds = [1, 2]"), "generator-kinds-numbers", "kinds must be a text"),
    _run(_gen("value_dims = 2", "value_dims = 0"), "generator-value-dims-zero", "value_dims = 0 is outside"),
    _run(_gen("value_dims = 2", "value_dims = 100000000"), "generator-value-dims-1e8", "value_dims.*outside"),
    _run(_gen("n_partners = 12", "n_partners = 1"), "generator-one-partner", "n_partners = 1 is outside"),
    _run(_gen("n_partners = 12", "n_partners = 100000000"), "generator-partners-over-limit", "limit of 100,000"),
    _run(_gen("n_partners = 12", 'n_partners = "many"'), "generator-partners-text", "n_partners must be an integer"),
    _run(_gen("rewire = 0.1", "rewire = 0.1\nshape = 'ring'"), "generator-unknown-key", "unknown field.*shape"),
    _run(_gen("high = 0.6", "high = inf"), "generator-uniform-high-inf", "high must be a finite number"),
    _run(_gen("low = 0.4, high = 0.6", "low = 0.6, high = 0.4"), "generator-uniform-reversed", "below low"),
    _run(_gen("a = 2.0", "a = 0"), "generator-beta-a-zero", r"a = 0.0 is outside \(0"),
    _run(_gen("a = 2.0", "a = -1"), "generator-beta-a-negative", "a = -1.0 is outside"),
    _run(_gen('dist = "beta"', 'dist = "gamma"'), "generator-unknown-dist", "dist = one of"),
    _run(_gen(", b = 3.0", ""), "generator-beta-lacks-b", "lacks 'b'"),
    _run(
        _gen('dist = "beta", a = 2.0, b = 3.0', 'dist = "normal", mean = 0.5, sd = -1'),
        "generator-sd-negative",
        "sd = -1.0 is outside",
    ),
    _run(_gen("power = {", "power = 3 #"), "generator-distribution-number", "power must be a table"),
    _run(GENERATOR + '\n[[partner]]\nname = "A"\n', "generator-with-partners", "no partner or relation lists"),
    _run(GENERATOR.replace("[generator]", "generator = 5\n[other]"), "generator-not-table", "unknown field|table"),
]
