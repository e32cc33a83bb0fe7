"""The Netwerkregie dashboard: ``netwerkregie dashboard`` serves it (``dashboards/server.py``: Solara's app behind a
check of the Host and Origin of every request). ``solara run dashboards/app.py`` works too, for development, but
without that check.

Tabs: Explore (a scenario week by week), Training (you are the director, with a debrief) and, when
``dashboards/whatif.py`` is present, What if. Dutch by default; the switch in the bar changes to English.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import solara

from dashboards import explore, offline_assets, state, training
from dashboards.i18n import tr

if __name__ != "dashboards.app":  # loaded by the Solara server (not imported as a module by tests or scripts):
    offline_assets.ensure()  # a machine without the public CDN gets Solara's browser files from npm, once

# The what-if tab lives in its own module; it is shown when that module is part of the installation.
WHATIF_MODULE = Path(__file__).with_name("whatif.py")
WhatIfTab = importlib.import_module("dashboards.whatif").WhatIfTab if WHATIF_MODULE.exists() else None

tab = solara.reactive(0)


@solara.component
def Page():
    """The whole page: title, the language switch and the tabs."""
    lang = state.lang.value
    solara.Title(tr("title", lang))
    with solara.Row(style={"align-items": "center", "justify-content": "space-between", "padding": "0 12px"}):
        solara.Markdown(f"## {tr('title', lang)}\n{tr('subtitle', lang)}")
        solara.Switch(
            label=tr("english", lang),
            value=lang == "en",
            on_value=lambda english: state.lang.set("en" if english else "nl"),
        )
    tabs = [tr("tab_explore", lang), tr("tab_training", lang)]
    if WhatIfTab is not None:
        tabs.append(tr("tab_whatif", lang))
    current = min(tab.value, len(tabs) - 1)
    with solara.Row(style={"padding": "0 12px 8px 12px"}):
        solara.ToggleButtonsSingle(
            value=tabs[current], values=tabs, on_value=lambda label: tab.set(tabs.index(label)), mandatory=True
        )
    with solara.Column(style={"padding": "0 12px"}):
        if current == 0:
            explore.Explore()
        elif current == 1:
            training.Training()
        elif WhatIfTab is not None:
            WhatIfTab(lang=lang)


def reset() -> None:
    """Back to the initial state of a new page (between tests)."""
    state.reset()
    explore.reset()
    training.reset()
    tab.set(0)
