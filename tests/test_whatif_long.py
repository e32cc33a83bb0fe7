"""Long what-if tests: a real effect found with a one-sided paired test, the report in a browser, and the worked
example of docs/what-if.md run as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from experiments.compare import prepare, run_comparison
from experiments.evaluator import Evaluator
from experiments.report import write_report
from experiments.variants import load_variant

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "variants"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.long


def test_removing_the_municipality_lowers_task_progress():
    """Gemeente has the highest stake and the most relations in jeugdaanpak: without it, task progress after two
    years is lower (one-sided paired t-test over 30 common seeds, alpha 0.01), and the 95% interval of the
    difference lies below zero."""
    with Evaluator(workers=2) as evaluator:
        c = run_comparison(
            prepare("jeugdaanpak", [load_variant(EXAMPLES / "zonder_gemeente.toml")], replications=30, seed=11),
            evaluator,
        )
    base, without = c.final("baseline", "task_progress"), c.final("Zonder Gemeente", "task_progress")
    test = stats.ttest_rel(without, base, alternative="less")
    assert test.pvalue < 0.01
    row = c.table[(c.table["metric"] == "task_progress")].iloc[0]
    assert row["diff_high"] < 0 and row["share_better"] < 0.5


def _doc_command() -> list[str]:
    text = (ROOT / "docs" / "what-if.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash)?\n(uv run netwerkregie compare [^\n]+)\n```", text)
    assert block, "docs/what-if.md has no fenced `uv run netwerkregie compare ...` line"
    words = shlex.split(block.group(1))
    assert words[:3] == ["uv", "run", "netwerkregie"]
    return words[3:]


def test_worked_example_runs_as_written_and_its_report_opens_offline_with_all_figures(tmp_path):
    """The command of docs/what-if.md, run in a copy of the example files, writes a report that Chromium opens
    without any network request, with every figure decoded."""
    args = _doc_command()
    shutil.copytree(EXAMPLES, tmp_path / "examples" / "variants")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "experiments.cli", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = next(tmp_path / a for a in args if a.endswith(".html"))
    out = next(tmp_path / a for a in args if a.endswith(".csv"))
    assert report.exists() and out.exists()
    assert "task_progress" in done.stdout
    # the table excerpt printed in the guide is what the command prints today
    text = (ROOT / "docs" / "what-if.md").read_text(encoding="utf-8")
    excerpt = re.search(r"```\n(\S.*? vs  baseline .*?)```", text, re.S)
    assert excerpt, "docs/what-if.md has no table excerpt"
    printed = set(done.stdout.splitlines())
    stale = [line for line in excerpt.group(1).splitlines() if line.strip() and line not in printed]
    assert not stale, f"docs/what-if.md's worked example is out of date (rerun its command): {stale[:2]}"

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            heading = page.inner_text("h1")
            tables = page.eval_on_selector_all("table", "ts => ts.length")
        finally:
            browser.close()
    assert len(widths) == 3 and all(w > 300 for w in widths)
    assert "Aanpak jonge criminelen" in heading
    assert tables == 2
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert outside == []


def test_report_of_a_generated_scenario_draws_each_arm(tmp_path):
    """On synthetic (drawn per seed) a network change applies to each seed's network; the report still renders."""
    from experiments.variants import Variant

    v = Variant("zonder P00", remove_partner=["P00"], governance="shared")
    c = run_comparison(prepare("synthetic", [v], replications=3, steps=20))
    assert all(len(sc.partners) == 49 for sc in c.arms[1].scenarios)
    assert len({tuple(p.power for p in sc.partners) for sc in c.arms[1].scenarios}) == 3
    write_report(c, tmp_path / "r.html")
    assert (tmp_path / "r.html").stat().st_size > 50_000
    assert np.isfinite(c.table["diff_mean"]).all()
