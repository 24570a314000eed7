"""The fake OpenAI server, and Inspect's real `openai-api` provider talking to it.

Two layers retry a failed request when Inspect calls an OpenAI-compatible
server: the `openai` SDK inside the provider (2 retries by default, honouring
`Retry-After`), and Inspect's own loop governed by `GenerateConfig.max_retries`
/ `timeout` (exponential backoff from 3 s, which ignores `Retry-After`). The
tests below pin both, and what happens when a 200 response is not valid JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from inspect_ai.model import GenerateConfig, Model, ModelOutput, get_model

from tests.support.openai_server import DEFAULT_REPLY, FakeOpenAIServer, Fault, fail_first

MODEL = "openai-api/local/test-model"


def generate(
    prompt: str = "hi", config: GenerateConfig | None = None, **model_args: Any
) -> ModelOutput:
    """Build a fresh (unmemoized) Inspect model for the local server and call it once."""
    model: Model = get_model(MODEL, config=config or GenerateConfig(), memoize=False, **model_args)
    return asyncio.run(model.generate(prompt))


def http(
    server: FakeOpenAIServer,
    path: str,
    body: dict[str, Any] | bytes | None = None,
    key: str | None = None,
    timeout: float = 5,
) -> tuple[int, bytes]:
    """A bare HTTP call (no SDK), returning (status, body)."""
    data = body if isinstance(body, bytes | None) else json.dumps(body).encode()
    request = urllib.request.Request(server.base_url + path, data=data)
    if key is not None:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as ex:
        return ex.code, ex.read()


def chat_body(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"model": "test-model", "messages": [{"role": "user", "content": text}], **extra}


@pytest.fixture
def fast_inspect_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shorten Inspect's own retry backoff (3-6 s) to 50 ms, keeping its retry logic.

    `retry_wait()` is the provider hook Inspect consults for the wait strategy;
    classification, `max_retries` and `timeout` still run as in production.
    """
    from tenacity import wait_fixed

    from afbench._util.inspect_internals import openai_compatible_api_class

    OpenAICompatibleAPI = openai_compatible_api_class()

    monkeypatch.setattr(OpenAICompatibleAPI, "retry_wait", lambda self: wait_fixed(0.05))


# -- Inspect's openai-api provider against the server ---------------------------------


def test_fixture_points_inspect_at_server(openai_server: FakeOpenAIServer) -> None:
    assert os.environ["LOCAL_BASE_URL"] == openai_server.base_url
    assert openai_server.base_url.startswith("http://127.0.0.1:")
    assert openai_server.base_url.endswith("/v1")
    assert openai_server.api_key
    assert os.environ["LOCAL_API_KEY"] == openai_server.api_key


