"""What the provider said served a sample: the provider route.

The same model name can behave very differently depending on who served it (a router may
send one request to one host and the next to another, with other weights, quantisation
or safety layers). So every sample records, for each model call of its conversation, what
the response itself reported: the returned model id, the system fingerprint, and the
router's provider name where the body carries one (OpenRouter puts `provider` in it).

Inspect keeps only the model id on `ModelOutput`; the rest is in the raw response of the
call's `ModelEvent` (`event.call.response`). In-process models (the simulator, local
weights) make no wire call and report no route: their samples record none, and the
summary then has no `routes` key at all.
"""

from __future__ import annotations

from typing import Any

#: Key in the sample's metadata: the distinct routes its model calls reported, in order.
ROUTE_KEY = "afbench_route"
#: The fields of a route, in the order a label shows them.
ROUTE_FIELDS = ("model", "system_fingerprint", "provider")


def route_of_response(response: dict[str, Any] | None) -> dict[str, str] | None:
    """The route a raw chat response reports; None when it reports nothing."""
    if not isinstance(response, dict):
        return None
    route = {k: str(response[k]) for k in ROUTE_FIELDS if response.get(k) not in (None, "")}
    return route or None


def latest_call_route() -> dict[str, str] | None:
    """The route of the last model call of the running sample (its `ModelEvent`)."""
    from inspect_ai.event import ModelEvent
    from inspect_ai.log import transcript

    try:
        event = transcript().history.find_last(lambda e: isinstance(e, ModelEvent))
    except Exception:  # no transcript (a solver called outside a sample): nothing to record
        return None
    call = getattr(event, "call", None)
    return route_of_response(getattr(call, "response", None)) if call is not None else None


def record_route(metadata: dict[str, Any]) -> None:
    """Add the last call's route to the sample's routes (each distinct route once)."""
    route = latest_call_route()
    if route is None:
        return
    routes = metadata.setdefault(ROUTE_KEY, [])
    if route not in routes:
        routes.append(route)


def route_label(route: dict[str, Any]) -> str:
    """One route as text: `model · fp <fingerprint> · via <provider>` (parts it has)."""
    parts = [str(route["model"])] if route.get("model") else []
    if route.get("system_fingerprint"):
        parts.append(f"fp {route['system_fingerprint']}")
    if route.get("provider"):
        parts.append(f"via {route['provider']}")
    return " · ".join(parts) or "unreported"


def sample_route(metadata: dict[str, Any]) -> str | None:
    """The per-sample table's cell: the sample's routes as labels joined by " + " (a
    conversation whose turns were served by different routes shows each); None without."""
    routes = metadata.get(ROUTE_KEY)
    if not isinstance(routes, list) or not routes:
        return None
    return " + ".join(route_label(r) for r in routes if isinstance(r, dict)) or None
