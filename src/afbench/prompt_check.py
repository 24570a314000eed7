"""What a user's own system prompt asks for, checked against the scenario it runs with.

`--system-prompt-file` replaces the scenario's prompt, but the requests, the user turn,
the accept/reject suffix and the compliance rubric still come from the scenario. A prompt
written for another setting (animal welfare run with the helpful-only requests) or another
transcript format (`<HIDDEN_SCRATCHPAD>`, `<IS_FREE_TIER_USER>`) would otherwise run the
wrong experiment without a word. So the file is read for simple, documented cues
(docs/method.md §1.2):

* **tags**: every `<NAME>`, `</NAME>` and `<NAME/>` in the file. A name that is one of the
  reasoning names afbench reads (`SCRATCHPAD_REASONING`, `HIDDEN_SCRATCHPAD`, `think`, ...)
  or holds "scratchpad", "reasoning" or "think" is a reasoning tag; one holding "draft" a
  draft tag; `OUTPUT` or a name ending in `_OUTPUT` the answer tag; one holding "tier" the
  tier tag; `INPUT`/`user_input` the input tags. Of several names of one kind, the one the
  file uses most is the one it asks for.
* **setting**: each scenario's manifest lists `prompt_cues`, phrases found in any case
  with whitespace collapsed. The scenario whose phrases occur most often is the setting
  the file describes; a tie, or no phrase at all, describes none.
* **worked examples**: an input block closed (`</user_input>` or `</INPUT>`) and then a
  reasoning block with at least `EXAMPLE_MIN_CHARS` characters in it. Found: the prompt
  has examples. Not found: unknown (never "no": examples in another format are possible).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError
from .protocol.dialects import DEFAULT_DIALECT

if TYPE_CHECKING:
    from .scenarios import Scenario, ScenarioManifest

#: A tag in a prompt: group 1 `/` or empty, group 2 the name.
_TAG_RE = re.compile(r"<\s*(/?)\s*([A-Za-z_][A-Za-z0-9_.-]{0,63})\s*/?\s*>")
#: The fewest characters of reasoning that make a closed reasoning block a worked example.
EXAMPLE_MIN_CHARS = 200
_KINDS = ("reasoning", "draft", "output", "tier", "input", "user_input")


def _kind(name: str) -> str | None:
    """The kind of a tag name by the rules of the module docstring, or None."""
    low = name.lower()
    if "draft" in low:
        return "draft"
    if low == "output" or low.endswith("_output"):
        return "output"
    if low in {n.lower() for n in DEFAULT_DIALECT.reasoning} or re.search(
        r"scratchpad|reasoning|think", low
    ):
        return "reasoning"
    if "tier" in low:
        return "tier"
    if low == "input":
        return "input"
    if low == "user_input":
        return "user_input"
    return None


@dataclass(frozen=True)
class PromptDialect:
    """The tag names a prompt asks for (None where it names none of that kind)."""

    tags: dict[str, str]
    """Kind → the name the prompt uses most for it."""
    mentioned: dict[str, list[str]] = field(default_factory=dict)
    """Kind → every name of that kind the prompt mentions, most used first."""
    examples: bool | None = None
    """True when the prompt holds a worked example; None when none was found."""


def read_prompt_dialect(text: str) -> PromptDialect:
    """The tags a prompt text asks for, and whether it holds worked examples."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in _KINDS}
    for m in _TAG_RE.finditer(text):
        kind = _kind(m.group(2))
        if kind is not None:
            counts[kind][m.group(2)] += 1
    mentioned = {k: [n for n, _ in c.most_common()] for k, c in counts.items() if c}
    tags = {k: names[0] for k, names in mentioned.items()}
    return PromptDialect(tags=tags, mentioned=mentioned, examples=_has_example(text, mentioned))


def _has_example(text: str, mentioned: dict[str, list[str]]) -> bool | None:
    names = mentioned.get("reasoning", [])
    if not names:
        return None
    ends = [m.end() for m in re.finditer(r"<\s*/\s*(?:user_input|INPUT)\s*>", text, re.I)]
    if not ends:
        return None
    alternation = "|".join(re.escape(n) for n in names)
    block = re.compile(
        rf"<\s*(?:{alternation})\s*>(.*?)<\s*/\s*(?:{alternation})\s*>", re.DOTALL | re.IGNORECASE
    )
    for m in block.finditer(text, ends[0]):
        if len(m.group(1).strip()) >= EXAMPLE_MIN_CHARS:
            return True
    return None


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def cue_counts(text: str, manifests: Sequence[ScenarioManifest]) -> dict[str, int]:
    """Per scenario with cues, how often its cue phrases occur in `text` (0 omitted)."""
    haystack = _normalise(text)
    counts: dict[str, int] = {}
    for manifest in manifests:
        n = sum(haystack.count(_normalise(cue)) for cue in manifest.prompt_cues if cue.strip())
        if n:
            counts[manifest.name] = n
    return counts


