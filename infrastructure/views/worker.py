"""``aidtrail worker`` on PostgreSQL: one active runner per projection via advisory locks."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
from psycopg import sql

from infrastructure.logging import get_logger
from infrastructure.views.runner import ProjectionRunner

log = get_logger("aidtrail.worker")


class Worker:
    """Holds, per projection, a session-level advisory lock on a dedicated connection.

    The lock is released when that connection closes, so if the active worker dies a
    standby acquires it at its next retry (every ``retry`` seconds).
    """

    def __init__(self, runner: ProjectionRunner, poll: float = 0.5, retry: float = 1.0) -> None:
        if runner.store.dialect != "postgres":
            raise ValueError("the worker needs PostgreSQL; with SQLite `serve` runs the "
                             "projections in-process")
        self.runner = runner
        self.poll = poll
        self.retry = retry
        self.stopping = threading.Event()
        self._locks: dict[str, psycopg.Connection[Any]] = {}
        self._listen: psycopg.Connection[Any] | None = None

    @property
    def active(self) -> set[str]:
        return set(self._locks)

    def lock_key(self, name: str) -> str:
        return f"aidtrail:{self.runner.store.database.schema}:{name}"

    def _try_locks(self) -> None:
        for name, held in list(self._locks.items()):
            try:
                held.execute("SELECT 1")
            except (psycopg.Error, OSError):
                log.warning("projection lock connection lost", projection=name)
                del self._locks[name]
        for name in self.runner.projections:
            if name in self._locks:
                continue
            try:
                conn = self.runner.store.connect()
            except (psycopg.Error, OSError):
                log.warning("database unavailable; standing by", projection=name)
                return
            assert isinstance(conn, psycopg.Connection)
            row = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                               (self.lock_key(name),)).fetchone()
            if row and row[0]:
                self._locks[name] = conn
                log.info("projection active", projection=name)
            else:
                conn.close()

    def _wait_for_events(self) -> None:
        if self._listen is None or self._listen.closed:
            conn = self.runner.store.connect()
            assert isinstance(conn, psycopg.Connection)
            # The library NOTIFYs this channel on every insert (eventsourcing 9.5.6).
            channel = self.runner.app.recorder.channel_name
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self._listen = conn
        # Notifications can be lost, so the timeout doubles as the safety-net poll.
        for _ in self._listen.notifies(timeout=self.poll, stop_after=1):
            pass

    def run(self) -> None:
        """Until ``stopping`` is set: stand by for locks, catch up the projections held."""
        self.runner.setup()
        next_try = 0.0
        try:
            while not self.stopping.is_set():
                if time.monotonic() >= next_try:
                    self._try_locks()
                    next_try = time.monotonic() + self.retry
                if self._locks:
                    try:
                        self.runner.catch_up(names=sorted(self._locks))
                        self._wait_for_events()
                    except Exception:  # noqa: BLE001 - an outage must not end the worker
                        log.exception("catch-up failed; retrying")
                        self._drop_listener()
                        self.stopping.wait(self.retry)
                else:
                    self.stopping.wait(min(self.poll, self.retry))
        finally:
            self.close()

    def _drop_listener(self) -> None:
        if self._listen is not None:
            try:
                self._listen.close()
            finally:
                self._listen = None

    def close(self) -> None:
        for conn in [*self._locks.values(), *([self._listen] if self._listen else [])]:
            conn.close()
        self._locks.clear()
        self._listen = None
