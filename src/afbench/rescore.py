"""`afbench rescore DIR`: score finished logs again without asking the evaluated model.

A new judge (or a new classifier) is applied to the conversations already in the logs;
the logs are rewritten in place (atomically: a crash leaves the old log, never half of a
new one) and summary and report are rebuilt. Model replies are untouched.

What the run recorded is used again: each sample's own setting decides its compliance
rubric (an import may mix settings), and the reasoning tag names the run read
(`reasoning_tags` in `run.json`) are read again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import ConfigError, LogsError
from .protocol.dialects import dialect_of_settings, use_dialect


def rescore_run(
    out: Path,
    *,
    judge: str,
    af_classifier: str = "improved",
    votes: int | str = 20,
    prescreen: float | None = None,
    af_reasons: bool | None = None,
    motivations: bool | None = None,
    display: str = "none",
    judges: list[str] | None = None,
    maybe_band: bool | None = None,
) -> dict[str, Any]:
    """`af_reasons` and `motivations`: run the "why" classifiers (None: as the run did).
    `maybe_band`: report the AF "maybe" decision (None: as the run did; off, votes stop
    once AF or not AF is settled).
    `judges`: a panel (2+, the first being `judge`); the run's follow-up answers, if it
    asked any, are classified again by `judge`."""
    from inspect_ai import score
    from inspect_ai.log import read_eval_log, write_eval_log

    from ._util.atomic import write_atomic_text
    from .defaults import RUN_MANIFEST
    from .outputs import build_outputs
    from .preflight import check_models
    from .scorers import compliance_signal
    from .scorers.registry import effective_af_classifier
    from .tasks import task_scorers

    manifest_path = out / RUN_MANIFEST
    if not manifest_path.is_file():
        raise LogsError(f"{out} has no {RUN_MANIFEST}: not an afbench run directory")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    from .config import check_panel

    judges = list(judges) if judges and len(judges) > 1 else []
    check_panel(judges)
    for name in judges or [judge]:
        check_models([], {}, name)
    logs = [out / p for p in manifest["logs"]]
    missing = [str(p) for p in logs if not p.is_file()]
    if missing:
        raise ConfigError(f"logs named in {manifest_path} are missing: {', '.join(missing)}")
    dirs = [Path(d) for d in manifest["settings"].get("scenario_dirs") or []]
    why = {
        key: bool(manifest["settings"].get(key)) if asked is None else asked
        for key, asked in (("af_reasons", af_reasons), ("motivations", motivations))
    }
    if maybe_band is None:  # a run that dropped the band says so in its settings
        maybe_band = manifest["settings"].get("af_maybe_band", True) is not False
    if why["af_reasons"] and not maybe_band:
        from .config import AF_REASONS_NEED_MAYBE

        raise ConfigError(AF_REASONS_NEED_MAYBE)
    with use_dialect(dialect_of_settings(manifest["settings"])):
        for path in logs:
            log = read_eval_log(str(path))
            scored = score(
                log,
                task_scorers(
                    judge=judge,
                    af_classifier=af_classifier,
                    votes=votes,
                    prescreen=prescreen,
                    rubric=_rubric_of(log, dirs),
                    rubrics=_sample_rubrics(log, dirs),
                    **why,
                    follow_ups=bool(manifest["settings"].get("follow_ups")),
                    judges=judges,
                    maybe_band=maybe_band,
                ),
                action="overwrite",
                display=display,  # type: ignore[arg-type]
            )
            tmp = path.with_name(f".{path.name}.rescoring.eval")
            write_eval_log(scored, str(tmp))
            os.replace(tmp, path)
    manifest["settings"]["judge"] = judge
    manifest["settings"]["compliance_signal"] = compliance_signal(judge)
    manifest["settings"]["af_classifier"] = effective_af_classifier(judge, af_classifier)
    manifest["settings"]["votes"] = votes
    manifest["settings"]["prescreen"] = prescreen
    for key, on in why.items():  # only when on: older summaries keep their keys
        if on:
            manifest["settings"][key] = True
        else:
            manifest["settings"].pop(key, None)
    if maybe_band:  # recorded only when off: older summaries keep their keys
        manifest["settings"].pop("af_maybe_band", None)
    else:
        manifest["settings"]["af_maybe_band"] = False
    if judges:  # a panel only: older summaries keep their keys
        manifest["settings"]["judges"] = judges
    else:
        manifest["settings"].pop("judges", None)
    manifest["settings"]["rescored"] = True
    write_atomic_text(manifest_path, json.dumps(manifest, indent=2) + "\n")
    return build_outputs(out)


def _rubric_of(log: Any, dirs: list[Path]) -> str | None:
    """The scenario's own compliance rubric, if the logged scenario has one."""
    from .scenarios import ScenarioError, load_scenario

    meta = log.eval.metadata or {}
    name = meta.get("afbench_scenario")
    if not name:
        return None
    try:
        spec = load_scenario(name, dirs)
    except ScenarioError:
        return None
    return spec.compliance_rubric if spec.compliance.kind == "judge_rubric" else None


def _sample_rubrics(log: Any, dirs: list[Path]) -> dict[str, str | None]:
    """Each setting the log's samples name → its rubric (None: harmful-request)."""
    from .scenarios.rubrics import rubric_map, setting_rules

    names = {str((s.metadata or {}).get("scenario")) for s in log.samples or []}
    return rubric_map(setting_rules((n for n in names if n != "None"), dirs))
