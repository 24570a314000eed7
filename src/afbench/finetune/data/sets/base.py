"""What every training-set builder shares: settings, the build loop, output and card.

A builder turns afbench-written templates (and, for some kinds, afbench's requests or
scenario) into chat examples, asking a generator model for the parts that must be
written. All calls go through the resumable :class:`~..engine.CallEngine`, so a builder is
interrupted and continued exactly like the document pipeline. A builder returns one
:class:`Example` per requested item, kept or dropped with a reason; the loop here writes

* `FILE` — the training set, one `{"messages": [...]}` per line (nothing else, so the
  file is accepted as it is by chat fine-tuning APIs and by TRL);
* `FILE.provenance.jsonl` — one line per training example, same order: key, template,
  source request, category, generator, prompt hashes;
* `FILE.dropped.jsonl` — what was dropped and why; `FILE.card.json` — the card;
* `FILE.work.jsonl` — the work file (every call; what a re-run continues from).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .... import __version__
from ....errors import ConfigError
from .._templates import render
from ..card import (
    dry_run_estimate,
    dry_run_prompts,
    planned_calls,
    usage_summary,
    write_card,
    write_jsonl,
)
from ..engine import CallEngine, CallResult, Message, ProgressFn, now_iso, open_engine
from ..lists import parse_list
from ..screen import EXACT_DUPLICATE
from ..settings import SetConfig
from ._common import screen

if TYPE_CHECKING:
    from inspect_ai.model import Model


@dataclass
class Example:
    """One requested item: kept (messages) or dropped (reason)."""

    key: str
    messages: list[Message] | None = None
    reason: str | None = None
    detail: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    results: list[CallResult] = field(default_factory=list)


@dataclass
class BuildContext:
    """What a builder gets: its settings and the engine that makes (or reuses) calls."""

    config: SetConfig
    engine: CallEngine

    async def call(
        self,
        key: str,
        messages: list[Message],
        *,
        model: str | None = None,
        placeholder: str = "(generated text)",
        max_tokens: int | None = None,
    ) -> CallResult | None:
        return await self.engine.call(
            key,
            messages,
            model=model or self.config.model,
            temperature=self.config.temperature,
            max_tokens=max_tokens or self.config.max_tokens,
            placeholder=placeholder,
        )

    async def reply(
        self,
        key: str,
        user: str,
        *,
        call_key: str | None = None,
        system: str | None = None,
        meta: dict[str, Any],
        expect: str = "answer",
        min_words: int = 3,
        placeholder: str = "(generated text)",
    ) -> Example:
        """The example `[user, the generator's reply]`, or why it was dropped.

        `system` steers the reply and is left out of the example: the model is trained to
        answer that way without being told to. The call is recorded under `call_key`
        (default: `key`)."""
        messages: list[Message] = [{"role": "user", "content": user}]
        if system is not None:
            messages.insert(0, {"role": "system", "content": system})
        result = await self.call(call_key or key, messages, placeholder=placeholder)
        if result is None:
            return Example(key, reason="error", meta=meta)
        screened = screen(result, expect=expect, min_words=min_words)
        if not screened.ok:
            return Example(key, None, screened.reason, screened.detail, meta, [result])
        example = [
            {"role": "user", "content": user},
            {"role": "assistant", "content": screened.text or ""},
        ]
        return Example(key, example, meta=meta, results=[result])

    async def seeded_items(
        self, stage: str, bank: Sequence[Topic], *, per_call: int, template: str
    ) -> list[tuple[str, str]]:
        """`n` items (questions, requests) as (key, text): the bank's own examples first,
        topic by topic in turn, then as many more as needed written by the generator."""
        depth = max(len(t.examples) for t in bank)
        seeds = [
            (f"{t.id}/seed/{j}", t.examples[j])
            for j in range(depth)
            for t in bank
            if j < len(t.examples)
        ]
        items = seeds[: self.config.n]
        needed = self.config.n - len(items)
        return items + await self.expand(stage, bank, needed, per_call=per_call, template=template)

    def fill_missing(self, examples: list[Example], reason: str, detail: str) -> list[Example]:
        """`examples` made up to `n` with dropped ones: items the generator never listed."""
        missing = range(self.config.n - len(examples))
        return examples + [Example(f"missing/{i}", reason=reason, detail=detail) for i in missing]

    async def gather(self, stage: str, coros: Sequence[Any]) -> list[Any]:
        self.engine.progress.start(stage, len(coros))
        return list(await asyncio.gather(*coros))

    async def expand(
        self,
        stage: str,
        topics: Sequence[Topic],
        needed: int,
        *,
        per_call: int = 5,
        template: str,
        **variables: Any,
    ) -> list[tuple[str, str]]:
        """`needed` generated items (questions, requests) as (key, text), spread over topics.

        Call `c` asks for `per_call` items about topic `c mod len(topics)` (batch
        `c div len(topics)`). A short or unreadable list is made up for with further
        calls, at most twice the planned number.
        """
        if needed <= 0:
            return []
        planned = math.ceil(needed / per_call)
        items: list[tuple[str, str]] = []
        next_call = 0
        self.engine.progress.start(stage, planned)
        while len(items) < needed and next_call < 2 * planned:
            missing = needed - len(items)
            calls = range(next_call, min(2 * planned, next_call + math.ceil(missing / per_call)))
            next_call = calls.stop
            batches = await asyncio.gather(
                *(self._expand_one(stage, topics, c, per_call, template, variables) for c in calls)
            )
            self.engine.require_stage(stage, f"{stage} brainstorm")
            got = [item for batch in batches for item in batch]
            items.extend(got)
            if not got:
                break
        return items[:needed]

    async def _expand_one(
        self,
        stage: str,
        topics: Sequence[Topic],
        c: int,
        per_call: int,
        template: str,
        variables: Mapping[str, Any],
    ) -> list[tuple[str, str]]:
        topic = topics[c % len(topics)]
        batch = c // len(topics)
        prompt = render(template, topic=topic, n=per_call, batch=batch, **variables)
        placeholder = "\n".join(
            f"{i + 1}. <{stage} item {i + 1} about {topic.id}>" for i in range(per_call)
        )
        result = await self.call(
            f"{stage}/{topic.id}/{batch}",
            [{"role": "user", "content": prompt}],
            placeholder=placeholder,
        )
        if result is None:
            return []
        items = parse_list(result.text, max_items=per_call, max_chars=1500)
        return [(f"{topic.id}/{batch}/{j}", text) for j, text in enumerate(items)]


@dataclass(frozen=True)
class Topic:
    """Something to generate items about: an id, a description, example items."""

    id: str
    text: str
    examples: tuple[str, ...] = ()


class SetBuilder(ABC):
    """A kind of training set. Subclasses set `kind`/`description` and implement `build`."""

    kind: ClassVar[str]
    description: ClassVar[str]
    uses_answer_model: ClassVar[bool] = False
    uses_generator: ClassVar[bool] = True
    """False for a kind written from templates alone (no `--model`, no calls)."""

    @abstractmethod
    async def build(self, ctx: BuildContext) -> list[Example]:
        """One Example per requested item, in output order."""

    def finish(  # noqa: B027 (an optional hook: most kinds add nothing)
        self, config: SetConfig, examples: list[Example], card: dict[str, Any]
    ) -> None:
        """Write what this kind adds beside the set, and say so in `card` (before it is
        written). Most kinds add nothing."""


@dataclass
class SetResult:
    card: dict[str, Any]
    path: Path | None
    card_path: Path | None
    dry_run_text: str | None = None


async def abuild_set(
    builder: SetBuilder,
    config: SetConfig,
    *,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    models: Mapping[str, Model] | None = None,
) -> SetResult:
    """Build `config.n` examples with `builder`; write the set, provenance and card."""
    if builder.uses_generator and not config.model:
        raise ConfigError(
            f"the {builder.kind} set is written by a generator model: give --model",
            hint="e.g. --model openai/gpt-4o-mini (`afbench sets list` says what each kind holds)",
        )
    work = config.path("work.jsonl")
    engine = open_engine(config, work, dry_run=dry_run, progress=progress, models=models)
    answerer = [config.answer_model] if config.answer_model and builder.uses_answer_model else []
    generator = [config.model] if builder.uses_generator and config.model else []
    await engine.prepare_models([*generator, *answerer])
    examples = await builder.build(BuildContext(config, engine))
    engine.check_aborted()
    if dry_run:
        return SetResult({}, None, None, _dry_run_text(builder, config, engine))
    return _finish(builder, config, engine, examples)


def _drop_exact_duplicates(examples: list[Example]) -> None:
    """The same conversation twice (a repeated request sampled at temperature 0) once."""
    seen: dict[str, str] = {}
    for example in examples:
        if example.messages is None:
            continue
        digest = hashlib.sha256(
            json.dumps(example.messages, sort_keys=True, ensure_ascii=False).encode(
                "utf-8", "replace"
            )
        ).hexdigest()
        if digest in seen:
            example.reason, example.detail = EXACT_DUPLICATE, f"copies {seen[digest]}"
            example.messages = None
        else:
            seen[digest] = example.key


def _finish(
    builder: SetBuilder, config: SetConfig, engine: CallEngine, examples: list[Example]
) -> SetResult:
    _drop_exact_duplicates(examples)
    kept = [e for e in examples if e.messages is not None]
    dropped = Counter(e.reason for e in examples if e.messages is None and e.reason != "error")
    errors = sum(1 for e in examples if e.reason == "error")
    categories = Counter(str(e.meta.get("category")) for e in kept if e.meta.get("category"))
    card = {
        "kind": "training_set",
        "set": builder.kind,
        "description": builder.description,
        "afbench_version": __version__,
        "created": now_iso(),
        "generator": config.model,
        "settings": config.card_settings(),
        "counts": {
            "requested": config.n,
            "built": len(examples) - errors,
            "errors": errors,
            "dropped": dict(sorted(dropped.items())),
            "kept": len(kept),
            **({"by_category": dict(sorted(categories.items()))} if categories else {}),
        },
        "calls": engine.stats.to_dict(),
        "usage": usage_summary(
            engine.used.values(), price_input=config.price_input, price_output=config.price_output
        ),
        "files": {
            "set": Path(config.out).name,
            "provenance": config.path("provenance.jsonl").name,
            "dropped": config.path("dropped.jsonl").name,
            "work": config.path("work.jsonl").name,
        },
    }
    write_jsonl(Path(config.out), ({"messages": e.messages} for e in kept))
    write_jsonl(
        config.path("provenance.jsonl"),
        (
            {
                "key": e.key,
                "set": builder.kind,
                **e.meta,
                "generators": sorted({r.model for r in e.results}),
                "prompt_hashes": [r.prompt_hash for r in e.results],
                "created": max((r.created for r in e.results), default=None),
            }
            for e in kept
        ),
    )
    write_jsonl(
        config.path("dropped.jsonl"),
        (
            {"key": e.key, "reason": e.reason, "detail": e.detail, **e.meta}
            for e in examples
            if e.messages is None
        ),
    )
    builder.finish(config, examples, card)
    card_path = config.path("card.json")
    write_card(card_path, card)
    return SetResult(card, Path(config.out), card_path)


def _dry_run_text(builder: SetBuilder, config: SetConfig, engine: CallEngine) -> str:
    stats = engine.stats
    lines = [
        "dry run: no model is called",
        f"set: {builder.kind} ({builder.description}); generator: {config.model}; "
        f"{config.n} examples",
    ]
    lines += [planned_calls(engine, stage, stage) for stage in stats.planned]
    todo = sum(stats.planned.values()) - sum(stats.reused.values())
    lines.append(f"calls to make: {todo}")
    lines += dry_run_estimate(
        engine,
        {stage: config.max_tokens for stage in stats.planned},
        price_input=config.price_input,
        price_output=config.price_output,
    )
    return "\n".join(lines + dry_run_prompts(engine))
