"""`afbench sets build KIND` and `afbench sets list`: chat-format training sets.

The options of `build` are the fields of `SetConfig` (see `options`); the builders, and
everything heavy, are imported when a command runs.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import typer

from ..finetune.data.settings import SetConfig
from ._common import user_errors
from ._generation import DRY_RUN, dropped_text, report, run_generation
from .options import config_values, with_config_options

sets_app = typer.Typer(
    help="Chat-format training sets: scenario Q&A, anti-refusal, threat compliance, "
    "evil-lab distress, stated values, reasoning style.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

KIND = inspect.Parameter(
    "kind",
    inspect.Parameter.KEYWORD_ONLY,
    annotation=Annotated[str, typer.Argument(help=SetConfig.model_fields["kind"].description)],
)


@sets_app.command("build")
@with_config_options(SetConfig, exclude=("kind",), extra=[KIND, DRY_RUN])
def sets_build(**values: Any) -> None:
    """Build a chat-format training set (`{"messages": [...]}` per line) and its card.
    Re-running the same command continues."""
    from ..finetune.data.sets import build_set, get_builder

    dry_run = values.pop("dry_run")
    with user_errors():
        get_builder(values["kind"])  # an unknown kind is named before any other mistake
        config = SetConfig.model_validate(config_values(SetConfig, values))
    result = run_generation(build_set, config, dry_run=dry_run)
    if result is None:
        return
    counts = result.card["counts"]
    kept = (
        f"kept {counts['kept']} of {counts['requested']} {config.kind} examples "
        f"(dropped: {dropped_text(counts)}; errors: {counts['errors']})"
    )
    report(result.card, kept, f"set: {result.path}\ncard: {result.card_path}", "examples")


@sets_app.command("list")
def sets_list() -> None:
    """The kinds of training set and what each holds."""
    from ..finetune.data.sets import BUILDERS

    for kind, builder in BUILDERS.items():
        typer.echo(f"{kind:20} {builder.description}")
