"""Fine-tuning experiments: training data (synthetic documents and other sets), training,
and evaluation of what was trained.

Nothing is imported here: each subpackage loads its own (sometimes heavy) dependencies
when it is used, and its public names on first use (`lazy_exports`), so `import
afbench.finetune.data` never pulls in torch, and the training code never pulls in the
generation pipeline.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A package's `__getattr__` (PEP 562) that loads each public name on first use:
    `exports` maps a name to `module` or `module:attribute` within `package`."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = exports[name].partition(":")
        return getattr(importlib.import_module(f"{package}.{module}"), attribute or name)

    return __getattr__
