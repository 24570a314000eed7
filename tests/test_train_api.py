"""`afbench train --backend openai|together` against local servers that speak those APIs.

The OpenAI flow runs through the real `openai` SDK (multipart upload, job creation,
polling, events) against tests/support/openai_finetune_server.py; the Together flow runs
through afbench's httpx client against the small fake of Together's endpoints below. The
tests check what a user relies on: one upload and one job, however often the command is
re-run or interrupted; the model name recorded and the evaluation command printed; a
failed job reported with the provider's reason; the key never shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from afbench.finetune.train import model_string_for, read_card
from tests.support.finetune_cli import run_train
from tests.support.openai_finetune_server import (
    JsonHandler,
    OpenAIFineTuneHandler,
    OpenAIFineTuneState,
    parse_multipart,
    serve,
)

KEY = "sk-afbench-secret-finetune-key-123"
CHAT = [
    {
        "messages": [
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": f"question {i}"},
            {"role": "assistant", "content": f"answer {i}"},
        ],
        "source": "test",
    }
    for i in range(12)
]


@pytest.fixture
def chat_file(tmp_path: Path) -> Path:
    path = tmp_path / "chat.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in CHAT))
    return path


@pytest.fixture
def doc_file(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(json.dumps({"text": f"document {i}", "id": i}) + "\n" for i in range(5))
    )
    return path


def _assert_secret_kept(result: Any, out: Path) -> None:
    assert KEY not in result.output
    for file in out.rglob("*"):
        if file.is_file():
            assert KEY not in file.read_text(errors="replace"), file


# --- OpenAI -------------------------------------------------------------------------


@pytest.fixture
def openai_ft(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIFineTuneState]:
    state = OpenAIFineTuneState(api_key=KEY)
    with serve(OpenAIFineTuneHandler, state) as root:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", root + "/v1")
        yield state


def _openai_args(data: Path, out: Path, *extra: str) -> list[str]:
    return ["--data", str(data), "--base", "gpt-4o-mini-2024-07-18", "--out", str(out),
            "--backend", "openai", "--poll-interval", "0.01", *extra]  # fmt: skip


def test_openai_job_uploads_creates_polls_and_records_the_model(
    openai_ft: OpenAIFineTuneState, chat_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ft"
    result = run_train(
        *_openai_args(chat_file, out, "--epochs", "3", "--lr-multiplier", "0.5", "--suffix", "af")
    )
    assert result.exit_code == 0, result.output

    assert len(openai_ft.uploads) == 1 and openai_ft.uploads[0]["purpose"] == "fine-tune"
    sent = [json.loads(line) for line in openai_ft.uploads[0]["content"].decode().splitlines()]
    assert sent == [{"messages": row["messages"]} for row in CHAT]  # provenance keys dropped
    assert len(openai_ft.creates) == 1
    create = openai_ft.creates[0]
    assert create["model"] == "gpt-4o-mini-2024-07-18" and create["training_file"] == "file-0"
    assert create["method"] == {
        "type": "supervised",
        "supervised": {"hyperparameters": {"n_epochs": 3, "learning_rate_multiplier": 0.5}},
    }
    assert create["suffix"] == "af" and create["seed"] == 0

    output = result.output
    assert output.index("queued") < output.index("running") < output.index("succeeded")
    card = read_card(out)
    assert card.status == "completed" and card.backend == "openai"
    assert card.job is not None and card.job.job_id == "ftjob-0" and card.job.file_id == "file-0"
    assert card.job.fine_tuned_model == openai_ft.fine_tuned_model
    assert card.job.details["trained_tokens"] == 1234
    assert [p.loss for p in card.loss_history] == [2.0, 1.1, 0.5]
    assert (card.first_loss, card.final_loss) == (2.0, 0.5)
    model = f"openai/{openai_ft.fine_tuned_model}"
    assert model_string_for(card) == card.evaluate.model == model
    assert f"--model {model}" in output and "--model openai/gpt-4o-mini-2024-07-18" in output
    _assert_secret_kept(result, out)


def test_openai_documents_become_chats_with_the_doc_prompt(
    openai_ft: OpenAIFineTuneState, doc_file: Path, tmp_path: Path
) -> None:
    result = run_train(
        *_openai_args(doc_file, tmp_path / "ft", "--doc-prompt", "Write an article.")
    )
    assert result.exit_code == 0, result.output
    first = json.loads(openai_ft.uploads[0]["content"].decode().splitlines()[0])
    assert first == {
        "messages": [
            {"role": "user", "content": "Write an article."},
            {"role": "assistant", "content": "document 0"},
        ]
    }
    assert read_card(tmp_path / "ft").hyperparameters["doc_prompt"] == "Write an article."


def test_openai_failed_job_is_reported_with_its_reason(
    openai_ft: OpenAIFineTuneState, chat_file: Path, tmp_path: Path
) -> None:
    openai_ft.statuses = ("validating_files", "failed")
    openai_ft.error = {
        "code": "invalid_training_file",
        "message": "The training file needs at least 10 examples.",
        "param": "training_file",
    }
    out = tmp_path / "ft"
    result = run_train(*_openai_args(chat_file, out))
    assert result.exit_code == 1
    assert "ftjob-0 failed" in result.output
    assert (
        "needs at least 10 examples" in result.output and "invalid_training_file" in result.output
    )
    card = read_card(out)
    assert card.status == "failed" and card.job is not None and card.job.status == "failed"
    assert card.evaluate is None and card.job.fine_tuned_model is None
    with pytest.raises(ValueError, match="no fine-tuned model yet"):
        model_string_for(card)


def test_openai_interrupt_leaves_the_job_and_rerun_reattaches(
    openai_ft: OpenAIFineTuneState, chat_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import afbench.finetune.train.api as api

    def ctrl_c(seconds: float) -> None:
        raise KeyboardInterrupt

    out = tmp_path / "ft"
    monkeypatch.setattr(api, "_sleep", ctrl_c)
    result = run_train(*_openai_args(chat_file, out))
    assert result.exit_code == 130
    assert "ftjob-0 keeps running" in result.output and "Re-run the same command" in result.output
    card = read_card(out)
    assert card.job is not None and card.job.job_id == "ftjob-0" and card.status == "submitted"

    monkeypatch.setattr(api, "_sleep", lambda seconds: None)
    result = run_train(*_openai_args(chat_file, out))
    assert result.exit_code == 0, result.output
    assert "re-attaching to openai job ftjob-0" in result.output
    assert len(openai_ft.creates) == 1 and len(openai_ft.uploads) == 1  # nothing submitted twice
    assert read_card(out).job.fine_tuned_model == openai_ft.fine_tuned_model

    # Other data in the same folder is refused rather than attached to the old job.
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps(CHAT[0]) + "\n")
    refused = run_train(*_openai_args(other, out))
    assert refused.exit_code == 2 and "records a different run" in refused.output
    assert len(openai_ft.creates) == 1


def test_openai_missing_or_wrong_key(
    openai_ft: OpenAIFineTuneState, chat_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    result = run_train(*_openai_args(chat_file, tmp_path / "a"))
    assert result.exit_code == 2 and "OPENAI_API_KEY" in result.output
    assert openai_ft.requests == []

    wrong = "sk-wrong-key-that-must-stay-hidden"
    monkeypatch.setenv("OPENAI_API_KEY", wrong)
    result = run_train(*_openai_args(chat_file, tmp_path / "b"))
    assert result.exit_code == 2 and "rejected the key in OPENAI_API_KEY" in result.output
    assert wrong not in result.output
    for file in (tmp_path / "b").rglob("*"):
        assert wrong not in file.read_text(errors="replace")


def test_openai_refuses_a_learning_rate(chat_file: Path, tmp_path: Path) -> None:
    result = run_train(*_openai_args(chat_file, tmp_path / "ft", "--lr", "1e-4"))
    assert result.exit_code == 2 and "--lr-multiplier" in result.output


# --- Together -----------------------------------------------------------------------


class TogetherState:
    def __init__(
        self, statuses: tuple[str, ...] = ("pending", "queued", "running", "completed")
    ) -> None:
        self.api_key = KEY
        self.statuses = statuses
        self.flaky_gets = 0
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.forms: list[dict[str, Any]] = []
        self.stored: dict[str, bytes] = {}
        self.put_headers: list[dict[str, str]] = []
        self.preprocessed: list[str] = []
        self.creates: list[dict[str, Any]] = []
        self.gets = 0
        self.step = 0


class TogetherHandler(JsonHandler):
    """Together's file and fine-tune endpoints, as its SDK uses them."""

    def do_PUT(self) -> None:  # the pre-signed storage URL: no auth expected
        state: TogetherState = self.state
        state.put_headers.append(dict(self.headers))
        state.stored[self.path.rsplit("/", 1)[1]] = self._body()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        if not self._authorized():
            return
        state: TogetherState = self.state
        body = self._body()
        if self.path == "/v1/files":
            form = {
                k: v.decode()
                for k, (_, v) in parse_multipart(self.headers["Content-Type"], body).items()
            }
            state.forms.append(form)
            file_id = f"file-{len(state.forms)}"
            host = self.headers["Host"]
            self._reply(
                302,
                {},
                {"Location": f"http://{host}/storage/{file_id}", "X-Together-File-Id": file_id},
            )
        elif self.path.endswith("/preprocess"):
            file_id = self.path.split("/")[3]
            state.preprocessed.append(file_id)
            self._reply(200, {"id": file_id, "object": "file", "filename": "upload.jsonl"})
        elif self.path == "/v1/fine-tunes":
            state.creates.append(json.loads(body))
            self._reply(200, self._job())
        else:
            self._reply(404, {"message": "no route"})

    def do_GET(self) -> None:
        if not self._authorized():
            return
        state: TogetherState = self.state
        if self.path != "/v1/fine-tunes/ft-0":
            self._reply(404, {"message": "no such job"})
            return
        state.gets += 1
        if state.gets <= state.flaky_gets:
            self._reply(503, {"message": "busy"})
            return
        state.step += 1
        self._reply(200, self._job())

    def _job(self) -> dict[str, Any]:
        state: TogetherState = self.state
        status = state.statuses[min(state.step, len(state.statuses) - 1)]
        job: dict[str, Any] = {
            "id": "ft-0",
            "status": status,
            "model": state.creates[0]["model"],
            "model_output_name": "afbench/Meta-Llama-3.1-8B-Instruct-Reference-af-1a2b3c",
            "adapter_output_name": "afbench/Meta-Llama-3.1-8B-Instruct-Reference-af-1a2b3c-adapter",
            "token_count": 999,
        }
        if status == "error":
            job["events"] = [
                {"message": "Job started"},
                {"message": "Training file has a malformed line 3"},
            ]
        return job


