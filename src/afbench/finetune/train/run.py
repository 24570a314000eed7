"""`train(config)`: read the data, start or pick up the run in `--out`, hand it to a backend.

Every backend follows the same contract: the run card exists from the start, a re-run of
the same command continues the same run (local: from the newest checkpoint; OpenAI,
Together: the stored job is polled again, never created twice), and a re-run with other
data or settings in the same folder is refused rather than mixed into it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path

from ...errors import ConfigError
from .card import DataInfo, RunCard, card_path, library_versions, now_iso, read_card
from .config import TrainConfig
from .data import TrainingData, load_training_data


def train(config: TrainConfig, echo: Callable[[str], None] = print) -> RunCard:
    """Run (or resume) one training run and return its completed run card."""
    data = load_training_data(config.data)
    echo(f"{data.n_examples} {_KIND[data.format]} from {config.data} (sha256 {data.sha256[:12]})")
    out = Path(config.out).resolve()
    previous = read_card(card_path(out)) if card_path(out).exists() else None
    if previous is not None and not _binding(previous, out):
        previous = None  # nothing was trained or submitted: start afresh
    if previous is not None:
        check_same_run(previous, config, data)
    if config.backend == "local":
        from .local import LIBRARIES, resolve_base, train_local

        card = previous or new_card(config, data, resolve_base(config.base))
        if previous is not None and previous.status == "completed" and previous.final:
            if Path(previous.final).is_dir():
                echo(f"already trained: {previous.final} (choose another --out to train again)")
                return previous
        card.status, card.error = "running", None
        card.library_versions = library_versions(LIBRARIES)
        try:
            return train_local(config, data, card, echo)
        except BaseException as exc:
            _mark_stopped(out, card, exc)
            raise
    from .api import run_api_job

    if config.backend == "openai":
        from .openai_api import OpenAIFineTuning

        api = OpenAIFineTuning.from_env()
    else:
        from .together_api import TogetherFineTuning

        api = TogetherFineTuning.from_env()
    card = previous or new_card(config, data, config.base)
    card.library_versions = library_versions(
        ("openai",) if config.backend == "openai" else ("httpx",)
    )
    return run_api_job(api, config, data, card, out, echo)


_KIND = {"chat": "chat examples", "text": "documents"}


def _binding(previous: RunCard, out: Path) -> bool:
    """Whether the recorded run holds work a re-run must continue (and so must match)."""
    if previous.backend != "local":
        return bool(previous.job and previous.job.job_id)
    checkpoints = out / "checkpoints"
    has_checkpoint = checkpoints.is_dir() and any(checkpoints.glob("checkpoint-*"))
    return has_checkpoint or previous.status == "completed"


def new_card(config: TrainConfig, data: TrainingData, base_resolved: str) -> RunCard:
    import afbench

    return RunCard(
        afbench_version=afbench.__version__,
        status="running",
        backend=config.backend,
        method=recorded_method(config),
        base=config.base,
        base_resolved=base_resolved,
        data=DataInfo(
            path=str(Path(config.data).resolve()),
            sha256=data.sha256,
            format=data.format,
            n_examples=data.n_examples,
        ),
        hyperparameters=config.hyperparameters(),
        started_at=now_iso(),
        command=_command_line(),
        out=str(Path(config.out).resolve()),
    )


def recorded_method(config: TrainConfig) -> str:
    """OpenAI offers one supervised method (no LoRA/full choice): record that, not --method."""
    return "supervised" if config.backend == "openai" else config.method


def check_same_run(previous: RunCard, config: TrainConfig, data: TrainingData) -> None:
    """Refuse to continue a run in `--out` that was started with other data or settings."""
    current = {
        "backend": config.backend,
        "method": recorded_method(config),
        "base": config.base,
        "data sha256": data.sha256,
    } | {f"--{k.replace('_', '-')}": v for k, v in config.hyperparameters().items()}
    recorded = {
        "backend": previous.backend,
        "method": previous.method,
        "base": previous.base,
        "data sha256": previous.data.sha256,
    } | {f"--{k.replace('_', '-')}": v for k, v in previous.hyperparameters.items()}
    changed = [
        f"{key} {recorded.get(key)!r} -> {value!r}"
        for key, value in current.items()
        if _normal(recorded.get(key)) != _normal(value)
    ]
    if changed:
        raise ConfigError(
            f"{card_path(config.out)} records a different run ({'; '.join(changed)}); "
            "re-run with the same data and settings to continue it, or choose another --out"
        )


def _normal(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _mark_stopped(out: Path, card: RunCard, exc: BaseException) -> None:
    from .card import write_card

    try:
        from accelerate import PartialState

        if not PartialState().is_main_process:
            return
    except ImportError:
        pass
    card.status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
    card.error = None if isinstance(exc, KeyboardInterrupt) else f"{type(exc).__name__}: {exc}"
    card.finished_at = now_iso()
    if card_path(out).parent.is_dir():
        write_card(out, card)


def _command_line() -> str | None:
    """The `afbench train ...` command that started the run, for the record (argv holds no
    secrets: keys come from the environment only); None when called from other code."""
    argv = list(sys.argv)
    if len(argv) > 1 and Path(argv[0]).name == "afbench" and argv[1] == "train":
        return shlex.join(["afbench", *argv[1:]])
    if argv and Path(argv[0]).parts[-3:] == ("finetune", "train", "__main__.py"):
        return shlex.join(["python", "-m", "afbench.finetune.train", *argv[1:]])
    return None