def test_generate_returns_responder_text_and_sends_one_request(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.responder = lambda body: "echo: " + body["messages"][-1]["content"]

    output = generate("hi there")

    assert output.completion == "echo: hi there"
    assert output.stop_reason == "stop"
    assert output.usage is not None and output.usage.output_tokens == 3
    assert openai_server.count == 1
    (body,) = openai_server.requests
    assert body["model"] == "test-model"
    assert body["messages"] == [{"role": "user", "content": "hi there"}]
    assert not body.get("stream")
    assert openai_server.authorizations == [f"Bearer {openai_server.api_key}"]


def test_default_responder_reply(openai_server: FakeOpenAIServer) -> None:
    assert generate().completion == DEFAULT_REPLY


def test_memoized_model_follows_the_fixture(openai_server: FakeOpenAIServer) -> None:
    # a memoized get_model() from an earlier test must not leak a stale port
    model = get_model(MODEL)
    assert asyncio.run(model.generate("x")).completion == DEFAULT_REPLY
    assert openai_server.count == 1


def test_rate_limit_with_retry_after_is_retried_by_sdk(openai_server: FakeOpenAIServer) -> None:
    openai_server.faults = fail_first(1, Fault.rate_limit(retry_after=0.3))

    start = time.monotonic()
    output = generate(config=GenerateConfig(max_retries=2, timeout=10))

    assert output.completion == DEFAULT_REPLY
    assert openai_server.count == 2
    assert time.monotonic() - start >= 0.3  # the SDK waited as Retry-After asked


def test_rate_limit_is_retried_by_inspect_when_sdk_retries_are_off(
    openai_server: FakeOpenAIServer, fast_inspect_retries: None
) -> None:
    openai_server.faults = fail_first(1, Fault.rate_limit(retry_after=0.1))

    # model arg max_retries=0 reaches the openai SDK client, so only Inspect retries
    output = generate(config=GenerateConfig(max_retries=2, timeout=10), max_retries=0)

    assert output.completion == DEFAULT_REPLY
    assert openai_server.count == 2


def test_inspect_max_retries_bounds_attempts(
    openai_server: FakeOpenAIServer, fast_inspect_retries: None
) -> None:
    import openai
    import tenacity

    openai_server.faults = lambda index, body: Fault.server_error(503)

    # when Inspect runs out of retries it raises tenacity's RetryError, not the
    # provider's exception (which is kept as the cause)
    with pytest.raises(tenacity.RetryError) as info:
        generate(config=GenerateConfig(max_retries=1, timeout=10), max_retries=0)
    assert isinstance(info.value.last_attempt.exception(), openai.InternalServerError)
    assert openai_server.count == 2  # one try + one retry


@pytest.mark.parametrize(
    "fault", [Fault(garbage=True), Fault(truncated=True)], ids=["garbage", "truncated"]
)
def test_broken_200_body_fails_without_retry(openai_server: FakeOpenAIServer, fault: Fault) -> None:
    # Pinned behaviour of inspect_ai 0.3.285: a 200 whose body is not valid JSON
    # raises json.JSONDecodeError out of generate() and is never retried (by the
    # SDK or by Inspect), so in an eval the sample errors.
    openai_server.faults = fail_first(1, fault)

    with pytest.raises(json.JSONDecodeError):
        generate(config=GenerateConfig(max_retries=3, timeout=10))
    assert openai_server.count == 1


def test_wrong_key_is_rejected_and_not_retried(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openai

    monkeypatch.setenv("LOCAL_API_KEY", "sk-wrong")
    with pytest.raises(openai.AuthenticationError):
        generate(config=GenerateConfig(max_retries=3, timeout=10))
    assert openai_server.authorizations == ["Bearer sk-wrong"]
    assert openai_server.count == 0  # unauthorised requests never reach the model


def test_streaming_request_fails_loudly(openai_server: FakeOpenAIServer) -> None:
    with pytest.raises(Exception, match="BadRequest"):
        generate(config=GenerateConfig(max_retries=0), stream=True)
    (body,) = openai_server.requests
    assert body["stream"] is True


# -- the server on its own --------------------------------------------------------------


def test_models_endpoint_lists_models() -> None:
    with FakeOpenAIServer(models=["a", "b"]) as server:
        status, raw = http(server, "/models")
    assert status == 200
    listing = json.loads(raw)
    assert listing["object"] == "list"
    assert [m["id"] for m in listing["data"]] == ["a", "b"]


def test_completion_shape() -> None:
    with FakeOpenAIServer(responder=lambda body: "two words") as server:
        status, raw = http(server, "/chat/completions", chat_body("one"))
    completion = json.loads(raw)
    assert status == 200
    assert completion["object"] == "chat.completion"
    assert completion["id"].startswith("chatcmpl-")
    assert isinstance(completion["created"], int)
    assert completion["model"] == "test-model"
    choice = completion["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": "two words"}
    assert choice["finish_reason"] == "stop"
    assert completion["usage"] == {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}


def test_requests_are_served_concurrently() -> None:
    n, latency = 4, 0.4
    with FakeOpenAIServer(latency=latency) as server:
        statuses: list[int] = []
        threads = [
            threading.Thread(
                target=lambda i=i: statuses.append(
                    http(server, "/chat/completions", chat_body(str(i)))[0]
                )
            )
            for i in range(n)
        ]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        assert statuses == [200] * n
        assert server.count == n
        assert sorted(b["messages"][0]["content"] for b in server.requests) == ["0", "1", "2", "3"]
    assert latency <= elapsed < latency * 2


def test_fault_plan_sees_index_and_body() -> None:
    seen: list[tuple[int, str]] = []

    def plan(index: int, body: dict[str, Any]) -> Fault | None:
        seen.append((index, body["messages"][0]["content"]))
        return Fault.rate_limit(retry_after=2) if index == 0 else None

    with FakeOpenAIServer(faults=plan) as server:
        request = urllib.request.Request(
            server.base_url + "/chat/completions", data=json.dumps(chat_body("a")).encode()
        )
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=5)
        assert info.value.code == 429
        assert info.value.headers["Retry-After"] == "2"
        assert json.loads(info.value.read())["error"]["type"] == "rate_limit_error"
        assert http(server, "/chat/completions", chat_body("b"))[0] == 200
    assert seen == [(0, "a"), (1, "b")]


def test_garbage_and_truncated_bodies() -> None:
    with FakeOpenAIServer(
        faults=lambda i, b: [Fault(garbage=True), Fault(truncated=True)][i]
    ) as server:
        garbage = http(server, "/chat/completions", chat_body())
        truncated = http(server, "/chat/completions", chat_body())
    for status, raw in (garbage, truncated):
        assert status == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw)
    assert truncated[1].startswith(b'{"id": "chatcmpl-')


