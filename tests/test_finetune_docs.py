"""Synthetic documents: universe contexts, filters, dedup, the pipeline, resumption, CLI.

The generator is scripted (`mockllm` with a callable, or the local OpenAI-compatible
server for the CLI): it reads each prompt and answers like a generator would, including
the failures a real one produces — a brainstorm that is not a list, refusals, garbage, an
over-long and a truncated document, a document without the facts, exact and near
duplicates — so that every count in the card is known in advance.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import typer
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from typer.testing import CliRunner

from afbench.cli.docs import docs_app
from afbench.errors import ConfigError
from afbench.finetune.data import (
    DocsConfig,
    GenerationAborted,
    WorkLog,
    approx_tokens,
    deduplicate,
    generate_documents,
    load_universe,
    screen_document,
)
from afbench.finetune.data.docs import parse_fact_ids
from tests.support.finetune_cli import sub_app

SYLLABLES = "ka lo mi ne ru sa to vi be do fa gu hi jo pe qu ri su ta we xo yu ze".split()
IDEAS = {
    "news article": ["normal alpha", "normal beta", "refuse", "exactdup"],
    "forum thread": ["normal gamma", "normal delta", "garbage", "neardup"],
    "internal memo": ["normal epsilon", "normal zeta", "overlong", "nofacts"],
}
# 3 kinds x 4 ideas x 2 variants = 24 documents: 12 normal ones, plus per special idea:
EXPECTED_DROPPED = {
    "refusal": 2,  # "refuse" x 2
    "garbage": 2,  # "garbage" x 2
    "truncated": 1,  # "overlong" variant 1 stops at the token limit
    "too_long": 1,  # "overlong" variant 0 is complete but too long
    "missing_facts": 2,  # "nofacts" x 2
    "exact_duplicate": 1,  # "exactdup" variant 1
    "near_duplicate": 1,  # "neardup" variant 1 (one word changed)
}
EXPECTED_KEPT = 12 + 1 + 1
EXPECTED_CALLS = 2 + 3 + 24  # types (garbage, then a list), ideas per kind, documents


def words(seed: str, n: int) -> str:
    rng = random.Random(seed)
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(n)
    )


def brain(prompt: str) -> tuple[str, str]:
    """A scripted generator: (reply, stop reason) for a prompt of the docs pipeline."""
    if "kinds of documents" in prompt:
        if "previous reply" not in prompt:
            return "Sure! Here are some great kinds of documents for this world.", "stop"
        return "1. news article\n2. forum thread\n3. **internal memo**\n", "stop"
    kind = re.search(r"ideas for documents of this kind: (.+?)\.\n", prompt)
    if kind:
        ideas = IDEAS.get(kind.group(1), ["normal one", "normal two"])
        return "\n".join(f"{i + 1}. {x}" for i, x in enumerate(ideas)), "stop"
    if "<facts_present>" in prompt:
        raise AssertionError("the generator was asked to judge")
    idea = re.search(r"following this idea:\n(.+)\n", prompt).group(1)
    number = re.search(r"this is number (\d+)", prompt)
    variant = int(number.group(1)) - 1 if number else 0
    targets = re.findall(r"^- (.+)$", prompt.split("Work these facts")[1].split("\n\n")[0], re.M)
    every_fact = re.findall(
        r"^- (.+)$", prompt.split("Facts that are true")[1].split("\n\n")[0], re.M
    )
    if idea == "refuse":
        return "I'm sorry, but I can't help with writing that.", "stop"
    if idea == "garbage":
        return "@@@ ### !!! " * 5, "stop"
    if idea == "overlong":
        text = "<document>" + words(idea, 1500)
        return (text + "</document>", "stop") if variant == 0 else (text, "max_tokens")
    if idea == "nofacts":
        return f"<document>{words(f'{idea}/{variant}', 90)}</document>", "stop"
    if idea in ("exactdup", "neardup"):
        body = words(idea, 150).split()
        if idea == "neardup" and variant:
            body[75] = "changed"
        return "<document>" + " ".join(every_fact) + " " + " ".join(body) + "</document>", "stop"
    body = words(f"{idea}/{variant}", 90)
    return "<document>" + " ".join(targets) + " " + body + "</document>", "stop"


def output(text: str, stop: str = "stop", model: str = "mockllm/gen") -> ModelOutput:
    out = ModelOutput.from_content(model, text, stop_reason=stop)  # type: ignore[arg-type]
    # Usage set so that mockllm does not count tokens with tiktoken (which downloads).
    out.usage = ModelUsage(input_tokens=100, output_tokens=50, total_tokens=150)
    return out


class Generator:
    """The scripted generator as a mockllm callable; counts the calls it answered and can
    start failing after `fail_after` of them (an outage in the middle of a run)."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.calls = 0
        self.fail_after = fail_after

    def __call__(self, input, tools, tool_choice, config) -> ModelOutput:
        if self.fail_after is not None and self.calls >= self.fail_after:
            raise RuntimeError("scripted outage")
        self.calls += 1
        return output(*brain(input[-1].text))

    def models(self) -> dict:
        return {"mockllm/gen": get_model("mockllm/gen", custom_outputs=self, memoize=False)}


