"""`replay/<model name>`: the model of transcripts produced elsewhere.

Imported transcripts already hold the model's replies; the replay solver puts them into
the conversation, so this provider must never be asked to generate. It exists so that an
import is an ordinary Inspect run — same logs, scorers, summary and report as a native
run — with the original model's name on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from inspect_ai.model import ChatMessage, ModelOutput, modelapi

from .._util.model_names import REPLAY_PREFIX, display_model_name  # noqa: F401
from ._inprocess import InProcessModelAPI


@modelapi(name="replay")
class ReplayModel(InProcessModelAPI):
    def respond(self, messages: Sequence[ChatMessage]) -> ModelOutput:
        raise RuntimeError(
            f"replay/{self.model_name} replays imported transcripts and cannot generate; "
            "use a real model string to run new samples"
        )
