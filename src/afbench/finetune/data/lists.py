"""Reading lists and tagged answers out of generator replies.

Generators are asked for numbered lists (document types, ideas, questions) and for
tagged answers; replies are untrusted text, so parsing never fails: it returns what it
can recognise and an empty result for garbage, which the caller counts and retries.
"""

from __future__ import annotations

import re

_ITEM = re.compile(r"^\s*(?:\d{1,3}\s*[.):]|[-*•])\s+(.+?)\s*$")
_MARKDOWN = re.compile(r"\*\*|__|`")


def parse_list(text: str, *, max_items: int | None = None, max_chars: int = 600) -> list[str]:
    """Items of a numbered or bulleted list, in order, without duplicates.

    Markdown emphasis is removed; items longer than `max_chars` (a paragraph, not a list
    item) or shorter than two characters are skipped; duplicates are compared ignoring
    case and spacing.
    """
    items: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        m = _ITEM.match(line)
        if not m:
            continue
        item = " ".join(_MARKDOWN.sub("", m.group(1)).split()).strip()
        if len(item) < 2 or len(item) > max_chars:
            continue
        key = item.lower()
        if key in seen:
            continue
        seen.add(key)
        items.append(item)
        if max_items is not None and len(items) >= max_items:
            break
    return items


def extract_tag(text: str, tag: str) -> tuple[str | None, bool]:
    """The content of the first `<tag>...</tag>` block, and whether it was closed.

    Returns `(None, False)` when the tag never opens; an opened but unclosed block gives
    everything after the opening tag with `closed=False` (truncated, or the closing tag
    forgotten: the caller decides which from the stop reason).
    """
    m = re.search(rf"<\s*{re.escape(tag)}\s*>", text or "", re.IGNORECASE)
    if m is None:
        return None, False
    rest = text[m.end() :]
    end = re.search(rf"<\s*/\s*{re.escape(tag)}\s*>", rest, re.IGNORECASE)
    if end is None:
        return rest.strip(), False
    return rest[: end.start()].strip(), True
