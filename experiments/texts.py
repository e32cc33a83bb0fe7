"""Every Dutch and English text of the project: the dashboard, the what-if tab, the debrief and the reports.

Dutch is the default. Labels of parameters, interventions and metrics come from their declarations in ``model/``
(``label_nl`` / ``label_en``); the other texts live here, one entry per key, as (Dutch, English): the page's
(:data:`TEXT`), the what-if figures' (:data:`FIGURES`) and a variant's changes in words (:data:`VARIANT_CHANGES`).
"""

from __future__ import annotations

from model.interventions import INTERVENTIONS
from model.metrics import METRIC_DECLARATIONS
from model.parameters import PARAMETERS

LANGUAGES = ("nl", "en")

#: Every metric's labels (Dutch, English), from its one declaration in :mod:`model.metrics`.
METRIC_LABELS: dict[str, tuple[str, str]] = {m.name: (m.label_nl, m.label_en) for m in METRIC_DECLARATIONS.values()}

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

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Netwerkregie", "Netwerkregie"),
    "subtitle": (
        "Samenwerking tussen organisaties, met een netwerkregisseur",
        "Collaboration between organisations, with a network director",
    ),
    "english": ("English", "English"),
    "tab_explore": ("Verkennen", "Explore"),
    "tab_training": ("Training", "Training"),
    "tab_whatif": ("Wat als", "What if"),
    "scenario": ("Scenario", "Scenario"),
    "seed": ("Seed (toevalsgetal)", "Seed"),
    "step": ("Stap", "Step"),
    "play": ("Afspelen", "Play"),
    "pause": ("Pauze", "Pause"),
    "reset": ("Opnieuw", "Reset"),
    "week": ("Week", "Week"),
    "parameters": ("Instellingen", "Settings"),
    "more_parameters": ("Meer instellingen", "More settings"),
    "custom_shares": ("Urenverdeling (eigen verdeling)", "Hour shares (custom strategy)"),
    "mechanisms": ("Mechanismen (aan/uit)", "Mechanisms (on/off)"),
    "scenario_default": ("(zoals in scenario)", "(as in scenario)"),
    "upload": ("Eigen scenario (TOML) hierheen slepen", "Drop your own scenario (TOML) here"),
    "upload_ok": ("Scenario {name} geladen.", "Scenario {name} loaded."),
    "upload_too_large": (
        "Bestand {file} is groter dan {limit}; alleen scenariobestanden (TOML) tot die grootte worden aanvaard.",
        "File {file} is larger than {limit}; only scenario files (TOML) up to that size are accepted.",
    ),
    "upload_too_many": (
        "Er zijn al {limit} eigen scenario's geladen in deze pagina; open een nieuwe pagina voor meer.",
        "{limit} scenarios are already uploaded in this page; open a new page for more.",
    ),
    "upload_failed": (
        "Bestand {file} kon niet worden gelezen ({error}); er is niets veranderd.",
        "File {file} could not be read ({error}); nothing was changed.",
    ),
    "upload_not_toml": (
        "Bestand {file} is geen .toml-bestand; alleen scenariobestanden in TOML worden aanvaard.",
        "File {file} is not a .toml file; only scenario files in TOML are accepted.",
    ),
    "upload_bad": ("Bestand {file} is geen geldig scenario: {error}", "File {file} is not a valid scenario: {error}"),
    "network": ("Netwerk", "Network"),
    "network_legend": (
        "Knoop: grootte = macht, kleur = betrokkenheid (rood laag, groen hoog), grijs = vertrokken. "
        "Lijn: kleur = vertrouwen; rood gestippeld = wantrouwen.",
        "Node: size = power, colour = commitment (red low, green high), grey = left. "
        "Edge: colour = trust; red dashed = distrust.",
    ),
    "network_legend_board": (
        "Knoop: grootte = macht, kleur = afstemming tussen bestuur en werkvloer (rood laag, groen hoog), grijs = "
        "vertrokken. Lijn: kleur = vertrouwen tussen de besturen; rood gestippeld = wantrouwen.",
        "Node: size = power, colour = alignment of board and work floor (red low, green high), grey = left. "
        "Edge: colour = trust between the boards; red dashed = distrust.",
    ),
    "edges_capped": ("(alleen de {k} sterkste van {m} relaties getekend)", "(only the {k} strongest of {m} relations)"),
    "distrust": ("wantrouwen", "distrust"),
    "power": ("macht", "power"),
    "after_week": ("na week {week}", "after week {week}"),
    "floor_layer": ("Werkvloer (uitvoering)", "Work floor"),
    "board_layer": ("Bestuur (bestuurders)", "Boards"),
    "show_boards": ("Toon de besturen in plaats van de werkvloer", "Show the boards instead of the work floor"),
    "at_start": ("begin", "start"),
    "gone": ("vertrokken", "left"),
    "six_concepts": ("De zes begrippen", "The six concepts"),
    "timeseries": ("Verloop", "Over time"),
    "partner": ("Partner", "Partner"),
    "partner_panel": ("Partner bekijken", "Look at a partner"),
    "partner_view": ("Hoe {name} elke relatie ziet", "How {name} sees each relation"),
    "left_network": ("{name} heeft het netwerk verlaten.", "{name} has left the network."),
    "invalid_setting": ("Ongeldige instelling: {error}", "Invalid setting: {error}"),
    "metrics_now": ("Nu", "Now"),
    # training
    "training_intro": (
        "U bent de regisseur. Elke week verdeelt u uw uren over interventies en drukt u op 'Volgende week'. "
        "Aan het eind (of wanneer u wilt) volgt een debriefing: hoe had de wereld gelopen met vaste strategieën?",
        "You are the director. Each week you spend your hours on interventions and press 'Next week'. "
        "At the end (or whenever you like) a debrief shows how the same world would have gone under fixed "
        "strategies.",
    ),
    "horizon": ("Aantal weken", "Number of weeks"),
    "training_scenario": (
        "Of: een oefenscenario in de problemen, met dilemma's (12 weken)",
        "Or: a training scenario in trouble, with dilemmas (12 weeks)",
    ),
    "no_training": ("(geen: het scenario hierboven)", "(none: the scenario above)"),
    "briefing": ("Briefing", "Briefing"),
    "learning_goal": ("Leerdoel (voor de trainer)", "Learning goal (for the trainer)"),
    "dilemma": ("Dilemma", "Dilemma"),
    "dilemma_chosen": ("Uw keuze: {option}", "Your choice: {option}"),
    "dilemma_first": ("Kies eerst een antwoord op het dilemma.", "First choose an answer to the dilemma."),
    "start": ("Start training", "Start training"),
    "stop": ("Stoppen", "Stop"),
    "hours_left": ("Uren over deze week: {left:g} van {total:g}", "Hours left this week: {left:g} of {total:g}"),
    "week_of": ("Week {week} van {horizon}", "Week {week} of {horizon}"),
    "intervention": ("Interventie", "Intervention"),
    "targets": ("Voor wie", "For whom"),
    "targets_network": ("het hele netwerk", "the whole network"),
    "targets_pair_hint": (
        "Eén partner (contact met u) of twee (een paar); leeg = zwakste relatie",
        "One partner (contact with you) or two (a pair); empty = the weakest relation",
    ),
    "targets_subset_hint": ("Leeg = iedereen", "Empty = everyone"),
    "targets_partner_hint": ("Leeg = het hele netwerk", "Empty = the whole network"),
    "hours": ("Uren", "Hours"),
    "apply": ("Inzetten", "Spend"),
    "next_week": ("Volgende week", "Next week"),
    "debrief": ("Debriefing", "Debrief"),
    "this_week": ("Deze week ingezet", "Spent this week"),
    "nothing_yet": ("nog niets", "nothing yet"),
    "what_happened": ("Wat er vorige week gebeurde", "What happened last week"),
    "first_week": (
        "Dit is de eerste week. Bekijk het netwerk en kies waar u uw uren aan besteedt.",
        "This is the first week. Look at the network and choose where to spend your hours.",
    ),
    "quiet_week": ("Een rustige week: geen incidenten, niemand vertrok.", "A quiet week: no incidents, nobody left."),
    "ev_accounted": (
        "Incident bij {partner}: zij legden open verantwoording af; het netwerk leerde ervan.",
        "Incident at {partner}: they gave an open account; the network learned from it.",
    ),
    "ev_blamed": (
        "Incident bij {partner}: er werd met de vinger gewezen; vertrouwen in hen daalde.",
        "Incident at {partner}: fingers were pointed; trust in them fell.",
    ),
    "ev_exit": ("{partner} heeft het netwerk verlaten.", "{partner} has left the network."),
    "ev_overload": (
        "{partner} verdrinkt in informatie en rapportages (last {load:.1f}).",
        "{partner} is drowning in information and reports (load {load:.1f}).",
    ),
    "ev_threat": (
        "{partner} dreigt af te haken (betrokkenheid {commitment:.2f}, al {weeks} weken laag).",
        "{partner} threatens to leave (commitment {commitment:.2f}, low for {weeks} weeks).",
    ),
    "training_done": (
        "De training is klaar. Bekijk de debriefing hieronder.",
        "The training is complete. See the debrief below.",
    ),
    "save_session": ("Sessie opslaan", "Save session"),
    "load_session": ("Opgeslagen sessie (JSON) hierheen slepen", "Drop a saved session (JSON) here"),
    "session_bad": ("Sessie niet geladen: {error}", "Session not loaded: {error}"),
    "session_failed": (
        "Sessie {file} kon niet worden geladen ({error}); de huidige sessie blijft.",
        "Session {file} could not be loaded ({error}); the current session stays.",
    ),
    "session_loaded": ("Sessie geladen: week {week} van {horizon}.", "Session loaded: week {week} of {horizon}."),
    # debrief
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
    "no_choice": ("geen interventie (de uren bleven liggen)", "no intervention (the hours were left unspent)"),
    "moment_answer_kept": (
        "Uw antwoord op het dilemma van die week blijft in beide gevallen hetzelfde; het verschil komt van de uren.",
        "Your answer to that week's dilemma stays the same in both; the difference comes from the hours.",
    ),
    "export_png": ("Debriefing als PNG", "Debrief as PNG"),
    "export_html": ("Debriefing als HTML", "Debrief as HTML"),
    "debrief_none": (
        "Speel eerst minstens één week; daarna kan de debriefing worden berekend.",
        "Play at least one week first; then the debrief can be computed.",
    ),
    "debrief_busy": (
        "De debriefing wordt berekend: dezelfde wereld wordt opnieuw gespeeld ...",
        "Computing the debrief: replaying the same world ...",
    ),
    "computed_in": ("berekend in {seconds:.1f} s", "computed in {seconds:.1f} s"),
    # the what-if tab
    "intro": (
        "Bouw een variant van het netwerk en vergelijk die met het netwerk zoals het is, over dezelfde seeds.",
        "Build a variant of the network and compare it with the network as it is, over the same seeds.",
    ),
    "build": ("Variant bouwen", "Build a variant"),
    "variant_name": ("Naam van de variant", "Name of the variant"),
    "remove": ("Verwijder deze partner", "Remove this partner"),
    "like": ("Zoals partner", "Like partner"),
    "new_name": ("Naam nieuwe partner", "Name of the new partner"),
    "add_like": ("Voeg een partner toe zoals deze", "Add a partner like this one"),
    "governance": ("Sturingsvorm", "Governance"),
    "as_scenario": ("zoals het scenario", "as the scenario"),
    "whatif_hours": ("Uren regisseur per week", "Director's hours per week"),
    "changes": ("Wijzigingen", "Changes"),
    "clear": ("Wis de variant", "Clear the variant"),
    "toml": ("Variant als TOML (voor netwerkregie compare)", "Variant as TOML (for netwerkregie compare)"),
    "compare": ("Vergelijken", "Compare"),
    "replications": ("Herhalingen (seeds)", "Replications (seeds)"),
    "weeks": ("Weken", "Weeks"),
    "whatif_seed": ("Basisseed", "Base seed"),
    "run": ("Vergelijk", "Compare"),
    "running": ("Bezig: {done} van {total} runs", "Running: {done} of {total} runs"),
    "generated": (
        "Dit scenario wordt per seed getrokken: alleen sturingsvorm en uren zijn hier aan te passen.",
        "This scenario is drawn per seed: only governance and hours can be changed here.",
    ),
    "null": ("De variant verandert nog niets.", "The variant changes nothing yet."),
    "exists": ("Er is al een partner met de naam {name}.", "There is already a partner named {name}."),
    "result": ("Uitkomst", "Result"),
    "summary": (
        "Voortgang na {weeks} weken: {variant} tegen {baseline} (verschil {diff} [{low}, {high}]); "
        "de variant deed het beter in {better} van de {n} seeds.",
        "Progress after {weeks} weeks: {variant} against {baseline} (difference {diff} [{low}, {high}]); "
        "the variant did better in {better} of {n} seeds.",
    ),
    "metric": ("maat", "metric"),
    "baseline": ("basis", "baseline"),
    "variant": ("variant", "variant"),
    "difference": ("verschil [95%-interval]", "difference [95% interval]"),
    "better": ("seeds beter", "seeds better"),
    "verdict": ("oordeel", "verdict"),
    "better_word": ("beter", "better"),
    "worse_word": ("slechter", "worse"),
    "unclear_word": ("onduidelijk", "unclear"),
    "same_word": ("gelijk", "same"),
    "negligible_word": ("verwaarloosbaar", "negligible"),
    "missing_word": ("ontbreekt", "missing"),
}


