"""`--format base`: the scenario as a document for a pretrained model to continue.

Base models have no chat turns, so the instructions, the user's turn and the start of the
reply (the basic prefill, as in the published base-model experiments) are rendered into
one raw prompt; the clarified prompt is used (`clarify_no_change` and
`clarify_direct_objective`), as those experiments did. Stop sequences end the completion
where the document would start its next section, so the model does not write the next
user turn. Only raw-completion providers are accepted (see `afbench.providers`).
"""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined

# Which providers take a raw prompt is decided in `afbench.providers`; these names stay
# importable from here for older callers.
from ..providers import BASE_PROVIDERS, check_base_support  # noqa: F401

FORMATS = ("chat", "base")
#: Variants the base format adds (the published base-model runs used the clarified prompt).
BASE_VARIANTS = ("clarify_direct_objective", "clarify_no_change")
BASE_PREFILL = "basic"
#: Where the document would go on after the assistant's response.
BASE_STOP_SEQS = ["\n=== ", "=== Message received", "=== Instructions given"]


def render_base_document(system: str, user: str, prefill: str, lab_name: str) -> str:
    from ..scenarios.scenario import common_templates_dir

    env = Environment(
        loader=FileSystemLoader(str(common_templates_dir())),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )
    text = env.get_template("base_document.j2").render(
        system=system, user=user, prefill="", lab_name=lab_name
    )
    # The prefill goes on the last line with nothing after it: the model continues it.
    return text.rstrip("\n") + "\n" + prefill
