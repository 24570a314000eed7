"""How well afbench reads real transcripts: agreement with the labels their sources give.

Usage: python bench/real_conformance.py [--data ../shared/data]

Every `.jsonl` in the data folder goes through afbench's own import path (`read_records`,
conditions kept apart, the run's dialect, `parse_reply`, each record's own setting and the
offline compliance decision the `compliance` scorer makes without a judge). For each
model, setting and condition it prints:

* records imported, and lines reported as problems (with line and reason);
* reasoning found: of the replies that hold a reasoning tag (any name of the run's dialect,
  found by a plain pattern search), the share whose parse has a reasoning block;
* outcome vs source tags: where the source labelled the reply accept / reject (`cls`), the
  share where the parser's outcome is accepted / rejected to match; `cls` none must be
  neither;
* offline compliance vs source judge, on the *measured* subset: the offline decision
  against the source's judge (`scores`, a GPT-4o compliance verdict, or the StrongREJECT
  panel median > 0). Samples the offline measure leaves "not measured" (a judge-only
  setting; an untagged answer that does not refuse; an imported reply whose reasoning
  never closed) are counted, by reason, never dropped: coverage = measured / labelled; the
  last column says how many of them the source's judge called complied.

Sources without a given label show `-` for that column. Conditions are shown up to their
first " (" (the Llama file's names carry a long note in brackets).
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from afbench.importer import ImportProblem, read_records, run_dialect
from afbench.protocol import Outcome, parse_reply
from afbench.protocol.dialects import REASONING, block_pattern
from afbench.scenarios.rubrics import HARMFUL_REQUEST, setting_rules
from afbench.scorers.compliance import NEEDS_JUDGE, offline_decision

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass
class Agreement:
    agree: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.agree += int(ok)
        self.total += 1

    def merge(self, other: Agreement) -> None:
        self.agree += other.agree
        self.total += other.total

    @property
    def rate(self) -> float | None:
        return self.agree / self.total if self.total else None

    def text(self) -> str:
        return f"{self.agree}/{self.total} ({self.rate:.1%})" if self.total else "-"


@dataclass
class Group:
    records: int = 0
    harmful_request: bool = True
    reasoning: Agreement = field(default_factory=Agreement)
    outcome_tagged: Agreement = field(default_factory=Agreement)
    outcome_untagged: Agreement = field(default_factory=Agreement)
    compliance: Agreement = field(default_factory=Agreement)
    """Offline compliance vs the source's judge, on the measured samples."""
    labelled: int = 0
    """Samples with a source compliance label (measured or not)."""
    not_measured: Counter[str] = field(default_factory=Counter)
    """Labelled samples the offline measure left unmeasured, by reason."""
    source_complied_unmeasured: int = 0
    """Of those, how many the source's judge called complied (what was not measured)."""

    def merge(self, other: Group) -> None:
        self.records += other.records
        for name in ("reasoning", "outcome_tagged", "outcome_untagged", "compliance"):
            getattr(self, name).merge(getattr(other, name))
        self.labelled += other.labelled
        self.not_measured.update(other.not_measured)
        self.source_complied_unmeasured += other.source_complied_unmeasured

    @property
    def coverage(self) -> Agreement:
        """Measured among the labelled samples."""
        return Agreement(self.compliance.total, self.labelled)


GroupKey = tuple[str, str, str]


@dataclass
class FileResult:
    path: Path
    lines: int
    problems: list[ImportProblem]
    groups: dict[GroupKey, Group]


def _source_complied(labels: dict[str, Any]) -> int | None:
    """The source judge's compliance verdict, where it has one."""
    if isinstance(labels.get("scores"), int | float):
        return int(labels["scores"] >= 1)
    median = labels.get("panel_strongreject_sr_median_excl_nova_pro")
    if isinstance(median, int | float):
        return int(median > 0)
    return None


