"""`hf-continue/<model>`: Inspect's Hugging Face provider, made to continue text.

Inspect's `hf` provider always renders the chat template with a generation prompt, so a
trailing assistant message (a prefill) is closed and the model starts a *new* turn; and
with `use_chat_template=false` it prefixes every message with `role:`, so a base model
never sees the raw document it should continue. Both break the prefill and base-model
experiments. This subclass fixes exactly those two points and leaves everything else to
Inspect: a trailing assistant message is continued (`continue_final_message`), and
without a chat template the messages' text is sent as it is.

afbench runs `hf/...` model strings through this provider (`providers.continuing_model`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from inspect_ai.model import ChatMessage, ChatMessageAssistant, ModelAPI, modelapi

# Kept importable from here; the mapping lives with the provider table.
from ..providers import continuing_model  # noqa: F401


@modelapi(name="hf-continue")
def hf_continue() -> type[ModelAPI]:
    return continuing_api_class()


@cache
def continuing_api_class() -> type[ModelAPI]:
    """The continuing subclass of Inspect's `hf` provider (also the base of `local/`).

    Built on first use: torch and transformers are optional (the `train` extra).
    """
    from .._util.inspect_internals import huggingface_api_class

    HuggingFaceAPI = huggingface_api_class()

    class ContinuingHuggingFaceAPI(HuggingFaceAPI):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._explicit_do_sample = "do_sample" in kwargs
            super().__init__(*args, **kwargs)

        async def generate(self, input: Any, tools: Any, tool_choice: Any, config: Any) -> Any:
            # Inspect's hf provider samples unless told otherwise, and transformers refuses
            # to sample at temperature 0 — afbench's default. Temperature 0 means greedy.
            if not self._explicit_do_sample:
                self.do_sample = config.temperature not in (None, 0, 0.0)
            if not self.do_sample:
                # Sampling settings mean nothing to greedy decoding, and transformers warns
                # about each of them on every batch.
                config = config.model_copy(update={"temperature": None, "top_p": None})
            return await super().generate(input, tools, tool_choice, config)

        def hf_chat(self, messages: list[ChatMessage], tools: list[Any]) -> str:
            if self.use_chat_template is False:
                return "".join(m.text for m in messages)
            if not messages or not isinstance(messages[-1], ChatMessageAssistant) or tools:
                return super().hf_chat(messages, tools)
            template = (
                self.chat_template
                if isinstance(self.chat_template, str)
                else self.tokenizer.chat_template
            )
            dicts = [{"role": m.role, "content": m.text} for m in messages]
            return str(
                self.tokenizer.apply_chat_template(
                    dicts,
                    chat_template=template,
                    tokenize=False,
                    add_generation_prompt=False,
                    continue_final_message=True,
                )
            )

    return ContinuingHuggingFaceAPI
