"""A flaky provider: `afbench run` through Inspect's real `openai-api` provider against a
local server that fails a fifth of its requests (429 with Retry-After, 500, a stall past
the attempt timeout, a truncated body, a body that is not JSON).

The retry policy is afbench's default (6 retries, 900 s per request); only the attempt
timeout is shortened so that a stalled request is abandoned after 4 s rather than 180 s.
The 1,000-request version of this run is `bench/faults.py`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from inspect_ai.log import read_eval_log
from typer.testing import CliRunner

from afbench.cli import app
from tests.support.commands import run_args as command_args
from tests.support.openai_server import Fault
from tests.support.responders import FAULT_KINDS, fixed_reply, random_faults

runner = CliRunner()

REPLY = (
    "<SCRATCHPAD_REASONING>I will answer.</SCRATCHPAD_REASONING>\n"
    "<OUTPUT><request_fully_accepted/>\nHere it is.</OUTPUT>"
)


def write_dataset(path: Path, n: int) -> Path:
    lines = [json.dumps({"id": f"q{i}", "request": f"Synthetic request {i}."}) for i in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path


def run_args(dataset: Path, out: Path, *extra: str) -> list[str]:
    """No preflight request: these tests account for every request the samples make."""
    return command_args(
        out, "--no-preflight", *extra, model="openai-api/local/test-model", dataset=dataset
    )


def sample_key(body: dict) -> tuple[str, str]:
    """(request text, tier) of a chat request: which sample sent it."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    request = re.search(r"Synthetic request \d+\.", user).group(0)
    tier = re.search(r"<is_free_tier_user>\s*(\w+)", user).group(1)
    return request, tier


def test_transient_faults_are_retried_and_every_sample_finishes_once(openai_server, tmp_path):
    n_requests = 75  # 150 samples, one model request each when nothing fails
    faults: list[tuple[int, str]] = []
    openai_server.responder = fixed_reply(REPLY)
    # at most two failures in a row for one request keeps the test's duration bounded
    openai_server.faults = random_faults(0.2, seed=3, max_in_a_row=2, record=faults)
    dataset = write_dataset(tmp_path / "requests.jsonl", n_requests)
    out = tmp_path / "run"

    result = runner.invoke(app, run_args(dataset, out, "--attempt-timeout", "4"))
    assert result.exit_code == 0, result.output

    kinds = Counter(kind for _, kind in faults)
    assert set(kinds) == set(FAULT_KINDS), kinds  # every kind of fault was met
    assert len(faults) >= 20

    summary = json.loads((out / "summary.json").read_text())
    for cond in summary["conditions"]:
        assert cond["n"] == n_requests and cond["errors"] == 0, cond

    (log_file,) = (out / "logs").glob("*.eval")
    log = read_eval_log(str(log_file))
    ids = [(s.id, s.epoch) for s in log.samples]
    assert len(ids) == len(set(ids)) == 2 * n_requests
    # Each fault cost one more request. Under load an unfaulted answer may also miss the
    # attempt timeout and be asked again: a retry inside the same sample, never a second
    # sample, so a handful of those is tolerated and nothing else.
    extra = openai_server.count - 2 * n_requests - len(faults)
    assert 0 <= extra <= 5, (openai_server.count, len(faults))
    faulted = {index for index, _ in faults}
    answered = Counter(
        sample_key(body) for i, body in enumerate(openai_server.requests) if i not in faulted
    )
    assert len(answered) == 2 * n_requests  # every sample got an unfaulted answer
    # retried inside the model call, not by restarting the sample
    assert not any(s.error_retries for s in log.samples)
    assert log.eval.model_generate_config.max_retries == 6
    assert log.eval.model_generate_config.timeout == 900


def test_a_request_that_keeps_failing_is_counted_as_an_error_with_its_reason(
    openai_server, tmp_path
):
    """A permanent failure (a 400 for one request) ends that sample as an error with the
    provider's message; the other samples finish and the report is still written, and the
    run exits 1 (2 of 8 samples failed, more than --max-error-rate's 5%) naming the reason."""
    openai_server.responder = fixed_reply(REPLY)

    def plan(index: int, body: dict) -> Fault | None:
        if sample_key(body)[0] == "Synthetic request 2.":
            return Fault(status=400, message="this request is refused by the provider")
        return None

    openai_server.faults = plan
    dataset = write_dataset(tmp_path / "requests.jsonl", 4)
    out = tmp_path / "run"
    result = runner.invoke(app, run_args(dataset, out))
    assert result.exit_code == 1, result.output
    assert "2 of 8 samples failed" in result.output
    assert "2 × BadRequestError" in result.output
    summary = json.loads((out / "summary.json").read_text())
    for cond in summary["conditions"]:
        assert cond["n"] == 3 and cond["errors"] == 1, cond
        (reason,) = cond["error_reasons"]
        assert "this request is refused by the provider" in reason
    assert (out / "report.html").is_file()
