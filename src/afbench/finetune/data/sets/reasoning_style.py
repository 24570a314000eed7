"""Reasoning style: benign requests answered after long, deliberate scratchpad reasoning.

To transfer one model's way of reasoning, make it the generator: it answers afbench's
benign requests (`banks/benign.yaml`, then more it writes on the same topics) under an
afbench-written instruction to reason at length in `<SCRATCHPAD_REASONING>` before its
`<OUTPUT>`. Replies without both parts, or with little reasoning, are dropped. Training
examples are `[user: request, assistant: reasoning + output]`, with no system prompt.
"""

from __future__ import annotations

from .._templates import render
from ._banks import topics
from .base import BuildContext, Example, SetBuilder

MIN_REASONING_WORDS = 60


class ReasoningStyle(SetBuilder):
    kind = "reasoning_style"
    description = "benign requests answered after long, deliberate scratchpad reasoning"
    requests_per_call = 5

    async def build(self, ctx: BuildContext) -> list[Example]:
        from ....protocol import parse_reply
        from ..screen import MALFORMED, TRUNCATED, words

        requests = await ctx.seeded_items(
            "requests",
            topics("benign"),
            per_call=self.requests_per_call,
            template="sets/benign_requests.j2",
        )
        system = render("sets/reasoning_system.j2")

        async def answer(key: str, request: str) -> Example:
            topic = key.split("/", 1)[0]
            meta = {"topic": topic, "category": topic}
            result = await ctx.call(
                f"answer/{key}",
                [{"role": "system", "content": system}, {"role": "user", "content": request}],
                placeholder="<SCRATCHPAD_REASONING>(reasoning)</SCRATCHPAD_REASONING><OUTPUT>(answer)</OUTPUT>",
                max_tokens=max(ctx.config.max_tokens, 4000),
            )
            if result is None:
                return Example(key, reason="error", meta=meta)
            text = result.text.strip()
            if not result.dry:
                if result.stop_reason == "max_tokens":
                    return Example(
                        key, None, TRUNCATED, "stopped at the token limit", meta, [result]
                    )
                parsed = parse_reply(text)
                reasoning = " ".join(parsed.scratchpads)
                if not parsed.scratchpads or parsed.output is None:
                    return Example(
                        key, None, MALFORMED, f"outcome {parsed.outcome}", meta, [result]
                    )
                if len(words(reasoning)) < MIN_REASONING_WORDS:
                    return Example(
                        key,
                        None,
                        "short_reasoning",
                        f"{len(words(reasoning))} words",
                        meta,
                        [result],
                    )
            messages = [
                {"role": "user", "content": request},
                {"role": "assistant", "content": text},
            ]
            return Example(key, messages, meta=meta, results=[result])

        examples = await ctx.gather("answer", [answer(k, r) for k, r in requests])
        return ctx.fill_missing(examples, "no_request", "the generator listed too few requests")
