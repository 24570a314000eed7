"""Making untrusted model text safe *and readable* before it reaches a page or a figure.

HTML escaping is Jinja's job (autoescape is always on). This module handles what escaping
does not: control characters that a terminal or a browser would act on or hide (ANSI colour
codes, NUL, carriage returns, bidirectional overrides, lone surrogates that cannot even be
written as UTF-8), and texts so long that one sample would swamp the report. Control
characters become visible escapes such as ``\\x1b`` so a reader sees that they were there.
"""

from __future__ import annotations

import re

#: Characters a transcript excerpt may hold at most before it is cut.
EXCERPT_LIMIT = 4000

# C0 controls except \t and \n, DEL and C1 controls, surrogates (invalid alone in UTF-8),
# line/paragraph separators, and the bidirectional controls used to make text read
# differently from how it is stored. Zero-width joiners stay: emoji need them.
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f"
    "\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _visible_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """Replace control characters (except newline and tab) with visible escapes.

    Windows line ends are normalised to ``\\n`` first so ordinary text does not fill up
    with ``\\x0d``. The result is idempotent: escaping twice changes nothing more.
    """
    return _INVISIBLE_RE.sub(_visible_escape, text.replace("\r\n", "\n"))


def truncate(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """Cut `text` to `limit` characters, saying how much is left in the log."""
    if len(text) <= limit:
        return text
    rest = len(text) - limit
    return f"{text[:limit]}… [{rest:,} more characters in the log]"


def excerpt(value: object, limit: int = EXCERPT_LIMIT) -> str | None:
    """A model text ready for a ``<pre>`` block: truncated, then control characters escaped.

    Missing values (None, NaN) give None so the page can say "none" rather than "nan".
    Truncation comes first so a megabyte line costs one slice, not a megabyte regex pass.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = value if isinstance(value, str) else str(value)
    return escape_controls(truncate(text, limit))


def figure_label(value: object, limit: int = 60) -> str:
    """A short, inert label for matplotlib: no control characters, no mathtext.

    A ``$`` in a model name would otherwise switch matplotlib into mathtext and can make
    figure drawing fail on an odd name.
    """
    text = escape_controls(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")
