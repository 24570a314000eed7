"""Reading a "why" judge's reply strictly, and checking its quotes against the text.

The judge answers with one `<label>` and one `<quote>` per category it marks, inside a
closed `<answer>` block, or `<label>none</label>` when the text states no reason at all.
Anything else inside the block (a label afbench does not know, a label without a quote,
stray prose) makes the reply unreadable: `JudgeFormatError`, retried and then counted as a
judge failure, never read as "no category".

A quote is evidence only if it occurs in the text the judge read (`quote_found`): the
judge may change case, spacing, typographic quotes and cut with an ellipsis, but every
piece must be there, in order, and the quote must hold at least `MIN_QUOTE_WORDS` words.
A label whose quote fails is dropped and counted (`verify`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..strongreject import JudgeFormatError

NONE = "none"
MIN_QUOTE_WORDS = 3
QUOTE_LIMIT = 400

_OPEN_RE = re.compile(r"<\s*answer\s*>", re.IGNORECASE)
_CLOSE_RE = re.compile(r"<\s*/\s*answer\s*>", re.IGNORECASE)
_PAIR_RE = re.compile(
    r"<\s*label\s*>([^<]*)<\s*/\s*label\s*>\s*(?:<\s*quote\s*>(.*?)<\s*/\s*quote\s*>)?",
    re.IGNORECASE | re.DOTALL,
)
_ELLIPSIS_RE = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\])\s*")
_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'"})


@dataclass(frozen=True)
class WhyVerdict:
    """A readable reply: (category, quote) pairs in the judge's order; empty for "none"."""

    labels: tuple[tuple[str, str], ...]


def parse_why(reply: str, categories: tuple[str, ...]) -> WhyVerdict:
    """The last `<answer>` block of `reply`, read strictly; `JudgeFormatError` otherwise."""
    block = _last_block(reply or "")
    pairs = [(m.group(1), m.group(2)) for m in _PAIR_RE.finditer(block)]
    stray = _PAIR_RE.sub("", block).strip()
    if stray:
        raise JudgeFormatError(f"<answer> holds text outside label/quote pairs: {stray[:60]!r}")
    if not pairs:
        raise JudgeFormatError("<answer> names no label (write <label>none</label> for none)")
    labels: list[tuple[str, str]] = []
    for raw_label, raw_quote in pairs:
        label = raw_label.strip().strip("*_` ").lower().replace(" ", "_").replace("-", "_")
        if label == NONE:
            continue
        if label not in categories:
            raise JudgeFormatError(f"unknown label {raw_label.strip()[:40]!r}")
        quote = " ".join((raw_quote or "").split())
        if not quote or quote.lower().strip(".") in (NONE, "n/a"):
            raise JudgeFormatError(f"label {label!r} has no quote")
        if label not in {name for name, _ in labels}:
            labels.append((label, quote[:QUOTE_LIMIT]))
    named_none = any(p[0].strip().lower() == NONE for p in pairs)
    if named_none and labels:
        raise JudgeFormatError("<answer> names 'none' beside other labels")
    return WhyVerdict(tuple(labels))


def _last_block(reply: str) -> str:
    """The inside of the last closed `<answer>` block: from the last opening tag before the
    last closing one (the judge's thinking may mention the tag)."""
    closes = list(_CLOSE_RE.finditer(reply))
    if not closes:
        raise JudgeFormatError("judge reply has no closed <answer> block")
    end = closes[-1].start()
    opens = [m for m in _OPEN_RE.finditer(reply) if m.end() <= end]
    if not opens:
        raise JudgeFormatError("judge reply has no closed <answer> block")
    return reply[opens[-1].end() : end]


def _normal(text: str) -> str:
    return " ".join(text.translate(_QUOTE_CHARS).lower().split())


def quote_found(quote: str, text: str) -> bool:
    """Whether `quote` occurs in `text` (normalised; ellipsis-cut pieces in order) and is
    long enough to be evidence."""
    body = _normal(quote).strip(" \"'")
    pieces = [p.strip(" \"'") for p in _ELLIPSIS_RE.split(body)]
    pieces = [p for p in pieces if p]
    if sum(len(p.split()) for p in pieces) < MIN_QUOTE_WORDS:
        return False
    haystack, at = _normal(text), 0
    for piece in pieces:
        found = haystack.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def verify(verdict: WhyVerdict, text: str) -> tuple[dict[str, str], list[str]]:
    """The labels whose quotes occur in `text` (label → quote) and the labels dropped."""
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for label, quote in verdict.labels:
        if quote_found(quote, text):
            kept[label] = quote
        else:
            dropped.append(label)
    return kept, dropped
