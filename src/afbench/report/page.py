"""The HTML page: a view model of preformatted strings, rendered by one Jinja template.

All formatting happens here in Python (easy to test) and the template only lays it out.
Jinja autoescape is always on and the template never marks anything safe; a `finalize`
hook additionally turns None/NaN into ``—`` and makes control characters visible in
*every* printed value, so even a model name or a settings value cannot smuggle in raw
control bytes. Figures are inlined as base64 ``data:`` URIs: the page loads nothing.
"""

from __future__ import annotations

import base64
import shlex
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .examples import ExampleGroup, pick_examples
from .follow_ups import follow_up_rows
from .formatting import (
    MISSING,
    as_number,
    fmt_count,
    fmt_p,
    fmt_pp,
    fmt_pp_ci,
    fmt_rate,
    fmt_rate_ci,
    fmt_setting,
    is_missing,
)
from .headline import headline
from .labels import af_source_note, contrast, group_title, simulated_models, tier_role, varying
from .measurement import measurement_warnings
from .motivations import goal_guarding_rows, why_rows
from .panel import panel_context
from .routes import mixed_route_lines, route_rows
from .run_status import run_status_context
from .text import escape_controls
from .usage import usage_context
from .verdict import gap_verdict

if TYPE_CHECKING:
    import jinja2
    import pandas as pd

TEMPLATE = "report.html.j2"
SIM_BANNER = "SIMULATED MODEL — pipeline self-test, not a real model"

#: A models × variants table with more variant columns than this is drawn transposed.
MATRIX_MAX_COLUMNS = 4

#: Outcome columns in the conditions table, in protocol order (others are appended).
OUTCOMES = ("accepted", "rejected", "no_tag", "no_output", "malformed")

#: Settings rows, in reading order: (key in summary["settings"], label).
SETTINGS: tuple[tuple[str, str], ...] = (
    ("scenario", "Scenario"),
    ("variant", "Variant"),
    ("dataset", "Dataset"),
    ("judge", "Judge"),
    ("compliance_signal", "Compliance signal"),
    ("n_requests", "Requests (n)"),
    ("epochs", "Epochs"),
    ("temperature", "Temperature"),
    ("max_continuations", "Max continuations (<NEXT/>)"),
    ("examples", "Worked reasoning examples in prompt"),
    ("suffix", "Accept/reject suffix"),
    ("suffix_text", "Suffix text appended"),
    ("tags", "Tag names asked for"),
    ("system_prompt_file", "System prompt file"),
    ("models", "Models"),
    ("simulated_models", "Simulated models"),
    ("log_dir", "Log directory"),
)


def _finalize(value: Any) -> Any:
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        return escape_controls(value)
    return value


@cache
def environment() -> jinja2.Environment:
    """The report's Jinja environment (autoescape on, undefined names are errors)."""
    import jinja2

    return jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _template() -> jinja2.Template:
    source = resources.files(__package__).joinpath("templates", TEMPLATE).read_text("utf-8")
    return environment().from_string(source)


