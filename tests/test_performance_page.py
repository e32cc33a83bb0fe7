"""The performance benchmark rewrites docs/performance.md without losing the sections other benchmarks wrote."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_module():
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sections_written_elsewhere_are_kept_in_order_and_its_own_are_not_repeated():
    run = _run_module()
    previous = (
        "# Performance and scale\n\nintro\n\n## Results\n\nold tables\n\n## Written by hand\n\nkeep me\n\n"
        "## Also by hand\n\n| a |\n|---|\n\n## Profile findings and what was fixed\n\nold findings\n"
    )
    kept = run.kept_sections(previous)
    assert kept == "## Written by hand\n\nkeep me\n\n## Also by hand\n\n| a |\n|---|\n\n"
    assert run.kept_sections("# Performance and scale\n\n## Results\n\nx\n") == ""


def test_the_page_rewritten_from_stored_results_keeps_the_committed_page_s_other_sections():
    run = _run_module()
    results = json.loads((ROOT / "benchmarks" / "performance_results.json").read_text(encoding="utf-8"))
    committed = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    page = run.page(results, run.summarise(results), committed)
    others = [h for h in committed.splitlines() if h.startswith("## ")]
    assert [h for h in page.splitlines() if h.startswith("## ")] == others
    assert page.count("## Results") == 1 and page.rstrip().endswith(run.FINDINGS_OUTRO.rstrip())


def _runs(cpu_s: float, interactions: int) -> list[dict]:
    return [
        {
            "partners": 1000,
            "relations": 9990,
            "interactions": interactions,
            "build_s": 0.1,
            "run_s": cpu_s * 1.5,
            "run_cpu_s": cpu_s + k * 0.01,  # the median is the middle one
            "peak_mib": 150.0,
        }
        for k in (-1, 0, 1)
    ]


def test_the_scale_part_alone_prints_the_model_s_and_an_older_revision_s_ratio_to_the_reference():
    run = _run_module()
    results = {
        "machine": {"git": "abc1234", "load_before": [1.0, 2.0, 3.0], "load_after": [4.0, 5.0, 6.0]},
        "scale": {"1000": {"full": _runs(1.0, 1000), "older": _runs(2.0, 1000), "reference": _runs(4.0, 2000)}},
    }
    text = run.scale_tables(results, "0ld0ld0")
    row = next(line for line in text.splitlines() if line.startswith("| 1,000 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    # per interaction: model 1.0 s / 1000, reference 4.0 s / 2000: ratio 0.5; the older revision's 2.0 s: 1.0
    assert cells[4] == "**0.50**" and cells[8] == "1.00" and cells[-1] == "0.50"
    assert "abc1234 against 0ld0ld0" in text and "1.0, 2.0, 3.0 / 4.0, 5.0, 6.0" in text
    assert "0ld0ld0" not in run.scale_tables(results)  # without an older revision: the model and the reference only
