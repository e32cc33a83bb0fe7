"""The dashboard's what-if tab: build a variant by clicking, compare it with the baseline, see the bands.

``WhatIfTab()`` is a Solara component; ``dashboards/app.py`` shows it as a tab. A variant is built from clicks
(remove this partner, add one like that, change governance or the director's hours) as a
:class:`experiments.variants.Variant`; its TOML text can be copied into a file for ``netwerkregie compare``.
Invalid variants (a partner left without relations, ...) show the problem on the page, and nothing runs.
The comparison runs in a background thread with a progress bar, with the same functions as the command line.
Everything runs under the dashboard's limits (:data:`model.inputs.DASHBOARD_LIMITS`); names are shown as text.
"""

from __future__ import annotations

from dataclasses import replace

import matplotlib as mpl
import solara
import solara.lab

from dashboards import state
from dashboards.safe_text import Bullets, Heading, dashboard_message, one_line
from experiments.compare import Comparison, prepare, run_comparison, verdict
from experiments.report import KEY_METRICS, concepts_figure, network_figure, progress_figure
from experiments.texts import tr
from experiments.variants import Variant, apply_variant
from model import SIX_CONCEPTS, Scenario, load_scenario
from model.inputs import DASHBOARD_LIMITS, InputError, number, using_limits
from model.metrics import metric as declared
from model.parameters import GOVERNANCE_MODES, PARAMETERS

MAX_REPLICATIONS = 50  # the ends of the sliders, enforced again when a comparison starts
MAX_WEEKS = 208


def _default_hours(scenario) -> float:
    return float(scenario.settings.get("director_hours", PARAMETERS["director_hours"].default))


def add_like(variant: Variant, like: str, name: str) -> Variant:
    """The variant with one more partner, a copy of ``like`` (attributes and relations) named ``name``."""
    return replace(variant, add_partner=[*variant.add_partner, {"name": name, "like": like}])


def remove_partner(variant: Variant, name: str) -> Variant:
    """The variant without partner ``name``: an added partner is dropped again, another one is removed."""
    added = [a for a in variant.add_partner if a["name"] == name]
    if added:
        return replace(variant, add_partner=[a for a in variant.add_partner if a["name"] != name])
    return replace(variant, remove_partner=[*variant.remove_partner, name])


def with_governance(variant: Variant, governance: str | None) -> Variant:
    """The variant with a governance mode (``None``: the scenario's)."""
    return replace(variant, governance=governance)


def with_hours(variant: Variant, hours: float, default: float) -> Variant:
    """The variant with the director's hours (left out when equal to the scenario's)."""
    settings = {k: v for k, v in variant.settings.items() if k != "director_hours"}
    if abs(hours - default) > 1e-9:
        settings["director_hours"] = PARAMETERS["director_hours"].validate(hours)
    return replace(variant, settings=settings)


def scenario_of(name: str) -> Scenario:
    """The scenario chosen in the page: a built-in one or one the user uploaded (``dashboards.state``); a name
    that is no longer listed (an upload of another page) falls back to the first built-in scenario."""
    try:
        argument = state.scenario_argument(name)
    except InputError:
        argument = "jeugdaanpak"
    return argument if isinstance(argument, Scenario) else load_scenario(argument)


def variant_name(text: str) -> str:
    """A variant's name from the name field: one line, at most the dashboard's length of a name."""
    return one_line(str(text).strip(), DASHBOARD_LIMITS.text).strip() or "variant"


def _run(
    scenario_name: str | Scenario, variant: Variant, replications: int, steps: int, seed: int, progress
) -> Comparison:
    with using_limits(DASHBOARD_LIMITS):  # a background thread: the limits are set here, not inherited
        seed = number(tr("whatif_seed", "en"), seed, 0, 2**63 - 1, integer=True)
        # the page offers these ranges; a crafted message from a page gets no more
        replications = number(tr("replications", "en"), replications, 2, MAX_REPLICATIONS, integer=True)
        steps = number(tr("weeks", "en"), steps, 1, MAX_WEEKS, integer=True)
        comparison = prepare(scenario_name, [variant], replications=replications, steps=steps, seed=seed)
        return run_comparison(comparison, executor=None, progress=progress)


