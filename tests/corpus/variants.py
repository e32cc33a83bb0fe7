"""Bad what-if variants and compare command lines, given to ``netwerkregie compare jeugdaanpak``."""

from __future__ import annotations

from tests.corpus import Case

GOOD = """name = "Woonstede erbij"
governance = "nao"

[[add_partner]]
name = "Woonstede"
kind = "woningcorporatie"
power = 0.4
stake = 0.6
links = ["Gemeente", "Politie"]

[set]
director_hours = 24
"""

COMPARE = ("compare", "jeugdaanpak", "{v.toml}", "--replications", "2", "--steps", "1", "--workers", "1")


def _variant(content: str | bytes, case_id: str, message: str, exit: int = 2, argv: tuple[str, ...] = COMPARE) -> Case:
    return Case(id=f"variant-{case_id}", argv=argv, files={"v.toml": content}, exit=exit, message=message)


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def _compare(case_id: str, extra: tuple[str, ...], message: str, exit: int = 2) -> Case:
    argv = ("compare", "jeugdaanpak", "{v.toml}", "--steps", "1", "--workers", "1", *extra)
    return Case(id=f"compare-{case_id}", argv=argv, files={"v.toml": GOOD}, exit=exit, message=message)


CASES = [
    _variant(GOOD, "good-control", "", exit=0),
    # the document
    _variant("name = ", "not-toml", "not valid TOML"),
    _variant(b"\xc3\x28", "not-utf8", "not a UTF-8"),
    _variant("a = " + "[" * 3000 + "]" * 3000, "nested-3000", "nested"),
    _variant("[set]\nx = " + "[" * 40 + "]" * 40, "nested-40-in-set", "nested more than 32"),
    _variant("colour = 1\n" + GOOD, "unknown-top-field", "unknown field.*colour"),
    _variant(_edit('name = "Woonstede erbij"', "name = 3"), "name-number", "name must be a text"),
    _variant(_edit('name = "Woonstede erbij"', 'name = ""'), "name-empty", "must not be empty"),
    _variant(_edit('name = "Woonstede erbij"', 'name = "' + "x" * 1000 + '"'), "name-too-long", "characters long"),
    _variant(_edit('governance = "nao"', 'governance = "anarchy"'), "governance-unknown", "not one of"),
    _variant(_edit('governance = "nao"', "governance = 1"), "governance-number", "not one of"),
    _variant(_edit('governance = "nao"', 'description = ["a"]'), "description-list", "description must be a text"),
    # [set]
    _variant(_edit("director_hours = 24", "director_hours = nan"), "set-nan", "director_hours.*not valid"),
    _variant(_edit("director_hours = 24", "director_hours = 1e400"), "set-inf", "director_hours.*not valid"),
    _variant(_edit("director_hours = 24", "director_hours = 1000"), "set-out-of-range", "director_hours"),
    _variant(_edit("director_hours = 24", 'scenario = "synthetic"'), "set-scenario", "cannot set 'scenario'"),
    _variant(_edit("director_hours = 24", "wizardry = 1"), "set-unknown", "unknown parameter 'wizardry'"),
    _variant(_edit("director_hours = 24", 'governance = "shared"'), "set-governance-conflict", "given twice"),
    _variant(_edit("director_hours = 24", "n_partners = 20"), "set-n-partners-fixed-scenario", "n_partners applies"),
    _variant("set = [1]\n" + GOOD.split("[set]")[0], "set-not-table", "must be a table"),
    # add_partner
    _variant(_edit('name = "Woonstede"', 'name = "Politie"'), "add-existing-name", "exists already"),
    _variant(
        _edit('links = ["Gemeente", "Politie"]', 'links = ["Gemeente", "Nergens"]'),
        "add-link-unknown",
        "unknown partner 'Nergens'",
    ),
    _variant(_edit('links = ["Gemeente", "Politie"]', "links = []"), "add-links-empty", "links must have"),
    _variant(
        _edit('links = ["Gemeente", "Politie"]', 'links = ["Gemeente", "Gemeente"]'),
        "add-link-twice",
        "names a partner twice",
    ),
    _variant(_edit('links = ["Gemeente", "Politie"]\n', ""), "add-without-links", "needs links"),
    _variant(_edit("power = 0.4\n", ""), "add-without-power", "lacks power"),
    _variant(_edit("power = 0.4", "power = nan"), "add-power-nan", "power must be a finite number"),
    _variant(_edit("stake = 0.6", "stake = -3"), "add-stake-negative", "stake = -3.0 is outside"),
    _variant(_edit('kind = "woningcorporatie"', 'kind = ["x"]'), "add-kind-list", "kind must be a text"),
    _variant(_edit("stake = 0.6", "stake = 0.6\nvalues = [0.5]"), "add-values-wrong-dims", "values need 2 numbers"),
    _variant(_edit("stake = 0.6", "stake = 0.6\ntrust = [0.5, inf]"), "add-trust-inf", "trust must be a finite"),
    _variant(_edit("stake = 0.6", "stake = 0.6\ncolour = 1"), "add-unknown-field", "unknown field.*colour"),
    _variant(
        _edit('name = "Woonstede"', 'like = "Niemand"\nname = "Woonstede"'),
        "add-like-unknown",
        "unknown partner 'Niemand'",
    ),
    _variant(
        GOOD.replace("[[add_partner]]", "add_partner = 3\n[[other]]"),
        "add-not-tables",
        "add_partner must be a list of tables|unknown field",
    ),
    # remove, merge, relations
    _variant('[[remove_partner]]\nname = "Niemand"\n', "remove-unknown", "unknown partner 'Niemand'"),
    _variant(
        '[[remove_partner]]\nname = "Onderwijs"\n[[remove_partner]]\nname = "Politie"\n[[remove_partner]]\n'
        'name = "Openbaar Ministerie"\n',
        "remove-leaves-lonely",
        "without any relation: Halt",
    ),
    _variant(
        "".join(
            f'[[remove_partner]]\nname = "{n}"\n'
            for n in (
                "Gemeente",
                "Politie",
                "Openbaar Ministerie",
                "Jeugdbescherming",
                "Reclassering",
                "GGZ",
                "Onderwijs",
                "Woningcorporatie",
                "Wijkteam",
                "Halt",
            )
        ),
        "remove-every-partner",
        "removes every partner",
    ),
    _variant("[[remove_partner]]\nname = 5\n", "remove-name-number", "name must be a text"),
    _variant('[[merge_partners]]\nnames = ["Politie"]\ninto = "X"\n', "merge-one-name", "two or more"),
    _variant('[[merge_partners]]\nnames = ["Politie", "Politie"]\n', "merge-same-twice", "twice"),
    _variant(
        '[[merge_partners]]\nnames = ["Politie", "GGZ"]\ninto = "Gemeente"\n', "merge-into-existing", "exists already"
    ),
    _variant('[[merge_partners]]\nnames = ["Politie", "Spook"]\n', "merge-unknown", "unknown partner 'Spook'"),
    _variant(
        '[[merge_partners]]\nnames = ["Politie", "GGZ"]\npower = 9\n',
        "merge-power-out-of-range",
        "power = 9.0 is outside",
    ),
    _variant('[[remove_relation]]\nbetween = ["Halt", "GGZ"]\n', "remove-missing-relation", "no such relation"),
    _variant('[[remove_relation]]\nbetween = ["Halt", "Halt"]\n', "remove-relation-self", "with itself"),
    _variant('[[add_relation]]\nbetween = ["Gemeente", "Politie"]\n', "add-existing-relation", "exists already"),
    _variant('[[add_relation]]\nbetween = ["Gemeente"]\n', "add-relation-one-name", "needs between"),
    _variant('[[add_relation]]\nbetween = ["Halt", "GGZ"]\ntrust = 2\n', "add-relation-trust-2", "trust = 2.0"),
    # compare command lines
    _compare("replications-one", ("--replications", "1"), "at least 2"),
    _compare("replications-1e11", ("--replications", "100000000000"), "limit of 10,000"),
    _compare("replications-negative", ("--replications", "-5"), "--replications"),
    _compare("replications-text", ("--replications", "many"), "--replications.*integer"),
    _compare("steps-over-limit", ("--steps", "999999"), "limit of 5,200"),
    _compare("steps-zero", ("--steps", "0"), "positive number of weeks"),
    _compare("seed-negative", ("--seed", "-1"), "--seed"),
    _compare("seed-2-64", ("--seed", str(2**64)), "--seed"),
    _compare("strategy-unknown", ("--strategy", "tyrant"), "strategy"),
    _compare("workers-zero", ("--workers", "0"), "--workers"),
    _compare("out-wrong-suffix", ("--out", "{tmp}/table.xlsx"), r"ending in \.csv"),
    _compare("out-folder", ("--out", "{tmp}"), r"folder|ending in \.csv"),
    _compare("out-under-a-file", ("--out", "{v.toml}/table.csv"), "is a file, not a folder"),
    _compare("report-wrong-suffix", ("--report", "{tmp}/r.pdf"), r"ending in \.html"),
    _compare("report-under-a-file", ("--report", "{v.toml}/r.html"), "is a file, not a folder"),
    _compare("limit-raised-allows", ("--replications", "2", "--limit", "replications=3"), "", exit=0),
    _compare("limit-unknown", ("--limit", "speed=3"), "--limit 'speed=3'"),
    _compare("limit-not-a-number", ("--limit", "steps=lots"), "positive integer"),
    Case(
        id="compare-variant-missing",
        argv=("compare", "jeugdaanpak", "{tmp}/nope.toml", "--steps", "1"),
        exit=2,
        message="variant file .*nope.toml' does not exist",
    ),
    Case(
        id="compare-variant-is-folder",
        argv=("compare", "jeugdaanpak", "{tmp}", "--steps", "1"),
        exit=2,
        message="variant file .* is a folder",
    ),
    Case(
        id="compare-scenario-unknown",
        argv=("compare", "atlantis", "{v.toml}", "--steps", "1"),
        files={"v.toml": GOOD},
        exit=2,
        message="unknown scenario 'atlantis'",
    ),
    Case(
        id="compare-synthetic-variant-changes-network",
        argv=("compare", "synthetic", "{v.toml}", "--steps", "1", "--replications", "2", "--set", "x=1"),
        files={"v.toml": GOOD},
        exit=2,
        message="unrecognized arguments",
    ),
]
