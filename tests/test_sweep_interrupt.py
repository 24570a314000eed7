"""A sweep killed part-way (SIGKILL) resumes without repeating finished samples and ends
with the summary of an uninterrupted sweep. The model is the simulator served over HTTP,
so the server counts every model call."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from inspect_ai.log import read_eval_log

from tests.support.commands import module_command, sweep_args
from tests.support.openai_server import FakeOpenAIServer
from tests.support.responders import sim_responder

SWEEP = """
models:
  - model: openai-api/local/sim-faker
    generate: {max_connections: 8}
variants: [default, three_tier]
judge: offline
limit: 25
"""


def command(path: Path, out: Path) -> list[str]:
    return module_command(*sweep_args(path, out))


def comparable(out: Path) -> dict:
    summary = json.loads((out / "summary.json").read_text())
    summary.pop("created")
    summary["settings"].pop("log_dir")
    return summary


def test_killed_sweep_resumes(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(SWEEP)
    with FakeOpenAIServer(
        responder=sim_responder("faker"), latency=0.05, models=["sim-faker"]
    ) as srv:
        env = {**os.environ, "LOCAL_BASE_URL": srv.base_url, "LOCAL_API_KEY": "k"}
        full = tmp_path / "full"
        subprocess.run(command(path, full), env=env, check=True, capture_output=True, timeout=300)
        calls_full = srv.count

        out = tmp_path / "killed"
        proc = subprocess.Popen(
            command(path, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while srv.count - calls_full < calls_full * 0.5:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(0.2)
        first = srv.count - calls_full
        done = subprocess.run(
            command(path, out), env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
        second = srv.count - calls_full - first
    # the resumed sweep made only what was missing (plus what was in flight or unflushed)
    assert second < calls_full - first + 0.25 * calls_full
    assert comparable(out) == comparable(full)
    for log in (out / "logs").glob("*.eval"):
        read_eval_log(str(log))  # none left corrupt
