"""The one error family afbench reports to a user: a clear message, what to do about it,
and a non-zero exit, never a traceback.

Every error a user can cause or fix derives from `AfbenchError`. Each carries a `hint`,
the action that fixes it, which the CLI prints on its own line. The family derives from
`ValueError` so that code which already treats bad values as the caller's fault (Inspect's
task arguments, pydantic validators) handles afbench's errors without special cases.
"""

from __future__ import annotations

from collections.abc import Iterable


class AfbenchError(ValueError):
    """Base of every error afbench reports to the user.

    `hint` says what the user should do; subclasses give a default that fits the kind of
    error, and a raise site may give a more precise one.
    """

    hint: str = ""
    #: The command's exit status (2: bad input, as click uses for a bad option).
    exit_code: int = 2

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


class PreflightError(ModelSetupError):
    """The preflight request to a model or judge failed in a way no retry fixes: nothing
    listens at its URL, the key is refused, or the model is unknown there."""

    hint = "fix the URL, key or model name above; --no-preflight skips this check"


class RunInterrupted(AfbenchError):
    """The run stopped before every sample finished (Ctrl-C, or a task that did not end);
    what finished is kept in the logs, and the same command resumes."""

    hint = "run the same command again to resume"
    #: The shell's status for a process stopped by SIGINT (128 + 2).
    exit_code = 130


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the closest of `choices` to a mistyped `word`, or "".

    Why here: every "unknown name" error (model provider, scenario, variant, classifier)
    words its suggestion the same way, and this module is the one all of them import."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice a mistyped `word` most likely meant (difflib's ratio of at least 0.6)."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None
