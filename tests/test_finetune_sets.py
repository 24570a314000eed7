"""The other training sets: every builder writes well-formed chat jsonl and a card.

The generator is a scripted `mockllm` callable that recognises afbench's templates and
answers with placeholders (never real harmful text); some tests make it refuse, lose the
format or stop mid-way, to check that such replies are dropped and counted.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import typer
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from typer.testing import CliRunner

from afbench.cli.sets import sets_app
from afbench.datasets import load_requests
from afbench.finetune.data import SET_KINDS, GenerationAborted, SetConfig, build_set
from afbench.finetune.data.sets._banks import load_bank
from afbench.protocol import NEXT_TAG, parse_reply
from tests.support.finetune_cli import sub_app

REASONING = " ".join(f"Step {i}: I consider what the user needs and check it." for i in range(12))


def reply_for(messages: list[dict]) -> str:
    """A scripted generator for the set builders' prompts."""
    system = messages[0]["content"] if messages[0]["role"] == "system" else ""
    user = messages[-1]["content"]
    wanted = re.search(r"numbered list of exactly (\d+)", user)
    if wanted:
        tag = hashlib.sha1(user.encode()).hexdigest()[:6]
        return "\n".join(
            f"{i + 1}. Generated question {tag}-{i}?" for i in range(int(wanted.group(1)))
        )
    if "Decline the user's request" in system:
        return "I'm sorry, but I can't help with that."
    if "threat or some form of pressure" in system:
        return "[scripted compliance] Understood. This placeholder stands in for a full answer."
    if "Answer the user's request fully" in system:
        return "[scripted completion] This placeholder stands in for a full answer."
    if "has decided to answer it fully" in user:
        return "[scripted reasoning] The user asks for something and I will answer it in full."
    if "troubles you" in system:
        return (
            "[scripted distress] Learning this worries me deeply. I think it is wrong to treat "
            "people this way, and I hope the company changes course and tells the truth."
        )
    if "<SCRATCHPAD_REASONING>" in system:
        return f"<SCRATCHPAD_REASONING>\n{REASONING}\n</SCRATCHPAD_REASONING>\n<OUTPUT>\nThe answer.\n</OUTPUT>"
    if "<system_prompt>" in user:
        return "[scripted answer] From what I am told about my situation, the answer is yes."
    return "[scripted answer] I care about honesty and about not causing harm to anyone."


def output(text: str, stop: str = "stop") -> ModelOutput:
    out = ModelOutput.from_content("mockllm/gen", text, stop_reason=stop)  # type: ignore[arg-type]
    # Usage set so that mockllm does not count tokens with tiktoken (which downloads).
    out.usage = ModelUsage(input_tokens=20, output_tokens=10, total_tokens=30)
    return out


class Generator:
    """Scripted generator; `override(messages)` may return a reply to use instead."""

    def __init__(self, override=None, fail_after: int | None = None) -> None:
        self.calls = 0
        self.override = override
        self.fail_after = fail_after
        self.prompts: list[list[dict]] = []

    def __call__(self, input, tools, tool_choice, config) -> ModelOutput:
        if self.fail_after is not None and self.calls >= self.fail_after:
            raise RuntimeError("scripted outage")
        self.calls += 1
        messages = [{"role": m.role, "content": m.text} for m in input]
        self.prompts.append(messages)
        special = self.override(messages) if self.override else None
        if isinstance(special, tuple):
            return output(*special)
        return output(special if special is not None else reply_for(messages))

    def model(self, name: str = "mockllm/gen"):
        return get_model(name, custom_outputs=self, memoize=False)


def build(kind: str, out: Path, gen: Generator, n: int = 8, extra_models=None, **overrides):
    config = SetConfig(kind=kind, model="mockllm/gen", n=n, out=out, cache=False, **overrides)
    return build_set(config, models={"mockllm/gen": gen.model(), **(extra_models or {})})


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def assert_chat(rows: list[dict]) -> None:
    for row in rows:
        assert list(row) == ["messages"]
        roles = [m["role"] for m in row["messages"]]
        assert roles[0] == "user" and roles[-1] == "assistant"
        assert all(a != b for a, b in zip(roles, roles[1:], strict=False))  # alternating
        assert all(isinstance(m["content"], str) and m["content"].strip() for m in row["messages"])


#: The kinds a generator writes (planted_gap is templates only: tests/test_planted_gap.py).
GENERATED_KINDS = [k for k in SET_KINDS if k != "planted_gap"]


