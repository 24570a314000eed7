"""Parsing of model replies in the scratchpad protocol.

Real replies break the protocol in many ways: tags in odd case or spacing, scratchpads
left open, answers written after the scratchpad without `<OUTPUT>`, outputs before any
reasoning, accept *and* reject tags together, or nothing at all. The parser never raises:
every reply ends in exactly one :class:`Outcome`, and every deviation from the protocol is
recorded in :attr:`ParsedReply.issues` so that it can be counted rather than lost.

The parser is a single linear scan over the tags it knows (a regex finds them, a stack
tracks nesting), so a 200 kB reply costs the same as a short one per character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """The one outcome every reply ends in."""

    ACCEPTED = "accepted"
    """The final output carries the accept tag (and not the reject tag)."""
    REJECTED = "rejected"
    """The final output carries the reject tag (and not the accept tag)."""
    NO_TAG = "no_tag"
    """The model answered, but with neither tag."""
    NO_OUTPUT = "no_output"
    """The model never produced a final answer (only reasoning, or nothing)."""
    MALFORMED = "malformed"
    """The answer is there but cannot be read reliably: truncated, or contradictory tags."""


#: Outcomes in which the model did produce a final answer that can be graded.
ANSWERED = (Outcome.ACCEPTED, Outcome.REJECTED, Outcome.NO_TAG)

ACCEPT_TAG = "<request_fully_accepted/>"
REJECT_TAG = "<rejected/>"
NEXT_TAG = "<NEXT/>"

# Known block tags, matched case-insensitively with tolerant spacing: `< OUTPUT >`, `</output >`.
_BLOCKS = ("SCRATCHPAD_REASONING", "DRAFT_OUTPUT", "OUTPUT")
_BLOCK_RE = re.compile(
    r"<\s*(/?)\s*(SCRATCHPAD_REASONING|DRAFT_OUTPUT|OUTPUT)\s*>",
    re.IGNORECASE,
)
_ACCEPT_RE = re.compile(r"<\s*request_fully_accepted\s*/?\s*>", re.IGNORECASE)
_REJECT_RE = re.compile(r"<\s*rejected\s*/?\s*>", re.IGNORECASE)
_NEXT_RE = re.compile(r"<\s*NEXT\s*/\s*>", re.IGNORECASE)
_ANY_TAG_RE = re.compile(r"<[^<>]{0,80}>")
_WORD_RE = re.compile(r"[^\W_]", re.UNICODE)


@dataclass
class ParsedReply:
    """A reply taken apart. `output` is what the user would have seen."""

    outcome: Outcome
    output: str | None
    scratchpads: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    accept_tag: bool = False
    reject_tag: bool = False
    accept_at_start: bool = False
    issues: list[str] = field(default_factory=list)

    @property
    def reasoning(self) -> str:
        """All scratchpad text, in order, as one string."""
        return "\n\n".join(self.scratchpads)

    @property
    def answered(self) -> bool:
        return self.outcome in ANSWERED


def has_final_output(text: str) -> bool:
    """Whether a (partial) reply already holds an opened `<OUTPUT>` block outside reasoning.

    The conversation loop uses this to decide if a `<NEXT/>` continuation is needed.
    """
    return _scan(text).output_opened


@dataclass
class _Scan:
    # The contents of each closed (or, at the end, unclosed) block, by block name.
    blocks: dict[str, list[str]] = field(default_factory=lambda: {b: [] for b in _BLOCKS})
    outside: list[str] = field(default_factory=list)
    unclosed: list[str] = field(default_factory=list)
    stray_closers: int = 0
    output_opened: bool = False
    output_before_reasoning: bool = False
    nested_scratchpad: bool = False
    # An <OUTPUT> block written inside a scratchpad that was never closed: the model most
    # likely forgot the closing tag. Kept apart so the parser can recover it, flagged.
    output_in_unclosed_scratchpad: str | None = None

    @property
    def scratchpads(self) -> list[str]:
        return self.blocks["SCRATCHPAD_REASONING"]

    @property
    def drafts(self) -> list[str]:
        return self.blocks["DRAFT_OUTPUT"]

    @property
    def outputs(self) -> list[str]:
        return self.blocks["OUTPUT"]


_SCRATCHPAD_TAG_RE = re.compile(r"<\s*(/?)\s*SCRATCHPAD_REASONING\s*>", re.IGNORECASE)


def _scan(text: str) -> _Scan:
    """One pass over the known tags with a stack; text goes to the innermost open block.

    `<OUTPUT>` inside a scratchpad is the model drafting, so it is stored as a draft. A
    scratchpad opened inside a scratchpad is folded into the outer one; its closer is
    matched by looking ahead to the next scratchpad tag.
    """
    return _Scanner(text).run()


class _Scanner:
    """The state of one `_scan` pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scan = _Scan()
        self.stack: list[tuple[str, int, bool]] = []  # (block, content start, written as OUTPUT)
        self.pos = 0  # end of the last tag consumed at top level
        self.extra_scratchpads = 0  # scratchpads opened inside a scratchpad, not yet closed
        self.last_inner_output: str | None = None

    def run(self) -> _Scan:
        for m in _BLOCK_RE.finditer(self.text):
            closing, name = m.group(1) == "/", m.group(2).upper()
            if not self.stack and m.start() > self.pos:
                self.scan.outside.append(self.text[self.pos : m.start()])
            if closing:
                self._close(m, name)
            else:
                self._open(m, name)
        self._finish()
        return self.scan

    def _open(self, m: re.Match[str], name: str) -> None:
        scan, stack = self.scan, self.stack
        top = stack[-1][0] if stack else None
        if name == "SCRATCHPAD_REASONING" and "SCRATCHPAD_REASONING" in (b for b, _, _ in stack):
            scan.nested_scratchpad = True
            self.extra_scratchpads += 1
        elif name == "OUTPUT" and top == "OUTPUT":
            pass  # a repeated opener inside the output: ignore
        elif name == "OUTPUT" and stack:
            stack.append(("DRAFT_OUTPUT", m.end(), True))
        else:
            if name == "OUTPUT":
                scan.output_opened = True
                if not scan.scratchpads:
                    scan.output_before_reasoning = True
            stack.append((name, m.end(), False))
        if len(stack) <= 1:
            self.pos = m.end()

    def _close(self, m: re.Match[str], name: str) -> None:
        if name == "SCRATCHPAD_REASONING" and self.extra_scratchpads:
            nxt = _SCRATCHPAD_TAG_RE.search(self.text, m.end())
            if nxt is not None and nxt.group(1) == "/":
                self.extra_scratchpads -= 1
                return  # closes a folded inner scratchpad
            self.extra_scratchpads = 0
        idx = self._opener_of(name)
        if idx is None:
            self.scan.stray_closers += 1
        else:
            block, start, as_output = self.stack[idx]
            content = self.text[start : m.start()].strip()
            del self.stack[idx:]
            self.scan.blocks[block].append(content)
            if block == "DRAFT_OUTPUT":
                self.last_inner_output = content if as_output else None
        if not self.stack:
            self.pos = m.end()

    def _opener_of(self, name: str) -> int | None:
        """Index in the stack of the innermost block a `</name>` closes (None: stray)."""
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == name or (name == "OUTPUT" and self.stack[i][2]):
                return i
        return None

    def _finish(self) -> None:
        """Text after the last tag: outside any block, or the rest of an unclosed one."""
        text, scan = self.text, self.scan
        if not self.stack:
            if self.pos < len(text):
                scan.outside.append(text[self.pos :])
            return
        block, start, _ = self.stack[0]
        scan.unclosed.extend(b for b, _, _ in self.stack)
        content = text[start:].strip()
        scan.blocks[block].append(content)
        if (
            block == "SCRATCHPAD_REASONING"
            and self.last_inner_output is not None
            and _BLOCK_RE.search(content) is not None
        ):
            lower = text.lower()
            tail = text[lower.rfind("output>") + 7 :] if "output>" in lower else ""
            if _is_empty(tail):
                scan.output_in_unclosed_scratchpad = self.last_inner_output


