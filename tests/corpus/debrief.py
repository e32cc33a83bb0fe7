"""Bad saved training sessions and options, given to ``netwerkregie debrief SESSION.json --out FILE``."""

from __future__ import annotations

import json

from tests.corpus import Case


def _session(**changes: object) -> str:
    doc: dict[str, object] = {
        "format": "netwerkregie-training-session",
        "version": 1,
        "scenario": "jeugdaanpak",
        "seed": 3,
        "horizon": 13,
        "params": {},
        "decisions": [[{"intervention": "vision_session", "targets": None, "hours": 12.0}]],
    }
    doc.update(changes)
    return json.dumps(doc)


def _debrief(case_id: str, content: str | bytes, message: str, out: str = "{tmp}/d.html") -> Case:
    return Case(
        id=f"debrief-{case_id}", argv=("debrief", "{s.json}", "--out", out), files={"s.json": content}, message=message
    )


CASES = [
    _debrief("not-json", "{", "not valid JSON"),
    _debrief("hours-nan", _session().replace("12.0", "NaN"), "NaN|finite"),
    _debrief("no-week-played", _session(decisions=[]), "no week|played"),
    _debrief("unknown-scenario", _session(scenario="atlantis"), "atlantis"),
    _debrief("out-wrong-suffix", _session(), r"\.html", out="{tmp}/d.pdf"),
    _debrief("out-under-a-file", _session(), "is a file, not a folder", out="{s.json}/d.html"),
    Case(
        id="debrief-missing-file",
        argv=("debrief", "{tmp}/none.json", "--out", "{tmp}/d.html"),
        message="does not exist",
    ),
    Case(
        id="debrief-lang-unknown",
        argv=("debrief", "{tmp}/none.json", "--out", "{tmp}/d.html", "--lang", "fr"),
        message="--lang",
    ),
]
