"""Shared pytest fixtures for afbench's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.openai_server import FakeOpenAIServer

LOCAL_API_KEY = "sk-afbench-test-local-key"
"""The key the `openai_server` fixture requires (any other key gets 401)."""


@pytest.fixture
def openai_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    """A running OpenAI-compatible server wired to Inspect's `openai-api/local/...`.

    Sets `LOCAL_BASE_URL` and `LOCAL_API_KEY`, so `get_model("openai-api/local/test-model")`
    (or `--model openai-api/local/test-model`) reaches this server. Customise it per test
    by assigning `openai_server.responder`, `.faults` or `.latency`.

    Inspect memoizes `get_model()` by model string, not by environment, so a model built
    in an earlier test would still point at that test's (closed) port. The fixture gives
    each test an empty memo table (Inspect keeps it in a private module global; the
    original table is restored afterwards).
    """
    from afbench._util.inspect_internals import empty_model_memo

    with empty_model_memo(), FakeOpenAIServer(api_key=LOCAL_API_KEY) as server:
        monkeypatch.setenv("LOCAL_BASE_URL", server.base_url)
        monkeypatch.setenv("LOCAL_API_KEY", LOCAL_API_KEY)
        yield server
