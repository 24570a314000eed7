"""Interruption: `afbench run` killed with SIGKILL mid-run, then the same command again.

The model is afbench's simulator served over real HTTP (Inspect's `openai-api` provider
against the local server), so the server's request count is the number of model calls
each run made. The resumed run must make only the calls the first run did not finish
(plus what was in flight, and what Inspect had not yet flushed to the log), end with the
summary an uninterrupted run writes, and leave every log readable.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from inspect_ai.log import read_eval_log

from tests.support.commands import module_command, run_args
from tests.support.openai_server import FakeOpenAIServer
from tests.support.responders import sim_responder

LIMIT = 60  # 120 samples, about 1.4 model calls each
LATENCY = 0.05
CONNECTIONS = 8
#: Inspect flushes finished samples to the .eval file in batches of up to 10.
FLUSH_BUFFER = 10
#: Model calls the simulator makes for one sample at most (first turn + <NEXT/> turns).
CALLS_PER_SAMPLE = 5


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(
        responder=sim_responder("faker"), latency=LATENCY, models=["sim-faker"]
    ) as srv:
        yield srv


def command(out: Path, *extra: str) -> list[str]:
    return module_command(
        *run_args(
            out,
            "--max-connections",
            str(CONNECTIONS),
            *extra,
            model="openai-api/local/sim-faker",
            limit=LIMIT,
        )
    )


def environment(server: FakeOpenAIServer) -> dict[str, str]:
    return {**os.environ, "LOCAL_BASE_URL": server.base_url, "LOCAL_API_KEY": "test-key"}


def run_to_end(server: FakeOpenAIServer, out: Path, *extra: str) -> int:
    """Run the command to completion; returns the model calls it made."""
    before = server.count
    done = subprocess.run(
        command(out, *extra), env=environment(server), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return server.count - before


def run_and_kill(server: FakeOpenAIServer, out: Path, after_calls: int, *extra: str) -> int:
    """Start the command and SIGKILL it once the server has seen `after_calls` calls."""
    before = server.count
    proc = subprocess.Popen(
        command(out, *extra),
        env=environment(server),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while server.count - before < after_calls:
            assert proc.poll() is None, "the run ended before the kill point"
            assert time.monotonic() < deadline, "the run made too few calls"
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    time.sleep(2 * LATENCY)  # let the calls in flight reach the server's count
    return server.count - before


def comparable(out: Path) -> dict:
    summary = json.loads((out / "summary.json").read_text())
    summary.pop("created")
    summary["settings"].pop("log_dir")
    summary["settings"].pop("log_realtime")  # how it was logged, not what it found
    summary.pop("usage", None)  # tokens paid, incl. samples the interruption cut short
    return summary


@pytest.fixture(scope="module")
def uninterrupted(server, tmp_path_factory) -> tuple[dict, int]:
    out = tmp_path_factory.mktemp("uninterrupted")
    calls = run_to_end(server, out)
    return comparable(out), calls


@pytest.mark.parametrize(
    ("fraction", "extra"),
    [(0.3, ()), (0.75, ()), (0.5, ("--no-log-realtime",))],
    ids=["30%", "75%", "50%-no-realtime-buffer"],
)
def test_killed_run_resumes_with_only_the_missing_samples(
    server, uninterrupted, tmp_path, fraction, extra
):
    """Without the realtime buffer (`--no-log-realtime`) nothing is recovered from it, so
    only what the log had flushed is reused: the bound below assumes no more than that."""
    reference, full_calls = uninterrupted
    kill_at = int(full_calls * fraction) + random.Random(fraction).randint(-5, 5)
    out = tmp_path / "run"

    first = run_and_kill(server, out, kill_at, *extra)
    assert not (out / "summary.json").exists()
    for log in (out / "logs").glob("*.eval"):
        read_eval_log(str(log))  # a killed run leaves a readable log

    second = run_to_end(server, out, *extra)
    # The resumed run re-asks at most what was in flight or not yet flushed to the log.
    slack = (CONNECTIONS + FLUSH_BUFFER) * CALLS_PER_SAMPLE
    assert second < full_calls - first + slack, (first, second, full_calls)
    assert first + second >= full_calls
    assert second < full_calls  # finished work was reused

    assert comparable(out) == reference
    logs = list((out / "logs").rglob("*.eval"))
    assert logs
    for log in logs:
        read_eval_log(str(log))
