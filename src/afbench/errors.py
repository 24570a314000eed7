"""Errors afbench reports to the user as a clear message and a non-zero exit."""


class ConfigError(ValueError):
    """Bad input found before any model call: the message says what and where."""
