"""The one place afbench reaches into Inspect's private modules (`inspect_ai.*._*`).

Inspect's public API lacks a few things afbench needs; each use below says which. Keeping
them here means an Inspect upgrade that moves one of them breaks this module only, and
shows in one file what to re-check. Nothing else in `src/` or `tests/` may import from a
private Inspect module or name one in a string.

Import this module lazily (inside the function that needs it): it loads Inspect.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Private: Inspect raises it when a provider's SDK or API key is missing, and exports it
# nowhere public; afbench catches it to turn that into a one-line ModelSetupError.
from inspect_ai._util.error import PrerequisiteError

# Not private any more: Inspect now exports it as `inspect_ai.model.RetryDecision`. Offered
# here so that code which imported it from the private `inspect_ai.model._model` has one
# place to switch to; new code may import it from `inspect_ai.model` directly.
from inspect_ai.model import RetryDecision

__all__ = [
    "PrerequisiteError",
    "RetryDecision",
    "empty_model_memo",
    "huggingface_api_class",
    "is_model_info_lookup",
    "model_api_names",
    "openai_compatible_api_class",
    "settings_printed_once",
]


def huggingface_api_class() -> type[Any]:
    """Inspect's Hugging Face `ModelAPI` class, for afbench's `hf-continue` subclass.

    Private: Inspect registers its providers by name only; the classes are not exported,
    and subclassing is the only way to change how `hf` renders the prompt. Loads torch
    and transformers (the `train` extra), so call it only when the provider is built.
    """
    from inspect_ai.model._providers.hf import HuggingFaceAPI

    return HuggingFaceAPI


def is_model_info_lookup(api_key: str | None) -> bool:
    """Whether Inspect builds a provider only to look up the model's name and limits.

    Private: Inspect's `get_model_info` constructs the provider a second time with this
    placeholder key when its database does not know the model. For a local model that
    would load every weight again; `local/` answers the lookup without loading any.
    """
    from inspect_ai.model._model_info import MODEL_INFO_LOOKUP_API_KEY

    return api_key == MODEL_INFO_LOOKUP_API_KEY


def model_api_names() -> list[str]:
    """Every model provider name Inspect knows: its own, and those plug-ins registered
    (afbench's `sim`, `replay`, `hf-continue`), for "did you mean" on a mistyped provider.

    Private: Inspect's registry has no public listing of its model APIs.
    """
    import inspect_ai.model  # noqa: F401  (registers Inspect's providers)
    from inspect_ai._util.registry import registry_find, registry_info

    found = registry_find(lambda info: info.type == "modelapi")
    return sorted({registry_info(obj).name.split("/")[-1] for obj in found})


def openai_compatible_api_class() -> type[Any]:
    """Inspect's `openai-api/<name>/...` `ModelAPI` class (tests patch its retry wait).

    Private: provider classes are not exported (see `huggingface_api_class`).
    """
    from inspect_ai.model._providers.openai_compatible import OpenAICompatibleAPI

    return OpenAICompatibleAPI


@contextmanager
def empty_model_memo() -> Iterator[None]:
    """Run with an empty `get_model()` memo table, restoring the original afterwards.

    Private: Inspect memoizes `get_model()` by model string (not by environment) in a
    module global and offers no public way to clear it; a model built earlier would keep
    pointing at, e.g., a test server that has since closed.
    """
    from inspect_ai.model import _model

    saved = _model._models
    _model._models = {}
    try:
        yield
    finally:
        _model._models = saved


@contextmanager
def settings_printed_once() -> Iterator[None]:
    """Inspect's plain display without the task's settings in its closing panel.

    Why: the plain display prints a task's settings (retries, timeouts, task arguments)
    when the task starts, and the same lines again above its results, so a run showed its
    banner twice. Private: the closing panel takes its settings line from the
    `task_config` that Inspect's results module imported; while this context is open
    that name gives an empty line. If Inspect moves it, the banner is printed twice again
    and nothing else changes.
    """
    try:
        from inspect_ai._display.core import results
    except ImportError:
        yield
        return
    original = getattr(results, "task_config", None)
    if original is None:
        yield
        return
    results.task_config = lambda *args, **kwargs: ""
    try:
        yield
    finally:
        results.task_config = original
