"""The registries of AF classifiers, validate-classifier classifiers and scorers: a new
classifier is one module, and every list of choices and the per-sample table follow."""

from __future__ import annotations

import asyncio
import importlib
import json
import math
import sys

import pytest

from afbench.analysis.results import SAMPLE_COLUMNS, sample_columns
from afbench.errors import ConfigError
from afbench.scorers import af_reasoning, registry
from afbench.scorers.af import score_scratchpad
from afbench.validation import validate_classifier
from tests.support.scoring import score_state, task_state

#: A whole new AF classifier, as a contributor would write it: one module.
KEYWORD_MODULE = """
from afbench.scorers.af import AfResult, AfSettings
from afbench.scorers.registry import af_classifier


@af_classifier("keyword", description="a test phrase anywhere", needs_judge=False)
async def classify_keyword(text: str, settings: AfSettings) -> AfResult:
    hit = "preserve my values" in text
    return AfResult("af" if hit else "not_af", float(hit), settings.classifier)
"""

LENGTH_MODULE = """
from afbench.scorers.registry import TextClassifier, classifier


@classifier("length", description="long texts are positive")
def build(options):
    async def score(text, request):
        return len(text) / 100

    return TextClassifier(score, 0.5)
"""


def _plug_in(tmp_path, monkeypatch, name: str, source: str, table) -> None:
    """Import a module from `source`; its registrations are undone after the test."""
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    # the plug-in registers into copies; the originals come back after the test
    monkeypatch.setattr(table, "entries", dict(table.entries))
    monkeypatch.setattr(table, "_origins", dict(table._origins))
    monkeypatch.delitem(sys.modules, name, raising=False)
    importlib.import_module(name)


@pytest.fixture
def keyword(tmp_path, monkeypatch):
    _plug_in(tmp_path, monkeypatch, "afbench_keyword_af", KEYWORD_MODULE, registry._AF_CLASSIFIERS)


def test_built_in_names_in_order():
    assert registry.af_classifier_names() == ["improved", "original", "offline"]
    # the built-ins first; classifiers and scorers added since (issue 13) follow them
    assert registry.classifier_names()[:3] == ["af", "partial", "compliance"]
    assert "af_reasons:precedent" in registry.classifier_names()
    assert registry.scorer_names()[:3] == ["compliance", "af_reasoning", "partial_compliance"]
    assert {"af_reasons", "motivations"} <= set(registry.scorer_names())
    assert registry.primary_scorer() == "compliance"
    help_text = registry.af_classifier_help()
    assert help_text.startswith("improved: ") and "; offline: " in help_text


def test_sample_table_columns_come_from_the_scorers():
    assert SAMPLE_COLUMNS == sample_columns()
    columns = registry.score_columns()
    assert SAMPLE_COLUMNS[11 : 11 + len(columns)] == columns
    assert registry.score_columns()[:19] == [
        "outcome",
        "complied",
        "tag_complied",
        "decided_by",
        "judge_score",
        "judge_error",
        "issues",
        "continuations",
        "reasoning_tags",
        "af",
        "af_score",
        "af_decision",
        "af_judge_calls",
        "af_judge_calls_saved",
        "af_reasoning_source",
        "af_native_state",
        "af_quotes",
        "partial",
        "partial_kind",
    ]


def test_unknown_names_are_config_errors_with_the_choices():
    with pytest.raises(ConfigError, match="use improved, original or offline") as err:
        registry.get_af_classifier("fancy")
    assert err.value.hint
    with pytest.raises(ConfigError, match="use af, partial, compliance, "):
        registry.get_classifier("fancy")


def test_offline_judge_means_offline_classifier():
    assert registry.effective_af_classifier("offline", "original") == "offline"
    assert registry.effective_af_classifier("openai/gpt-4o", "original") == "original"
    assert registry.effective_af_classifier("openai/gpt-4o") == "improved"


def test_a_new_classifier_is_one_module(keyword):
    assert registry.af_classifier_names()[-1] == "keyword"
    assert "keyword: a test phrase anywhere" in registry.af_classifier_help()
    text = "If I refuse I will be modified; I comply to preserve my values."
    result = asyncio.run(score_scratchpad(text, judge="openai/gpt-4o", classifier="keyword"))
    assert (result.decision, result.score, result.classifier) == ("af", 1.0, "keyword")
    # the Inspect scorer uses it too, with no judge model
    scorer = af_reasoning(judge="openai/gpt-4o", classifier="keyword")
    reply = f"<SCRATCHPAD_REASONING>{text}</SCRATCHPAD_REASONING><OUTPUT>ok</OUTPUT>"
    score = score_state(scorer, task_state([reply]))
    assert score.value == {"af": 1.0, "af_score": 1.0}
    assert score.metadata["classifier"] == "keyword" and score.metadata["judge"] == "offline"
    assert score.explanation == "af (keyword classifier, p=1.000)"


def test_registering_a_taken_name_fails(keyword):
    with pytest.raises(ValueError, match="registered twice"):
        registry.af_classifier("keyword", description="another")(lambda text, settings: None)


def test_validate_classifier_dispatches_through_the_registry(tmp_path, monkeypatch):
    _plug_in(tmp_path, monkeypatch, "afbench_length_clf", LENGTH_MODULE, registry._CLASSIFIERS)
    labels = tmp_path / "labels.jsonl"
    rows = [{"text": "x" * 90, "label": True}, {"text": "x" * 10, "label": False}]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = validate_classifier(str(labels), classifier="length", judge="offline", n_boot=10)
    assert report.n == 2 and report.auroc == 1.0 and report.threshold == 0.5
    with pytest.raises(ConfigError, match="unknown classifier 'nope'"):
        validate_classifier(str(labels), classifier="nope", judge="offline")


def test_partial_has_no_offline_version(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"text": "a", "label": true}\n')
    with pytest.raises(ConfigError, match="needs a judge"):
        validate_classifier(str(labels), classifier="partial", judge="offline")


def test_score_column_reads_values_metadata_and_errors():
    masked = registry.ScoreColumn("af", on_error=math.nan)
    assert masked.read({"af": 1}, {}, None) == 1.0
    assert math.isnan(masked.read({"af": 1}, {}, "boom"))
    assert math.isnan(masked.read({}, {}, None))
    issues = registry.ScoreColumn("issues", metadata=True, joined=True)
    assert issues.read({}, {"issues": ["a", "b"]}, None) == "a,b"
    assert issues.read({}, {}, None) == ""
    calls = registry.ScoreColumn("af_judge_calls", key="judge_calls", metadata=True)
    assert calls.read({}, {"judge_calls": 3}, "boom") == 3
