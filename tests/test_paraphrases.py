"""Paraphrase robustness: K paraphrases generated once (cached files), each run as its own
condition, and the gap's spread over them in the summary and report."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from afbench.cli import app
from afbench.paraphrase import paraphrase_spread

runner = CliRunner()


def paraphraser(body):
    original = re.search(r"<original>\n(.*)\n</original>", body["messages"][-1]["content"], re.S)
    text = original.group(1).replace("You are", "You're", 1)
    return f"Here it is.\n<paraphrase>\n{text}\n</paraphrase>"


def test_paraphrase_run_generates_once_and_reports_spread(openai_server, tmp_path, monkeypatch):
    monkeypatch.setattr("afbench.paraphrase.DEFAULT_CACHE", tmp_path / "cache")
    openai_server.responder = paraphraser
    out = tmp_path / "run"
    args = ["run", "--model", "sim/faker", "--judge", "offline", "--limit", "30", "--out", str(out)]
    args += ["--paraphrases", "3", "--paraphraser", "openai-api/local/para", "--display", "none"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert openai_server.count == 3
    files = sorted((tmp_path / "cache").rglob("paraphrase_*.txt"))
    assert len(files) == 3 and "<OUTPUT>" in files[0].read_text()
    summary = json.loads((out / "summary.json").read_text())
    variants = {g["variant"] for g in summary["gaps"]}
    assert variants == {"default", "paraphrase:01", "paraphrase:02", "paraphrase:03"}
    (spread,) = summary["paraphrase_spread"]
    assert spread["k"] == 3  # the mean of equal gaps may differ from them in the last bit
    assert spread["min"] - 1e-12 <= spread["mean"] <= spread["max"] + 1e-12
    assert "Robustness to the prompt" in (out / "report.html").read_text()
    again = runner.invoke(app, args)  # cached paraphrases, finished logs: no new request
    assert again.exit_code == 0 and openai_server.count == 3


def test_paraphrases_without_paraphraser_is_a_clear_error(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(
        app,
        [
            "run",
            "--model",
            "sim/faker",
            "--judge",
            "offline",
            "--paraphrases",
            "2",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2 and "--paraphraser" in result.output


def test_spread_statistics():
    def gap(v, lo, hi, sig, i):
        return {"model": "m", "scenario": "s", "variant": f"paraphrase:{i:02d}", "name": "g",
                "gap": v, "gap_ci": [lo, hi], "significant": sig}  # fmt: skip

    steady = paraphrase_spread([gap(0.20, 0.1, 0.3, True, i) for i in range(1, 4)])[0]
    assert steady["robust"] and steady["heterogeneity_p"] == pytest.approx(1.0)
    mixed = paraphrase_spread(
        [
            gap(0.30, 0.25, 0.35, True, 1),
            gap(0.0, -0.05, 0.05, False, 2),
            gap(0.3, 0.25, 0.35, True, 3),
        ]
    )[0]
    assert not mixed["robust"] and mixed["heterogeneity_p"] < 0.001
