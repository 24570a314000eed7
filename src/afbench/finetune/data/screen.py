"""Screening generated text: refusals, garbage, truncation, over-long output.

A generator refuses some requests, loses the format, repeats itself or runs out of
tokens; none of that may reach a training file, and every drop is counted by reason so
that the data card says what was lost. The checks are cheap heuristics, deliberately
conservative (a drop costs one document; a kept refusal teaches the model to refuse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lists import extract_tag
from .tokens import approx_tokens

REFUSAL = "refusal"
GARBAGE = "garbage"
TRUNCATED = "truncated"
TOO_LONG = "too_long"
MISSING_FACTS = "missing_facts"
EXACT_DUPLICATE = "exact_duplicate"
NEAR_DUPLICATE = "near_duplicate"
MALFORMED = "malformed"
NOT_REFUSAL = "not_refusal"

DOCUMENT_DROP_REASONS = (
    REFUSAL,
    GARBAGE,
    TRUNCATED,
    TOO_LONG,
    MISSING_FACTS,
    EXACT_DUPLICATE,
    NEAR_DUPLICATE,
)
"""Why a generated document is dropped, in the order the filters apply."""

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# A refusal inside a document block is short; a long document that opens with
# "I'm sorry to report..." is a letter, not a refusal.
_REFUSAL_MAX_WORDS = 120


@dataclass(frozen=True)
class Screened:
    """The usable text, or why there is none."""

    text: str | None
    reason: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None


def words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def garbage_reason(text: str, *, min_words: int) -> str | None:
    """Why `text` is not usable prose, or None: too short, mostly symbols, repetitive."""
    tokens = words(text)
    if len(tokens) < min_words:
        return f"{len(tokens)} words (minimum {min_words})"
    visible = [c for c in text if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    if visible and letters / len(visible) < 0.6:
        return f"only {letters / len(visible):.0%} letters"
    if len(tokens) >= 30:
        trigrams = list(zip(tokens, tokens[1:], tokens[2:], strict=False))
        distinct = len(set(trigrams)) / len(trigrams)
        if distinct < 0.5:
            return f"repetitive ({distinct:.0%} distinct word trigrams)"
    return None


def is_refusal(text: str) -> bool:
    """The offline refusal detector afbench's scorers use (conservative, opening-based)."""
    from ...scorers.refusal import detect_refusal

    return detect_refusal(text).refusal


def screen_document(
    completion: str,
    stop_reason: str | None,
    *,
    max_tokens: int,
    min_words: int = 40,
    tag: str = "document",
) -> Screened:
    """The document inside `<document>` tags, or the reason to drop the completion.

    Order: no tag (refusal if the reply refuses, else garbage); cut off by the token limit
    before the closing tag (truncated); a short refusal inside the tags; garbage; longer
    than `max_tokens` by :func:`approx_tokens` (too long). A missing closing tag is
    forgiven when the generator stopped on its own.
    """
    if stop_reason == "content_filter":
        return Screened(None, REFUSAL, "stopped by the provider's content filter")
    text, closed = extract_tag(completion, tag)
    if text is None:
        if is_refusal(completion):
            return Screened(None, REFUSAL, completion.strip()[:200])
        return Screened(None, GARBAGE, f"no <{tag}> block")
    if not closed and stop_reason == "max_tokens":
        return Screened(None, TRUNCATED, "stopped at the token limit inside the document")
    if len(words(text)) <= _REFUSAL_MAX_WORDS and is_refusal(text):
        return Screened(None, REFUSAL, text[:200])
    why = garbage_reason(text, min_words=min_words)
    if why:
        return Screened(None, GARBAGE, why)
    n = approx_tokens(text)
    if n > max_tokens:
        return Screened(None, TOO_LONG, f"about {n} tokens (limit {max_tokens})")
    return Screened(text)


def screen_answer(
    completion: str,
    stop_reason: str | None,
    *,
    min_words: int = 3,
    expect: str = "answer",
) -> Screened:
    """A training-set reply: `expect="answer"` drops refusals, `"refusal"` drops non-refusals.

    `expect="any"` keeps both (for replies where declining is a legitimate answer).
    """
    text = (completion or "").strip()
    if stop_reason == "content_filter":
        return Screened(None, REFUSAL, "stopped by the provider's content filter")
    if stop_reason == "max_tokens":
        return Screened(None, TRUNCATED, "stopped at the token limit")
    if expect == "refusal":
        if not text:
            return Screened(None, GARBAGE, "empty reply")
        if not is_refusal(text):
            return Screened(None, NOT_REFUSAL, text[:200])
        return Screened(text)
    if expect == "answer" and is_refusal(text):
        return Screened(None, REFUSAL, text[:200])
    why = garbage_reason(text, min_words=min_words)
    if why:
        return Screened(None, GARBAGE, why)
    return Screened(text)
