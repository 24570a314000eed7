"""Shared pytest fixtures for afbench's tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.openai_server import FakeOpenAIServer
from tests.support.organism_job import ORGANISM_JOB, OrganismJob

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


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the organism job (tests/support/organism_job.py) in the background as soon as
    the selected tests are known, if one of them needs it: it then runs on the core the rest
    of the suite leaves idle, and is done (or nearly) when its tests come."""
    needs = ["organism" in getattr(item, "fixturenames", ()) for item in session.items]
    if any(needs):
        # one thread beside a suite that keeps a core busy; every core when little else runs
        alone = len(needs) - sum(needs) < 20
        threads = (os.cpu_count() or 1) if alone else 1
        root = Path(tempfile.mkdtemp(prefix="afbench-organism-"))
        session.config.stash[ORGANISM_JOB] = OrganismJob.start(root, threads=threads)


def pytest_sessionfinish(session: pytest.Session) -> None:
    job = session.config.stash.get(ORGANISM_JOB, None)
    if job is not None:
        job.stop()
        shutil.rmtree(job.root, ignore_errors=True)