def _figures(comparison: Comparison, lang: str) -> tuple:
    """The bands, the six concepts and the networks; names with ``$`` in them are text, not mathematics."""
    with mpl.rc_context({"text.parse_math": False}):
        return (
            progress_figure(comparison, lang),
            concepts_figure(comparison, lang),
            network_figure(comparison, lang),
        )


@solara.component
def ResultView(comparison: Comparison, lang: str = "nl") -> None:
    """The bands, the network before and after, and the key metrics of a finished comparison."""
    figures = solara.use_memo(lambda: _figures(comparison, lang), dependencies=[id(comparison), lang])
    table = comparison.table
    label = comparison.variants[0].label
    rows = table[table["variant"] == label].set_index("metric")
    tp = rows.loc["task_progress"]
    Heading(f"{tr('result', lang)}: {label}", 3)  # the variant's name is text, never Markdown
    solara.Info(
        tr(
            "summary",
            lang,
            weeks=comparison.steps,
            variant=f"{tp['variant_mean']:.3f}",
            baseline=f"{tp['baseline_mean']:.3f}",
            diff=f"{tp['diff_mean']:+.3f}",
            low=f"{tp['diff_low']:+.3f}",
            high=f"{tp['diff_high']:+.3f}",
            better=int(round(tp["share_better"] * tp["n"])),
            n=int(tp["n"]),
        )
    )
    solara.FigureMatplotlib(figures[0], format="png")
    solara.FigureMatplotlib(figures[1], format="png")
    if figures[2] is not None:
        solara.FigureMatplotlib(figures[2], format="png")
    head = [tr(k, lang) for k in ("metric", "baseline", "variant", "difference", "better", "verdict")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for metric in KEY_METRICS:
        r = rows.loc[metric]
        name = declared(metric).label_nl_en() if metric in SIX_CONCEPTS else metric
        share = "" if r["share_better"] != r["share_better"] else f"{r['share_better']:.0%}"
        lines.append(
            f"| {name} | {r['baseline_mean']:.3f} | {r['variant_mean']:.3f} | "
            f"{r['diff_mean']:+.3f} [{r['diff_low']:+.3f}, {r['diff_high']:+.3f}] | {share} | "
            f"{tr(verdict(r) + '_word', lang) if verdict(r) != '-' else '-'} |"
        )
    solara.Markdown("\n".join(lines))


@solara.component
def WhatIfTab(lang: str = "nl") -> None:
    """The what-if tab: build a variant by clicking, run the comparison with a progress bar, see the bands."""
    scenario_name = solara.use_reactive("jeugdaanpak")
    variant = solara.use_reactive(Variant(name="variant", source="dashboard"))
    replications = solara.use_reactive(10)
    steps = solara.use_reactive(104)
    seed = solara.use_reactive(1)
    new_name = solara.use_reactive("")
    chosen = solara.use_reactive("")
    like = solara.use_reactive("")
    message = solara.use_reactive("")
    progress = solara.use_reactive((0, 0))

    scenario = solara.use_memo(lambda: scenario_of(scenario_name.value), dependencies=[scenario_name.value])
    task = solara.lab.use_task(_run, dependencies=None)

    def on_scenario(name: str) -> None:
        if name not in state.scenario_names():
            return
        scenario_name.set(name)
        variant.set(Variant(name="variant", source="dashboard"))
        steps.set(min(scenario_of(name).steps, MAX_WEEKS))
        message.set("")

    problem = ""
    current = scenario
    try:
        with using_limits(DASHBOARD_LIMITS):
            current = apply_variant(scenario, variant.value)
    except ValueError as e:
        problem = dashboard_message(e)
    names = [p.name for p in current.partners]
    partner = chosen.value if chosen.value in names else (names[0] if names else "")
    template = like.value if like.value in names else (names[0] if names else "")

    def on_remove() -> None:
        if partner:
            variant.set(remove_partner(variant.value, partner))
            message.set("")

    def on_add() -> None:
        name = one_line(new_name.value.strip(), DASHBOARD_LIMITS.text + 1).strip() or f"{template} 2"
        if name in names:
            message.set(tr("exists", lang, name=name))
            return
        variant.set(add_like(variant.value, template, name))
        new_name.set("")
        message.set("")

    def on_governance(value: str) -> None:
        variant.set(with_governance(variant.value, None if value not in GOVERNANCE_MODES else value))

    def on_hours(hours: float) -> None:
        try:
            variant.set(with_hours(variant.value, float(hours), _default_hours(scenario)))
        except (TypeError, ValueError) as e:
            message.set(dashboard_message(e))

    def on_run() -> None:
        progress.set((0, (replications.value) * 2))
        task(
            scenario,
            variant.value,
            int(replications.value),
            int(steps.value),
            int(seed.value),
            lambda done, total: progress.set((done, total)),
        )

    as_scenario = f"{tr('as_scenario', lang)} ({scenario.governance})"
    with solara.Column(style={"padding": "8px"}):
        solara.Markdown(tr("intro", lang))
        with solara.Card(tr("build", lang)):
            solara.Select(
                tr("scenario", lang), value=scenario_name.value, values=state.scenario_names(), on_value=on_scenario
            )
            solara.InputText(
                tr("variant_name", lang),
                value=variant.value.name,
                on_value=lambda text: variant.set(replace(variant.value, name=variant_name(text))),
            )
            if scenario.generated:
                solara.Info(tr("generated", lang))
            else:
                with solara.Row():
                    solara.Select(tr("partner", lang), value=partner, values=names, on_value=chosen.set)
                    solara.Button(tr("remove", lang), on_click=on_remove, color="error", outlined=True)
                with solara.Row():
                    solara.Select(tr("like", lang), value=template, values=names, on_value=like.set)
                    solara.InputText(tr("new_name", lang), value=new_name, continuous_update=True)
                    solara.Button(tr("add_like", lang), on_click=on_add, color="success", outlined=True)
            solara.Select(
                tr("governance", lang),
                value=variant.value.governance or as_scenario,
                values=[as_scenario, *GOVERNANCE_MODES],
                on_value=on_governance,
            )
            default_hours = _default_hours(scenario)
            solara.SliderFloat(
                tr("whatif_hours", lang),
                value=float(variant.value.settings.get("director_hours", default_hours)),
                min=0.0,
                max=40.0,
                step=1.0,
                thumb_label="always",
                on_value=on_hours,
            )
            solara.Markdown(f"**{tr('changes', lang)}**")
            if variant.value.is_null:
                solara.Text(tr("null", lang))
            else:
                Bullets(variant.value.describe(lang))  # partner names: shown as text, never as Markdown
            if message.value:
                solara.Warning(message.value)
            if problem:
                solara.Error(problem)
            solara.Button(
                tr("clear", lang),
                on_click=lambda: variant.set(Variant(name=variant.value.name, source="dashboard")),
                text=True,
            )
            with solara.Details(tr("toml", lang)):
                solara.Preformatted(variant.value.to_toml())
        with solara.Card(tr("compare", lang)):
            solara.SliderInt(
                tr("replications", lang), value=replications, min=2, max=MAX_REPLICATIONS, thumb_label="always"
            )
            solara.SliderInt(tr("weeks", lang), value=steps, min=4, max=MAX_WEEKS, thumb_label="always")
            solara.InputInt(tr("whatif_seed", lang), value=seed)
            solara.Button(
                tr("run", lang),
                on_click=on_run,
                color="primary",
                disabled=bool(problem) or task.pending,
            )
            if task.pending:
                done, total = progress.value
                solara.ProgressLinear(value=100.0 * done / total if total else True)
                solara.Text(tr("running", lang, done=done, total=total))
            if task.error:
                solara.Error(dashboard_message(task.exception))
        if task.finished and task.value is not None:
            ResultView(task.value, lang)
