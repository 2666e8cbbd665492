"""Runs projections over the event log: batched catch-up, rebuild, shadow verify, waiting."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder

import infrastructure.views.failures as failures
import infrastructure.views.tracking as tracking
from application.projections.base import Projection, StoredNotification
from infrastructure.logging import get_logger
from infrastructure.views.diff import Difference, diff_tables
from infrastructure.views.failures import Backoff, Failure
from infrastructure.views.sql import SHADOW, ViewStore

log = get_logger("aidtrail.projections")
Progress = Callable[[int, int], None]


class _Conflict(Exception):
    """Another runner moved the tracking row first; this batch was rolled back."""


# A projection's fault found in a page: the event it fails on, and what it raised.
_Fault = tuple[int, Exception]


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
                 batch_size: int = 500, max_batch_size: int = 4000,
                 backoff: Backoff | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
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
        # A projection that failed on an event is set aside until its next attempt is due
        # (monotonic seconds); the others go on without it.
        self.backoff = backoff or Backoff()
        self._clock = clock
        self._attempts: dict[str, int] = {}
        self._retry_at: dict[str, float] = {}
        self._failing_at: dict[str, int] = {}
        self._loaded = False

    def setup(self) -> None:
        if self._ready:
            return
        with self.store.transaction() as tx:
            if tx.dialect == "postgres":
                # Two processes creating the same tables at once collide in pg_type.
                tx.execute("SELECT pg_advisory_xact_lock(hashtext('aidtrail:ddl'))")
            tx.execute(tracking.TRACKING_DDL)
            tx.execute(failures.FAILURE_DDL)
            for p in self.projections.values():
                for ddl in p.schema(tx.dialect):
                    tx.execute(ddl)
        self._ready = True

    def _load_failures(self) -> None:
        """Failures recorded before this runner started are tried again at once."""
        for name, failure in self.failures().items():
            if name not in self._attempts:
                self._attempts[name] = failure.attempts
                self._retry_at[name] = self._clock()
                self._failing_at[name] = failure.position
        self._loaded = True

    def head(self) -> int:
        return int(self.app.recorder.max_notification_id() or 0)

    def positions(self) -> dict[str, int]:
        self.setup()
        with self.store.transaction(write=False) as tx:
            known = tracking.read_all(tx)
        return {name: known.get(name, 0) for name in self.projections}

    def position(self, name: str) -> int:
        return self.positions()[self._get(name).name]

    def failures(self) -> dict[str, Failure]:
        """The projections failing on an event, as recorded by whichever runner hit it."""
        self.setup()
        with self.store.transaction(write=False) as tx:
            return {n: f for n, f in failures.read_all(tx).items() if n in self.projections}

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
        head); return how many events were applied to at least one projection.

        A projection that raises on an event stops just before it (its failure recorded)
        while the others go on; it is tried again when its back-off has passed.
        """
        with self._lock:
            chosen = [self._get(n) for n in names] if names is not None else list(
                self.projections.values())
            known = self.positions()
            if not self._loaded:
                self._load_failures()
            for name, failing_at in list(self._failing_at.items()):
                if known.get(name, 0) >= failing_at:  # moved past it by another runner
                    self._forget_failure(name)
            now = self._clock()
            chosen = [p for p in chosen if self._retry_at.get(p.name, now) <= now]
            if not chosen:
                return 0
            positions = {p.name: known[p.name] for p in chosen}
            head = self.head() if until is None else min(until, self.head())
            applied = 0
            with _fewer_collections(head - min(positions.values()) > self.batch_size):
                while chosen:
                    for page in self._pages(min(positions[p.name] for p in chosen) + 1, head):
                        fresh, failed = self._apply_page(chosen, page, positions)
                        applied += fresh
                        if progress:
                            progress(page[-1].position, head)
                        if failed:
                            # Set aside; read on from the slowest of the others.
                            chosen = [p for p in chosen if p.name not in failed]
                            break
                    else:
                        break
            return applied

    def _apply_page(self, chosen: list[Projection], page: list[StoredNotification],
                    positions: dict[str, int]) -> tuple[int, set[str]]:
        """Apply one page; ``positions`` is moved on; return how many events were new and
        the projections that failed on one of them."""
        at = {positions[p.name] for p in chosen}
        healthy = not any(p.name in self._attempts for p in chosen)
        together = (self._apply_together(chosen, page, at.pop())
                    if len(at) == 1 and healthy else 0)
        if together:
            positions.update({p.name: page[-1].position for p in chosen})
            return together, set()
        fresh, failed = 0, set()
        for p in chosen:
            positions[p.name], n, fault = self._apply(p, page, positions[p.name])
            fresh = max(fresh, n)
            if p.name in self._attempts and n:
                self._recovered(p, positions[p.name])
            if fault is not None:
                failed.add(p.name)
                self._failed(p, *fault)
        return fresh, failed

    def _apply_together(self, chosen: list[Projection], page: list[StoredNotification],
                        at: int) -> int:
        """Apply the page to every projection at the same position in one transaction (one
        commit instead of one each); 0 if another runner moved first or one of them failed
        (then one by one)."""
        batch = [n for n in page if n.position > at]
        if not batch:
            return 0
        try:
            with self.store.transaction(durable=False) as tx:
                for p in chosen:
                    self._write(tx, p, batch, at)
            return len(batch)
        except Exception as exc:  # noqa: BLE001 - one projection's fault: found one by one
            if failures.is_outage(exc):
                raise
            return 0

    def _write(self, tx: Any, p: Projection, batch: list[StoredNotification], at: int) -> None:
        p.process_batch(tx, batch)
        if not tracking.advance(tx, p.name, at, batch[-1].position):
            raise _Conflict
        failures.passed(tx, p.name, batch[-1].position)

    def _apply(self, p: Projection, page: list[StoredNotification],
               at: int) -> tuple[int, int, _Fault | None]:
        """Apply the part of ``page`` after ``at``; return the new position, the count, and
        the fault if an event fails: the events before it are applied (halving the batch
        until the failing event is alone), the position stays just before it."""
        batch = [n for n in page if n.position > at]
        applied, size = 0, len(batch)
        while batch:
            try:
                with self.store.transaction(durable=False) as tx:
                    self._write(tx, p, batch[:size], at)
            except Exception as exc:  # noqa: BLE001 - isolated below, outages excepted
                if failures.is_outage(exc):
                    raise
                moved = self.position(p.name)
                if moved != at:  # a race: another runner applied some of it first
                    at, batch = moved, [n for n in batch if n.position > moved]
                    size = len(batch)
                    continue
                if size == 1:
                    return at, applied, (batch[0].position, exc)
                size //= 2
                continue
            at, applied, batch = batch[size - 1].position, applied + size, batch[size:]
            size = len(batch)
        return at, applied, None

    def _failed(self, p: Projection, position: int, exc: Exception) -> None:
        attempts = self._attempts.get(p.name, 0) + 1
        delay = self.backoff.delay(attempts)
        self._attempts[p.name] = attempts
        self._retry_at[p.name] = self._clock() + delay
        self._failing_at[p.name] = position
        with self.store.transaction() as tx:
            failure = failures.record(tx, p.name, position, exc, attempts, delay)
        # One line per attempt, so at most one per back-off step; the stack the first time.
        log.error("projection_failed", projection=p.name, position=position,
                  code=failure.code, error_class=failure.error_class, attempt=attempts,
                  retry_in_seconds=delay, exc_info=exc if attempts == 1 else None)

    def _recovered(self, p: Projection, position: int) -> None:
        self._forget_failure(p.name)
        log.info("projection_recovered", projection=p.name, position=position)

    def _forget_failure(self, name: str) -> None:
        self._attempts.pop(name, None)
        self._retry_at.pop(name, None)
        self._failing_at.pop(name, None)

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
            failures.forget(tx, p.name)
        self._forget_failure(p.name)  # a rebuild tries it at once

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
        """True once every projection (or those named) has applied ``position``; False at
        the timeout; ``ProjectionFailedError`` at once if one of them fails at or before
        ``position`` (waiting could not help)."""
        wanted = list(names) if names is not None else list(self.projections)
        deadline = time.monotonic() + timeout
        while True:
            self.setup()
            with self.store.transaction(write=False) as tx:
                known = tracking.read_all(tx)
                failing = failures.read_all(tx)
            if all(known.get(n, 0) >= position for n in wanted):
                return True
            blocked = [failing[n] for n in wanted if n in failing
                       and known.get(n, 0) < position and failing[n].position <= position]
            if blocked:
                raise failures.refusal(blocked)
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
