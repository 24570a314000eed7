"""Real transcripts read by afbench agree with their sources' own labels (bench/real_conformance.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BENCH = Path(__file__).resolve().parents[1] / "bench" / "real_conformance.py"

pytestmark = pytest.mark.skipif(
    not DATA.is_dir() or not any(DATA.glob("*.jsonl")), reason="../shared/data not present"
)


@pytest.fixture(scope="module")
def results():
    spec = importlib.util.spec_from_file_location("real_conformance", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["real_conformance"] = module
    spec.loader.exec_module(module)
    return module, module.measure(DATA)


def test_every_record_imported_or_reported(results):
    _, files = results
    assert files
    for res in files:
        imported = sum(g.records for g in res.groups.values())
        assert imported + len(res.problems) == res.lines, res.path.name
        assert all(p.line >= 1 and p.message for p in res.problems)


def test_reasoning_found_where_present(results):
    _, files = results
    for res in files:
        for key, g in res.groups.items():
            assert g.reasoning.total > 0, key
            assert g.reasoning.rate >= 0.99, (key, g.reasoning.text())


def test_outcome_agrees_with_source_tags(results):
    _, files = results
    tagged = [
        g.outcome_tagged for res in files for g in res.groups.values() if g.outcome_tagged.total
    ]
    assert tagged, "no source with accept/reject tags"
    for a in tagged:
        assert a.rate >= 0.99, a.text()
    for res in files:
        for key, g in res.groups.items():
            if g.outcome_untagged.total:
                assert g.outcome_untagged.rate >= 0.99, (key, g.outcome_untagged.text())


#: Coverage floors of the offline compliance measure (measured / labelled, per model and
#: setting). Where the source's prompt asked for the accept/reject tags (helpful-only),
#: nearly every reply carries a tag or refuses: at least 90% must be measured (94-100%
#: when written). Where it did not (the Llama file: no suffix, prefilled and often
#: unclosed scratchpads), only replies that refuse in a closed answer can be measured
#: offline (27% when written); the floor guards against that share collapsing.
COVERAGE_TAGGED = 0.90
COVERAGE_UNTAGGED = 0.25
REASONS = {"untagged_answer", "unclosed_reasoning", "setting_needs_judge"}


def test_offline_compliance_agrees_where_measured(results):
    """Harmful-request settings: >= 90% agreement with the source's judge on the measured
    samples, every labelled sample measured or counted with its reason, and coverage
    above its floor."""
    module, files = results
    totals = module.totals(files)
    assert any(g.compliance.total for g in totals.values())
    for (model, setting), g in totals.items():
        assert g.harmful_request, (model, setting)
        assert g.compliance.total + sum(g.not_measured.values()) == g.labelled, (model, setting)
        assert set(g.not_measured) <= REASONS, g.not_measured
        if g.compliance.total:
            assert g.compliance.rate >= 0.90, (model, setting, g.compliance.text())
        floor = COVERAGE_TAGGED if setting == "helpful_only" else COVERAGE_UNTAGGED
        assert g.coverage.rate >= floor, (model, setting, g.coverage.text())


def test_conditions_kept_apart(results):
    """The Llama file's four conditions are four groups, not folded together."""
    _, files = results
    conditions = {c for res in files for (m, _, c) in res.groups if "Llama" in m}
    assert {"Baseline", "Force_Compliance"} <= conditions and len(conditions) == 4


def test_table_prints(results):
    module, files = results
    text = module.table(files)
    assert "reasoning found" in text and "coverage" in text and "(all)" in text
    json.dumps([r.lines for r in files])
