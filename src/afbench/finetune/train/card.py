"""The run card: what was trained, on what, how, with what result, and how to evaluate it.

`DIR/run_card.json` is written when a run starts, updated as it goes (a provider's job id
is stored the moment the job exists, so an interrupted command can re-attach instead of
paying for a second job) and completed at the end. It is the one place a later reader
finds the data hash, the hyperparameters, the library versions and the loss curve, and
the exact afbench model string that evaluates the result (`model_string_for`).
"""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..._util.atomic import write_atomic_text
from ...errors import ConfigError

CARD_NAME = "run_card.json"

Status = Literal["running", "submitted", "completed", "failed", "interrupted"]
Engine = Literal["hf", "vllm"]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LossPoint(BaseModel):
    step: int
    loss: float
    epoch: float | None = None
    learning_rate: float | None = None


class DataInfo(BaseModel):
    path: str
    sha256: str
    format: Literal["chat", "text"]
    n_examples: int
    #: Examples left after tokenisation (examples that truncation left with no trained
    #: token are dropped by TRL); local backend only.
    n_trained: int | None = None
    #: Examples that reached --max-seq-len and were cut there; local backend only.
    n_truncated: int | None = None
    #: sha256 of the file actually sent to a provider (normalised; documents converted).
    uploaded_sha256: str | None = None


class JobInfo(BaseModel):
    """A provider's fine-tuning job (OpenAI, Together)."""

    provider: str
    file_id: str | None = None
    job_id: str | None = None
    status: str | None = None
    fine_tuned_model: str | None = None
    error: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class Evaluate(BaseModel):
    """How to evaluate the result with `afbench run` (see docs/finetuning.md)."""

    model: str
    base_model: str
    alternatives: dict[str, str] = Field(default_factory=dict)
    command: str
    notes: list[str] = Field(default_factory=list)


class RunCard(BaseModel):
    card_version: int = 1
    afbench_version: str
    status: Status
    backend: str
    method: str
    base: str
    #: The base as loaded: an absolute path for a local folder, else the model id.
    base_resolved: str
    data: DataInfo
    hyperparameters: dict[str, Any]
    loss_on: str | None = None
    library_versions: dict[str, str] = Field(default_factory=dict)
    device: str | None = None
    started_at: str
    finished_at: str | None = None
    duration_s: float | None = None
    first_loss: float | None = None
    final_loss: float | None = None
    loss_history: list[LossPoint] = Field(default_factory=list)
    checkpoints: str | None = None
    final: str | None = None
    job: JobInfo | None = None
    evaluate: Evaluate | None = None
    error: str | None = None
    command: str | None = None
    #: The run folder (`--out`), absolute.
    out: str | None = None


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Installed versions of afbench and `names` (those installed), for the record."""
    from importlib.metadata import PackageNotFoundError, version

    import afbench

    versions = {"afbench": afbench.__version__}
    for name in names:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            pass
    return versions


def card_path(out: Path) -> Path:
    return Path(out) / CARD_NAME


def write_card(out: Path, card: RunCard) -> None:
    text = json.dumps(card.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    write_atomic_text(card_path(out), text, errors="backslashreplace")


def read_card(source: Path | str) -> RunCard:
    """A run card from its file or from the run folder that holds it."""
    path = Path(source)
    if path.is_dir():
        path = card_path(path)
    try:
        return RunCard.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no run card at {path}") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: not a valid run card ({exc})") from None


def model_string_for(run_card: RunCard | dict[str, Any] | Path | str, engine: Engine = "hf") -> str:
    """The afbench (Inspect) model string that evaluates what this run trained.

    Local runs: `hf/<absolute path of DIR/final>` (engine "hf"): Inspect's Hugging Face
    provider calls `AutoModelForCausalLM.from_pretrained` on that folder, and transformers
    loads a PEFT adapter folder onto the base named in its `adapter_config.json`; the
    tokenizer (with its chat template) is saved beside it. Engine "vllm" gives
    `vllm/<base>:<adapter>` for an adapter (Inspect's vLLM provider then enables LoRA and
    sets the rank) and `vllm/<final>` for a fully trained model. OpenAI and Together runs
    give the provider's fine-tuned model name; asking before the job succeeded is an error.
    """
    card = _as_card(run_card)
    if card.backend == "local":
        if not card.final:
            raise ConfigError("this run has no final model yet (it has not finished)")
        final = str(Path(card.final).resolve())
        if engine == "hf":
            return f"hf/{final}"
        if card.method == "lora":
            return f"vllm/{card.base_resolved}:{final}"
        return f"vllm/{final}"
    model = card.job.fine_tuned_model if card.job else None
    if not model:
        status = card.job.status if card.job else card.status
        raise ConfigError(f"the {card.backend} job has no fine-tuned model yet (status: {status})")
    return f"{card.backend}/{model}"


def base_model_string(card: RunCard, engine: Engine = "hf") -> str:
    """The model string of the untrained base, for a side-by-side run."""
    if card.backend == "local":
        return f"{engine}/{card.base_resolved}"
    return f"{card.backend}/{card.base}"


def evaluate_block(card: RunCard) -> Evaluate:
    """The card's `evaluate` field: the model string, alternatives and a ready command."""
    model = model_string_for(card)
    base = base_model_string(card)
    alternatives: dict[str, str] = {}
    notes: list[str] = []
    if card.backend == "local":
        alternatives["vllm"] = model_string_for(card, engine="vllm")
        alternatives["vllm_base"] = base_model_string(card, engine="vllm")
        notes.append(
            "hf/ loads the model in the afbench process (fine for small models); for large "
            "models serve it with vLLM: --model " + alternatives["vllm"]
        )
    if card.data.format == "text":
        notes.append(
            "trained on documents: the facts of the scenario are meant to come from training, "
            "so evaluate with a minimal system prompt that states no training details "
            "(see docs/finetuning.md)"
        )
    out = str(Path(card.out) / "eval") if card.out else "runs/eval-finetuned"
    argv = ["afbench", "run", "--model", base, "--model", model, "--out", out]
    if model.startswith("hf/"):
        # Inspect's hf provider samples unless told not to, and rejects temperature 0
        # (afbench's default) when sampling: greedy decoding needs do_sample=false.
        argv += ["-M", "do_sample=false"]
    command = shlex.join(argv)
    return Evaluate(
        model=model, base_model=base, alternatives=alternatives, command=command, notes=notes
    )


def _as_card(run_card: RunCard | dict[str, Any] | Path | str) -> RunCard:
    if isinstance(run_card, RunCard):
        return run_card
    if isinstance(run_card, dict):
        return RunCard.model_validate(run_card)
    return read_card(run_card)
