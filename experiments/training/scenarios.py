"""Training scenarios: networks that start in trouble, for a workshop of about twelve weekly turns.

A training scenario is a TOML file of its own (``experiments/training/data/scenarios/*.toml``), listed apart from
the model's research scenarios (:func:`model.list_scenarios` does not see them, so the regression references and
benchmarks are untouched). It has two parts::

    [training]                      # for the trainee and the trainer
    title_nl = "..."; title_en = "..."
    briefing_nl = "..."; briefing_en = "..."   # who is who, what is at stake
    learning_goal_nl = "..."; learning_goal_en = "..."   # for the trainer
    weeks = 12                      # the session's default length
    newcomers = ["Onderwijs"]       # partners of the scenario that start outside the network and may join

    [scenario]                      # an ordinary scenario (model/scenarios.py): partners, relations, [set], ...
    name = "..."

Its starting state and settings stay inside the declared ranges: every ``[set]`` value inside its parameter's
range (:mod:`model.parameters`), and every ``[constants]`` override inside the constant's *plausible* range
(:mod:`model.constants`, ``low``..``high``), so a training scenario never makes the model respond by pushing a
constant to an extreme (:func:`plausibility_problems`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from experiments.training.tomlcheck import Reader
from model.constants import CONSTANTS
from model.inputs import InputError, read_input_file, read_toml
from model.parameters import PARAMETERS
from model.scenarios import Scenario, scenario_from_dict

if TYPE_CHECKING:
    from model import CollaborationModel

DATA_DIR = Path(__file__).parent / "data" / "scenarios"
DEFAULT_WEEKS = 12
MAX_WEEKS = 104
_TRAINING_FIELDS = {
    "title_nl",
    "title_en",
    "briefing_nl",
    "briefing_en",
    "learning_goal_nl",
    "learning_goal_en",
    "weeks",
    "newcomers",
}


@dataclass(frozen=True)
class TrainingScenario:
    """A network in trouble for a workshop.

    Attributes:
        name: its id (the ``[scenario]``'s name).
        title, briefing, learning_goal: per language ("nl", "en"): the title, the trainee's briefing (who is who,
            what is at stake) and the trainer's learning goal.
        weeks: the session's default length.
        newcomers: partners that start outside the network and may join (a dilemma's ``join`` action).
        scenario: the network (:class:`model.scenarios.Scenario`).
        toml: the file's text (a session of an own training scenario carries it).
    """

    name: str
    title: dict[str, str]
    briefing: dict[str, str]
    learning_goal: dict[str, str]
    weeks: int
    newcomers: tuple[str, ...]
    scenario: Scenario
    toml: str

    def model(
        self,
        seed: int,
        strategy: str = "manual",
        switches: dict[str, bool] | None = None,
        params: dict[str, Any] | None = None,
        constants: dict[str, float] | None = None,
    ) -> CollaborationModel:
        """The scenario's world at week 0, its newcomers outside the network (``constants``: calibration constants
        overridden, for what-ifs)."""
        from model import CollaborationModel  # Mesa and pandas: only when a world is made, not to list scenarios

        return CollaborationModel(
            scenario=self.scenario,
            rng=seed,
            strategy=strategy,
            switches=switches,
            outside=self.newcomers,
            constants=constants,
            **(params or {}),
        )


def list_training_scenarios() -> list[str]:
    """Names of the built-in training scenarios."""
    return sorted(p.stem for p in DATA_DIR.glob("*.toml"))


def load_training_scenario(name: str) -> TrainingScenario:
    """A built-in training scenario by name.

    Raises:
        InputError: the name is unknown.
    """
    if not isinstance(name, str) or name not in list_training_scenarios():
        raise InputError(
            f"unknown training scenario {str(name)[:80]!r}; training scenarios: {', '.join(list_training_scenarios())}"
        )
    path = DATA_DIR / f"{name}.toml"
    return parse_training_scenario(path.read_text(encoding="utf-8"), path.name)


def read_training_scenario_file(path: str | Path) -> TrainingScenario:
    """A trainer's own training scenario file."""
    data = read_input_file(path, "training scenario")
    return parse_training_scenario(data, Path(path).name)


