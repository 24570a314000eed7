"""`replay/<model name>`: the model of transcripts produced elsewhere.

Imported transcripts already hold the model's replies; the replay solver puts them into
the conversation, so this provider must never be asked to generate. It exists so that an
import is an ordinary Inspect run — same logs, scorers, summary and report as a native
run — with the original model's name on it.
"""

from __future__ import annotations

from typing import Any

from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

from .._util.model_names import REPLAY_PREFIX, display_model_name  # noqa: F401


@modelapi(name="replay")
class ReplayModel(ModelAPI):
    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig | None = None,
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config or GenerateConfig())

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        raise RuntimeError(
            f"replay/{self.model_name} replays imported transcripts and cannot generate; "
            "use a real model string to run new samples"
        )
