"""Calibration constants: declared once, passed in by the model, overridable with checks, and documented.

The constants table (model/constants.py) is the one declaration of every modelling choice inside the submodels.
These tests check that it covers the code (every constant is passed in and changes something; no unnamed
calibration number is left in the tick's code), that overrides work in the expected direction and are refused
when bad, and that the ODD's table is the code's table.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from model import CONSTANTS, CollaborationModel, InputError, parse_scenario
from model.constants import DECLARED, check_constants, markdown_table, resolve
from model.parameters import PARAMETERS

MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
#: The modules of the model's dynamics: they take the constants in force and pass them on.
DYNAMICS = ["model.py", "submodels.py", "state.py", "agents.py", "interventions.py", "strategies.py", "evidence.py"]


def _tree(name: str) -> ast.Module:
    return ast.parse((MODEL_DIR / name).read_text(encoding="utf-8"))


def _subscript_keys(tree: ast.AST) -> set[str]:
    """Every text used as a subscript key: ``c["met_tolerance"]``, ``constants["base_rate"]``."""
    return {
        node.slice.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    }


def _numbers_in_functions(tree: ast.Module) -> list[tuple[str, float, int]]:
    """(function, value, line) of every numeric literal inside a function (bodies and defaults); module-level
    named bookkeeping (``MAX_INCIDENTS = 32``) is not inside a function."""
    out = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef):
            for node in ast.walk(fn):
                if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                    out.append((fn.name, node.value, node.lineno))
    return out


# ---- the table covers the code ----------------------------------------------------------------------------------


def test_every_declared_constant_is_passed_in_by_the_model():
    used = set().union(*(_subscript_keys(_tree(name)) for name in DYNAMICS))
    unused = sorted(set(CONSTANTS) - used)
    assert not unused, f"declared but never passed in by the model: {unused}"


def test_every_constant_the_model_reads_is_declared():
    for name in DYNAMICS:
        for node in ast.walk(_tree(name)):
            is_lookup = (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("c", "constants", "DECLARED")
                and isinstance(node.slice, ast.Constant)
            )
            if is_lookup:
                assert node.slice.value in CONSTANTS, f"{name}:{node.lineno} reads undeclared {node.slice.value!r}"


BOOKKEEPING_INTS = {0, 1, 2, 3}  # indices, pairs ("/ 2", "[:2]"), the thirds of equality_gap, a cache's fields


def test_the_tick_code_has_no_unnamed_calibration_numbers():
    """Numbers in the model's dynamics are 0, 1, small counts or numerical guards; a modelling choice is a
    constant (or a named module-level bookkeeping value such as MAX_INCIDENTS)."""
    stray = [
        f"{name}:{line} {fn}() {value!r}"
        for name in DYNAMICS
        for fn, value, line in _numbers_in_functions(_tree(name))
        if not (
            (isinstance(value, int) and value in BOOKKEEPING_INTS)
            or (isinstance(value, float) and (value in (0.0, 1.0) or abs(value) < 1e-6))
        )
    ]
    assert not stray, f"numbers that should be declared constants: {stray}"


#: Numbers in the mechanisms' bodies that are mathematics or numerics, not calibration (function, value): reason.
MECHANISM_NUMBERS = {
    ("lognormal_noise", 0.5): "-sigma^2 / 2 keeps the noise's mean at 1",
    ("commitment_target", 3.0): "the mean of trust, respect and equality",
    ("value_distance", 8): "numpy's pairwise summation starts at 8 terms",
    ("value_distance_between", 8): "numpy's pairwise summation starts at 8 terms",
    ("value_distance", 2): "a matrix has 2 dimensions",
    ("value_distance_between", 2): "a matrix has 2 dimensions",
    ("count_major_clusters", 0.05): "analysis of the Deffuant reproduction (spec 9), not the model",
    ("board_cover", 2.0): "the mean of the two boards' trust in each other",
    ("median", 2): "the middle of the sorted values, and the mean of the two middle ones",
}


def test_the_mechanisms_take_their_calibration_numbers_from_the_table():
    tree = _tree("mechanisms.py")
    defaults = {  # literal keyword defaults: only parameters' declared defaults (the model passes the parameter)
        (fn.name, arg.arg, default.value)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef)
        for arg, default in zip(
            fn.args.args[len(fn.args.args) - len(fn.args.defaults) :], fn.args.defaults, strict=True
        )
        if isinstance(default, ast.Constant) and type(default.value) in (int, float)
    }
    for fn, arg, value in defaults:
        if fn != "count_major_clusters":
            assert arg in PARAMETERS and PARAMETERS[arg].default == value, f"{fn}({arg}={value}) is not a parameter"
    literal_defaults = {(fn, value) for fn, _, value in defaults}
    stray = [
        f"{fn}:{line} {value!r}"
        for fn, value, line in _numbers_in_functions(tree)
        if (fn, value) not in literal_defaults
        and (fn, value) not in MECHANISM_NUMBERS
        and not (value in (0, 1) or abs(value) < 1e-6)
    ]
    assert not stray, f"numbers in mechanisms that should be declared constants: {stray}"


def test_each_constant_is_described_with_a_plausible_range_inside_its_domain():
    for c in CONSTANTS.values():
        assert c.low <= c.value <= c.high, c.name
        assert c.low < c.high, c.name
        lowest, highest = c.domain
        for x in (c.low, c.value, c.high):
            assert c.check(x) == x, c.name
        assert lowest is None or (c.low > lowest if c.low_open else c.low >= lowest)
        assert highest is None or c.high <= highest
        assert c.unit and c.group and c.source and c.description.endswith("."), c.name
        assert c.name not in PARAMETERS, f"{c.name} is both a parameter and a constant"


# ---- every constant is live: overriding it changes the model --------------------------------------------------


def _manual_week(model: CollaborationModel) -> None:
    """Every intervention, a little, each week (16 hours)."""
    for iv, targets, hours in [
        ("vision_session", None, 2),
        ("covenant", None, 5),
        ("role_division", None, 1),
        ("accountability_dialogue", None, 1),
        ("build_info_structure", None, 1),
        ("personal_contact", ["Politie", "GGZ"], 1),
        ("personal_contact", "Halt", 1),
        ("expectation_management", None, 1),
        ("equal_footing", None, 1),
        ("recognize_interests", None, 1),
        ("align_layers", None, 1),
    ]:
        model.apply_intervention(iv, targets=targets, hours=hours)


SETTINGS = [  # between them, every submodel, governance mode, intervention and strategy branch
    dict(scenario="jeugdaanpak", strategy="manual", incident_rate=2.0, blame_culture=0.5, rng=1),
    dict(scenario="synthetic", n_partners=12, governance="shared", strategy="adaptive", incident_rate=1.0, rng=2),
    dict(
        scenario="gebiedsontwikkeling",
        governance="nao",
        evidence_retention=1.0,
        sharing_rate=2.0,
        incident_rate=1.0,
        rng=3,
    ),
    # overloaded and quick to leave: the incident intensity's overload term and the exit thresholds (dependency)
    dict(
        scenario="jeugdaanpak",
        strategy="none",
        sharing_rate=3.0,
        incident_rate=1.5,
        exit_threshold=0.6,
        exit_patience=2,
        rng=4,
    ),
]


def _fingerprint(constants: dict | None) -> list[np.ndarray]:
    out = []
    for setting in SETTINGS:
        model = CollaborationModel(constants=constants, **setting)
        for _ in range(8):
            if model.strategy == "manual":
                _manual_week(model)
            model.step()
        st = model.state
        out.append(model.datacollector.get_model_vars_dataframe().to_numpy(dtype=float))
        out += [st.r, st.s, st.director_r, st.expectation, st.understanding, st.values, np.array([st.drift_off_until])]
    return out


@pytest.fixture(scope="module")
def declared_fingerprint() -> list[np.ndarray]:
    return _fingerprint(None)


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_overriding_a_constant_changes_the_model(name, declared_fingerprint):
    c = CONSTANTS[name]
    other = c.high if c.high != c.value else c.low
    changed = _fingerprint({name: other})
    assert any(not np.array_equal(a, b) for a, b in zip(changed, declared_fingerprint, strict=True)), (
        f"{name} = {other} changes nothing: it is not passed in where it acts"
    )


# ---- overrides act in the expected direction ----------------------------------------------------------------------

SEEDS = range(10)


def _final(metric: str, constants: dict, seed: int, weeks: int = 30, **params) -> float:
    model = CollaborationModel(scenario="jeugdaanpak", rng=seed, constants=constants, **params)
    model.run_for(weeks)
    return float(getattr(model, metric))


def _paired_greater(metric: str, name: str, high: float, low: float, **params) -> float:
    """One-sided Wilcoxon p that ``metric`` is larger with ``name = high`` than with ``name = low`` (paired seeds)."""
    diff = [_final(metric, {name: high}, s, **params) - _final(metric, {name: low}, s, **params) for s in SEEDS]
    return stats.wilcoxon(diff, alternative="greater").pvalue


def test_a_more_tolerant_judgement_raises_trust():
    assert _paired_greater("trust", "met_tolerance", 0.35, 0.15, strategy="none") < 0.01


def test_faster_decay_of_understanding_lowers_understanding():
    assert _paired_greater("understanding", "understanding_decay", 0.005, 0.02, strategy="none") < 0.01


def test_costlier_incidents_lower_task_progress():
    assert _paired_greater("task_progress", "incident_setback", 0.25, 1.0, incident_rate=1.0) < 0.01


def test_a_scenario_table_and_the_argument_give_the_same_run():
    text = (Path(__file__).resolve().parent.parent / "model" / "data" / "jeugdaanpak.toml").read_text()
    scenario = parse_scenario(text + "\n[constants]\nmet_tolerance = 0.3\nadaptation_rate = 0.08\n")
    from_table = CollaborationModel(scenario=scenario, rng=5)
    from_argument = CollaborationModel(
        scenario="jeugdaanpak", rng=5, constants={"met_tolerance": 0.3, "adaptation_rate": 0.08}
    )
    for model in (from_table, from_argument):
        model.run_for(10)
    pd.testing.assert_frame_equal(
        from_table.datacollector.get_model_vars_dataframe(), from_argument.datacollector.get_model_vars_dataframe()
    )


def test_precedence_declared_then_scenario_then_argument():
    text = (Path(__file__).resolve().parent.parent / "model" / "data" / "jeugdaanpak.toml").read_text()
    scenario = parse_scenario(text + "\n[constants]\nmet_tolerance = 0.3\nsynergy = 0.9\n")
    assert scenario.constants == {"met_tolerance": 0.3, "synergy": 0.9}
    model = CollaborationModel(scenario=scenario, rng=1, constants={"met_tolerance": 0.2})
    assert model.constants["met_tolerance"] == 0.2  # the argument wins
    assert model.constants["synergy"] == 0.9  # the scenario's table
    assert model.constants["base_rate"] == DECLARED["base_rate"]  # declared
    assert CollaborationModel(scenario="jeugdaanpak", rng=1).constants == dict(DECLARED)


def test_the_declared_values_give_the_declared_model():
    default = CollaborationModel(scenario="sociaal_domein", rng=4)
    explicit = CollaborationModel(scenario="sociaal_domein", rng=4, constants=dict(DECLARED))
    for model in (default, explicit):
        model.run_for(10)
    pd.testing.assert_frame_equal(
        default.datacollector.get_model_vars_dataframe(), explicit.datacollector.get_model_vars_dataframe()
    )


# ---- bad overrides are refused, naming the constant -------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"met_tolerence": 0.2}, "unknown constant 'met_tolerence'; did you mean 'met_tolerance'"),
        ({"kappa": 2.0}, "unknown constant 'kappa'"),
        ({"met_tolerance": math.nan}, "constant met_tolerance must be a finite number, got nan"),
        ({"synergy": math.inf}, "constant synergy must be a finite number, got inf"),
        ({"met_tolerance": 1.5}, r"constant met_tolerance = 1.5 is outside \[0, 1\]"),
        ({"adaptation_rate": -0.1}, r"constant adaptation_rate = -0.1 is outside \[0, 1\]"),
        ({"synergy": -1}, r"constant synergy = -1.0 is outside >= 0"),
        ({"work_week_hours": 0}, r"constant work_week_hours = 0.0 is outside \(0, 168\]"),
        ({"expectation_management_weeks": 8.5}, "constant expectation_management_weeks must be an integer"),
        ({"base_rate": "0.5"}, "constant base_rate must be a number, got '0.5'"),
        ({"base_rate": True}, "constant base_rate must be a number, got True"),
    ],
)
def test_bad_overrides_are_refused_naming_the_constant(given, message):
    with pytest.raises(InputError, match=message):
        CollaborationModel(scenario="jeugdaanpak", rng=1, constants=given)


def test_constants_must_be_a_table():
    with pytest.raises(InputError, match="constants must be a table"):
        check_constants([("met_tolerance", 0.2)])


def test_integer_constants_take_integral_numbers():
    assert resolve({"expectation_management_weeks": 12.0})["expectation_management_weeks"] == 12
    assert isinstance(resolve({"expectation_management_weeks": 12.0})["expectation_management_weeks"], int)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[constants]\nmet_tolerence = 0.2\n", r"\[constants\]: unknown constant 'met_tolerence'"),
        ("[constants]\nmet_tolerance = nan\n", r"\[constants\]: constant met_tolerance must be a finite number"),
        ("[constants]\nmet_tolerance = 2\n", r"\[constants\]: constant met_tolerance = 2.0 is outside \[0, 1\]"),
        ("constants = 3\n", r"\[constants\] must be a table"),
    ],
)
def test_a_scenario_with_bad_constants_is_refused_naming_the_constant(table, message):
    text = (Path(__file__).resolve().parent.parent / "model" / "data" / "jeugdaanpak.toml").read_text()
    doc = table + text if table.startswith("constants =") else text + "\n" + table  # top-level keys come first
    with pytest.raises(InputError, match=message):
        parse_scenario(doc, source="mine.toml")


# ---- the ODD's table is the code's table ------------------------------------------------------------------------


def test_the_odd_lists_every_constant_as_declared():
    text = ODD.read_text(encoding="utf-8")
    block = re.search(r"<!-- constants table.*?-->\n(.*?)\n<!-- end of the constants table -->", text, re.S)
    regenerate = 'python -c "from model.constants import markdown_table; print(markdown_table())"'
    assert block, f"docs/ODD.md lacks the constants table; {regenerate} prints it"
    assert block.group(1).strip() == markdown_table(), (
        f"docs/ODD.md's constants table differs from model/constants.py; paste the output of {regenerate}"
    )
