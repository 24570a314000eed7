"""CLI options generated from a pydantic config model, so that `afbench run`'s options,
their defaults and their help are the config's fields and nothing else.

A field's `description` is its help; `json_schema_extra` gives its flags (default
`--field-name`) and whether the CLI shows it. Lists become repeatable options, booleans
`--x/--no-x` pairs, mappings repeatable `key=value` options.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ._common import parse_kv


def config_parameters(
    model: type[BaseModel], *, exclude: tuple[str, ...] = ()
) -> list[inspect.Parameter]:
    """One keyword parameter, annotated for Typer, per CLI field of `model`, in the order
    of the model's `cli_panels` (the topics `--help` lists them under), if it has one."""
    params = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if name in exclude or not extra.get("cli", True):
            continue
        if _is_bool(info.annotation):
            params.extend(_flag_parameters(name, info, extra))
            continue
        annotation, default = _cli_type(info)
        option = typer.Option(
            *_flags(info, name),
            help=info.description or "",
            rich_help_panel=extra.get("panel"),
            metavar=extra.get("metavar") or _metavar(info.annotation),
        )
        params.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                annotation=Annotated[annotation, option],
            )
        )
    order = list(getattr(model, "cli_panels", ()))
    return sorted(params, key=lambda p: _panel_rank(p, order))


def _panel_rank(param: inspect.Parameter, order: list[str]) -> int:
    """Typer lists the panels in the order their first option appears."""
    panel = next((m.rich_help_panel for m in getattr(param.annotation, "__metadata__", ())), None)
    return order.index(panel) if panel in order else len(order)


#: Prefix of the hidden parameter that carries a boolean option's `--no-x` spelling.
_NEGATED = "no__"


def _flag_parameters(name: str, info: FieldInfo, extra: dict[str, Any]) -> list[inspect.Parameter]:
    """`--x` (listed) and `--no-x` (accepted, named in the help) for a boolean field.

    Why two parameters rather than Typer's `--x/--no-x`: the pair fills a column of its
    own in `--help`, which at 80 columns left the help text a few words per line and cut
    long option names; the one column left reads well. `default None` means "as the
    scenario says", so neither flag given leaves the field unset."""
    flag, *aliases = _flags(info, name)
    default = info.get_default(call_default_factory=True)
    help_text = info.description or ""
    if default is True:
        help_text += f" On unless --no-{flag[2:]}."
    elif default is None:
        help_text += f" Or --no-{flag[2:]}."
    panel = extra.get("panel")
    on = typer.Option(
        flag, *aliases, help=help_text, rich_help_panel=panel, show_default=False, metavar=""
    )
    off = typer.Option(f"--no-{flag[2:]}", hidden=True)
    return [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[bool | None, on],
        ),
        inspect.Parameter(
            _NEGATED + name,
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[bool, off],
        ),
    ]


def _metavar(annotation: Any) -> str:
    """The value's name in `--help` (`N`, `PATH`), short so the help text keeps its room."""
    base = _strip_none(annotation)
    if _origin(annotation) is list:
        base = typing.get_args(base)[0]
    if _is_union_of_int_and_str(annotation):
        return "N"
    return {int: "N", float: "X", Path: "PATH"}.get(base, "TEXT")


def with_config_options(
    model: type[BaseModel], *, exclude: tuple[str, ...] = (), extra: list[inspect.Parameter] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a `def command(**values)` the model's options (plus `extra` parameters) as
    its signature, which is what Typer reads. `values` also holds the command's context
    (under `_CONTEXT`), so `config_values` can tell given options from defaults."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        context = inspect.Parameter(
            _CONTEXT, inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context
        )
        params = config_parameters(model, exclude=exclude) + list(extra) + [context]
        func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        return func

    return decorate


def config_values(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """The CLI's values as the model's input: options not given are left to the model's
    defaults, `key=value` lists become mappings.

    An option left at its default is not passed at all, so the model can tell it from one
    the user gave (a `--system-prompt-file` picks the scenario unless `--scenario` is given)."""
    out: dict[str, Any] = {}
    context = values.get(_CONTEXT)
    negated = {k[len(_NEGATED) :] for k, v in values.items() if k.startswith(_NEGATED) and v}
    values = _merge_negated(values)
    for name, value in values.items():
        info = model.model_fields.get(name)
        if info is None or value is None:
            continue
        if name not in negated and _left_at_default(context, name):
            continue
        if _origin(info.annotation) is dict:
            value = parse_kv(value, _flags(info, name)[-1])
        elif isinstance(value, list | tuple):
            if not value:
                continue
            value = list(value)
        out[name] = value
    return out


#: The parameter through which Typer hands a config command its context.
_CONTEXT = "_afbench_context"


def _left_at_default(context: Any, name: str) -> bool:
    """Whether the command got option `name` from its default (False without a context,
    e.g. when a test calls `config_values` directly)."""
    source_of = getattr(context, "get_parameter_source", None)
    if source_of is None:
        return False
    source = source_of(name)
    return source is not None and source.name == "DEFAULT"


def _merge_negated(values: dict[str, Any]) -> dict[str, Any]:
    """`--no-x` given: the field `x` is False (both `--x` and `--no-x`: an error)."""
    from ..errors import ConfigError

    merged = {k: v for k, v in values.items() if not k.startswith(_NEGATED)}
    for key, value in values.items():
        if key.startswith(_NEGATED) and value:
            name = key[len(_NEGATED) :]
            if merged.get(name):
                flag = name.replace("_", "-")
                raise ConfigError(f"--{flag} and --no-{flag} both given; give one")
            merged[name] = False
    return merged


def _cli_type(info: FieldInfo) -> tuple[Any, Any]:
    """The Typer annotation and default for a field."""
    annotation = info.annotation
    required = info.is_required()
    default = None if required else info.get_default(call_default_factory=True)
    origin = _origin(annotation)
    if origin is dict:
        return list[str] | None, None
    if origin is list:
        item = typing.get_args(_strip_none(annotation))[0]
        return (list[item] if required else list[item] | None), (... if required else None)
    if _is_union_of_int_and_str(annotation):
        return str, str(default)
    return annotation, (... if required else default)


def _flags(info: FieldInfo, name: str) -> list[str]:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return list(extra.get("flags") or [f"--{name.replace('_', '-')}"])


def _strip_none(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if _is_union(annotation) and len(args) == 1:
        return args[0]
    return annotation


def _origin(annotation: Any) -> Any:
    return typing.get_origin(_strip_none(annotation))


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _is_bool(annotation: Any) -> bool:
    return _strip_none(annotation) is bool


def _is_union_of_int_and_str(annotation: Any) -> bool:
    return _is_union(annotation) and set(typing.get_args(annotation)) == {int, str}
