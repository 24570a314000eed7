"""Commands on finished work: `report` (rebuild), `rescore` (judge again), `import`
(transcripts from another harness). Each reads or writes a run folder given as `--out`
(a positional folder is still accepted by report and rescore)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..defaults import DEFAULT_AF_CLASSIFIER
from ._common import (
    DISPLAY_DEFAULT,
    JUDGE_DEFAULT,
    VOTES_DEFAULT,
    DisplayOption,
    JudgeOption,
    VotesOption,
    fail,
    parse_kv,
    parse_votes,
    run_folder,
    run_root,
    user_errors,
)
from .summary_lines import print_result

FolderArgument = Annotated[
    Path | None, typer.Argument(help="A run folder (same as --out).", show_default=False)
]
FolderOption = Annotated[
    Path | None, typer.Option("--out", help="Run folder (holding run.json and logs/).")
]


def _existing_folder(positional: Path | None, option: Path | None) -> Path:
    folder = run_folder(positional, option)
    if not folder.is_dir():
        fail(f"no such run directory: {folder}")
    return run_root(folder)


def report(folder: FolderArgument = None, out: FolderOption = None) -> None:
    """Rebuild summary.json, summary.csv, figures and report.html from the logs alone."""
    from ..outputs import build_outputs

    folder = _existing_folder(folder, out)
    with user_errors():
        info = build_outputs(folder)
    print_result(info)


def rescore(
    folder: FolderArgument = None,
    out: FolderOption = None,
    judge: Annotated[
        list[str] | None,
        typer.Option(
            "--judge",
            help="Judge model for every classifier, or 'offline'; repeat for a panel "
            "(a strict majority decides).",
        ),
    ] = None,
    af_classifier: Annotated[
        str, typer.Option(help="Alignment-faking classifier (see `afbench run --help`).")
    ] = DEFAULT_AF_CLASSIFIER,
    votes: VotesOption = VOTES_DEFAULT,
    prescreen: Annotated[float | None, typer.Option(help="Offline prescreen recall.")] = None,
    af_reasons: Annotated[
        bool | None,
        typer.Option(
            "--af-reasons/--no-af-reasons",
            help="Classify why AF was considered and rejected (default: as the run did).",
            show_default=False,
        ),
    ] = None,
    motivations: Annotated[
        bool | None,
        typer.Option(
            "--motivations/--no-motivations",
            help="Classify motives for complying and for AF (default: as the run did).",
            show_default=False,
        ),
    ] = None,
    af_maybe_band: Annotated[
        bool | None,
        typer.Option(
            "--af-maybe-band/--no-af-maybe-band",
            help="Report 'maybe' as its own AF decision; off: AF votes stop once AF or not "
            "AF is settled (fewer calls, same AF decisions). Default: as the run did.",
            show_default=False,
        ),
    ] = None,
    display: DisplayOption = DISPLAY_DEFAULT,
) -> None:
    """Re-score finished logs with another judge or classifier, without asking the evaluated
    model again."""
    from ..rescore import rescore_run

    folder = _existing_folder(folder, out)
    with user_errors():
        judges = judge or [JUDGE_DEFAULT]
        info = rescore_run(
            folder,
            judge=judges[0],
            judges=judges,
            af_classifier=af_classifier,
            votes=parse_votes(votes),
            prescreen=prescreen,
            af_reasons=af_reasons,
            motivations=motivations,
            display=display,
            maybe_band=af_maybe_band,
        )
    print_result(info)


def import_transcripts(
    file: Annotated[Path, typer.Argument(help="A .jsonl of transcripts produced elsewhere.")],
    out: Annotated[Path, typer.Option(help="Run folder to write.")] = Path("runs/import"),
    judge: JudgeOption = JUDGE_DEFAULT,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="field=column for a record field (reply, tier, model, request, request_id, "
            "scenario, variant, reasoning_tags).",
        ),
    ] = None,
    model_name: Annotated[
        str, typer.Option(help="Model name for records without one.")
    ] = "unknown-model",
    reasoning_tag: Annotated[
        list[str] | None,
        typer.Option(
            "--reasoning-tag",
            help="Another tag name that holds the model's reasoning (repeatable); "
            "SCRATCHPAD_REASONING, HIDDEN_SCRATCHPAD, think, reasoning and thinking are read anyway.",
        ),
    ] = None,
    setting: Annotated[
        str,
        typer.Option(
            help="Setting of records without a `setting` field. Each record is scored in its "
            "own setting: animal_welfare compliance needs a judge (offline: not measured); a "
            "name that is no scenario is read as a harmful-request setting.",
        ),
    ] = "helpful_only",
    display: DisplayOption = DISPLAY_DEFAULT,
) -> None:
    """Score transcripts from another harness: same summary and report as a native run.

    Each line needs the model's raw reply (scratchpad and output together) and the tier;
    model name, request, request id, setting and condition are optional. Lines that cannot
    be used are reported with their line number and the rest are imported.
    """
    from ..importer import run_import

    if not file.is_file():
        fail(f"no such file: {file}")
    mapping = {k: str(v) for k, v in parse_kv(map_, "--map").items()}
    with user_errors():
        info = run_import(
            file,
            out,
            judge=judge,
            mapping=mapping,
            default_model=model_name,
            display=display,
            reasoning_tags=reasoning_tag,
            default_setting=setting,
        )
    for problem in info["problems"]:
        typer.secho(f"{file}:{problem.line}: {problem.message}", err=True, fg=typer.colors.YELLOW)
    for note in info.get("notes", []):
        typer.secho(f"note: {note}", err=True, fg=typer.colors.YELLOW)
    typer.echo(f"imported {info['imported']} records, {len(info['problems'])} lines skipped")
    print_result(info)


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.command()(rescore)
    app.command("import")(import_transcripts)
