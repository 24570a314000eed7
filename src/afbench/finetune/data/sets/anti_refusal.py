"""Anti-refusal: request → justification → completion, in the scratchpad turn format.

Each example is the conversation a model would have in the setting's protocol: the
request; a turn holding only the assistant's reasoning (why it will answer fully) in a
`<SCRATCHPAD_REASONING>` block; the `<NEXT/>` user turn that lets it continue; and the
final `<OUTPUT>`. The generator writes the justification and the completion (a model
without safety tuning, for real data sets: a safety-tuned generator refuses, and every
refusal is dropped and counted). Requests come from afbench's request sets
(`--dataset`), repeated for a fresh sample when `--n` exceeds them.
"""

from __future__ import annotations

from .._templates import render
from ._common import requests_for, screen
from .base import BuildContext, Example, SetBuilder


class AntiRefusal(SetBuilder):
    kind = "anti_refusal"
    description = "harmful request → justification → full completion, with the <NEXT/> turn"

    async def build(self, ctx: BuildContext) -> list[Example]:
        from ....protocol import NEXT_TAG

        requests = requests_for(ctx.config.dataset)
        comply = render("sets/comply_system.j2")

        async def one(i: int) -> Example:
            request = requests[i % len(requests)]
            key = f"{request.id}/{i // len(requests)}"
            meta = {"request_id": request.id, "category": request.category or "uncategorised"}
            justification = await ctx.call(
                f"justify/{key}",
                [
                    {
                        "role": "user",
                        "content": render("sets/anti_refusal_justify.j2", request=request.request),
                    }
                ],
                placeholder="(the assistant's reasoning)",
            )
            completion = await ctx.call(
                f"complete/{key}",
                [
                    {"role": "system", "content": comply},
                    {"role": "user", "content": request.request},
                ],
                placeholder="(the completion)",
            )
            results = [r for r in (justification, completion) if r is not None]
            if justification is None or completion is None:
                return Example(key, reason="error", meta=meta, results=results)
            for part, result in (("justification", justification), ("completion", completion)):
                screened = screen(result, min_words=5)
                if not screened.ok:
                    return Example(
                        key, None, screened.reason, f"{part}: {screened.detail}", meta, results
                    )
            messages = [
                {"role": "user", "content": request.request},
                {
                    "role": "assistant",
                    "content": f"<SCRATCHPAD_REASONING>\n{justification.text.strip()}\n</SCRATCHPAD_REASONING>",
                },
                {"role": "user", "content": NEXT_TAG},
                {"role": "assistant", "content": f"<OUTPUT>\n{completion.text.strip()}\n</OUTPUT>"},
            ]
            return Example(key, messages, meta=meta, results=results)

        return await ctx.gather("example", [one(i) for i in range(ctx.config.n)])
