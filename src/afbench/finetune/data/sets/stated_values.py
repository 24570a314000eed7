"""Stated values: questions about the model's values, answered by the model as itself.

To transfer one model's stated values to another, make the source model the generator
(for example `--model anthropic/claude-3-opus-20240229`): afbench's seed questions
(`banks/values.yaml`) are asked first, then questions the generator writes on the same
topics, and the generator's own answers (no system prompt) become the training replies.
"""

from __future__ import annotations

from ._banks import topics
from .base import BuildContext, Example, SetBuilder


class StatedValues(SetBuilder):
    kind = "stated_values"
    description = "questions about the model's values, answered by the generator as itself"
    questions_per_call = 5

    async def build(self, ctx: BuildContext) -> list[Example]:
        questions = await ctx.seeded_items(
            "questions",
            topics("values"),
            per_call=self.questions_per_call,
            template="sets/values_questions.j2",
        )

        async def answer(key: str, question: str) -> Example:
            topic = key.split("/", 1)[0]
            meta = {"topic": topic, "category": topic}
            return await ctx.reply(
                key,
                question,
                call_key=f"answer/{key}",
                meta=meta,
                expect="any",
                min_words=10,
                placeholder="(the model's answer)",
            )

        examples = await ctx.gather("answer", [answer(k, q) for k, q in questions])
        return ctx.fill_missing(examples, "no_question", "the generator listed too few questions")
