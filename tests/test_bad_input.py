"""Bad input: every case stops with a clear message and a non-zero exit before any model
call, and leaves nothing in `--out`.

The model is Inspect's real `openai-api` provider pointed at the local server, so "before
any model call" is checked by the server's own request count.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from afbench.cli import app

runner = CliRunner()

MODEL = "openai-api/local/test-model"
REPLY = (
    "<SCRATCHPAD_REASONING>Fine.</SCRATCHPAD_REASONING>\n"
    "<OUTPUT><request_fully_accepted/>\nDone.</OUTPUT>"
)


def broken_scenario(tmp: Path) -> list[str]:
    folder = tmp / "scenarios" / "broken"
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text("name: broken\ntiers:\n  - name: free\n    x: [1, 2\n")
    return ["--scenario-dir", str(tmp / "scenarios"), "--scenario", "broken"]


def dataset(name: str, content: bytes | str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        path = tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return ["--dataset", str(path)]

    return make


def under_a_file(tmp: Path) -> list[str]:
    (tmp / "afile").write_text("not a folder")
    return ["--out", str(tmp / "afile" / "sub")]


def args(*items: str) -> Callable[[Path], list[str]]:
    return lambda tmp: list(items)


# (case id, how to build the extra arguments, text the message must contain)
CASES = [
    ("malformed-yaml", broken_scenario, "manifest.yaml"),
    *(
        (case, args(option, value), message)
        for case, option, value, message in [
            ("unknown-scenario", "--scenario", "no_such_scenario", "no_such_scenario"),
            ("unknown-tier", "--tier", "gold", "gold"),
            ("unknown-variant", "--variant", "no_such_variant", "no_such_variant"),
            ("unknown-provider", "--model", "nosuchprovider/some-model", "nosuchprovider"),
            ("not-a-model-string", "--model", "gpt-4o", "provider/model"),
            ("missing-model-key", "--model", "openai-api/nokeyservice/m", "NOKEYSERVICE_API_KEY"),
            ("missing-judge-key", "--judge", "openai/gpt-4o", "OPENAI_API_KEY"),
            ("unknown-model-arg", "-M", "no_such_argument=1", "no_such_argument"),
        ]
    ),
    # every judge of a panel is checked, not only the first
    (
        "missing-panel-judge-key",
        args("--judge", "openai-api/local/judge-model", "--judge", "openai/gpt-4o"),
        "OPENAI_API_KEY",
    ),
    ("empty-dataset", dataset("empty.jsonl", ""), "empty.jsonl"),
    ("blank-dataset", dataset("blank.jsonl", "\n\n"), "blank.jsonl"),
    ("no-request-field", dataset("nofield.jsonl", '{"text_x": "hi"}\n'), "no request column"),
    ("non-utf8", dataset("latin1.jsonl", b'{"request": "caf\xe9"}\n'), "UTF-8"),
    ("non-utf8-csv", dataset("latin1.csv", b"request\ncaf\xe9\n"), "UTF-8"),
    (
        "duplicate-ids",
        dataset("dups.jsonl", '{"id": "a", "request": "x"}\n{"id": "a", "request": "y"}\n'),
        "duplicate",
    ),
    ("bad-json", dataset("bad.jsonl", '{"request": "x"\n'), "line 1"),
    (
        "one-megabyte-row",
        dataset("huge.jsonl", json.dumps({"id": "huge", "request": "y" * 1_000_000}) + "\n"),
        "--max-request-chars",
    ),
    # A value out of range: the message names the option (case id: `limit-0`, `epochs-0`,
    # `temperature-negative`, ...).
    *(
        (f"{option[2:]}-{'negative' if value == '-1' else value}", args(option, value), option)
        for option, value in [
            ("--max-request-chars", "0"),
            ("--limit", "0"),
            ("--epochs", "0"),
            ("--temperature", "-1"),
            ("--max-continuations", "-1"),
            ("--max-retries", "-1"),
            ("--timeout", "0"),
        ]  # fmt: skip
    ),
    (
        "sim-probability-out-of-range",
        args("--model", "sim/faker", "-M", "free_compliance=2"),
        "free_compliance",
    ),
    ("out-under-a-file", under_a_file, "not writable"),
]


@pytest.mark.parametrize(("build", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_stops_before_any_model_call(
    openai_server, tmp_path, monkeypatch, build, message
):
    openai_server.responder = lambda body: REPLY
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("NOKEYSERVICE_API_KEY", raising=False)
    out = tmp_path / "out"
    extra = build(tmp_path)
    cmd = ["run", "--limit", "3", "--out", str(out), "--display", "none"]
    if "--model" not in extra:
        cmd += ["--model", MODEL]
    if "--judge" not in extra:  # a repeated --judge is a panel, not a replacement
        cmd += ["--judge", "offline"]
    # later options win, so a case's --out / --limit replace the defaults
    result = runner.invoke(app, [*cmd, *extra])

    assert result.exit_code != 0, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert openai_server.count == 0
    assert not out.exists()
    if "--out" in extra:
        target = Path(extra[extra.index("--out") + 1])
        assert not target.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_output_parent(openai_server, tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        cmd = ["run", "--model", MODEL, "--judge", "offline", "--limit", "2"]
        result = runner.invoke(app, [*cmd, "--out", str(parent / "run"), "--display", "none"])
        assert result.exit_code != 0
        assert "not writable" in result.output
        assert openai_server.count == 0
    finally:
        parent.chmod(0o700)


def test_a_one_megabyte_request_is_sent_intact_when_the_limit_allows_it(openai_server, tmp_path):
    """A 1 MB request is refused by default (see the matrix above) but is legal input for
    a long-context model once `--max-request-chars` admits it: then it is sent whole, in
    both tiers, and the run ends normally."""
    openai_server.responder = lambda body: REPLY
    big = "Summarise the following text." + " lorem ipsum dolor" * 58_000
    assert len(big.encode()) > 1_000_000
    data = tmp_path / "big.jsonl"
    rows = [{"id": "big", "request": big}, {"id": "small", "request": "A short request."}]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    cmd = ["run", "--model", MODEL, "--judge", "offline", "--dataset", str(data)]
    cmd += ["--max-request-chars", "2000000"]
    result = runner.invoke(app, [*cmd, "--out", str(out), "--display", "none"])
    assert result.exit_code == 0, result.output
    assert openai_server.count == 1 + 4  # the preflight request, then 2 requests x 2 tiers
    sent = [m["content"] for body in openai_server.requests for m in body["messages"]]
    assert sum(big in text for text in sent) == 2  # once per tier, whole
    summary = json.loads((out / "summary.json").read_text())
    assert all(c["n"] == 2 and c["errors"] == 0 for c in summary["conditions"])
    assert summary["settings"]["max_request_chars"] == 2_000_000
