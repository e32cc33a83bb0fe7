"""Regression: the model reproduces its stored reference outputs for the same seeds.

Performance work must not change what the model computes. The first tests rerun a few short runs (every built-in
scenario for 20 weeks with three strategies, and ``synthetic`` at 200 partners with its final partner and relation
tables) and compare them with the CSV files in ``tests/data/regression/``; the others check that each fast path
equals the plain definition it replaced (on random inputs, ties included).

The references are regenerated only deliberately, when a mechanism or a default changes on purpose (calibration),
in a commit of its own that says why:

    .venv/bin/python benchmarks/make_regression_reference.py
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.make_regression_reference import DATA_DIR, SECOND_DIR, reference_tables
from model import CollaborationModel, interventions
from model import mechanisms as mech
from model.metrics import METRICS

# Bulk sums may be reordered by an optimisation; anything beyond the last few bits is a changed result.
RTOL = 1e-9
ATOL = 1e-12


@pytest.fixture(scope="module")
def current() -> dict[str, pd.DataFrame]:
    """The first version's tables: every mechanism switch of the second version off."""
    return reference_tables()


@pytest.fixture(scope="module")
def current_second() -> dict[str, pd.DataFrame]:
    """The model as it is: every switch on."""
    return reference_tables(None)


def test_every_reference_file_is_produced(current, current_second):
    stored = sorted(p.name for p in DATA_DIR.glob("*.csv"))
    assert stored, f"no reference files in {DATA_DIR}"
    assert sorted(current) == stored
    assert sorted(current_second) == sorted(p.name for p in SECOND_DIR.glob("*.csv"))


@pytest.mark.parametrize("name", sorted(p.name for p in DATA_DIR.glob("*.csv")))
def test_first_version_outputs_equal_stored_reference(current, name):
    """With every switch off, the first version's outputs, exactly."""
    _compare(DATA_DIR, current, name)


@pytest.mark.parametrize("name", sorted(p.name for p in SECOND_DIR.glob("*.csv")))
def test_outputs_equal_stored_reference(current_second, name):
    _compare(SECOND_DIR, current_second, name)


def _compare(directory, current, name):
    stored = pd.read_csv(directory / name)
    now = current[name].reset_index(drop=True)
    if directory == DATA_DIR:  # the first version's columns; the second version's new metrics may follow them
        assert list(now.columns[: len(stored.columns)]) == list(stored.columns), f"{name}: columns differ"
        now = now[list(stored.columns)]
    assert list(now.columns) == list(stored.columns), f"{name}: columns differ"
    assert len(now) == len(stored), f"{name}: {len(now)} rows, reference has {len(stored)}"
    for column in stored.columns:
        if not pd.api.types.is_numeric_dtype(stored[column]):
            assert (now[column].astype(str) == stored[column]).all(), f"{name}: column {column} differs"
            continue
        np.testing.assert_allclose(
            now[column].to_numpy(dtype=float),
            stored[column].to_numpy(dtype=float),
            rtol=RTOL,
            atol=ATOL,
            err_msg=f"{name}: column {column} differs from the stored reference",
        )


# ---- the fast paths equal the straightforward definitions they replace ------------------------------------------


def _gumbel_top_k_by_sorting(src, weights_log, uniforms, offsets, k):
    """Gumbel-top-k by a full stable sort of the keys within each partner's block (the plain definition)."""
    u = np.clip(uniforms, 1e-300, 1.0 - 1e-16)
    key = weights_log - np.log(-np.log(u))
    order = np.lexsort((-key, src))
    rank = np.empty(len(src), dtype=np.int64)
    rank[order] = np.arange(len(src)) - offsets[src[order]]
    return (rank < k) & np.isfinite(key)


@settings(max_examples=60, deadline=None)
@given(
    degrees=st.lists(st.integers(1, 12), min_size=1, max_size=40),
    k=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    ties=st.booleans(),
)
def test_contact_choice_equals_a_full_sort(degrees, k, seed, ties):
    rng = np.random.default_rng(seed)
    src = np.repeat(np.arange(len(degrees)), degrees)
    offsets = np.concatenate([[0], np.cumsum(degrees)[:-1]])
    weights_log = np.log(rng.random(len(src)))
    weights_log[rng.random(len(src)) < 0.2] = -np.inf  # relations of partners who left
    uniforms = rng.random(len(src))
    if ties:  # coarse values make equal keys within a block
        weights_log, uniforms = np.round(weights_log, 1), np.round(uniforms, 1)
    expected = _gumbel_top_k_by_sorting(src, weights_log, uniforms, offsets, k)
    for sort_below in (0, 10**9):  # the rounds of per-partner maxima; the sort
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(mech, "SORT_BELOW", sort_below)
            np.testing.assert_array_equal(mech.choose_contacts(src, weights_log, uniforms, offsets, k), expected)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(0, 1) | st.sampled_from([0.25, 0.5]), max_size=60), count=st.integers(-1, 70))
