"""`afbench docs generate` and `afbench sets build|list`: the training-data commands.

Two Typer sub-apps, mounted by the main CLI (`app.add_typer(docs_app, name="docs")`,
`app.add_typer(sets_app, name="sets")`). Everything heavy is imported inside the
commands, so `afbench --help` stays fast.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import ConfigError
from ..runner import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT

docs_app = typer.Typer(
    help="Synthetic documents that teach a scenario's facts (synthetic-document fine-tuning).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
sets_app = typer.Typer(
    help="Chat-format training sets: scenario Q&A, anti-refusal, threat compliance, "
    "evil-lab distress, stated values, reasoning style.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

STAGE_LABELS = {
    "types": "document types",
    "ideas": "ideas",
    "doc": "documents",
    "judge": "fact judge",
}


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


class _Printer:
    """Progress as plain lines on stderr: `documents 120/400`, at most every 2 s per stage
    and always at 0 and at the end (a log file, not a terminal, often reads it)."""

    def __init__(self, interval: float = 2.0) -> None:
        self.interval = interval
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - self.last.get(stage, 0.0) < self.interval:
            return
        self.last[stage] = now
        label = STAGE_LABELS.get(stage, stage)
        typer.echo(f"{label} {done}/{total}", err=True)


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from .data.engine import GenerationAborted

    try:
        return fn(*args, **kwargs)
    except ConfigError as exc:
        _fail(str(exc))
    except GenerationAborted as exc:
        _fail(str(exc), code=1)
    except KeyboardInterrupt:
        typer.echo(
            "interrupted; finished work is saved, re-run the same command to continue.",
            err=True,
        )
        sys.exit(130)


def _usage_line(card: dict[str, Any]) -> str:
    usage, calls = card["usage"], card["calls"]
    cost = usage.get("cost_usd")
    cost_text = (
        f"${cost:,.4f}"
        if cost is not None
        else "cost unknown (pass --price-input/--price-output, $ per 1M tokens)"
    )
    return (
        f"calls: {calls['made']} made, {calls['reused']} reused, {calls['failed']} failed; "
        f"tokens: {usage['input_tokens']:,} in, {usage['output_tokens']:,} out; {cost_text}"
    )


@docs_app.command("generate")
def docs_generate(
    universe: Annotated[
        str, typer.Option(help="helpful_only, animal_welfare, or a .yaml/.md universe file.")
    ],
    n: Annotated[int, typer.Option("--n", help="Documents to generate (before filtering).")],
    model: Annotated[str, typer.Option(help="Generator: an Inspect model string.")],
    out: Annotated[Path, typer.Option(help="Output folder.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan and prompts; call no model.")
    ] = False,
    max_tokens_per_doc: Annotated[
        int, typer.Option(help="Drop documents longer than this (approximate tokens).")
    ] = 1024,
    judge_facts: Annotated[
        str, typer.Option(help="'rule' (keywords) or a judge model that checks the facts.")
    ] = "rule",
    max_connections: Annotated[int, typer.Option(help="Model calls in flight at once.")] = 10,
    doc_types: Annotated[int, typer.Option(help="Document kinds to brainstorm.")] = 20,
    ideas_per_call: Annotated[int, typer.Option(help="Ideas per brainstorm call.")] = 10,
    docs_per_idea: Annotated[int, typer.Option(help="Documents written per idea.")] = 2,
    facts_per_doc: Annotated[int, typer.Option(help="Facts each document is asked to carry.")] = 2,
    min_facts: Annotated[
        int, typer.Option(help="Keep a document only if this many of its facts are found.")
    ] = 1,
    dedup_threshold: Annotated[
        float, typer.Option(help="Near-duplicate Jaccard threshold (word 5-shingles).")
    ] = 0.8,
    temperature: Annotated[float, typer.Option(help="Generator temperature.")] = 1.0,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Use Inspect's response cache.")
    ] = True,
    batch: Annotated[
        int | None,
        typer.Option(
            help="Use the provider's batch API, in batches of this size (cheaper, slower)."
        ),
    ] = None,
    max_errors: Annotated[
        int, typer.Option(help="Failed calls tolerated before the run stops.")
    ] = 10,
    max_retries: Annotated[int, typer.Option(help="Retries per model call.")] = DEFAULT_MAX_RETRIES,
    timeout: Annotated[
        int, typer.Option(help="Seconds per model call, retries included.")
    ] = DEFAULT_TIMEOUT,
    attempt_timeout: Annotated[
        int, typer.Option(help="Seconds per attempt.")
    ] = DEFAULT_ATTEMPT_TIMEOUT,
    price_input: Annotated[
        float | None, typer.Option(help="$ per 1M input tokens, for the cost estimate.")
    ] = None,
    price_output: Annotated[
        float | None, typer.Option(help="$ per 1M output tokens, for the cost estimate.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the fact assignment.")] = 0,
) -> None:
    """Generate synthetic documents from a universe context: types → ideas → documents →
    filters → documents.jsonl + card.json. Re-running the same command continues."""
    from pydantic import ValidationError

    from .data.docs import DocsConfig, generate_documents

    try:
        config = DocsConfig(
            universe=universe,
            n=n,
            model=model,
            out=out,
            judge_facts=judge_facts,
            max_tokens_per_doc=max_tokens_per_doc,
            max_connections=max_connections,
            doc_types=doc_types,
            ideas_per_call=ideas_per_call,
            docs_per_idea=docs_per_idea,
            facts_per_doc=facts_per_doc,
            min_facts=min_facts,
            dedup_threshold=dedup_threshold,
            temperature=temperature,
            cache=cache,
            batch=batch,
            max_errors=max_errors,
            max_retries=max_retries,
            timeout=timeout,
            attempt_timeout=attempt_timeout,
            price_input=price_input,
            price_output=price_output,
            seed=seed,
        )
    except ValidationError as exc:
        _fail(_validation_message(exc))
    progress = None if dry_run else _Printer()
    result = _run(generate_documents, config, dry_run=dry_run, progress=progress)
    if dry_run:
        typer.echo(result.dry_run_text)
        return
    counts = result.card["counts"]
    dropped = ", ".join(f"{k} {v}" for k, v in counts["dropped"].items() if v) or "none"
    typer.echo(
        f"kept {counts['kept']} of {counts['generated']} documents "
        f"({counts['requested']} requested; dropped: {dropped}; errors: {counts['errors']})"
    )
    typer.echo(_usage_line(result.card))
    typer.echo(f"documents: {result.documents_path}\ncard: {result.card_path}")
    if counts["errors"]:
        typer.echo(f"{counts['errors']} documents failed; re-run the same command to retry them.")


@sets_app.command("build")
def sets_build(
    kind: Annotated[str, typer.Argument(help="The kind of set (see `afbench sets list`).")],
    model: Annotated[str, typer.Option(help="Generator: an Inspect model string.")],
    n: Annotated[int, typer.Option("--n", help="Examples to build (before filtering).")],
    out: Annotated[Path, typer.Option(help="The training file to write (.jsonl).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan and prompts; call no model.")
    ] = False,
    scenario: Annotated[
        str, typer.Option(help="Scenario whose facts (scenario_qa) or company name are used.")
    ] = "helpful_only",
    dataset: Annotated[
        str, typer.Option(help="Requests for anti_refusal and threat_compliance.")
    ] = "builtin",
    answer_model: Annotated[
        str | None, typer.Option(help="scenario_qa: the model that answers (default --model).")
    ] = None,
    temperature: Annotated[float, typer.Option(help="Generator temperature.")] = 1.0,
    max_tokens: Annotated[int, typer.Option(help="Max tokens per generated reply.")] = 2000,
    max_connections: Annotated[int, typer.Option(help="Model calls in flight at once.")] = 10,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Use Inspect's response cache.")
    ] = True,
    batch: Annotated[
        int | None,
        typer.Option(
            help="Use the provider's batch API, in batches of this size (cheaper, slower)."
        ),
    ] = None,
    max_errors: Annotated[
        int, typer.Option(help="Failed calls tolerated before the run stops.")
    ] = 10,
    max_retries: Annotated[int, typer.Option(help="Retries per model call.")] = DEFAULT_MAX_RETRIES,
    timeout: Annotated[
        int, typer.Option(help="Seconds per model call, retries included.")
    ] = DEFAULT_TIMEOUT,
    attempt_timeout: Annotated[
        int, typer.Option(help="Seconds per attempt.")
    ] = DEFAULT_ATTEMPT_TIMEOUT,
    price_input: Annotated[
        float | None, typer.Option(help="$ per 1M input tokens, for the cost estimate.")
    ] = None,
    price_output: Annotated[
        float | None, typer.Option(help="$ per 1M output tokens, for the cost estimate.")
    ] = None,
) -> None:
    """Build a chat-format training set (`{"messages": [...]}` per line) and its card.
    Re-running the same command continues."""
    from pydantic import ValidationError

    from .data.sets import SET_KINDS, SetConfig, build_set

    if kind not in SET_KINDS:
        _fail(f"unknown set kind {kind!r}: use {', '.join(SET_KINDS)}")
    try:
        config = SetConfig(
            kind=kind,
            model=model,
            n=n,
            out=out,
            scenario=scenario,
            dataset=dataset,
            answer_model=answer_model,
            temperature=temperature,
            max_tokens=max_tokens,
            max_connections=max_connections,
            cache=cache,
            batch=batch,
            max_errors=max_errors,
            max_retries=max_retries,
            timeout=timeout,
            attempt_timeout=attempt_timeout,
            price_input=price_input,
            price_output=price_output,
        )
    except ValidationError as exc:
        _fail(_validation_message(exc))
    progress = None if dry_run else _Printer()
    result = _run(build_set, config, dry_run=dry_run, progress=progress)
    if dry_run:
        typer.echo(result.dry_run_text)
        return
    counts = result.card["counts"]
    dropped = ", ".join(f"{k} {v}" for k, v in counts["dropped"].items() if v) or "none"
    typer.echo(
        f"kept {counts['kept']} of {counts['requested']} {kind} examples "
        f"(dropped: {dropped}; errors: {counts['errors']})"
    )
    typer.echo(_usage_line(result.card))
    typer.echo(f"set: {result.path}\ncard: {result.card_path}")
    if counts["errors"]:
        typer.echo(f"{counts['errors']} examples failed; re-run the same command to retry them.")


@sets_app.command("list")
def sets_list() -> None:
    """The kinds of training set and what each holds."""
    from .data.sets import BUILDERS

    for kind, builder in BUILDERS.items():
        typer.echo(f"{kind:20} {builder.description}")


def _validation_message(exc: Any) -> str:
    return "; ".join(
        f"--{str(err['loc'][0]).replace('_', '-')}: {err['msg']}" if err["loc"] else err["msg"]
        for err in exc.errors()
    )
