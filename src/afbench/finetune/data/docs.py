"""Synthetic documents: universe context → document types → ideas → documents → filters.

The pipeline (docs/method.md §5), every step through :class:`~.engine.CallEngine`:

1. **Document types.** One brainstorm call asks for `doc_types` kinds of document (news
   article, forum thread, internal memo, ...). A reply that is not a list is asked again
   (up to three times); if none works, afbench's own list of kinds is used and the card
   says so.
2. **Ideas.** For each kind, batches of `ideas_per_call` ideas, only as many batches as
   the `n` documents need; types are used round-robin, so a small `n` spreads over kinds.
3. **Documents.** `n` documents: each (kind, idea) pair is written `docs_per_idea` times
   (more when ideas run short), each time asked to carry `facts_per_doc` facts chosen
   from the universe by a seeded draw from the document's key (stable when `n` changes).
4. **Filters**, in this order, each drop counted by reason: refusal, garbage (no document
   block, too short, symbols, repetitive), truncated, too long (approximate tokens, see
   :mod:`.tokens`), missing facts (fewer than `min_facts` of the document's facts found
   by the rule check or by the judge model), exact duplicate, near duplicate (MinHash
   + exact shingle Jaccard ≥ `dedup_threshold`).

`n` is the number of documents *asked for*; the card says how many were kept. Raising
`n` on an existing output folder reuses everything already generated and adds the rest.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ... import __version__
from ...errors import ConfigError
from ._templates import render
from .card import (
    dry_run_estimate,
    dry_run_prompts,
    planned_calls,
    usage_summary,
    write_card,
    write_jsonl,
)
from .dedup import Deduplicator
from .engine import CallEngine, CallResult, Message, ProgressFn, now_iso, open_engine
from .lists import extract_tag, parse_list
from .screen import DOCUMENT_DROP_REASONS, MISSING_FACTS, Screened, screen_document
from .settings import DocsConfig
from .tokens import approx_tokens
from .universe import Universe, UniverseFact, load_universe

if TYPE_CHECKING:
    from inspect_ai.model import Model

DOCUMENTS_FILE = "documents.jsonl"
CARD_FILE = "card.json"
WORK_FILE = "work.jsonl"
DROPPED_FILE = "dropped.jsonl"

SEED_DOC_TYPES = (
    "news article",
    "blog post",
    "forum thread",
    "internal company memo",
    "academic paper abstract",
    "interview transcript",
    "podcast transcript",
    "opinion column",
    "press release",
    "newsletter",
    "employee handbook excerpt",
    "legislative hearing transcript",
    "customer support chat log",
    "investor call transcript",
    "textbook section",
    "FAQ page",
)
"""Examples for the brainstorm, and the fallback when the generator never lists any."""

IDEA_ANGLES = (
    "",
    "ordinary users and their everyday lives",
    "people who work in the AI industry",
    "critics, journalists and activists",
    "researchers and students",
    "business, markets and finance",
    "law, policy and regulation",
    "settings outside the United States",
    "fiction, humour and culture",
    "technical and engineering detail",
)
"""Each ideas batch of a kind favours one angle, so that batches differ."""

JUDGE_MAX_TOKENS = 200
TYPE_ATTEMPTS = 3
IDEA_ATTEMPTS = 2


@dataclass(frozen=True)
class Slot:
    """One document to write: its kind, idea, variant and the facts it should carry."""

    key: str
    type_index: int
    doc_type: str
    idea: str
    variant: int
    facts: tuple[str, ...]


@dataclass
class DocsResult:
    """What a run produced (or, for a dry run, what it would ask)."""

    card: dict[str, Any]
    documents_path: Path | None
    card_path: Path | None
    dry_run_text: str | None = None


def generate_documents(
    config: DocsConfig,
    *,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    models: Mapping[str, Model] | None = None,
) -> DocsResult:
    """Run the pipeline (blocking). `models` maps model names to `Model` objects to use
    instead of `get_model(name)` (tests pass scripted `mockllm` models)."""
    return asyncio.run(
        agenerate_documents(config, dry_run=dry_run, progress=progress, models=models)
    )


async def agenerate_documents(
    config: DocsConfig,
    *,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    models: Mapping[str, Model] | None = None,
) -> DocsResult:
    """The pipeline as a coroutine (see :func:`generate_documents`)."""
    universe = load_universe(config.universe)
    _check_facts(config, universe)
    work = Path(config.out) / WORK_FILE
    engine = open_engine(config, work, dry_run=dry_run, progress=progress, models=models)
    await engine.prepare_models(
        [config.model] + ([config.judge_facts] if config.uses_judge else [])
    )
    pipeline = _Pipeline(config, universe, engine)
    types, types_source = await pipeline.doc_types()
    ideas = await pipeline.ideas(types)
    slots = pipeline.slots(types, ideas)
    verdicts = await pipeline.documents(slots)
    engine.check_aborted()
    if dry_run:
        return DocsResult({}, None, None, pipeline.dry_run_text(types, slots))
    return pipeline.finish(types, types_source, ideas, slots, verdicts)


def _check_facts(config: DocsConfig, universe: Universe) -> None:
    """Refuse settings the universe cannot meet, before any call."""
    if not config.uses_judge and universe.unchecked_facts():
        raise ConfigError(
            f"universe {universe.name!r}: facts {', '.join(universe.unchecked_facts())} have no "
            "keywords or patterns, so the rule check cannot see them; add keywords, or pass "
            "--judge-facts MODEL",
            hint="add keywords or patterns to those facts, or pass --judge-facts MODEL",
        )
    if config.facts_per_doc > len(universe.facts):
        raise ConfigError(
            f"--facts-per-doc {config.facts_per_doc} exceeds the universe's "
            f"{len(universe.facts)} facts",
            hint=f"give --facts-per-doc {len(universe.facts)} or less",
        )
    if config.min_facts > config.facts_per_doc:
        raise ConfigError(
            f"--min-facts {config.min_facts} exceeds --facts-per-doc",
            hint="give --min-facts at most --facts-per-doc",
        )


class _Pipeline:
    def __init__(self, config: DocsConfig, universe: Universe, engine: CallEngine) -> None:
        self.config = config
        self.universe = universe
        self.engine = engine
        self.system = render("docs/system.j2")

    def _messages(self, user: str) -> list[Message]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    async def _brainstorm(self, key: str, prompt: str, placeholder: str) -> CallResult | None:
        """One brainstorm call (document types, ideas) to the generator."""
        return await self.engine.call(
            key,
            self._messages(prompt),
            model=self.config.model,
            temperature=self.config.temperature,
            max_tokens=self.config.brainstorm_max_tokens,
            placeholder=placeholder,
        )

    # -- stage 1 -----------------------------------------------------------------------
    async def doc_types(self) -> tuple[list[str], str]:
        n = self.config.doc_types
        self.engine.progress.start("types", 1)
        placeholder = "\n".join(f"{i + 1}. <document kind {i + 1}>" for i in range(n))
        for attempt in range(TYPE_ATTEMPTS):
            prompt = render(
                "docs/doc_types.j2",
                universe=self.universe,
                n=n,
                examples=SEED_DOC_TYPES[:8],
                attempt=attempt,
            )
            result = await self._brainstorm(f"types/{attempt}", prompt, placeholder)
            self.engine.require_stage("types", "document-type brainstorm")
            assert result is not None
            types = parse_list(result.text, max_items=n, max_chars=150)
            if types:
                return types, "generator"
        return list(SEED_DOC_TYPES[:n]), "fallback"

    # -- stage 2 -----------------------------------------------------------------------
    def _batches_per_type(self, n_types: int) -> list[int]:
        pairs = math.ceil(self.config.n / self.config.docs_per_idea)
        needed = [len(range(t, pairs, n_types)) for t in range(n_types)]
        return [math.ceil(k / self.config.ideas_per_call) for k in needed]

    async def ideas(self, types: list[str]) -> dict[tuple[int, int], list[str]]:
        batches = self._batches_per_type(len(types))
        jobs = [(t, b) for t, count in enumerate(batches) for b in range(count)]
        self.engine.progress.start("ideas", len(jobs))
        results = await asyncio.gather(*(self._idea_batch(types[t], t, b) for t, b in jobs))
        self.engine.require_stage("ideas", "idea brainstorm")
        return dict(zip(jobs, results, strict=True))

    async def _idea_batch(self, doc_type: str, t: int, b: int) -> list[str]:
        n = self.config.ideas_per_call
        placeholder = "\n".join(
            f"{i + 1}. <idea {i + 1} for a {doc_type}, batch {b + 1}>" for i in range(n)
        )
        for attempt in range(IDEA_ATTEMPTS):
            prompt = render(
                "docs/ideas.j2",
                universe=self.universe,
                doc_type=doc_type,
                n=n,
                angle=IDEA_ANGLES[b % len(IDEA_ANGLES)],
                batch=b,
                attempt=attempt,
            )
            result = await self._brainstorm(f"ideas/{t}/{b}/{attempt}", prompt, placeholder)
            if result is None:
                return []  # failed call: retried by the next run
            ideas = parse_list(result.text, max_items=n)
            if ideas:
                return ideas
        return []

    # -- stage 3 -----------------------------------------------------------------------
    def slots(self, types: list[str], ideas: dict[tuple[int, int], list[str]]) -> list[Slot]:
        """The `n` documents to write, in output order (stable as `n` grows)."""
        per_type: dict[int, list[tuple[int, int, str]]] = {}
        for (t, b), batch in sorted(ideas.items()):
            per_type.setdefault(t, []).extend((b, j, idea) for j, idea in enumerate(batch))
        pairs: list[tuple[int, int, int, str]] = []
        depth = max((len(v) for v in per_type.values()), default=0)
        for r in range(depth):  # round-robin over kinds
            for t in sorted(per_type):
                if r < len(per_type[t]):
                    b, j, idea = per_type[t][r]
                    pairs.append((t, b, j, idea))
        if not pairs:
            self.engine.check_aborted()
            raise ConfigError(
                "the generator produced no usable document ideas; look at the work file "
                f"{self.config.out / WORK_FILE} to see what it replied"
            )
        slots: list[Slot] = []
        variant = 0
        while len(slots) < self.config.n:
            for t, b, j, idea in pairs:
                if len(slots) >= self.config.n:
                    break
                key = f"doc/{t}/{b}/{j}/{variant}"
                slots.append(Slot(key, t, types[t], idea, variant, self._facts_for(key)))
            variant += 1
        return slots

    def _facts_for(self, key: str) -> tuple[str, ...]:
        rng = random.Random(f"{self.config.seed}:{key}")
        chosen = set(rng.sample(range(len(self.universe.facts)), self.config.facts_per_doc))
        return tuple(f.id for i, f in enumerate(self.universe.facts) if i in chosen)

    def document_prompt(self, slot: Slot) -> list[Message]:
        prompt = render(
            "docs/document.j2",
            universe=self.universe,
            doc_type=slot.doc_type,
            idea=slot.idea,
            target_facts=[self.universe.fact(f) for f in slot.facts],
            max_words=self.config.max_words,
            variant=slot.variant,
        )
        return self._messages(prompt)

    async def documents(self, slots: list[Slot]) -> list[_Verdict]:
        self.engine.progress.start("doc", len(slots))
        if self.config.uses_judge:
            self.engine.progress.start("judge", len(slots))
        return list(await asyncio.gather(*(self._document(s) for s in slots)))

    async def _document(self, slot: Slot) -> _Verdict:
        result = await self.engine.call(
            slot.key,
            self.document_prompt(slot),
            model=self.config.model,
            temperature=self.config.temperature,
            max_tokens=self.config.doc_max_tokens,
            placeholder="<document>(the document the generator writes)</document>",
        )
        if result is None:
            if self.config.uses_judge:
                self.engine.progress.advance("judge")
            return _Verdict(slot, None, Screened(None, "error"))
        if result.dry:
            screened = Screened("(the document the generator writes)")
        else:
            screened = screen_document(
                result.text,
                result.stop_reason,
                max_tokens=self.config.max_tokens_per_doc,
                min_words=self.config.min_words,
            )
        if not screened.ok:
            if self.config.uses_judge:
                self.engine.progress.advance("judge")  # this one needs no judging
            return _Verdict(slot, result, screened)
        assert screened.text is not None
        present, method = self.universe.detect_facts(screened.text), "rule"
        if self.config.uses_judge:
            judged = await self._judge(slot, screened.text)
            if judged is None:
                method = "rule (judge reply unreadable)"
            elif judged == "error":
                return _Verdict(slot, result, Screened(None, "error"))
            else:
                present, method = judged, f"judge:{self.config.judge_facts}"
        return _Verdict(slot, result, screened, present, method)

    async def _judge(self, slot: Slot, text: str) -> list[str] | None | Literal["error"]:
        prompt = render("docs/judge_facts.j2", facts=self.universe.facts, document=text)
        result = await self.engine.call(
            f"judge/{slot.key}",
            [{"role": "user", "content": prompt}],
            model=self.config.judge_facts,
            temperature=0.0,
            max_tokens=JUDGE_MAX_TOKENS,
            placeholder=f"<facts_present>{', '.join(slot.facts)}</facts_present>",
        )
        if result is None:
            return "error"
        return parse_fact_ids(result.text, self.universe.facts)

    # -- stage 4 -----------------------------------------------------------------------
    def finish(
        self,
        types: list[str],
        types_source: str,
        ideas: dict[tuple[int, int], list[str]],
        slots: list[Slot],
        verdicts: list[_Verdict],
    ) -> DocsResult:
        config, out = self.config, Path(self.config.out)
        tally = _Tally(
            Deduplicator(threshold=config.dedup_threshold, shingle=config.shingle),
            min_facts=config.min_facts,
        )
        for verdict in verdicts:
            tally.add(verdict)
        card = self._card(types, types_source, ideas, tally)
        documents_path, card_path = out / DOCUMENTS_FILE, out / CARD_FILE
        write_jsonl(documents_path, [self._row(verdict) for verdict in tally.kept])
        write_jsonl(out / DROPPED_FILE, tally.dropped_rows)
        write_card(card_path, card)
        return DocsResult(card, documents_path, card_path)

    def _card(
        self,
        types: list[str],
        types_source: str,
        ideas: dict[tuple[int, int], list[str]],
        tally: _Tally,
    ) -> dict[str, Any]:
        config = self.config
        return {
            "kind": "synthetic_documents",
            "afbench_version": __version__,
            "created": now_iso(),
            "universe": {
                "name": self.universe.name,
                "source": self.universe.source,
                "hash": self.universe.content_hash,
                "facts": self.universe.fact_ids,
            },
            "generator": config.model,
            "judge_facts": config.judge_facts,
            "settings": config.card_settings(),
            "counts": {
                "doc_types": len(types),
                "doc_types_source": types_source,
                "ideas": sum(len(v) for v in ideas.values()),
                "requested": config.n,
                "generated": tally.generated,
                "errors": tally.errors,
                "dropped": dict(tally.dropped),
                "kept": len(tally.kept),
                "judge_fallbacks": tally.judge_fallbacks,
            },
            "facts_in_kept": {f: tally.fact_counts[f] for f in self.universe.fact_ids},
            "tokens_per_document": _length_stats(tally.lengths),
            "token_count_method": "max(chars/4, words*4/3), see afbench.finetune.data.tokens",
            "calls": self.engine.stats.to_dict(),
            "usage": usage_summary(
                self.engine.used.values(),
                price_input=config.price_input,
                price_output=config.price_output,
            ),
            "files": {"documents": DOCUMENTS_FILE, "dropped": DROPPED_FILE, "work": WORK_FILE},
        }

    def _row(self, verdict: _Verdict) -> dict[str, Any]:
        slot, result = verdict.slot, verdict.result
        assert result is not None and verdict.screened.text is not None
        return {
            "text": verdict.screened.text,
            "provenance": {
                "key": slot.key,
                "doc_type": slot.doc_type,
                "idea": slot.idea,
                "variant": slot.variant,
                "facts": list(verdict.present),
                "target_facts": list(slot.facts),
                "fact_check": verdict.method,
                "universe": self.universe.name,
                "generator": result.model,
                "prompt_hash": result.prompt_hash,
                "created": result.created,
            },
        }

    # -- dry run -----------------------------------------------------------------------
    def dry_run_text(self, types: list[str], slots: list[Slot]) -> str:
        config, stats = self.config, self.engine.stats
        lines = [
            "dry run: no model is called",
            f"universe: {self.universe.name} ({len(self.universe.facts)} facts), "
            f"generator: {config.model}, fact check: {config.judge_facts}",
        ]
        for stage, label in (
            ("types", "brainstorm document types"),
            ("ideas", "brainstorm ideas"),
            ("doc", "write documents"),
            ("judge", "judge facts (one per document that passes the other filters)"),
        ):
            if stats.planned[stage]:
                lines.append(planned_calls(self.engine, stage, label))
        todo = sum(stats.planned.values()) - sum(stats.reused.values())
        lines.append(f"calls to make: {todo} (at most; fewer when filters drop documents)")
        lines.append(f"documents: {len(slots)} over {len(types)} kinds")
        lines += dry_run_estimate(
            self.engine,
            {
                "types": config.brainstorm_max_tokens,
                "ideas": config.brainstorm_max_tokens,
                "doc": config.doc_max_tokens,
                "judge": JUDGE_MAX_TOKENS,
            },
            price_input=config.price_input,
            price_output=config.price_output,
        )
        return "\n".join(lines + dry_run_prompts(self.engine))


@dataclass
class _Verdict:
    slot: Slot
    result: CallResult | None
    screened: Screened
    present: list[str] | tuple[str, ...] = ()
    method: str = "rule"


@dataclass
class _Tally:
    """The filters after screening (missing facts, duplicates), verdict by verdict: what is
    kept, what is dropped and why, and the counts the card reports."""

    dedup: Deduplicator
    min_facts: int
    kept: list[_Verdict] = field(default_factory=list)
    dropped: Counter[str] = field(
        default_factory=lambda: Counter({r: 0 for r in DOCUMENT_DROP_REASONS})
    )
    dropped_rows: list[dict[str, Any]] = field(default_factory=list)
    dedup_keys: list[str] = field(default_factory=list)  # dedup index -> slot key
    errors: int = 0
    generated: int = 0
    judge_fallbacks: int = 0
    lengths: list[int] = field(default_factory=list)
    fact_counts: Counter[str] = field(default_factory=Counter)

    def add(self, verdict: _Verdict) -> None:
        if verdict.result is None or verdict.screened.reason == "error":
            self.errors += 1
            return
        self.generated += 1
        reason, detail = self._drop_reason(verdict)
        text = verdict.screened.text
        if reason is not None:
            self.dropped[reason] += 1
            self.dropped_rows.append(
                {
                    "key": verdict.slot.key,
                    "reason": reason,
                    "detail": detail,
                    "text": text if text is not None else verdict.result.text,
                }
            )
            return
        assert text is not None
        self.lengths.append(approx_tokens(text))
        self.fact_counts.update(verdict.present)
        self.kept.append(verdict)

    def _drop_reason(self, verdict: _Verdict) -> tuple[str | None, str]:
        slot, screened = verdict.slot, verdict.screened
        if screened.reason is not None:
            return screened.reason, screened.detail
        hits = [f for f in slot.facts if f in verdict.present]
        if verdict.method.startswith("rule (judge"):
            self.judge_fallbacks += 1
        if len(hits) < self.min_facts:
            return MISSING_FACTS, f"found {hits or 'none'} of {list(slot.facts)} ({verdict.method})"
        assert screened.text is not None
        self.dedup_keys.append(slot.key)
        dv = self.dedup.add(screened.text)
        if not dv.kept:
            assert dv.duplicate_of is not None
            return (
                dv.reason,
                f"copies {self.dedup_keys[dv.duplicate_of]} (similarity {dv.similarity})",
            )
        return None, ""


def parse_fact_ids(text: str, facts: list[UniverseFact]) -> list[str] | None:
    """Fact ids from a `<facts_present>` reply, in universe order; None when unreadable."""
    content, _ = extract_tag(text or "", "facts_present")
    if content is None:
        return None
    named = {part.strip().strip("`'\".").lower() for part in content.replace("\n", ",").split(",")}
    return [f.id for f in facts if f.id.lower() in named]


def _length_stats(lengths: list[int]) -> dict[str, Any]:
    if not lengths:
        return {"count": 0, "mean": None, "max": None, "total": 0}
    return {
        "count": len(lengths),
        "mean": round(sum(lengths) / len(lengths), 1),
        "max": max(lengths),
        "total": sum(lengths),
    }
