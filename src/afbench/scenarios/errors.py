"""The one error type of the scenarios package."""


class ScenarioError(ValueError):
    """A scenario cannot be found, loaded or rendered.

    The message always names the file at fault (and the line, where one is known) and, for
    a bad choice, the valid choices: these errors are read by people fixing a manifest or a
    template, usually before any model has been called.
    """
