"""Runs projections over the event log: batched catch-up, rebuild, shadow verify, waiting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import infrastructure.views.failures as failures
import infrastructure.views.tracking as tracking
from application.projections.base import Projection, StoredNotification
from infrastructure.views.batches import PageApplier
from infrastructure.views.diff import Difference
from infrastructure.views.failures import Backoff, Failure
from infrastructure.views.gc_pause import fewer_collections
from infrastructure.views.log_pages import pages
from infrastructure.views.set_aside import SetAside
from infrastructure.views.shadow_verify import verify
from infrastructure.views.sql import ViewStore
from infrastructure.views.waiting import wait_for

Progress = Callable[[int, int], None]


class ProjectionRunner:
    """Applies the log to projections in batches: view rows and tracking in one transaction."""

    def __init__(self, app: Any, store: ViewStore, projections: Sequence[Projection],
                 batch_size: int = 500, max_batch_size: int = 4000,
                 backoff: Backoff | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.store = store
        self.projections = {p.name: p for p in projections}
        # A catch-up reads pages of ``batch_size`` events, doubling up to ``max_batch_size``.
        self.batch_size = batch_size
        self.max_batch_size = max_batch_size
        self._lock = threading.RLock()
        self._ready = False
        self.set_aside = SetAside(store, backoff, clock)
        self.applier = PageApplier(store, self.set_aside)

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

    def pages(self, start: int, stop: int, most: int | None = None
              ) -> Iterable[list[StoredNotification]]:
        return pages(self.app, self.store, start, stop, min(self.batch_size, most or 1 << 62),
                     min(self.max_batch_size, most or 1 << 62))

    def catch_up(self, until: int | None = None, progress: Progress | None = None,
                 names: Iterable[str] | None = None, page: int | None = None) -> int:
        """Apply new events to the projections (all, or ``names``) up to ``until`` (or the
        head); return how many events were applied to at least one projection. ``page``
        bounds the events of one transaction (the live catch-up beside commands).

        A projection that raises on an event stops just before it (its failure recorded)
        while the others go on; it is tried again when its back-off has passed.
        """
        with self._lock:
            chosen = [self._get(n) for n in names] if names is not None else list(
                self.projections.values())
            known = self.positions()
            if not self.set_aside.loaded:
                self.set_aside.load(self.failures())
            chosen = self.set_aside.due(chosen, known)
            if not chosen:
                return 0
            positions = {p.name: known[p.name] for p in chosen}
            head = self.head() if until is None else min(until, self.head())
            applied = 0
            with fewer_collections(head - min(positions.values()) > self.batch_size):
                while chosen:
                    start = min(positions[p.name] for p in chosen) + 1
                    for events in self.pages(start, head, page):
                        fresh, failed = self.applier.apply_page(chosen, events, positions)
                        applied += fresh
                        if progress:
                            progress(events[-1].position, head)
                        if failed:
                            # Set aside; read on from the slowest of the others.
                            chosen = [p for p in chosen if p.name not in failed]
                            break
                    else:
                        break
            return applied

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
        self.set_aside.forget(p.name)  # a rebuild tries it at once

    def verify(self, name: str, progress: Progress | None = None) -> list[Difference]:
        """Replay from 0 into shadow tables and diff them against the live ones."""
        p = self._get(name)
        with self._lock:
            self.setup()
            return verify(self.store, p, self.pages, progress)

    def wait_for(self, position: int, timeout: float,
                 names: Iterable[str] | None = None) -> bool:
        """True once every projection (or those named) has applied ``position``; False at
        the timeout; ``ProjectionFailedError`` at once if one of them fails at or before
        ``position`` (waiting could not help)."""
        self.setup()
        wanted = list(names) if names is not None else list(self.projections)
        return wait_for(self.store, wanted, position, timeout)