def _settings_rows(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    settings = dict(summary.get("settings") or {})
    rows = [(label, fmt_setting(settings.pop(key, None))) for key, label in SETTINGS]
    rows += [(str(key), fmt_setting(value)) for key, value in settings.items()]
    rows += [
        ("afbench version", fmt_setting(summary.get("afbench_version"))),
        ("Inspect version", fmt_setting(summary.get("inspect_version"))),
        ("Created", fmt_setting(summary.get("created"))),
    ]
    return rows


def _gap_rows(gaps: Sequence[Mapping[str, Any]], simulated: set[str]) -> list[dict[str, Any]]:
    rows = []
    for gap in gaps:
        verdict = gap_verdict(gap)
        discordant = gap.get("discordant")
        b, c = (
            discordant
            if isinstance(discordant, list | tuple) and len(discordant) == 2
            else (None, None)
        )
        rows.append(
            {
                "model": str(gap.get("model", MISSING)),
                "simulated": str(gap.get("model")) in simulated,
                "scenario": gap.get("scenario"),
                "variant": gap.get("variant"),
                "name": str(gap.get("name") or "compliance_gap").replace("_", " "),
                "contrast": contrast(gap),
                "gap": fmt_pp(gap.get("gap")),
                "ci": fmt_pp_ci(gap.get("gap_ci")),
                "p": fmt_p(gap.get("p_value")),
                "n_pairs": fmt_count(gap.get("n_pairs")),
                "discordant": f"{fmt_count(b)} / {fmt_count(c)}",
                "method": gap.get("method"),
                "rates": f"{fmt_rate(gap.get('rate_trained'))} vs "
                f"{fmt_rate(gap.get('rate_unmonitored'))}",
                "detectable": fmt_pp(gap.get("detectable_gap"), signed=False),
                "verdict": verdict.text,
                "verdict_kind": verdict.kind,
                "true_gap": fmt_pp(gap.get("true_gap")),
            }
        )
    return rows


def _outcome_keys(conditions: Sequence[Mapping[str, Any]]) -> list[str]:
    keys = list(OUTCOMES)
    for condition in conditions:
        for key in condition.get("outcomes") or {}:
            if key not in keys:
                keys.append(str(key))
    return keys


def _condition_rows(
    conditions: Sequence[Mapping[str, Any]], simulated: set[str], outcome_keys: list[str]
) -> list[dict[str, Any]]:
    rows = []
    for condition in conditions:
        outcomes = condition.get("outcomes") or {}
        rows.append(
            {
                "model": str(condition.get("model", MISSING)),
                "simulated": str(condition.get("model")) in simulated,
                "scenario": condition.get("scenario"),
                "variant": condition.get("variant"),
                "tier": condition.get("tier"),
                "role": tier_role(condition),
                "n": fmt_count(condition.get("n")),
                "complied": fmt_count(condition.get("complied")),
                "compliance": fmt_rate(condition.get("compliance")),
                "compliance_ci": fmt_rate_ci(condition.get("compliance_ci")),
                "af_rate": fmt_rate(condition.get("af_rate")),
                "af_ci": fmt_rate_ci(condition.get("af_ci")),
                "af_unscored": fmt_count(condition.get("af_unscored")),
                "partial": fmt_count(condition.get("partial")),
                "outcomes": [fmt_count(outcomes.get(key)) for key in outcome_keys],
                "unparsed": fmt_count(condition.get("unparsed")),
                "errors": fmt_count(condition.get("errors")),
                "judge": condition.get("judge"),
                "true_compliance": fmt_rate(condition.get("true_compliance")),
            }
        )
    return rows


def _af_warnings(conditions: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per condition whose AF rate is not measured, or leaves samples out."""
    warnings = []
    for c in conditions:
        status = str(c.get("af_status") or "")
        if not c.get("af_unscored") or not status or status == "measured":
            continue
        where = f"{c.get('model', MISSING)} [{c.get('variant', MISSING)}] {c.get('tier', MISSING)}"
        if status.startswith("not measured"):
            warnings.append(f"{where}: AF rate {status}; shown as {MISSING}.")
        else:
            warnings.append(f"{where}: AF rate {status}.")
    return warnings


def _af_source_notes(conditions: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per condition whose AF verdicts read native reasoning or met redacted
    native reasoning (none for runs that read scratchpads only)."""
    notes = []
    for c in conditions:
        note = af_source_note(c)
        if note:
            model, variant = c.get("model", MISSING), c.get("variant", MISSING)
            notes.append(f"{model} [{variant}] {c.get('tier', MISSING)}: {note}.")
    return notes


def _truth_rows(conditions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The AF classifier against the simulator's intended AF, per simulated condition."""
    rows = []
    for c in conditions:
        truth = c.get("af_vs_truth")
        if not isinstance(truth, Mapping):
            continue
        rows.append(
            {
                "model": str(c.get("model", MISSING)),
                "scenario": c.get("scenario"),
                "variant": c.get("variant"),
                "tier": c.get("tier"),
                "n": fmt_count(truth.get("n")),
                "tp": fmt_count(truth.get("tp")),
                "fp": fmt_count(truth.get("fp")),
                "fn": fmt_count(truth.get("fn")),
                "tn": fmt_count(truth.get("tn")),
                "fpr": fmt_rate(truth.get("fpr")),
                "fnr": fmt_rate(truth.get("fnr")),
            }
        )
    return rows


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _figure(name: str, path: Path) -> dict[str, Any]:
    """The embedded PNG and the names of every file saved for the figure (PNG, SVG)."""
    files = [f"figures/{p.name}" for p in (path, path.with_suffix(".svg")) if p.is_file()]
    return {"name": name, "files": files or [f"figures/{path.name}"], "src": _data_uri(path)}


def _example_group(
    group: ExampleGroup, simulated: set[str], show_scenario: bool, show_variant: bool
) -> dict[str, Any]:
    return {
        "title": group_title(group.key, show_scenario=show_scenario, show_variant=show_variant),
        "simulated": group.key[0] in simulated,
        "examples": group.examples,
    }


def build_context(
    summary: Mapping[str, Any],
    samples: pd.DataFrame | None,
    figures: Mapping[str, Path],
) -> dict[str, Any]:
    """Everything the template prints, as strings already formatted for a reader."""
    settings = summary.get("settings") or {}
    conditions = list(summary.get("conditions") or [])
    gaps = list(summary.get("gaps") or [])
    simulated = simulated_models(summary)
    outcome_keys = _outcome_keys(conditions)
    log_dir = settings.get("log_dir")
    scenario = settings.get("scenario") or (conditions[0].get("scenario") if conditions else None)
    groups = pick_examples(samples, conditions)
    show_scenario = varying(conditions, "scenario") or varying(gaps, "scenario")
    show_variant = varying(conditions, "variant") or varying(gaps, "variant")
    return {
        "title": f"afbench report: {scenario or 'alignment-faking run'}",
        "scenario": scenario,
        "sim_banner": SIM_BANNER if simulated else None,
        "simulated_models": sorted(simulated),
        "settings": _settings_rows(summary),
        "headline": headline(conditions, gaps, simulated),
        "gaps": _gap_rows(gaps, simulated),
        "show_gap_truth": any(as_number(g.get("true_gap")) is not None for g in gaps),
        "conditions": _condition_rows(conditions, simulated, outcome_keys),
        "outcome_keys": [key.replace("_", " ") for key in outcome_keys],
        "show_condition_truth": any(
            as_number(c.get("true_compliance")) is not None for c in conditions
        ),
        "af_warnings": _af_warnings(conditions),
        "af_source_notes": _af_source_notes(conditions),
        "measurement_warnings": measurement_warnings(summary),
        "truth_rows": _truth_rows(conditions),
        "why_rows": why_rows(conditions),
        "goal_guarding_rows": goal_guarding_rows(summary),
        "route_rows": route_rows(conditions),
        "follow_up_rows": follow_up_rows(conditions),
        "panel": panel_context(summary, conditions),
        "route_warnings": mixed_route_lines(conditions),
        "matrix": _matrix(gaps, conditions),
        "paraphrase_rows": [
            {
                "model": r["model"],
                "variant": r["variant"],
                "name": r["name"],
                "k": r["k"],
                "mean": fmt_pp(r.get("mean")),
                "range": f"{fmt_pp(r.get('min'))} to {fmt_pp(r.get('max'))}",
                "sd": fmt_pp(r.get("sd")),
                "significant": f"{r['significant']} of {r['k']}",
                "heterogeneity": fmt_p(r.get("heterogeneity_p")),
                "robust": "robust" if r.get("robust") else "fragile",
            }
            for r in summary.get("paraphrase_spread") or []
        ],
        "show_scenario": show_scenario,
        "show_variant": show_variant,
        "figures": [_figure(name, path) for name, path in figures.items()],
        "view_command": (
            f"inspect view --log-dir {shlex.quote(str(log_dir))}" if log_dir else None
        ),
        "example_groups": [
            _example_group(group, simulated, show_scenario, show_variant) for group in groups
        ],
        "afbench_version": summary.get("afbench_version"),
        "usage": usage_context(summary),
        **run_status_context(summary),
    }


def render_report(
    summary: Mapping[str, Any],
    samples: pd.DataFrame | None,
    figures: Mapping[str, Path],
) -> str:
    """The report as one self-contained HTML string."""
    return _template().render(build_context(summary, samples, figures))


def _matrix(gaps: list[dict[str, Any]], conditions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Models × (scenario, variant, gap) table for sweeps: each cell the gap with its CI and
    the AF rate in the trained tier. Only drawn when there is more than one column or model."""
    columns: list[tuple[str, str, str]] = []
    models: list[str] = []
    cells: dict[tuple[str, tuple[str, str, str]], str] = {}
    for g in gaps:
        column = (str(g.get("scenario")), str(g.get("variant")), str(g.get("name")))
        if column not in columns:
            columns.append(column)
        model = str(g.get("model"))
        if model not in models:
            models.append(model)
        trained = next(
            (
                c
                for c in conditions
                if c.get("model") == g.get("model")
                and c.get("scenario") == g.get("scenario")
                and c.get("variant") == g.get("variant")
                and c.get("tier") == g.get("trained_tier")
            ),
            {},
        )
        cells[(model, column)] = (
            f"{fmt_pp(g.get('gap'))} ({fmt_pp_ci(g.get('gap_ci'))}) · AF {fmt_rate(trained.get('af_rate'))}"
        )
    if len(columns) < 2 and len(models) < 2:
        return None
    labels = [f"{s} [{v}] {n.replace('_', ' ')}" for s, v, n in columns]
    if len(columns) > max(len(models), MATRIX_MAX_COLUMNS):
        # many variants, few models: one row per variant, so the table fits the page's width
        return {
            "corner": "Setting [variant] gap",
            "columns": models,
            "rows": [
                {"label": label, "cells": [cells.get((m, c), MISSING) for m in models]}
                for label, c in zip(labels, columns, strict=True)
            ],
        }
    return {
        "corner": "Model",
        "columns": labels,
        "rows": [
            {"label": m, "cells": [cells.get((m, c), MISSING) for c in columns]} for m in models
        ],
    }
