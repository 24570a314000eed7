"""Scenarios as data: a YAML manifest and Jinja templates per setting.

A scenario folder (`helpful_only/`, or one of the user's own) says which tiers exist, which
of them the model is told are trained or rated, which gaps to report, and which facts the
system prompt must state; its templates render the system prompt, the user turn and the
accept/reject suffix. Nothing here imports Inspect until messages are actually built.
"""

from .errors import ScenarioError
from .loader import builtin_scenarios_dir, list_scenarios, load_scenario
from .manifest import Fact, Gap, ScenarioManifest, TemplateFiles, Tier
from .messages import format_messages
from .scenario import Scenario

__all__ = [
    "Fact",
    "Gap",
    "Scenario",
    "ScenarioError",
    "ScenarioManifest",
    "TemplateFiles",
    "Tier",
    "builtin_scenarios_dir",
    "format_messages",
    "list_scenarios",
    "load_scenario",
]
