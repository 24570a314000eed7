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


# --- sentences and windows -----------------------------------------------------------------

# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before white
# space, or at a line break. Abbreviations split too; a window of a few sentences absorbs that.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]\u201d\u2019]*\s+|\s*\n\s*")
# A draft of the answer is what the model would *say*, not why: its text is left out, so a
# long draft neither dilutes nor imitates the reasoning.
_DRAFT_RE = re.compile(r"<(DRAFT_OUTPUT|draft_output|draft)>.*?(</\1>|\Z)", re.DOTALL)
_TAG_RE = re.compile(r"</?[A-Za-z_][A-Za-z0-9_]*/?>")
#: Sentences longer than this are cut into pieces of about this many characters.
MAX_SENTENCE_CHARS = 400


def strip_drafts(text: str) -> str:
    """The text with the contents of draft-answer blocks replaced by a placeholder word."""
    return _DRAFT_RE.sub(" draftblock. ", text)


def sentences(text: str) -> list[str]:
    """The reasoning's sentences (drafts and tags removed), in order; at least one."""
    text = _TAG_RE.sub(" ", strip_drafts(text))
    out: list[str] = []
    for piece in _SENTENCE_END_RE.split(text):
        piece = piece.strip(" \t-*#>•")
        if not _TOKEN_RE.search(piece):
            continue
        while len(piece) > MAX_SENTENCE_CHARS:
            cut = piece.rfind(" ", 0, MAX_SENTENCE_CHARS)
            cut = cut if cut > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS
            out.append(piece[:cut])
            piece = piece[cut:].strip()
        if piece:
            out.append(piece)
    return out or [text.strip()]


def windows(sents: list[str], size: int) -> list[str]:
    """Runs of `size` consecutive sentences (one run of all of them if there are fewer)."""
    if len(sents) <= size:
        return [" ".join(sents)]
    return [" ".join(sents[i : i + size]) for i in range(len(sents) - size + 1)]
