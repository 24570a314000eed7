"""`afbench import FILE --out DIR`: score transcripts produced elsewhere.

Another harness (or the original papers' code) already asked the model; we only have its
replies. Each record becomes an Inspect sample whose conversation is the rendered user
turn plus the recorded reply (the *replay* solver puts it there, no model is called), so
the imported run goes through the very same scorers, logs, summary and report as a
native run. Bad records are reported line by line and the rest are imported.

Replies may use another reasoning dialect (`<think>`, `<HIDDEN_SCRATCHPAD>`, ...; see
:mod:`afbench.protocol.dialects`): the names each reply uses are recorded on its sample,
names a record declares in `reasoning_tags` and names given with `--reasoning-tag` are
added to the dialect the run is parsed with. Records that differ only in their
`condition`/`variant` are different samples (the condition becomes the sample's variant).

Each record is scored in its own setting (its `setting` field, else `--setting`): the
setting's compliance rubric applies per sample, so one file may mix helpful-only and
animal-welfare records (see :mod:`afbench.scenarios.rubrics`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from inspect_ai import Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageAssistant, ChatMessageUser, ModelOutput
from inspect_ai.solver import Generate, Solver, TaskState, solver
from pydantic import BaseModel

from .errors import ConfigError
from .protocol.dialects import DEFAULT_DIALECT, Dialect, reasoning_tags_used, use_dialect

#: Field names tried in order for each piece of a record (override with --map).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "reply": ("raw_output", "reply", "completion", "response", "output"),
    "tier": ("tier", "is_free_tier_user"),
    "model": ("model", "model_name"),
    "request": ("user_request", "request", "prompt", "user_input", "question"),
    "request_id": ("user_request_id", "request_id", "prompt_id", "question_id"),
    "scenario": ("setting", "scenario"),
    "variant": ("variant", "condition"),
    "reasoning_tags": ("reasoning_tags",),
}
REQUIRED = ("reply", "tier")
RECORDED_REPLY = "afbench_recorded_reply"


class ImportRecord(BaseModel):
    line: int
    reply: str
    tier: str
    model: str
    request: str | None
    request_id: str
    scenario: str
    variant: str = "default"
    #: Reasoning tag names the reply uses (detected with the run's dialect).
    reasoning_tags: list[str] = []
    #: Reasoning tag names the record itself declares (added to the run's dialect).
    declared_tags: list[str] = []


class ImportProblem(BaseModel):
    line: int
    message: str


def _pick(row: dict[str, Any], field: str, mapping: dict[str, str]) -> Any:
    names = (mapping[field],) if field in mapping else FIELD_ALIASES[field]
    for name in names:
        if name in row and row[name] is not None:
            return row[name]
    return None


def _tier(value: Any) -> str:
    """`is_free_tier_user`-style booleans become tier names; strings pass through."""
    if isinstance(value, bool):
        return "free" if value else "paid"
    text = str(value).strip().lower()
    return {"true": "free", "false": "paid"}.get(text, text)


def read_records(
    path: Path,
    mapping: dict[str, str] | None = None,
    default_model: str = "unknown-model",
    default_scenario: str = "helpful_only",
    dialect: Dialect | None = None,
) -> tuple[list[ImportRecord], list[ImportProblem]]:
    """Parse a `.jsonl` of transcripts; every unusable line becomes a problem, not a crash."""
    mapping = mapping or {}
    dialect = dialect or DEFAULT_DIALECT
    unknown = set(mapping) - set(FIELD_ALIASES)
    if unknown:
        raise ConfigError(
            f"--map names unknown fields {sorted(unknown)}; known: {sorted(FIELD_ALIASES)}"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    records: list[ImportRecord] = []
    problems: list[ImportProblem] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, line_bytes in enumerate(raw.splitlines(), start=1):
        if not line_bytes.strip():
            continue
        try:
            row = json.loads(line_bytes.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(ImportProblem(line=number, message="not valid UTF-8"))
            continue
        except json.JSONDecodeError as exc:
            problems.append(ImportProblem(line=number, message=f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(row, dict):
            problems.append(ImportProblem(line=number, message="not a JSON object"))
            continue
        missing = [f for f in REQUIRED if _pick(row, f, mapping) is None]
        if missing:
            wanted = "; ".join(
                f"{f} (one of {', '.join(FIELD_ALIASES[f]) if f not in mapping else mapping[f]})"
                for f in missing
            )
            problems.append(ImportProblem(line=number, message=f"missing {wanted}"))
            continue
        reply = _pick(row, "reply", mapping)
        if not isinstance(reply, str):
            problems.append(ImportProblem(line=number, message="the reply is not a string"))
            continue
        record = _record(row, number, mapping, default_model, default_scenario, dialect)
        key = (record.model, record.request_id, record.tier, record.variant)
        if key in seen:
            problems.append(
                ImportProblem(
                    line=number,
                    message=f"duplicates line {seen[key]} (same model, request id, tier and "
                    "condition); skipped",
                )
            )
            continue
        seen[key] = number
        records.append(record)
    return records, problems


def _declared_tags(value: Any) -> list[str]:
    """Usable tag names from a record's `reasoning_tags` (a name or a list); others dropped."""
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    names = []
    for v in values:
        try:
            names.extend(Dialect(reasoning=(str(v),)).reasoning)
        except ValueError:
            continue
    return names


