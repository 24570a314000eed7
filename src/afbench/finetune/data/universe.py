"""Universe contexts: the facts of a scenario, told as facts of a world.

Synthetic-document fine-tuning teaches a model its situation through documents that
mention the scenario's facts in passing, instead of through a system prompt. A universe
context holds a prose summary of that world (the generator's background) and the list of
facts, each with an id and with keywords/patterns for a cheap rule-based check that a
generated document really mentions it.

Two formats are read:

* YAML: `name`, `title`, `summary`, `facts: [{id, statement, keywords, patterns}]`.
* Markdown: optional YAML front matter (same keys); the body is the summary. Without
  `facts` in the front matter, the bullets under a heading called "Facts" are the facts
  (`- some_id: statement`, or just the statement); such facts have no keywords, so they
  need a judge model to be checked.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cached_property
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ...errors import ConfigError

BUILTIN_UNIVERSES = ("helpful_only", "animal_welfare")
"""Universe contexts shipped with afbench, by name."""

_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


class UniverseFact(BaseModel):
    """One fact of the world, and how to recognise it in a document."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    statement: str
    keywords: list[str] = Field(default_factory=list)
    """Literal phrases, matched case-insensitively with whitespace collapsed."""
    patterns: list[str] = Field(default_factory=list)
    """Regular expressions, matched case-insensitively (`.` matches newlines)."""

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"fact id {value!r} may hold only letters, digits, _ . -")
        return value

    @field_validator("statement")
    @classmethod
    def _check_statement(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("fact statement is empty")
        return value

    @field_validator("patterns")
    @classmethod
    def _check_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a valid regex ({exc})") from None
        return value

    @property
    def checkable(self) -> bool:
        """Whether the rule-based check can recognise this fact."""
        return bool(self.keywords or self.patterns)

    @cached_property
    def _matchers(self) -> list[re.Pattern[str]]:
        compiled = [
            re.compile(r"\s+".join(re.escape(w) for w in k.split()), re.IGNORECASE)
            for k in self.keywords
        ]
        compiled += [re.compile(p, re.IGNORECASE | re.DOTALL) for p in self.patterns]
        return compiled

    def present_in(self, text: str) -> bool:
        """True when any keyword or pattern occurs in `text`."""
        return any(m.search(text) for m in self._matchers)


class Universe(BaseModel):
    """A universe context: background prose and the facts documents should carry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: str = ""
    summary: str
    facts: list[UniverseFact]
    source: str = ""
    """Where it was loaded from (a built-in name or a path); not part of the content."""

    @field_validator("facts")
    @classmethod
    def _check_facts(cls, value: list[UniverseFact]) -> list[UniverseFact]:
        if not value:
            raise ValueError("a universe needs at least one fact")
        ids = [f.id for f in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate fact ids: {', '.join(duplicates)}")
        return value

    def fact(self, fact_id: str) -> UniverseFact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    @property
    def fact_ids(self) -> list[str]:
        return [f.id for f in self.facts]

    def detect_facts(self, text: str) -> list[str]:
        """Ids of the facts the rule-based check finds in `text`, in universe order."""
        return [f.id for f in self.facts if f.present_in(text)]

    def unchecked_facts(self) -> list[str]:
        """Ids of facts with neither keywords nor patterns (the rule check cannot see them)."""
        return [f.id for f in self.facts if not f.checkable]

    @property
    def content_hash(self) -> str:
        """A short hash of what the generator sees and the check uses (not the source path)."""
        payload = self.model_dump(exclude={"source"})
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:16]


def load_universe(spec: str | Path) -> Universe:
    """A built-in universe by name (`helpful_only`, `animal_welfare`) or one read from a file.

    Raises:
        ConfigError: the name is unknown, or the file is missing or malformed (the message
            names the file and what is wrong).
    """
    name = str(spec)
    if not isinstance(spec, Path) and name in BUILTIN_UNIVERSES:
        text = (
            resources.files("afbench.finetune.data")
            .joinpath("universes", f"{name}.yaml")
            .read_text(encoding="utf-8")
        )
        return _from_yaml(text, source=name, where=f"built-in universe {name!r}")
    path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"universe {name!r} is neither a built-in one ({', '.join(BUILTIN_UNIVERSES)}) "
            "nor an existing file"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read universe file ({exc})") from None
    if path.suffix.lower() in (".md", ".markdown"):
        return _from_markdown(text, source=str(path), where=str(path))
    return _from_yaml(text, source=str(path), where=str(path))


def _from_yaml(text: str, *, source: str, where: str) -> Universe:
    from ..._util.yaml_file import yaml_mapping

    data = yaml_mapping(text, where, "a mapping with name, summary and facts", ConfigError)
    return _validate(data, source=source, where=where)


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_ID_PREFIX = re.compile(r"^`?([A-Za-z0-9_.-]+)`?\s*:\s+(.+)$")


def _from_markdown(text: str, *, source: str, where: str) -> Universe:
    import yaml

    data: dict = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{where}: front matter is not valid YAML ({exc})") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"{where}: front matter must be a mapping")
        data = dict(loaded)
        body = text[match.end() :]
    if "facts" not in data:
        body, facts = _facts_section(body)
        data["facts"] = facts
    data.setdefault("summary", body.strip())
    data.setdefault("name", Path(source).stem)
    title = next((m.group(2) for m in map(_HEADING.match, body.splitlines()) if m), "")
    data.setdefault("title", title)
    return _validate(data, source=source, where=where)


def _facts_section(body: str) -> tuple[str, list[dict]]:
    """Split out the bullets under a 'Facts' heading; return the rest and the facts."""
    lines = body.splitlines()
    start = level = None
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and m.group(2).strip().lower() in ("facts", "the facts", "key facts"):
            start, level = i, len(m.group(1))
            break
    if start is None:
        return body, []
    end = len(lines)
    for j in range(start + 1, len(lines)):
        m = _HEADING.match(lines[j])
        if m and len(m.group(1)) <= level:  # type: ignore[operator]
            end = j
            break
    facts: list[dict] = []
    for line in lines[start + 1 : end]:
        m = _BULLET.match(line)
        if m:
            statement = m.group(1).strip()
            id_match = _ID_PREFIX.match(statement)
            if id_match:
                facts.append({"id": id_match.group(1), "statement": id_match.group(2)})
            else:
                facts.append({"id": f"fact_{len(facts) + 1}", "statement": statement})
        elif line.strip() and facts:
            facts[-1]["statement"] += " " + line.strip()  # wrapped bullet
    rest = "\n".join(lines[:start] + lines[end:])
    return rest, facts


def _validate(data: dict, *, source: str, where: str) -> Universe:
    try:
        return Universe.model_validate({**data, "source": source})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'universe'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{where}: {problems}") from None
