"""Exact and near-duplicate detection for generated documents (numpy only).

Generators asked for many documents on one idea write the same document again, word for
word or with a few words changed; training on such copies overweights them. Exact copies
are found by hashing the normalised text. Near copies are found with MinHash over word
shingles and locality-sensitive hashing (LSH) to propose candidate pairs; each candidate
is then confirmed with the *exact* Jaccard similarity of the two documents' shingle sets,
so the threshold means what it says and LSH only decides which pairs are compared.

Documents are processed in order and a document is dropped when it duplicates one that
was *kept* before it, so the first copy survives and the result does not depend on how
many copies there are.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

_SHINGLE_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant (golden ratio)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, punctuation removed, whitespace collapsed."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


@lru_cache(maxsize=1 << 20)
def _word_hash(word: str) -> int:
    # blake2b, not Python's hash(), which is salted per process.
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def shingle_hashes(text: str, k: int = 5, *, normalised: bool = False) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word k-shingles of `text`, stable across runs.

    Each word is hashed once; a shingle's hash is a polynomial of its words' hashes
    (arithmetic mod 2⁶⁴, top 32 bits kept). A text of at most `k` words is one shingle.
    """
    tokens = (text if normalised else normalise(text)).split()
    if not tokens:
        return np.zeros(1, dtype=np.uint64)
    words = np.fromiter((_word_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    width = min(k, len(tokens))
    count = len(tokens) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        combined = combined * _SHINGLE_MULT + words[j : j + count]
    return np.unique(combined >> np.uint64(32))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays."""
    if a.size == 0 and b.size == 0:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def lsh_bands(num_perm: int, threshold: float, recall: float = 0.99) -> tuple[int, int]:
    """(bands, rows) with bands × rows ≤ num_perm that still proposes a pair at `threshold`
    with probability ≥ `recall`, using as many rows per band as possible (fewer false
    candidates). Candidates below the threshold are rejected by the exact check anyway."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands < 1:
            break
        p = 1.0 - (1.0 - threshold**rows) ** bands
        if p >= recall:
            best = (bands, rows)
    return best


class MinHasher:
    """MinHash signatures from `num_perm` multiply-shift hash functions.

    h(x) = (a·x + b mod 2⁶⁴) >> 32 with random odd 64-bit `a`: a universal family that
    needs no modulo, so numpy computes a whole signature in a few vectorised operations
    (unsigned overflow wraps, which is the mod 2⁶⁴).
    """

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        top = np.iinfo(np.uint64).max
        self._a = rng.integers(1, top, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
        self._b = rng.integers(0, top, size=num_perm, dtype=np.uint64, endpoint=True)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        values = (np.outer(self._a, hashes) + self._b[:, None]) >> np.uint64(32)
        return values.min(axis=1)


@dataclass(frozen=True)
class DedupVerdict:
    """What deduplication decided about one document."""

    kept: bool
    reason: str | None = None
    """None, `exact_duplicate` or `near_duplicate`."""
    duplicate_of: int | None = None
    """Index (in the input) of the kept document this one copies."""
    similarity: float | None = None


@dataclass
class Deduplicator:
    """Incremental deduplication: `add(text)` says whether `text` is new.

    Args:
        threshold: Jaccard similarity of word shingle sets at or above which two
            documents are near duplicates (0.8 by default; 1.0 keeps everything that is
            not an exact copy).
        shingle: Words per shingle.
        num_perm: MinHash permutations (more: fewer missed candidates, more time).
    """

    threshold: float = 0.8
    shingle: int = 5
    num_perm: int = 128
    seed: int = 1
    _exact: dict[str, int] = field(default_factory=dict, init=False)
    _buckets: list[dict[bytes, list[int]]] = field(default_factory=list, init=False)
    _shingles: dict[int, np.ndarray] = field(default_factory=dict, init=False)
    _count: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"dedup threshold must be in (0, 1], got {self.threshold}")
        self._hasher = MinHasher(self.num_perm, self.seed)
        self._bands, self._rows = lsh_bands(self.num_perm, self.threshold)
        self._buckets = [{} for _ in range(self._bands)]

    def add(self, text: str) -> DedupVerdict:
        index = self._count
        self._count += 1
        norm = normalise(text)
        digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()
        if digest in self._exact:
            return DedupVerdict(False, "exact_duplicate", self._exact[digest], 1.0)
        hashes = shingle_hashes(norm, self.shingle, normalised=True)
        if self.threshold < 1.0:
            signature = self._hasher.signature(hashes)
            keys = [
                signature[b * self._rows : (b + 1) * self._rows].tobytes()
                for b in range(self._bands)
            ]
            candidates = sorted(
                {i for b, key in enumerate(keys) for i in self._buckets[b].get(key, [])}
            )
            for other in candidates:
                similarity = jaccard(hashes, self._shingles[other])
                if similarity >= self.threshold:
                    return DedupVerdict(False, "near_duplicate", other, round(similarity, 4))
            for b, key in enumerate(keys):
                self._buckets[b].setdefault(key, []).append(index)
            self._shingles[index] = hashes
        self._exact[digest] = index
        return DedupVerdict(True)


def deduplicate(
    texts: list[str], *, threshold: float = 0.8, shingle: int = 5, num_perm: int = 128
) -> list[DedupVerdict]:
    """One verdict per text, in order; the first of each group of copies is kept."""
    dedup = Deduplicator(threshold=threshold, shingle=shingle, num_perm=num_perm)
    return [dedup.add(t) for t in texts]
