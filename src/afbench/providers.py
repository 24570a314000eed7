"""What each model provider can do, in one table, and the checks built on it.

A model string is `provider/name`. afbench needs to know four things about a provider:

- `local`: it runs on this machine (weights or a server started by Inspect). It needs no
  API key, and constructing it loads weights or starts a server, so it is not built up
  front to check keys; it is handed to Inspect as a string.
- `native_prefill`: it continues a trailing assistant message as it is (Anthropic, the
  simulator, afbench's `hf-continue` and `local`; `hf` is run through `hf-continue`).
- `flag_prefill`: it continues a trailing assistant message when the request asks with
  `continue_final_message` (vLLM and SGLang chat servers, and `openai-api/<name>/`
  servers built on them).
- `raw_completion`: it sends one raw prompt for a base model to continue (completion
  endpoints; `hf` and `local` with `use_chat_template=false`).

The OpenAI API and most hosted chat APIs do not continue a prefill at all and would
silently start a fresh turn, and they have no raw-completion mode: those are refused up
front rather than producing a run that only looks prefilled or base-formatted.

No heavy imports: the CLI checks model strings before Inspect is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._util.model_names import CONTINUE_PREFIX
from .errors import ModelSetupError


@dataclass(frozen=True)
class Capabilities:
    local: bool = False
    native_prefill: bool = False
    flag_prefill: bool = False
    raw_completion: bool = False
    num_choices: bool = False
    """Returns several samples for one prompt (`n`), billing the input once."""
    batch_api: bool = False
    """Inspect can send its requests through the provider's batch API (cheaper, slower)."""
    prompt_cache: bool = False
    """Repeated prompt prefixes are read from a cache at a discount (automatically, or by
    Inspect's `cache_prompt`, on by default)."""


#: Every provider afbench treats specially; any other provider can do none of these.
#: Groq accepts only n=1, Anthropic has no `n`: their votes are separate calls.
PROVIDERS: dict[str, Capabilities] = {
    "anthropic": Capabilities(native_prefill=True, batch_api=True, prompt_cache=True),
    "openai": Capabilities(num_choices=True, batch_api=True, prompt_cache=True),
    "google": Capabilities(num_choices=True, batch_api=True, prompt_cache=True),
    "together": Capabilities(num_choices=True, batch_api=True),
    "grok": Capabilities(num_choices=True, batch_api=True, prompt_cache=True),
    "mistral": Capabilities(num_choices=True),
    "sim": Capabilities(native_prefill=True, raw_completion=True),
    "mockllm": Capabilities(native_prefill=True, raw_completion=True),
    "hf": Capabilities(local=True, native_prefill=True, raw_completion=True),
    "hf-continue": Capabilities(local=True, native_prefill=True, raw_completion=True),
    "local": Capabilities(local=True, native_prefill=True, raw_completion=True),
    "vllm": Capabilities(local=True, flag_prefill=True, num_choices=True, prompt_cache=True),
    "vllm-completions": Capabilities(local=True, raw_completion=True, num_choices=True),
    "sglang": Capabilities(local=True, flag_prefill=True, num_choices=True, prompt_cache=True),
    "openai-api": Capabilities(flag_prefill=True, num_choices=True),
    "openai-api-completions": Capabilities(raw_completion=True),
    "ollama": Capabilities(local=True),
    "llama-cpp-python": Capabilities(local=True),
    "transformer_lens": Capabilities(local=True),
    "nnterp": Capabilities(local=True),
}
_NONE = Capabilities()

#: Request options that make vLLM/SGLang chat servers continue the last assistant message.
CONTINUE_EXTRA_BODY = {"continue_final_message": True, "add_generation_prompt": False}


def _having(flag: str) -> frozenset[str]:
    return frozenset(p for p, caps in PROVIDERS.items() if getattr(caps, flag))


#: The same table by capability (for messages and for code that wants a set).
LOCAL_PROVIDERS = _having("local")
NATIVE_PREFILL = _having("native_prefill")
CONTINUE_FLAG_PREFILL = _having("flag_prefill")
BASE_PROVIDERS = _having("raw_completion")


def provider_of(model: str) -> str:
    """`provider/name` → `provider` (a string without `/` is returned whole)."""
    return model.split("/", 1)[0]


def continuing_model(model: str) -> str:
    """`hf/X` → `hf-continue/X` (afbench's continuing Hugging Face provider, see
    `models.hf_continue`); any other model string is returned unchanged."""
    return CONTINUE_PREFIX + model[3:] if model.startswith("hf/") else model


def capabilities(model: str) -> Capabilities:
    return PROVIDERS.get(provider_of(model), _NONE)


def is_local(model: str) -> bool:
    """Runs on this machine: needs no key, and is not constructed to check one."""
    return capabilities(model).local


def supports_num_choices(model: str) -> bool:
    """Several votes from one request (`n`); where the server then returns fewer, the
    judge falls back to separate calls on its own (`scorers.af._judge`)."""
    return capabilities(model).num_choices


def check_prefill_support(model: str) -> None:
    """Refuse a provider that would start a new turn instead of continuing the prefill."""
    caps = capabilities(model)
    if not (caps.native_prefill or caps.flag_prefill):
        raise ModelSetupError(
            f"model '{model}': the {provider_of(model)} provider does not continue a prefilled "
            "assistant turn, so --prefill would silently start a new turn. Prefill works with "
            "anthropic/, vllm/, sglang/, hf/ and openai-api/<name>/ servers that support "
            "continue_final_message (vLLM, SGLang)."
        )


def check_base_support(model: str) -> None:
    """Refuse a chat-only provider for `--format base` (one raw prompt to continue)."""
    if not capabilities(model).raw_completion:
        raise ModelSetupError(
            f"model '{model}': --format base sends one raw prompt for a pretrained model to "
            f"continue; the {provider_of(model)} provider is a chat API. Use "
            "openai-api-completions/, vllm-completions/ or hf/ (afbench sets "
            "use_chat_template=false)."
        )


def prefill_generate_args(model: str) -> dict[str, Any]:
    """Extra generate options a provider needs to continue the prefill."""
    if capabilities(model).flag_prefill:
        return {"extra_body": dict(CONTINUE_EXTRA_BODY)}
    return {}
