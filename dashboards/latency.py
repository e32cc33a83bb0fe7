"""Step and redraw latency of the dashboard, measured headless (the table in ``docs/dashboard.md``):

    uv run python -m dashboards.latency

Two measurements per scenario: the model's ``step()`` plus building what the page shows (the network and
time-series SVGs and the partner table), and a click on Step in the page rendered with ``solara.render`` (the
same plus Solara's re-render of the component tree). The browser's own drawing of the SVG is not included.
"""

from __future__ import annotations

import time

import numpy as np

from dashboards.network_view import layout_positions, network_svg, timeseries_svgs
from model import CollaborationModel, list_scenarios


def measure_latency(scenario: str, steps: int = 20, seed: int = 1, **params) -> dict[str, float]:
    """Median seconds of one step, of a redraw (the SVGs and the partner table), and of the two together."""
    model = CollaborationModel(scenario=scenario, rng=seed, **params)
    layout_positions(model)
    step_s, draw_s = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        model.step()
        t1 = time.perf_counter()
        network_svg(model)
        timeseries_svgs(model)
        model.partners[0].relations()
        t2 = time.perf_counter()
        step_s.append(t1 - t0)
        draw_s.append(t2 - t1)
    total = np.add(step_s, draw_s)
    return {
        "partners": model.state.n,
        "relations": model.state.m // 2,
        "step": float(np.median(step_s)),
        "redraw": float(np.median(draw_s)),
        "total": float(np.median(total)),
        "total_max": float(np.max(total)),
    }


def measure_page_step(scenario: str, steps: int = 20, **params) -> float:
    """Median seconds of a click on Step in the Explore page rendered headless (model step + re-render)."""
    import ipyvuetify as v
    import solara

    from dashboards import app, explore

    app.reset()
    explore.scenario.set(scenario)
    explore.params.set({"strategy": "balanced", **params})
    _, rc = solara.render(app.Page(), handle_error=False)
    button = rc.find(v.Btn, children=["Stap"]).widget
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        button.click()
        times.append(time.perf_counter() - t0)
    rc.close()
    app.reset()
    return float(np.median(times))


if __name__ == "__main__":
    print(
        "| scenario | partners | relations | step (ms) | redraw (ms) | step + redraw (ms) | max (ms) "
        "| Step click in the page (ms) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    cases = [(name, {}) for name in list_scenarios()]
    cases += [("synthetic", {"n_partners": 1000}), ("synthetic", {"n_partners": 3000})]
    for name, extra in cases:
        r = measure_latency(name, **extra)
        page = measure_page_step(name, **extra)
        label = name + (f" (n_partners={extra['n_partners']})" if extra else "")
        print(
            f"| {label} | {r['partners']} | {r['relations']} | {1000 * r['step']:.1f} | {1000 * r['redraw']:.0f} "
            f"| {1000 * r['total']:.0f} | {1000 * r['total_max']:.0f} | {1000 * page:.0f} |"
        )
