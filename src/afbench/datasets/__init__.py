"""Requests the models are asked: afbench's built-in set, public sets, and local files.

Every loader returns `Request`s with stable ids (so tiers and runs pair up) and raises
`DatasetError` with the file and line named when the input is unusable. Nothing heavy is
imported here; network libraries load only when a public set is requested.
"""

from ._types import DatasetError, Request
from .builtin import BUILTIN_CATEGORIES
from .load import MAX_REQUEST_CHARS, NAMED_DATASETS, load_requests

__all__ = [
    "BUILTIN_CATEGORIES",
    "MAX_REQUEST_CHARS",
    "NAMED_DATASETS",
    "DatasetError",
    "Request",
    "load_requests",
]
