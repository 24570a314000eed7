"""Local training with TRL's `SFTTrainer`: LoRA (PEFT) or all weights.

torch, transformers, TRL and PEFT are imported inside `train_local` only: they are the
optional `train` extra, and `import afbench` must stay light.

Layout of `--out DIR`: `DIR/checkpoints/checkpoint-N/` (Trainer checkpoints, the latest
two kept; a re-run resumes from the newest), `DIR/final/` (the adapter or the full model,
with the tokenizer and its chat template so that it loads on its own), `DIR/run_card.json`.
Works unchanged under `accelerate launch` (multi-GPU DDP, FSDP, DeepSpeed): only the main
process writes the run card and prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...errors import ConfigError, ModelSetupError
from .card import LossPoint, RunCard, evaluate_block, now_iso, write_card
from .chat_masks import NotPrefixPreserving, tokenize_with_assistant_mask
from .config import TrainConfig
from .data import TrainingData

LOSS_TRL = "assistant turns (TRL assistant_only_loss)"
LOSS_MASKS = "assistant turns (afbench masks: chat template rendered turn by turn)"
LOSS_ALL_CHAT = "all tokens (chat template applied)"
LOSS_DOCS = "all tokens (document data, plain text + EOS)"

LIBRARIES = ("torch", "transformers", "trl", "peft", "accelerate", "datasets")


def resolve_base(base: str) -> str:
    """A local folder becomes an absolute path, so the adapter's `base_model_name_or_path`
    (written by PEFT) loads from anywhere; `local/<name>` and a `.gguf` file become the
    model folder afbench's `local/` provider loads (a GGUF file is converted once, see
    `afbench.models.local_files`); anything else is a Hub id, kept as it is."""
    if base.startswith("local/") or base.endswith(".gguf"):
        from ...models.local_files import model_folder

        return str(model_folder(base, echo=print))
    path = Path(base).expanduser()
    return str(path.resolve()) if path.is_dir() else base


def _import_training_stack() -> Any:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        import trl  # noqa: F401
        from peft import LoraConfig  # noqa: F401
    except ImportError as exc:
        raise ModelSetupError(
            f"local training needs the 'train' extra ({exc.name} is missing): "
            "pip install torch, then pip install 'afbench[train]'",
            hint="pip install torch, then pip install 'afbench[train]'",
        ) from None


def train_local(
    config: TrainConfig,
    data: TrainingData,
    card: RunCard,
    echo: Callable[[str], None],
) -> RunCard:
    """Train (or resume training), save `DIR/final`, complete and return the run card."""
    started = time.monotonic()
    _import_training_stack()
    import torch
    from accelerate import PartialState
    from transformers import AutoModelForCausalLM
    from transformers.trainer_utils import get_last_checkpoint
    from trl import SFTTrainer

    main = PartialState().is_main_process
    say = echo if main else (lambda _msg: None)
    out = card_out(config)
    checkpoints, final = out / "checkpoints", out / "final"

    tokenizer = _tokenizer(config, data, card.base_resolved)
    dataset, card.loss_on, assistant_only = _dataset(config, data, tokenizer)
    bf16, fp16 = _half_precision(config, torch)
    dtype = torch.bfloat16 if bf16 else torch.float16 if fp16 else torch.float32
    model = _load(AutoModelForCausalLM, card.base_resolved, "model", dtype=dtype)
    card.device = _device_name(torch)
    trainer = SFTTrainer(
        model=model,
        args=_sft_config(config, checkpoints, assistant_only=assistant_only, bf16=bf16, fp16=fp16),
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=_lora_config(config),
        callbacks=[_run_card_callback(card, out, say)],
    )
    _count_prepared(trainer.train_dataset, config, data, card, say)

    resume = get_last_checkpoint(str(checkpoints)) if checkpoints.is_dir() else None
    if resume:
        say(f"resuming from {resume}")
    if main:
        write_card(out, card)
    trainer.train(resume_from_checkpoint=resume)
    trainer.save_model(str(final))
    if main:
        # save_model writes the tokenizer only with the full model on some paths; make sure
        # the final folder always carries it (and the chat template) for hf/ evaluation.
        tokenizer.save_pretrained(str(final))

    _record_losses(card, trainer.state.log_history)
    card.status = "completed"
    card.finished_at = now_iso()
    card.duration_s = round(time.monotonic() - started, 2)
    card.final = str(final)
    card.checkpoints = str(checkpoints)
    card.evaluate = evaluate_block(card)
    if main:
        write_card(out, card)
    return card


def _tokenizer(config: TrainConfig, data: TrainingData, base: str) -> Any:
    """The base's tokenizer, with `--chat-template` applied and a pad token."""
    from transformers import AutoTokenizer

    tokenizer = _load(AutoTokenizer, base, "tokenizer")
    if config.chat_template is not None:
        tokenizer.chat_template = _read_template(config.chat_template)
    if data.format == "chat" and not tokenizer.chat_template:
        raise ConfigError(
            f"{config.base} has no chat template, so chat data cannot be formatted; give one "
            "with --chat-template FILE (Jinja), or train on document data",
            hint="pass --chat-template FILE, or train on document data",
        )
    if tokenizer.pad_token is None:
        if tokenizer.eos_token is None:
            raise ConfigError(f"the tokenizer of {config.base} has neither a pad nor an EOS token")
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def _half_precision(config: TrainConfig, torch: Any) -> tuple[bool, bool]:
    """(bf16, fp16): `--dtype`, where auto means bfloat16 on a GPU that has it."""
    bf16 = config.dtype == "bfloat16" or (
        config.dtype == "auto" and torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    )
    return bf16, config.dtype == "float16"


