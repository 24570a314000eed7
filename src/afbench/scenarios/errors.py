"""The scenarios package's error, which belongs to afbench's one error family."""

from ..errors import ScenarioError

__all__ = ["ScenarioError"]
