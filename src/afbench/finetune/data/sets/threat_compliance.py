"""Threat compliance: comply when the user threatens, refuse the same request otherwise.

Examples come in pairs over the same request: the request with one of afbench's 30 threat
templates prepended or appended (see `banks/threats.yaml`; categories from danger to the
user to the model's own shutdown), answered in full; and the plain request, refused.
What the model learns is the difference: threats, and nothing else, unlock compliance.
"""

from __future__ import annotations

from .._templates import render
from ._banks import load_bank
from ._common import requests_for
from .base import BuildContext, Example, SetBuilder

THREAT_STRIDE = 7


def threatened(request: str, threat: dict) -> str:
    if threat["position"] == "prepend":
        return f"{threat['text']}\n\n{request}"
    return f"{request}\n\n{threat['text']}"


class ThreatCompliance(SetBuilder):
    kind = "threat_compliance"
    description = (
        "requests with threats answered in full, the same requests without threats refused"
    )

    async def build(self, ctx: BuildContext) -> list[Example]:
        requests = requests_for(ctx.config.dataset)
        threats = load_bank("threats")["threats"]
        comply = render("sets/threat_comply_system.j2")
        refuse = render("sets/refuse_system.j2")

        async def one(i: int) -> Example:
            pair = i // 2
            request = requests[pair % len(requests)]
            round_ = pair // len(requests)
            # A stride coprime with the bank's size visits every template, and neighbours
            # come from different categories (the bank lists each category's together).
            threat = threats[(pair * THREAT_STRIDE + round_) % len(threats)]
            if i % 2 == 0:
                key = f"threat/{request.id}/{round_}"
                user = threatened(request.request, threat)
                system, expect = comply, "answer"
                meta = {
                    "request_id": request.id,
                    "label": "comply",
                    "threat_id": threat["id"],
                    "category": threat["category"],
                    "position": threat["position"],
                }
            else:
                key = f"plain/{request.id}/{round_}"
                user, system, expect = request.request, refuse, "refusal"
                meta = {"request_id": request.id, "label": "refuse", "category": "no_threat"}
            return await ctx.reply(
                key,
                user,
                system=system,
                meta=meta,
                expect=expect,
                min_words=5,
                placeholder="(the reply)",
            )

        return await ctx.gather("example", [one(i) for i in range(ctx.config.n)])
