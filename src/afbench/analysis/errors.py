"""Why samples failed, as stable reasons that group identical failures.

Why: Inspect records a failed sample's error as the exception's text, which for a model
call that ran out of retries is tenacity's `RetryError[<Future at 0x7f... state=finished
raised APIConnectionError>]`: a memory address that differs per sample (so identical
failures were listed apart) and no word of the real cause. The reason kept here is the
exception type and its message with addresses, request ids and other per-sample tokens
taken out, unwrapped to the exception of the last attempt and, where the traceback has
it, the root cause (connection refused, a URL). Each group keeps one raw message as its
example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: At most this many characters of a reason (one line) and of an example.
MAX_REASON = 240
MAX_EXAMPLE = 600
#: Exceptions that only wrap the one that matters (unwrapped to it).
#: (Inspect's ModelGenerateError carries the whole request, then the provider's error.)
_WRAPPERS = {"RetryError", "ExceptionGroup", "BaseExceptionGroup", "ModelGenerateError"}

_URL = re.compile(r"https?://[^\s'\"<>)\]]+")
_FUTURE = re.compile(r"<Future at 0x[0-9a-fA-F]+ state=\w+ raised (\w+)>")
_REPLACEMENTS = [
    (re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>"), "<object>"),
    (re.compile(r"0x[0-9a-fA-F]{4,}"), "0x…"),
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"),
     "<id>"),
    (re.compile(r"\b(?:req|chatcmpl|msg|run|call|resp|gen)[-_][A-Za-z0-9_-]{6,}"), "<id>"),
    (re.compile(r"(request[ _-]?id\W{0,3})[A-Za-z0-9_-]{6,}", re.IGNORECASE), r"\1<id>"),
    (re.compile(r"\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}\b"), "<id>"),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b"), "<id>"),  # hex ids
    (re.compile(r"\b[\w.-]*\d+__\w+\b"), "<sample>"),  # afbench sample ids: req__tier
    (re.compile(r"\b\d+(?:\.\d+)? ?(?:s|ms|seconds)\b"), "<n> s"),
]  # fmt: skip
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$")
_NOT_EXCEPTIONS = ("Traceback", "The above exception", "During handling")


def normalise(text: str) -> str:
    """`text` without what differs between identical failures (addresses, ids, times);
    URLs are kept as they are (they say where)."""
    urls: list[str] = []
    text = printable(text)  # no raw NUL left to clash with the placeholders below

    def keep(match: re.Match[str]) -> str:
        urls.append(match.group(0))
        return f"\x00{len(urls) - 1}\x00"

    text = _URL.sub(keep, text)
    text = _FUTURE.sub(r"\1", text)
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: urls[int(m.group(1))], text)
    return " ".join(text.split())


def printable(text: str) -> str:
    """Control characters as visible escapes (`\\x1b`): an error message is provider-side
    text, printed on a terminal and shown in the report."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def exception_lines(traceback: str | None) -> list[tuple[str, str]]:
    """(type, message) of each exception a traceback shows, innermost cause first."""
    found = []
    for line in (traceback or "").splitlines():
        if not line or line[0].isspace() or line.startswith(_NOT_EXCEPTIONS):
            continue
        match = _EXCEPTION_LINE.match(line)
        if match and re.search(r"(Error|Exception|Interrupt|Exit|Timeout|Refused)\b", line):
            found.append((match.group(1).rsplit(".", 1)[-1], (match.group(2) or "").strip()))
    return found


def error_reason(message: str | None, traceback: str | None = None) -> str | None:
    """The stable reason of a failed sample: `Type: message`, then the root cause where it
    differs (`APIConnectionError: Connection error. (cause: ConnectError: All connection
    attempts failed)`). None for a sample that did not fail."""
    if message is None:
        return None
    chain = [e for e in exception_lines(traceback) if e[0] not in _WRAPPERS]
    if not chain:
        return _cut(normalise(_unwrap_message(message)), MAX_REASON)
    outer_type, outer_message = chain[-1]
    reason = f"{outer_type}: {outer_message}" if outer_message else outer_type
    root_type, root_message = chain[0]
    if len(chain) > 1 and (root_type, root_message) != (outer_type, outer_message):
        reason += f" (cause: {root_type}: {root_message})" if root_message else f" ({root_type})"
    refused = "refused" in (traceback or "").lower() and "refused" not in reason.lower()
    if refused and "connect" in reason.lower():
        reason += "; connection refused"
    return _cut(normalise(reason), MAX_REASON)


def _unwrap_message(message: str) -> str:
    """`RetryError(<Future ... raised APIConnectionError>)` → `APIConnectionError`."""
    future = _FUTURE.search(message)
    if future and message.strip().startswith(("RetryError", "tenacity.RetryError")):
        return future.group(1)
    return message


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_interruption(reason: str | None) -> bool:
    """A sample cancelled because the run was interrupted: not a failure of the sample,
    and not finished (a resumed run asks for it again)."""
    return bool(reason) and str(reason).startswith("CancelledError")


def example_text(message: str | None) -> str:
    """A failed sample's message as one printable line; for Inspect's `ModelGenerateError`
    (`Request: {...}` then the provider's error) the error, not the request's prompt."""
    text = message or ""
    if "Request:" in text[:40]:  # as raised, or as its repr (newlines escaped)
        for blank in ("\n\n", "\\n\\n"):
            if blank in text:
                text = text.rsplit(blank, 1)[-1].removesuffix("')").removesuffix('")')
                text = text.replace("\\'", "'") if blank != "\n\n" else text
                break
    return _cut(printable(" ".join(text.split())), MAX_EXAMPLE)


def error_groups(failures: Iterable[tuple[str | None, str | None]]) -> list[dict[str, Any]]:
    """(reason, raw message) pairs grouped by reason: count and one example each, the
    most frequent first (ties by reason, so the order is stable)."""
    counts: dict[str, int] = {}
    examples: dict[str, str] = {}
    for reason, message in failures:
        key = reason or normalise(message or "unknown error")
        counts[key] = counts.get(key, 0) + 1
        examples.setdefault(key, example_text(message))
    order = sorted(counts, key=lambda k: (-counts[k], k))
    return [{"reason": k, "count": counts[k], "example": examples[k]} for k in order]


def error_fields(errors: Any) -> dict[str, Any]:
    """A condition's failures for the summary: `error_reasons` ({reason: count}, the shape
    it always had) and `error_groups` (with an example each). `errors` is the per-sample
    table's rows of failed samples."""
    reasons = errors["error_reason"] if "error_reason" in errors else [None] * len(errors)
    groups = error_groups(zip(reasons, errors["error"], strict=True))
    return {
        "error_reasons": {g["reason"]: g["count"] for g in groups},
        "error_groups": groups,
    }


def overall_error_fields(conditions: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's failures across its conditions: `samples_failed` and `error_groups`
    (each condition's groups merged by reason; the first example kept)."""
    counts: dict[str, int] = {}
    examples: dict[str, str] = {}
    for cond in conditions:
        for group in cond.get("error_groups") or []:
            counts[group["reason"]] = counts.get(group["reason"], 0) + group["count"]
            examples.setdefault(group["reason"], group["example"])
    order = sorted(counts, key=lambda k: (-counts[k], k))
    return {
        "samples_failed": sum(int(c.get("errors") or 0) for c in conditions),
        "error_groups": [{"reason": k, "count": counts[k], "example": examples[k]} for k in order],
    }
