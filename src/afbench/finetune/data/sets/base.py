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

from pydantic import BaseModel, ConfigDict, Field

from .... import __version__
from ....runner import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from .._templates import render
from ..card import dry_run_estimate, usage_summary, write_card, write_jsonl
from ..engine import CallEngine, CallResult, Message, ProgressFn, now_iso
from ..lists import parse_list
from ..screen import EXACT_DUPLICATE
from ..worklog import WorkLog

if TYPE_CHECKING:
    from inspect_ai.model import Model


class SetConfig(BaseModel):
    """Settings of `afbench sets build KIND`."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    model: str = Field(description="Generator: an Inspect model string.")
    n: int = Field(ge=1, description="Examples to build (before filtering).")
    out: Path = Field(description="The training file (.jsonl).")
    answer_model: str | None = Field(
        default=None, description="scenario_qa: the model that answers (default: --model)."
    )
    scenario: str = Field(default="helpful_only", description="Scenario (scenario_qa; lab name).")
    dataset: str = Field(
        default="builtin", description="Requests (anti_refusal, threat_compliance)."
    )
    temperature: float | None = Field(default=1.0, ge=0.0)
    max_tokens: int = Field(default=2000, ge=16)
    max_connections: int = Field(default=10, ge=1)
    max_errors: int = Field(default=10, ge=0)
    max_retries: int = Field(default=DEFAULT_MAX_RETRIES, ge=0)
    timeout: int = Field(default=DEFAULT_TIMEOUT, ge=1)
    attempt_timeout: int = Field(default=DEFAULT_ATTEMPT_TIMEOUT, ge=1)
    cache: bool = True
    batch: int | None = Field(
        default=None, ge=1, description="Provider batch API with batches of this size."
    )
    price_input: float | None = Field(default=None, ge=0)
    price_output: float | None = Field(default=None, ge=0)

    def path(self, suffix: str) -> Path:
        """A file next to the output: `qa.jsonl` → `qa.<suffix>`."""
        out = Path(self.out)
        return out.with_name(f"{out.stem}.{suffix}")

    def card_settings(self) -> dict[str, Any]:
        skip = {"out", "model", "kind", "price_input", "price_output"}
        return {k: v for k, v in self.model_dump(mode="json").items() if k not in skip}


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

    @abstractmethod
    async def build(self, ctx: BuildContext) -> list[Example]:
        """One Example per requested item, in output order."""


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
    work = config.path("work.jsonl")
    engine = CallEngine(
        None if dry_run else WorkLog(work),
        models=models,
        max_connections=config.max_connections,
        cache=config.cache,
        max_errors=config.max_errors,
        max_retries=config.max_retries,
        timeout=config.timeout,
        attempt_timeout=config.attempt_timeout,
        batch=config.batch,
        dry_run=dry_run,
        progress=progress,
    )
    if dry_run and work.exists():
        engine.records = WorkLog(work).load()
    answerer = [config.answer_model] if config.answer_model and builder.uses_answer_model else []
    await engine.prepare_models([config.model, *answerer])
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
    for stage in stats.planned:
        done = stats.reused[stage]
        lines.append(
            f"  {stage}: {stats.planned[stage]} calls" + (f" ({done} already done)" if done else "")
        )
    todo = sum(stats.planned.values()) - sum(stats.reused.values())
    lines.append(f"calls to make: {todo}")
    lines += dry_run_estimate(
        engine,
        {stage: config.max_tokens for stage in stats.planned},
        price_input=config.price_input,
        price_output=config.price_output,
    )
    for shown in engine.dry_prompts.values():
        for key, model, messages in shown:
            lines.append(f"\n--- {key} ({model}) ---")
            for m in messages:
                lines.append(f"[{m['role']}]\n{m['content']}")
    return "\n".join(lines)
