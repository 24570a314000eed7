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
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ._common import parse_kv


def config_parameters(
    model: type[BaseModel], *, exclude: tuple[str, ...] = ()
) -> list[inspect.Parameter]:
    """One keyword parameter, annotated for Typer, per CLI field of `model`."""
    params = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if name in exclude or not extra.get("cli", True):
            continue
        annotation, default = _cli_type(info)
        flags = list(extra.get("flags") or [f"--{name.replace('_', '-')}"])
        if _is_bool(info.annotation):
            flags = [f"{flags[0]}/--no-{flags[0][2:]}", *flags[1:]]
        option = typer.Option(*flags, help=info.description or "")
        params.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                annotation=Annotated[annotation, option],
            )
        )
    return params


def with_config_options(
    model: type[BaseModel], *, exclude: tuple[str, ...] = (), extra: list[inspect.Parameter] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a `def command(**values)` the model's options (plus `extra` parameters) as
    its signature, which is what Typer reads."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        params = config_parameters(model, exclude=exclude) + list(extra)
        func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        return func

    return decorate


def config_values(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """The CLI's values as the model's input: options not given are left to the model's
    defaults, `key=value` lists become mappings."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        info = model.model_fields.get(name)
        if info is None or value is None:
            continue
        if _origin(info.annotation) is dict:
            value = parse_kv(value, _flags(info, name)[-1])
        elif isinstance(value, list | tuple):
            if not value:
                continue
            value = list(value)
        out[name] = value
    return out


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
