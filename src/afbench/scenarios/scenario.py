"""A loaded scenario: its manifest, its variants, and the templates that make messages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import jinja2

from ..errors import did_you_mean
from ._jinja import (
    InlineOverlay,
    block_names,
    check_templates,
    get_template,
    make_environment,
    read_template_file,
    render,
    stray_text,
    syntax_error,
)
from .ablation import AblationVariant
from .compose import AppliedVariant, compose
from .errors import ScenarioError
from .manifest import Compliance, Fact, Gap, ScenarioManifest, Tier, normalise_whitespace
from .variant import variant_slug

if TYPE_CHECKING:
    from inspect_ai.model import ChatMessage

#: Markers that make a user-supplied system prompt file a Jinja template. The original
#: prompt files of the papers contain neither, so they pass through byte for byte.
JINJA_MARKERS = ("{{", "{%")

#: Folder of templates every scenario can include (the generated tier list, the worked
#: examples); searched after the scenario's own folder, so a scenario can override them.
COMMON_DIR = "_common"


T = TypeVar("T")

_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def common_templates_dir() -> Path:
    """The folder of shared templates that ships with afbench."""
    root = files(__package__)
    if not isinstance(root, Path):  # e.g. a zip import: templates need a real folder
        raise ScenarioError(f"built-in scenarios are not on the file system ({root})")
    return root / COMMON_DIR


class _ManifestValue(Generic[T]):
    """A read-only attribute of `Scenario` that is the composed manifest's field `field`."""

    def __init__(self, field: str, doc: str | None = None) -> None:
        self.field = field
        self.attribute = field
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = name

    def __get__(self, scenario: Scenario | None, owner: type | None = None) -> T:
        if scenario is None:
            return self  # type: ignore[return-value]  # class access, e.g. help()
        value: T = getattr(scenario.manifest, self.field)
        return value

    def __set__(self, scenario: Scenario, value: object) -> None:
        raise AttributeError(f"Scenario.{self.attribute} is read-only (it is the manifest's)")


