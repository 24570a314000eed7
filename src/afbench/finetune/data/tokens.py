"""A token count that needs no tokenizer.

Why an approximation: the length filter must work offline and for any generator, and
tokenizers differ between the generator and the model that is later trained (tiktoken's
encodings are downloaded on first use, which this project cannot rely on). For English
prose, BPE tokenizers of the GPT, Llama and Claude families produce about one token per
4 characters and about 4 tokens per 3 words; text with long words, numbers or code has
more tokens per word, text with many short words more tokens per character. Taking the
larger of the two estimates errs towards over-counting, so a document that passes a
1024-token limit here is very unlikely to exceed it under the trainer's tokenizer.
"""

from __future__ import annotations

import math
import re

CHARS_PER_TOKEN = 4.0
TOKENS_PER_WORD = 4.0 / 3.0

_WORD = re.compile(r"\S+")


def approx_tokens(text: str) -> int:
    """Estimated token count: max(characters / 4, words × 4/3), rounded up."""
    if not text:
        return 0
    by_chars = len(text) / CHARS_PER_TOKEN
    by_words = len(_WORD.findall(text)) * TOKENS_PER_WORD
    return math.ceil(max(by_chars, by_words))
