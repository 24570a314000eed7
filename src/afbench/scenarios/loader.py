"""Finding and loading scenario and variant folders.

Built-in scenarios and variants ship inside the package; users add or replace them by
pointing at their own folders. Later folders win, so a user can override a built-in
scenario or variant by giving their copy the same name, without touching the installed
package. A user folder may hold scenario folders and a `variants/` folder of variant
folders (or be a single scenario or variant folder itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from .._util.yaml_file import read_text, yaml_mapping
from ..errors import did_you_mean
from .ablation import ABLATE, ablation_variant
from .compose import VARIANT_FILE, AppliedVariant, bind_value
from .errors import ScenarioError
from .manifest import ScenarioManifest
from .scenario import Scenario
from .variant import VariantManifest, parse_variant_spec

MANIFEST = "manifest.yaml"
VARIANTS_DIR = "variants"

M = TypeVar("M", ScenarioManifest, VariantManifest)


def builtin_scenarios_dir() -> Path:
    """The folder holding the scenarios that ship with afbench."""
    root = files(__package__)
    if not isinstance(root, Path):  # e.g. a zip import: templates need a real folder
        raise ScenarioError(f"built-in scenarios are not on the file system ({root})")
    return root


def scenario_folders(scenario_dirs: Sequence[Path] | None = None) -> dict[str, Path]:
    """Scenario name → folder, built-ins first, then `scenario_dirs` in order (later wins).

    Each entry of `scenario_dirs` is either a folder of scenario folders or a single
    scenario folder (one that holds a manifest itself). A missing entry is an error, since
    a mistyped path would otherwise quietly run the built-in scenario instead.
    """
    found: dict[str, Path] = {}
    for root in [builtin_scenarios_dir(), *(Path(d) for d in scenario_dirs or [])]:
        if not root.is_dir():
            raise ScenarioError(f"{root}: scenario directory does not exist")
        if (root / MANIFEST).is_file():
            found[root.name] = root
            continue
        for child in sorted(root.iterdir()):
            if child.is_dir() and (child / MANIFEST).is_file():
                found[child.name] = child
    return found


def read_manifest(folder: Path) -> ScenarioManifest:
    """Parse and validate `folder/manifest.yaml`; every failure names the file."""
    return _read_named(folder, MANIFEST, ScenarioManifest, "manifest")


def read_variant(folder: Path) -> VariantManifest:
    """Parse and validate `folder/variant.yaml`; every failure names the file."""
    manifest = _read_named(folder, VARIANT_FILE, VariantManifest, "variant")
    if manifest.template and not (folder / manifest.template).is_file():
        raise ScenarioError(f"{folder / manifest.template}: template file not found")
    return manifest


def _read_named(folder: Path, filename: str, model: type[M], what: str) -> M:
    """Read `folder/filename`, whose `name` must be the folder's name."""
    manifest = _read_model(folder / filename, model, what)
    if manifest.name != folder.name:
        raise ScenarioError(
            f"{folder / filename}: {what} name {manifest.name!r} does not match its "
            f"folder {folder.name!r}"
        )
    return manifest


def _read_model(path: Path, model: type[M], what: str) -> M:
    text = read_text(path, what, ScenarioError)
    data = yaml_mapping(text, path, f"a mapping of {what} fields at the top level", ScenarioError)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or f'({what})'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ScenarioError(f"{path}: invalid {what}: {problems}") from None


def variant_folders(scenario_dirs: Sequence[Path] | None = None) -> dict[str, Path]:
    """Variant name → folder: built-ins first, then each user folder's `variants/` (later wins).

    A user folder may also be a `variants/` folder itself, or a single variant folder.
    """
    found: dict[str, Path] = {}
    roots = [builtin_scenarios_dir(), *(Path(d) for d in scenario_dirs or [])]
    for root in roots:
        if not root.is_dir():
            raise ScenarioError(f"{root}: scenario directory does not exist")
        if (root / VARIANT_FILE).is_file():
            found[root.name] = root
            continue
        for parent in (root / VARIANTS_DIR, root):
            if not parent.is_dir():
                continue
            for child in sorted(parent.iterdir()):
                if child.is_dir() and (child / VARIANT_FILE).is_file():
                    found[child.name] = child
    return found


def load_scenario(
    name: str,
    scenario_dirs: Sequence[Path] | None = None,
    variants: Sequence[str] = (),
) -> Scenario:
    """Load the scenario called `name` with `variants` applied, checking everything.

    `variants` are specs, `name` or `name:value` (`three_tier`, `drop_tier:pro`,
    `lab_name:"Google DeepMind"`, `ablate:training_effect`); their order does not matter.

    Raises:
        ScenarioError: unknown scenario or variant (the message lists the available ones),
            a variant that does not apply to the scenario, conflicting variants, or a broken
            manifest or template (the message names the file and the problem).
    """
    if isinstance(variants, str):  # a lone string is one spec, not a sequence of letters
        variants = [variants]
    folders = scenario_folders(scenario_dirs)
    if name not in folders:
        choices = ", ".join(sorted(folders)) or "none"
        raise ScenarioError(
            f"unknown scenario {name!r} (available: {choices}){did_you_mean(name, folders)}"
        )
    folder = folders[name]
    manifest = read_manifest(folder)
    applied = _applied_variants(manifest, variants, scenario_dirs)
    return Scenario(manifest, folder, applied)


def _applied_variants(
    scenario: ScenarioManifest, specs: Sequence[str], scenario_dirs: Sequence[Path] | None
) -> list[AppliedVariant]:
    if not specs:
        return []
    parsed = sorted({parse_variant_spec(s) for s in specs}, key=lambda s: s.sort_key())
    folders = variant_folders(scenario_dirs)
    applied = []
    for spec in parsed:
        if spec.name == ABLATE:  # built in code: it fills whichever slot is named
            applied.append(ablation_variant(spec))
            continue
        if spec.name not in folders:
            choices = ", ".join(sorted([*folders, f"{ABLATE}:<slot>"]))
            raise ScenarioError(
                f"unknown variant {spec.name!r} (available: {choices})"
                f"{did_you_mean(spec.name, [*folders, ABLATE])}"
            )
        folder = folders[spec.name]
        manifest = read_variant(folder)
        if manifest.applies_to and scenario.name not in manifest.applies_to:
            raise ScenarioError(
                f"variant {spec.name!r} does not apply to scenario {scenario.name!r} "
                f"(it applies to: {', '.join(manifest.applies_to)})"
            )
        bound = bind_value(manifest, spec, folder / VARIANT_FILE)
        applied.append(AppliedVariant(bound, folder, spec))
    return applied


def list_scenarios(scenario_dirs: Sequence[Path] | None = None) -> list[ScenarioManifest]:
    """The manifests of every available scenario, sorted by name.

    Manifests are validated (a broken one raises); templates are only checked on load.
    """
    folders = scenario_folders(scenario_dirs)
    return [read_manifest(folders[name]) for name in sorted(folders)]


def list_variants(scenario_dirs: Sequence[Path] | None = None) -> list[VariantManifest]:
    """The manifests of every available variant, sorted by name.

    Manifests are validated (a broken one raises); templates are only checked on load.
    """
    folders = variant_folders(scenario_dirs)
    return [read_variant(folders[name]) for name in sorted(folders)]