def test_lowest_equals_a_stable_argsort(values, count):
    x = np.array(values, dtype=float)
    expected = np.argsort(x, kind="stable")[: max(count, 0)]
    for sort_below in (0, 10**9):  # the partition first; the sort
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(mech, "SORT_BELOW", sort_below)
            np.testing.assert_array_equal(mech.lowest(x, count), expected)


@settings(max_examples=30, deadline=None)
@given(size=st.integers(mech.SORT_BELOW, 3 * mech.SORT_BELOW), count=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_lowest_of_many_values_equals_a_stable_argsort(size, count, seed):
    """Above ``SORT_BELOW`` values ``lowest`` partitions first: the same indices, ties (coarse values) included."""
    x = np.round(np.random.default_rng(seed).random(size), 2)
    np.testing.assert_array_equal(mech.lowest(x, count), np.argsort(x, kind="stable")[:count])


@pytest.mark.parametrize("n_partners", [30, 400])
def test_the_relations_within_a_group_are_the_same_by_either_path(n_partners, monkeypatch):
    """A group's relations from its members' own relations (CSR blocks) equal those of one pass over every relation,
    for pairs and small groups, with partners who left."""
    model = CollaborationModel(scenario="synthetic", n_partners=n_partners, rng=5, exit_threshold=0.4)
    model.run_for(12)
    state = model.state
    assert not state.active.all(), "the run should see partners leave"
    rng = np.random.default_rng(1)
    groups = [rng.choice(state.n, size, replace=False) for size in (1, 2, 2, 5, 12, 16) for _ in range(10)]
    found = {}
    for per_member in (0, 10**12):  # always the members' own relations; never
        monkeypatch.setattr(interventions, "RELATIONS_PER_MEMBER", per_member)
        found[per_member] = [interventions._edges_within(state, group) for group in groups]
    for by_blocks, by_pass in zip(found[0], found[10**12], strict=True):
        np.testing.assert_array_equal(by_blocks, by_pass)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 30), dims=st.integers(1, 9), seed=st.integers(0, 2**32 - 1))
def test_value_distance_between_equals_value_distance(n, dims, seed):
    rng = np.random.default_rng(seed)
    values = rng.random((n, dims))
    a, b = rng.integers(0, n, 50), rng.integers(0, n, 50)
    np.testing.assert_array_equal(mech.value_distance_between(values, a, b), mech.value_distance(values[a], values[b]))


def test_relations_of_partners_who_left_are_inactive():
    model = CollaborationModel(scenario="synthetic", n_partners=300, rng=4, exit_threshold=0.4)
    model.run_for(15)
    state = model.state
    assert model.counts["exits"] > 0, "the run should see partners leave"
    np.testing.assert_array_equal(state.edge_active, state.active[state.src] & state.active[state.dst])


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(-1e6, 1e6) | st.sampled_from([0.25, 0.5]), min_size=1, max_size=60))
def test_median_equals_numpy_median(values):
    x = np.array(values, dtype=float)
    assert mech.median(x) == np.median(x)  # the same float, ties and even sizes included


def test_the_weekly_metrics_equal_what_mesa_s_own_collector_records():
    """The model's collector appends each metric's value directly; Mesa's DataCollector, reading the same model
    attributes (and deep-copying them), records the same table."""
    model = CollaborationModel(scenario="jeugdaanpak", rng=3, exit_threshold=0.5)
    plain = mesa.DataCollector(model_reporters={name: name for name in METRICS})
    plain.collect(model)
    for _ in range(30):
        model.step()
        plain.collect(model)
    ours = model.datacollector.get_model_vars_dataframe()
    assert model.counts["exits"] > 0 and len(ours) == 31
    pd.testing.assert_frame_equal(ours, plain.get_model_vars_dataframe(), check_exact=True)


def test_the_metrics_table_equals_the_one_mesa_builds():
    """MetricsCollector builds the metrics' table from one array when every column holds floats: the same table as
    Mesa's own from the columns one by one (values, dtypes, index), and Mesa's own when a column holds other values."""
    model = CollaborationModel(scenario="jeugdaanpak", rng=4)
    model.run_for(10)
    collector = model.datacollector
    pd.testing.assert_frame_equal(collector.get_model_vars_dataframe(), pd.DataFrame(collector.model_vars))
    collector.model_vars["trust"][3] = None  # not a float: Mesa's own path
    pd.testing.assert_frame_equal(collector.get_model_vars_dataframe(), pd.DataFrame(collector.model_vars))
    empty = CollaborationModel(scenario="jeugdaanpak", rng=4).datacollector
    pd.testing.assert_frame_equal(empty.get_model_vars_dataframe(), pd.DataFrame(empty.model_vars))
