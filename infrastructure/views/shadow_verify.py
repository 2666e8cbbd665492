"""Checks a projection's live tables: a replay from 0 into shadow tables, diffed against them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import infrastructure.views.tracking as tracking
from application.projections.base import Projection, StoredNotification
from infrastructure.views.diff import Difference, diff_tables
from infrastructure.views.sql import SHADOW, ViewStore

Progress = Callable[[int, int], None]
Pages = Callable[[int, int], Iterable[list[StoredNotification]]]


def verify(store: ViewStore, p: Projection, pages: Pages,
           progress: Progress | None = None) -> list[Difference]:
    """Replay from 0 into shadow tables and diff them against the live ones; ``pages(start,
    stop)`` reads the log."""
    _drop_shadows(store, p)
    with store.transaction(SHADOW) as tx:
        for ddl in p.schema(tx.dialect, SHADOW):
            tx.execute(ddl)
    try:
        built = 0
        while True:
            with store.transaction(write=False) as tx:
                at = tracking.read_position(tx, p.name)
            for page in pages(built + 1, at):
                with store.transaction(SHADOW) as tx:
                    p.process_batch(tx, page)
                built = page[-1].position
                if progress:
                    progress(built, at)
            built = at
            with store.transaction() as tx:
                # Hold the tracking row so the live tables cannot move while diffing.
                lock = " FOR SHARE" if tx.dialect == "postgres" else ""
                if tracking.read_position(tx, p.name, lock) != built:
                    continue
                return [d for t in p.tables for d in diff_tables(tx, t, t + SHADOW)]
    finally:
        _drop_shadows(store, p)


def _drop_shadows(store: ViewStore, p: Projection) -> None:
    with store.transaction() as tx:
        for table in p.tables:
            tx.execute(f"DROP TABLE IF EXISTS {table}{SHADOW}")
