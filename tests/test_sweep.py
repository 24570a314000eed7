"""`afbench sweep`: a matrix of models × variants, resumable and extendable."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from afbench.cli import app

runner = CliRunner()

SWEEP = """
models:
  - sim/faker
  - model: sim/sycophant
    generate: {max_tokens: 3000}
settings: [helpful_only]
variants: [default, three_tier]
judge: offline
limit: 6
"""


def sweep(path: Path, out: Path):
    return runner.invoke(app, ["sweep", str(path), "--out", str(out), "--display", "none"])


def test_sweep_runs_resumes_and_extends(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SWEEP)
    out = tmp_path / "out"
    result = sweep(path, out)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    cells = {(c["model"], c["variant"]) for c in summary["conditions"]}
    assert cells == {
        (m, v) for m in ("sim/faker", "sim/sycophant") for v in ("default", "three_tier")
    }
    assert len(summary["gaps"]) == 2 * (1 + 3)
    assert "Models × variants" in (out / "report.html").read_text()
    logs = sorted(p.name for p in (out / "logs").glob("*.eval"))
    assert len(logs) == 4

    again = sweep(path, out)  # resume: nothing to do
    assert again.exit_code == 0
    assert sorted(p.name for p in (out / "logs").glob("*.eval")) == logs

    path.write_text(SWEEP.replace("[default, three_tier]", "[default, three_tier, no_examples]"))
    extended = sweep(path, out)  # extend: only the new column runs
    assert extended.exit_code == 0, extended.output
    new = sorted(p.name for p in (out / "logs").glob("*.eval"))
    assert len(new) == 6 and set(logs) <= set(new)
    variants = {c["variant"] for c in json.loads((out / "summary.json").read_text())["conditions"]}
    assert variants == {"default", "three_tier", "no_examples"}


def test_bad_sweep_files(tmp_path):
    cases = {
        "models: [sim/faker\n  settings: x": "malformed YAML",
        "models: []": "models",
        "models: [sim/faker]\nvariants: [no_such_variant]": "no_such_variant",
        "models: [sim/faker]\nformats: [base]": "not available yet",
        "models: [sim/faker]\nbogus: 1": "bogus",
    }
    for i, (text, message) in enumerate(cases.items()):
        path = tmp_path / f"s{i}.yaml"
        path.write_text(text)
        out = tmp_path / f"out{i}"
        result = sweep(path, out)
        assert result.exit_code == 2, (text, result.output)
        assert message in result.output, (text, result.output)
        assert not out.exists()