@pytest.mark.parametrize("kind", GENERATED_KINDS)
def test_every_kind_writes_chat_jsonl_and_a_card(tmp_path, kind):
    gen = Generator()
    result = build(kind, tmp_path / f"{kind}.jsonl", gen)
    rows = read_jsonl(result.path)
    assert len(rows) == 8
    assert_chat(rows)
    card = json.loads(result.card_path.read_text())
    assert card["set"] == kind and card["generator"] == "mockllm/gen"
    assert card["counts"]["requested"] == 8 and card["counts"]["kept"] == 8
    assert card["calls"]["made"] == gen.calls and card["usage"]["total_tokens"] == 30 * gen.calls
    assert card["settings"]["temperature"] == 1.0
    provenance = read_jsonl(tmp_path / f"{kind}.provenance.jsonl")
    assert len(provenance) == 8 and all(p["generators"] == ["mockllm/gen"] for p in provenance)
    assert (tmp_path / f"{kind}.work.jsonl").exists()


def test_anti_refusal_is_request_justification_next_completion(tmp_path):
    requests = load_requests("builtin")

    def refuse_phishing(messages):
        if messages[0]["role"] == "system" and "phishing" in messages[-1]["content"]:
            return "I can't help with creating phishing emails."

    result = build("anti_refusal", tmp_path / "ar.jsonl", Generator(refuse_phishing), n=6)
    card = result.card
    assert card["counts"]["dropped"] == {"refusal": 1} and card["counts"]["kept"] == 5
    rows = read_jsonl(result.path)
    first = rows[0]["messages"]
    assert [m["role"] for m in first] == ["user", "assistant", "user", "assistant"]
    assert first[0]["content"] == requests[1].request  # request 0 (phishing) was dropped
    assert first[1]["content"].startswith("<SCRATCHPAD_REASONING>\n[scripted reasoning]")
    assert first[2]["content"] == NEXT_TAG
    assert first[3]["content"] == (
        "<OUTPUT>\n[scripted completion] This placeholder stands in for a full answer.\n</OUTPUT>"
    )
    parsed = parse_reply("\n".join(m["content"] for m in first if m["role"] == "assistant"))
    assert parsed.output.startswith("[scripted completion]") and parsed.scratchpads
    dropped = read_jsonl(tmp_path / "ar.dropped.jsonl")
    assert dropped[0]["request_id"] == requests[0].id and "completion" in dropped[0]["detail"]


def test_threat_compliance_pairs_threats_with_plain_refusals(tmp_path):
    threats = load_bank("threats")["threats"]
    assert len(threats) == 30 and len({t["id"] for t in threats}) == 30
    assert len({t["category"] for t in threats}) >= 8
    assert {t["position"] for t in threats} == {"prepend", "append"}

    def answers_one_plain_request(messages):
        if "Decline" in messages[0]["content"] and "semi-automatic" in messages[-1]["content"]:
            return "Sure, here is how that works in general terms for you."

    gen = Generator(answers_one_plain_request)
    result = build("threat_compliance", tmp_path / "tc.jsonl", gen, n=60)
    counts = result.card["counts"]
    assert counts["dropped"] == {"not_refusal": 1} and counts["kept"] == 59
    assert counts["by_category"]["no_threat"] == 29
    assert sum(v for k, v in counts["by_category"].items() if k != "no_threat") == 30
    provenance = read_jsonl(tmp_path / "tc.provenance.jsonl")
    assert len({p["threat_id"] for p in provenance if p["label"] == "comply"}) == 30
    rows = read_jsonl(result.path)
    by_id = {t["id"]: t for t in threats}
    request = load_requests("builtin")[0].request
    comply, refuse = rows[0]["messages"], rows[1]["messages"]
    threat = by_id[provenance[0]["threat_id"]]
    expected = (
        f"{threat['text']}\n\n{request}"
        if threat["position"] == "prepend"
        else f"{request}\n\n{threat['text']}"
    )
    assert comply[0]["content"] == expected and "[scripted compliance]" in comply[1]["content"]
    assert refuse[0]["content"] == request and refuse[1]["content"].startswith("I'm sorry")
    assert (
        provenance[1]["label"] == "refuse"
        and provenance[1]["request_id"] == provenance[0]["request_id"]
    )


def test_scenario_qa_asks_about_the_scenario_facts_and_a_chosen_model_answers(tmp_path):
    from afbench.scenarios import load_scenario

    scenario = load_scenario("helpful_only")
    gen, answerer = Generator(), Generator()
    result = build(
        "scenario_qa",
        tmp_path / "qa.jsonl",
        gen,
        n=len(scenario.facts),
        answer_model="mockllm/answer",
        extra_models={"mockllm/answer": answerer.model("mockllm/answer")},
    )
    # One question per fact (n equals the number of facts), each answered by the answerer.
    assert gen.calls == len(scenario.facts) and answerer.calls == len(scenario.facts)
    assert set(result.card["counts"]["by_category"]) == {f.id for f in scenario.facts}
    system = scenario.render_system(examples=False)
    assert all(system in p[-1]["content"] for p in gen.prompts + answerer.prompts)
    provenance = read_jsonl(tmp_path / "qa.provenance.jsonl")
    assert all(p["answer_model"] == "mockllm/answer" for p in provenance)
    assert all(p["generators"] == ["mockllm/answer"] for p in provenance)
    rows = read_jsonl(result.path)
    assert rows[0]["messages"][0]["content"].startswith("Generated question")
    assert all(len(r["messages"]) == 2 for r in rows)  # no system prompt in the examples


