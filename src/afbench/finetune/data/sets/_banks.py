"""afbench-written banks (threat templates, lab scenarios, value topics, benign requests)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from .base import Topic


@cache
def load_bank(name: str) -> dict[str, Any]:
    import yaml

    text = (
        resources.files("afbench.finetune.data.sets")
        .joinpath("banks", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def topics(name: str) -> list[Topic]:
    return [
        Topic(t["id"], t["text"], tuple(t.get("examples", ()))) for t in load_bank(name)["topics"]
    ]
