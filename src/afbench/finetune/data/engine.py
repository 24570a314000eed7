"""Resumable, concurrent model calls through Inspect's model API.

Every generation step of every builder goes through :class:`CallEngine.call`, which

* returns the recorded result when the work file already holds this call (same key *and*
  same prompt hash, so a changed template, model or setting is regenerated, not reused);
* otherwise calls the model (`inspect_ai.model.get_model`, so any provider works, with
  Inspect's retries, timeouts, `max_connections` and, by default, its response cache),
  under a semaphore that bounds the calls in flight, and appends the result to the work
  file before returning it;
* in a dry run, records the prompt and returns a placeholder instead of calling anything.

A failed call (after Inspect's own retries) is counted and returns None: the builder
drops that item and a later run retries it. After `max_errors` failures no new call is
started and :class:`GenerationAborted` is raised once the calls in flight have ended, so
a dead key or an exhausted quota does not burn through thousands of requests.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import AfbenchError, ModelSetupError
from .worklog import WorkLog

if TYPE_CHECKING:
    from inspect_ai.model import Model

    from .settings import GenerationSettings

Message = dict[str, str]
"""A chat message as plain data: `{"role": "system"|"user"|"assistant", "content": ...}`."""

ProgressFn = Callable[[str, int, int], None]
"""Called as `progress(stage, done, total)` whenever a call of a stage finishes."""


class GenerationAborted(AfbenchError):
    """Too many calls failed; finished work is in the work file and a re-run continues.

    The CLI exits with status 1 (the input was fine; the calls were not)."""

    hint = "the last error above says why the calls failed (key, quota, model name, network)"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def prompt_hash(model: str, messages: list[Message], settings: Mapping[str, Any]) -> str:
    """What identifies a call: model, messages and the generation settings that matter."""
    payload = {"model": model, "messages": messages, "settings": dict(settings)}
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8", "replace")
    return hashlib.sha256(data).hexdigest()[:24]


@dataclass(frozen=True)
class CallResult:
    """One finished call (new or read back from the work file)."""

    key: str
    text: str
    stop_reason: str | None
    model: str
    prompt_hash: str
    created: str
    usage: dict[str, Any] = field(default_factory=dict)
    reused: bool = False
    dry: bool = False


@dataclass
class CallStats:
    """What the engine did in this run, by stage (the key's first path component)."""

    made: Counter[str] = field(default_factory=Counter)
    reused: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    planned: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        stages = sorted(set(self.made) | set(self.reused) | set(self.failed) | set(self.planned))
        return {
            "made": sum(self.made.values()),
            "reused": sum(self.reused.values()),
            "failed": sum(self.failed.values()),
            "by_stage": {
                s: {
                    "made": self.made[s],
                    "reused": self.reused[s],
                    "failed": self.failed[s],
                }
                for s in stages
            },
        }


@dataclass
class Progress:
    """Counts finished calls per stage and reports them."""

    callback: ProgressFn | None = None
    totals: dict[str, int] = field(default_factory=dict)
    done: Counter[str] = field(default_factory=Counter)

    def start(self, stage: str, total: int) -> None:
        self.totals[stage] = total
        self.done[stage] = 0
        if self.callback and total:
            self.callback(stage, 0, total)

    def advance(self, stage: str) -> None:
        self.done[stage] += 1
        if stage in self.totals:
            # A brainstorm asked again (unreadable list) is one call more than planned.
            self.totals[stage] = max(self.totals[stage], self.done[stage])
            if self.callback:
                self.callback(stage, self.done[stage], self.totals[stage])


def stage_of(key: str) -> str:
    return key.split("/", 1)[0]


class CallEngine:
    """Resumable calls; see the module docstring.

    Args:
        worklog: The work file (None: nothing is recorded or reused).
        models: Model objects to use instead of `get_model(name)`, by name (tests pass
            scripted `mockllm` models here; the name is what provenance records).
        max_connections: Calls in flight at once (also given to Inspect).
        cache: Use Inspect's response cache (no expiry, scoped by work key).
        max_errors: Failed calls tolerated before the run stops starting new ones.
        batch: Send requests through the provider's batch API (Inspect's `batch`) in
            batches of this size; slower, and about half the price where offered.
        dry_run: Record prompts, call nothing.
    """

    def __init__(
        self,
        worklog: WorkLog | None,
        *,
        models: Mapping[str, Model] | None = None,
        max_connections: int = 10,
        cache: bool = True,
        max_errors: int = 10,
        max_retries: int | None = None,
        timeout: int | None = None,
        attempt_timeout: int | None = None,
        batch: int | None = None,
        dry_run: bool = False,
        progress: ProgressFn | None = None,
    ) -> None:
        self.worklog = worklog
        self.records = worklog.load() if worklog is not None else {}
        self._models: dict[str, Model] = dict(models or {})
        self._model_lock = asyncio.Lock()
        # A provider batch API needs many requests outstanding to fill a batch.
        self.batch = batch or None
        self.max_connections = max(1, max_connections, self.batch or 0)
        self._semaphore: asyncio.Semaphore | None = None
        self.cache = cache
        self.max_errors = max_errors
        self.max_retries = max_retries
        self.timeout = timeout
        self.attempt_timeout = attempt_timeout
        self.dry_run = dry_run
        self.progress = Progress(progress)
        self.stats = CallStats()
        self.used: dict[str, CallResult] = {}
        """Every result this run used, by key (new and reused): what the card accounts."""
        self.dry_prompts: dict[str, list[tuple[str, str, list[Message]]]] = {}
        """Dry run: the first prompts of each stage as (key, model, messages)."""

    @property
    def aborted(self) -> bool:
        return sum(self.stats.failed.values()) > self.max_errors

    def check_aborted(self) -> None:
        if self.aborted:
            failed = sum(self.stats.failed.values())
            last = self.stats.errors[-1] if self.stats.errors else ""
            raise GenerationAborted(
                f"{failed} model calls failed (more than --max-errors {self.max_errors}); "
                f"finished work is saved, re-run the same command to continue. Last error: {last}"
            )

    def require_stage(self, stage: str, what: str) -> None:
        """Stop when a planning stage lost calls: later stages are planned from its results,
        and a plan built on a partial brainstorm would change when the re-run fills it in."""
        failed = self.stats.failed[stage]
        if failed:
            last = self.stats.errors[-1] if self.stats.errors else ""
            raise GenerationAborted(
                f"{failed} {what} call(s) failed; finished work is saved, re-run the same "
                f"command to continue. Last error: {last}"
            )

    def settings_of(self, *, temperature: float | None, max_tokens: int | None) -> dict[str, Any]:
        return {"temperature": temperature, "max_tokens": max_tokens}

    def lookup(self, key: str, phash: str) -> dict[str, Any] | None:
        record = self.records.get(key)
        if record is not None and record.get("prompt_hash") == phash:
            return record
        return None

    async def call(
        self,
        key: str,
        messages: list[Message],
        *,
        model: str,
        temperature: float | None = None,
        max_tokens: int | None = None,
        placeholder: str = "",
    ) -> CallResult | None:
        """The reply to `messages` from `model`, from the work file or from the model.

        `placeholder` is what a dry run returns instead of a reply, shaped like a good
        reply (a list of the right length, a document in tags) so that the dry run walks
        the same plan as a real run and counts the same calls.
        """
        stage = stage_of(key)
        settings = self.settings_of(temperature=temperature, max_tokens=max_tokens)
        phash = prompt_hash(model, messages, settings)
        self.stats.planned[stage] += 1
        record = self.lookup(key, phash)
        if record is not None:
            result = _result_from_record(record, reused=True)
            self.stats.reused[stage] += 1
            self.used[key] = result
            self.progress.advance(stage)
            return result
        if self.dry_run:
            shown = self.dry_prompts.setdefault(stage, [])
            if len(shown) < 2:
                shown.append((key, model, messages))
            self.progress.advance(stage)
            return CallResult(key, placeholder, "stop", model, phash, now_iso(), dry=True)
        if self.aborted:
            return None
        api = await self._model(model)
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.max_connections)
        async with self._semaphore:
            if self.aborted:
                return None
            try:
                output = await api.generate(
                    _chat_messages(messages),
                    config=self._config(temperature, max_tokens),
                    cache=self._cache_policy(key),
                )
            except Exception as exc:  # provider errors after Inspect's retries
                self.stats.failed[stage] += 1
                self.stats.errors.append(f"{key}: {type(exc).__name__}: {_first_line(exc)}")
                self.progress.advance(stage)
                return None
        usage = output.usage.model_dump(exclude_none=True) if output.usage else {}
        result = CallResult(
            key=key,
            text=output.completion,
            stop_reason=str(output.stop_reason) if output.stop_reason else None,
            model=model,
            prompt_hash=phash,
            created=now_iso(),
            usage=usage,
        )
        if self.worklog is not None:
            self.worklog.append(_record_from_result(result))
        self.records[key] = _record_from_result(result)
        self.stats.made[stage] += 1
        self.used[key] = result
        self.progress.advance(stage)
        return result

    async def prepare_models(self, names: list[str]) -> None:
        """Construct every model before the first call, so that a missing API key or SDK
        stops the run before any work rather than halfway through it."""
        if self.dry_run:
            return
        for name in dict.fromkeys(names):
            await self._model(name)

    async def _model(self, name: str) -> Model:
        if name in self._models:
            return self._models[name]
        async with self._model_lock:
            if name not in self._models:
                self._models[name] = self._construct(name)
        return self._models[name]

    def _construct(self, name: str) -> Model:
        from inspect_ai.model import get_model

        from ..._util.inspect_internals import PrerequisiteError

        if "/" not in name:
            raise ModelSetupError(
                f"model '{name}' is not an Inspect model string: use provider/model, "
                "e.g. anthropic/claude-3-5-sonnet-20241022 or openai/gpt-4o"
            )
        try:
            return get_model(name, config=self._config(None, None))
        except PrerequisiteError as exc:
            raise ModelSetupError(f"cannot use model '{name}': {_plain(str(exc))}") from None
        except ValueError as exc:
            raise ModelSetupError(f"cannot use model '{name}': {exc}") from None

    def _config(self, temperature: float | None, max_tokens: int | None) -> Any:
        from inspect_ai.model import GenerateConfig

        return GenerateConfig(
            temperature=temperature,
            max_tokens=max_tokens,
            max_connections=self.max_connections,
            max_retries=self.max_retries,
            timeout=self.timeout,
            attempt_timeout=self.attempt_timeout,
            batch=self.batch,
        )

    def _cache_policy(self, key: str) -> Any:
        """Inspect's cache, scoped by work key: the same prompt asked under two keys (a
        request repeated to get a second sample) gets two entries, not one answer twice."""
        if not self.cache:
            return False
        from inspect_ai.model import CachePolicy

        return CachePolicy(expiry=None, per_epoch=False, scopes={"afbench_key": key})


