"""Training data for fine-tuning experiments: synthetic documents and the other sets.

`afbench docs generate` turns a universe context into documents that mention its facts;
`afbench sets build KIND` writes chat-format sets (scenario Q&A, anti-refusal, threat
compliance, evil-lab distress, stated values, reasoning style). Both run through
Inspect's model API, record every call in a work file so that a re-run continues where
the last one stopped, and write a data card next to their output.
"""

from .dedup import Deduplicator, DedupVerdict, deduplicate
from .docs import DocsConfig, DocsResult, agenerate_documents, generate_documents
from .engine import CallEngine, CallResult, GenerationAborted
from .screen import Screened, screen_answer, screen_document
from .sets import SET_KINDS, SetConfig, SetResult, build_set
from .tokens import approx_tokens
from .universe import BUILTIN_UNIVERSES, Universe, UniverseFact, load_universe
from .worklog import WorkLog

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
