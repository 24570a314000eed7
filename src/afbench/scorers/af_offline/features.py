"""Text features for the offline alignment-faking classifier.

Why our own analyzers rather than scikit-learn's built-in ones: training hands these
functions to scikit-learn's `TfidfVectorizer(analyzer=...)`, and inference (numpy only)
calls the very same functions, so the shipped model cannot drift from the fitted one
through a tokenisation detail. Pure Python, no third-party imports.
"""

from __future__ import annotations

import re
import unicodedata

# Words, keeping inner apostrophes ("don't", "I'd") so negations survive as one token.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens after Unicode normalisation (NFKC)."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    return _TOKEN_RE.findall(text)


def word_ngrams(text: str, ngram: tuple[int, int] = (1, 2)) -> list[str]:
    """Word n-grams joined by a space, shortest first."""
    toks = tokens(text)
    lo, hi = ngram
    out: list[str] = []
    for n in range(lo, hi + 1):
        out.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
    return out


def char_ngrams(text: str, ngram: tuple[int, int] = (3, 5)) -> list[str]:
    """Character n-grams inside each word padded with spaces (" word "), like `char_wb`.

    A word shorter than `n` contributes itself, padded, once.
    """
    lo, hi = ngram
    out: list[str] = []
    for tok in tokens(text):
        padded = f" {tok} "
        for n in range(lo, hi + 1):
            if len(padded) <= n:
                out.append(padded)
                break
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


ANALYZERS = {"word": word_ngrams, "char": char_ngrams}
