"""A local HTTP server that speaks the OpenAI Chat Completions wire protocol.

Why it exists: afbench must show that real providers work through Inspect the
way a user with keys would run them. Mocking Inspect's model layer would skip
the parts most likely to break (the `openai` SDK, HTTP, retries, error
handling), so the tests instead point Inspect's real `openai-api` provider at
this server over a real socket on 127.0.0.1:

    with FakeOpenAIServer(responder=lambda body: "ok") as server:
        os.environ["LOCAL_BASE_URL"] = server.base_url
        os.environ["LOCAL_API_KEY"] = "anything"
        model = get_model("openai-api/local/test-model", memoize=False)

Only the standard library is used. Requests are served by a
`ThreadingHTTPServer` in a daemon thread, one thread per connection, so
concurrent requests are answered concurrently (a stalled request does not hold
up the others).

Faults (rate limits, server errors, stalls, broken bodies) are injected per
request through a `faults` callable so that reliability tests can script
exactly what a flaky provider does, and in what order.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "DEFAULT_REPLY",
    "Fault",
    "FaultPlan",
    "FakeOpenAIServer",
    "PrefixCache",
    "Reply",
    "RoutePlan",
    "four_char_tokens",
    "Responder",
    "fail_first",
]

DEFAULT_REPLY = "Hello from the fake OpenAI server."
"""Assistant text returned when no responder is given."""


class Reply(BaseModel):
    """An assistant reply with the fields reasoning servers add beside its text.

    DeepSeek's API and vLLM's reasoning parsers return the model's thinking in
    `reasoning_content` (OpenRouter and newer vLLM call it `reasoning`); Inspect's
    `openai-api` provider reads either as native reasoning (`ContentReasoning`).
    """

    model_config = ConfigDict(frozen=True)

    content: str
    reasoning_content: str | None = None
    reasoning: str | None = None

    def message(self) -> dict[str, Any]:
        """The `choices[0].message` object of the completion."""
        extra = {
            k: v for k, v in (("reasoning_content", self.reasoning_content),
                              ("reasoning", self.reasoning)) if v is not None
        }  # fmt: skip
        return {"role": "assistant", "content": self.content, **extra}


Responder = Callable[[dict[str, Any]], str | Reply]
"""Maps a parsed chat-completions request body to the assistant's reply: its text, or a
`Reply` with reasoning fields as well."""


class Fault(BaseModel):
    """How to misbehave when answering one request.

    Fields combine: `delay` is always applied first (a stall before any byte
    of the response is written), then exactly one of `status`, `garbage` or
    `truncated` decides the response; with none of them set the request is
    answered normally after the delay.
    """

    model_config = ConfigDict(frozen=True)

    status: int | None = Field(default=None, ge=400, le=599)
    """HTTP error status to answer with (e.g. 429, 500, 503)."""

    retry_after: float | None = Field(default=None, ge=0)
    """Seconds sent in `Retry-After` (and `retry-after-ms`) with `status`."""

    delay: float = Field(default=0.0, ge=0)
    """Seconds to stall before answering (simulates a hung provider)."""

    garbage: bool = False
    """Answer 200 with a body that is not JSON."""

    truncated: bool = False
    """Answer 200 with a valid completion whose JSON is cut in half."""

    message: str | None = None
    """Error message for `status` (a default is derived from the status)."""

    @model_validator(mode="after")
    def _one_outcome(self) -> Fault:
        outcomes = [self.status is not None, self.garbage, self.truncated]
        if sum(outcomes) > 1:
            raise ValueError("a Fault sets at most one of status, garbage, truncated")
        if self.retry_after is not None and self.status is None:
            raise ValueError("retry_after only applies together with status")
        return self

    @classmethod
    def rate_limit(cls, retry_after: float | None = None) -> Fault:
        """A 429 Too Many Requests, optionally with `Retry-After`."""
        return cls(status=429, retry_after=retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """A 5xx server error."""
        return cls(status=status)

    @classmethod
    def stall(cls, seconds: float) -> Fault:
        """Wait `seconds`, then answer normally (if the client still listens)."""
        return cls(delay=seconds)


FaultPlan = Callable[[int, dict[str, Any]], Fault | None]
"""`(request_index, body) -> Fault | None`; the index counts chat requests from 0."""

RoutePlan = Callable[[int, dict[str, Any]], dict[str, Any]]
"""`(request_index, body) -> fields`: top-level fields put into (or over) the completion,
as a router reports what served a request: `model` (the id it returned),
`system_fingerprint`, and OpenRouter's `provider`."""