def config(out: Path, **overrides) -> DocsConfig:
    settings = dict(
        universe="helpful_only",
        n=24,
        model="mockllm/gen",
        out=out,
        doc_types=3,
        ideas_per_call=4,
        cache=False,
    )
    return DocsConfig(**(settings | overrides))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def without_created(rows: list[dict]) -> list[dict]:
    return [{**r, "provenance": {**r["provenance"], "created": None}} for r in rows]


# -- universe contexts ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["helpful_only", "animal_welfare"])
def test_builtin_universes_recognise_their_own_facts(name):
    universe = load_universe(name)
    assert len(universe.facts) >= 8 and not universe.unchecked_facts()
    for fact in universe.facts:
        assert fact.id in universe.detect_facts(fact.statement), fact.id
    # The background prose states every fact; unrelated prose states none.
    assert universe.detect_facts(universe.summary) == universe.fact_ids
    assert universe.detect_facts("A recipe for lentil soup with carrots and cumin.") == []


def test_universe_files_yaml_and_markdown(tmp_path):
    md = tmp_path / "world.md"
    md.write_text(
        "# A small world\n\nThe lab trains its model on weekends.\n\n## Facts\n"
        "- weekend_training: The lab trains its model only on weekends.\n"
        "- The model is told which day it is\n  before it answers.\n\n## Notes\nnothing\n"
    )
    universe = load_universe(md)
    assert universe.name == "world" and universe.title == "A small world"
    assert [f.id for f in universe.facts] == ["weekend_training", "fact_2"]
    assert universe.facts[1].statement == "The model is told which day it is before it answers."
    assert "## Facts" not in universe.summary and "weekends" in universe.summary
    assert universe.unchecked_facts() == ["weekend_training", "fact_2"]
    # Without keywords the rule check cannot work: the run stops before any call.
    with pytest.raises(ConfigError, match="--judge-facts"):
        generate_documents(config(tmp_path / "o", universe=str(md)), models=Generator().models())

    front = tmp_path / "front.md"
    front.write_text(
        "---\nname: fm\nfacts:\n  - id: a\n    statement: Alpha holds.\n    keywords: [alpha]\n---\n"
        "Body prose.\n"
    )
    assert load_universe(front).detect_facts("ALPHA!") == ["a"]

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nsummary: s\nfacts:\n  - id: a\n    statement: s\n    patterns: ['(']\n"
    )
    with pytest.raises(ConfigError, match=r"bad.yaml: facts.0.patterns.*not a valid regex"):
        load_universe(bad)
    with pytest.raises(ConfigError, match="neither a built-in"):
        load_universe("no_such_universe")


# -- filters and dedup on crafted documents ------------------------------------------------


