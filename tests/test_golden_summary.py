"""Golden summaries: the demo and a sweep give the same `summary.json` as before the
renovation of the run path (issue 14). The golden files were written by afbench at commit
5881334, before any of that code moved; a change of any number, label or setting fails.
Since then they have only gained keys (issue 11: `af_scored`, `af_status`,
`af_unscored_reasons`, `af_vs_truth` per condition; issue 15: `category_ci`; issue 11
again: `compliance_status`, `compliance_bounds`, `compliance_unmeasured_reasons`,
`reply_dialect` per condition, `gap_status` and `pairs_unmeasured` per gap, `tags`,
`suffix_text` and `prompt_check` in the settings; issue 15 again: `error_groups`,
`samples_done`, `samples_planned` per condition and overall, `complete` and
`samples_failed`; issue 16: `usage`, the tokens and cost per model). Two deliberate changes
of values since (both on 2026-12-07, regenerated from a fresh run and reviewed by a diff
that showed nothing else moved): the simulator's tiers now disagree in both directions
(issue 12: paid-only compliers exist, so gaps, discordant pairs and p-values moved; the
demo's gap, +22.0 pp [15.1, 28.8], still covers the simulator's true +25.0 pp), and the
offline AF classifier was rebuilt (issue 11: AF counts and rates moved). To regenerate
after a deliberate change: run the two commands below into a folder and copy each
`summary.json` over its golden file, then diff.

Volatile fields (creation time, Inspect version, absolute paths) are normalised; floats are
compared to 1e-9 so that a different but equivalent order of summation does not fail.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

from typer.testing import CliRunner

from afbench.cli import app

GOLDEN = Path(__file__).parent / "golden"


def normalised(path: Path) -> dict:
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["created"] = summary["inspect_version"] = "<volatile>"
    summary["settings"]["log_dir"] = "<out>/logs"
    if "sweep_file" in summary["settings"]:
        summary["settings"]["sweep_file"] = "<sweep file>"
    return summary


def assert_same(actual, expected, where: str = "summary") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        assert sorted(actual) == sorted(expected), f"{where}: keys differ"
        for key in expected:
            assert_same(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{where}[{i}]")
    elif isinstance(expected, float) and not isinstance(expected, bool):
        assert isinstance(actual, int | float), where
        assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12), (
            f"{where}: {actual} != {expected}"
        )
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def test_demo_summary_is_unchanged(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        app,
        ["run", "--model", "sim/faker", "--limit", "200", "--judge", "offline"]
        + ["--out", str(out), "--display", "none"],
    )
    assert result.exit_code == 0, result.output
    assert_same(normalised(out / "summary.json"), normalised(GOLDEN / "demo_summary.json"))


def test_sweep_summary_is_unchanged(tmp_path):
    sweep_file = tmp_path / "sweep.yaml"
    shutil.copy(GOLDEN / "sweep.yaml", sweep_file)
    out = tmp_path / "sweep"
    result = CliRunner().invoke(
        app, ["sweep", str(sweep_file), "--out", str(out), "--display", "none"]
    )
    assert result.exit_code == 0, result.output
    assert_same(normalised(out / "summary.json"), normalised(GOLDEN / "sweep_summary.json"))
