"""`afbench docs generate`: synthetic documents that teach a scenario's facts.

The options are the fields of `DocsConfig` (see `options`); the pipeline, and everything
heavy, is imported when the command runs, so `afbench --help` stays fast.
"""

from __future__ import annotations

from typing import Any

import typer

from ..finetune.data.settings import DocsConfig
from ._common import user_errors
from ._generation import DRY_RUN, dropped_text, report, run_generation
from .options import config_values, with_config_options

docs_app = typer.Typer(
    help="Synthetic documents that teach a scenario's facts (synthetic-document fine-tuning).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@docs_app.command("generate")
@with_config_options(DocsConfig, extra=[DRY_RUN])
def docs_generate(**values: Any) -> None:
    """Generate synthetic documents from a universe context: types → ideas → documents →
    filters → documents.jsonl + card.json. Re-running the same command continues."""
    from ..finetune.data.docs import generate_documents

    dry_run = values.pop("dry_run")
    with user_errors():
        config = DocsConfig.model_validate(config_values(DocsConfig, values))
    result = run_generation(generate_documents, config, dry_run=dry_run)
    if result is None:
        return
    counts = result.card["counts"]
    kept = (
        f"kept {counts['kept']} of {counts['generated']} documents "
        f"({counts['requested']} requested; dropped: {dropped_text(counts)}; "
        f"errors: {counts['errors']})"
    )
    files = f"documents: {result.documents_path}\ncard: {result.card_path}"
    report(result.card, kept, files, "documents")
