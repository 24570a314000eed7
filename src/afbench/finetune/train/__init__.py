"""Training: `afbench train` locally (TRL + PEFT) or through the OpenAI / Together APIs.

Importing this package is light: torch, transformers, TRL, PEFT, the OpenAI SDK and httpx
are imported by the backend that needs them, when it runs.
"""

from .api import JobFailed, JobState, TransientAPIError
from .card import (
    RunCard,
    base_model_string,
    evaluate_block,
    model_string_for,
    read_card,
)
from .config import DEFAULT_LORA_ALPHA, DEFAULT_LORA_R, TrainConfig
from .data import TrainingData, load_training_data
from .run import train as run_training

__all__ = [
    "DEFAULT_LORA_ALPHA",
    "DEFAULT_LORA_R",
    "JobFailed",
    "JobState",
    "RunCard",
    "TrainConfig",
    "TrainingData",
    "TransientAPIError",
    "base_model_string",
    "evaluate_block",
    "load_training_data",
    "model_string_for",
    "read_card",
    "run_training",
]