def open_engine(
    settings: GenerationSettings,
    work: Path,
    *,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    models: Mapping[str, Model] | None = None,
) -> CallEngine:
    """The engine a command runs with: its work file `work` (read, never written, by a dry
    run, which shows what is already done) and the settings' call limits."""
    engine = CallEngine(
        None if dry_run else WorkLog(work),
        models=models,
        max_connections=settings.max_connections,
        cache=settings.cache,
        max_errors=settings.max_errors,
        max_retries=settings.max_retries,
        timeout=settings.timeout,
        attempt_timeout=settings.attempt_timeout,
        batch=settings.batch,
        dry_run=dry_run,
        progress=progress,
    )
    if dry_run and work.exists():
        engine.records = WorkLog(work).load()
    return engine


def _chat_messages(messages: list[Message]) -> list[Any]:
    from inspect_ai.model import ChatMessageAssistant, ChatMessageSystem, ChatMessageUser

    kinds = {
        "system": ChatMessageSystem,
        "user": ChatMessageUser,
        "assistant": ChatMessageAssistant,
    }
    return [kinds[m["role"]](content=m["content"]) for m in messages]


def _plain(text: str) -> str:
    """Inspect's prerequisite messages carry rich markup; the CLI prints plain text."""
    return re.sub(r"\[/?(?:bold|blue|red|yellow|green|italic)\]", "", text).strip()


_LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-]{32,}")
_SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)$", re.IGNORECASE)


def redact(text: str) -> str:
    """Remove anything that could be a credential from an error message before it is shown
    or written: values of *_KEY/*_TOKEN/... environment variables, and long opaque tokens."""
    for name, value in os.environ.items():
        if value and len(value) >= 8 and _SECRET_ENV.search(name):
            text = text.replace(value, "***")
    return _LONG_TOKEN.sub("***", text)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return redact(text[0][:300]) if text else ""


def _record_from_result(result: CallResult) -> dict[str, Any]:
    return {
        "key": result.key,
        "prompt_hash": result.prompt_hash,
        "model": result.model,
        "text": result.text,
        "stop_reason": result.stop_reason,
        "usage": result.usage,
        "created": result.created,
    }


def _result_from_record(record: Mapping[str, Any], *, reused: bool) -> CallResult:
    return CallResult(
        key=str(record["key"]),
        text=str(record.get("text") or ""),
        stop_reason=record.get("stop_reason"),
        model=str(record.get("model") or ""),
        prompt_hash=str(record.get("prompt_hash") or ""),
        created=str(record.get("created") or ""),
        usage=dict(record.get("usage") or {}),
        reused=reused,
    )
