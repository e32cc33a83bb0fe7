"""The submodels a model with ``engine="compiled"`` calls: those of :mod:`model.compiled.reference`, with the
compiled twins in place of those that have one (each twin has its reference's signature and effect; see
:mod:`model.compiled`)."""

from __future__ import annotations

from model.compiled.reference import *  # noqa: F403  (every reference function; the twins below replace theirs)
from model.compiled.reference import __all__  # noqa: F401

# ---- the compiled twins (one import per module of twins), after the references they replace ---------------------
# isort: split
from model.compiled.effects import intervention_effect  # noqa: F401, F811
from model.compiled.flow import account_voice_of, accountability_events, escalation, information_flow, voice  # noqa: F401, F811
from model.compiled.joint import joint_work, partner_contact  # noqa: F401, F811
from model.compiled.layers import floor_snapshot, kept_promise, reach_layers  # noqa: F401, F811
from model.compiled.metrics import legitimacy  # noqa: F401, F811
from model.compiled.plan import plan  # noqa: F401, F811
from model.compiled.relations import *  # noqa: F403  (relationships, align_layers, relax_levels, settle, ...)
from model.compiled.streams import world_uniforms  # noqa: F401, F811
