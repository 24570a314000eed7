"""The provider routes of a condition: what served its samples, counted.

A condition served by more than one route (another returned model id, fingerprint or
router provider) may mix behaviours that belong to different deployments of "the same"
model; the summary lists the routes with their counts and `mixed_routes` flags it, for
the report and the console (`afbench.report.routes`). Conditions whose samples report no route (in-process models)
get no route keys, so older summaries and simulator runs keep their shape.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: How a finished sample without a reported route is counted beside samples with one.
UNREPORTED = "unreported"


def route_fields(done: pd.DataFrame) -> dict[str, Any]:
    """`routes` ({label: samples}, most frequent first) and `mixed_routes`; {} when no
    sample of the condition reported a route."""
    if "route" not in done or not done["route"].notna().any():
        return {}
    counts = done["route"].fillna(UNREPORTED).value_counts()
    routes = {str(label): int(n) for label, n in counts.items()}
    served = [label for label in routes if label != UNREPORTED]
    # one sample served by two routes (its label joins them) is mixed too
    mixed = len(served) > 1 or any(" + " in label for label in served)
    return {"routes": routes, "mixed_routes": mixed}
