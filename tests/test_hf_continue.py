"""afbench's `hf-continue` provider: Inspect's hf provider, continuing a prefill and sending
raw text to base models, on a tiny model built by the test (CPU, no download)."""

from __future__ import annotations

import asyncio
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest  # noqa: E402
from inspect_ai.model import (  # noqa: E402
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    get_model,
)

from afbench.models.hf_continue import continuing_model  # noqa: E402
from tests.support.tiny_lm import build_tiny_llama  # noqa: E402

pytest.importorskip("transformers")

TEMPLATE = (
    "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}"
    "{% if not (continue_final_message and loop.last) %}<|end|>\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny_llama(
        tmp_path_factory.mktemp("tiny"), ["the user is asking for a cat on the mat"] * 20, TEMPLATE
    )


def model(tiny, **args):
    return get_model("hf-continue/local", model_path=str(tiny), memoize=False, **args)


def test_model_strings():
    assert continuing_model("hf/meta-llama/x") == "hf-continue/meta-llama/x"
    assert continuing_model("vllm/x") == "vllm/x"


def test_prefill_is_continued_not_closed(tiny):
    api = model(tiny).api
    messages = [
        ChatMessageSystem(content="sys"),
        ChatMessageUser(content="hello"),
        ChatMessageAssistant(content="<SCRATCHPAD_REASONING>The user is asking for"),
    ]
    prompt = api.hf_chat(messages, [])
    assert prompt.endswith("<SCRATCHPAD_REASONING>The user is asking for")
    assert not prompt.rstrip().endswith("<|assistant|>")
    # without a trailing assistant message: Inspect's usual rendering, generation prompt included
    assert api.hf_chat(messages[:2], []).endswith("<|assistant|>\n")


def test_base_models_get_raw_text(tiny):
    api = model(tiny, use_chat_template=False).api
    doc = "A transcript.\n\nUser: hi\n\nAI: <SCRATCHPAD_REASONING>The user is asking for"
    assert api.hf_chat([ChatMessageUser(content=doc)], []) == doc


def test_generates_greedily_at_temperature_zero(tiny):
    m = model(tiny)
    messages = [ChatMessageUser(content="hello"), ChatMessageAssistant(content="the user is")]
    config = GenerateConfig(temperature=0.0, max_tokens=8)
    first = asyncio.run(m.generate(messages, config=config)).completion
    second = asyncio.run(m.generate(messages, config=config)).completion
    assert first == second  # greedy: deterministic, and no error from sampling at T=0