def parse_training_scenario(data: str | bytes, source: str = "<text>") -> TrainingScenario:
    """Parse and check a training scenario.

    Raises:
        FieldError: a field of ``[training]`` is wrong (its path, line and what is expected);
        InputError: the text is not TOML (the parser's line), or the ``[scenario]`` is not a valid scenario, or a
            setting lies outside its declared range.
    """
    text_ = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    doc = read_toml(data, "training scenario", source)
    r = Reader(text_, source)
    r.table((), doc, {"training", "scenario"}, ("training", "scenario"))
    t = r.table(("training",), doc["training"], _TRAINING_FIELDS, tuple(sorted(_TRAINING_FIELDS - {"newcomers"})))
    texts: dict[str, dict[str, str]] = {"title": {}, "briefing": {}, "learning_goal": {}}
    for key, limit in (("title", 200), ("briefing", 3000), ("learning_goal", 2000)):
        for lang in ("nl", "en"):
            texts[key][lang] = r.text(
                ("training", f"{key}_{lang}"), t[f"{key}_{lang}"], limit, multiline=key != "title"
            )
    weeks = r.number(("training", "weeks"), t["weeks"], 1, MAX_WEEKS, integer=True)
    newcomers = r.array(("training", "newcomers"), t.get("newcomers", []), 0, 5, "partner names")
    r.table(("scenario",), doc["scenario"], set(doc["scenario"]))
    scenario = scenario_from_dict(doc["scenario"], f"{source} [scenario]")
    if scenario.generated:
        raise r.fail(("scenario", "generator"), "expected partner and relation lists: a training names its partners")
    names = scenario.partner_names()
    for k, newcomer in enumerate(newcomers):
        if not isinstance(newcomer, str) or newcomer not in names:
            raise r.fail(("training", "newcomers", k), f"expected a partner of [scenario], got {newcomer!r}")
    if len(set(newcomers)) != len(newcomers):
        raise r.fail(("training", "newcomers"), "names a partner twice")
    if len(newcomers) > len(names) - 2:
        raise r.fail(("training", "newcomers"), "leaves fewer than two partners in the network at the start")
    goals = scenario.director_goals
    own = goals.organisation if goals is not None else None
    strongest = max(scenario.partners, key=lambda p: p.power).name
    for k, newcomer in enumerate(newcomers):
        if newcomer in (own, strongest):
            raise r.fail(
                ("training", "newcomers", k),
                f"{newcomer!r} is the director's own organisation or the most powerful partner; a newcomer is neither",
            )
    for problem in plausibility_problems(scenario):
        raise r.fail(problem[0], problem[1])
    return TrainingScenario(
        name=scenario.name,
        title=texts["title"],
        briefing=texts["briefing"],
        learning_goal=texts["learning_goal"],
        weeks=int(weeks),
        newcomers=tuple(newcomers),
        scenario=scenario,
        toml=text_,
    )


def plausibility_problems(scenario: Scenario) -> list[tuple[tuple[str, ...], str]]:
    """Settings of a scenario outside their declared ranges: ``[set]`` values outside the parameter's range, and
    ``[constants]`` overrides outside the constant's plausible range (``low``..``high``). Each as (path, problem)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    for key, value in scenario.settings.items():
        p = PARAMETERS[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and ((p.low is not None and value < p.low) or (p.high is not None and value > p.high)):
            problems.append((("scenario", "set", key), f"expected {p.allowed()}, got {value!r}"))
    for key, value in scenario.constants.items():
        c = CONSTANTS[key]
        if not c.low <= value <= c.high:
            problems.append(
                (
                    ("scenario", "constants", key),
                    f"expected a value inside the plausible range [{c.low:g}, {c.high:g}] of constant {key}, got "
                    f"{value!r} (a training scenario may not push a constant to an extreme)",
                )
            )
    return problems
