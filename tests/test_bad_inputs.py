"""The bad-input corpus (tests/corpus): every case ends as declared, with one clear line and no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from experiments.cli import main
from model.inputs import InputError
from tests.corpus import Case, all_cases

CASES = all_cases()


def test_the_corpus_is_large_and_its_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert len(CASES) >= 200


def _materialise(case: Case, tmp: Path) -> dict[str, str]:
    paths = {"tmp": str(tmp)}
    for name, content in case.files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        paths[name] = str(path)
    return paths


def _format(arg: str, paths: dict[str, str]) -> str:
    return re.sub(r"\{([^{}]+)\}", lambda m: paths.get(m.group(1), m.group(0)), arg)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_case(case: Case, tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = _materialise(case, tmp_path)
    if case.runner == "cli":
        argv = [_format(a, paths) for a in case.argv]
        try:
            code = main(argv)
        except SystemExit as e:  # argparse's own errors
            code = e.code
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert code == case.exit, f"exit {code}, stderr: {err!r}"
        if case.exit == 2:
            lines = err.strip().splitlines()
            assert len(lines) == 1, err
            assert lines[0].startswith("netwerkregie: "), err
            assert re.search(case.message, lines[0], re.IGNORECASE), lines[0]
        return
    data = Path(paths["session.json" if case.runner == "session" else "upload.toml"]).read_bytes()
    if case.runner == "session":
        from dashboards.session import read_session_file

        read = lambda: read_session_file(data, source="session.json")  # noqa: E731
    elif case.runner == "upload":
        from dashboards.state import read_upload

        read = lambda: read_upload("upload.toml", data, "en")  # noqa: E731
    else:
        raise AssertionError(f"unknown runner {case.runner!r}")
    if case.exit == 0:
        read()
        return
    with pytest.raises(InputError) as info:
        read()
    message = str(info.value)
    assert "\n" not in message.strip() and "Traceback" not in message
    assert re.search(case.message, message, re.IGNORECASE), message
