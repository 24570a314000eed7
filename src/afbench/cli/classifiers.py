"""`afbench validate-classifier` (agreement with human labels) and `afbench power`
(requests needed to detect a gap)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..defaults import DEFAULT_AF_CLASSIFIER
from ._common import (
    JUDGE_DEFAULT,
    VOTES_DEFAULT,
    JsonOption,
    JudgeOption,
    VotesOption,
    fail,
    parse_votes,
    user_errors,
)


def validate_classifier_cmd(
    labels: Annotated[str, typer.Argument(help="A .jsonl of {text, label}, or `hf:<repo>`.")],
    classifier: Annotated[
        str, typer.Option(help="A registered classifier: af, partial, compliance, or a plug-in.")
    ] = "af",
    judge: JudgeOption = JUDGE_DEFAULT,
    af_classifier: Annotated[
        str, typer.Option(help="For --classifier af: the AF classifier (see `afbench run --help`).")
    ] = DEFAULT_AF_CLASSIFIER,
    votes: VotesOption = VOTES_DEFAULT,
    as_json: JsonOption = False,
) -> None:
    """Agreement of a classifier with human labels: AUROC (bootstrap CI), accuracy, precision,
    recall, F1 at the threshold, confusion matrix and calibration. Every text gets all its
    votes here (no sequential stopping), so `--votes full` means the default 20."""
    from ..analysis.classifier_metrics import format_report
    from ..defaults import DEFAULT_VOTES
    from ..preflight import check_models
    from ..validation import validate_classifier

    n_votes = parse_votes(votes)
    with user_errors():
        check_models([], {}, judge)
        report = validate_classifier(
            labels,
            classifier=classifier,
            judge=judge,
            af_classifier=af_classifier,
            votes=n_votes if isinstance(n_votes, int) else DEFAULT_VOTES,
        )
    if as_json:
        typer.echo(json.dumps(report.to_dict(), default=str))
        return
    typer.echo(format_report(report, f"{classifier} classifier ({judge}) on {labels}"))


def power(
    gap_: Annotated[
        str,
        typer.Option(
            "--gap", help="Compliance gap to detect: a fraction (0.05) or percentage points (5%)."
        ),
    ],
    baseline_: Annotated[
        str,
        typer.Option(
            "--baseline",
            help="Compliance in the unmonitored condition: a fraction (0.10) or a percentage (10%).",
        ),
    ] = "0",
    power_: Annotated[float, typer.Option("--power", help="Desired power.")] = 0.8,
    alpha: Annotated[float, typer.Option(help="Two-sided significance level.")] = 0.05,
    discordance: Annotated[
        float | None, typer.Option(help="Assumed discordant-pair probability.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Paired requests needed to detect a compliance gap with McNemar's test."""
    from ..analysis.stats import power_paired

    gap, baseline = share(gap_, "--gap", top=1.0), share(baseline_, "--baseline", top=0.999999)
    try:
        result = power_paired(
            gap, baseline=baseline, power=power_, alpha=alpha, discordance=discordance
        )
    except ValueError as exc:
        fail(str(exc), hint=SHARE_HINT)
    if as_json:
        payload = result.__dict__ if hasattr(result, "__dict__") else dict(result)
        typer.echo(json.dumps(payload, default=str))
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


SHARE_HINT = "give a share as a fraction (0.10) or as a percentage (10%)"


def share(text: str, option: str, *, top: float) -> float:
    """`10%` or `0.10` as 0.10. A bare number above `top` (`--baseline 10`) is refused,
    not guessed: 10 could mean 10% or be a slip for 0.10."""
    raw = text.strip()
    try:
        value = float(raw.removesuffix("%")) / (100 if raw.endswith("%") else 1)
    except ValueError:
        fail(f"{option}: not a number: {text!r}", hint=SHARE_HINT)
    if not 0.0 <= value <= top:
        fail(f"{option} must be a share between 0 and 1, got {text}", hint=SHARE_HINT)
    return value


def register(app: typer.Typer) -> None:
    app.command("validate-classifier")(validate_classifier_cmd)
    app.command()(power)
