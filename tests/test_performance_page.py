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
