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
