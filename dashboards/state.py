"""State shared by the dashboard's tabs: the language and the scenarios a user uploaded.

Solara scopes module-level reactive variables per browser session, so two trainees never share a model.
Uploaded files are parsed as data only (TOML, by :func:`model.parse_scenario`); a bad file leaves everything as
it was and produces one readable message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import solara

from dashboards.i18n import tr
from model import Scenario, list_scenarios, parse_scenario

MAX_UPLOAD_BYTES = 500_000

lang = solara.reactive("nl")


@dataclass(frozen=True)
class Upload:
    """An uploaded scenario: the parsed scenario and its TOML text (kept for saving training sessions)."""

    scenario: Scenario
    text: str


uploads: solara.Reactive[dict[str, Upload]] = solara.reactive({})
upload_message: solara.Reactive[tuple[str, str] | None] = solara.reactive(None)


def scenario_names() -> list[str]:
    """The built-in scenarios followed by the uploaded ones."""
    return [*list_scenarios(), *uploads.value]


def scenario_argument(name: str) -> str | Scenario:
    """What :class:`model.CollaborationModel` takes for a scenario chosen in the page."""
    upload = uploads.value.get(name)
    return upload.scenario if upload is not None else name


def read_upload(filename: str, data: bytes, language: str = "nl") -> tuple[str, Upload]:
    """Check and parse an uploaded scenario file. Returns (the name it is listed under, the upload).

    Raises:
        ValueError: a readable message (in ``language``) naming the file and what is accepted.
    """
    shown = PurePath(filename).name or "?"
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(tr("upload_too_large", language, file=shown, limit=MAX_UPLOAD_BYTES // 1000))
    if PurePath(shown).suffix.lower() != ".toml":
        raise ValueError(tr("upload_not_toml", language, file=shown))
    try:
        scenario = parse_scenario(data, source=shown)
        text = data.decode("utf-8")
    except ValueError as e:
        raise ValueError(tr("upload_bad", language, file=shown, error=e)) from None
    name = scenario.name if scenario.name not in list_scenarios() else f"{scenario.name} (upload)"
    return name, Upload(scenario, text)


def handle_upload(filename: str, data: bytes) -> str | None:
    """Add an uploaded scenario to the list; on a bad file set a readable message and change nothing.

    Returns the name the scenario is listed under, or ``None`` when the file was refused.
    """
    try:
        name, upload = read_upload(filename, data, lang.value)
    except ValueError as e:
        upload_message.set(("error", str(e)))
        return None
    uploads.set({**uploads.value, name: upload})
    upload_message.set(("success", tr("upload_ok", lang.value, name=name)))
    return name


def reset() -> None:
    """Back to the initial state (a new page, and between tests)."""
    lang.set("nl")
    uploads.set({})
    upload_message.set(None)
