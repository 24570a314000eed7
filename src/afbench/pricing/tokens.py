"""Counting tokens offline: a real tokenizer where one is on this machine, else an estimate.

An estimate before a run must not call anything, and tiktoken fetches its encodings from
the network on first use. So tiktoken is used only when its encoding file is already in
its cache; otherwise text is counted as characters / 4 (about right for English with
OpenAI's and Anthropic's tokenizers, and said so wherever a count is printed).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: The encoding GPT-4o and later OpenAI models use.
ENCODING = "o200k_base"
_URL = f"https://openaipublic.blob.core.windows.net/encodings/{ENCODING}.tiktoken"
CHARS_PER_TOKEN = 4.0


@dataclass(frozen=True)
class TokenCounter:
    count: Callable[[str], int]
    method: str
    """How counts were made, for the printed estimate."""


def _tiktoken_cached() -> bool:
    """Whether tiktoken's encoding is on disk (where tiktoken itself looks)."""
    folder = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    base = Path(folder) if folder else Path(tempfile.gettempdir()) / "data-gym-cache"
    return (base / hashlib.sha1(_URL.encode()).hexdigest()).is_file()


def estimate(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN + 0.5)


def token_counter(*, allow_tokenizer: bool = True) -> TokenCounter:
    """tiktoken's `o200k_base` if installed and cached, else characters / 4."""
    if allow_tokenizer and _tiktoken_cached():
        try:
            import tiktoken

            encoding = tiktoken.get_encoding(ENCODING)
        except Exception:  # an unreadable cache: the estimate still works
            pass
        else:
            return TokenCounter(
                lambda text: len(encoding.encode(text, disallowed_special=())),
                f"tiktoken {ENCODING} (OpenAI's tokenizer; other providers' differ a little)",
            )
    return TokenCounter(estimate, "estimated as characters / 4 (no tokenizer cached offline)")
