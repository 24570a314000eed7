"""`afbench train`: fine-tune a model locally (TRL + PEFT) or through OpenAI / Together.

The options are the fields of `TrainConfig` (see `options`); torch, TRL and the provider
SDKs are imported by the backend that runs, so `afbench --help` stays fast.
`python -m afbench.finetune.train` runs the same command (under `accelerate launch`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..finetune.train.config import TrainConfig
from ._common import fail, user_errors
from .options import config_values, with_config_options


@with_config_options(TrainConfig)
def train(**values: Any) -> None:
    """Fine-tune a model (LoRA or full) locally with TRL, or through OpenAI / Together."""
    from ..finetune.train import JobFailed, run_training

    with user_errors():
        config = TrainConfig.model_validate(config_values(TrainConfig, values))
        try:
            card = run_training(config, echo=typer.echo)
        except JobFailed as exc:
            fail(exc.message, hint=exc.hint, code=1)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    if card.final_loss is not None and card.first_loss is not None:
        typer.echo(f"loss: {card.first_loss:.4f} (first step) -> {card.final_loss:.4f} (last step)")
    if card.final:
        typer.echo(f"trained: {card.final}")
    if card.job and card.job.fine_tuned_model:
        typer.echo(f"fine-tuned model: {card.job.fine_tuned_model}")
    typer.echo(f"run card: {Path(config.out) / 'run_card.json'}")
    if card.evaluate:
        typer.echo(f"evaluate (base and fine-tuned side by side):\n  {card.evaluate.command}")
