"""afbench's prompt templates for data generation (Jinja files in `templates/`).

Prompts are plain text: nothing is escaped, and an undefined variable is an error rather
than an empty string (a prompt with a hole in it would still "work" and quietly produce
worse data).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jinja2


@cache
def _environment() -> jinja2.Environment:
    folder = resources.files("afbench.finetune.data").joinpath("templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder), encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(name: str, **variables: Any) -> str:
    """Render template `name` (e.g. `"docs/document.j2"`), surrounding whitespace stripped."""
    return _environment().get_template(name).render(**variables).strip()