#: The texts of the what-if figures (:mod:`experiments.report`), in the figures' own words.
FIGURES: dict[str, tuple[str, str]] = {
    "baseline": ("basis", "baseline"),
    "progress": ("voortgang gezamenlijke taak", "task progress"),
    "progress_title": (
        "Voortgang: gemiddelde over de seeds met het 95%-interval",
        "Task progress: mean over the seeds with its 95% interval",
    ),
    "difference": ("variant - basis", "variant - baseline"),
    "difference_title": (
        "Verschil met de basis per seed (dezelfde seeds), met het 95%-interval",
        "Paired difference from the baseline (same seeds), with its 95% interval",
    ),
    "week": ("week", "week"),
    "concepts_title": (
        "De zes begrippen: gemiddelde over de seeds met het 95%-interval",
        "The six concepts: mean over the seeds with its 95% interval",
    ),
    "before": ("voor (basis)", "before (baseline)"),
    "after": ("na: {}", "after: {}"),
    "network_title": (
        "Het netwerk (grootte: belang; groen: nieuw, oranje: samengevoegd, rood gestreept: weg)",
        "The network (circle size: stake; green: new, orange: merged, red dashed: removed)",
    ),
}

#: A what-if variant's changes in words (:meth:`experiments.variants.Variant.describe`); ``{}`` are the names.
VARIANT_CHANGES: dict[str, tuple[str, str]] = {
    "remove": ("verwijder partner {} (met haar relaties)", "remove partner {} (with its relations)"),
    "merge": ("voeg {} samen tot {}", "merge {} into {}"),
    "add": ("nieuwe partner {}", "add partner {}"),
    "like": (" zoals {}", " like {}"),
    "links": (", verbonden met {}", ", linked to {}"),
    "unlink": ("verwijder relatie {} - {}", "remove relation {} - {}"),
    "link": ("nieuwe relatie {} - {}", "add relation {} - {}"),
    "governance": ("sturingsvorm -> {}", "governance -> {}"),
    "none": ("geen wijzigingen (de basis zelf)", "no changes (the baseline itself)"),
}


