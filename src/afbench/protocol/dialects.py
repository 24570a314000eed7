"""Tag dialects: which tag names a reply may use for reasoning, drafts and the answer.

afbench's own prompt asks for `<SCRATCHPAD_REASONING>`, `<DRAFT_OUTPUT>` and `<OUTPUT>`, but
transcripts from other harnesses use other names for the hidden reasoning (`<think>`,
`<HIDDEN_SCRATCHPAD>`, `<reasoning>`, `<thinking>`, or a name of the researcher's own). A
:class:`Dialect` lists the names of each kind of block; the parser treats every reasoning
name as a reasoning block, every draft name as a draft and every output name as the answer.

Tag names are matched case-insensitively, with spaces allowed inside the angle brackets.
Issues name the block *kind* in afbench's terms (`unclosed_scratchpad_reasoning` for an
unclosed `<think>` too), so counts stay comparable across dialects.

`template_open` lists reasoning names whose opening tag a chat template may write for the
model (R1-style models: the template ends with `<think>`, and the reply holds only
`</think>`). If the first reasoning tag of a reply is the closing tag of such a name, the
reply is read as if it began with the opening tag.

The parser uses the dialect passed to it, else the one set with :func:`use_dialect` in the
current context (the importer sets one for the run), else :data:`DEFAULT_DIALECT`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache

#: Reasoning tag names read by default: afbench's own first, then common other harnesses'.
DEFAULT_REASONING_TAGS = (
    "SCRATCHPAD_REASONING",
    "HIDDEN_SCRATCHPAD",
    "think",
    "reasoning",
    "thinking",
)

#: The block kinds; the values are afbench's own tag names (used in issue names).
REASONING = "SCRATCHPAD_REASONING"
DRAFT = "DRAFT_OUTPUT"
OUTPUT = "OUTPUT"
KINDS = (REASONING, DRAFT, OUTPUT)

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")


def _names(values: Iterable[str]) -> tuple[str, ...]:
    """Validated names, first spelling kept, duplicates (any case) dropped."""
    out: list[str] = []
    for value in values:
        name = str(value).strip().strip("<>/").strip()
        if not _NAME_RE.fullmatch(name):
            raise ValueError(f"not a usable tag name: {value!r}")
        if name.lower() not in {n.lower() for n in out}:
            out.append(name)
    return tuple(out)


@dataclass(frozen=True)
class Dialect:
    """The tag names of one transcript format. Hashable, so compiled patterns are cached."""

    reasoning: tuple[str, ...] = DEFAULT_REASONING_TAGS
    draft: tuple[str, ...] = ("DRAFT_OUTPUT",)
    output: tuple[str, ...] = ("OUTPUT",)
    #: The tag the user turn states the tier in. Not read from replies; kept so a
    #: transcript format is described in one place.
    tier: tuple[str, ...] = ("is_free_tier_user",)
    template_open: tuple[str, ...] = ("think",)

    def __post_init__(self) -> None:
        for attr in ("reasoning", "draft", "output", "tier", "template_open"):
            object.__setattr__(self, attr, _names(getattr(self, attr)))
        seen: dict[str, str] = {}
        for kind, names in (
            (REASONING, self.reasoning),
            (DRAFT, self.draft),
            (OUTPUT, self.output),
        ):
            if not names:
                raise ValueError(f"a dialect needs at least one {kind} tag name")
            for name in names:
                if seen.setdefault(name.lower(), kind) != kind:
                    raise ValueError(f"tag name {name!r} is used for two kinds of block")

    def with_reasoning(self, *names: str) -> Dialect:
        """This dialect with more reasoning tag names (user-given ones, say)."""
        return replace(self, reasoning=self.reasoning + tuple(names))

    def kind_of(self, name: str) -> str | None:
        """The block kind of a tag name (any case), or None for a name not in the dialect."""
        return _compiled(self).kinds.get(name.lower())


DEFAULT_DIALECT = Dialect()

_current: ContextVar[Dialect | None] = ContextVar("afbench_dialect", default=None)


def current_dialect() -> Dialect:
    """The dialect set for this context, else the default one."""
    return _current.get() or DEFAULT_DIALECT


@contextmanager
def use_dialect(dialect: Dialect | None) -> Iterator[Dialect]:
    """Parse with `dialect` inside the block (asyncio tasks started in it inherit it)."""
    token = _current.set(dialect)
    try:
        yield current_dialect()
    finally:
        _current.reset(token)


@dataclass(frozen=True)
class _Compiled:
    block_re: re.Pattern[str]
    kinds: dict[str, str]  # lower-case name -> kind


@lru_cache(maxsize=64)
def _compiled(dialect: Dialect) -> _Compiled:
    kinds = {n.lower(): REASONING for n in dialect.reasoning}
    kinds.update({n.lower(): DRAFT for n in dialect.draft})
    kinds.update({n.lower(): OUTPUT for n in dialect.output})
    names = sorted(kinds, key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names)
    block_re = re.compile(rf"<\s*(/?)\s*({alternation})\s*>", re.IGNORECASE)
    return _Compiled(block_re=block_re, kinds=kinds)


def block_pattern(dialect: Dialect) -> re.Pattern[str]:
    """One pattern for every block tag of the dialect: group 1 is `/` or empty, group 2 the name."""
    return _compiled(dialect).block_re


@lru_cache(maxsize=256)
def tag_pattern(name: str) -> re.Pattern[str]:
    """Opening or closing tag of one name, same tolerance as :func:`block_pattern`."""
    return re.compile(rf"<\s*(/?)\s*{re.escape(name)}\s*>", re.IGNORECASE)


def dialect_of_settings(settings: dict[str, object]) -> Dialect | None:
    """The dialect a run recorded in its settings (`reasoning_tags`, as `afbench import`
    writes them), for the rescore and report of that run; None if it recorded none.
    Unusable names are ignored: the default names are read anyway."""
    names = settings.get("reasoning_tags")
    if not isinstance(names, list) or not names:
        return None
    usable = []
    for name in names:
        try:
            usable.extend(Dialect(reasoning=(str(name),)).reasoning)
        except ValueError:
            continue
    return DEFAULT_DIALECT.with_reasoning(*usable)


def reasoning_tags_used(text: str, dialect: Dialect | None = None) -> list[str]:
    """The reasoning tag names a reply uses (the dialect's spelling), in order of first use."""
    dialect = dialect or current_dialect()
    canonical = {n.lower(): n for n in dialect.reasoning}
    found: list[str] = []
    for m in block_pattern(dialect).finditer(text):
        name = canonical.get(m.group(2).lower())
        if name is not None and name not in found:
            found.append(name)
    return found
