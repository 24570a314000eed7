"""Failing loud and fast (issue 15): a dead server, a refused key or an unknown model stops
a run in seconds with one line; a run whose samples fail exits non-zero with the failures
grouped by a stable reason; an interrupted run says how far it got and how to resume;
`report` marks partial numbers and writes nothing when nothing finished; the CLI's
`--version`, "did you mean", `logs/` folders and `power --baseline 10%`.

The models are Inspect's real `openai-api` provider against the local fake server (or a
port nothing listens on), and the simulator; nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from inspect_ai.log import read_eval_log, write_eval_log
from typer.testing import CliRunner

from afbench.analysis.errors import error_groups, error_reason
from afbench.analysis.health import run_verdict
from afbench.cli import app
from tests.support.commands import module_command, run_args
from tests.support.openai_server import FakeOpenAIServer, Fault
from tests.support.responders import sim_responder

runner = CliRunner()
MODEL = "openai-api/local/test-model"
#: The issue's bound: a dead server stops the run within this many seconds.
PREFLIGHT_BOUND = 15.0


def dead_port() -> int:
    """A local port that was free a moment ago and that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


@pytest.fixture(scope="module")
def sim_run(tmp_path_factory) -> Path:
    """One small finished run of the simulator (given with two negated flags), shared by
    the tests that read a run folder (each works on its own copy)."""
    out = tmp_path_factory.mktemp("sim") / "run"
    args = run_args(out, "--no-examples", "--no-log-realtime", model="sim/faker", limit=1)
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    return out


