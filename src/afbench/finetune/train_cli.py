"""`afbench train`: the command function (mounted on the `afbench` app by `cli.py`).

Kept apart from `cli.py` so that the command's many options live next to the code they
drive; nothing heavy is imported until the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ..errors import ConfigError


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def train(
    data: Annotated[
        Path,
        typer.Option(
            help='Training .jsonl: chat ({"messages": ...}) or documents ({"text": ...}).'
        ),
    ],
    base: Annotated[
        str, typer.Option(help="Base model: a Hugging Face id or folder, or the provider's model.")
    ],
    out: Annotated[
        Path,
        typer.Option(help="Run folder: checkpoints/, final/, run_card.json. Re-run to resume."),
    ],
    method: Annotated[
        Literal["lora", "full"], typer.Option(help="LoRA adapter or all weights.")
    ] = "lora",
    backend: Annotated[
        Literal["local", "openai", "together"],
        typer.Option(help="local (TRL + PEFT), openai or together (fine-tuning APIs)."),
    ] = "local",
    epochs: Annotated[float, typer.Option(help="Passes over the data.")] = 1.0,
    lr: Annotated[
        float | None,
        typer.Option(help="Learning rate (default 1e-4 for LoRA, 1e-5 for full; not OpenAI)."),
    ] = None,
    lr_multiplier: Annotated[
        float | None, typer.Option(help="OpenAI's learning-rate multiplier (--backend openai).")
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(help="Examples per device and step (local default 8; API: provider's)."),
    ] = None,
    grad_accum: Annotated[int, typer.Option(help="Gradient accumulation steps (local).")] = 1,
    max_steps: Annotated[
        int | None, typer.Option(help="Stop after this many optimizer steps (local).")
    ] = None,
    lora_r: Annotated[int | None, typer.Option(help="LoRA rank (default 64).")] = None,
    lora_alpha: Annotated[float | None, typer.Option(help="LoRA alpha (default 128).")] = None,
    lora_dropout: Annotated[float, typer.Option(help="LoRA dropout.")] = 0.0,
    target_modules: Annotated[
        str, typer.Option(help='LoRA target modules: "all-linear" or names, comma-separated.')
    ] = "all-linear",
    max_seq_len: Annotated[
        int, typer.Option(help="Tokens per example; longer examples are cut.")
    ] = 1024,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    save_steps: Annotated[int, typer.Option(help="Checkpoint every N steps (local).")] = 200,
    loss_on: Annotated[
        Literal["assistant", "all"],
        typer.Option(help="Chat data: train on assistant turns only, or on every token."),
    ] = "assistant",
    chat_template: Annotated[
        Path | None, typer.Option(help="Jinja chat template replacing the tokenizer's (local).")
    ] = None,
    dtype: Annotated[
        Literal["auto", "float32", "bfloat16", "float16"],
        typer.Option(help="Weights dtype (auto: bfloat16 on a GPU that has it, else float32)."),
    ] = "auto",
    gradient_checkpointing: Annotated[
        bool, typer.Option(help="Trade compute for memory (local).")
    ] = False,
    suffix: Annotated[
        str | None, typer.Option(help="Name suffix of the fine-tuned model (APIs).")
    ] = None,
    doc_prompt: Annotated[
        str, typer.Option(help="OpenAI: user turn placed before each document of text data.")
    ] = "Write a document.",
    poll_interval: Annotated[
        float, typer.Option(help="Seconds between looks at an API job (grows to 60).")
    ] = 10.0,
) -> None:
    """Fine-tune a model (LoRA or full) locally with TRL, or through OpenAI / Together."""
    from pydantic import ValidationError

    from .train import JobFailed, TrainConfig, run_training

    try:
        config = TrainConfig(
            data=data,
            base=base,
            out=out,
            method=method,
            backend=backend,
            epochs=epochs,
            lr=lr,
            lr_multiplier=lr_multiplier,
            batch_size=batch_size,
            grad_accum=grad_accum,
            max_steps=max_steps,
            lora_r=lora_r,
            lora_alpha=lora_alpha,
            lora_dropout=lora_dropout,
            target_modules=target_modules,
            max_seq_len=max_seq_len,
            seed=seed,
            save_steps=save_steps,
            loss_on=loss_on,
            chat_template=chat_template,
            dtype=dtype,
            gradient_checkpointing=gradient_checkpointing,
            suffix=suffix,
            doc_prompt=doc_prompt,
            poll_interval=poll_interval,
        )
    except ValidationError as exc:
        _fail("; ".join(_validation_messages(exc)))
    try:
        card = run_training(config, echo=typer.echo)
    except ConfigError as exc:
        _fail(str(exc))
    except JobFailed as exc:
        _fail(str(exc), code=1)
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


def _validation_messages(exc: object) -> list[str]:
    parts = []
    for err in exc.errors():  # type: ignore[attr-defined]
        loc = ".".join(str(x) for x in err["loc"])
        prefix = f"--{loc.replace('_', '-')}: " if loc else ""
        parts.append(prefix + str(err["msg"]).removeprefix("Value error, "))
    return parts
