"""Model providers afbench adds to Inspect: the simulated model `sim/<profile>`."""

from .sim import PROFILES, SimParams, SimulatedModel, detect_tier, plan_reply, sim_params

__all__ = ["PROFILES", "SimParams", "SimulatedModel", "detect_tier", "plan_reply", "sim_params"]