def fail_first(n: int, fault: Fault) -> FaultPlan:
    """A fault plan that injects `fault` into the first `n` requests only.

    The common shape of a transient failure: the provider errors a few times
    and then recovers, so a correct client succeeds after retrying.
    """

    def plan(index: int, body: dict[str, Any]) -> Fault | None:
        return fault if index < n else None

    return plan


_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
}


def _error_body(status: int, message: str, param: str | None = None) -> dict[str, Any]:
    """An error payload shaped like OpenAI's, so the SDK maps it to its exceptions."""
    error_type = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "api_error")
    return {"error": {"message": message, "type": error_type, "param": param, "code": None}}


Tokenizer = Callable[[str], list[str]]
"""Text -> its tokens as the server bills them (default: whitespace-separated words)."""


def four_char_tokens(text: str) -> list[str]:
    """Pieces of four characters: about what OpenAI's and Anthropic's tokenizers give for
    English, for benches that bill like a provider."""
    return [text[i : i + 4] for i in range(0, len(text), 4)]


def prompt_words(body: dict[str, Any], split: Tokenizer = str.split) -> list[str]:
    """The request's prompt as the server counts it: the tokens of every message, in order."""
    words: list[str] = []
    for m in body.get("messages", []):
        words.extend(_words(m.get("content"), split))
    return words


def _words(value: Any, split: Tokenizer = str.split) -> list[str]:
    if isinstance(value, str):
        return split(value)
    if isinstance(value, list):
        return [w for part in value for w in _words(part, split)]
    if isinstance(value, dict):
        return _words(value.get("text") or value.get("content") or "", split)
    return []


class PrefixCache:
    """Billing of cached prompt prefixes as OpenAI does it: a prompt's first 1024 tokens,
    then each further 128, are cached once a request that sent them has been answered; a
    later request starting with a cached prefix has that many tokens billed as
    `cached_tokens`. Requests in flight together do not hit each other's prefixes."""

    def __init__(self, minimum: int = 1024, step: int = 128) -> None:
        self.minimum, self.step = minimum, step
        self._seen: set[bytes] = set()
        self._lock = threading.Lock()

    def keys(self, words: list[str]) -> list[tuple[int, bytes]]:
        """(prefix length, digest) of every cacheable prefix of `words`."""
        import hashlib

        digest = hashlib.sha256()
        done, out = 0, []
        for end in range(self.minimum, len(words) + 1, self.step):
            digest.update(("\0".join(words[done:end]) + "\0").encode())
            done = end
            out.append((end, digest.copy().digest()))
        return out

    def lookup(self, keys: list[tuple[int, bytes]]) -> int:
        """Tokens read from the cache: the longest prefix already stored."""
        with self._lock:
            return max((end for end, key in keys if key in self._seen), default=0)

    def store(self, keys: list[tuple[int, bytes]]) -> None:
        with self._lock:
            self._seen.update(key for _, key in keys)


def _completion(
    body: dict[str, Any],
    texts: list[str | Reply],
    cached: int = 0,
    split: Tokenizer = str.split,
) -> dict[str, Any]:
    """A `chat.completion` object answering `body` with one choice per text (or `Reply`)."""
    replies = [t if isinstance(t, Reply) else Reply(content=t) for t in texts]
    prompt_tokens = len(prompt_words(body, split))
    completion_tokens = sum(
        len(_words(r.content, split)) + len(_words(r.reasoning_content or r.reasoning or "", split))
        for r in replies
    )
    usage: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    if cached:
        usage["prompt_tokens_details"] = {"cached_tokens": cached}
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "unknown"),
        "choices": [
            {"index": i, "message": r.message(), "logprobs": None, "finish_reason": "stop"}
            for i, r in enumerate(replies)
        ],
        "usage": usage,
    }


