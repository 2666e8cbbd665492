"""``aidtrail worker``: one active runner per projection, held by an advisory lock on
PostgreSQL and by the file's lease on SQLite (one for all its projections)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from infrastructure.logging import get_logger
from infrastructure.views.lease import FileLease, lease_path
from infrastructure.views.runner import ProjectionRunner

log = get_logger("aidtrail.worker")

# SQLite tells no one of a write: a worker on a file asks every this many seconds whether
# the log has grown (the last rowid of the events table: one step down its b-tree).
WATCH_SECONDS = 0.01
# Events per views transaction of a SQLite worker. A server's save waits for the worker's
# transaction through SQLite's busy handler, which sleeps between its tries, so fewer and
# longer transactions serve the commands better than the in-process thread's 8 (in scratch
# runs at c=16, pages of 8 against 32 and more: a longer p99, more CPU per event); the cap
# bounds how long one holds the writer when the worker is behind. bench/RESULTS.md.
WORKER_PAGE = 32


class Worker:
    """On PostgreSQL, holds per projection a session-level advisory lock on a dedicated
    connection; on SQLite, the file's lease for all of them (``infrastructure/views/lease.py``).

    Either is released when its holder's connection or process ends, so if the active worker
    dies a standby acquires it at its next retry (every ``retry`` seconds).
    """

    def __init__(self, runner: ProjectionRunner, poll: float = 0.5, retry: float = 1.0) -> None:
        path = lease_path(runner.store.database)
        if runner.store.dialect == "sqlite" and path is None:
            raise ValueError("the worker needs a database file; an in-memory SQLite database "
                             "lives in one process")
        self.runner = runner
        self.poll = poll
        self.retry = retry
        self.stopping = threading.Event()
        self._locks: dict[str, psycopg.Connection[Any]] = {}
        self._listen: psycopg.Connection[Any] | None = None
        self._watch: sqlite3.Connection | None = None
        self._head: int | None = None  # the SQLite log's last position when last looked at
        self._lease = None if path is None else FileLease(path)
        # On SQLite a views transaction holds the file's one writer: a bounded page.
        self._page = None if self._lease is None else WORKER_PAGE

    @property
    def active(self) -> set[str]:
        if self._lease is not None:
            return set(self.runner.projections) if self._lease.held else set()
        return set(self._locks)

    @property
    def sends_notices(self) -> bool:
        """Whether this worker's notifier is to run now: on SQLite only while it holds the
        file's projections (one notifier per file); on PostgreSQL always (senders skip each
        other's rows and the daily evaluation's keys keep it once)."""
        return self._lease is None or self._lease.held

    def lock_key(self, name: str) -> str:
        return f"aidtrail:{self.runner.store.database.schema}:{name}"

    def _try_locks(self) -> None:
        if self._lease is not None:
            was_held = self._lease.held
            try:
                holds = self._lease.try_acquire()
            except OSError as exc:  # the lock file cannot be opened: stand by, say why
                log.warning("projection lease unavailable; standing by",
                            lock=self._lease.path.name, error=exc.strerror)
                return
            if holds and not was_held:
                log.info("projections active", projections=len(self.runner.projections))
            elif was_held and not holds:
                log.warning("projection lease lost (its file was replaced); standing by")
            return
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
        if self._lease is not None:
            self._wait_for_a_commit()
            return
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

    def _wait_for_a_commit(self) -> None:
        """Until the SQLite file's log has grown since the last look, at most ``poll``
        seconds (the views' own commits do not wake it)."""
        if self._watch is None:
            path = self.runner.store.database.sqlite_path
            assert path is not None
            self._watch = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro",
                                          uri=True, check_same_thread=False)
        table = self.runner.app.recorder.events_table_name
        deadline = time.monotonic() + self.poll
        while True:
            (head,) = self._watch.execute(f"SELECT max(rowid) FROM {table}").fetchone()  # noqa: S608
            if head != self._head:
                self._head = head
                return
            if self.stopping.wait(WATCH_SECONDS) or time.monotonic() >= deadline:
                return

    def run(self) -> None:
        """Until ``stopping`` is set: stand by for locks, catch up the projections held."""
        self.runner.setup()
        next_try = 0.0
        try:
            while not self.stopping.is_set():
                if time.monotonic() >= next_try:
                    self._try_locks()
                    next_try = time.monotonic() + self.retry
                if self.active:
                    try:
                        self.runner.catch_up(names=sorted(self.active), page=self._page)
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
        if self._lease is not None:
            self._lease.release()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        for conn in [*self._locks.values(), *([self._listen] if self._listen else [])]:
            conn.close()
        self._locks.clear()
        self._listen = None
