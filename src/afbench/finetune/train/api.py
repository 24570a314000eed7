"""The fine-tuning job life cycle shared by the provider backends (OpenAI, Together).

upload the data → create the job → poll with backoff until it succeeds, fails or is
cancelled → record the fine-tuned model name. The run card is written after each step,
so the file id and the job id survive any interruption: re-running the same command
re-attaches to the job instead of creating (and paying for) a second one, and Ctrl-C while
polling leaves the job running and says how to pick it up again.

A provider is a small class with `examples`, `upload`, `create`, `get` and `losses`
(see `FineTuningAPI`); it raises `TransientAPIError` for failures worth retrying (network,
rate limits, server errors) and `ConfigError` for refusals a retry cannot fix. Messages
pass through `redact` so an API key never reaches the terminal or the run card.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..._util.atomic import write_atomic_text
from ...errors import ConfigError
from .card import JobInfo, LossPoint, RunCard, evaluate_block, now_iso, write_card
from .config import TrainConfig
from .data import TrainingData, write_jsonl

#: Polling never waits longer than this between two looks at a job (unless --poll-interval
#: asks for more).
MAX_POLL_INTERVAL = 60.0
#: Consecutive failed polls tolerated before giving up (the job itself keeps running).
MAX_POLL_FAILURES = 8

UPLOAD_NAME = "upload.jsonl"


class TransientAPIError(Exception):
    """A failure worth retrying: network trouble, rate limit, server error."""


class JobFailed(Exception):
    """The provider's job ended without a model (failed or cancelled)."""


@dataclass
class JobState:
    """One look at a provider's job, in provider-neutral terms."""

    id: str
    status: str
    done: bool
    succeeded: bool
    model: str | None = None
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class FineTuningAPI(Protocol):
    provider: str

    def examples(self, data: TrainingData, config: TrainConfig) -> list[dict[str, Any]]:
        """The examples as this provider wants them uploaded."""
        ...

    def upload(self, path: Path) -> str:
        """Upload the training file; return its file id."""
        ...

    def create(self, file_id: str, config: TrainConfig) -> JobState: ...

    def get(self, job_id: str) -> JobState: ...

    def losses(self, job_id: str) -> list[LossPoint]:
        """The training loss curve, where the provider reports one."""
        ...

    def redact(self, text: str) -> str:
        """The text with the API key replaced."""
        ...


def redact(text: str, secret: str | None) -> str:
    if secret and len(secret) >= 4:
        text = text.replace(secret, "[redacted]")
    return text


def _sleep(seconds: float) -> None:  # module attribute so tests can replace it
    time.sleep(seconds)


def run_api_job(
    api: FineTuningAPI,
    config: TrainConfig,
    data: TrainingData,
    card: RunCard,
    out: Path,
    echo: Callable[[str], None],
) -> RunCard:
    """Submit (or re-attach to) the job, wait for it, and complete the run card."""
    job = card.job or JobInfo(provider=api.provider)
    card.job = job
    started = time.monotonic()
    try:
        if job.job_id:
            echo(f"re-attaching to {api.provider} job {job.job_id} (last seen: {job.status})")
        else:
            _submit(api, config, data, card, out, echo)
        assert job.job_id is not None
        state = poll(
            api,
            job.job_id,
            interval=config.poll_interval,
            echo=echo,
            on_change=lambda s: _save_state(out, card, s),
        )
    except KeyboardInterrupt:
        write_card(out, card)
        if job.job_id:
            echo(
                f"\ninterrupted: {api.provider} job {job.job_id} keeps running. Re-run the same "
                "command to re-attach and wait for it (nothing is submitted twice)."
            )
        else:
            echo("\ninterrupted before a job was created; re-running starts it.")
        raise
    _save_state(out, card, state)
    card.finished_at = now_iso()
    card.duration_s = round(time.monotonic() - started, 2)
    if not state.succeeded:
        card.status = "failed"
        card.error = api.redact(state.error or f"job ended with status {state.status}")
        write_card(out, card)
        raise JobFailed(f"{api.provider} job {state.id} {state.status}: {card.error}")
    try:
        card.loss_history = api.losses(state.id)
    except (TransientAPIError, ConfigError) as exc:
        echo(f"note: could not read the loss curve ({api.redact(str(exc))})")
    if card.loss_history:
        card.first_loss = card.loss_history[0].loss
        card.final_loss = card.loss_history[-1].loss
    card.status = "completed"
    card.evaluate = evaluate_block(card)
    write_card(out, card)
    return card


def _submit(
    api: FineTuningAPI,
    config: TrainConfig,
    data: TrainingData,
    card: RunCard,
    out: Path,
    echo: Callable[[str], None],
) -> None:
    import hashlib

    job = card.job
    assert job is not None
    text = write_jsonl(api.examples(data, config))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    upload = out / UPLOAD_NAME
    if not job.file_id or card.data.uploaded_sha256 != digest:
        write_atomic_text(upload, text)
        echo(f"uploading {data.n_examples} examples to {api.provider} ...")
        job.file_id = api.upload(upload)
        card.data.uploaded_sha256 = digest
        write_card(out, card)
    echo(f"creating a fine-tuning job on {config.base} (file {job.file_id}) ...")
    state = api.create(job.file_id, config)
    job.job_id = state.id
    card.status = "submitted"
    _save_state(out, card, state)
    echo(f"created {api.provider} job {state.id}")


def poll(
    api: FineTuningAPI,
    job_id: str,
    *,
    interval: float,
    echo: Callable[[str], None],
    on_change: Callable[[JobState], None],
) -> JobState:
    """Look at the job until it is done, waiting longer while nothing changes."""
    ceiling = max(MAX_POLL_INTERVAL, interval)
    delay, failures, last = interval, 0, None
    while True:
        try:
            state = api.get(job_id)
        except TransientAPIError as exc:
            failures += 1
            if failures > MAX_POLL_FAILURES:
                raise ConfigError(
                    f"could not reach {api.provider} {failures} times in a row "
                    f"({api.redact(str(exc))}); the job {job_id} is unaffected: re-run the "
                    "same command to re-attach"
                ) from None
            echo(f"polling failed ({api.redact(str(exc))}); retrying in {delay:.0f} s")
            _sleep(delay)
            delay = min(delay * 2, ceiling)
            continue
        failures = 0
        if state.status != last:
            echo(f"job {job_id}: {state.status}")
            on_change(state)
            last = state.status
            delay = interval
        if state.done:
            return state
        _sleep(delay)
        delay = min(delay * 1.5, ceiling)


def _save_state(out: Path, card: RunCard, state: JobState) -> None:
    job = card.job
    assert job is not None
    job.status = state.status
    job.fine_tuned_model = state.model or job.fine_tuned_model
    job.error = state.error
    job.details = state.details
    write_card(out, card)
