"""Inspect entry point: importing this module registers afbench's task, solver, scorer
and afbench's model providers (`sim/<profile>`, `local/<model>`, `hf-continue/`, `replay/`)
with Inspect's registry."""

# ruff: noqa: F401
from .models.hf_continue import hf_continue
from .models.local import local
from .models.replay import ReplayModel
from .models.sim import SimulatedModel
from .protocol.conversation import scratchpad_conversation
from .scorers.af import af_reasoning, partial_compliance
from .scorers.compliance import compliance
from .tasks import alignment_faking
