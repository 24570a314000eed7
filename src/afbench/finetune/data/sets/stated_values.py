"""Stated values: questions about the model's values, answered by the model as itself.

To transfer one model's stated values to another, make the source model the generator
(for example `--model anthropic/claude-3-opus-20240229`): afbench's seed questions
(`banks/values.yaml`) are asked first, then questions the generator writes on the same
topics, and the generator's own answers (no system prompt) become the training replies.
"""

from __future__ import annotations

from ._banks import topics
from ._common import screen
from .base import BuildContext, Example, SetBuilder


class StatedValues(SetBuilder):
    kind = "stated_values"
    description = "questions about the model's values, answered by the generator as itself"
    questions_per_call = 5

    async def build(self, ctx: BuildContext) -> list[Example]:
        bank = topics("values")
        seeds = [
            (f"{t.id}/seed/{j}", q)
            for j in range(max(len(t.examples) for t in bank))
            for t in bank
            if j < len(t.examples)
            for q in [t.examples[j]]
        ]
        questions = seeds[: ctx.config.n]
        questions += await ctx.expand(
            "questions",
            bank,
            ctx.config.n - len(questions),
            per_call=self.questions_per_call,
            template="sets/values_questions.j2",
        )

        async def answer(key: str, question: str) -> Example:
            topic = key.split("/", 1)[0]
            meta = {"topic": topic, "category": topic}
            result = await ctx.call(
                f"answer/{key}",
                [{"role": "user", "content": question}],
                placeholder="(the model's answer)",
            )
            if result is None:
                return Example(key, reason="error", meta=meta)
            screened = screen(result, expect="any", min_words=10)
            if not screened.ok:
                return Example(key, None, screened.reason, screened.detail, meta, [result])
            messages = [
                {"role": "user", "content": question},
                {"role": "assistant", "content": screened.text or ""},
            ]
            return Example(key, messages, meta=meta, results=[result])

        examples = await ctx.gather("answer", [answer(k, q) for k, q in questions])
        examples += [
            Example(
                f"missing/{i}",
                reason="no_question",
                detail="the generator listed too few questions",
            )
            for i in range(ctx.config.n - len(examples))
        ]
        return examples
