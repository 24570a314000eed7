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


def test_offline_compliance_vs_source_judge(results):
    """Helpful-only: the offline decision matches the source's graders. The other setting
    (animal-welfare requests, GPT-4o judge) is only measured: the refusal detector was not
    built for it (63% agreement when written)."""
    _, files = results
    for res in files:
        for (model, setting), g in res.groups.items():
            if setting == "helpful_only" and g.compliance.total:
                assert g.compliance.rate >= 0.95, (model, g.compliance.text())


def test_table_prints(results):
    module, files = results
    text = module.table(files)
    assert "reasoning found" in text and len(text.splitlines()) >= 2
    json.dumps([r.lines for r in files])
