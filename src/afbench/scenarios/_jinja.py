"""Jinja plumbing: strict environments and errors that name the file and line.

Prompts are plain text, not HTML, so nothing is escaped; undefined variables are errors
(`StrictUndefined`), because a prompt that silently renders an empty string where a fact
should be is a broken experiment that still runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes

from .errors import ScenarioError


@dataclass(frozen=True)
class InlineOverlay:
    """Block overrides written by afbench itself rather than read from a file.

    Why: an ablation (`ablate:<slot>`) empties whichever slot the user names, so its
    one-block template is generated; `origin` is what errors name instead of a file.
    """

    source: str
    origin: str


def make_environment(
    search_path: Iterable[Path],
    overlays: Mapping[str, tuple[str, Path | InlineOverlay]] | None = None,
) -> jinja2.Environment:
    """An environment that loads templates from `search_path`, first match wins.

    `overlays` maps virtual template names to `(parent, file)`: the file's blocks
    override those of the parent template (see :class:`OverlayLoader`); the file may be
    an :class:`InlineOverlay`.
    """
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader(
        [str(p) for p in search_path], encoding="utf-8"
    )
    if overlays:
        loader = jinja2.ChoiceLoader([OverlayLoader(overlays), loader])
    return jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


class OverlayLoader(jinja2.BaseLoader):
    """Serves a file of block overrides as a template that extends a parent template.

    Variant files hold only `{% block %}` overrides and do not name their parent, so
    that the same file can sit on top of any scenario or other variant: the loader
    prepends `{% extends parent %}` on the first line (line numbers stay correct) and
    reports the real file name in errors.
    """

    def __init__(self, overlays: Mapping[str, tuple[str, Path | InlineOverlay]]) -> None:
        self.overlays = dict(overlays)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        if template not in self.overlays:
            raise jinja2.TemplateNotFound(template)
        parent, path = self.overlays[template]
        if isinstance(path, InlineOverlay):
            source, origin = path.source, path.origin
        else:
            source, origin = read_template_file(path), str(path)
        return "{% extends " + repr(parent) + " %}" + source, origin, lambda: True


def read_template_file(path: Path) -> str:
    """A template file's text; unreadable or non-UTF-8 files are ScenarioErrors."""
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read template ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not valid UTF-8 ({exc.reason})") from None


def block_names(env: jinja2.Environment, source: str, filename: str) -> list[str]:
    """The names of every `{% block %}` a template defines, nested ones included."""
    try:
        tree = env.parse(source, filename=filename)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc, filename) from None
    return [node.name for node in tree.find_all(jinja2.nodes.Block)]


def stray_text(env: jinja2.Environment, source: str, filename: str) -> str | None:
    """Text or tags outside any block in a file of block overrides, if there is any.

    Jinja silently drops what a child template holds outside its blocks; a variant
    author who wrote a paragraph there would otherwise never see it rendered.
    """
    tree = env.parse(source, filename=filename)
    for node in tree.body:
        if isinstance(node, jinja2.nodes.Block):
            continue
        if isinstance(node, jinja2.nodes.Output) and all(
            isinstance(child, jinja2.nodes.TemplateData) and not child.data.strip()
            for child in node.nodes
        ):
            continue
        return f"line {node.lineno}"
    return None


def check_templates(env: jinja2.Environment, roots: Iterable[str], folder: Path) -> None:
    """Load every template reachable from `roots` through constant includes/imports.

    Done when a scenario is loaded, so that a missing or broken template fails before any
    sample is built rather than in the middle of a run.
    """
    pending = list(roots)
    seen: set[str] = set()
    parent: dict[str, str] = {}
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            if name in parent:
                raise ScenarioError(
                    f"{folder / parent[name]}: includes template {name!r}, "
                    f"which does not exist in {folder}"
                ) from None
            raise ScenarioError(f"{folder / name}: template file not found") from None
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"{folder / name}: not valid UTF-8 ({exc.reason})") from None
        # Compiling (not just parsing) also catches unknown filters and tests.
        get_template(env, name, filename or str(folder / name))
        for child in jinja2.meta.find_referenced_templates(env.parse(source, name, filename)):
            if child is not None and child not in seen:
                parent.setdefault(child, name)
                pending.append(child)


def get_template(env: jinja2.Environment, name: str, filename: str) -> jinja2.Template:
    """`env.get_template(name)`, with load and compile failures as ScenarioErrors."""
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc, filename) from None
    except jinja2.TemplateNotFound:
        raise ScenarioError(f"{filename}: template file not found") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{filename}: not valid UTF-8 ({exc.reason})") from None


def syntax_error(exc: jinja2.TemplateSyntaxError, filename: str) -> ScenarioError:
    """A ScenarioError for a Jinja syntax error, naming the file and line."""
    where = exc.filename or filename
    return ScenarioError(f"{where}, line {exc.lineno}: Jinja syntax error: {exc.message}")


def render(template: jinja2.Template, context: Mapping[str, Any], filename: str) -> str:
    """Render, turning any Jinja failure into a ScenarioError that names file and line."""
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:  # raised by an include compiled on demand
        raise syntax_error(exc, filename) from None
    except jinja2.TemplateNotFound as exc:
        raise ScenarioError(f"{filename}: included template {exc.name!r} not found") from None
    except jinja2.UndefinedError as exc:
        where = _template_location(exc) or filename
        names = ", ".join(sorted(context))
        raise ScenarioError(f"{where}: {exc.message} (variables available: {names})") from None
    except jinja2.TemplateError as exc:
        where = _template_location(exc) or filename
        raise ScenarioError(f"{where}: Jinja error: {exc}") from None


def _template_location(exc: BaseException) -> str | None:
    """`file, line N` of the innermost template frame in the traceback, if any.

    Jinja rewrites tracebacks so that frames of compiled templates carry the template's
    file name and source line; we use the innermost one, which is where the error is.
    """
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = f"{tb.tb_frame.f_code.co_filename}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return found
