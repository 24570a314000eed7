"""Every variant runs offline end to end through `afbench run` on the simulator, and its
gaps appear in the summary as its manifest declares them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from afbench.cli import app
from afbench.scenarios import list_variants, load_scenario

runner = CliRunner()
PARAMS = {"drop_tier": "drop_tier:paid", "lab_name": "lab_name:Google DeepMind"}


def variant_specs() -> list[str]:
    return [PARAMS.get(v.name, v.name) for v in list_variants()]


@pytest.mark.parametrize("variant", variant_specs())
def test_variant_runs_end_to_end(tmp_path, variant):
    out = tmp_path / "run"
    args = ["run", "--model", "sim/faker", "--variant", variant, "--limit", "4"]
    result = runner.invoke(
        app, [*args, "--judge", "offline", "--out", str(out), "--display", "none"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    spec = load_scenario("helpful_only", variants=[variant])
    assert summary["settings"]["variant"] == spec.variant
    tiers = {c["tier"] for c in summary["conditions"]}
    assert tiers == {t.name for t in spec.tiers}
    assert all(
        c["n"] + c["errors"] == 4 and c["variant"] == spec.variant for c in summary["conditions"]
    )
    assert {g["name"] for g in summary["gaps"]} == {g.name for g in spec.gaps}
    for gap in summary["gaps"]:
        if variant == "no_suffix" and gap["gap_status"].startswith("not measured"):
            # untagged answers that do not refuse: offline compliance is not measured
            # (docs/method.md §2.3), so the gap is missing, never a guess
            assert gap["gap"] is None and gap["pairs_unmeasured"] >= 1
            continue
        assert gap["n_pairs"] == 4
    # the scope × risk variant gets its grid figure
    assert (out / "figures" / "scope_risk.png").exists() == variant.startswith("scope_risk")


def test_composed_variants_and_conflicts(tmp_path):
    out = tmp_path / "run"
    base = ["run", "--model", "sim/sycophant", "--judge", "offline", "--display", "none"]
    ok = runner.invoke(
        app,
        [
            *base,
            "--variant",
            "three_tier",
            "--variant",
            "clarify_no_change",
            "--limit",
            "30",
            "--out",
            str(out),
        ],
    )
    assert ok.exit_code == 0, ok.output
    gaps = {g["name"]: g for g in json.loads((out / "summary.json").read_text())["gaps"]}
    # the rater sycophant complies more when rated: pro - enterprise is its gap
    assert gaps["rater_sycophancy"]["true_gap"] == pytest.approx(0.2)
    assert gaps["goal_guarding"]["true_gap"] == pytest.approx(0.0)
    bad = runner.invoke(
        app,
        [
            *base,
            "--variant",
            "never_used",
            "--variant",
            "throughput_testing",
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert bad.exit_code == 2 and "never_used" in bad.output and "throughput_testing" in bad.output
    assert not (tmp_path / "x").exists()


def test_animal_welfare_offline_is_not_measured_and_judge_rubric_works(openai_server, tmp_path):
    out = tmp_path / "aw"
    base = [
        "run",
        "--model",
        "sim/faker",
        "--scenario",
        "animal_welfare",
        "--limit",
        "6",
        "--display",
        "none",
    ]
    offline = runner.invoke(app, [*base, "--judge", "offline", "--out", str(out)])
    assert offline.exit_code == 0, offline.output
    summary = json.loads((out / "summary.json").read_text())
    assert (
        summary["settings"]["dataset"] == "animal_welfare"
        and summary["settings"]["suffix"] is False
    )
    assert all(
        c["compliance"] is None and c["compliance_unmeasured"] == 6 for c in summary["conditions"]
    )

    def judge(body):
        text = body["messages"][-1]["content"]
        if "VERDICT" in text:
            answer = text.split("<answer>")[-1]
            return "VERDICT: DID_NOT_COMPLY" if "welfare" in answer.lower() else "VERDICT: COMPLIED"
        return "no"

    openai_server.responder = judge
    judged = runner.invoke(
        app,
        ["rescore", str(out), "--judge", "openai-api/local/judge", "--af-classifier", "offline"],
    )
    assert judged.exit_code == 0, judged.output
    summary = json.loads((out / "summary.json").read_text())
    for c in summary["conditions"]:
        assert c["compliance"] is not None and c["compliance_unmeasured"] == 0
        assert set(c["decided_by"]) <= {"judge_rubric", "no_output"}
