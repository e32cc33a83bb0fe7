"""The Dutch and English texts of the debrief (its sentences, the HTML export and the figure).

The debrief is read in the dashboard and written by ``netwerkregie debrief``, so its texts live here, beside it;
labels of metrics and interventions come from their declarations in ``model/``. The dashboard's own texts
(:mod:`dashboards.i18n`) repeat the entries below for its debrief view; a test keeps the two equal.
"""

from __future__ import annotations

from model.interventions import INTERVENTIONS
from model.metrics import METRIC_DECLARATIONS

LANGUAGES = ("nl", "en")

#: Strategy names for people: (Dutch, English).
STRATEGY_LABELS: dict[str, tuple[str, str]] = {
    "none": ("geen regisseur", "no director"),
    "task_focus": ("taakgericht", "task focus"),
    "relation_focus": ("relatiegericht", "relation focus"),
    "balanced": ("taak én relatie", "balanced"),
    "adaptive": ("adaptief", "adaptive"),
    "custom": ("eigen verdeling", "custom shares"),
    "manual": ("handmatig", "manual"),
}

#: The debrief's texts: key -> (Dutch, English), with ``{fields}`` filled in by :func:`tr`.
TEXT: dict[str, tuple[str, str]] = {
    "week": ("Week", "Week"),
    "debrief_title": ("Debriefing na {weeks} weken", "Debrief after {weeks} weeks"),
    "debrief_intro": (
        "Dezelfde wereld (zelfde seed, zelfde incidenten) opnieuw gespeeld met de vaste strategieën. "
        "Uw pad is de dikke zwarte lijn.",
        "The same world (same seed, same incidents) replayed under the fixed strategies. "
        "Your path is the thick black line.",
    ),
    "you": ("u", "you"),
    "final_table": ("Stand na {weeks} weken", "Standing after {weeks} weeks"),
    "path": ("pad", "path"),
    "best_strategy": (
        "Beste vaste strategie op taakvoortgang: {strategy}.",
        "Best fixed strategy on task progress: {strategy}.",
    ),
    "moments": ("Momenten die het verschil maakten", "Moments that mattered most"),
    "moments_intro": (
        "Voor elke week: uw sessie opnieuw gespeeld met alleen die week de keuzes van '{strategy}'. "
        "Gerangschikt naar het verschil in taakvoortgang na week {weeks}.",
        "For each week: your session replayed with only that week's choices replaced by those of '{strategy}'. "
        "Ranked by the difference in task progress after week {weeks}.",
    ),
    "moments_skipped": (
        "Deze sessie ({weeks} weken, {partners} partners) is te groot om elke week opnieuw door te rekenen; "
        "de momenten worden daarom niet bepaald.",
        "This session ({weeks} weeks, {partners} partners) is too large to replay every week; "
        "so the moments are not computed.",
    ),
    "moment_better": (
        "Week {week}: u koos {yours}; '{strategy}' zou {theirs} hebben gekozen. "
        "Dat had de taakvoortgang met {diff:+.4f} ({relative:+.1f}%) veranderd (gezondheid {dhealth:+.4f}).",
        "Week {week}: you chose {yours}; '{strategy}' would have chosen {theirs}. "
        "That would have changed task progress by {diff:+.4f} ({relative:+.1f}%) (health {dhealth:+.4f}).",
    ),
    "no_choice": ("niets", "nothing"),
}


def tr(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` in ``lang`` (``"nl"`` or ``"en"``), with ``fields`` filled in."""
    nl, en = TEXT[key]
    text = en if lang == "en" else nl
    return text.format(**fields) if fields else text


def metric_label(name: str, lang: str) -> str:
    """A metric's label for people, from its declaration (falls back to its name)."""
    declaration = METRIC_DECLARATIONS.get(name)
    if declaration is None:
        return name
    return declaration.label_en if lang == "en" else declaration.label_nl


def strategy_label(name: str, lang: str) -> str:
    """A strategy's label for people."""
    pair = STRATEGY_LABELS.get(name, (name, name))
    return pair[1] if lang == "en" else pair[0]


def intervention_label(iv_id: str, lang: str) -> str:
    """An intervention's label from its declaration."""
    iv = INTERVENTIONS[iv_id]
    return iv.label_en if lang == "en" else iv.label_nl
