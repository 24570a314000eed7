"""`--backend openai`: OpenAI's fine-tuning API through the `openai` SDK.

The key comes from `OPENAI_API_KEY` (and the endpoint from `OPENAI_BASE_URL`, as for every
OpenAI client); it is never printed. OpenAI fine-tunes chat models on chat examples only,
so document data is sent as two-turn chats: a fixed user turn (`--doc-prompt`, recorded in
the run card) and the document as the assistant's answer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ...errors import ConfigError, ModelSetupError
from .api import JobState, TransientAPIError, key_from_env, redact
from .card import LossPoint
from .config import TrainConfig
from .data import TrainingData

KEY_VAR = "OPENAI_API_KEY"
BASE_URL_VAR = "OPENAI_BASE_URL"

SUCCEEDED = "succeeded"
ENDED = {"succeeded", "failed", "cancelled"}

T = TypeVar("T")


class OpenAIFineTuning:
    provider = "openai"

    def __init__(self, client: Any, key: str) -> None:
        self.client = client
        self._key = key

    @classmethod
    def from_env(cls) -> OpenAIFineTuning:
        key = key_from_env("openai", KEY_VAR, BASE_URL_VAR, "OpenAI-compatible endpoint")
        import openai

        client = openai.OpenAI(
            api_key=key, base_url=os.environ.get(BASE_URL_VAR) or None, max_retries=3
        )
        return cls(client, key)

    def redact(self, text: str) -> str:
        return redact(text, self._key)

    def examples(self, data: TrainingData, config: TrainConfig) -> list[dict[str, Any]]:
        if data.format == "chat":
            return data.examples
        return [
            {
                "messages": [
                    {"role": "user", "content": config.doc_prompt},
                    {"role": "assistant", "content": example["text"]},
                ]
            }
            for example in data.examples
        ]

    def upload(self, path: Path) -> str:
        with open(path, "rb") as handle:
            file = self._call(
                lambda: self.client.files.create(file=(path.name, handle), purpose="fine-tune")
            )
        return str(file.id)

    def create(self, file_id: str, config: TrainConfig) -> JobState:
        if config.epochs != int(config.epochs):
            raise ConfigError("OpenAI trains whole epochs: give --epochs as an integer")
        hyper: dict[str, Any] = {"n_epochs": int(config.epochs)}
        if config.batch_size is not None:
            hyper["batch_size"] = config.batch_size
        if config.lr_multiplier is not None:
            hyper["learning_rate_multiplier"] = config.lr_multiplier
        kwargs: dict[str, Any] = {
            "model": config.base,
            "training_file": file_id,
            "method": {"type": "supervised", "supervised": {"hyperparameters": hyper}},
            "seed": config.seed,
        }
        if config.suffix:
            kwargs["suffix"] = config.suffix
        return self._state(self._call(lambda: self.client.fine_tuning.jobs.create(**kwargs)))

    def get(self, job_id: str) -> JobState:
        return self._state(self._call(lambda: self.client.fine_tuning.jobs.retrieve(job_id)))

    def losses(self, job_id: str) -> list[LossPoint]:
        page = self._call(lambda: self.client.fine_tuning.jobs.list_events(job_id, limit=1000))
        points: dict[int, LossPoint] = {}
        for event in page.data:
            payload = event.data if isinstance(event.data, dict) else {}
            if event.type == "metrics" and "step" in payload and "train_loss" in payload:
                step = int(payload["step"])
                points[step] = LossPoint(step=step, loss=float(payload["train_loss"]))
        return [points[step] for step in sorted(points)]

    def _state(self, job: Any) -> JobState:
        status = str(job.status)
        error = None
        if getattr(job, "error", None) is not None and (job.error.message or job.error.code):
            error = self.redact(f"{job.error.message or ''} ({job.error.code or 'error'})".strip())
        details = {
            key: getattr(job, key, None)
            for key in ("model", "trained_tokens", "finished_at", "estimated_finish")
            if getattr(job, key, None) is not None
        }
        return JobState(
            id=str(job.id),
            status=status,
            done=status in ENDED,
            succeeded=status == SUCCEEDED,
            model=getattr(job, "fine_tuned_model", None) or None,
            error=error,
            details=details,
        )

    def _call(self, fn: Callable[[], T]) -> T:
        """Run one SDK call, sorting its errors into retryable and final ones."""
        import openai

        try:
            return fn()
        except (
            openai.APIConnectionError,
            openai.RateLimitError,
            openai.InternalServerError,
        ) as exc:
            raise TransientAPIError(self.redact(_describe(exc))) from None
        except openai.AuthenticationError:
            raise ModelSetupError(
                f"OpenAI rejected the key in {KEY_VAR} (401)", hint=f"check the key in {KEY_VAR}"
            ) from None
        except openai.APIStatusError as exc:
            raise ConfigError(
                f"OpenAI refused the request: {self.redact(_describe(exc))}"
            ) from None


def _describe(exc: Any) -> str:
    status = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = body["error"].get("message") or message
    text = message or getattr(exc, "message", None) or type(exc).__name__
    return f"{status} {text}" if status else str(text)