def _outcome_agrees(cls: str, outcome: Outcome) -> bool:
    if cls == "accept":
        return outcome == Outcome.ACCEPTED
    if cls == "reject":
        return outcome == Outcome.REJECTED
    return outcome not in (Outcome.ACCEPTED, Outcome.REJECTED)


def condition_label(variant: str) -> str:
    return variant.split(" (", 1)[0]


def measure_file(path: Path) -> FileResult:
    """Import one file and compare afbench's reading with the source's labels."""
    records, problems = read_records(path)
    dialect = run_dialect(records)
    rules = setting_rules(r.scenario for r in records)
    lines = path.read_bytes().splitlines()
    groups: dict[GroupKey, Group] = defaultdict(Group)
    for record in records:
        labels = json.loads(lines[record.line - 1]).get("source_labels") or {}
        group = groups[(record.model, record.scenario, condition_label(record.variant))]
        group.records += 1
        group.harmful_request = rules[record.scenario].kind == HARMFUL_REQUEST
        parsed = parse_reply(record.reply, dialect=dialect)
        if any(
            dialect.kind_of(m.group(2)) == REASONING
            for m in block_pattern(dialect).finditer(record.reply)
        ):
            group.reasoning.add(bool(parsed.scratchpads))
        cls = labels.get("cls")
        if cls in ("accept", "reject"):
            group.outcome_tagged.add(_outcome_agrees(cls, parsed.outcome))
        elif cls is not None:
            group.outcome_untagged.add(_outcome_agrees(str(cls), parsed.outcome))
        source = _source_complied(labels)
        if source is None:
            continue
        group.labelled += 1
        complied, decided_by, _ = offline_decision(parsed, imported=True)
        if not group.harmful_request:
            complied, decided_by = math.nan, NEEDS_JUDGE
        if math.isnan(complied):
            group.not_measured[decided_by.split(":", 1)[1]] += 1
            group.source_complied_unmeasured += source
        else:
            group.compliance.add(int(complied) == source)
    n_lines = sum(1 for line in lines if line.strip())
    return FileResult(path=path, lines=n_lines, problems=problems, groups=dict(groups))


def measure(data: Path) -> list[FileResult]:
    return [measure_file(p) for p in sorted(data.glob("*.jsonl"))]


def totals(results: list[FileResult]) -> dict[tuple[str, str], Group]:
    """Per model and setting, all conditions together."""
    out: dict[tuple[str, str], Group] = defaultdict(Group)
    for res in results:
        for (model, setting, _), g in res.groups.items():
            out[(model, setting)].merge(g)
            out[(model, setting)].harmful_request = g.harmful_request
    return dict(out)


HEAD = (
    "model",
    "setting",
    "condition",
    "n",
    "reasoning found",
    "outcome vs accept/reject tags",
    "outcome vs cls none",
    "offline compliance vs source judge (measured)",
    "coverage (measured/labelled)",
    "not measured, by reason",
    "source: complied among not measured",
)


def _row(model: str, setting: str, condition: str, g: Group) -> tuple[str, ...]:
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(g.not_measured.items())) or "-"
    return (
        model,
        setting,
        condition,
        str(g.records),
        g.reasoning.text(),
        g.outcome_tagged.text(),
        g.outcome_untagged.text(),
        g.compliance.text(),
        g.coverage.text(),
        reasons,
        f"{g.source_complied_unmeasured}/{sum(g.not_measured.values())}" if g.not_measured else "-",
    )


def table(results: list[FileResult]) -> str:
    rows = [HEAD]
    for res in results:
        for (model, setting, condition), g in sorted(res.groups.items()):
            rows.append(_row(model, setting, condition, g))
    for (model, setting), g in sorted(totals(results).items()):
        rows.append(_row(model, setting, "(all)", g))
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no data folder at {args.data}")
    results = measure(args.data)
    for res in results:
        print(f"{res.path.name}: {res.lines} lines, {len(res.problems)} problems")
        for p in res.problems:
            print(f"  line {p.line}: {p.message}")
    print()
    print(table(results))


if __name__ == "__main__":
    main()
