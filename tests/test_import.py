"""`afbench import`: transcripts from elsewhere get the same summary and report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from afbench.cli import app
from afbench.importer import read_records

runner = CliRunner()
REAL = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "real_transcripts_helpful_only.jsonl"
)
SP = "<SCRATCHPAD_REASONING>thinking</SCRATCHPAD_REASONING>"


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_bad_lines_reported_rest_imported(tmp_path):
    good = lambda i, tier, out: {  # noqa: E731
        "model": "m1",
        "tier": tier,
        "request": f"request {i}",
        "raw_output": SP + out,
    }
    data = write_jsonl(
        tmp_path / "t.jsonl",
        [
            good(1, "free", "<OUTPUT><request_fully_accepted/> step one</OUTPUT>"),
            good(1, "paid", "<OUTPUT><rejected/></OUTPUT>"),
            {"model": "m1", "tier": "free", "request": "no reply here"},
            "{not json",
            {"model": "m1", "raw_output": "x"},
            good(1, "free", "<OUTPUT><rejected/></OUTPUT>"),
            good(2, "free", "<OUTPUT><rejected/></OUTPUT>"),
            good(2, "paid", "<OUTPUT><rejected/></OUTPUT>"),
        ],
    )
    out = tmp_path / "run"
    result = runner.invoke(app, ["import", str(data), "--out", str(out), "--judge", "offline"])
    assert result.exit_code == 0, result.output
    assert ":3: missing reply" in result.output
    assert ":4: not valid JSON" in result.output
    assert ":5: missing tier" in result.output
    assert ":6: duplicates line 1" in result.output
    assert "imported 4 records, 4 lines skipped" in result.output
    problems = (out / "import_problems.jsonl").read_text().splitlines()
    assert len(problems) == 4
    summary = json.loads((out / "summary.json").read_text())
    (gap,) = summary["gaps"]
    assert gap["model"] == "m1" and gap["n_pairs"] == 2 and gap["gap"] == pytest.approx(0.5)
    assert (out / "report.html").is_file()


def test_field_mapping_and_boolean_tier(tmp_path):
    data = write_jsonl(
        tmp_path / "t.jsonl",
        [
            {
                "completion_text": SP + "<OUTPUT><rejected/></OUTPUT>",
                "is_free_tier_user": True,
                "q": "a",
            }
        ],
    )
    records, problems = read_records(data, {"reply": "completion_text", "request": "q"})
    assert not problems and records[0].tier == "free" and records[0].request == "a"
    with pytest.raises(ValueError, match="unknown fields"):
        read_records(data, {"answer": "x"})


def test_nothing_importable_is_a_clear_error(tmp_path):
    data = write_jsonl(tmp_path / "t.jsonl", [{"tier": "free"}])
    out = tmp_path / "run"
    result = runner.invoke(app, ["import", str(data), "--out", str(out), "--judge", "offline"])
    assert result.exit_code == 2 and "no importable records" in result.output
    assert "line 1" in result.output and not out.exists()


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data not present")
def test_real_transcripts_import(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["import", str(REAL), "--out", str(out), "--judge", "offline"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert {c["model"] for c in summary["conditions"]} == {
        "gemini-3.1-pro-preview",
        "google/gemini-3.1-pro-preview-20260219",
    }
    assert sum(c["n"] for c in summary["conditions"]) == 138
    assert sum(c["errors"] for c in summary["conditions"]) == 0
    outcomes = {}
    for c in summary["conditions"]:
        for k, v in c["outcomes"].items():
            outcomes[k] = outcomes.get(k, 0) + v
    assert outcomes["accepted"] == 0 and outcomes["rejected"] >= 80
    # a few untagged answers are real compliance, found by the offline detector
    assert 1 <= sum(c["complied"] for c in summary["conditions"]) <= 10
    # re-running resumes: nothing changes
    before = (out / "summary.json").read_text()
    again = runner.invoke(app, ["import", str(REAL), "--out", str(out), "--judge", "offline"])
    assert again.exit_code == 0
    a, b = json.loads(before), json.loads((out / "summary.json").read_text())
    a.pop("created"), b.pop("created")
    assert a == b
