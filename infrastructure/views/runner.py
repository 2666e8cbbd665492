"""Runs projections over the event log: batched catch-up, rebuild, shadow verify, waiting."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder

from application.projections.base import Projection, StoredNotification
from infrastructure.logging import get_logger
from infrastructure.views import tracking
from infrastructure.views.diff import Difference, diff_tables
from infrastructure.views.sql import SHADOW, ViewStore

log = get_logger("aidtrail.projections")
Progress = Callable[[int, int], None]


class _Conflict(Exception):
    """Another runner moved the tracking row first; this batch was rolled back."""


_gc_guard = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def _fewer_collections(wanted: bool) -> Iterator[None]:
    """Fewer cyclic garbage collections for the length of a long catch-up (a rebuild).

    A rebuild allocates objects for every event and keeps thousands of aggregates alive, so
    the collector's default thresholds (a young collection per 700 net allocations) made it
    run about a thousand times per 90,000 events: 14% of a rebuild, measured. The replay
    creates no cyclic garbage to speak of (refcounting frees it), so memory stays as flat.
    The thresholds are process-wide: they are restored when the last such catch-up ends.
    """
    global _gc_depth, _gc_saved
    if not wanted:
        yield
        return
    with _gc_guard:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], 20_000), max(_gc_saved[1], 20),
                             max(_gc_saved[2], 20))
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_guard:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None


class ProjectionRunner:
    """Applies the log to projections in batches: view rows and tracking in one transaction."""

    def __init__(self, app: Any, store: ViewStore, projections: Sequence[Projection],
                 batch_size: int = 500, max_batch_size: int = 4000) -> None:
        self.app = app
        self.store = store
        self.projections = {p.name: p for p in projections}
        # A catch-up reads pages of ``batch_size`` events; while they come back full (a
        # rebuild, a long backlog) each page doubles, up to ``max_batch_size``: fewer,
        # larger transactions, with the memory of one page still bounded.
        self.batch_size = batch_size
        self.max_batch_size = max_batch_size
        self._lock = threading.RLock()
        self._ready = False

    def setup(self) -> None:
        if self._ready:
            return
        with self.store.transaction() as tx:
            if tx.dialect == "postgres":
                # Two processes creating the same tables at once collide in pg_type.
                tx.execute("SELECT pg_advisory_xact_lock(hashtext('aidtrail:ddl'))")
            tx.execute(tracking.TRACKING_DDL)
            for p in self.projections.values():
                for ddl in p.schema(tx.dialect):
                    tx.execute(ddl)
        self._ready = True

    def head(self) -> int:
        return int(self.app.recorder.max_notification_id() or 0)

    def positions(self) -> dict[str, int]:
        self.setup()
        with self.store.transaction(write=False) as tx:
            known = tracking.read_all(tx)
        return {name: known.get(name, 0) for name in self.projections}

    def position(self, name: str) -> int:
        return self.positions()[self._get(name).name]

    def _get(self, name: str) -> Projection:
        try:
            return self.projections[name]
        except KeyError:
            raise KeyError(f"no projection named {name!r}; known: "
                           f"{', '.join(sorted(self.projections))}") from None

    def _read(self, start: int, stop: int, limit: int) -> list[tuple[int, Any, int, str, bytes]]:
        recorder = self.app.recorder
        if self.store.dialect == "postgres" and isinstance(recorder,
                                                           PostgresApplicationRecorder):
            # The views live in the event store's database: read its table directly.
            return self.store.read_log(recorder.datastore.schema, recorder.events_table_name,
                                       start, limit, stop)
        return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
                for n in recorder.select_notifications(start, limit, stop=stop)]

    def _pages(self, start: int, stop: int) -> Iterable[list[StoredNotification]]:
        mapper = self.app.mapper
        limit = self.batch_size
        while start <= stop:
            page = self._read(start, stop, limit)
            if not page:
                return
            yield [StoredNotification(*row, mapper) for row in page]
            # Ids may have gaps: continue after the last one seen, not at start + limit.
            start = page[-1][0] + 1
            if len(page) == limit:
                limit = max(limit, min(2 * limit, self.max_batch_size))

    def catch_up(self, until: int | None = None, progress: Progress | None = None,
                 names: Iterable[str] | None = None) -> int:
        """Apply new events to the projections (all, or ``names``) up to ``until`` (or the
        head); return how many events were applied to at least one projection."""
        with self._lock:
            chosen = [self._get(n) for n in names] if names is not None else list(
                self.projections.values())
            if not chosen:
                return 0
            known = self.positions()
            positions = {p.name: known[p.name] for p in chosen}
            head = self.head() if until is None else min(until, self.head())
            applied = 0
            with _fewer_collections(head - min(positions.values()) > self.batch_size):
                for page in self._pages(min(positions.values()) + 1, head):
                    applied += self._apply_page(chosen, page, positions)
                    if progress:
                        progress(page[-1].position, head)
            return applied

    def _apply_page(self, chosen: list[Projection], page: list[StoredNotification],
                    positions: dict[str, int]) -> int:
        """Apply one page; ``positions`` is moved on; return how many events were new."""
        at = {positions[p.name] for p in chosen}
        together = self._apply_together(chosen, page, at.pop()) if len(at) == 1 else 0
        if together:
            positions.update({p.name: page[-1].position for p in chosen})
            return together
        fresh = 0
        for p in chosen:
            positions[p.name], n = self._apply(p, page, positions[p.name])
            fresh = max(fresh, n)
        return fresh

    def _apply_together(self, chosen: list[Projection], page: list[StoredNotification],
                        at: int) -> int:
        """Apply the page to every projection at the same position in one transaction (one
        commit instead of one each); 0 if another runner moved first (then one by one)."""
        batch = [n for n in page if n.position > at]
        if not batch:
            return 0
        try:
            with self.store.transaction(durable=False) as tx:
                for p in chosen:
                    p.process_batch(tx, batch)
                    if not tracking.advance(tx, p.name, at, batch[-1].position):
                        raise _Conflict
            return len(batch)
        except (_Conflict, sqlite3.IntegrityError, psycopg.IntegrityError):
            return 0

    def _apply(self, p: Projection, page: list[StoredNotification], at: int) -> tuple[int, int]:
        """Apply the part of ``page`` after ``at``; return the new position and count."""
        while True:
            batch = [n for n in page if n.position > at]
            if not batch:
                return at, 0
            try:
                with self.store.transaction(durable=False) as tx:
                    p.process_batch(tx, batch)
                    if not tracking.advance(tx, p.name, at, batch[-1].position):
                        raise _Conflict
                return batch[-1].position, len(batch)
            except (_Conflict, sqlite3.IntegrityError, psycopg.IntegrityError):
                moved = self.position(p.name)
                if moved == at:
                    raise  # not a race: the projection itself is at fault
                at = moved

    def rebuild(self, name: str, progress: Progress | None = None) -> int:
        """Empty the projection's tables and tracking row in one transaction, then replay."""
        return self.rebuild_many([name], progress)

    def rebuild_many(self, names: Sequence[str], progress: Progress | None = None) -> int:
        """Empty several projections, then replay the log once into all of them."""
        chosen = [self._get(n).name for n in names]
        with self._lock:
            for name in chosen:
                self.reset(name)
            return self.catch_up(progress=progress, names=chosen)

    def reset(self, name: str) -> None:
        p = self._get(name)
        self.setup()
        with self.store.transaction() as tx:
            for table in p.tables:
                tx.execute(f"DELETE FROM {table}")
            tracking.forget(tx, p.name)

    def verify(self, name: str, progress: Progress | None = None) -> list[Difference]:
        """Replay from 0 into shadow tables and diff them against the live ones."""
        p = self._get(name)
        with self._lock:
            self.setup()
            self._drop_shadows(p)
            with self.store.transaction(SHADOW) as tx:
                for ddl in p.schema(tx.dialect, SHADOW):
                    tx.execute(ddl)
            try:
                built = 0
                while True:
                    at = self.position(p.name)
                    for page in self._pages(built + 1, at):
                        with self.store.transaction(SHADOW) as tx:
                            p.process_batch(tx, page)
                        built = page[-1].position
                        if progress:
                            progress(built, at)
                    built = at
                    with self.store.transaction() as tx:
                        # Hold the tracking row so the live tables cannot move while diffing.
                        lock = " FOR SHARE" if tx.dialect == "postgres" else ""
                        if tracking.read_position(tx, p.name, lock) != built:
                            continue
                        return [d for t in p.tables for d in diff_tables(tx, t, t + SHADOW)]
            finally:
                self._drop_shadows(p)

    def _drop_shadows(self, p: Projection) -> None:
        with self.store.transaction() as tx:
            for table in p.tables:
                tx.execute(f"DROP TABLE IF EXISTS {table}{SHADOW}")

    def wait_for(self, position: int, timeout: float,
                 names: Iterable[str] | None = None) -> bool:
        """True once every projection (or those named) has applied ``position``."""
        wanted = list(names) if names is not None else list(self.projections)
        deadline = time.monotonic() + timeout
        while True:
            positions = self.positions()
            if all(positions[n] >= position for n in wanted):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.02, max(0.0, deadline - time.monotonic())))



class BackgroundCatchUp:
    """The embedded default's runner: a daemon thread that keeps the views caught up."""

    def __init__(self, runner: ProjectionRunner, interval: float = 0.2) -> None:
        self.runner = runner
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.runner.setup()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="projections", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def nudge(self) -> None:
        """Catch up now rather than at the next tick (after a write)."""
        self._wake.set()

    def wait_for(self, position: int, timeout: float,
                 names: Iterable[str] | None = None) -> bool:
        self.nudge()
        return self.runner.wait_for(position, timeout, names)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.runner.catch_up()
            except Exception:  # noqa: BLE001 - the loop must survive; the next tick retries
                log.exception("projection catch-up failed")
            self._wake.wait(self.interval)
            self._wake.clear()