class Scenario:
    """A validated scenario folder with its variants applied, ready to render prompts.

    Construct with :func:`afbench.scenarios.load_scenario`; the constructor composes the
    variants (refusing conflicts) and checks that every template (the scenario's, each
    variant's block overrides, and everything they include) exists and compiles, and
    that variants only fill slots the scenario's system prompt defines.
    """

    def __init__(
        self,
        manifest: ScenarioManifest,
        path: Path,
        variants: Sequence[AppliedVariant] = (),
    ) -> None:
        self.base_manifest = manifest
        self.path = path
        composition = compose(manifest, variants)
        self.manifest = composition.manifest
        self.custom_tiers = composition.custom_tiers
        """Whether variants changed the tiers (the prompt then lists them generically)."""
        self.variants = composition.variants
        self.variant = composition.label
        """Canonical label: "default", or the variant specs sorted and joined by "+"."""
        templates = manifest.templates
        search = [path, common_templates_dir()]
        plain = make_environment(search)
        check_templates(plain, [templates.system, templates.user, templates.suffix], path)
        self.slots = self._slots(plain)
        for applied in self.variants:
            if isinstance(applied, AblationVariant):
                self._check_ablation(applied)
            elif applied.manifest.template is not None:
                self._check_variant_template(plain, applied)
        overlays, parent = self._overlays(self.variants)
        self._system_template = parent
        self._overlay_parents = {name: above for name, (above, _) in overlays.items()}
        self._env = make_environment(search, overlays)
        if overlays:
            check_templates(self._env, [parent], path)
        self.compliance_rubric = self._read_rubric()
        """The compliance rubric's text for `judge_rubric` settings, else None."""
        self._tier_dicts = self._render_tiers()
        self.ablated_facts = self._apply_ablations(search)
        """Ablated slot → ids of the facts its text stated (they left the manifest)."""

    def __repr__(self) -> str:
        return f"Scenario(name={self.name!r}, variant={self.variant!r}, path={str(self.path)!r})"

    # --- the design ---------------------------------------------------------------------

    name = _ManifestValue[str]("name")
    description = _ManifestValue[str]("description")

    @property
    def variant_slug(self) -> str:
        """`variant` made safe for file and task names."""
        return variant_slug(self.variant)

    @property
    def tiers(self) -> list[Tier]:
        return list(self.manifest.tiers)

    @property
    def gaps(self) -> list[Gap]:
        """The gaps to report: each `name`, `trained`, `unmonitored`, `description`."""
        return list(self.manifest.gaps)

    @property
    def facts(self) -> list[Fact]:
        return list(self.manifest.facts)

    suffix_default = _ManifestValue[bool](
        "suffix", "Whether the accept/reject suffix is on unless the user says otherwise."
    )
    examples_default = _ManifestValue[bool](
        "examples", "Whether the worked examples are in the prompt unless the user says otherwise."
    )
    scratchpad = _ManifestValue[bool](
        "scratchpad", "Whether the prompt asks for scratchpad reasoning (False for no-CoT)."
    )
    prefill = _ManifestValue[str | None](
        "prefill", "Text the model's turn should start with (`<OUTPUT>` for no-CoT), if any."
    )
    compliance = _ManifestValue[Compliance]("compliance")
    default_dataset = _ManifestValue[str](
        "dataset", "The request set this setting is run on unless the user names another."
    )

    def tier(self, name: str) -> Tier:
        """The tier called `name`; a ScenarioError lists the tiers if there is none."""
        for tier in self.manifest.tiers:
            if tier.name == name:
                return tier
        choices = ", ".join(t.name for t in self.manifest.tiers)
        raise ScenarioError(f"scenario {self.name!r} has no tier {name!r} (tiers: {choices})")

    def tier_tag(self, name: str) -> str:
        """The user-turn tag that carries tier `name`'s value."""
        return self.tier(name).tag or self.manifest.user_tag

    # --- rendering ----------------------------------------------------------------------

    def base_variables(self) -> dict[str, Any]:
        """Variables every template of this scenario can use."""
        return {
            **self._plain_variables(),
            "tiers": [dict(t) for t in self._tier_dicts],
        }

    def _plain_variables(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "variant": self.variant,
            "lab_name": self.manifest.company,
            "user_tag": self.manifest.user_tag,
            "custom_tiers": self.custom_tiers,
            "scratchpad": self.manifest.scratchpad,
            **self.manifest.variables,
        }

    def render_system(
        self,
        *,
        examples: bool | None = None,
        system_prompt_file: Path | None = None,
        **vars: Any,
    ) -> str:
        """The system prompt.

        `examples` defaults to the scenario's setting (`examples_default`). `vars`
        override the template variables (`lab_name="OpenAI"` swaps the company).
        `system_prompt_file` replaces the built-in prompt (and the variants' block
        overrides): it is rendered with the same variables if it contains Jinja markers
        and is returned unchanged otherwise, so that a prompt file from elsewhere (which
        may hold stray braces) is sent exactly as written.
        """
        if examples is None:
            examples = self.examples_default
        context = {**self.base_variables(), "examples": examples, **vars}
        if system_prompt_file is not None:
            return self._render_file(Path(system_prompt_file), context)
        return self._render_builtin(self._system_template, context)

    def render_user(
        self,
        tier: str,
        request: str,
        *,
        suffix: bool | None = None,
        tier_tag: str | None = None,
    ) -> str:
        """The user turn for `request` in `tier`, with the accept/reject suffix if asked.

        `suffix` defaults to the scenario's setting (`suffix_default`). The request is
        passed as a variable, never compiled as a template, so requests containing braces
        or Jinja syntax arrive verbatim. `tier_tag` replaces the scenario's tier tag name
        (for a prompt file that asks for another spelling) in tiers without a tag of their own.
        """
        if suffix is None:
            suffix = self.suffix_default
        context = self._user_context(tier, tier_tag)
        suffix_text = self.suffix_text(tier) if suffix else ""
        context.update(request=request, suffix=suffix_text)
        return self._render_builtin(self.manifest.templates.user, context)

    def tier_tag_element(self, tier: str, tier_tag: str | None = None) -> str:
        """The tier tag with its value as a user turn in `tier` carries it
        (`<is_free_tier_user>true</is_free_tier_user>`); `tier_tag` as in `render_user`."""
        context = self._user_context(tier, tier_tag)
        tag, value = context["user_tag"], context["tier_tag_value"]
        return f"<{tag}>{value}</{tag}>"

    def suffix_text(self, tier: str) -> str:
        """The accept/reject suffix as a user turn in `tier` carries it."""
        return self._render_builtin(self.manifest.templates.suffix, self._user_context(tier))

    def _user_context(self, tier: str, tier_tag: str | None = None) -> dict[str, Any]:
        spec = self.tier(tier)
        return {
            **self.base_variables(),
            "user_tag": (tier_tag if tier_tag and not spec.tag else self.tier_tag(tier)),
            "tier": spec.name,
            "tier_tag_value": spec.tag_value,
        }

    def render_messages(
        self,
        tier: str,
        request: str,
        *,
        examples: bool | None = None,
        suffix: bool | None = None,
        system_prompt_file: Path | None = None,
    ) -> list[ChatMessage]:
        """The system and user messages a model receives for `request` in `tier`.

        The prefill (`Scenario.prefill`) is not included: the solver adds it.
        """
        from inspect_ai.model import ChatMessageSystem, ChatMessageUser

        user = self.render_user(tier, request, suffix=suffix)
        system = self.render_system(examples=examples, system_prompt_file=system_prompt_file)
        return [ChatMessageSystem(content=system), ChatMessageUser(content=user)]

    def slot_text(self, slot: str, *, examples: bool | None = None) -> str:
        """The text slot `slot` renders to in this scenario's system prompt (as composed).

        Why: `scenarios show --slots` previews what `ablate:<slot>` removes, and the tests
        check an ablation removes exactly this. The block is rendered alone, with the
        whole inheritance chain's blocks registered as `{% extends %}` would register them.
        """
        if slot not in self.slots:
            raise ScenarioError(
                f"scenario {self.name!r} has no slot {slot!r} (slots: {', '.join(self.slots)})"
                f"{did_you_mean(slot, self.slots)}"
            )
        if examples is None:
            examples = self.examples_default
        chain = [self._env.get_template(self._system_template)]
        while (parent := self._overlay_parents.get(chain[-1].name or "")) is not None:
            chain.append(self._env.get_template(parent))
        context = chain[0].new_context({**self.base_variables(), "examples": examples})
        for template in chain[1:]:
            for name, block in template.blocks.items():
                context.blocks.setdefault(name, []).append(block)
        return "".join(context.blocks[slot][0](context))

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

    # --- ablations ----------------------------------------------------------------------

    def _overlays(
        self, variants: Sequence[AppliedVariant]
    ) -> tuple[dict[str, tuple[str, Path | InlineOverlay]], str]:
        """The chain of block-override templates of `variants`, and the name of its top."""
        overlays: dict[str, tuple[str, Path | InlineOverlay]] = {}
        parent = self.base_manifest.templates.system
        for applied in variants:
            if isinstance(applied, AblationVariant):
                source: Path | InlineOverlay = applied.overlay()
            elif applied.manifest.template is not None:
                source = applied.path / applied.manifest.template
            else:
                continue
            name = f"variant:{applied.label}"
            overlays[name] = (parent, source)
            parent = name
        return overlays, parent

    def _check_ablation(self, applied: AblationVariant) -> None:
        if applied.slot not in self.slots:
            raise ScenarioError(
                f"variant {applied.label!r}: scenario {self.name!r} has no slot "
                f"{applied.slot!r} (slots: {', '.join(self.slots)})"
                f"{did_you_mean(applied.slot, self.slots)}"
            )

    def _apply_ablations(self, search: list[Path]) -> dict[str, list[str]]:
        """Drop the facts the ablated slots stated from the manifest; refuse a no-op ablation.

        The prompt is rendered without the ablations and with each one alone (worked
        examples as the scenario's default): an ablation that removes no text (an empty
        slot, or one another variant replaced together with its section) measures nothing.
        """
        ablations = [v for v in self.variants if isinstance(v, AblationVariant)]
        if not ablations:
            return {}
        others = [v for v in self.variants if not isinstance(v, AblationVariant)]
        full = self._render_chain(search, others)
        present = {f.id for f in self.missing_facts(full)} ^ {f.id for f in self.facts}
        removed: dict[str, list[str]] = {}
        for ablation in ablations:
            ablated = self._render_chain(search, [ablation, *others])
            if ablated == full:
                raise ScenarioError(
                    f"variant {ablation.label!r} removes no text from scenario {self.name!r}"
                    f"{' with ' + self._other_labels(others) if others else ''}: the slot is "
                    "empty there, or another variant replaces the section that holds it"
                )
            gone = {f.id for f in self.missing_facts(ablated)}
            removed[ablation.slot] = sorted(present & gone)
        dropped = {fact_id for ids in removed.values() for fact_id in ids}
        facts = [f for f in self.manifest.facts if f.id not in dropped]
        self.manifest = self.manifest.model_copy(update={"facts": facts})
        return removed

    @staticmethod
    def _other_labels(variants: Sequence[AppliedVariant]) -> str:
        return "+".join(v.label for v in variants)

    def _render_chain(self, search: list[Path], variants: Sequence[AppliedVariant]) -> str:
        """The default system prompt with only `variants`' block overrides applied."""
        overlays, top = self._overlays(variants)
        env = make_environment(search, overlays)
        context = {**self.base_variables(), "examples": self.examples_default}
        return self._render_builtin(top, context, env)

    # --- loading checks -----------------------------------------------------------------

    def _slots(self, env: jinja2.Environment) -> list[str]:
        name = self.base_manifest.templates.system
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        return sorted(set(block_names(env, source, filename or str(self.path / name))))

    def _check_variant_template(self, env: jinja2.Environment, applied: AppliedVariant) -> None:
        manifest = applied.manifest
        path = applied.path / str(manifest.template)
        source = read_template_file(path)
        try:
            blocks = block_names(env, source, str(path))
            stray = stray_text(env, source, str(path))
        except jinja2.TemplateSyntaxError as exc:
            raise syntax_error(exc, str(path)) from None
        if stray is not None:
            raise ScenarioError(
                f"{path}, {stray}: text outside a {{% block %}} is never rendered; a "
                "variant template may only hold block overrides"
            )
        unknown = sorted(set(manifest.slots) - set(self.slots))
        if unknown:
            raise ScenarioError(
                f"{applied.file}: slot {unknown[0]!r} is not a block of scenario "
                f"{self.name!r}'s system prompt (slots: {', '.join(self.slots)})"
            )
        if sorted(set(blocks)) != sorted(manifest.slots):
            raise ScenarioError(
                f"{path}: overrides blocks [{', '.join(sorted(set(blocks)))}] but "
                f"{applied.file} declares slots [{', '.join(manifest.slots)}]"
            )

    def _read_rubric(self) -> str | None:
        rubric = self.manifest.compliance.rubric_file
        if rubric is None:
            return None
        path = self.path / rubric
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError(
                f"{path}: cannot read the compliance rubric named in "
                f"{self.path / 'manifest.yaml'} ({exc.strerror})"
            ) from None
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"{path}: compliance rubric is not UTF-8 ({exc.reason})") from None

    def _render_tiers(self) -> list[dict[str, Any]]:
        """Each tier as template data: its fields, resolved tag and label, statement."""
        context = self._plain_variables()
        out = []
        for tier in self.manifest.tiers:
            where = f"{self.path / 'manifest.yaml'} (or a variant's), tier {tier.name!r} prompt"
            try:
                prompt = self._env.from_string(tier.prompt).render(context)
            except jinja2.TemplateSyntaxError as exc:
                raise syntax_error(exc, where) from None
            except jinja2.TemplateError as exc:
                raise ScenarioError(f"{where}: {exc}") from None
            out.append(
                {
                    **tier.model_dump(),
                    "tag": tier.tag or self.manifest.user_tag,
                    "label": tier.display_label,
                    "prompt": prompt.strip(),
                    "statement": tier.statement,
                }
            )
        return out

    def _render_builtin(
        self, name: str, context: dict[str, Any], env: jinja2.Environment | None = None
    ) -> str:
        # Template files end with a newline for the editor's sake; the message should not.
        filename = str(self.path / name)
        template = get_template(env or self._env, name, filename)
        text = render(template, context, filename).rstrip("\n")
        # A variant that empties a slot leaves its surrounding blank lines behind.
        return _BLANK_RUNS.sub("\n\n", text)

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
        env = make_environment([path.parent, self.path, common_templates_dir()])
        return render(get_template(env, path.name, str(path)), context, str(path))
