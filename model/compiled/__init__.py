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
