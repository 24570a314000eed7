"""afbench: alignment-faking experiments on any language model, built on Inspect AI.

Nothing heavy is imported here: `import afbench` must stay cheap because Inspect
imports our registry module on start-up.
"""

__version__ = "0.1.0"
