"""What one training run is asked to do.

A `TrainConfig` is built from the command line (or by a script), validated once, and then
read by every backend. Its `hyperparameters()` are what the run card records and what a
re-run is compared against: re-running the same command in the same `--out` resumes (or
re-attaches to a provider's job) only when they match, so two different runs never share a
folder by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Backend = Literal["local", "openai", "together"]
Method = Literal["lora", "full"]
LossOn = Literal["assistant", "all"]

#: docs/method.md §5: the SDF experiments trained LoRA adapters of rank 64, alpha 128, one epoch.
DEFAULT_LORA_R = 64
DEFAULT_LORA_ALPHA = 128

#: Learning rates when none is given: the usual orders of magnitude for LoRA and for full
#: fine-tuning of instruction-tuned models (full training needs a much smaller step).
DEFAULT_LR = {"lora": 1e-4, "full": 1e-5}

#: OpenAI fine-tunes chat models only; a document becomes the assistant turn after this
#: user turn (recorded in the run card; override with --doc-prompt).
DEFAULT_DOC_PROMPT = "Write a document."


class TrainConfig(BaseModel):
    """Settings of one `afbench train` run; defaults follow docs/method.md §5."""

    model_config = ConfigDict(extra="forbid")

    data: Path = Field(
        description='Training .jsonl: chat ({"messages": ...}) or documents ({"text": ...}).'
    )
    base: str = Field(
        description="Base model: a Hugging Face id or folder, or the provider's model."
    )
    out: Path = Field(
        description="Run folder: checkpoints/, final/, run_card.json. Re-run to resume."
    )
    method: Method = Field(default="lora", description="LoRA adapter or all weights.")
    backend: Backend = Field(
        default="local",
        description="local (TRL + PEFT), openai or together (fine-tuning APIs).",
    )
    epochs: float = Field(default=1.0, gt=0, description="Passes over the data.")
    lr: float | None = Field(
        default=None,
        gt=0,
        description="Learning rate (default 1e-4 for LoRA, 1e-5 for full; not OpenAI).",
    )
    lr_multiplier: float | None = Field(
        default=None, gt=0, description="OpenAI's learning-rate multiplier (--backend openai)."
    )
    batch_size: int | None = Field(
        default=None,
        ge=1,
        description="Examples per device and step (local default 8; API: provider's).",
    )
    grad_accum: int = Field(default=1, ge=1, description="Gradient accumulation steps (local).")
    max_steps: int | None = Field(
        default=None, ge=1, description="Stop after this many optimizer steps (local)."
    )
    lora_r: int | None = Field(default=None, ge=1, description="LoRA rank (default 64).")
    lora_alpha: float | None = Field(default=None, gt=0, description="LoRA alpha (default 128).")
    lora_dropout: float = Field(default=0.0, ge=0, lt=1, description="LoRA dropout.")
    target_modules: str = Field(
        default="all-linear",
        description='LoRA target modules: "all-linear" or names, comma-separated.',
    )
    max_seq_len: int = Field(
        default=1024, ge=8, description="Tokens per example; longer examples are cut."
    )
    seed: int = Field(default=0, description="Random seed.")
    save_steps: int = Field(default=200, ge=1, description="Checkpoint every N steps (local).")
    loss_on: LossOn = Field(
        default="assistant",
        description="Chat data: train on assistant turns only, or on every token.",
    )
    chat_template: Path | None = Field(
        default=None, description="Jinja chat template replacing the tokenizer's (local)."
    )
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        default="auto",
        description="Weights dtype (auto: bfloat16 on a GPU that has it, else float32).",
    )
    gradient_checkpointing: bool = Field(
        default=False, description="Trade compute for memory (local)."
    )
    suffix: str | None = Field(
        default=None, description="Name suffix of the fine-tuned model (APIs)."
    )
    doc_prompt: str = Field(
        default=DEFAULT_DOC_PROMPT,
        description="OpenAI: user turn placed before each document of text data.",
    )
    poll_interval: float = Field(
        default=10.0, gt=0, description="Seconds between looks at an API job (grows to 60)."
    )

    @field_validator("base")
    @classmethod
    def _base_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a model")
        return value.strip()

    @model_validator(mode="after")
    def _backend_options(self) -> TrainConfig:
        if self.backend == "openai" and self.lr is not None:
            raise ValueError(
                "OpenAI takes a learning-rate multiplier, not a learning rate: use --lr-multiplier"
            )
        if self.backend != "openai" and self.lr_multiplier is not None:
            raise ValueError("--lr-multiplier is for --backend openai; use --lr")
        return self

    @property
    def effective_lora_r(self) -> int:
        return self.lora_r if self.lora_r is not None else DEFAULT_LORA_R

    @property
    def effective_lora_alpha(self) -> float:
        return self.lora_alpha if self.lora_alpha is not None else DEFAULT_LORA_ALPHA

    @property
    def effective_lr(self) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR[self.method]

    def target_module_list(self) -> str | list[str]:
        """PEFT's `target_modules`: the string "all-linear" or a list of module names."""
        names = [name.strip() for name in self.target_modules.split(",") if name.strip()]
        if names == ["all-linear"] or not names:
            return "all-linear"
        return names

    def hyperparameters(self) -> dict[str, Any]:
        """The settings that define the run (recorded; a re-run must match them)."""
        common: dict[str, Any] = {"epochs": self.epochs, "seed": self.seed}
        if self.backend == "openai":
            return common | {
                "batch_size": self.batch_size,
                "lr_multiplier": self.lr_multiplier,
                "suffix": self.suffix,
                "doc_prompt": self.doc_prompt,
            }
        lora = (
            {
                "lora_r": self.effective_lora_r,
                "lora_alpha": self.effective_lora_alpha,
                "lora_dropout": self.lora_dropout,
                "target_modules": self.target_module_list(),
            }
            if self.method == "lora"
            else {}
        )
        if self.backend == "together":
            return (
                common
                | {
                    "lr": self.effective_lr,
                    "batch_size": self.batch_size,
                    "max_seq_len": self.max_seq_len,
                    "suffix": self.suffix,
                }
                | lora
            )
        return (
            common
            | {
                "lr": self.effective_lr,
                "batch_size": self.batch_size or 8,
                "grad_accum": self.grad_accum,
                "max_steps": self.max_steps,
                "max_seq_len": self.max_seq_len,
                "loss_on": self.loss_on,
                "chat_template": str(self.chat_template) if self.chat_template else None,
                "dtype": self.dtype,
                "gradient_checkpointing": self.gradient_checkpointing,
                "save_steps": self.save_steps,
            }
            | lora
        )
