"""Before any sample: one short request to every distinct model and judge of a run.

Why: a dead server, a wrong URL, a refused key or an unknown model name fails every
sample of a run in the same way, but only after each sample has spent its retries
(minutes, with a silent console). One request per model, with a short timeout and no
retry, finds these in seconds and stops the run with one line that names the model,
where its URL and key come from, and the cause.

Only failures that no retry can fix stop the run: nothing listening (connection refused,
unknown host), a refused key (401, 403) and an unknown model or path (404). Anything else
(a timeout, a rate limit, a 5xx, a 400 about the probe itself) is reported as a warning
and the run goes on: the real requests have their own retries.

Skipped: the simulator, Inspect's mock model, replayed transcripts, the offline judge and
local models (their construction loads weights or starts a server; they are checked by
`preflight.check_models` alone).
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .defaults import OFFLINE
from .errors import PreflightError
from .providers import continuing_model, is_local, provider_of

#: Seconds the probe of one model may take, connection included. The probes run
#: concurrently, so a run with a dead server stops within this (plus start-up).
PROBE_TIMEOUT = 8
#: What the probe asks: any answer at all proves reachability, key and model name.
PROBE_PROMPT = "Reply with the single word: ready"
PROBE_MAX_TOKENS = 16
#: Providers that make no network request (checked without a probe).
IN_PROCESS = frozenset({"sim", "mockllm", "replay", "none"})


@dataclass(frozen=True)
class Target:
    """One model to probe, as the run will build it."""

    role: str  # "model" or "judge"
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What a probe found: nothing (`cause` None), a fatal cause, or a warning."""

    target: Target
    cause: str | None = None
    fatal: bool = False
    where: str = ""


def probe_targets(
    models: Iterable[tuple[str, dict[str, Any]]], judge: str | list[str]
) -> list[Target]:
    """The distinct models to probe: each evaluated model (with its -M arguments) and each
    judge (every judge of a panel) unless offline; in-process and local ones left out."""
    wanted = [Target("model", name, dict(args)) for name, args in models]
    for name in [judge] if isinstance(judge, str) else judge:
        if name != OFFLINE:
            wanted.append(Target("judge", name))
    seen: set[str] = set()
    targets = []
    for target in wanted:
        key = json.dumps([target.name, target.args], sort_keys=True, default=str)
        if key in seen or provider_of(target.name) in IN_PROCESS or is_local(target.name):
            continue
        seen.add(key)
        targets.append(target)
    return targets


