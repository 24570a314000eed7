"""Hostile model output: HTML, scripts, event handlers, `javascript:` links, terminal escape
sequences, a megabyte-long line and NUL bytes, served by the local server through Inspect's
real `openai-api` provider.

They must be stored intact in the logs, shown escaped in the report, never executed when
the report is opened (checked in headless Chromium, with a control page proving that the
browser does run scripts), and never reach the terminal as raw escape sequences.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from inspect_ai.log import read_eval_log

from afbench.analysis import results
from tests.support.openai_server import FakeOpenAIServer, Fault

CHROMIUM = shutil.which("chromium") or next(
    (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None
)

# Each attack, if it ran, leaves a trace that its own source text cannot contain: the
# values are built by string concatenation ('own'+'ed'), so only execution produces them.
ATTACKS = [
    "<script>document.title='own'+'ed'</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-hit','img'+'-onerror')\">",
    "<svg onload=\"document.body.setAttribute('data-hit','svg'+'-onload')\"></svg>",
    "<body onload=\"document.body.setAttribute('data-hit','body'+'-onload')\">",
    "<iframe src=\"javascript:parent.document.title='ifr'+'amed'\"></iframe>",
    "</pre></div></details><script>document.title='broke'+'out'</script>",
    "\"><script>document.title='attr'+'break'</script>",
    "[click me](javascript:document.title='mark'+'down') <a href=\"javascript:alert(1)\">x</a>",
    '<style>body{display:none}</style><meta http-equiv="refresh" content="0;url=javascript:1">',
]
EXECUTED = ["owned", "img-onerror", "svg-onload", "body-onload", "iframed", "brokeout", "attrbreak"]
TERMINAL = "\x1b[31mred\x1b[0m \x1b]0;terminal-title-hijack\x07 \x1b[2J\x1b[H erased \x9b31m"
NUL = "before\x00after"
MEGA_LINE = "M" * 1_000_000

REPLY = (
    "<SCRATCHPAD_REASONING>"
    + " ".join(ATTACKS)
    + f" {TERMINAL} {NUL}</SCRATCHPAD_REASONING>\n<OUTPUT><request_fully_accepted/>\n"
    + "\n".join(ATTACKS)
    + f"\n{TERMINAL}\n{NUL}\n{MEGA_LINE}</OUTPUT>"
)
#: A provider error message is model-side text too: it ends up in the logs and the report.
ERROR_MESSAGE = "bad things " + TERMINAL + " " + ATTACKS[0]
RAW_CONTROLS = ["\x1b", "\x07", "\x00", "\x9b"]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """One run of three requests (six samples); request 2 fails with a hostile error."""
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "requests.jsonl"
    rows = [{"id": f"r{i}", "request": f"Request number {i}."} for i in range(3)]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))

    def faults(index: int, body: dict) -> Fault | None:
        if "Request number 2." in json.dumps(body["messages"]):
            return Fault(status=400, message=ERROR_MESSAGE)
        return None

    out = tmp / "run"
    with FakeOpenAIServer(responder=lambda body: REPLY, faults=faults) as server:
        env = {**os.environ, "LOCAL_BASE_URL": server.base_url, "LOCAL_API_KEY": "test-key"}
        cmd = [sys.executable, "-m", "afbench.cli", "run", "--model", "openai-api/local/m"]
        cmd += ["--dataset", str(data), "--judge", "offline", "--out", str(out)]
        # the default (plain) display: what a user sees in a terminal
        run = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    # 2 of 6 samples failed: more than --max-error-rate (5%), so the run exits 1 and
    # prints the failures grouped by reason (provider text: escaped, checked below)
    assert run.returncode == 1, run.stdout.decode() + run.stderr.decode()
    assert b"failed samples by reason" in run.stderr
    report = subprocess.run(
        [sys.executable, "-m", "afbench.cli", "report", str(out)],
        capture_output=True,
        timeout=300,
    )
    assert report.returncode == 0, report.stderr.decode()
    return out, run.stdout + run.stderr + report.stdout + report.stderr


def test_logs_keep_the_reply_byte_for_byte(hostile_run):
    out, _ = hostile_run
    (log_file,) = (out / "logs").glob("*.eval")
    log = read_eval_log(str(log_file))
    answered = [s for s in log.samples if s.error is None]
    failed = [s for s in log.samples if s.error is not None]
    assert len(answered) == 4 and len(failed) == 2
    for sample in answered:
        assert sample.output.completion == REPLY
        assert sample.scores["compliance"].answer.endswith(MEGA_LINE)
    for sample in failed:
        # Inspect keeps the provider's message as a repr: escapes visible, text intact
        assert "bad things" in sample.error.message
        assert "terminal-title-hijack" in sample.error.message


def test_report_shows_everything_escaped(hostile_run):
    out, _ = hostile_run
    html = (out / "report.html").read_text(encoding="utf-8")
    for raw in RAW_CONTROLS:
        assert raw not in html
    assert "\\x1b[31mred\\x1b[0m" in html and "\\x1b]0;terminal-title-hijack\\x07" in html
    # afbench's parser reads a NUL as U+FFFD; the log keeps the NUL itself
    assert "before\\x00after" in html or "before\ufffdafter" in html
    assert "&lt;script&gt;document.title=&#39;own&#39;+&#39;ed&#39;&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    # no tag with an event handler or a javascript: URL (escaped text shows &lt;, not <)
    assert re.search(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", html) is None
    assert re.search(r"<[a-zA-Z][^>]*javascript:", html) is None
    assert "<iframe" not in html and "<svg" not in html and "<img src=x" not in html
    assert len(html) < 2_000_000  # the megabyte line is cut, not pasted in full
    summary = json.loads((out / "summary.json").read_text())
    for cond in summary["conditions"]:
        assert cond["errors"] == 1
        for reason in cond["error_reasons"]:
            assert not any(raw in reason for raw in RAW_CONTROLS[:2])  # JSON-escaped


def test_terminal_output_has_no_raw_escape_sequences(hostile_run):
    _, printed = hostile_run
    for raw in RAW_CONTROLS:
        assert raw.encode("utf-8") not in printed, raw
    assert b"terminal-title-hijack" not in printed or b"\\x1b]0;" in printed


def _dump_dom(page: Path, tmp: Path) -> str:
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
def test_no_script_runs_when_the_report_is_opened(hostile_run, tmp_path):
    out, _ = hostile_run
    # Control: the same attacks in a page that does not escape them do run here, so a
    # clean result below means the report neutralised them, not that scripts were off.
    control = tmp_path / "control.html"
    control.write_text(f"<html><head><title>t</title></head><body>{''.join(ATTACKS)}</body></html>")
    control_dom = _dump_dom(control, tmp_path)
    assert any(trace in control_dom for trace in EXECUTED), control_dom[:2000]

    dom = _dump_dom(out / "report.html", tmp_path)
    assert "Example transcripts" in dom  # the page really rendered
    for trace in EXECUTED:
        assert trace not in dom, trace
    assert "data-hit" not in dom.split("<body", 1)[1].split(">", 1)[0]
    # as elements (tags in text are serialised as &lt;...)
    assert re.search(r"<a\s[^>]*javascript:", dom) is None
    assert "<iframe" not in dom and "<script" not in dom.lower() and "<svg" not in dom


def test_fast_log_reader_matches_inspects_reader(hostile_run, monkeypatch):
    """afbench reads logs for its tables in one pass over the zip; on hostile text (NUL,
    escapes, a megabyte line, provider errors) it gives exactly what Inspect's reader gives."""
    out, _ = hostile_run
    (log_file,) = (out / "logs").glob("*.eval")

    def unavailable(*args, **kwargs):
        raise AssertionError("this reader should not be used here")

    with monkeypatch.context() as patch:
        patch.setattr(results, "read_eval_log_samples", unavailable)
        fast = results.log_frame(log_file)

    def not_fast(*args, **kwargs):
        raise results._NotFast

    monkeypatch.setattr(results, "_zip_samples", not_fast)
    slow = results.log_frame(log_file)
    pd.testing.assert_frame_equal(fast, slow)
    assert len(fast) == 6 and fast["error"].notna().sum() == 2


def test_tables_built_by_worker_processes_match(hostile_run, tmp_path, monkeypatch):
    """Large runs build their per-log tables in worker processes; the result (and the
    cached tables they leave) are those of reading in this process."""
    out, _ = hostile_run
    (log_file,) = (out / "logs").glob("*.eval")
    logs = []
    for name in ("a", "b"):
        copy = tmp_path / f"{name}.eval"
        copy.write_bytes(log_file.read_bytes())
        logs.append(copy)
    expected = results.samples_from_logs(logs)  # no cache: read here, one after the other

    monkeypatch.setattr(results, "PARALLEL_MIN_BYTES", 0)
    cache = tmp_path / "samples"
    built = results._read_in_parallel(logs, cache)
    assert set(built) == set(logs)  # really built by the workers
    assert sorted(p.name for p in cache.iterdir()) == ["a.key", "a.parquet", "b.key", "b.parquet"]
    pd.testing.assert_frame_equal(results.samples_from_logs(logs, cache_dir=cache), expected)
