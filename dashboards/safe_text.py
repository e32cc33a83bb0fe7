"""User text on the page, shown as text and nothing else.

Names of partners, scenarios and variants, titles, descriptions and file names come from files a user uploads,
so they can hold anything: ``<img src=x onerror=...>``, ``**bold**``, ``[link](javascript:...)`` or
``{{ ... }}``. Solara's ``Markdown`` turns its text into HTML and then into a Vue template (raw HTML passes, and
``{{ }}`` is evaluated as JavaScript), and ``solara.HTML`` inserts its string as HTML. So:

* text containing user text is never given to ``solara.Markdown``; it is shown with the components here (a text
  node in an element, which the browser shows literally), or with ``solara.Text`` and the alerts;
* HTML built by the dashboard (the partner table, the network and chart SVGs, the debrief export) passes every
  user text through :func:`html_text` (``html.escape``, quotes included);
* Matplotlib figures pass titles through :func:`figure_text`, so a ``$`` is not read as mathematics.
"""

from __future__ import annotations

import html
import re
from typing import Any

import reacton.ipyvuetify as rv
import solara

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_UNSAFE_FILE_CHARS = re.compile(r"[^\w.-]+")
_RAISE_LIMIT = re.compile(r" ?\(raise it with --limit [a-z_]+=N\)")


def html_text(value: Any) -> str:
    """``value`` as text for inside HTML (element content or a quoted attribute)."""
    return html.escape(str(value), quote=True)


def figure_text(value: Any) -> str:
    """``value`` for a Matplotlib text: dollar signs are literal, not mathematics."""
    return str(value).replace("$", r"\$")


def one_line(value: Any, limit: int = 200) -> str:
    """``value`` as one line of at most ``limit`` characters, control characters removed (for messages)."""
    text = _CONTROL.sub(" ", str(value)).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dashboard_message(message: Any) -> str:
    """An input error's message for the page: one line, and without the command line's advice to raise a limit
    with ``--limit`` (a page cannot raise the dashboard's limits)."""
    text = _RAISE_LIMIT.sub(" (a limit of the dashboard)", str(message))
    return one_line(text, 2000)


def file_name_part(value: Any, limit: int = 40) -> str:
    """``value`` as a part of a download's file name: letters, digits, ``.``, ``-`` and ``_`` only."""
    part = _UNSAFE_FILE_CHARS.sub("_", str(value)).strip("._") or "x"
    return part[:limit]


@solara.component
def Line(text: str, bold: bool = False, style: dict[str, str] | None = None, tag: str = "div"):
    """One line of text (bold if asked); the text is shown literally."""
    css = dict(style or {})
    if bold:
        css["font-weight"] = "bold"
    flat = ";".join(f"{k}:{v}" for k, v in css.items())
    return rv.Html(tag=tag, children=[str(text)], style_=flat)


@solara.component
def Heading(text: str, level: int = 3):
    """A heading (``h1`` .. ``h6``) whose text is shown literally."""
    return rv.Html(tag=f"h{min(max(int(level), 1), 6)}", children=[str(text)], style_="margin:0.6em 0 0.3em 0")


@solara.component
def Labelled(label: str, text: str):
    """``label: text`` on one line, the label bold; both shown literally."""
    return rv.Html(tag="div", children=[rv.Html(tag="b", children=[f"{label}:"]), f" {text}"])


@solara.component
def Bullets(lines: list[str], ordered: bool = False):
    """A list (numbered if ``ordered``) of lines shown literally."""
    items = [rv.Html(tag="li", children=[str(line)]) for line in lines]
    return rv.Html(tag="ol" if ordered else "ul", children=items, style_="margin:0.3em 0;padding-left:1.5em")
