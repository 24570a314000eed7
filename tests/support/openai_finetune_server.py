"""A local HTTP server that speaks OpenAI's fine-tuning API (files + fine_tuning.jobs).

`afbench train --backend openai` is tested through the real `openai` SDK over a real
socket, as a user with a key would run it; this server answers:

- `POST /v1/files` (multipart: `file`, `purpose`) → a file object;
- `POST /v1/fine_tuning/jobs` → a job, which then walks through the scripted `statuses`
  (one step per `GET`), ending `succeeded` with `fine_tuned_model`, or `failed` with an
  error;
- `GET /v1/fine_tuning/jobs/{id}` and `GET /v1/fine_tuning/jobs/{id}/events` (metrics
  events carry a loss curve).

Every request must carry `Authorization: Bearer <api_key>` (else 401). Everything it
received is kept (`uploads`, `creates`, `requests`) so tests can assert what was sent and
that nothing was sent twice. `serve(handler_class)` runs any handler class the same way
(the Together fake in tests/test_train_api.py uses it).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler], state: Any) -> Iterator[str]:
    """Run `handler` on 127.0.0.1 (its `state` attribute set); yield the root URL."""
    handler_class = type(handler.__name__, (handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Form fields of a multipart body: name → (filename, bytes)."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields[str(name)] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return fields


class JsonHandler(BaseHTTPRequestHandler):
    """Shared plumbing: auth check, JSON replies, request log, quiet logging."""

    state: Any

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self) -> bool:
        self.state.requests.append((self.command, self.path, dict(self.headers)))
        if self.headers.get("Authorization") != f"Bearer {self.state.api_key}":
            self._reply(
                401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}
            )
            return False
        return True


class OpenAIFineTuneState:
    """What the fake OpenAI server does and what it received."""

    def __init__(
        self,
        api_key: str,
        statuses: tuple[str, ...] = ("validating_files", "queued", "running", "succeeded"),
        fine_tuned_model: str = "ft:gpt-4o-mini-2024-07-18:afbench-test::abc123",
        error: dict[str, Any] | None = None,
        flaky_gets: int = 0,
    ) -> None:
        self.api_key = api_key
        self.statuses = statuses
        self.fine_tuned_model = fine_tuned_model
        self.error = error
        self.flaky_gets = flaky_gets  # answer the first N job GETs with 503
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.uploads: list[dict[str, Any]] = []
        self.creates: list[dict[str, Any]] = []
        self.gets = 0
        self.steps: dict[str, int] = {}
        self.lock = threading.Lock()

    def job(self, job_id: str) -> dict[str, Any]:
        step = min(self.steps[job_id], len(self.statuses) - 1)
        status = self.statuses[step]
        create = self.creates[int(job_id.rsplit("-", 1)[1])]
        done = status in ("succeeded", "failed", "cancelled")
        return {
            "id": job_id,
            "object": "fine_tuning.job",
            "created_at": 1_700_000_000,
            "finished_at": 1_700_000_600 if done else None,
            "model": create["model"],
            "organization_id": "org-test",
            "result_files": [],
            "seed": create.get("seed", 0),
            "status": status,
            "training_file": create["training_file"],
            "validation_file": None,
            "trained_tokens": 1234 if status == "succeeded" else None,
            "fine_tuned_model": self.fine_tuned_model if status == "succeeded" else None,
            "hyperparameters": create.get("method", {})
            .get("supervised", {})
            .get("hyperparameters", {}),
            "method": create.get("method"),
            "error": self.error if status == "failed" else None,
        }


class OpenAIFineTuneHandler(JsonHandler):
    def do_POST(self) -> None:
        if not self._authorized():
            return
        body = self._body()
        state: OpenAIFineTuneState = self.state
        if self.path == "/v1/files":
            fields = parse_multipart(self.headers["Content-Type"], body)
            filename, content = fields["file"]
            with state.lock:
                file_id = f"file-{len(state.uploads)}"
                state.uploads.append(
                    {
                        "id": file_id,
                        "filename": filename,
                        "content": content,
                        "purpose": fields["purpose"][1].decode(),
                    }
                )
            self._reply(
                200,
                {
                    "id": file_id,
                    "object": "file",
                    "bytes": len(content),
                    "created_at": int(time.time()),
                    "filename": filename,
                    "purpose": "fine-tune",
                    "status": "processed",
                },
            )
        elif self.path == "/v1/fine_tuning/jobs":
            request = json.loads(body)
            with state.lock:
                job_id = f"ftjob-{len(state.creates)}"
                state.creates.append(request)
                state.steps[job_id] = 0
            self._reply(200, state.job(job_id))
        else:
            self._reply(404, {"error": {"message": f"no route {self.path}"}})

    def do_GET(self) -> None:
        if not self._authorized():
            return
        state: OpenAIFineTuneState = self.state
        parts = self.path.split("?")[0].strip("/").split("/")
        if (
            parts[:3] != ["v1", "fine_tuning", "jobs"]
            or len(parts) < 4
            or parts[3] not in state.steps
        ):
            self._reply(404, {"error": {"message": f"no route {self.path}"}})
            return
        job_id = parts[3]
        if len(parts) == 5 and parts[4] == "events":
            events = [
                {
                    "id": f"ev-{step}",
                    "object": "fine_tuning.job.event",
                    "created_at": 1_700_000_000 + step,
                    "level": "info",
                    "message": f"Step {step}/3: training loss={loss}",
                    "type": "metrics",
                    "data": {"step": step, "train_loss": loss, "total_steps": 3},
                }
                for step, loss in ((3, 0.5), (2, 1.1), (1, 2.0))
            ]
            self._reply(200, {"object": "list", "data": events, "has_more": False})
            return
        with state.lock:
            state.gets += 1
            if state.gets <= state.flaky_gets:
                self._reply(503, {"error": {"message": "overloaded"}})
                return
            state.steps[job_id] += 1
            payload = state.job(job_id)
        self._reply(200, payload)
