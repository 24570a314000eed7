"""Training: `afbench train` locally (TRL + PEFT) or through the OpenAI / Together APIs.

Importing this package is light: its names load on first use (PEP 562), and torch,
transformers, TRL, PEFT, the OpenAI SDK and httpx are imported by the backend that needs
them, when it runs. The CLI reads only `config` to list the options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_exports

if TYPE_CHECKING:
    from .api import JobFailed, JobState, TransientAPIError
    from .card import RunCard, base_model_string, evaluate_block, model_string_for, read_card
    from .config import DEFAULT_LORA_ALPHA, DEFAULT_LORA_R, TrainConfig
    from .data import TrainingData, load_training_data
    from .run import train as run_training

__getattr__ = lazy_exports(
    __name__,
    {
        "JobFailed": "api",
        "JobState": "api",
        "TransientAPIError": "api",
        "RunCard": "card",
        "base_model_string": "card",
        "evaluate_block": "card",
        "model_string_for": "card",
        "read_card": "card",
        "DEFAULT_LORA_ALPHA": "config",
        "DEFAULT_LORA_R": "config",
        "TrainConfig": "config",
        "TrainingData": "data",
        "load_training_data": "data",
        "run_training": "run:train",
    },
)


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