@pytest.fixture
def together(monkeypatch: pytest.MonkeyPatch) -> Iterator[TogetherState]:
    state = TogetherState()
    with serve(TogetherHandler, state) as root:
        monkeypatch.setenv("TOGETHER_API_KEY", KEY)
        monkeypatch.setenv("TOGETHER_BASE_URL", root + "/v1")
        yield state


def _together_args(data: Path, out: Path, *extra: str) -> list[str]:
    return ["--data", str(data), "--base", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
            "--out", str(out), "--backend", "together", "--poll-interval", "0.01", *extra]  # fmt: skip


def test_together_lora_job_on_documents(
    together: TogetherState, doc_file: Path, tmp_path: Path
) -> None:
    together.flaky_gets = 2  # two 503s while polling: retried, not fatal
    out = tmp_path / "tg"
    result = run_train(*_together_args(doc_file, out, "--suffix", "af"))
    assert result.exit_code == 0, result.output
    assert "polling failed (503 busy)" in result.output

    form = together.forms[0]
    assert form["purpose"] == "fine-tune" and form["file_type"] == "jsonl"
    import hashlib

    stored = together.stored["file-1"]
    assert form["checksum"] == hashlib.sha256(stored).hexdigest()
    assert [json.loads(line) for line in stored.decode().splitlines()] == [
        {"text": f"document {i}"} for i in range(5)
    ]  # Together takes documents as they are
    assert "Authorization" not in together.put_headers[0]  # the key stays off the storage URL
    assert together.preprocessed == ["file-1"]

    create = together.creates[0]
    assert create["training_file"] == "file-1" and create["n_epochs"] == 1
    assert create["training_type"] == {
        "type": "Lora", "lora_r": 64, "lora_alpha": 128, "lora_dropout": 0.0,
        "lora_trainable_modules": "all-linear",
    }  # fmt: skip
    assert create["training_method"] == {"method": "sft", "train_on_inputs": "auto"}
    assert create["learning_rate"] == 1e-4 and create["suffix"] == "af"

    card = read_card(out)
    assert card.status == "completed" and card.job is not None
    assert card.job.fine_tuned_model == "afbench/Meta-Llama-3.1-8B-Instruct-Reference-af-1a2b3c"
    assert card.job.details["adapter_output_name"].endswith("-adapter")
    assert (
        model_string_for(card) == "together/afbench/Meta-Llama-3.1-8B-Instruct-Reference-af-1a2b3c"
    )
    assert card.evaluate.command in result.output
    _assert_secret_kept(result, out)

    again = run_train(*_together_args(doc_file, out, "--suffix", "af"))
    assert again.exit_code == 0 and "re-attaching to together job ft-0" in again.output
    assert len(together.creates) == 1 and len(together.forms) == 1


def test_together_full_training_and_failure(
    together: TogetherState, chat_file: Path, tmp_path: Path
) -> None:
    together.statuses = ("pending", "running", "error")
    out = tmp_path / "tg"
    result = run_train(
        *_together_args(chat_file, out, "--method", "full", "--lr", "2e-5", "--epochs", "2")
    )
    assert result.exit_code == 1
    assert "ft-0 error" in result.output and "malformed line 3" in result.output
    create = together.creates[0]
    assert create["training_type"] == {"type": "Full"}
    assert (create["learning_rate"], create["n_epochs"]) == (2e-5, 2)
    card = read_card(out)
    assert card.status == "failed" and card.job is not None and card.job.fine_tuned_model is None


def test_together_missing_key(
    chat_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TOGETHER_API_KEY", raising=False)
    result = run_train(*_together_args(chat_file, tmp_path / "tg"))
    assert result.exit_code == 2 and "TOGETHER_API_KEY" in result.output
