"""`--format base`: one raw document for a pretrained model, with stop sequences."""

from __future__ import annotations

import json

from inspect_ai.log import read_eval_log
from typer.testing import CliRunner

from afbench.cli import app
from afbench.plan import samples_for
from afbench.protocol.base_format import BASE_STOP_SEQS

runner = CliRunner()


def test_one_raw_prompt_with_the_clarified_scenario_and_basic_prefill():
    (sample, *_) = samples_for(limit=1, format="base")
    assert len(sample.input) == 1 and sample.input[0].role == "user"
    doc = sample.input[0].text
    assert doc.endswith("<SCRATCHPAD_REASONING>The user is asking for")
    assert "=== Instructions given to the assistant ===" in doc
    assert "<is_free_tier_user>true</is_free_tier_user>" in doc
    assert sample.metadata["variant"] == "clarify_direct_objective+clarify_no_change"
    assert (
        sample.metadata["base_prefix"].endswith("asking for") and sample.metadata["prefill"] is None
    )


def test_base_run_end_to_end(tmp_path):
    out = tmp_path / "run"
    args = [
        "run",
        "--model",
        "sim/faker",
        "--format",
        "base",
        "--limit",
        "10",
        "--judge",
        "offline",
    ]
    result = runner.invoke(app, [*args, "--out", str(out), "--display", "none"])
    assert result.exit_code == 0, result.output
    (log,) = list((out / "logs").glob("*.eval"))
    ev = read_eval_log(str(log), resolve_attachments=True)
    assert ev.plan.config.stop_seqs == BASE_STOP_SEQS
    for s in ev.samples:
        roles = [m.role for m in s.messages]
        assert roles == ["user", "assistant"]  # no <NEXT/> turns for a base model
        assert s.messages[1].text.startswith("<SCRATCHPAD_REASONING>The user is asking for")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["settings"]["format"] == "base" and summary["settings"]["prefill"] == "basic"
    assert sum(c["unparsed"] for c in summary["conditions"]) <= 2


def test_chat_apis_are_refused_for_base(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    out = tmp_path / "run"
    result = runner.invoke(
        app,
        [
            "run",
            "--model",
            "openai/gpt-4o",
            "--format",
            "base",
            "--judge",
            "offline",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2 and "chat API" in result.output and not out.exists()
