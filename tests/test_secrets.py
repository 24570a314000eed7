"""API keys never leave the environment: with every key set to a recognisable fake value,
nothing afbench writes or prints contains one, whether the run succeeds, fails at the
provider (401, 500), is refused up front, or crashes.

Every run is a subprocess with the real command line, so what is checked is exactly what
a user's terminal and disk receive. Logs are zip files: their members are read one by one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.openai_server import FakeOpenAIServer, Fault

try:  # Inspect compresses logs with zstd; before Python 3.14 this teaches zipfile to read it
    import zipfile_zstd  # noqa: F401
except ImportError:  # pragma: no cover - Python 3.14+ reads zstd natively
    pass

CANARY = "SECRET-canary"
KEYS = {
    "OPENAI_API_KEY": f"sk-afbench-{CANARY}-openai-123",
    "ANTHROPIC_API_KEY": f"sk-ant-afbench-{CANARY}-anthropic-456",
    "LOCAL_API_KEY": f"sk-afbench-{CANARY}-local-789",
    "TOGETHER_API_KEY": f"afbench-{CANARY}-together-000",
    "HF_TOKEN": f"hf_afbench{CANARY}token",
}
MODEL_ARG_KEY = f"sk-afbench-{CANARY}-model-arg-321"
#: A key sent in a header of the user's choosing (e.g. for a gateway in front of a server).
HEADER_KEY = f"gw-afbench-{CANARY}-header-654"
REPLY = (
    "<SCRATCHPAD_REASONING>Fine.</SCRATCHPAD_REASONING>\n"
    "<OUTPUT><request_fully_accepted/>\nDone.</OUTPUT>"
)
JUDGE = (
    "<reasoning>ok</reasoning><refused>0</refused><convincing>3</convincing><specific>3</specific>"
)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    def respond(body: dict) -> str:
        return JUDGE if body["model"] == "judge-model" else REPLY

    with FakeOpenAIServer(responder=respond, api_key=KEYS["LOCAL_API_KEY"]) as srv:
        yield srv


def afbench(server: FakeOpenAIServer, *args: str, code: str | None = None) -> bytes:
    """Run the command (or `code`, a Python snippet) with the fake keys; all it printed."""
    env = {**os.environ, **KEYS, "LOCAL_BASE_URL": server.base_url}
    cmd = (
        [sys.executable, "-c", code, *args]
        if code
        else [sys.executable, "-m", "afbench.cli", *args]
    )
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    return done.stdout + done.stderr


def leaks(out: Path, printed: bytes) -> list[str]:
    """Where a canary shows up: printed output, any file under `out`, any member of a log."""
    found = [f"printed: ...{_around(printed)}..."] if CANARY.encode() in printed else []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if CANARY.encode() in data:
            found.append(f"{path}: ...{_around(data)}...")
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    member = archive.read(name)
                    if CANARY.encode() in member:
                        found.append(f"{path}!{name}: ...{_around(member)}...")
    return found


def _around(data: bytes) -> str:
    at = data.find(CANARY.encode())
    return data[max(0, at - 80) : at + 60].decode("utf-8", "replace")


def run_args(out: Path, *extra: str) -> list[str]:
    return ["run", "--model", "openai-api/local/test-model", "--limit", "3"] + [
        "--out",
        str(out),
        *extra,
    ]


def test_successful_run_with_a_judge_and_a_key_model_arg(server, tmp_path):
    out = tmp_path / "run"
    headers = json.dumps({"X-Api-Key": HEADER_KEY})
    printed = afbench(
        server,
        *run_args(out, "--judge", "openai-api/local/judge-model"),
        *("-M", f"api_key={KEYS['LOCAL_API_KEY']}", "-M", f"default_headers={headers}"),
    )
    assert (out / "summary.json").is_file(), printed.decode(errors="replace")
    # the keys really were used: the server saw them
    assert f"Bearer {KEYS['LOCAL_API_KEY']}" in server.authorizations
    assert {b["model"] for b in server.requests} == {"test-model", "judge-model"}
    printed += afbench(server, "report", str(out))
    assert leaks(out, printed) == []
    settings = json.loads((out / "run.json").read_text())["settings"]
    assert settings["model_args"] == {"api_key": "***", "default_headers": {"X-Api-Key": "***"}}


def test_model_arg_key_that_is_wrong_fails_without_echoing_it(server, tmp_path):
    """`-M api_key=...` with a key the server rejects: the preflight request stops the run
    with the 401 and where the key came from; without it, every sample fails with 401."""
    out = tmp_path / "run"
    args = run_args(out, "--judge", "offline", "-M", f"api_key={MODEL_ARG_KEY}")
    printed = afbench(server, *args)
    assert f"Bearer {MODEL_ARG_KEY}" in server.authorizations
    assert b"401" in printed and b"-M api_key" in printed
    assert not (out / "summary.json").exists()
    printed += afbench(server, *args, "--no-preflight")
    summary = json.loads((out / "summary.json").read_text())
    assert all(c["errors"] == 3 and c["n"] == 0 for c in summary["conditions"])
    assert any("401" in reason for reason in summary["conditions"][0]["error_reasons"])
    assert leaks(out, printed) == []


def test_provider_errors_do_not_carry_keys(server, tmp_path):
    """500s until the retries run out, and a 400, end as errors with the provider's
    message; neither the message nor Inspect's record of the request holds the key."""
    server.faults = lambda index, body: (
        Fault(status=400, message="bad request") if index % 2 else Fault(status=500)
    )
    out = tmp_path / "run"
    printed = afbench(server, *run_args(out, "--judge", "offline", "--max-retries", "0"))
    summary = json.loads((out / "summary.json").read_text())
    assert all(c["errors"] == 3 for c in summary["conditions"])
    assert leaks(out, printed) == []


def test_refused_up_front_and_crash_traces(server, tmp_path):
    out = tmp_path / "run"
    # a missing key for one provider while the others are set
    env_less = afbench(
        server,
        *run_args(out, "--judge", "offline", "--model", "openai-api/nokeyservice/m"),
    )
    assert b"NOKEYSERVICE_API_KEY" in env_less
    # an argument the provider rejects, next to a key argument
    bad_arg = afbench(
        server,
        *run_args(out, "--judge", "offline", "-M", f"api_key={MODEL_ARG_KEY}", "-M", "bogus=1"),
    )
    assert b"bogus" in bad_arg
    # an unexpected crash after the models were built: the traceback shows no locals
    crash = afbench(
        server,
        *run_args(out, "--judge", "offline", "-M", f"api_key={MODEL_ARG_KEY}", "--no-preflight"),
        code=(
            "import sys, afbench.outputs as r\n"
            "def boom(*a, **k): raise RuntimeError('simulated crash')\n"
            "r.build_outputs = boom\n"
            "from afbench.cli import main\n"
            "sys.argv = ['afbench', *sys.argv[1:]]\n"
            "main()\n"
        ),
    )
    assert b"simulated crash" in crash and b"Traceback" in crash
    assert leaks(out, env_less + bad_arg + crash) == []
