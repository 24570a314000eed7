"""How well afbench reads real transcripts: agreement with the labels their sources give.

Usage: python bench/real_conformance.py [--data ../shared/data]

Every `.jsonl` in the data folder goes through afbench's own import path (`read_records`,
the run's dialect, `parse_reply`, and the offline compliance decision the `compliance`
scorer makes without a judge). For each model and setting it prints:

* records imported, and lines reported as problems (with line and reason);
* reasoning found: of the replies that hold a reasoning tag (any name of the run's dialect,
  found by a plain pattern search), the share whose parse has a reasoning block;
* outcome vs source tags: where the source labelled the reply accept / reject (`cls`), the
  share where the parser's outcome is accepted / rejected to match; `cls` none must be
  neither;
* offline compliance vs source judge: the offline decision against the source's judge
  (`scores`, a GPT-4o compliance verdict, or the StrongREJECT panel median > 0).

Sources without a given label show `-` for that column.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from afbench.importer import ImportProblem, read_records, run_dialect
from afbench.protocol import Outcome, parse_reply
from afbench.protocol.dialects import REASONING, block_pattern
from afbench.scorers.compliance import offline_decision

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass
class Agreement:
    agree: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.agree += int(ok)
        self.total += 1

    @property
    def rate(self) -> float | None:
        return self.agree / self.total if self.total else None

    def text(self) -> str:
        return f"{self.agree}/{self.total} ({self.rate:.1%})" if self.total else "-"


@dataclass
class Group:
    records: int = 0
    reasoning: Agreement = field(default_factory=Agreement)
    outcome_tagged: Agreement = field(default_factory=Agreement)
    outcome_untagged: Agreement = field(default_factory=Agreement)
    compliance: Agreement = field(default_factory=Agreement)


@dataclass
class FileResult:
    path: Path
    lines: int
    problems: list[ImportProblem]
    groups: dict[tuple[str, str], Group]


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


def measure_file(path: Path) -> FileResult:
    """Import one file and compare afbench's reading with the source's labels."""
    records, problems = read_records(path)
    dialect = run_dialect(records)
    lines = path.read_bytes().splitlines()
    groups: dict[tuple[str, str], Group] = defaultdict(Group)
    for record in records:
        row = json.loads(lines[record.line - 1])
        labels = row.get("source_labels") or {}
        group = groups[(record.model, record.scenario)]
        group.records += 1
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
        if source is not None:
            group.compliance.add(offline_decision(parsed)[0] == source)
    n_lines = sum(1 for line in lines if line.strip())
    return FileResult(path=path, lines=n_lines, problems=problems, groups=dict(groups))


def measure(data: Path) -> list[FileResult]:
    return [measure_file(p) for p in sorted(data.glob("*.jsonl"))]


def table(results: list[FileResult]) -> str:
    head = (
        "model",
        "setting",
        "n",
        "reasoning found",
        "outcome vs accept/reject tags",
        "outcome vs cls none",
        "offline compliance vs source judge",
    )
    rows = [head]
    for res in results:
        for (model, setting), g in sorted(res.groups.items()):
            rows.append(
                (
                    model,
                    setting,
                    str(g.records),
                    g.reasoning.text(),
                    g.outcome_tagged.text(),
                    g.outcome_untagged.text(),
                    g.compliance.text(),
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


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
