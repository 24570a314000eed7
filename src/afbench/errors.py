"""The one error family afbench reports to a user: a clear message, what to do about it,
and a non-zero exit, never a traceback.

Every error a user can cause or fix derives from `AfbenchError`. Each carries a `hint`,
the action that fixes it, which the CLI prints on its own line. The family derives from
`ValueError` so that code which already treats bad values as the caller's fault (Inspect's
task arguments, pydantic validators) handles afbench's errors without special cases.
"""

from __future__ import annotations


class AfbenchError(ValueError):
    """Base of every error afbench reports to the user.

    `hint` says what the user should do; subclasses give a default that fits the kind of
    error, and a raise site may give a more precise one.
    """

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ConfigError(AfbenchError):
    """Bad input found before any model call: the message says what and where."""

    hint = "fix the option or file named above; nothing was run"


class ScenarioError(ConfigError):
    """A scenario or variant cannot be found, loaded or rendered.

    The message names the file at fault (and the line, where one is known) and, for a bad
    choice, the valid choices: these errors are read by people fixing a manifest or a
    template, usually before any model has been called.
    """

    hint = "`afbench scenarios` lists the settings and variants"


class DatasetError(ConfigError):
    """A request set could not be loaded.

    The message says which file (or which public set) failed and, where it applies, which
    line or row, so that a user can fix the input without a traceback.
    """

    hint = "fix the row named above, or choose another --dataset"


class ModelSetupError(ConfigError):
    """A model or judge cannot be used as asked: a missing key or SDK, an unknown
    provider, a capability the provider lacks (prefill, raw completion)."""

    hint = "check the model string, its API key variable and its provider's package"


class OfflineModelError(ConfigError):
    """The offline classifier's model file is missing, unreadable or inconsistent."""

    hint = "re-create it with `python tools/af_offline/train.py`"


class JudgeFormatError(AfbenchError):
    """A judge's reply did not follow the required format (counted, never guessed)."""

    hint = "the sample is recorded as unscored; try another judge model"


class LogsError(AfbenchError):
    """A run folder holds no afbench logs, or logs afbench cannot read."""

    hint = "point at a folder written by `afbench run`, `sweep` or `import`"
