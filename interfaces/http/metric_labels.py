"""The labels of a request's metrics: its route template, and its command and outcome."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from fastapi.routing import iter_route_contexts

from application.commands.catalog import BY_NAME

# Codes of a refusal that a retry on fresh state may get past: counted as conflicts.
CONFLICT_CODES = frozenset({"concurrent_write", "stale_version", "conflict",
                            "idempotency_key_in_progress"})


def route_templates(app: Any) -> dict[int, str]:
    """Each route's full path template (prefixes included), by the route's identity: FastAPI
    keeps included routers nested, so the route of a request knows only its own part."""
    return {id(context.original_route): str(context.path_format)
            for context in iter_route_contexts(app.routes) if context.path_format}


def route_template(scope: MutableMapping[str, Any]) -> str:
    route = scope.get("route")
    if route is None:
        return "unmatched"
    templates = getattr(getattr(scope.get("app"), "state", None), "route_templates", {})
    return str(templates.get(id(route)) or getattr(route, "path", None) or "unmatched")


def command_of(scope: MutableMapping[str, Any]) -> str | None:
    command = BY_NAME.get(getattr(scope.get("route"), "name", ""))
    return None if command is None else command.__name__


def command_outcome(status: int, replayed: bool, code: str) -> tuple[str, str]:
    if status < 400:
        return ("replayed" if replayed else "recorded"), ""
    if code in CONFLICT_CODES:
        return "conflict", code
    return ("refused" if status < 500 else "failed"), code
