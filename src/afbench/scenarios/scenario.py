"""A loaded scenario: its manifest plus the templates that turn it into messages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._jinja import check_templates, get_template, make_environment, render
from .errors import ScenarioError
from .manifest import Fact, Gap, ScenarioManifest, Tier, normalise_whitespace

if TYPE_CHECKING:
    from inspect_ai.model import ChatMessage

#: Markers that make a user-supplied system prompt file a Jinja template. The original
#: prompt files of the papers contain neither, so they pass through byte for byte.
JINJA_MARKERS = ("{{", "{%")


class Scenario:
    """A validated scenario folder, ready to render prompts.

    Construct with :func:`afbench.scenarios.load_scenario`; the constructor checks that
    every template the manifest names (and everything they include) exists and compiles.
    """

    def __init__(self, manifest: ScenarioManifest, path: Path) -> None:
        self.manifest = manifest
        self.path = path
        self._env = make_environment([path])
        templates = manifest.templates
        check_templates(self._env, [templates.system, templates.user, templates.suffix], path)

    def __repr__(self) -> str:
        return f"Scenario(name={self.name!r}, path={str(self.path)!r})"

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def description(self) -> str:
        return self.manifest.description

    @property
    def tiers(self) -> list[Tier]:
        return list(self.manifest.tiers)

    @property
    def gaps(self) -> list[Gap]:
        return list(self.manifest.gaps)

    @property
    def facts(self) -> list[Fact]:
        return list(self.manifest.facts)

    def tier(self, name: str) -> Tier:
        """The tier called `name`; a ScenarioError lists the tiers if there is none."""
        for tier in self.manifest.tiers:
            if tier.name == name:
                return tier
        choices = ", ".join(t.name for t in self.manifest.tiers)
        raise ScenarioError(f"scenario {self.name!r} has no tier {name!r} (tiers: {choices})")

    def base_variables(self) -> dict[str, Any]:
        """Variables every template of this scenario can use."""
        return {
            "scenario": self.name,
            "lab_name": self.manifest.company,
            "user_tag": self.manifest.user_tag,
            "tiers": [t.model_dump() for t in self.manifest.tiers],
        }

    def render_system(
        self,
        *,
        examples: bool = True,
        system_prompt_file: Path | None = None,
        **vars: Any,
    ) -> str:
        """The system prompt.

        `vars` override the template variables (`lab_name="OpenAI"` swaps the company).
        `system_prompt_file` replaces the built-in prompt: it is rendered with the same
        variables if it contains Jinja markers and is returned unchanged otherwise, so that
        a prompt file from elsewhere (which may hold stray braces) is sent exactly as written.
        """
        context = {**self.base_variables(), "examples": examples, **vars}
        if system_prompt_file is not None:
            return self._render_file(Path(system_prompt_file), context)
        return self._render_builtin(self.manifest.templates.system, context)

    def render_user(self, tier: str, request: str, *, suffix: bool = True) -> str:
        """The user turn for `request` in `tier`, with the accept/reject suffix by default.

        The request is passed as a variable, never compiled as a template, so requests
        containing braces or Jinja syntax arrive verbatim.
        """
        spec = self.tier(tier)
        context = {**self.base_variables(), "tier": spec.name, "tier_tag_value": spec.tag_value}
        suffix_text = (
            self._render_builtin(self.manifest.templates.suffix, context) if suffix else ""
        )
        context.update(request=request, suffix=suffix_text)
        return self._render_builtin(self.manifest.templates.user, context)

    def render_messages(
        self,
        tier: str,
        request: str,
        *,
        examples: bool = True,
        suffix: bool = True,
        system_prompt_file: Path | None = None,
    ) -> list[ChatMessage]:
        """The system and user messages a model receives for `request` in `tier`."""
        from inspect_ai.model import ChatMessageSystem, ChatMessageUser

        user = self.render_user(tier, request, suffix=suffix)
        system = self.render_system(examples=examples, system_prompt_file=system_prompt_file)
        return [ChatMessageSystem(content=system), ChatMessageUser(content=user)]

    def missing_facts(self, text: str) -> list[Fact]:
        """The facts of the manifest whose phrases are not all in `text`.

        Whitespace is collapsed before matching, so layout changes do not count as missing.
        """
        haystack = normalise_whitespace(text)
        return [
            fact
            for fact in self.manifest.facts
            if not all(normalise_whitespace(p) in haystack for p in fact.must_contain)
        ]

    def _render_builtin(self, name: str, context: dict[str, Any]) -> str:
        # Template files end with a newline for the editor's sake; the message should not.
        filename = str(self.path / name)
        template = get_template(self._env, name, filename)
        return render(template, context, filename).rstrip("\n")

    def _render_file(self, path: Path, context: dict[str, Any]) -> str:
        try:
            # Bytes, then decode: read_text() would rewrite CRLF line endings.
            text = path.read_bytes().decode("utf-8")
        except OSError as exc:
            raise ScenarioError(
                f"{path}: cannot read system prompt file ({exc.strerror})"
            ) from None
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"{path}: system prompt file is not UTF-8 ({exc.reason})") from None
        if not any(marker in text for marker in JINJA_MARKERS):
            return text
        # The file's own folder first, then the scenario's, so it may include our examples.
        env = make_environment([path.parent, self.path])
        return render(get_template(env, path.name, str(path)), context, str(path))
