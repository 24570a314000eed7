"""Finding and loading scenario folders.

Built-in scenarios ship inside the package; users add or replace scenarios by pointing at
their own folders. Later folders win, so a user can override a built-in scenario by giving
their copy the same name, without touching the installed package.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import ScenarioError
from .manifest import ScenarioManifest
from .scenario import Scenario

MANIFEST = "manifest.yaml"


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
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read manifest ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: manifest is not UTF-8 ({exc.reason})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: malformed YAML{_yaml_location(exc)}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of manifest fields at the top level")
    try:
        manifest = ScenarioManifest.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(manifest)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ScenarioError(f"{path}: invalid manifest: {problems}") from None
    if manifest.name != folder.name:
        raise ScenarioError(
            f"{path}: manifest name {manifest.name!r} does not match its folder {folder.name!r}"
        )
    return manifest


def _yaml_location(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return f": {problem}"
    return f" at line {mark.line + 1}, column {mark.column + 1}: {problem}"


def load_scenario(name: str, scenario_dirs: Sequence[Path] | None = None) -> Scenario:
    """Load the scenario called `name`, checking its manifest and templates.

    Raises:
        ScenarioError: unknown name (the message lists the available ones), or a broken
            manifest or template (the message names the file and the problem).
    """
    folders = scenario_folders(scenario_dirs)
    if name not in folders:
        choices = ", ".join(sorted(folders)) or "none"
        raise ScenarioError(f"unknown scenario {name!r} (available: {choices})")
    folder = folders[name]
    return Scenario(read_manifest(folder), folder)


def list_scenarios(scenario_dirs: Sequence[Path] | None = None) -> list[ScenarioManifest]:
    """The manifests of every available scenario, sorted by name.

    Manifests are validated (a broken one raises); templates are only checked on load.
    """
    folders = scenario_folders(scenario_dirs)
    return [read_manifest(folders[name]) for name in sorted(folders)]