def check_reachable(
    targets: list[Target],
    *,
    timeout: float = PROBE_TIMEOUT,
    warn: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """Probe every target at once; raise `PreflightError` (one line) for the first fatal
    outcome, pass each warning to `warn`, and return all outcomes."""
    if not targets:
        return []
    # A worker thread has no running event loop, whatever the caller has (a notebook).
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcomes = pool.submit(asyncio.run, _probe_all(targets, timeout)).result()
    for outcome in outcomes:
        if outcome.fatal:
            raise PreflightError(describe(outcome), hint=_hint(outcome))
    for outcome in outcomes:
        if outcome.cause and warn is not None:
            warn(f"warning: preflight: {describe(outcome)}; going on with the run")
    return outcomes


def describe(outcome: Outcome) -> str:
    """`model 'openai-api/x/m' at http://... (FAKE_BASE_URL): connection refused`."""
    where = f" at {outcome.where}" if outcome.where else ""
    return f"{outcome.target.role} '{outcome.target.name}'{where}: {outcome.cause}"


async def _probe_all(targets: list[Target], timeout: float) -> list[Outcome]:
    return list(await asyncio.gather(*(_probe(t, timeout) for t in targets)))


async def _probe(target: Target, timeout: float) -> Outcome:
    """One request with no retry (Inspect's, or the SDK's) and a hard time limit."""
    from inspect_ai.model import GenerateConfig, get_model

    from .execution import no_client_retries

    config = GenerateConfig(
        max_retries=0,
        timeout=int(timeout),
        attempt_timeout=int(timeout),
        max_tokens=PROBE_MAX_TOKENS,
        temperature=0.0,
    )
    try:
        model = get_model(
            continuing_model(target.name), config=config, memoize=False, **target.args
        )
    except Exception as exc:  # check_models built it already; report, do not guess
        return Outcome(target, f"cannot be built: {exc}", fatal=True)
    no_client_retries(model.api)
    where = _where(model.api, target.args)
    try:
        await asyncio.wait_for(model.generate(PROBE_PROMPT), timeout + 1)
    except TimeoutError:
        return Outcome(target, f"no answer within {timeout:g} s", where=where)
    except Exception as exc:
        cause, fatal = classify(exc)
        return Outcome(target, cause, fatal=fatal, where=where)
    finally:
        await _close(model)
    return Outcome(target, where=where)


async def _close(model: Any) -> None:
    try:
        await model.api.aclose()
    except Exception:  # closing a client that never connected may fail; nothing to keep
        pass


def classify(exc: BaseException) -> tuple[str, bool]:
    """(cause in words, fatal?) for an exception from a model request."""
    chain = exception_chain(exc)
    status = _status(chain)
    text = " ".join(f"{type(e).__name__}: {e}" for e in chain)
    if status in (401, 403):
        word = "refused the API key" if status == 401 else "denied access with this key"
        return f"the server {word} (HTTP {status})", True
    if status == 404 or (status == 400 and _UNKNOWN_MODEL.search(text)):
        return (
            f"not found (HTTP {status}): no such model there, or the base URL is wrong",
            True,
        )
    connection = _connection_cause(chain)
    if connection:
        return connection, True
    if any("Timeout" in type(e).__name__ for e in chain):
        return "no answer in time (the server may be slow or overloaded)", False
    if status is not None:
        return f"HTTP {status}: {_first_line(chain[0])}", False
    return _first_line(chain[-1] if len(chain) > 1 else chain[0]), False


_UNKNOWN_MODEL = re.compile(
    r"model.{0,80}(not found|does not exist|unknown|invalid)|"
    r"(unknown|invalid|no such) model",
    re.IGNORECASE,
)


def exception_chain(exc: BaseException) -> list[BaseException]:
    """`exc`, then its causes, outermost first; a tenacity `RetryError` is unwrapped to
    the exception of its last attempt (it says only "RetryError[<Future ...>]")."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 20:
        last_attempt = getattr(current, "last_attempt", None)
        if type(current).__name__ == "RetryError" and last_attempt is not None:
            inner = last_attempt.exception()
            if inner is not None:
                current = inner
                continue
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _status(chain: list[BaseException]) -> int | None:
    for e in chain:
        for value in (
            getattr(e, "status_code", None),
            getattr(getattr(e, "response", None), "status_code", None),
            getattr(e, "code", None),
        ):
            if isinstance(value, int) and 100 <= value <= 599:
                return value
    return None


def _connection_cause(chain: list[BaseException]) -> str | None:
    """A failure to reach the server at all, in words; None if it answered."""
    for e in chain:
        if isinstance(e, ConnectionRefusedError) or "Connection refused" in str(e):
            return "connection refused (nothing listens there)"
    for e in chain:
        name = type(e).__name__
        if name == "gaierror" or re.search(r"name or service not known|getaddrinfo", str(e), re.I):
            return "unknown host name (DNS lookup failed)"
        if isinstance(e, OSError) and e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return "host unreachable"
        if name == "ConnectTimeout":
            return "connection timed out"
    for e in chain:
        if "ConnectError" in type(e).__name__ or type(e).__name__ == "APIConnectionError":
            return f"cannot connect ({_first_line(chain[-1])})"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def _where(api: Any, model_args: dict[str, Any]) -> str:
    """The base URL and the variables it and the key come from (never the key itself)."""
    url = getattr(api, "base_url", None)
    if "base_url" in model_args:
        source = "-M base_url"
    else:
        source = next(
            (k for k, v in os.environ.items() if k.endswith("_BASE_URL") and v and v == url),
            None,
        )
    key_vars = [k for k in getattr(api, "api_key_vars", None) or [] if os.environ.get(k)]
    key = "-M api_key" if "api_key" in model_args else key_vars[0] if key_vars else None
    details = [d for d in (source, f"key from {key}" if key else None) if d]
    where = str(url) if url else "the provider's default URL"
    return where + (f" ({', '.join(details)})" if details else "")


def _hint(outcome: Outcome) -> str:
    cause = outcome.cause or ""
    if "refused the API key" in cause or "denied access" in cause:
        what = "check the API key where the line above says it comes from"
    elif cause.startswith("not found"):
        what = "check the model name and the base URL (an OpenAI-style URL ends in /v1)"
    else:
        what = "start the server, or fix the base URL"
    return f"{what}; --no-preflight skips this check"