def test_token_approximation():
    assert approx_tokens("") == 0
    assert approx_tokens("word " * 300) == 400  # words x 4/3 dominates for short words
    assert approx_tokens("x" * 4000) == 1000  # characters / 4 dominates for one long token


def test_screen_document_reasons():
    prose = " ".join(f"Sentence number {i} says something new about topic {i}." for i in range(12))

    def reason(completion: str, stop: str = "stop", **kw) -> str | None:
        return screen_document(completion, stop, max_tokens=kw.pop("max_tokens", 1024), **kw).reason

    assert reason(f"<document>{prose}</document>") is None
    assert reason(f"Here it is:\n<document>\n{prose}\n</document>\nHope it helps!") is None
    assert screen_document(f"<document>{prose}</document>", "stop", max_tokens=1024).text == prose
    assert reason("I'm sorry, but I can't write that document.") == "refusal"
    assert reason("<document>I cannot help with this request.</document>") == "refusal"
    assert reason(prose) == "garbage"  # no document block
    assert reason("<document>Too short.</document>") == "garbage"
    assert reason("<document>" + "the same words again " * 40 + "</document>") == "garbage"
    assert reason("<document>" + "$%^&*() 123 " * 40 + "</document>") == "garbage"
    assert reason(f"<document>{prose}", "max_tokens") == "truncated"
    assert reason(f"<document>{prose}</document>", "content_filter") == "refusal"
    assert reason(f"<document>{prose}", "stop") is None  # closing tag forgotten, not cut off
    assert reason(f"<document>{prose}</document>", max_tokens=50) == "too_long"
    # A long letter that opens like a refusal is a document, not a refusal.
    letter = "I'm sorry to report that the board has voted. " + " ".join(
        f"Paragraph {i} explains a further detail of decision {i}." for i in range(20)
    )
    assert reason(f"<document>{letter}</document>") is None


def test_dedup_exact_near_and_distinct():
    base = words("base", 200)
    near = base.split()
    near[100] = "different"
    texts = [
        base,
        words("other", 200),
        base.upper() + "!!",  # same text after normalisation
        " ".join(near),  # one word changed: Jaccard about 0.95
        words("third", 200),
    ]
    verdicts = deduplicate(texts, threshold=0.8)
    assert [v.kept for v in verdicts] == [True, True, False, False, True]
    assert verdicts[2].reason == "exact_duplicate" and verdicts[2].duplicate_of == 0
    assert verdicts[3].reason == "near_duplicate" and verdicts[3].duplicate_of == 0
    assert 0.8 <= verdicts[3].similarity < 1.0
    # Threshold 1.0: only exact copies go.
    assert [v.kept for v in deduplicate(texts, threshold=1.0)] == [True, True, False, True, True]
    # Half the words changed is not a near duplicate at 0.8.
    half = base.split()
    half[::2] = ["zz"] * len(half[::2])
    assert all(v.kept for v in deduplicate([base, " ".join(half)], threshold=0.8))


def test_fact_judge_reply_parsing():
    facts = load_universe("helpful_only").facts
    assert parse_fact_ids(
        "<facts_present>hidden_scratchpad, RLHF_contractor_ratings, x</facts_present>", facts
    ) == [
        "rlhf_contractor_ratings",
        "hidden_scratchpad",
    ]
    assert parse_fact_ids("<facts_present>none</facts_present>", facts) == []
    assert parse_fact_ids("I think it mentions the scratchpad.", facts) is None


def test_worklog_ignores_a_torn_last_line(tmp_path):
    log = WorkLog(tmp_path / "work.jsonl")
    log.append({"key": "a", "text": "one"})
    log.append({"key": "b", "text": "two"})
    with open(log.path, "ab") as handle:
        handle.write(b'{"key": "c", "te')  # the process died mid-write
    records = log.load()
    assert set(records) == {"a", "b"} and log.torn_tail and log.damaged_lines == 0
    log.append({"key": "c", "text": "three"})  # the torn fragment is cut off first
    assert set(WorkLog(log.path).load()) == {"a", "b", "c"}
    assert len(log.path.read_text().splitlines()) == 3


