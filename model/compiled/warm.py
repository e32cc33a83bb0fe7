"""Loading the compiled engine's kernels before they are needed (:func:`warm_up`)."""

from __future__ import annotations


def warm_up() -> float:
    """Load the compiled engine's kernels from their cache, or compile them on the first use after installing
    (about half a minute): short runs of two built-in scenarios with every built-in strategy, so that a dashboard's
    first week does not wait for them. Returns the seconds it took."""
    import time

    from model.model import CollaborationModel

    started = time.perf_counter()
    for scenario in ("jeugdaanpak", "gebiedsontwikkeling"):
        for strategy in ("balanced", "relation_focus", "task_focus", "adaptive"):
            CollaborationModel(scenario=scenario, strategy=strategy, rng=0).run_for(WARM_UP_WEEKS)
    return time.perf_counter() - started


#: Weeks of each warm-up run (:func:`warm_up`).
WARM_UP_WEEKS = 6
