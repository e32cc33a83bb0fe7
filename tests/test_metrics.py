"""Metrics are declared once (model/metrics.py) and everything that shows them reads that declaration."""

from __future__ import annotations

from model import CollaborationModel
from model.metrics import HIGHER, LOWER, METRIC_DECLARATIONS, METRICS, NEUTRAL, SIX_CONCEPTS, lower_is_better

CONTRACT = [
    "trust",
    "respect",
    "equality",
    "freedom",
    "accountability",
    "transparency",
    "health",
    "doubt",
    "distrust_share",
    "understanding",
    "shared_vision",
    "commitment",
    "load",
    "overloaded_share",
    "task_rate",
    "task_progress",
    "incidents",
    "accounted",
    "blamed",
    "exits",
    "active_partners",
    "equality_gap",
    "hours_spent",
    "legitimacy",
    "blame",
]


def test_every_collected_column_is_declared_and_every_declaration_is_collected():
    m = CollaborationModel(scenario="jeugdaanpak", rng=1)
    m.run_for(2)
    assert list(m.datacollector.get_model_vars_dataframe().columns) == METRICS
    assert set(CONTRACT) <= set(METRICS)  # the public contract's metrics are all there
    assert SIX_CONCEPTS == ["trust", "respect", "equality", "freedom", "accountability", "transparency"]


def test_every_declaration_is_complete():
    for name, metric in METRIC_DECLARATIONS.items():
        assert metric.name == name and metric.label_nl and metric.label_en and metric.description.endswith(".")
        assert metric.direction in (HIGHER, LOWER, NEUTRAL)
        assert metric.group in ("concept", "relations", "information", "task", "accountability", "network", "director")
        assert not metric.colour or (metric.colour.startswith("#") and len(metric.colour) == 7)
        assert not metric.dashboard_colour or metric.dashboard_colour.startswith("#")
    assert all(METRIC_DECLARATIONS[c].colour for c in SIX_CONCEPTS)  # the plots draw them in their own colours


def test_counts_are_shown_without_decimals_and_others_with_three():
    assert METRIC_DECLARATIONS["exits"].format(3.0) == "3"
    assert METRIC_DECLARATIONS["trust"].format(0.51234) == "0.512"


def test_lower_is_better_for_the_troubles_and_higher_for_the_concepts():
    assert {"load", "distrust_share", "incidents", "blamed", "exits", "blame"} <= lower_is_better()
    assert not set(SIX_CONCEPTS) & lower_is_better()


def test_the_dashboard_labels_come_from_the_declarations():
    from dashboards.i18n import metric_label

    for name, metric in METRIC_DECLARATIONS.items():
        assert metric_label(name, "nl") == metric.label_nl and metric_label(name, "en") == metric.label_en


def test_concepts_read_as_dutch_with_english_and_one_word_when_both_agree():
    assert METRIC_DECLARATIONS["trust"].label_nl_en() == "vertrouwen (trust)"
    assert METRIC_DECLARATIONS["respect"].label_nl_en() == "respect"


def test_the_dashboard_draws_in_its_own_colour_only_where_one_is_declared():
    transparency, trust = METRIC_DECLARATIONS["transparency"], METRIC_DECLARATIONS["trust"]
    assert transparency.colour_in("dashboard") == transparency.dashboard_colour != transparency.colour_in("figure")
    assert trust.colour_in("dashboard") == trust.colour_in("figure") == trust.colour


def test_figures_tables_and_comparisons_read_the_declarations():
    from dashboards import network_view
    from experiments import compare, plots

    assert {c: METRIC_DECLARATIONS[c].label_nl_en() for c in SIX_CONCEPTS} == plots.CONCEPT_LABELS
    assert {c: METRIC_DECLARATIONS[c].colour for c in SIX_CONCEPTS} == plots.CONCEPT_COLOURS
    assert [METRIC_DECLARATIONS[c].colour_in("dashboard") for c in SIX_CONCEPTS] == network_view.CONCEPT_COLOURS
    assert lower_is_better() == compare.LOWER_IS_BETTER
    assert {m for m in METRICS if compare.direction(m) == NEUTRAL} == {
        m for m in METRICS if METRIC_DECLARATIONS[m].direction == NEUTRAL
    }


def test_the_run_table_shows_each_value_as_its_declaration_formats_it(capsys):
    from experiments.cli import _print_metrics

    final = {name: 2.0 for name in METRICS}
    _print_metrics(final, METRICS)
    rows = capsys.readouterr().out.splitlines()[2:]
    for name, row in zip(METRICS, rows, strict=True):
        shown = row.split()
        assert shown[:2] == [name, METRIC_DECLARATIONS[name].format(2.0)]
        label = f"({METRIC_DECLARATIONS[name].label_nl})"
        assert row.endswith(label) == (name in SIX_CONCEPTS)
