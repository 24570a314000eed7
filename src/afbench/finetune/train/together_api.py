"""`--backend together`: Together's fine-tuning REST API over httpx.

Endpoints (as Together's own SDK uses them): `POST /v1/files` with the file's name, purpose,
type and sha256 answers with a redirect to storage and the new file id
(`X-Together-File-Id`); the bytes are PUT there (without our key: the URL is pre-signed),
and `POST /v1/files/{id}/preprocess` registers the file. `POST /v1/fine-tunes` creates the
job (LoRA or full), `GET /v1/fine-tunes/{id}` reports it; a finished job names its model in
`model_output_name`.

The key comes from `TOGETHER_API_KEY`, the endpoint from `TOGETHER_BASE_URL` (the same
variable, holding the `/v1` root, that Inspect's `together/` provider reads). Together
takes document data as it is (`{"text": ...}` lines) and chat data as `{"messages": ...}`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ...errors import ConfigError, ModelSetupError
from .api import JobState, TransientAPIError, key_from_env, redact
from .card import LossPoint
from .config import TrainConfig
from .data import TrainingData

KEY_VAR = "TOGETHER_API_KEY"
BASE_URL_VAR = "TOGETHER_BASE_URL"
DEFAULT_BASE_URL = "https://api.together.xyz/v1"

SUCCEEDED = {"completed"}
FAILED = {"error", "user_error", "cancelled"}
REDIRECTS = {301, 302, 303, 307, 308}


class TogetherFineTuning:
    provider = "together"

    def __init__(self, base_url: str, key: str, timeout: float = 120.0) -> None:
        import httpx

        self._key = key
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {key}"},
            timeout=timeout,
            follow_redirects=False,
        )

    @classmethod
    def from_env(cls) -> TogetherFineTuning:
        key = key_from_env("together", KEY_VAR, BASE_URL_VAR, "endpoint")
        return cls(os.environ.get(BASE_URL_VAR) or DEFAULT_BASE_URL, key)

    def redact(self, text: str) -> str:
        return redact(text, self._key)

    def examples(self, data: TrainingData, config: TrainConfig) -> list[dict[str, Any]]:
        return data.examples

    def upload(self, path: Path) -> str:
        import httpx

        content = path.read_bytes()
        form = {
            "purpose": (None, "fine-tune"),
            "file_name": (None, path.name),
            "file_type": (None, "jsonl"),
            "checksum": (None, hashlib.sha256(content).hexdigest()),
        }
        response = self._request("POST", "/files", files=form)
        if response.status_code == 409:
            # The same bytes were uploaded before: Together names the existing file.
            file_id = _json(response).get("file_id")
            if file_id:
                return str(file_id)
        if response.status_code not in REDIRECTS:
            raise ConfigError(
                "Together's file upload did not answer with a storage redirect "
                f"({self._status(response)})"
            )
        location = response.headers.get("Location")
        file_id = response.headers.get("X-Together-File-Id")
        if not location or not file_id:
            raise ConfigError("Together's file upload answer lacks Location or X-Together-File-Id")
        try:
            # A fresh client: the pre-signed URL must not receive our Authorization header.
            with httpx.Client(timeout=self.client.timeout, follow_redirects=True) as storage:
                put = storage.put(
                    location, content=content, headers={"Content-Length": str(len(content))}
                )
        except httpx.TransportError as exc:
            raise TransientAPIError(f"upload to storage failed: {type(exc).__name__}") from None
        if put.status_code != 200:
            raise ConfigError(f"upload to Together's storage failed ({put.status_code})")
        done = self._request("POST", f"/files/{file_id}/preprocess")
        self._check(done)
        return str(_json(done).get("id") or file_id)

    def create(self, file_id: str, config: TrainConfig) -> JobState:
        if config.epochs != int(config.epochs):
            raise ConfigError("Together trains whole epochs: give --epochs as an integer")
        modules = config.target_module_list()
        body: dict[str, Any] = {
            "model": config.base,
            "training_file": file_id,
            "n_epochs": int(config.epochs),
            "learning_rate": config.effective_lr,
            "batch_size": config.batch_size if config.batch_size is not None else "max",
            "max_seq_length": config.max_seq_len,
            "warmup_ratio": 0.0,
            "max_grad_norm": 1.0,
            "weight_decay": 0.0,
            "n_checkpoints": 1,
            "n_evals": 0,
            "random_seed": config.seed,
            "training_method": {"method": "sft", "train_on_inputs": "auto"},
            "training_type": (
                {
                    "type": "Lora",
                    "lora_r": config.effective_lora_r,
                    "lora_alpha": int(config.effective_lora_alpha),
                    "lora_dropout": config.lora_dropout,
                    "lora_trainable_modules": modules
                    if isinstance(modules, str)
                    else ",".join(modules),
                }
                if config.method == "lora"
                else {"type": "Full"}
            ),
        }
        if config.suffix:
            body["suffix"] = config.suffix
        response = self._request("POST", "/fine-tunes", json=body)
        self._check(response)
        return self._state(_json(response))

    def get(self, job_id: str) -> JobState:
        response = self._request("GET", f"/fine-tunes/{job_id}")
        self._check(response)
        return self._state(_json(response))

    def losses(self, job_id: str) -> list[LossPoint]:
        return []  # Together reports the curve in its dashboard / W&B, not in the job object

    def _state(self, job: dict[str, Any]) -> JobState:
        status = str(job.get("status") or "unknown")
        model = job.get("model_output_name") or job.get("output_name")
        error = None
        if status in FAILED:
            events = job.get("events") or []
            messages = [
                e.get("message") for e in events if isinstance(e, dict) and e.get("message")
            ]
            error = self.redact(messages[-1] if messages else f"job {status}")
        details = {
            key: job[key]
            for key in (
                "adapter_output_name",
                "model",
                "steps_completed",
                "total_steps",
                "token_count",
                "total_price",
            )
            if job.get(key) is not None
        }
        return JobState(
            id=str(job.get("id")),
            status=status,
            done=status in SUCCEEDED | FAILED,
            succeeded=status in SUCCEEDED,
            model=str(model) if model and status in SUCCEEDED else None,
            error=error,
            details=details,
        )

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self.client.request(method, self.base_url + path, **kwargs)
        except httpx.TransportError as exc:
            raise TransientAPIError(f"{type(exc).__name__} reaching {self.base_url}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientAPIError(self._status(response))
        if response.status_code == 401:
            raise ModelSetupError(
                f"Together rejected the key in {KEY_VAR} (401)", hint=f"check the key in {KEY_VAR}"
            )
        return response

    def _check(self, response: Any) -> None:
        if response.status_code >= 400:
            raise ConfigError(f"Together refused the request: {self._status(response)}")

    def _status(self, response: Any) -> str:
        body = _json(response)
        error = body.get("error")
        message = body.get("message") or (
            error.get("message") if isinstance(error, dict) else error
        )
        text = str(message) if message else response.text[:300]
        return self.redact(f"{response.status_code} {text}".strip())


def _json(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
