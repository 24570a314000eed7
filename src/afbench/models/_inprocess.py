"""A base for model providers that answer inside afbench: no server, URL or API key.

Why a base: Inspect constructs every provider with the same arguments (name, URL, key,
config, model args). Providers that run in-process (`sim/<profile>`, `replay/<model>`)
need none of the URL and key plumbing, and answer synchronously; this class holds that
plumbing once, so each provider says only what it does with its model args and how it
answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput
from inspect_ai.tool import ToolChoice, ToolInfo


class InProcessModelAPI(ModelAPI):
    """An Inspect `ModelAPI` whose `generate` is the synchronous :meth:`respond`."""

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig | None = None,
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config or GenerateConfig())
        self.configure(**model_args)

    def configure(self, **model_args: Any) -> None:
        """Take the provider's model args (`-M key=value`); by default they are ignored."""

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        return self.respond(input)

    def respond(self, messages: Sequence[ChatMessage]) -> ModelOutput:
        """The reply to a conversation, synchronously (what `generate` returns)."""
        raise NotImplementedError