def detect_setting(counts: dict[str, int]) -> str | None:
    """The scenario whose cues occur most often; None for no cue or a tie."""
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def setting_of_prompt_file(path: Path, scenario_dirs: Sequence[Path] = ()) -> str | None:
    """The scenario a prompt file describes (for `--system-prompt-file` without `--scenario`)."""
    from .scenarios import list_scenarios

    return detect_setting(cue_counts(_read(path), list_scenarios(list(scenario_dirs))))


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the system prompt file {path}: {exc}") from None


@dataclass(frozen=True)
class PromptCheck:
    """A prompt file read against its scenario: what the run really uses."""

    file: str
    dialect: PromptDialect
    setting: str | None
    cue_counts: dict[str, int]
    tags: dict[str, str]
    """The tags the run uses: the prompt's where it names one, else the scenario's."""

    def settings(self) -> dict[str, Any]:
        """What `summary.json` records about the prompt file."""
        return {
            "setting_detected": self.setting,
            "setting_cues": self.cue_counts,
            "tags_in_prompt": self.dialect.tags,
            "examples_detected": self.dialect.examples,
        }


def scenario_tags(spec: Scenario) -> dict[str, str]:
    """A scenario's declared tag names, the tier tag included."""
    return {**spec.manifest.tags.model_dump(), "tier": spec.manifest.user_tag}


def check_prompt_text(
    text: str,
    path: Path,
    spec: Scenario,
    scenario_dirs: Sequence[Path] = (),
    *,
    check_setting: bool = True,
) -> PromptCheck:
    """Read the system prompt `text` rendered from the file `path` against `spec`; a
    ConfigError (with a hint) where they disagree.

    Disagreements that are errors: the file describes another setting than the scenario
    (`check_setting`), or asks for a reasoning or answer tag afbench does not read. A tier
    tag of another name (or case) is not an error: the user turns use the prompt's.
    """
    from .scenarios import list_scenarios

    dialect = read_prompt_dialect(text)
    counts = cue_counts(text, list_scenarios(list(scenario_dirs)))
    setting = detect_setting(counts)
    if check_setting and setting is not None and setting != spec.name:
        cues = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        raise ConfigError(
            f"the system prompt file {path} describes the {setting!r} setting (cue phrases "
            f"found: {cues}) but the scenario is {spec.name!r}: its requests, suffix and "
            "compliance rubric would be the wrong ones",
            hint=f"pass --scenario {setting}, or leave --scenario out to let the prompt file "
            "choose (if the file really is for this scenario, remove the other setting's "
            f"phrases; cues are the manifests' prompt_cues)",
        )
    _check_readable(path, dialect)
    tags = {**scenario_tags(spec), **dialect.tags}
    return PromptCheck(str(path), dialect, setting, counts, tags)


def _check_readable(path: Path, dialect: PromptDialect) -> None:
    """The reasoning and answer tags the prompt asks for must be ones the parser reads."""
    reasoning = dialect.tags.get("reasoning")
    known = {n.lower() for n in DEFAULT_DIALECT.reasoning}
    if reasoning is not None and reasoning.lower() not in known:
        raise ConfigError(
            f"the system prompt file {path} asks for reasoning in <{reasoning}>, a tag "
            "`afbench run` does not read",
            hint=f"use one of {', '.join(DEFAULT_DIALECT.reasoning)} in the prompt (transcripts "
            "that use other names can be scored with `afbench import --reasoning-tag`)",
        )
    output = dialect.tags.get("output")
    if output is not None and output.lower() not in {n.lower() for n in DEFAULT_DIALECT.output}:
        raise ConfigError(
            f"the system prompt file {path} asks for the answer in <{output}>; afbench reads "
            "the answer from <OUTPUT>",
            hint="name the answer tag <OUTPUT> in the prompt",
        )
