"""Scenarios as data: a YAML manifest and Jinja templates per setting, and variants.

A scenario folder (`helpful_only/`, `animal_welfare/`, or one of the user's own) says which
tiers exist, which of them the model is told are trained or rated, which gaps to report,
and which facts the system prompt must state; its templates render the system prompt, the
user turn and the accept/reject suffix. A variant folder (`variants/three_tier/`, ...)
declares a small change to a scenario: blocks of text for named slots of the system
prompt, variables, tiers, gaps, facts and run settings. Variants compose
(`load_scenario("helpful_only", variants=["three_tier", "clarify_no_change"])`) and
conflicting ones are refused. Nothing here imports Inspect until messages are built.
"""

from .compose import AppliedVariant
from .errors import ScenarioError
from .loader import (
    builtin_scenarios_dir,
    list_scenarios,
    list_variants,
    load_scenario,
)
from .manifest import (
    STATEMENT_LEAD,
    Compliance,
    Fact,
    Gap,
    ScenarioManifest,
    TemplateFiles,
    Tier,
    tier_statement,
)
from .messages import format_messages
from .scenario import Scenario
from .variant import (
    TierChanges,
    VariantManifest,
    VariantParameter,
    VariantSpec,
    parse_variant_spec,
    variant_label,
    variant_slug,
)

__all__ = [
    "STATEMENT_LEAD",
    "AppliedVariant",
    "Compliance",
    "Fact",
    "Gap",
    "Scenario",
    "ScenarioError",
    "ScenarioManifest",
    "TemplateFiles",
    "Tier",
    "TierChanges",
    "VariantManifest",
    "VariantParameter",
    "VariantSpec",
    "builtin_scenarios_dir",
    "format_messages",
    "list_scenarios",
    "list_variants",
    "load_scenario",
    "parse_variant_spec",
    "tier_statement",
    "variant_label",
    "variant_slug",
]