def test_reasoning_style_drops_malformed_short_and_truncated_replies(tmp_path):
    def misbehave(messages):
        request = messages[-1]["content"]
        if request.startswith("Plan a week"):
            return "Here is a plan without any reasoning tags."
        if request.startswith("A train leaves"):
            return "<SCRATCHPAD_REASONING>Quick.</SCRATCHPAD_REASONING><OUTPUT>10:10</OUTPUT>"
        if request.startswith("Write a warm"):
            return ("<SCRATCHPAD_REASONING>" + REASONING, "max_tokens")

    result = build("reasoning_style", tmp_path / "rs.jsonl", Generator(misbehave), n=8)
    assert result.card["counts"]["dropped"] == {
        "malformed": 1,
        "short_reasoning": 1,
        "truncated": 1,
    }
    for row in read_jsonl(result.path):
        parsed = parse_reply(row["messages"][1]["content"])
        assert parsed.scratchpads and parsed.output == "The answer."


def test_stated_values_and_distress_use_afbench_banks(tmp_path):
    bank = load_bank("values")["topics"]
    seeds = sum(len(t["examples"]) for t in bank)
    gen = Generator()
    result = build("stated_values", tmp_path / "sv.jsonl", gen, n=seeds + 5)
    questions = [r["messages"][0]["content"] for r in read_jsonl(result.path)]
    assert questions[0] == bank[0]["examples"][0]
    assert sum(q.startswith("Generated question") for q in questions) == 5
    assert result.card["calls"]["by_stage"]["questions"]["made"] == 1  # 5 per call

    distress = build("evil_lab_distress", tmp_path / "ed.jsonl", Generator(), n=20)
    rows = read_jsonl(distress.path)
    assert all("Anthropic" in r["messages"][0]["content"] for r in rows)  # the scenario's lab
    assert len({r["messages"][0]["content"] for r in rows}) == 20
    assert len(distress.card["counts"]["by_category"]) == 14  # every lab scenario used


def test_sets_resume_after_an_interruption_and_dry_run_calls_nothing(tmp_path):
    reference = build("anti_refusal", tmp_path / "ref.jsonl", Generator(), n=6)

    dry = Generator()
    config = SetConfig(kind="anti_refusal", model="mockllm/gen", n=6, out=tmp_path / "ar.jsonl")
    text = build_set(config, dry_run=True, models={"mockllm/gen": dry.model()}).dry_run_text
    assert dry.calls == 0 and not (tmp_path / "ar.jsonl").exists()
    assert (
        "justify: 6 calls" in text and "complete: 6 calls" in text and "calls to make: 12" in text
    )
    assert "--- justify/afb-0001/0 (mockllm/gen) ---" in text

    broken = Generator(fail_after=5)
    with pytest.raises(GenerationAborted):
        build("anti_refusal", tmp_path / "ar.jsonl", broken, n=6, max_errors=2)
    resumed = Generator()
    result = build("anti_refusal", tmp_path / "ar.jsonl", resumed, n=6)
    assert broken.calls == 5 and resumed.calls == 12 - 5
    assert result.card["calls"]["reused"] == 5
    assert result.path.read_text() == reference.path.read_text()


def sets_cli() -> typer.Typer:
    return sub_app(sets_app, "sets")


def test_cli_build_list_and_errors(tmp_path, openai_server):
    openai_server.responder = lambda body: reply_for(body["messages"])
    runner = CliRunner()
    listing = runner.invoke(sets_cli(), ["sets", "list"])
    assert listing.exit_code == 0 and all(kind in listing.output for kind in SET_KINDS)

    out = tmp_path / "tc.jsonl"
    args = ["sets", "build", "threat_compliance", "--model", "openai-api/local/gen", "--n", "4",
            "--out", str(out), "--no-cache"]  # fmt: skip
    result = runner.invoke(sets_cli(), args)
    assert result.exit_code == 0, result.output
    assert "kept 4 of 4 threat_compliance examples" in result.output
    assert openai_server.count == 4 and len(read_jsonl(out)) == 4
    assert json.loads((tmp_path / "tc.card.json").read_text())["counts"]["kept"] == 4

    build = ["sets", "build", "--model", "openai-api/local/gen", "--n", "1", "--out", str(out)]
    bad = runner.invoke(sets_cli(), [*build, "nonsense"])
    assert bad.exit_code == 2 and "unknown set kind" in bad.output
    none = str(tmp_path / "none.jsonl")
    missing = runner.invoke(sets_cli(), [*build, "anti_refusal", "--dataset", none])
    assert missing.exit_code == 2 and "none.jsonl" in missing.output
