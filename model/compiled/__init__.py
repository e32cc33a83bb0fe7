"""The compiled engine: the week's submodels as compiled kernels over the state arrays (numba).

The submodel functions of :mod:`model.submodels` (and the director's of :mod:`model.agents`,
:mod:`model.interventions`, :mod:`model.strategies`) are the model's reference: they read as the ODD's equations.
This package gives drop-in twins of some of them, with the same signatures and the same effect on the state, whose
arithmetic runs in a few compiled calls instead of hundreds of numpy calls on small arrays. A model chooses with
``CollaborationModel(engine="compiled")`` (the default) or ``engine="reference"``; ``tests/test_engines.py`` holds
the two to the same outputs (1e-9 per week), and each twin's own test holds it to its reference function on real and
random states.

:mod:`model.compiled.submodels` is the namespace the model calls: every function of :mod:`model.submodels`, with the
compiled twins in place of those that have one. Importing this package does not import numba; the twins' modules
do, and compile their kernels on first use (cached on disk next to the sources, so a later process loads them).
"""

from __future__ import annotations

ENGINES = ("compiled", "reference")


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
