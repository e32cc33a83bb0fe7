"""How much a trainee's choices matter within a workshop (issue 15, item 3), as ``docs/training.md`` reports it:
the built-in strategies over 20 paired seeds after 12 weeks in every training scenario, and each dilemma's best
against its worst option four weeks after the choice. Long: it plays some 400 sessions."""

from __future__ import annotations

import pytest

from experiments.training.dilemmas import load_builtin_dilemmas
from experiments.training.measure import (
    DILEMMA_MARGIN,
    HEALTH_MARGIN,
    TASK_SHARE,
    ScenarioRow,
    measure_dilemma,
    measure_scenario,
)
from experiments.training.scenarios import list_training_scenarios, load_training_scenario

pytestmark = pytest.mark.long

SEEDS = list(range(1, 21))
WEEKS, AFTER = 12, 4
#: The dilemmas whose best and worst options differ by at least 0.05 in the concerned partners' trust four weeks on
#: (docs/training.md); the others fall short of the margin there too.
MEETS_MARGIN = (
    "schuldvraag",
    "verdrinken_in_informatie",
    "rapportage_eis",
    "nieuwe_partner",
    "incident_in_de_pers",
)


@pytest.fixture(scope="module")
def scenario_rows() -> list[ScenarioRow]:
    return [measure_scenario(load_training_scenario(n), SEEDS, WEEKS) for n in list_training_scenarios()]


def test_in_every_training_scenario_the_best_strategy_leads_the_worst_in_task_progress_by_a_fifth(scenario_rows):
    for row in scenario_rows:
        assert row.task_share >= TASK_SHARE, (row.scenario, row.task_share)
        assert row.task_holds


def test_the_best_strategy_leads_the_worst_in_health_clearly_but_short_of_the_issues_margin(scenario_rows):
    """docs/training.md: a lead of 0.046 to 0.071 with the interval well above 0 in every scenario, twice what the
    scenarios gave before, but not the 0.15 the issue asks (the model's pace; the page says why)."""
    for row in scenario_rows:
        assert row.best == "balanced", row.scenario
        assert row.worst in ("none", "task_focus"), row.scenario
        assert row.diff >= 0.04 and row.low > 0.035, (row.scenario, row.diff, row.low)
        assert row.diff < HEALTH_MARGIN and not row.health_holds, (
            f"{row.scenario}: the health margin is met now ({row.diff:+.3f}); update docs/training.md"
        )


@pytest.mark.parametrize("dilemma_id", MEETS_MARGIN)
def test_a_dilemma_reported_as_meeting_the_margin_does(dilemma_id):
    dilemma = next(d for d in load_builtin_dilemmas() if d.id == dilemma_id)
    scenarios = [load_training_scenario(n) for n in list_training_scenarios()]
    row = measure_dilemma(dilemma, scenarios, SEEDS, WEEKS, AFTER)
    assert row.firings >= 20, (dilemma_id, row.firings)
    assert row.holds
    assert max(row.health_gap, row.trust_gap) >= DILEMMA_MARGIN, (dilemma_id, row.health_gap, row.trust_gap)