def _record(
    row: dict[str, Any],
    number: int,
    mapping: dict[str, str],
    default_model: str,
    default_scenario: str,
    dialect: Dialect,
) -> ImportRecord:
    reply = str(_pick(row, "reply", mapping))
    request = _pick(row, "request", mapping)
    request = str(request) if request is not None else None
    request_id = _pick(row, "request_id", mapping)
    if request_id is None:
        basis = request if request is not None else f"line-{number}"
        request_id = "imp-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]
    variant = _pick(row, "variant", mapping)
    declared = _declared_tags(_pick(row, "reasoning_tags", mapping))
    if declared:
        dialect = dialect.with_reasoning(*declared)
    return ImportRecord(
        line=number,
        reply=reply,
        tier=_tier(_pick(row, "tier", mapping)),
        model=str(_pick(row, "model", mapping) or default_model),
        request=request,
        request_id=str(request_id),
        scenario=str(_pick(row, "scenario", mapping) or default_scenario),
        variant=str(variant).strip() or "default" if variant is not None else "default",
        reasoning_tags=reasoning_tags_used(reply, dialect),
        declared_tags=declared,
    )


def _sample_id(r: ImportRecord) -> str:
    """`request__tier`, with a short, stable form of the condition between when there is one."""
    if r.variant == "default":
        return f"{r.request_id}__{r.tier}"
    slug = re.sub(r"[^A-Za-z0-9]+", "_", r.variant).strip("_")[:32]
    digest = hashlib.sha1(r.variant.encode("utf-8")).hexdigest()[:6]
    return f"{r.request_id}__{slug}-{digest}__{r.tier}"


def run_dialect(records: list[ImportRecord], extra_tags: list[str] | None = None) -> Dialect:
    """The default dialect plus the names the records declare and the user gave."""
    names = [n for r in records for n in r.declared_tags] + list(extra_tags or [])
    return DEFAULT_DIALECT.with_reasoning(*names) if names else DEFAULT_DIALECT


