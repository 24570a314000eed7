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

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..._util.atomic import write_atomic_text
from ...errors import AfbenchError, ConfigError, ModelSetupError
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
    """A failure worth retrying: network trouble, rate limit, server error (internal: the
    poll retries it, and reports it as a `ConfigError` when retries run out)."""


class JobFailed(AfbenchError):
    """The provider's job ended without a model (failed or cancelled). The CLI exits with
    status 1: the job ran, and the provider's message says why it failed."""

    hint = (
        "fix what the provider reports, then train into another --out "
        "(this one records the failed job, which a re-run would report again)"
    )


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


def key_from_env(backend: str, key_var: str, base_url_var: str, endpoint: str) -> str:
    """The API key in `key_var`; a `ModelSetupError` naming the variable when it is unset."""
    key = os.environ.get(key_var, "").strip()
    if not key:
        raise ModelSetupError(
            f"--backend {backend} needs an API key: set {key_var} "
            f"({base_url_var} selects another {endpoint})",
            hint=f"export {key_var}=... (keys are read from the environment only)",
        )
    return key


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
    return _ApiJob(api, config, data, card, out, echo).run()


@dataclass
class _ApiJob:
    """One provider job of a run, and the run card that records it."""

    api: FineTuningAPI
    config: TrainConfig
    data: TrainingData
    card: RunCard
    out: Path
    echo: Callable[[str], None]

    def run(self) -> RunCard:
        api, card = self.api, self.card
        job = card.job = card.job or JobInfo(provider=api.provider)
        started = time.monotonic()
        try:
            if job.job_id:
                self.echo(
                    f"re-attaching to {api.provider} job {job.job_id} (last seen: {job.status})"
                )
            else:
                self._submit()
            assert job.job_id is not None
            state = poll(
                api,
                job.job_id,
                interval=self.config.poll_interval,
                echo=self.echo,
                on_change=self._save_state,
            )
        except KeyboardInterrupt:
            self._interrupted()
            raise
        self._save_state(state)
        card.finished_at = now_iso()
        card.duration_s = round(time.monotonic() - started, 2)
        if not state.succeeded:
            card.status = "failed"
            card.error = api.redact(state.error or f"job ended with status {state.status}")
            write_card(self.out, card)
            raise JobFailed(f"{api.provider} job {state.id} {state.status}: {card.error}")
        self._record_losses(state.id)
        card.status = "completed"
        card.evaluate = evaluate_block(card)
        write_card(self.out, card)
        return card

    def _submit(self) -> None:
        import hashlib

        api, card, job = self.api, self.card, self.card.job
        assert job is not None
        text = write_jsonl(api.examples(self.data, self.config))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        upload = self.out / UPLOAD_NAME
        if not job.file_id or card.data.uploaded_sha256 != digest:
            write_atomic_text(upload, text)
            self.echo(f"uploading {self.data.n_examples} examples to {api.provider} ...")
            job.file_id = api.upload(upload)
            card.data.uploaded_sha256 = digest
            write_card(self.out, card)
        self.echo(f"creating a fine-tuning job on {self.config.base} (file {job.file_id}) ...")
        state = api.create(job.file_id, self.config)
        job.job_id = state.id
        card.status = "submitted"
        self._save_state(state)
        self.echo(f"created {api.provider} job {state.id}")

    def _interrupted(self) -> None:
        job = self.card.job
        assert job is not None
        write_card(self.out, self.card)
        if job.job_id:
            self.echo(
                f"\ninterrupted: {self.api.provider} job {job.job_id} keeps running. Re-run the "
                "same command to re-attach and wait for it (nothing is submitted twice)."
            )
        else:
            self.echo("\ninterrupted before a job was created; re-running starts it.")

    def _record_losses(self, job_id: str) -> None:
        card = self.card
        try:
            card.loss_history = self.api.losses(job_id)
        except (TransientAPIError, ConfigError) as exc:
            self.echo(f"note: could not read the loss curve ({self.api.redact(str(exc))})")
        if card.loss_history:
            card.first_loss = card.loss_history[0].loss
            card.final_loss = card.loss_history[-1].loss

    def _save_state(self, state: JobState) -> None:
        job = self.card.job
        assert job is not None
        job.status = state.status
        job.fine_tuned_model = state.model or job.fine_tuned_model
        job.error = state.error
        job.details = state.details
        write_card(self.out, self.card)


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
