"""Prometheus metrics: what each serving process counts, and what the database says at scrape.

Requests, commands and pool use are counted by each process; with ``PROMETHEUS_MULTIPROC_DIR``
set (``serve --workers N`` sets it for its processes) every process writes them to files there
and a scrape of any one of them sums them all. Projection positions, lags and failures are read
from the database when scraped, so they are the same whichever process answers.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

from fastapi.routing import iter_route_contexts
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from application.commands.catalog import BY_NAME
from infrastructure.sqlite_writer import writer_queue
from infrastructure.views.lag import age_of_first_unprocessed

disable_created_metrics()  # no `_created` series beside every counter
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
OWN = CollectorRegistry(auto_describe=True)
# Codes of a refusal that a retry on fresh state may get past: counted as conflicts.
CONFLICT_CODES = frozenset({"concurrent_write", "stale_version", "conflict",
                            "idempotency_key_in_progress"})
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_PROBLEM_BODY_LIMIT = 64 * 1024
POOL_REFRESH_SECONDS = 1.0

REQUESTS = Counter("aidtrail_http_requests", "HTTP requests answered, by route template",
                   ["route", "method", "status"], registry=OWN)
LATENCY = Histogram("aidtrail_http_request_duration_seconds", "Time to answer a request",
                    ["route", "method"], buckets=_LATENCY_BUCKETS, registry=OWN)
COMMANDS = Counter("aidtrail_commands", "Commands by type and outcome (recorded, replayed, "
                   "conflict, refused, failed) and the problem code of a refusal",
                   ["command", "outcome", "code"], registry=OWN)
POOL_CONNECTIONS = Gauge("aidtrail_db_pool_connections", "Connections of the pool, by state",
                         ["pool", "state"], multiprocess_mode="livesum", registry=OWN)
POOL_WAITING = Gauge("aidtrail_db_pool_waiting", "Requests waiting for a connection (or, on "
                     "SQLite, for their turn to write) now", ["pool"],
                     multiprocess_mode="livesum", registry=OWN)
POOL_WAITS = Counter("aidtrail_db_pool_waits", "Requests that had to wait", ["pool"],
                     registry=OWN)
POOL_WAIT_SECONDS = Counter("aidtrail_db_pool_wait_seconds", "Total time spent waiting",
                            ["pool"], registry=OWN)
POOL_TIMEOUTS = Counter("aidtrail_db_pool_timeouts", "Requests that gave up waiting",
                        ["pool"], registry=OWN)


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


class MetricsMiddleware:
    """Counts every request by route template, method and status, and every command by type
    and outcome (pure ASGI; outermost, so it sees the status the client gets)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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


def _record(scope: dict[str, Any], seen: dict[str, Any], seconds: float) -> None:
    route, method, status = route_template(scope), str(scope["method"]), int(seen["status"])
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route, method).observe(seconds)
    command = command_of(scope)
    if command is not None:
        outcome, code = command_outcome(status, seen["replayed"], _problem_code(seen["problem"]))
        COMMANDS.labels(command, outcome, code).inc()
    app = scope.get("app")
    container = getattr(getattr(app, "state", None), "container", None)
    if container is not None:
        POOLS.refresh(container)


class _PoolMeter:
    """Copies the pools' figures into the metrics, at most once per ``POOL_REFRESH_SECONDS``
    (at the end of a request, and at every scrape)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0.0
        self._sqlite_seen: dict[str, tuple[int, float, int]] = {}

    def refresh(self, container: Any, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < POOL_REFRESH_SECONDS:
            return
        if not self._lock.acquire(blocking=False):
            return
        try:
            self._last = now
            pool = getattr(getattr(container.app.recorder, "datastore", None), "pool", None)
            if hasattr(pool, "pop_stats"):
                _psycopg_pool("events", pool)
            if container.database.sqlite_path is not None:
                self._sqlite_writer(container.database.sqlite_path)
        finally:
            self._lock.release()

    def _sqlite_writer(self, path: str) -> None:
        queue = writer_queue(path)
        waits, seconds, timeouts = queue.waits, queue.wait_seconds, queue.timeouts
        before = self._sqlite_seen.get(path, (0, 0.0, 0))
        self._sqlite_seen[path] = (waits, seconds, timeouts)
        POOL_WAITING.labels("sqlite_writer").set(queue.waiting)
        POOL_WAITS.labels("sqlite_writer").inc(waits - before[0])
        POOL_WAIT_SECONDS.labels("sqlite_writer").inc(max(0.0, seconds - before[1]))
        POOL_TIMEOUTS.labels("sqlite_writer").inc(timeouts - before[2])


def _psycopg_pool(name: str, pool: Any) -> None:
    stats = pool.pop_stats()  # the counters since the last call, and the sizes now
    size, available = stats.get("pool_size", 0), stats.get("pool_available", 0)
    POOL_CONNECTIONS.labels(name, "max").set(stats.get("pool_max", 0))
    POOL_CONNECTIONS.labels(name, "open").set(size)
    POOL_CONNECTIONS.labels(name, "in_use").set(max(0, size - available))
    POOL_WAITING.labels(name).set(stats.get("requests_waiting", 0))
    POOL_WAITS.labels(name).inc(stats.get("requests_queued", 0))
    POOL_WAIT_SECONDS.labels(name).inc(stats.get("requests_wait_ms", 0) / 1000)
    POOL_TIMEOUTS.labels(name).inc(stats.get("requests_errors", 0))


POOLS = _PoolMeter()


class ProjectionCollector:
    """Each projection's position, lag and failure, read from the database at scrape time."""

    def __init__(self, container: Any) -> None:
        self.container = container

    def collect(self) -> Iterator[Metric]:
        runner = self.container.runner
        head = runner.head()
        failing = runner.failures()
        labels = ["projection"]
        metrics = {
            "position": GaugeMetricFamily("aidtrail_projection_position",
                                          "The last event position the projection has "
                                          "applied", labels=labels),
            "lag_events": GaugeMetricFamily("aidtrail_projection_lag_events",
                                            "Events recorded but not yet applied",
                                            labels=labels),
            "lag_seconds": GaugeMetricFamily("aidtrail_projection_lag_seconds",
                                             "Age of the oldest event not yet applied",
                                             labels=labels),
            "failing": GaugeMetricFamily("aidtrail_projection_failing", "1 while the "
                                         "projection fails on an event", labels=labels),
            "attempts": GaugeMetricFamily("aidtrail_projection_failure_attempts",
                                          "Attempts at the event it fails on (0: none)",
                                          labels=labels),
        }
        for name, position in sorted(runner.positions().items()):
            failure = failing.get(name)
            metrics["position"].add_metric([name], position)
            metrics["lag_events"].add_metric([name], max(0, head - position))
            metrics["lag_seconds"].add_metric(
                [name], age_of_first_unprocessed(self.container.app, position, head))
            metrics["failing"].add_metric([name], 0 if failure is None else 1)
            metrics["attempts"].add_metric([name], 0 if failure is None else failure.attempts)
        yield GaugeMetricFamily("aidtrail_events_head", "Position of the last recorded event",
                                value=head)
        yield from metrics.values()


class _Scrape:
    def __init__(self, sources: Iterable[Any]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def exposition(container: Any) -> bytes:
    """The Prometheus text format: the counters (of every process, in multiprocess mode)
    and the projections' figures."""
    POOLS.refresh(container, force=True)
    if MULTIPROCESS:
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
        return generate_latest(_Scrape([counted, ProjectionCollector(container)]))  # type: ignore[arg-type]
    return generate_latest(_Scrape([OWN, ProjectionCollector(container)]))  # type: ignore[arg-type]