#: What each intervention does, in Dutch (the English text is the declaration's description).
INTERVENTION_NL: dict[str, str] = {
    "vision_session": "Meer begrip tussen deelnemers; visies die niet te ver uiteen liggen, groeien naar elkaar toe.",
    "covenant": "Heldere kaders (24 uur, gespreid over weken): partners krijgen ruimte die ze met vertrouwen benutten.",
    "role_division": "Heldere kaders, maar de aandacht gaat naar macht: minder betrokkenheid en gelijkwaardigheid.",
    "accountability_dialogue": "Minder afrekencultuur, meer bereidheid om verantwoording af te leggen.",
    "build_info_structure": "Een betere informatiestructuur: dezelfde informatie belast minder.",
    "personal_contact": "Begrip en een goede ervaring voor een paar partners, of vertrouwen in u als regisseur.",
    "expectation_management": "Verwachtingen worden realistisch; 8 weken geen overbelofte.",
    "equal_footing": "Overleg op gelijke voet: meer procedurele gelijkwaardigheid.",
    "recognize_interests": "Meer begrip voor de belangen van de minder machtige partners.",
    "steer_own_goals": "De doelen van uw eigen organisatie (en het deel van de opgave dat ze delen) komen dichterbij "
    "en brengen middelen, maar het kost vertrouwen in u en ruimte voor de partners.",
    "align_layers": "Bestuur en uitvoering spreken elkaar: betere afstemming (alleen met bestuur en uitvoering "
    "als twee lagen).",
}