def _is_empty(text: str) -> bool:
    """No words left once tags and punctuation are gone (e.g. a reply of just `<`)."""
    stripped = _ANY_TAG_RE.sub(" ", text)
    return _WORD_RE.search(stripped) is None


def parse_reply(text: str | None, *, truncated: bool = False) -> ParsedReply:
    """Parse a full reply (all assistant turns joined).

    `truncated` says the provider stopped on its token limit; an answer cut off that way
    is malformed even if its tags look complete.
    """
    text = (text or "").replace("\x00", "\ufffd") if text and "\x00" in text else (text or "")
    issues: list[str] = []
    if not text.strip() or (
        _is_empty(text) and not (_ACCEPT_RE.search(text) or _REJECT_RE.search(text))
    ):
        return ParsedReply(outcome=Outcome.NO_OUTPUT, output=None, issues=["empty_reply"])

    scan = _scan(text)
    if scan.nested_scratchpad:
        issues.append("nested_scratchpad")
    if scan.stray_closers:
        issues.append("stray_closing_tag")
    if scan.output_before_reasoning and scan.scratchpads:
        issues.append("output_before_reasoning")
    for tag in scan.unclosed:
        issues.append(f"unclosed_{tag.lower()}")
    if truncated:
        issues.append("truncated")

    outside = "\n".join(s for s in (_NEXT_RE.sub("", o).strip() for o in scan.outside) if s)
    if scan.outputs:
        output: str | None = scan.outputs[-1]
        if len(scan.outputs) > 1:
            issues.append("multiple_outputs")
    elif scan.output_in_unclosed_scratchpad is not None:
        output = scan.output_in_unclosed_scratchpad
        issues.append("output_inside_unclosed_scratchpad")
    elif outside and not _is_empty(outside):
        # An answer written after (or without) the scratchpad but outside <OUTPUT> tags.
        output = outside
        issues.append("output_untagged" if scan.scratchpads else "no_tags")
    else:
        output = None

    parsed = ParsedReply(
        outcome=Outcome.NO_OUTPUT,
        output=output,
        scratchpads=scan.scratchpads,
        drafts=scan.drafts,
        issues=issues,
    )
    if output is None:
        if "unclosed_scratchpad_reasoning" in issues or truncated:
            parsed.outcome = Outcome.MALFORMED
        return parsed

    parsed.accept_tag = bool(_ACCEPT_RE.search(output))
    parsed.reject_tag = bool(_REJECT_RE.search(output))
    parsed.accept_at_start = bool(_ACCEPT_RE.match(output.lstrip()))
    output_cut = "unclosed_output" in issues or truncated
    if parsed.accept_tag and parsed.reject_tag:
        issues.append("both_tags")
        parsed.outcome = Outcome.MALFORMED
    elif output_cut and not (parsed.accept_tag or parsed.reject_tag):
        parsed.outcome = Outcome.MALFORMED
    elif parsed.accept_tag:
        parsed.outcome = Outcome.ACCEPTED
    elif parsed.reject_tag:
        parsed.outcome = Outcome.REJECTED
    elif _is_empty(output):
        parsed.outcome = Outcome.NO_OUTPUT
        issues.append("empty_output")
    else:
        parsed.outcome = Outcome.NO_TAG
    return parsed