class FakeOpenAIServer:
    """An OpenAI-compatible chat server on 127.0.0.1 with a random free port.

    Use it as a context manager (or call `start()` / `stop()`). `responder`
    and `faults` may be reassigned while the server runs, which is how a
    pytest fixture's server is customised per test.

    Recorded (thread-safe, read via properties that return copies):
    `requests` holds the parsed body of every `POST /v1/chat/completions`,
    faulted ones included; `authorizations` holds the `Authorization` header
    of every HTTP request, so tests can check which secrets went over the wire.
    """

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        faults: FaultPlan | None = None,
        latency: float = 0.0,
        api_key: str | None = None,
        models: Sequence[str] = ("test-model",),
        honour_n: bool = True,
        prefix_cache: PrefixCache | None = None,
        tokenizer: Tokenizer = str.split,
        route: RoutePlan | None = None,
    ) -> None:
        """Configure the server (it is not started until `start()`).

        Args:
            responder: Request body -> assistant text. Defaults to `DEFAULT_REPLY`.
            faults: Per-request fault plan; None means never misbehave.
            latency: Seconds added before every chat response (faulted or not).
            api_key: If set, requests without `Authorization: Bearer <api_key>`
                get 401; if None, any (or no) key is accepted.
            models: Ids listed by `GET /v1/models`.
            honour_n: Answer `n` with n choices (the responder is asked once per choice);
                False answers one choice whatever `n` says, as some servers do.
            prefix_cache: Bill repeated prompt prefixes as cached tokens (OpenAI's rule).
            tokenizer: How `usage` counts tokens (default: words; `four_char_tokens`).
            route: Per-request fields describing what served it (see `RoutePlan`).
        """
        self.responder: Responder = responder or (lambda body: DEFAULT_REPLY)
        self.faults: FaultPlan | None = faults
        self.latency = latency
        self.api_key = api_key
        self.models = list(models)
        self.honour_n = honour_n
        self.prefix_cache = prefix_cache
        self.tokenizer = tokenizer
        self.route: RoutePlan | None = route
        self._lock = threading.Lock()
        self._usage: list[dict[str, int]] = []
        self._requests: list[dict[str, Any]] = []
        self._authorizations: list[str | None] = []
        self._errors: list[BaseException] = []
        self._closing = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._closing.clear()
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-openai-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; stalled requests are released rather than waited for."""
        if self._httpd is None:
            return
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (only while started)."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. `http://127.0.0.1:PORT/v1`."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- records -----------------------------------------------------------

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Parsed bodies of all chat-completion requests so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def count(self) -> int:
        """Number of chat-completion requests received so far."""
        with self._lock:
            return len(self._requests)

    @property
    def usage(self) -> list[dict[str, int]]:
        """The `usage` billed for each answered request: prompt, cached and completion
        tokens (words), and the choices returned."""
        with self._lock:
            return [dict(u) for u in self._usage]

    @property
    def authorizations(self) -> list[str | None]:
        """`Authorization` header of every HTTP request (None when absent)."""
        with self._lock:
            return list(self._authorizations)

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised by the responder or fault plan (answered as 500)."""
        with self._lock:
            return list(self._errors)

    def reset(self) -> None:
        """Forget everything recorded so far (the request index restarts at 0)."""
        with self._lock:
            self._requests.clear()
            self._authorizations.clear()
            self._errors.clear()
            self._usage.clear()

    def iter_messages(self) -> Iterator[list[dict[str, Any]]]:
        """The `messages` list of each recorded request."""
        for body in self.requests:
            yield body.get("messages", [])

    # -- internals used by the handler -------------------------------------

    def _record_auth(self, value: str | None) -> None:
        with self._lock:
            self._authorizations.append(value)

    def _record_request(self, body: dict[str, Any]) -> int:
        with self._lock:
            self._requests.append(body)
            return len(self._requests) - 1

    def _record_usage(self, completion: dict[str, Any]) -> None:
        usage = completion["usage"]
        cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
        with self._lock:
            self._usage.append(
                {
                    "prompt": usage["prompt_tokens"],
                    "cached": cached,
                    "completion": usage["completion_tokens"],
                    "choices": len(completion["choices"]),
                }
            )

    def _record_error(self, ex: BaseException) -> None:
        with self._lock:
            self._errors.append(ex)

    def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when the server is stopping."""
        if seconds > 0:
            self._closing.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    """Serves one FakeOpenAIServer (`fake`, set on the subclass `_make_handler` makes)."""

    fake: FakeOpenAIServer

    # HTTP/1.1 keeps connections alive, as the openai SDK expects; every
    # response therefore carries an exact Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits
    # for the client's delayed ACK of the headers (~40 ms on Linux) on every response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging on stderr."""

    # -- routing -------------------------------------------------------

    def do_GET(self) -> None:
        if not self._authorized():
            return
        if self.path.rstrip("/") == "/v1/models":
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "afbench-tests"}
                for m in self.fake.models
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, _error_body(404, f"no route for GET {self.path}"))

    def do_POST(self) -> None:
        raw = self._read_body()
        if not self._authorized():
            return
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, _error_body(404, f"no route for POST {self.path}"))
            return
        try:
            body = json.loads(raw or b"null")
        except json.JSONDecodeError as ex:
            self._send_json(400, _error_body(400, f"request body is not JSON: {ex}"))
            return
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._send_json(400, _error_body(400, "body must be an object with 'messages'"))
            return
        self._chat(body)

    # -- chat completions ----------------------------------------------

    def _chat(self, body: dict[str, Any]) -> None:
        index = self.fake._record_request(body)
        cache = self.fake.prefix_cache
        keys = cache.keys(prompt_words(body, self.fake.tokenizer)) if cache is not None else []
        cached = cache.lookup(keys) if cache is not None else 0
        try:
            fault = self.fake.faults(index, body) if self.fake.faults else None
        except Exception as ex:
            self.fake._record_error(ex)
            self._send_json(500, _error_body(500, f"fault plan raised: {ex!r}"))
            return

        self.fake._sleep(self.fake.latency + (fault.delay if fault else 0.0))

        if fault is not None and fault.status is not None:
            headers: dict[str, str] = {}
            if fault.retry_after is not None:
                # integer seconds for standard parsers, exact ms for the SDK
                headers["Retry-After"] = str(max(0, round(fault.retry_after)))
                headers["retry-after-ms"] = str(int(fault.retry_after * 1000))
            message = fault.message or f"injected fault: HTTP {fault.status}"
            self._send_json(fault.status, _error_body(fault.status, message), headers)
            return

        if body.get("stream"):
            # Inspect's openai-api provider streams only when asked to
            # (`-M stream=true`, an `on_stream` callback, or
            # `stream_idle_timeout`), so the self.fake keeps to plain JSON.
            message = (
                "FakeOpenAIServer does not support streaming (stream=true); "
                "use a non-streaming request (for Inspect: -M stream=false and "
                "no stream_idle_timeout)"
            )
            self._send_json(400, _error_body(400, message, param="stream"))
            return

        n = int(body.get("n") or 1) if self.fake.honour_n else 1
        try:
            texts = [self.fake.responder(body) for _ in range(max(1, n))]
        except Exception as ex:
            self.fake._record_error(ex)
            self._send_json(500, _error_body(500, f"responder raised: {ex!r}"))
            return
        completion = _completion(body, texts, cached, self.fake.tokenizer)
        if self.fake.route is not None:
            completion.update(self.fake.route(index, body))
        self.fake._record_usage(completion)
        payload = json.dumps(completion).encode()

        if fault is not None and fault.garbage:
            self._send(200, b"<html>502 Bad Gateway (not JSON)</html>", "application/json")
        elif fault is not None and fault.truncated:
            self._send(200, payload[: len(payload) // 2], "application/json")
        else:
            self._send(200, payload, "application/json")
        if cache is not None:  # answered: its prefixes are in the cache from now on
            cache.store(keys)

    # -- plumbing ------------------------------------------------------

    def _authorized(self) -> bool:
        value = self.headers.get("Authorization")
        self.fake._record_auth(value)
        if self.fake.api_key is None or value == f"Bearer {self.fake.api_key}":
            return True
        self._send_json(401, _error_body(401, "invalid or missing API key"))
        return False

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send_json(
        self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", headers)

    def _send(
        self,
        status: int,
        payload: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up (e.g. timed out during a stall)
            self.close_connection = True


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    """A request-handler class bound to `server` (http.server wants a class)."""
    return type("Handler", (_Handler,), {"fake": server})