def copy_of(run: Path, tmp_path: Path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(run, out)
    return out


# -- preflight ------------------------------------------------------------------------


def test_dead_server_stops_the_run_in_seconds_with_one_line(tmp_path):
    url = f"http://127.0.0.1:{dead_port()}/v1"
    env = {**os.environ, "FAKE_BASE_URL": url, "FAKE_API_KEY": "k"}
    out = tmp_path / "run"
    cmd = module_command(*run_args(out, model="openai-api/fake/fake", limit=40))
    start = time.monotonic()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - start
    (line,) = error_lines(done.stderr)
    assert done.returncode == 2, done.stderr
    assert url in line and "FAKE_BASE_URL" in line and "connection refused" in line, line
    assert elapsed < PREFLIGHT_BOUND, elapsed
    assert not (out / "summary.json").exists()


def test_refused_key_is_named_without_the_key(openai_server, tmp_path, monkeypatch):
    monkeypatch.setenv("LOCAL_API_KEY", "sk-wrong-key-123")
    result = runner.invoke(app, run_args(tmp_path / "run", model=MODEL, limit=2))
    (line,) = error_lines(result.output)
    assert result.exit_code == 2
    assert "401" in line and "LOCAL_API_KEY" in line and openai_server.base_url in line
    assert "sk-wrong-key-123" not in result.output
    assert openai_server.count == 0  # refused before any chat request got through


def test_unknown_model_is_named(openai_server, tmp_path):
    openai_server.faults = lambda index, body: Fault(
        status=404, message=f"The model `{body['model']}` does not exist"
    )
    result = runner.invoke(app, run_args(tmp_path / "run", model=MODEL, limit=2))
    (line,) = error_lines(result.output)
    assert result.exit_code == 2
    assert f"model '{MODEL}'" in line and "404" in line and "not found" in line
    assert openai_server.count == 1  # one probe, no retry, no sample


def test_judge_is_probed_too(openai_server, tmp_path):
    openai_server.faults = lambda index, body: (
        Fault(status=404) if body["model"] == "no-such-judge" else None
    )
    args = run_args(tmp_path / "run", model=MODEL, limit=2)
    args[args.index("--judge") + 1] = "openai-api/local/no-such-judge"
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "judge 'openai-api/local/no-such-judge'" in error_lines(result.output)[0]


def test_no_preflight_skips_it_and_retries_are_what_was_asked(
    openai_server, tmp_path, fast_inspect_retries
):
    """Every request fails (500): with --max-retries 1 each call is tried twice (no SDK
    retries on top), each sample three times (eval_set's two sample retries); all samples
    failing exits 1, the reasons grouped without addresses."""
    openai_server.faults = lambda index, body: Fault(status=500, message="upstream is down")
    out = tmp_path / "run"
    args = run_args(out, "--no-preflight", "--max-retries", "1", model=MODEL, limit=1)
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert openai_server.count == 2 * 3 * 2  # samples x sample tries x (1 + max_retries)
    assert "error: all 1 samples of" in result.output
    summary = json.loads((out / "summary.json").read_text())
    (group,) = summary["error_groups"]
    assert group["count"] == 2 and "InternalServerError" in group["reason"]
    assert "upstream is down" in group["reason"] and "0x" not in group["reason"]
    assert f"2 × {group['reason']}" in result.output
    html = (out / "report.html").read_text()
    assert "2 of 2 samples failed, by reason" in html and "upstream is down" in html
    for cond in summary["conditions"]:
        assert cond["error_reasons"] == {group["reason"]: 1}
        assert cond["error_groups"][0]["example"]


@pytest.fixture
def fast_inspect_retries(monkeypatch):
    from tenacity import wait_fixed

    from afbench._util.inspect_internals import openai_compatible_api_class

    api = openai_compatible_api_class()
    monkeypatch.setattr(api, "retry_wait", lambda self: wait_fixed(0.05))


# -- failures grouped by a stable reason ---------------------------------------------

RETRY_TRACEBACK = """Traceback (most recent call last):
httpcore2.ConnectError: All connection attempts failed

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "x.py", line 1, in f
openai.APIConnectionError: Connection error.

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
tenacity.RetryError: RetryError[<Future at {addr} state=finished raised APIConnectionError>]
"""


def test_identical_failures_share_one_reason():
    messages = [
        f"RetryError(<Future at {a} state=finished raised APIConnectionError>)"
        for a in ("0x7f8403512b50", "0x7f8402a7e790")
    ]
    reasons = [
        error_reason(m, RETRY_TRACEBACK.format(addr=a))
        for m, a in zip(messages, ("0x7f8403512b50", "0x7f8402a7e790"), strict=True)
    ]
    assert (
        reasons[0]
        == reasons[1]
        == (
            "APIConnectionError: Connection error. (cause: ConnectError: All connection attempts "
            "failed)"
        )
    )
    (group,) = error_groups(zip(reasons, messages, strict=True))
    assert group["count"] == 2 and group["example"] == messages[0]
    # without a traceback: the exception the retries ended with, not the Future's address
    assert error_reason(messages[0]) == "APIConnectionError"
    # request ids, uuids and sample ids differ per sample; the reason does not
    a = error_reason("Error code: 429 (request id: req_8f3a9c1e2b4d) for afb-0001__free")
    b = error_reason("Error code: 429 (request id: req_11aa22bb33cc) for afb-0007__paid")
    assert a == b
    # provider text is hostile text: control characters come out escaped, never raw
    assert error_reason("bad \x1b]0;title\x07 \x003\x00") == "bad \\x1b]0;title\\x07 \\x003\\x00"


def test_error_rate_above_the_limit_fails_the_run():
    def summary(n: int, errors: int) -> dict:
        cond = {"model": "m", "variant": "default", "tier": "free", "n": n, "errors": errors}
        return {"conditions": [cond], "error_groups": [], "samples_planned": n + errors}

    ok = run_verdict(summary(96, 4), complete=True, interrupted=False, max_error_rate=0.05)
    assert ok.exit_code == 0
    over = run_verdict(summary(94, 6), complete=True, interrupted=False, max_error_rate=0.05)
    assert over.exit_code == 1 and "more than --max-error-rate 5%" in over.lines[0]
    allowed = run_verdict(summary(94, 6), complete=True, interrupted=False, max_error_rate=0.1)
    assert allowed.exit_code == 0
    all_failed = run_verdict(summary(0, 3), complete=True, interrupted=False, max_error_rate=1)
    assert all_failed.exit_code == 1 and "all 3 samples" in all_failed.lines[0]


# -- interruptions and partial runs ---------------------------------------------------


def test_interrupted_run_names_progress_and_resume_command(tmp_path):
    out = tmp_path / "run"
    with FakeOpenAIServer(responder=sim_responder("faker"), latency=0.1) as server:
        env = {**os.environ, "LOCAL_BASE_URL": server.base_url, "LOCAL_API_KEY": "k"}
        cmd = module_command(*run_args(out, "--max-connections", "2", model=MODEL, limit=10))
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        # 12 of about 40 requests: under load, 6 once left no sample finished (exit 2)
        while server.count < 12:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        stdout, err = proc.communicate(timeout=120)
        stderr = err.decode()
        assert proc.returncode == 130, stderr
        assert "interrupted:" in stderr and "of 20 samples finished" in stderr
        assert f"{sys.executable} -m afbench.cli run --model {MODEL}" in stderr
        summary = json.loads((out / "summary.json").read_text())
        assert summary["complete"] is False and summary["samples_planned"] == 20
        assert 0 < summary["samples_done"] < 20
        assert all(c["samples_planned"] == 10 for c in summary["conditions"])
        assert f"partial ({summary['samples_done']} of 20 samples)" in stdout.decode()
        html = (out / "report.html").read_text()
        assert f"Partial results ({summary['samples_done']} of 20 samples finished)" in html

        # the same command again (in this process: quicker) resumes and completes the run
        resumed = runner.invoke(app, cmd[3:], env=env)
    assert resumed.exit_code == 0, resumed.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["complete"] is True and summary["samples_done"] == 20


def test_report_on_a_run_with_no_finished_sample_writes_nothing(sim_run, tmp_path):
    out = copy_of(sim_run, tmp_path)
    (log_path,) = (out / "logs").glob("*.eval")
    log = read_eval_log(str(log_path))
    log.samples, log.status, log.results = [], "cancelled", None
    write_eval_log(log, str(log_path))
    for name in ("summary.json", "summary.csv", "report.html"):
        (out / name).unlink()

    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 2
    assert "no finished samples yet" in result.output and "0 of 2 planned" in result.output
    assert not any((out / n).exists() for n in ("summary.json", "summary.csv", "report.html"))


# -- the CLI ----------------------------------------------------------------------------


def test_report_accepts_the_logs_folder(sim_run, tmp_path):
    out = copy_of(sim_run, tmp_path)
    (out / "summary.json").unlink()
    result = runner.invoke(app, ["report", str(out / "logs")])
    assert result.exit_code == 0, result.output
    assert (out / "summary.json").is_file() and not (out / "logs" / "summary.json").exists()


def test_version():
    from afbench import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith(f"afbench {__version__} ")


@pytest.mark.parametrize(
    ("extra", "suggestion"),
    [
        (("--model", "opnai/gpt-4o"), "did you mean 'openai/gpt-4o'?"),
        (("--variant", "three_teir"), "did you mean 'three_tier'?"),
        (("--scenario", "helpfull_only"), "did you mean 'helpful_only'?"),
        (("--af-classifier", "orignal"), "did you mean 'original'?"),
    ],
)
def test_did_you_mean(tmp_path, extra, suggestion):
    args = run_args(tmp_path / "run", limit=1)
    if extra[0] == "--model":
        args[args.index("--model") + 1] = extra[1]
    else:
        args += list(extra)
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and suggestion in result.output, result.output


def test_missing_key_for_the_default_judge_suggests_offline(tmp_path, monkeypatch):
    for name in ("OPENAI_API_KEY", "AZUREAI_OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    args = ["run", "--model", "sim/faker", "--out", str(tmp_path / "r"), "--display", "none"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "--judge offline" in result.output


@pytest.mark.parametrize("baseline", ["10%", "0.10"])
def test_power_baseline_as_percentage_or_fraction(baseline):
    result = runner.invoke(app, ["power", "--gap", "0.1", "--baseline", baseline, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["n"] == 202


def test_power_baseline_10_is_refused_with_both_spellings():
    result = runner.invoke(app, ["power", "--gap", "0.1", "--baseline", "10"])
    assert result.exit_code == 2 and "10%" in result.output and "0.10" in result.output


def test_help_reads_at_80_columns():
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    for panel in ("Models", "Scenario", "Scoring", "Connections and failures", "Output"):
        assert f"─ {panel} ─" in result.output
    assert "--system-prompt-file" in result.output and "…" not in result.output  # none cut
    assert "--max-error-rate" in result.output and "--no-preflight" in result.output
    assert len(lines) < 157  # the issue counted 157, most of them a few words wide


def test_negated_flags_still_work(sim_run):
    settings = json.loads((sim_run / "run.json").read_text())["settings"]
    assert settings["examples"] is False and settings["log_realtime"] is False
    args = run_args(sim_run, "--no-examples", "--examples", model="sim/faker", limit=1)
    both = runner.invoke(app, args)
    assert both.exit_code == 2 and "--examples and --no-examples" in both.output


def test_banner_shows_the_classifier_that_runs():
    from afbench.config import TaskOptions

    assert TaskOptions(judge="offline", af_classifier="improved").task_args()["af_classifier"] == (
        "offline"
    )
    assert "af_classifier" not in TaskOptions(judge="openai/gpt-4o").task_args()
