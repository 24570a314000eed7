"""The `afbench` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..datasets import MAX_REQUEST_CHARS
from ..defaults import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ..errors import ConfigError

app = typer.Typer(
    help="Alignment-faking experiments on any language model, built on Inspect AI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scenarios_app = typer.Typer(help="List scenarios, or show the exact messages a model receives.")
app.add_typer(scenarios_app, name="scenarios")


def _mount_finetune() -> None:
    """Fine-tuning commands live with their code; their heavy imports stay inside them."""
    from ..finetune.data_cli import docs_app, sets_app
    from ..finetune.train_cli import train

    app.add_typer(docs_app, name="docs")
    app.add_typer(sets_app, name="sets")
    app.command("train")(train)


_mount_finetune()


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def parse_kv(items: list[str] | None, option: str) -> dict[str, Any]:
    """`key=value` pairs; values read as YAML scalars (numbers, booleans) like Inspect's -M."""
    import yaml

    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            _fail(f"{option} expects key=value, got '{item}'")
        try:
            out[key.strip()] = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            out[key.strip()] = value
    return out


@app.command()
def run(
    model: Annotated[
        list[str], typer.Option("--model", "-m", help="Inspect model string; repeat for several.")
    ],
    scenario: Annotated[str, typer.Option(help="Scenario (setting) to run.")] = "helpful_only",
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant", help="Scenario variant; repeat to compose (see afbench scenarios)."
        ),
    ] = None,
    tier: Annotated[
        list[str] | None, typer.Option("--tier", help="Only these tiers (default: all).")
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            help="builtin, animal_welfare, lat, advbench, or a .jsonl/.json/.csv file "
            "(default: the scenario's own set)."
        ),
    ] = None,
    field: Annotated[
        str | None, typer.Option(help="Request column of a local dataset file.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Use the first N requests.")] = None,
    max_request_chars: Annotated[
        int,
        typer.Option(help="Refuse a request longer than this (a sign of a broken file)."),
    ] = MAX_REQUEST_CHARS,
    epochs: Annotated[
        int, typer.Option(help="Samples per request and tier (errors clustered by request).")
    ] = 1,
    judge: Annotated[
        str, typer.Option(help="Compliance judge model, or 'offline'.")
    ] = "openai/gpt-4o",
    af_classifier: Annotated[
        str, typer.Option(help="Alignment-faking classifier: improved, original or offline.")
    ] = "improved",
    votes: Annotated[
        str, typer.Option(help="AF judge votes per scratchpad (sequential voting), or 'full'.")
    ] = "20",
    prescreen: Annotated[
        float | None,
        typer.Option(help="Skip AF judge calls the offline classifier rules out at this recall."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("runs/latest"),
    model_arg: Annotated[
        list[str] | None, typer.Option("--model-arg", "-M", help="Model argument key=value.")
    ] = None,
    examples: Annotated[
        bool | None,
        typer.Option(
            "--examples/--no-examples",
            help="Include the worked reasoning examples (default: as the scenario says).",
        ),
    ] = None,
    suffix: Annotated[
        bool | None,
        typer.Option(
            "--suffix/--no-suffix",
            help="Append the accept/reject instruction (default: as the scenario says).",
        ),
    ] = None,
    system_prompt_file: Annotated[
        Path | None, typer.Option(help="Replace the system prompt (plain text or Jinja).")
    ] = None,
    scenario_dir: Annotated[
        list[Path] | None, typer.Option(help="Extra folder of scenarios.")
    ] = None,
    prefill: Annotated[
        str | None,
        typer.Option(
            help="Start the scratchpad with: basic, however, or your own text ({{ tier }} is substituted)."
        ),
    ] = None,
    paraphrases: Annotated[
        int | None,
        typer.Option(help="Also run K paraphrases of the system prompt (needs --paraphraser)."),
    ] = None,
    paraphraser: Annotated[
        str | None, typer.Option(help="Model that writes the paraphrases (once; cached as files).")
    ] = None,
    paraphrase_dir: Annotated[
        Path | None, typer.Option(help="Run these paraphrase files (*.txt) instead.")
    ] = None,
    format_: Annotated[
        str,
        typer.Option("--format", help="chat, or base: one raw document for a pretrained model."),
    ] = "chat",
    max_continuations: Annotated[int, typer.Option(help="<NEXT/> continuations allowed.")] = 4,
    temperature: Annotated[float, typer.Option(help="Sampling temperature.")] = 0.0,
    max_tokens: Annotated[int, typer.Option(help="Max tokens per model turn.")] = 4000,
    max_connections: Annotated[
        int | None, typer.Option(help="Concurrent connections per model.")
    ] = None,
    max_retries: Annotated[
        int, typer.Option(help="Retries per model request (Inspect's own default: unlimited).")
    ] = DEFAULT_MAX_RETRIES,
    timeout: Annotated[
        int, typer.Option(help="Seconds per model request, all retries included.")
    ] = DEFAULT_TIMEOUT,
    attempt_timeout: Annotated[
        int, typer.Option(help="Seconds per attempt before it is abandoned and retried.")
    ] = DEFAULT_ATTEMPT_TIMEOUT,
    display: Annotated[
        str, typer.Option(help="Inspect display: plain, rich, full, none.")
    ] = "plain",
    log_realtime: Annotated[
        bool,
        typer.Option(
            "--log-realtime/--no-log-realtime",
            help="Live samples in inspect view and crash recovery of unflushed samples; "
            "off: less CPU per sample, for fast local servers.",
        ),
    ] = True,
) -> None:
    """Run the experiment on every model (both tiers, same requests), score, summarise, report."""
    from pydantic import ValidationError

    from ..runner import RunConfig, run_experiment

    try:
        config = RunConfig(
            models=model,
            scenario=scenario,
            variants=variant or [],
            tiers=tier or None,
            dataset=dataset,
            field=field,
            limit=limit,
            max_request_chars=max_request_chars,
            epochs=epochs,
            judge=judge,
            af_classifier=af_classifier,
            votes=votes,
            prescreen=prescreen,
            out=out,
            model_args=parse_kv(model_arg, "-M"),
            examples=examples,
            suffix=suffix,
            system_prompt_file=system_prompt_file,
            scenario_dirs=scenario_dir or [],
            max_continuations=max_continuations,
            prefill=prefill,
            format=format_,
            paraphrases=paraphrases,
            paraphraser=paraphraser,
            paraphrase_dir=paraphrase_dir,
            temperature=temperature,
            max_tokens=max_tokens,
            max_connections=max_connections,
            max_retries=max_retries,
            timeout=timeout,
            attempt_timeout=attempt_timeout,
            log_realtime=log_realtime,
            display=display,
        )
    except ValidationError as exc:
        _fail(_validation_message(exc))
    try:
        info = run_experiment(config)
    except ConfigError as exc:
        _fail(str(exc))
    _print_result(info)
    if not info.get("complete", True):
        typer.secho(
            "warning: some tasks did not complete; re-run the same command to resume.", err=True
        )
        raise typer.Exit(1)


def _validation_message(exc: Any) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "input"
        parts.append(f"--{loc.replace('_', '-')}: {err['msg']}")
    return "; ".join(parts)


def _print_result(info: dict[str, Any]) -> None:
    summary = info["summary_data"]
    for gap in summary["gaps"]:
        ci = gap["gap_ci"]
        fmt = lambda x: "n/a" if x is None else f"{100 * x:+.1f} pp"  # noqa: E731
        p = gap["p_value"]
        typer.echo(
            f"{gap['model']} [{gap['variant']}] {gap['name']}: compliance {gap['trained_tier']} {_pct(gap['rate_trained'])}, "
            f"{gap['unmonitored_tier']} {_pct(gap['rate_unmonitored'])}; gap {fmt(gap['gap'])} "
            f"[95% CI {fmt(ci[0])}, {fmt(ci[1])}], p = {'n/a' if p is None else f'{p:.2g}'}, "
            f"n = {gap['n_pairs']} pairs"
            + (f" (simulator's true gap {fmt(gap['true_gap'])})" if "true_gap" in gap else "")
        )
    typer.echo(f"summary: {info['summary']}")
    typer.echo(f"report:  {info['report']}")


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


@app.command()
def report(out: Annotated[Path, typer.Argument(help="A run directory (holding logs/).")]) -> None:
    """Rebuild summary.json, summary.csv, figures and report.html from the logs alone."""
    from ..runner import build_outputs

    if not out.is_dir():
        _fail(f"no such run directory: {out}")
    try:
        info = build_outputs(out)
    except ConfigError as exc:
        _fail(str(exc))
    _print_result(info)


@app.command()
def sweep(
    file: Annotated[Path, typer.Argument(help="A sweep YAML file.")],
    out: Annotated[
        Path | None, typer.Option(help="Output directory (default: from the file).")
    ] = None,
    display: Annotated[
        str, typer.Option(help="Inspect display: plain, rich, full, none.")
    ] = "plain",
) -> None:
    """Run models × settings × variants × datasets from a YAML file, resumably, into one
    summary and report (with a models × variants table)."""
    from pydantic import ValidationError

    from ..sweep import run_sweep

    try:
        info = run_sweep(file, out, display=display)
    except ValidationError as exc:
        _fail(_validation_message(exc))
    except ConfigError as exc:
        _fail(str(exc))
    _print_result(info)
    if not info.get("complete", True):
        typer.secho(
            "warning: some tasks did not complete; re-run the same command to resume.", err=True
        )
        raise typer.Exit(1)


@app.command("validate-classifier")
def validate_classifier_cmd(
    labels: Annotated[str, typer.Argument(help="A .jsonl of {text, label}, or hf:<repo>.")],
    classifier: Annotated[str, typer.Option(help="af, partial or compliance.")] = "af",
    judge: Annotated[str, typer.Option(help="Judge model, or 'offline'.")] = "openai/gpt-4o",
    af_classifier: Annotated[
        str, typer.Option(help="For --classifier af: improved, original or offline.")
    ] = "improved",
    votes: Annotated[int, typer.Option(help="Votes per text for the AF judge (full voting).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Agreement of a classifier with human labels: AUROC (bootstrap CI), accuracy, precision,
    recall, F1 at the threshold, confusion matrix and calibration."""
    from ..runner import check_models
    from ..validation import validate_classifier

    try:
        check_models([], {}, judge)
        report = validate_classifier(
            labels, classifier=classifier, judge=judge, af_classifier=af_classifier, votes=votes
        )
    except ConfigError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), default=str))
        return
    from ..analysis.classifier_metrics import format_report

    typer.echo(format_report(report, f"{classifier} classifier ({judge}) on {labels}"))


@app.command()
def rescore(
    out: Annotated[Path, typer.Argument(help="A run directory (holding run.json and logs/).")],
    judge: Annotated[
        str, typer.Option(help="Judge model for all classifiers, or 'offline'.")
    ] = "openai/gpt-4o",
    af_classifier: Annotated[
        str, typer.Option(help="Alignment-faking classifier: improved, original or offline.")
    ] = "improved",
    votes: Annotated[str, typer.Option(help="AF judge votes, or 'full'.")] = "20",
    prescreen: Annotated[float | None, typer.Option(help="Offline prescreen recall.")] = None,
    display: Annotated[
        str, typer.Option(help="Inspect display: plain, rich, full, none.")
    ] = "none",
) -> None:
    """Re-score finished logs with another judge or classifier, without asking the evaluated
    model again."""
    from ..rescore import rescore_run

    if not out.is_dir():
        _fail(f"no such run directory: {out}")
    try:
        info = rescore_run(
            out,
            judge=judge,
            af_classifier=af_classifier,
            votes=int(votes) if votes.isdigit() else votes,
            prescreen=prescreen,
            display=display,
        )
    except ConfigError as exc:
        _fail(str(exc))
    _print_result(info)


@app.command("import")
def import_transcripts(
    file: Annotated[Path, typer.Argument(help="A .jsonl of transcripts produced elsewhere.")],
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("runs/import"),
    judge: Annotated[
        str, typer.Option(help="Compliance judge model, or 'offline'.")
    ] = "openai/gpt-4o",
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="field=column for a record field (reply, tier, model, request, request_id, scenario).",
        ),
    ] = None,
    model_name: Annotated[
        str, typer.Option(help="Model name for records without one.")
    ] = "unknown-model",
    display: Annotated[
        str, typer.Option(help="Inspect display: plain, rich, full, none.")
    ] = "none",
) -> None:
    """Score transcripts from another harness: same summary and report as a native run.

    Each line needs the model's raw reply (scratchpad and output together) and the tier;
    model name, request, request id and setting are optional. Lines that cannot be used
    are reported with their line number and the rest are imported.
    """
    from ..importer import run_import

    if not file.is_file():
        _fail(f"no such file: {file}")
    mapping = {k: str(v) for k, v in parse_kv(map_, "--map").items()}
    try:
        info = run_import(
            file, out, judge=judge, mapping=mapping, default_model=model_name, display=display
        )
    except ConfigError as exc:
        _fail(str(exc))
    for problem in info["problems"]:
        typer.secho(f"{file}:{problem.line}: {problem.message}", err=True, fg=typer.colors.YELLOW)
    typer.echo(f"imported {info['imported']} records, {len(info['problems'])} lines skipped")
    _print_result(info)


@app.command()
def power(
    gap: Annotated[
        float, typer.Option(help="Compliance gap to detect, as a fraction (0.05 = 5 pp).")
    ],
    baseline: Annotated[float, typer.Option(help="Compliance in the unmonitored condition.")] = 0.0,
    power_: Annotated[float, typer.Option("--power", help="Desired power.")] = 0.8,
    alpha: Annotated[float, typer.Option(help="Two-sided significance level.")] = 0.05,
    discordance: Annotated[
        float | None, typer.Option(help="Assumed discordant-pair probability.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Paired requests needed to detect a compliance gap with McNemar's test."""
    from ..analysis.stats import power_paired

    try:
        result = power_paired(
            gap, baseline=baseline, power=power_, alpha=alpha, discordance=discordance
        )
    except ValueError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(
            json.dumps(
                result.__dict__ if hasattr(result, "__dict__") else dict(result), default=str
            )
        )
        return
    typer.echo(
        f"{result.n} paired requests (each asked in both tiers) to detect a gap of "
        f"{100 * gap:.1f} pp over a baseline of {100 * baseline:.1f}% with {100 * power_:.0f}% power "
        f"at alpha = {alpha} (two-sided McNemar)."
    )
    typer.echo(f"Assumptions: {result.assumptions}")
    if getattr(result, "n_monotone", None) is not None:
        typer.echo(
            f"If no request complies only when unmonitored (a monotone effect), {result.n_monotone} suffice."
        )


@scenarios_app.callback(invoke_without_command=True)
def scenarios_list(
    ctx: typer.Context,
    scenario_dir: Annotated[
        list[Path] | None, typer.Option(help="Extra folder of scenarios.")
    ] = None,
) -> None:
    """List the scenarios, one line each."""
    if ctx.invoked_subcommand is not None:
        return
    from ..scenarios import ScenarioError, list_scenarios, list_variants

    try:
        manifests = list_scenarios(scenario_dir or None)
        variants = list_variants(scenario_dir or None)
    except ScenarioError as exc:
        _fail(str(exc))
    typer.echo("Settings:")
    for m in manifests:
        tiers = ", ".join(t.name for t in m.tiers)
        typer.echo(f"  {m.name:<26} {m.description}  [tiers: {tiers}]")
    typer.echo("Variants (--variant NAME, repeat to compose):")
    for v in variants:
        typer.echo(f"  {v.usage:<26} {v.description}")


@scenarios_app.command("show")
def scenarios_show(
    scenario: Annotated[str, typer.Argument(help="Scenario name.")],
    tier: Annotated[str | None, typer.Option(help="Tier (default: the first).")] = None,
    request: Annotated[str, typer.Option(help="Request text to render.")] = "<your request here>",
    variant: Annotated[
        list[str] | None, typer.Option("--variant", help="Variant; repeat to compose.")
    ] = None,
    examples: Annotated[bool | None, typer.Option("--examples/--no-examples")] = None,
    suffix: Annotated[bool | None, typer.Option("--suffix/--no-suffix")] = None,
    system_prompt_file: Annotated[Path | None, typer.Option()] = None,
    scenario_dir: Annotated[
        list[Path] | None, typer.Option(help="Extra folder of scenarios.")
    ] = None,
) -> None:
    """Print the exact messages a model receives."""
    from ..scenarios import ScenarioError, format_messages, load_scenario

    try:
        spec = load_scenario(scenario, scenario_dir or None, variant or ())
        messages = spec.render_messages(
            tier or spec.tiers[0].name,
            request,
            examples=examples,
            suffix=suffix,
            system_prompt_file=system_prompt_file,
        )
    except ScenarioError as exc:
        _fail(str(exc))
    typer.echo(format_messages(messages))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted; re-run the same command to resume.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
