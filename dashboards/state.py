"""State shared by the dashboard's tabs: the language and the scenarios a user uploaded.

Solara scopes module-level reactive variables per browser session, so two trainees never share a model.
Uploaded files are parsed as data only (TOML, by :func:`model.parse_scenario`) under the dashboard's limits
(:data:`model.inputs.DASHBOARD_LIMITS`: 2,000 partners, 520 weeks, 5 MB, 80 characters a name), whatever the
limits of the process; a page cannot raise them. A scenario is listed only after it parsed and a model of it was
built; a bad file leaves everything as it was and produces one readable message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import solara

from dashboards.i18n import tr
from dashboards.safe_text import dashboard_message, one_line
from experiments.training.session import MAX_FILE_VALUES, check_value_count  # noqa: F401 (re-exported)
from model import CollaborationModel, Scenario, list_scenarios, parse_scenario
from model.inputs import DASHBOARD_LIMITS, InputError, using_limits

MAX_UPLOAD_BYTES = DASHBOARD_LIMITS.file_bytes
MAX_UPLOADS = 20  # uploaded scenarios kept per page (each holds its TOML text)

lang = solara.reactive("nl")
log = logging.getLogger("netwerkregie.dashboard")


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
    """What :class:`model.CollaborationModel` takes for a scenario chosen in the page: an uploaded scenario or the
    name of a built-in one. Only names the page lists are accepted (never a path on the server).

    Raises:
        InputError: ``name`` is neither uploaded in this page nor built in.
    """
    upload = uploads.value.get(name) if isinstance(name, str) else None
    if upload is not None:
        return upload.scenario
    if isinstance(name, str) and name in list_scenarios():
        return name
    raise InputError(f"unknown scenario {one_line(name, 80)!r}; choose one of the list")


def shown_file_name(filename: Any) -> str:
    """The last part of an uploaded file's name, as one line of at most 80 characters (for messages)."""
    name = PurePath(str(filename).replace("\\", "/")).name if filename else ""
    return one_line(name, DASHBOARD_LIMITS.text) or "?"


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def read_upload(filename: str, data: bytes, language: str = "nl") -> tuple[str, Upload]:
    """Check and parse an uploaded scenario file under :data:`DASHBOARD_LIMITS`, and build a model of it once.

    Returns (the name it is listed under, the upload).

    Raises:
        InputError: a readable message (in ``language``) naming the file and what is wrong or accepted.
    """
    shown = shown_file_name(filename)
    limit = DASHBOARD_LIMITS.file_bytes
    if not isinstance(data, bytes | bytearray):
        raise InputError(tr("upload_bad", language, file=shown, error="the upload holds no file content"))
    if len(data) > limit:
        raise InputError(tr("upload_too_large", language, file=shown, limit=_size(limit)))
    if PurePath(shown).suffix.lower() != ".toml":
        raise InputError(tr("upload_not_toml", language, file=shown))
    with using_limits(DASHBOARD_LIMITS):
        try:
            check_value_count(bytes(data), f"scenario {shown}")
            scenario = parse_scenario(bytes(data), source=shown)
            text = bytes(data).decode("utf-8")
            CollaborationModel(scenario=scenario, rng=1)  # it must also make a network the model can run
        except ValueError as e:
            raise InputError(tr("upload_bad", language, file=shown, error=dashboard_message(e))) from None
    name = scenario.name if scenario.name not in list_scenarios() else f"{scenario.name} (upload)"
    return name, Upload(scenario, text)


def read_file_drop(file: Any, limit: int = MAX_UPLOAD_BYTES) -> tuple[str, bytes | None]:
    """(the file name, its content) of a file dropped on a ``solara.FileDrop``, reading at most ``limit + 1``
    bytes; the content is ``None`` when the file is larger than ``limit`` (by the size the browser announced,
    then it is not read at all, or by what was read)."""
    if not isinstance(file, dict):
        return "?", b""
    name = file.get("name", "")
    size = file.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size > limit:
        return name, None
    reader = file.get("file_obj")
    data = reader.read(limit + 1) if reader is not None and hasattr(reader, "read") else b""
    if not isinstance(data, bytes):
        data = b""
    return name, None if len(data) > limit else data


def handle_upload(filename: str, data: bytes | None) -> str | None:
    """Add an uploaded scenario to the list; on a bad file set a readable message and change nothing.

    ``data`` is ``None`` for a file known to be larger than the limit (:func:`read_file_drop`).
    Returns the name the scenario is listed under, or ``None`` when the file was refused.
    """
    try:
        if data is None:
            limit = DASHBOARD_LIMITS.file_bytes
            raise InputError(tr("upload_too_large", lang.value, file=shown_file_name(filename), limit=_size(limit)))
        name, upload = read_upload(filename, data, lang.value)
        if name not in uploads.value and len(uploads.value) >= MAX_UPLOADS:
            raise InputError(tr("upload_too_many", lang.value, limit=MAX_UPLOADS))
    except InputError as e:
        upload_message.set(("error", dashboard_message(e)))
        return None
    except Exception as e:  # a defect of ours: the file is refused all the same, the traceback goes to the log
        log.exception("upload of %r failed", shown_file_name(filename))
        upload_message.set(
            ("error", tr("upload_failed", lang.value, file=shown_file_name(filename), error=type(e).__name__))
        )
        return None
    uploads.set({**uploads.value, name: upload})
    upload_message.set(("success", tr("upload_ok", lang.value, name=name)))
    return name


def forget_upload(name: str) -> None:
    """Take an uploaded scenario off the list again (it could not be used after all)."""
    if name in uploads.value:
        uploads.set({k: u for k, u in uploads.value.items() if k != name})


def reset() -> None:
    """Back to the initial state (a new page, and between tests)."""
    lang.set("nl")
    uploads.set({})
    upload_message.set(None)
