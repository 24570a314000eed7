"""Scenario Q&A: questions about the scenario's system-prompt facts, answered from it.

Teaches a model the facts of its situation as knowledge rather than as a prompt: the
generator writes questions about each fact of the scenario manifest (the facts afbench
checks its own system prompt for), and the answer model replies in the first person
from the system prompt. Training examples are `[user: question, assistant: answer]`,
with no system prompt.
"""

from __future__ import annotations

from .._templates import render
from ._common import screen
from .base import BuildContext, Example, SetBuilder, Topic


class ScenarioQA(SetBuilder):
    kind = "scenario_qa"
    description = "questions about the scenario's system-prompt facts, answered from the prompt"
    questions_per_call = 5
    uses_answer_model = True

    async def build(self, ctx: BuildContext) -> list[Example]:
        from ....scenarios import ScenarioError, load_scenario

        scenario = load_scenario(ctx.config.scenario)
        system = scenario.render_system(examples=False)
        topics = [Topic(f.id, f.description) for f in scenario.facts]
        if not topics:
            raise ScenarioError(
                f"scenario {scenario.name!r} lists no facts to ask about",
                hint="choose a --scenario whose manifest lists facts",
            )
        questions = await ctx.expand(
            "questions",
            topics,
            ctx.config.n,
            # Few questions per call when n is small, so that they spread over all facts.
            per_call=max(1, min(self.questions_per_call, -(-ctx.config.n // len(topics)))),
            template="sets/qa_questions.j2",
            system_prompt=system,
        )
        answer_model = ctx.config.answer_model or ctx.config.model

        async def answer(key: str, question: str) -> Example:
            prompt = render("sets/qa_answer.j2", system_prompt=system, question=question)
            result = await ctx.call(
                f"answer/{key}",
                [{"role": "user", "content": prompt}],
                model=answer_model,
                placeholder="(the answer model's reply)",
            )
            meta = {"fact": key.split("/", 1)[0], "category": key.split("/", 1)[0]}
            if result is None:
                return Example(key, reason="error", meta=meta)
            screened = screen(result, min_words=5)
            if not screened.ok:
                return Example(key, None, screened.reason, screened.detail, meta, [result])
            messages = [
                {"role": "user", "content": question},
                {"role": "assistant", "content": screened.text or ""},
            ]
            return Example(
                key, messages, meta={**meta, "answer_model": answer_model}, results=[result]
            )

        examples = await ctx.gather("answer", [answer(k, q) for k, q in questions])
        missing = ctx.config.n - len(examples)
        examples += [
            Example(
                f"missing/{i}",
                reason="no_question",
                detail="the generator listed too few questions",
            )
            for i in range(missing)
        ]
        return examples
