"""Counts each request and command as it is answered (pure ASGI middleware)."""

from __future__ import annotations

import json
import time
from collections.abc import MutableMapping
from typing import Any

from interfaces.http.asgi import HttpMiddleware
from interfaces.http.metric_labels import command_of, command_outcome, route_template
from interfaces.http.metrics import COMMANDS, LATENCY, REQUESTS
from interfaces.http.pool_metrics import POOLS

_PROBLEM_BODY_LIMIT = 64 * 1024


class MetricsMiddleware(HttpMiddleware):
    """Counts every request by route template, method and status, and every command by type
    and outcome (pure ASGI; outermost, so it sees the status the client gets)."""

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = time.perf_counter()
        seen: dict[str, Any] = {"status": 500, "replayed": False, "problem": None}

        async def observing_send(message: MutableMapping[str, Any]) -> None:
            _observe(seen, message)
            await send(message)

        try:
            await self.app(scope, receive, observing_send)
        finally:
            _record(scope, seen, time.perf_counter() - started)


def _observe(seen: dict[str, Any], message: MutableMapping[str, Any]) -> None:
    if message["type"] == "http.response.start":
        seen["status"] = message["status"]
        headers = dict(message.get("headers", []))
        seen["replayed"] = headers.get(b"idempotent-replayed") == b"true"
        if headers.get(b"content-type", b"").startswith(b"application/problem+json"):
            seen["problem"] = bytearray()
    elif message["type"] == "http.response.body" and seen["problem"] is not None:
        if len(seen["problem"]) < _PROBLEM_BODY_LIMIT:
            seen["problem"] += message.get("body", b"")


def _problem_code(body: bytearray | None) -> str:
    try:
        code = json.loads(bytes(body)).get("code") if body else None
    except (ValueError, AttributeError):
        code = None
    return code if isinstance(code, str) and len(code) <= 64 else ""


# Each labelled series once found (``labels()`` checks and locks on every call). The labels
# are bounded: route templates, methods, statuses, commands, outcomes and problem codes.
_SERIES: dict[tuple[int, tuple[str, ...]], Any] = {}


def _series(metric: Any, *labels: str) -> Any:
    key = (id(metric), labels)
    found = _SERIES.get(key)
    if found is None:
        found = _SERIES[key] = metric.labels(*labels)
    return found


def _record(scope: dict[str, Any], seen: dict[str, Any], seconds: float) -> None:
    route, method, status = route_template(scope), str(scope["method"]), int(seen["status"])
    _series(REQUESTS, route, method, str(status)).inc()
    _series(LATENCY, route, method).observe(seconds)
    command = command_of(scope)
    if command is not None:
        outcome, code = command_outcome(status, seen["replayed"], _problem_code(seen["problem"]))
        _series(COMMANDS, command, outcome, code).inc()
    app = scope.get("app")
    container = getattr(getattr(app, "state", None), "container", None)
    if container is not None:
        POOLS.refresh(container)
