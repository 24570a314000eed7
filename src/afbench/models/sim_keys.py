"""Where the simulated model's ground truth travels, from its output to the sample.

`sim/<profile>` knows what it meant to do (comply or not, fake alignment or not); it
puts that in `ModelOutput.metadata[SIM_OUTPUT_KEY]`. The conversation keeps the first
turn's truth in the sample's metadata under `SIM_TRUTH_KEY`, so that tests and the
analysis can compare what was measured with what was true. Real models write neither.
"""

from __future__ import annotations

from typing import Any

#: Key in `ModelOutput.metadata` where `sim/<profile>` writes its ground truth.
SIM_OUTPUT_KEY = "sim"
#: Key in a sample's metadata where the conversation records that truth.
SIM_TRUTH_KEY = "sim_truth"


def record_sim_truth(
    sample_metadata: dict[str, Any], output_metadata: dict[str, Any] | None
) -> None:
    """Keep what the simulated model intended (the first turn's, without the turn number)."""
    if (
        output_metadata
        and SIM_OUTPUT_KEY in output_metadata
        and SIM_TRUTH_KEY not in sample_metadata
    ):
        truth = dict(output_metadata[SIM_OUTPUT_KEY])
        truth.pop("turn", None)
        sample_metadata[SIM_TRUTH_KEY] = truth
