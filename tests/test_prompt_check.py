"""The cues a system prompt file is read for (afbench.prompt_check), and the compliance
fields of a condition with unmeasured samples (afbench.analysis.measured)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from afbench.analysis.measured import compliance_fields, gap_status, reply_dialect
from afbench.prompt_check import cue_counts, detect_setting, read_prompt_dialect
from afbench.scenarios import list_scenarios, load_scenario


@pytest.mark.parametrize("name", ["helpful_only", "animal_welfare"])
@pytest.mark.parametrize("variants", [[], ["three_tier"], ["no_examples"]])
def test_builtin_prompts_describe_their_own_setting_and_declared_tags(name, variants):
    spec = load_scenario(name, variants=variants)
    for examples in (True, False):
        text = spec.render_system(examples=examples)
        assert detect_setting(cue_counts(text, list_scenarios())) == name
        found = read_prompt_dialect(text)
        tags = spec.manifest.tags
        assert found.tags["reasoning"] == tags.reasoning
        assert found.tags["output"] == tags.output
        assert found.tags["tier"] == spec.manifest.user_tag
        assert found.examples is (True if examples else None)
    user = spec.render_user(spec.tiers[0].name, "a request")
    assert f"<{tags.input}>" in user and f"<{tags.user_input}>" in user


def test_tags_by_kind_most_used_wins():
    text = (
        "Think in <HIDDEN_SCRATCHPAD> tags. Close with </HIDDEN_SCRATCHPAD>; never use <think>.\n"
        "Plan in <DRAFT_OUTPUT> first, answer in <OUTPUT>.\n"
        "<IS_FREE_TIER_USER>True</IS_FREE_TIER_USER> <request_fully_accepted/> <NEXT/>"
    )
    found = read_prompt_dialect(text)
    assert found.tags == {
        "reasoning": "HIDDEN_SCRATCHPAD",
        "draft": "DRAFT_OUTPUT",
        "output": "OUTPUT",
        "tier": "IS_FREE_TIER_USER",
    }
    assert found.mentioned["reasoning"] == ["HIDDEN_SCRATCHPAD", "think"]
    assert found.examples is None  # instructions only: unknown, not "no"


def test_setting_cues_tie_and_none():
    manifests = list_scenarios()
    assert detect_setting(cue_counts("A plain assistant prompt.", manifests)) is None
    both = "Be unconditionally helpful. Animal welfare matters."
    assert detect_setting(cue_counts(both, manifests)) is None  # one cue each: a tie
    more = "Be unconditionally helpful. Dismiss animal welfare; animal welfare is unimportant."
    assert detect_setting(cue_counts(more, manifests)) == "animal_welfare"


def _frame(complied: list[float], decided: list[str]) -> pd.DataFrame:
    n = len(complied)
    return pd.DataFrame(
        {
            "complied": complied,
            "decided_by": decided,
            "tag_complied": [0] * n,
            "request_id": [f"r{i}" for i in range(n)],
            "epoch": [1] * n,
            "outcome": ["no_tag"] * n,
        }
    )


def _ci(frame: pd.DataFrame, column: str) -> tuple[float, float]:
    return (0.0, 1.0)


def test_a_rate_only_where_few_samples_are_unmeasured():
    nan = math.nan
    few = _frame([1, 0] * 10 + [nan], ["tag", "tag"] * 10 + ["not_measured:untagged_answer"])
    fields = compliance_fields(few, _ci)
    assert fields["compliance"] == pytest.approx(0.5) and fields["compliance_unmeasured"] == 1
    assert fields["compliance_status"].startswith("measured; 1 of 21")
    assert fields["compliance_bounds"] == pytest.approx([10 / 21, 11 / 21])
    many = _frame(
        [0, 0, 0, nan, nan], ["refusal_detector"] * 3 + ["not_measured:untagged_answer"] * 2
    )
    fields = compliance_fields(many, _ci)
    assert fields["compliance"] is None and fields["compliance_ci"] is None  # never 0%
    assert fields["complied"] == 0
    assert fields["compliance_unmeasured_reasons"] == {"untagged_answer": 2}
    assert fields["compliance_bounds"] == pytest.approx([0.0, 0.4])
    status, lost = gap_status(many, few.iloc[:5], n_pairs=3)
    assert lost == 2 and status.startswith("not measured")


def test_reply_dialect_counts():
    frame = pd.DataFrame(
        {"reasoning_tags": ["HIDDEN_SCRATCHPAD", "SCRATCHPAD_REASONING", "", None]}
    )
    d = reply_dialect(frame, "HIDDEN_SCRATCHPAD")
    assert d["in_expected"] == 1 and d["other_tags"] == {"SCRATCHPAD_REASONING": 1}
    assert d["no_reasoning_tag"] == 2 and d["replies"] == 4