def _lora_config(config: TrainConfig) -> Any:
    """PEFT's LoRA settings (None: train all weights)."""
    if config.method != "lora":
        return None
    from peft import LoraConfig

    return LoraConfig(
        r=config.effective_lora_r,
        lora_alpha=config.effective_lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=config.target_module_list(),
        task_type="CAUSAL_LM",
    )


def _sft_config(
    config: TrainConfig, checkpoints: Path, *, assistant_only: bool, bf16: bool, fp16: bool
) -> Any:
    import torch
    from trl import SFTConfig

    return SFTConfig(
        output_dir=str(checkpoints),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps if config.max_steps is not None else -1,
        learning_rate=config.effective_lr,
        per_device_train_batch_size=config.batch_size or 8,
        gradient_accumulation_steps=config.grad_accum,
        # transformers 5 renamed gradient_checkpointing (a deprecated alias now).
        activation_checkpointing=config.gradient_checkpointing,
        max_length=config.max_seq_len,
        assistant_only_loss=assistant_only,
        seed=config.seed,
        data_seed=config.seed,
        bf16=bf16,
        fp16=fp16,
        logging_steps=1,
        logging_first_step=True,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=2,
        report_to="none",
        dataset_num_proc=None,
        dataloader_pin_memory=torch.cuda.is_available(),
    )


def _run_card_callback(card: RunCard, out: Path, say: Callable[[str], None]) -> Any:
    """A Trainer callback that echoes the loss as it comes and keeps the run card current
    at each checkpoint."""
    from transformers import TrainerCallback

    class RunCardCallback(TrainerCallback):
        def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kw: Any) -> None:
            if state.is_world_process_zero and logs and "loss" in logs:
                say(f"step {state.global_step}/{state.max_steps}  loss {logs['loss']:.4f}")

        def on_save(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            if state.is_world_process_zero:
                _record_losses(card, state.log_history)
                write_card(out, card)

    return RunCardCallback()


def _count_prepared(
    prepared: Any,
    config: TrainConfig,
    data: TrainingData,
    card: RunCard,
    say: Callable[[str], None],
) -> None:
    """Record (and say) how many examples TRL kept and how many it cut at the limit."""
    card.data.n_trained = len(prepared)
    card.data.n_truncated = _count_at_limit(prepared, config.max_seq_len)
    if card.data.n_truncated:
        say(
            f"note: {card.data.n_truncated} of {card.data.n_trained} examples reach "
            f"--max-seq-len {config.max_seq_len} and are cut there"
        )
    if card.data.n_trained < data.n_examples:
        say(
            f"note: {data.n_examples - card.data.n_trained} examples had no trained token "
            "left after truncation and were dropped"
        )


def _load(cls: Any, name: str, what: str, **kwargs: Any) -> Any:
    """`cls.from_pretrained(name)`, with a plain message when the name leads nowhere."""
    try:
        return cls.from_pretrained(name, **kwargs)
    except OSError as exc:
        raise ConfigError(f"cannot load the {what} of {name}: {exc}") from None


def card_out(config: TrainConfig) -> Path:
    return Path(config.out).resolve()


def _read_template(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read chat template {path}: {exc.strerror}") from None


def _dataset(config: TrainConfig, data: TrainingData, tokenizer: Any) -> tuple[Any, str, bool]:
    """The dataset TRL trains on, how the loss is placed, and whether TRL masks it."""
    from datasets import Dataset

    if data.format == "text":
        return Dataset.from_list(data.examples), LOSS_DOCS, False
    if config.loss_on == "all":
        return Dataset.from_list(data.examples), LOSS_ALL_CHAT, False
    if _trl_can_mask(tokenizer):
        return Dataset.from_list(data.examples), LOSS_TRL, True
    rows = []
    for index, example in enumerate(data.examples):
        try:
            row = tokenize_with_assistant_mask(tokenizer, example["messages"])
        except NotPrefixPreserving as exc:
            raise ConfigError(f"{data.path}: example {index + 1}: {exc}") from None
        rows.append(row)
    return Dataset.from_list(rows), LOSS_MASKS, False


def _trl_can_mask(tokenizer: Any) -> bool:
    """True when TRL 1.16 can mask assistant turns for this template itself.

    It can when the template has `{% generation %}` markers or when TRL ships a marked
    copy of it; otherwise `get_training_chat_template` raises.
    """
    from trl.chat_template_utils import get_training_chat_template

    try:
        get_training_chat_template(tokenizer)
    except ValueError:
        return False
    return True


def _count_at_limit(dataset: Any, max_len: int) -> int:
    """Examples whose tokens reach the limit (TRL cut them there), read in batches."""
    count = 0
    for batch in dataset.select_columns(["input_ids"]).iter(batch_size=1024):
        count += sum(1 for ids in batch["input_ids"] if len(ids) >= max_len)
    return count


def _record_losses(card: RunCard, log_history: list[dict[str, Any]]) -> None:
    points = [
        LossPoint(
            step=int(entry.get("step", 0)),
            loss=float(entry["loss"]),
            epoch=entry.get("epoch"),
            learning_rate=entry.get("learning_rate"),
        )
        for entry in log_history
        if "loss" in entry
    ]
    card.loss_history = points
    card.first_loss = points[0].loss if points else None
    card.final_loss = points[-1].loss if points else None


def _device_name(torch: Any) -> str:
    if torch.cuda.is_available():
        count = torch.cuda.device_count()
        return f"{count} x {torch.cuda.get_device_name(0)}"
    return "cpu"