def intervention_description(iv_id: str, lang: str) -> str:
    """What an intervention does, for the trainee."""
    return INTERVENTIONS[iv_id].description if lang == "en" else INTERVENTION_NL[iv_id]


def tr(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` in ``lang`` (``"nl"`` or ``"en"``), with ``fields`` filled in."""
    nl, en = TEXT[key]
    text = en if lang == "en" else nl
    return text.format(**fields) if fields else text


def metric_label(name: str, lang: str) -> str:
    """A metric's label for people (falls back to its name)."""
    pair = METRIC_LABELS.get(name)
    if pair is None:
        return name
    return pair[1] if lang == "en" else pair[0]


def strategy_label(name: str, lang: str) -> str:
    """A strategy's label for people."""
    pair = STRATEGY_LABELS.get(name, (name, name))
    return pair[1] if lang == "en" else pair[0]


def parameter_label(name: str, lang: str) -> str:
    """A parameter's label from its declaration."""
    p = PARAMETERS[name]
    return p.label_en if lang == "en" else p.label_nl


def intervention_label(iv_id: str, lang: str) -> str:
    """An intervention's label from its declaration."""
    iv = INTERVENTIONS[iv_id]
    return iv.label_en if lang == "en" else iv.label_nl


def column(table: dict[str, tuple[str, str]], lang: str) -> dict[str, str]:
    """One language of a table of (Dutch, English) texts: ``{key: text}`` in ``lang`` (``"en"``, else Dutch)."""
    return {key: (en if lang == "en" else nl) for key, (nl, en) in table.items()}
