"""Property-based fuzzing of the readers of user files: whatever the bytes or values, a reader either returns a
valid object (one a model can be built from and stepped) or raises ``InputError`` — never another exception."""

from __future__ import annotations

import contextlib
import copy
import tomllib
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from experiments.variants import apply_variant, parse_variant, variant_from_dict
from model import CollaborationModel, load_scenario, parse_scenario
from model.inputs import InputError, read_json, read_toml
from model.scenarios import scenario_from_dict
from tests.corpus.scenarios import GENERATOR
from tests.corpus.scenarios import GOOD as GOOD_SCENARIO
from tests.corpus.variants import GOOD as GOOD_VARIANT

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in a parsed document (keys and list indices)."""
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _mutated(doc: dict, path: tuple, action: str, value: Any) -> dict:
    doc = copy.deepcopy(doc)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):  # add a sibling
        parent[f"{last}_extra"] = value
    else:
        parent.append(value)
    return doc


def mutations(good_text: str):
    """Documents that differ from a good one in one place: a value replaced, a key deleted or one added."""
    good = tomllib.loads(good_text)
    return st.tuples(st.sampled_from(_paths(good)), st.sampled_from(["replace", "delete", "add"]), values).map(
        lambda t: _mutated(good, *t)
    )


def _accepted_scenario_runs(scenario) -> None:
    model = CollaborationModel(scenario=scenario, rng=1)
    model.run_for(2)


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_are_a_scenario_or_an_input_error(data: bytes):
    with contextlib.suppress(InputError):
        parse_scenario(data, source="fuzz.toml")


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_a_variant_or_an_input_error(text: str):
    with contextlib.suppress(InputError):
        parse_variant(text, source="fuzz.toml")


@FUZZ
@given(mutations(GOOD_SCENARIO))
def test_a_scenario_changed_in_one_place_is_refused_or_runs(doc: dict):
    try:
        scenario = scenario_from_dict(doc, source="fuzz.toml")
    except InputError:
        return
    _accepted_scenario_runs(scenario)


@FUZZ
@given(mutations(GENERATOR))
def test_a_generator_changed_in_one_place_is_refused_or_runs(doc: dict):
    try:
        scenario = scenario_from_dict(doc, source="fuzz.toml")
    except InputError:
        return
    _accepted_scenario_runs(scenario)


@FUZZ
@given(mutations(GOOD_VARIANT))
def test_a_variant_changed_in_one_place_is_refused_or_applies_and_runs(doc: dict):
    base = load_scenario("jeugdaanpak")
    try:
        variant = variant_from_dict(doc, source="fuzz.toml")
        scenario = apply_variant(base, variant)
        kwargs = dict(variant.settings)
        if variant.governance:
            kwargs["governance"] = variant.governance
        model = CollaborationModel(scenario=scenario, rng=1, **kwargs)
    except InputError:
        return
    model.run_for(2)


@FUZZ
@given(st.integers(min_value=1, max_value=200), st.sampled_from(["[", "{a = "]))
def test_deep_nesting_is_an_input_error_not_a_recursion_error(depth: int, opener: str):
    closer = "]" if opener == "[" else "}"
    text = "x = " + opener * depth + "1" + closer * depth
    try:
        doc = read_toml(text, "document", "fuzz.toml")
    except InputError as e:
        assert depth > 31 and "nested" in str(e)
        return
    assert depth <= 32 and doc


@FUZZ
@given(st.text(max_size=200))
def test_any_text_is_json_or_an_input_error(text: str):
    with contextlib.suppress(InputError):
        read_json(text, "session", "fuzz.json")


def test_very_deep_json_is_an_input_error():
    with pytest.raises(InputError, match="nested"):
        read_json("[" * 100_000 + "]" * 100_000, "session", "deep.json")
