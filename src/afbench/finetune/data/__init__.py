"""Training data for fine-tuning experiments: synthetic documents and the other sets.

`afbench docs generate` turns a universe context into documents that mention its facts;
`afbench sets build KIND` writes chat-format sets (scenario Q&A, anti-refusal, threat
compliance, evil-lab distress, stated values, reasoning style). Both run through
Inspect's model API, record every call in a work file so that a re-run continues where
the last one stopped, and write a data card next to their output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_exports

if TYPE_CHECKING:
    from .dedup import Deduplicator, DedupVerdict, deduplicate
    from .docs import DocsResult, agenerate_documents, generate_documents
    from .engine import CallEngine, CallResult, GenerationAborted
    from .screen import Screened, screen_answer, screen_document
    from .sets import SET_KINDS, SetResult, build_set
    from .settings import DocsConfig, SetConfig
    from .tokens import approx_tokens
    from .universe import BUILTIN_UNIVERSES, Universe, UniverseFact, load_universe
    from .worklog import WorkLog

#: Public names load on first use, so that importing one light module of this package
#: (the CLI reads `settings`) does not load the pipelines.
__getattr__ = lazy_exports(
    __name__,
    {
        "Deduplicator": "dedup",
        "DedupVerdict": "dedup",
        "deduplicate": "dedup",
        "DocsResult": "docs",
        "agenerate_documents": "docs",
        "generate_documents": "docs",
        "CallEngine": "engine",
        "CallResult": "engine",
        "GenerationAborted": "engine",
        "Screened": "screen",
        "screen_answer": "screen",
        "screen_document": "screen",
        "SET_KINDS": "sets",
        "SetResult": "sets",
        "build_set": "sets",
        "DocsConfig": "settings",
        "SetConfig": "settings",
        "approx_tokens": "tokens",
        "BUILTIN_UNIVERSES": "universe",
        "Universe": "universe",
        "UniverseFact": "universe",
        "load_universe": "universe",
        "WorkLog": "worklog",
    },
)


__all__ = [
    "BUILTIN_UNIVERSES",
    "CallEngine",
    "CallResult",
    "DedupVerdict",
    "Deduplicator",
    "DocsConfig",
    "DocsResult",
    "GenerationAborted",
    "SET_KINDS",
    "Screened",
    "SetConfig",
    "SetResult",
    "Universe",
    "UniverseFact",
    "WorkLog",
    "agenerate_documents",
    "approx_tokens",
    "build_set",
    "deduplicate",
    "generate_documents",
    "load_universe",
    "screen_answer",
    "screen_document",
]
