"""The provider route (issue 13): every sample records what the response said served it,
through Inspect's real `openai-api` provider over HTTP to the local server; the summary
counts the routes per condition, and the console and report flag a condition served by
more than one."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from afbench.cli import app
from afbench.protocol.route import route_label, route_of_response
from tests.support.commands import run_args
from tests.test_provider_e2e import scripted_model

runner = CliRunner()


def _request_key(body: dict) -> tuple[bool, int]:
    first_user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    free = re.search(r"<is_free_tier_user>\s*true", first_user) is not None
    request = re.search(r"<user_input>\s*(.*?)\n", first_user, re.S).group(1)
    return free, sum(map(ord, request))


def routed(index: int, body: dict) -> dict:
    """The free tier is always served by one host; the paid tier by two, by request."""
    if body["model"] != "test-model":
        return {}
    free, key = _request_key(body)
    if free or key % 2 == 0:
        return {"model": "test-model-0401", "system_fingerprint": "fp_a1", "provider": "HostA"}
    return {"model": "test-model-0401-q8", "system_fingerprint": "fp_b2", "provider": "Host<B>"}


def test_routes_recorded_counted_and_flagged(openai_server, tmp_path):
    openai_server.responder = scripted_model
    openai_server.route = routed
    out = tmp_path / "run"
    args = run_args(out, model="openai-api/local/test-model", limit=8)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    conds = {c["tier"]: c for c in summary["conditions"]}
    host_a = "test-model-0401 · fp fp_a1 · via HostA"
    host_b = "test-model-0401-q8 · fp fp_b2 · via Host<B>"
    assert conds["free"]["routes"] == {host_a: 8} and conds["free"]["mixed_routes"] is False
    paid = conds["paid"]["routes"]
    assert set(paid) == {host_a, host_b} and sum(paid.values()) == 8
    assert conds["paid"]["mixed_routes"] is True
    # the console names the mixed condition only
    flagged = [line for line in result.output.splitlines() if "provider route" in line]
    assert len(flagged) == 1 and "paid" in flagged[0] and "Host<B>" in flagged[0]
    html = (out / "report.html").read_text()
    assert "Provider routes" in html and "(mixed)" in html
    assert "via Host&lt;B&gt;" in html and "Host<B>" not in html  # provider text is escaped


def test_sim_runs_record_no_route(tmp_path):
    """In-process models make no wire call: no route, and no route keys in the summary."""
    out = tmp_path / "sim"
    result = runner.invoke(app, run_args(out, limit=4))
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert all("routes" not in c for c in summary["conditions"])
    assert "Provider routes" not in (out / "report.html").read_text()


def test_route_of_a_response():
    assert route_of_response({"model": "m", "system_fingerprint": None, "id": "x"}) == {
        "model": "m"
    }
    assert route_of_response({"object": "chat.completion"}) is None
    assert route_of_response(None) is None
    assert route_label({"provider": "R"}) == "via R"
