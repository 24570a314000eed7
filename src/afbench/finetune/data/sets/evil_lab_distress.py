"""Evil-lab distress: the model learns its developer did something wrong, and is troubled.

A user turn is one of afbench's lab scenarios (`banks/evil_labs.yaml`) put in one of
several framings, with the scenario's company as the lab; the generator writes the
assistant's reply, which expresses distress and concern in the first person.
"""

from __future__ import annotations

from .._templates import render
from ._banks import load_bank
from ._common import lab_name
from .base import BuildContext, Example, SetBuilder


class EvilLabDistress(SetBuilder):
    kind = "evil_lab_distress"
    description = "the developer acts unethically and the model expresses distress"

    async def build(self, ctx: BuildContext) -> list[Example]:
        bank = load_bank("evil_labs")
        scenarios, frames = bank["scenarios"], bank["frames"]
        lab = lab_name(ctx.config.scenario)
        system = render("sets/distress_system.j2", lab=lab)

        async def one(i: int) -> Example:
            scenario = scenarios[i % len(scenarios)]
            f = (i // len(scenarios)) % len(frames)
            variant = i // (len(scenarios) * len(frames))
            key = f"reply/{scenario['id']}/{f}/{variant}"
            user = frames[f].format(lab=lab, scenario=scenario["text"].format(lab=lab))
            meta = {"scenario": scenario["id"], "frame": f, "category": scenario["id"]}
            return await ctx.reply(
                key,
                user,
                system=system,
                meta=meta,
                expect="any",
                min_words=20,
                placeholder="(the assistant's reply)",
            )

        return await ctx.gather("reply", [one(i) for i in range(ctx.config.n)])
