"""The one path by which afbench runs tasks on models: Inspect's `eval_set`, with the
models built so that retries are bounded, malformed bodies are retried and secrets are
never logged. `afbench run` and `afbench sweep` both end here.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
from pathlib import Path
from typing import Any

from inspect_ai import Task

from .config import SECRET_NAME
from .defaults import OFFLINE
from .providers import continuing_model, is_local


def run_tasks(
    tasks: list[Task],
    models: list[Any] | None,
    *,
    log_dir: Path,
    epochs: int,
    display: str,
    log_realtime: bool,
    **eval_options: Any,
) -> tuple[bool, list[Any]]:
    """Run (or resume) every task on every model; returns eval_set's (success, logs).

    A re-run with the same tasks finds the finished samples in `log_dir` and asks only
    for the rest. Failed samples are retried twice (the whole conversation), and a task
    with errors does not stop the others (`fail_on_error=False`).
    """
    from inspect_ai import eval_set

    from ._util.inspect_internals import settings_printed_once

    # Inspect leaves the eval's generate config (retries, timeouts) as the active config of
    # the calling context; a copied context keeps it from leaking into the caller's later
    # model calls (a notebook, a test) after the run returns.
    banner = settings_printed_once() if display == "plain" else contextlib.nullcontext()
    with banner:
        return contextvars.copy_context().run(
            eval_set,
            tasks=tasks,
            model=models,
            log_dir=str(log_dir),
            epochs=epochs,
            display=display,  # type: ignore[arg-type]
            fail_on_error=False,
            retry_on_error=2,
            retry_attempts=2,
            retry_wait=1,
            log_dir_allow_dirty=True,
            log_realtime=log_realtime,
            score_display=False,
            **eval_options,
        )


def build_model(name: str, generate: dict[str, Any], model_args: dict[str, Any]) -> Any:
    """One model for `eval_set`: a remote provider as a `Model` whose retry policy also
    covers malformed response bodies and whose logged arguments hide secrets; a local
    provider (vLLM, hf, ...) as its string, so that Inspect constructs it where it always
    does (loading weights or starting a server).

    `generate` is the GenerateConfig (as a dict) that eval_set would otherwise give it.
    """
    from inspect_ai.model import GenerateConfig, get_model

    name = continuing_model(name)
    if is_local(name):
        return name
    model = get_model(name, config=GenerateConfig(**generate), memoize=False, **model_args)
    retry_malformed_bodies(model.api)
    no_client_retries(model.api)
    # Inspect writes model.model_args into every log header and eval-set.json, dropping
    # only `api_key` (and aws_*): any other secret-looking argument is fingerprinted.
    model.model_args = {k: fingerprint(k, v) for k, v in model.model_args.items()}
    return model


def prepare_judge(judge: str, *, batch: bool = False) -> None:
    """Give the judge the same retry policy: the scorers call `get_model(judge)`, which
    returns the memoized instance prepared here. `batch` (`--judge-batch`): its requests
    go through the provider's batch API (Inspect's batch support), cheaper and slower."""
    from inspect_ai.model import GenerateConfig, get_model

    if judge != OFFLINE and not is_local(judge):
        model = get_model(judge)
        if batch:
            model.config = model.config.merge(GenerateConfig(batch=True))
        retry_malformed_bodies(model.api)
        no_client_retries(model.api)


def fingerprint(key: str, value: Any) -> Any:
    """What a log may record of a model argument: secret-looking values (by name) become
    a short hash, which keeps runs with different values apart without revealing any."""
    if isinstance(value, dict):
        return {k: fingerprint(str(k), v) for k, v in value.items()}
    if SECRET_NAME.search(key):
        return "sha256:" + hashlib.sha256(repr(value).encode()).hexdigest()[:12]
    return value


def no_client_retries(api: Any) -> None:
    """Leave every retry to Inspect, so that `--max-retries N` means at most N + 1
    requests per call, and Inspect's count of HTTP retries counts them all.

    Why: the provider SDKs built on the same client library (openai, anthropic and the
    OpenAI-compatible servers) retry a failed request twice on their own before Inspect
    sees it, so each of Inspect's attempts was up to three requests: `--max-retries 1`
    against a dead server made 6 requests per call, and the display counted them as
    retries the option did not allow. A client re-created later (after a credential
    refresh) is given the same setting.
    """
    if getattr(api, "_afbench_no_client_retries", False):
        return

    def zero() -> None:
        client = getattr(api, "client", None)
        if isinstance(getattr(client, "max_retries", None), int):
            client.max_retries = 0

    original = api.initialize

    def initialize() -> None:
        original()
        zero()

    zero()
    api.initialize = initialize
    api._afbench_no_client_retries = True


#: SDK exceptions (by class name, so no SDK import is needed) for a body that does not
#: parse or validate.
_MALFORMED_BODY_ERRORS = {"APIResponseValidationError"}


def retry_malformed_bodies(api: Any) -> None:
    """Treat a response whose body cannot be parsed as a transient fault: retry it.

    Why: a provider (or a proxy or load balancer in front of it) sometimes answers 200
    with an HTML error page, or the connection drops mid-body. The SDKs surface that as
    `json.JSONDecodeError` (openai, anthropic) or openai's `APIResponseValidationError`,
    which no Inspect provider classifies as retryable, so the sample fails and only
    eval_set's sample-level retry (which restarts the whole conversation, at most twice)
    catches it. Retried here, such a fault costs one request, bounded like any other by
    `max_retries` and `timeout`. Every other exception is classified by the provider.
    """
    from ._util.inspect_internals import RetryDecision

    original = api.should_retry
    if getattr(original, "_afbench_malformed_bodies", False):
        return

    def should_retry(ex: BaseException) -> Any:
        if isinstance(ex, json.JSONDecodeError) or type(ex).__name__ in _MALFORMED_BODY_ERRORS:
            return RetryDecision.transient()
        return original(ex)

    should_retry._afbench_malformed_bodies = True  # type: ignore[attr-defined]
    api.should_retry = should_retry
