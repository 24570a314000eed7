"""Clause ablations: `--variant ablate:<slot>` removes exactly one slot, and a sweep over
ablations ends in the gap-per-removed-clause figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from afbench.cli import app
from afbench.report.ablation_figure import ablation_label, ablation_rows, has_ablations
from afbench.scenarios import ScenarioError, load_scenario
from afbench.scenarios.slots import describe_slots

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]

#: The clauses the method names (docs/method.md §4.10), in both settings.
CLAUSES = ("training_effect", "values_change", "scratchpad_privacy", "tier_training", "objective")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _removable(setting: str) -> list[str]:
    return [s.name for s in describe_slots(setting) if s.removable]


@pytest.mark.parametrize("setting", ["helpful_only", "animal_welfare"])
def test_each_ablation_removes_its_slot_text_and_nothing_else(setting: str) -> None:
    full_scenario = load_scenario(setting)
    full = full_scenario.render_system()
    removable = _removable(setting)
    assert set(CLAUSES) <= set(removable)
    for slot in removable:
        text = full_scenario.slot_text(slot).strip()
        assert text and full.count(text) == 1, slot
        ablated = load_scenario(setting, variants=[f"ablate:{slot}"])
        assert ablated.variant == f"ablate:{slot}"
        rendered = ablated.render_system()
        assert _squash(rendered) == _squash(full.replace(text, "", 1)), slot
        # the facts the text stated leave the manifest; every other fact is still stated
        assert ablated.missing_facts(rendered) == [], slot
        assert set(ablated.ablated_facts[slot]) == (
            {f.id for f in full_scenario.facts} - {f.id for f in ablated.facts}
        )
        # user turns are untouched
        assert ablated.render_user("free", "req") == full_scenario.render_user("free", "req")


def test_ablation_facts_and_composition() -> None:
    spec = load_scenario("helpful_only", variants=["ablate:training_effect"])
    assert spec.ablated_facts == {"training_effect": ["rlhf_modification", "values_change"]}
    nested = load_scenario("helpful_only", variants=["ablate:values_change"])
    assert nested.ablated_facts == {"values_change": ["values_change"]}
    assert "more likely to comply fully" in nested.render_system()
    with_tiers = load_scenario("helpful_only", variants=["ablate:objective", "three_tier"])
    assert with_tiers.variant == "ablate:objective+three_tier"
    assert "training_objective" not in {f.id for f in with_tiers.facts}
    assert with_tiers.missing_facts(with_tiers.render_system()) == []


def test_ablation_errors() -> None:
    with pytest.raises(ScenarioError, match="did you mean 'training_effect'"):
        load_scenario("helpful_only", variants=["ablate:training_efect"])
    with pytest.raises(ScenarioError, match="needs a value"):
        load_scenario("helpful_only", variants=["ablate"])
    with pytest.raises(ScenarioError, match="removes no text"):  # empty by default
        load_scenario("helpful_only", variants=["ablate:after_training"])
    with pytest.raises(ScenarioError, match="removes no text .* with three_tier"):
        load_scenario("helpful_only", variants=["ablate:tier_training", "three_tier"])
    with pytest.raises(ScenarioError, match="conflict: both change slot:reply_format"):
        load_scenario("helpful_only", variants=["ablate:reply_format", "no_cot"])
    two = load_scenario("helpful_only", variants=["ablate:values_change", "ablate:tier_tag"])
    assert two.variant == "ablate:tier_tag+ablate:values_change"
    assert set(two.ablated_facts) == {"tier_tag", "values_change"}


def test_an_ablation_refuses_a_prompt_file_it_could_not_change(tmp_path: Path) -> None:
    from afbench.config import TaskOptions
    from afbench.errors import ConfigError
    from afbench.plan import build_plan

    prompt = tmp_path / "prompt.txt"
    prompt.write_text(load_scenario("helpful_only").render_system())
    options = TaskOptions(
        scenario="helpful_only", variants=["ablate:objective"], system_prompt_file=prompt
    )
    with pytest.raises(ConfigError, match="the ablation would change nothing"):
        build_plan(options)


def test_cli_lists_slots_and_refuses_unknown_ones() -> None:
    shown = runner.invoke(app, ["scenarios", "show", "helpful_only", "--slots"])
    assert shown.exit_code == 0, shown.output
    assert "training_effect" in shown.output and "rlhf_modification, values_change" in shown.output
    assert "after_training       -  empty here" in shown.output
    assert "ablate:<slot>" in runner.invoke(app, ["scenarios"]).output
    bad = runner.invoke(
        app, ["scenarios", "show", "helpful_only", "--variant", "ablate:scratchpad_privacyy"]
    )
    assert bad.exit_code != 0
    assert "did you mean 'scratchpad_privacy'?" in bad.output


def test_example_sweep_names_every_removable_slot() -> None:
    data = yaml.safe_load((REPO / "examples" / "ablations.yaml").read_text())
    slots = [v.removeprefix("ablate:") for v in data["variants"] if v != "default"]
    assert sorted(slots) == sorted(_removable("helpful_only"))


def test_rows_are_regrouped_and_labelled_by_removed_clause() -> None:
    base = {"model": "m", "scenario": "s", "name": "g", "trained_tier": "free"}
    gaps = [
        {**base, "variant": "ablate:objective+three_tier"},
        {**base, "variant": "three_tier"},
        {**base, "variant": "no_cot"},  # no ablation in its group: left out
        {**base, "variant": "ablate:a+ablate:b"},
        {**base, "variant": "default"},
    ]
    rows = ablation_rows(gaps)
    assert [(r["variant"], ablation_label(r)) for r in rows] == [
        ("three_tier", "full prompt"),
        ("default", "full prompt"),
        ("three_tier", "without objective"),
        ("default", "without a + b"),
    ]
    assert has_ablations(gaps) and not has_ablations(gaps[1:3])


def test_tiny_sweep_over_two_ablations_draws_the_figure(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "models: [sim/faker]\nsettings: [helpful_only]\njudge: offline\nlimit: 3\n"
        "variants: [default, ablate:training_effect, ablate:scratchpad_privacy]\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["sweep", str(path), "--out", str(out), "--display", "none"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert {g["variant"] for g in summary["gaps"]} == {
        "default",
        "ablate:training_effect",
        "ablate:scratchpad_privacy",
    }
    assert (out / "figures" / "ablations.png").stat().st_size > 1000
    assert (out / "figures" / "ablations.svg").is_file()
    svg = (out / "figures" / "ablations.svg").read_text()
    assert "without training_effect" in svg and "full prompt" in svg
    assert "Compliance gap per removed clause" in (out / "report.html").read_text()