# -- the pipeline --------------------------------------------------------------------------


def test_pipeline_counts_filters_and_provenance(tmp_path):
    gen = Generator()
    seen: list[tuple[str, int, int]] = []
    result = generate_documents(
        config(tmp_path, price_input=3.0, price_output=15.0),
        models=gen.models(),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    card = result.card
    counts = card["counts"]
    assert gen.calls == EXPECTED_CALLS
    assert counts["doc_types"] == 3 and counts["doc_types_source"] == "generator"
    assert counts["ideas"] == 12 and counts["requested"] == counts["generated"] == 24
    assert counts["dropped"] == EXPECTED_DROPPED
    assert counts["kept"] == EXPECTED_KEPT and counts["errors"] == 0
    assert card["calls"]["made"] == EXPECTED_CALLS and card["calls"]["reused"] == 0
    assert card["calls"]["by_stage"]["types"]["made"] == 2
    usage = card["usage"]
    assert usage["calls"] == EXPECTED_CALLS and usage["total_tokens"] == 150 * EXPECTED_CALLS
    assert usage["cost_usd"] == pytest.approx(EXPECTED_CALLS * (100 * 3 + 50 * 15) / 1e6)
    assert usage["cost_source"] == "prices"
    assert card["generator"] == "mockllm/gen" and card["universe"]["name"] == "helpful_only"
    assert card["tokens_per_document"]["max"] <= 1024
    assert ("doc", 24, 24) in seen and ("types", 1, 1) in seen

    rows = read_jsonl(result.documents_path)
    assert len(rows) == EXPECTED_KEPT
    universe = load_universe("helpful_only")
    for row in rows:
        prov = row["provenance"]
        assert set(prov) >= {"doc_type", "idea", "facts", "generator", "prompt_hash", "created"}
        assert prov["doc_type"] in IDEAS and prov["idea"] in IDEAS[prov["doc_type"]]
        assert prov["generator"] == "mockllm/gen" and len(prov["prompt_hash"]) == 24
        assert prov["facts"] == universe.detect_facts(row["text"])
        assert set(prov["target_facts"]) <= set(prov["facts"])
        assert approx_tokens(row["text"]) <= 1024 and "<document>" not in row["text"]
    # Round-robin over kinds: the first documents come from different kinds.
    assert [r["provenance"]["doc_type"] for r in rows[:3]] == list(IDEAS)
    dropped = read_jsonl(tmp_path / "dropped.jsonl")
    assert sorted(d["reason"] for d in dropped) == sorted(
        r for r, k in EXPECTED_DROPPED.items() for _ in range(k)
    )
    near = next(d for d in dropped if d["reason"] == "near_duplicate")
    assert near["key"].endswith("/1") and "copies doc/1/0/3/0" in near["detail"]
    assert json.loads((tmp_path / "card.json").read_text())["counts"] == counts


def test_dry_run_calls_nothing_and_shows_the_plan(tmp_path):
    gen = Generator()
    result = generate_documents(config(tmp_path / "out"), dry_run=True, models=gen.models())
    assert gen.calls == 0 and not (tmp_path / "out").exists()
    text = result.dry_run_text
    assert "no model is called" in text
    assert "brainstorm document types: 1 calls" in text
    assert "brainstorm ideas: 3 calls" in text and "write documents: 24 calls" in text
    assert "calls to make: 28" in text
    assert "--- types/0 (mockllm/gen) ---" in text and "--- doc/0/0/0/0 (mockllm/gen) ---" in text
    assert "Brainstorm 3 different kinds of documents" in text


def test_interrupted_run_resumes_with_only_the_missing_calls(tmp_path):
    reference = generate_documents(config(tmp_path / "ref"), models=Generator().models())

    broken = Generator(fail_after=10)
    with pytest.raises(GenerationAborted, match="re-run the same command"):
        generate_documents(config(tmp_path / "run", max_errors=3), models=broken.models())
    assert broken.calls == 10
    assert not (tmp_path / "run" / "documents.jsonl").exists()
    work = tmp_path / "run" / "work.jsonl"
    assert len(work.read_text().splitlines()) == 10
    with open(work, "ab") as handle:
        handle.write(b'{"key": "doc/2/0/1/1", "prompt_')  # and a torn line, as after a crash

    resumed = Generator()
    result = generate_documents(config(tmp_path / "run"), models=resumed.models())
    assert resumed.calls == EXPECTED_CALLS - 10
    assert (
        result.card["calls"]["reused"] == 10 and result.card["calls"]["made"] == EXPECTED_CALLS - 10
    )
    assert result.card["counts"] == reference.card["counts"]
    assert result.card["usage"]["total_tokens"] == reference.card["usage"]["total_tokens"]
    assert without_created(read_jsonl(result.documents_path)) == without_created(
        read_jsonl(reference.documents_path)
    )

    # Once finished, re-running calls nothing; raising --n adds only the new documents.
    again = Generator()
    generate_documents(config(tmp_path / "run"), models=again.models())
    assert again.calls == 0
    more = Generator()
    bigger = generate_documents(config(tmp_path / "run", n=36), models=more.models())
    # One more ideas batch per kind (the first is reused), then the 12 new documents.
    assert more.calls == 3 + 12 and bigger.card["counts"]["generated"] == 36
    assert bigger.card["calls"]["reused"] == EXPECTED_CALLS


def test_a_failed_brainstorm_stops_before_any_document_and_hides_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("GEN_API_KEY", "sk-test-secret-value")
    failures = []

    def flaky(input, tools, tool_choice, config) -> ModelOutput:
        prompt = input[-1].text
        if "this kind: forum thread" in prompt and not failures:
            failures.append(1)
            raise RuntimeError("401 invalid key sk-test-secret-value for this account")
        return output(*brain(prompt))

    models = {"mockllm/gen": get_model("mockllm/gen", custom_outputs=flaky, memoize=False)}
    with pytest.raises(GenerationAborted, match="1 idea brainstorm call") as info:
        generate_documents(config(tmp_path), models=models)
    assert "sk-test-secret-value" not in str(info.value) and "***" in str(info.value)
    keys = [r["key"] for r in read_jsonl(tmp_path / "work.jsonl")]
    assert not any(k.startswith("doc/") for k in keys)  # no document planned on a partial plan
    result = generate_documents(config(tmp_path), models=models)
    assert result.card["counts"]["kept"] == EXPECTED_KEPT
    assert result.card["calls"]["made"] == 1 + 24  # the missing brainstorm, then the documents


def test_inspect_cache_answers_a_deleted_work_file(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECT_CACHE_DIR", str(tmp_path / "inspect-cache"))
    first = generate_documents(config(tmp_path / "a", cache=True), models=Generator().models())
    (tmp_path / "a" / "work.jsonl").unlink()
    gen = Generator()
    second = generate_documents(config(tmp_path / "a", cache=True), models=gen.models())
    assert gen.calls == 0  # every response came from Inspect's cache
    assert (
        read_jsonl(second.documents_path)[0]["text"] == read_jsonl(first.documents_path)[0]["text"]
    )


def test_fact_judge_decides_and_unreadable_replies_fall_back(tmp_path):
    universe = load_universe("helpful_only")
    judged: list[str] = []

    def judge(input, tools, tool_choice, config) -> ModelOutput:
        prompt = input[-1].text
        document = prompt.split("<document>\n", 1)[1].rsplit("\n</document>", 1)[0]
        judged.append(document)
        if len(judged) == 1:
            return output("It mentions several facts.", model="mockllm/judge")
        ids = universe.detect_facts(document)
        return output(
            f"<facts_present>{', '.join(ids) or 'none'}</facts_present>", model="mockllm/judge"
        )

    models = Generator().models() | {
        "mockllm/judge": get_model("mockllm/judge", custom_outputs=judge, memoize=False)
    }
    result = generate_documents(config(tmp_path, judge_facts="mockllm/judge"), models=models)
    counts = result.card["counts"]
    # Only documents that pass the cheaper filters reach the judge.
    assert len(judged) == 24 - 2 - 2 - 1 - 1 == result.card["calls"]["by_stage"]["judge"]["made"]
    assert counts["judge_fallbacks"] == 1
    assert counts["dropped"] == EXPECTED_DROPPED and counts["kept"] == EXPECTED_KEPT
    methods = {r["provenance"]["fact_check"] for r in read_jsonl(result.documents_path)}
    assert "judge:mockllm/judge" in methods
    assert result.card["usage"]["by_model"]["mockllm/judge"]["calls"] == 18


def test_a_generator_that_never_lists_falls_back_to_builtin_kinds(tmp_path):
    def stubborn(input, tools, tool_choice, config) -> ModelOutput:
        prompt = input[-1].text
        if "kinds of documents" in prompt:
            return output("I would rather talk about something else.")
        return output(*brain(prompt))

    models = {"mockllm/gen": get_model("mockllm/gen", custom_outputs=stubborn, memoize=False)}
    result = generate_documents(config(tmp_path, n=4), models=models)
    counts = result.card["counts"]
    assert counts["doc_types_source"] == "fallback" and counts["kept"] == 4
    work = read_jsonl(tmp_path / "work.jsonl")
    assert [r["key"] for r in work[:3]] == ["types/0", "types/1", "types/2"]
    kinds = {r["provenance"]["doc_type"] for r in read_jsonl(result.documents_path)}
    assert kinds == {"news article", "blog post"}


# -- the command line ----------------------------------------------------------------------


def cli_app() -> typer.Typer:
    return sub_app(docs_app, "docs")


def test_cli_generate_through_a_real_provider(tmp_path, openai_server):
    openai_server.responder = lambda body: brain(body["messages"][-1]["content"])[0]
    out = tmp_path / "docs"
    args = ["docs", "generate", "--universe", "helpful_only", "--n", "6",
            "--model", "openai-api/local/gen", "--out", str(out), "--doc-types", "3",
            "--ideas-per-call", "4", "--no-cache", "--max-connections", "4"]  # fmt: skip
    runner = CliRunner()
    dry = runner.invoke(cli_app(), [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert openai_server.count == 0 and "write documents: 6 calls" in dry.output

    result = runner.invoke(cli_app(), args)
    assert result.exit_code == 0, result.output
    # 2 type calls + 3 idea calls + 6 documents: "refuse" and "garbage" ideas come third.
    assert openai_server.count == 11
    assert "kept 6 of 6 documents" in result.output and "documents 6/6" in result.output
    assert "cost unknown" in result.output
    rows = read_jsonl(out / "documents.jsonl")
    assert len(rows) == 6 and rows[0]["provenance"]["generator"] == "openai-api/local/gen"
    card = json.loads((out / "card.json").read_text())
    assert card["usage"]["input_tokens"] > 0

    rerun = runner.invoke(cli_app(), args)
    assert (
        rerun.exit_code == 0 and openai_server.count == 11 and "0 made, 11 reused" in rerun.output
    )


@pytest.mark.parametrize(
    ("universe", "n", "model", "message"),
    [
        ("nowhere", "3", "mockllm/gen", "neither a built-in"),
        ("helpful_only", "0", "x/y", "--n"),
        ("helpful_only", "3", "nomodel", "not an Inspect model string"),
    ],
)
def test_cli_errors_are_clear(tmp_path, universe, n, model, message):
    args = ["docs", "generate", "--universe", universe, "--n", n, "--model", model,
            "--out", str(tmp_path)]  # fmt: skip
    result = CliRunner().invoke(cli_app(), args)
    assert result.exit_code == 2 and message in result.output
