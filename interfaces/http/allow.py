"""The methods a path allows, for the ``Allow`` header of 405 and OPTIONS answers."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute, Match

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _served(routes: list[BaseRoute], path: str, method: str) -> bool:
    # A fresh scope for each probe: matching must not touch the request being answered.
    scope: dict[str, Any] = {"type": "http", "path": path, "root_path": "", "method": method}
    return any(route.matches(scope)[0] == Match.FULL for route in routes)


def allowed_methods(routes: list[BaseRoute], path: str) -> list[str]:
    """Every method some route serves on ``path`` (one route may serve only one of them),
    and OPTIONS, which the app answers for every path it serves."""
    methods = [m for m in _METHODS if _served(routes, path, m)]
    return [*methods, "OPTIONS"] if methods else []