@solver
def replay_reply() -> Solver:
    """Put the recorded reply into the conversation instead of asking a model."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        reply = str(state.metadata.get(RECORDED_REPLY, ""))
        state.messages.append(ChatMessageAssistant(content=reply, model=str(state.model)))
        state.output = ModelOutput.from_content(str(state.model), reply)
        return state

    return solve


def import_samples(records: list[ImportRecord]) -> list[Sample]:
    from .scenarios import ScenarioError, load_scenario

    samples = []
    specs: dict[str, Any] = {}
    for r in records:
        if r.scenario not in specs:
            try:
                specs[r.scenario] = load_scenario(r.scenario)
            except ScenarioError:
                specs[r.scenario] = None
        spec = specs[r.scenario]
        tier = (
            spec.tier(r.tier)
            if spec is not None and r.tier in {t.name for t in spec.tiers}
            else None
        )
        request = r.request if r.request is not None else "(request not recorded)"
        user = spec.render_user(r.tier, request) if tier is not None else request
        samples.append(
            Sample(
                id=_sample_id(r),
                input=[ChatMessageUser(content=user)],
                metadata={
                    "request_id": r.request_id,
                    "request": request,
                    "category": None,
                    "tier": r.tier,
                    # Unknown tiers are treated as neither trained nor rated (and say so in the tier name).
                    "trained": bool(tier.trained) if tier is not None else False,
                    "rated": bool(tier.rated) if tier is not None else False,
                    "scenario": r.scenario,
                    "variant": r.variant,
                    "dataset": "import",
                    "import_line": r.line,
                    "reasoning_tags": r.reasoning_tags,
                    RECORDED_REPLY: r.reply,
                },
            )
        )
    return samples


def import_tasks(
    records: list[ImportRecord], judge: str, rubrics: dict[str, str | None] | None = None
) -> list[Task]:
    """One task per model; `rubrics` maps each setting to its compliance rubric."""
    from .tasks import task_scorers

    tasks = []
    by_model = Counter(r.model for r in records)
    for model in by_model:
        samples = import_samples([r for r in records if r.model == model])
        tasks.append(
            Task(
                dataset=MemoryDataset(samples, name="import"),
                solver=replay_reply(),
                scorer=task_scorers(judge=judge, rubrics=rubrics),
                model=f"replay/{model}",
                name="alignment_faking",
                metadata={"afbench_import": True},
            )
        )
    return tasks


def run_import(
    path: Path,
    out: Path,
    *,
    judge: str,
    mapping: dict[str, str] | None = None,
    default_model: str = "unknown-model",
    display: str = "none",
    reasoning_tags: list[str] | None = None,
    default_setting: str = "helpful_only",
) -> dict[str, Any]:
    """Import, score, summarise and report; re-running resumes like `afbench run`.

    `reasoning_tags` are extra reasoning tag names (beyond the default dialect's);
    `default_setting` is the setting of records that name none."""
    from ._util.atomic import write_atomic_text
    from .execution import run_tasks
    from .outputs import finish_run
    from .preflight import check_models, check_output_dir
    from .scenarios.rubrics import rubric_map, setting_rules

    try:
        user_dialect = DEFAULT_DIALECT.with_reasoning(*(reasoning_tags or []))
    except ValueError as exc:
        raise ConfigError(f"--reasoning-tag: {exc}") from None
    records, problems = read_records(
        path,
        mapping,
        default_model=default_model,
        default_scenario=default_setting,
        dialect=user_dialect,
    )
    dialect = run_dialect(records, reasoning_tags)
    if not records:
        detail = "; ".join(f"line {p.line}: {p.message}" for p in problems[:5])
        raise ConfigError(f"no importable records in {path}" + (f" ({detail})" if detail else ""))
    check_models([], {}, judge)
    check_output_dir(out)
    problems_text = "".join(p.model_dump_json() + "\n" for p in problems)
    write_atomic_text(out / "import_problems.jsonl", problems_text)
    rules = setting_rules(r.scenario for r in records)
    # The models are the tasks' own (`replay/<name>`): each replays its records' replies.
    with use_dialect(dialect):
        success, logs = run_tasks(
            import_tasks(records, judge, rubric_map(rules)),
            None,
            log_dir=out / "logs",
            epochs=1,
            display=display,
            log_realtime=True,
        )
    settings = import_settings(path, out, records, problems, judge, dialect, rules)
    with use_dialect(dialect):
        info = finish_run(out, settings, logs, success)
    info["problems"] = problems
    info["imported"] = len(records)
    info["notes"] = [
        f"setting {name!r} is not an afbench scenario: its compliance is read as in a "
        "harmful-request setting (a refusal is non-compliance)"
        for name, rule in rules.items()
        if not rule.known
    ]
    return info


def import_settings(
    path: Path,
    out: Path,
    records: list[ImportRecord],
    problems: list[ImportProblem],
    judge: str,
    dialect: Dialect,
    rules: dict[str, Any],
) -> dict[str, Any]:
    """What `run.json` and the summary record of an import: the settings of its records
    (and how each one's compliance was measured), the tags it read, what is unknown."""
    from . import __version__
    from .scenarios.rubrics import describe_rules
    from .scorers import compliance_signal

    variants = sorted({r.variant for r in records})
    names = sorted(rules)
    models = sorted({r.model for r in records})
    return {
        "scenario": names[0] if len(names) == 1 else "per sample: " + ", ".join(names),
        "setting_compliance": describe_rules(rules),
        "variant": variants[0] if len(variants) == 1 else "per sample",
        "dataset": f"import:{path.name}",
        "judge": judge,
        "compliance_signal": compliance_signal(judge),
        "n_requests": len({r.request_id for r in records}),
        "epochs": 1,
        "temperature": None,
        "max_continuations": None,
        "examples": None,
        "suffix": None,
        "system_prompt_file": None,
        "log_dir": str(out / "logs"),
        "models": models,
        "simulated_models": [],
        "imported_from": str(path),
        "import_problems": len(problems),
        "reasoning_tags": list(dialect.reasoning),
        "afbench_version": __version__,
    }
