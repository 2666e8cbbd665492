"""The database pools' figures (PostgreSQL's connection pool, SQLite's writer queue) copied into
the metrics."""

from __future__ import annotations

import threading
import time
from typing import Any

from infrastructure.sqlite_writer import writer_queue
from interfaces.http.metrics import (
    GROUP_COMMIT_BATCHES,
    GROUP_COMMIT_COMMANDS,
    POOL_CONNECTIONS,
    POOL_TIMEOUTS,
    POOL_WAIT_SECONDS,
    POOL_WAITING,
    POOL_WAITS,
)

POOL_REFRESH_SECONDS = 1.0


class _PoolMeter:
    """Copies the pools' figures into the metrics, at most once per ``POOL_REFRESH_SECONDS``
    (at the end of a request, and at every scrape)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0.0
        self._sqlite_seen: dict[str, tuple[int, float, int]] = {}
        self._batches_seen: dict[int, tuple[int, int]] = {}

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
            writer = getattr(container.app.recorder, "group_commit", None)
            if writer is not None:
                self._group_commit(writer)
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


    def _group_commit(self, writer: Any) -> None:
        batches, commands = writer.batches, writer.commands
        before = self._batches_seen.get(id(writer), (0, 0))
        self._batches_seen[id(writer)] = (batches, commands)
        GROUP_COMMIT_BATCHES.inc(max(0, batches - before[0]))
        GROUP_COMMIT_COMMANDS.inc(max(0, commands - before[1]))


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
