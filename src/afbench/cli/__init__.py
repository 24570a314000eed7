"""The `afbench` command: one Typer app whose commands live one module each beside it."""

from .app import app, main

__all__ = ["app", "main"]
