"""Reads the event log in pages for the projections, each page larger while they come back
full."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder

from application.projections.base import StoredNotification
from infrastructure.views.sql import ViewStore

Row = tuple[int, Any, int, str, bytes]


def read_rows(app: Any, store: ViewStore, start: int, stop: int, limit: int) -> list[Row]:
    recorder = app.recorder
    if store.dialect == "postgres" and isinstance(recorder, PostgresApplicationRecorder):
        # The views live in the event store's database: read its table directly.
        return store.read_log(recorder.datastore.schema, recorder.events_table_name,
                              start, limit, stop)
    return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in recorder.select_notifications(start, limit, stop=stop)]


def pages(app: Any, store: ViewStore, start: int, stop: int, batch_size: int,
          max_batch_size: int) -> Iterable[list[StoredNotification]]:
    """Pages of ``batch_size`` events from ``start`` to ``stop``; while they come back full
    (a rebuild, a long backlog) each page doubles, up to ``max_batch_size``: fewer, larger
    transactions, with the memory of one page still bounded."""
    mapper = app.mapper
    limit = batch_size
    while start <= stop:
        page = read_rows(app, store, start, stop, limit)
        if not page:
            return
        yield [StoredNotification(*row, mapper) for row in page]
        # Ids may have gaps: continue after the last one seen, not at start + limit.
        start = page[-1][0] + 1
        if len(page) == limit:
            limit = max(limit, min(2 * limit, max_batch_size))
