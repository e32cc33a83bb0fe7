"""The dashboard's Dutch and English texts: they live with every other text of the project in
:mod:`experiments.texts` (one translation module); this module re-exports them for the dashboard's pages."""

from experiments.texts import (
    FIGURES,
    INTERVENTION_NL,
    LANGUAGES,
    METRIC_LABELS,
    STRATEGY_LABELS,
    TEXT,
    VARIANT_CHANGES,
    column,
    intervention_description,
    intervention_label,
    metric_label,
    parameter_label,
    strategy_label,
    tr,
)

__all__ = [
    "FIGURES",
    "INTERVENTION_NL",
    "LANGUAGES",
    "METRIC_LABELS",
    "STRATEGY_LABELS",
    "TEXT",
    "VARIANT_CHANGES",
    "column",
    "intervention_description",
    "intervention_label",
    "metric_label",
    "parameter_label",
    "strategy_label",
    "tr",
]