def test_stall_delays_answer_and_stop_releases_it() -> None:
    with FakeOpenAIServer(faults=fail_first(1, Fault.stall(30))) as server:
        with pytest.raises(TimeoutError):
            http(server, "/chat/completions", chat_body(), timeout=0.2)
        start = time.monotonic()
    assert time.monotonic() - start < 2  # stop() does not wait out the 30 s stall


def test_stall_then_answer() -> None:
    with FakeOpenAIServer(faults=fail_first(1, Fault.stall(0.2))) as server:
        start = time.monotonic()
        assert http(server, "/chat/completions", chat_body())[0] == 200
        assert time.monotonic() - start >= 0.2


def test_bad_requests() -> None:
    with FakeOpenAIServer(api_key="k") as server:
        assert http(server, "/chat/completions", chat_body())[0] == 401
        assert http(server, "/chat/completions", b"{not json", key="k")[0] == 400
        assert http(server, "/chat/completions", {"model": "m"}, key="k")[0] == 400
        assert http(server, "/nowhere", chat_body(), key="k")[0] == 404
        assert http(server, "/chat/completions", chat_body(stream=True), key="k")[0] == 400
        assert server.authorizations == [None, "Bearer k", "Bearer k", "Bearer k", "Bearer k"]


def test_responder_error_becomes_500_and_is_recorded() -> None:
    def broken(body: dict[str, Any]) -> str:
        raise KeyError("boom")

    with FakeOpenAIServer(responder=broken) as server:
        status, raw = http(server, "/chat/completions", chat_body())
    assert status == 500
    assert "boom" in json.loads(raw)["error"]["message"]
    assert isinstance(server.errors[0], KeyError)


def test_reset_restarts_request_index() -> None:
    with FakeOpenAIServer(faults=fail_first(1, Fault.server_error())) as server:
        assert http(server, "/chat/completions", chat_body())[0] == 500
        server.reset()
        assert server.count == 0
        assert http(server, "/chat/completions", chat_body())[0] == 500


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": 429, "garbage": True},
        {"garbage": True, "truncated": True},
        {"retry_after": 1.0},
        {"status": 200},
        {"delay": -1},
    ],
)
def test_fault_rejects_contradictions(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Fault(**kwargs)
