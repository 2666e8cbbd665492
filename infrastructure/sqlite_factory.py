"""The library's SQLite persistence, its writes taking their turn in this process's queue.

The library's pool lets one writer in at a time but gives up after 5 s, and holds every
other request (readers too) while a writer waits. Here a write first waits for its turn in
the process's one queue (``infrastructure/sqlite_writer.py``, shared with the view store),
for ``SQLITE_WRITE_WAIT`` seconds at most, and then finds the pool's writer slot free.

A save given ``idempotency`` (a ``KeyedSave``) writes the command's key and result in the
transaction of its events; a key already recorded rolls the whole save back
(``KeyAlreadyRecorded``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)

from application.idempotency import KeyAlreadyRecorded, KeyedSave
from infrastructure.idempotency import KEY_TABLE
from infrastructure.sqlite_writer import WriterQueue, writer_queue

_RECORD_KEY = (f"INSERT INTO {KEY_TABLE} (principal, key, fingerprint, aggregate_id, version, "
               "status, position, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (principal, key) DO NOTHING")


class QueuedSQLiteDatastore(SQLiteDatastore):
    def __init__(self, db_name: str, *, queue: WriterQueue, wait: float, **kwargs: Any) -> None:
        super().__init__(db_name, pool_timeout=wait, **kwargs)
        self._queue = queue
        self._wait = wait

    @contextmanager
    def get_connection(self, *, commit: bool) -> Iterator[SQLiteConnection]:
        if not commit:
            with super().get_connection(commit=False) as conn:
                yield conn
            return
        with self._queue.turn(self._wait), super().get_connection(commit=True) as conn:
            yield conn


class KeyedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        keyed: KeyedSave | None = kwargs.get("idempotency")
        if keyed is None or not ids:
            return ids
        key = keyed.key
        c.execute(_RECORD_KEY, (key.principal, key.key, key.fingerprint,
                                str(keyed.aggregate_id), keyed.version, keyed.status,
                                ids[-1], datetime.now(UTC).isoformat()))
        if c.sqlite_cursor.rowcount != 1:  # the twin's row: roll this save back
            raise KeyAlreadyRecorded(key.key)
        return ids


class QueuedSQLiteFactory(SQLiteFactory):
    application_recorder_class = KeyedSQLiteApplicationRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        old = self.datastore
        wait = float(self.env.get("SQLITE_WRITE_WAIT") or 15)
        pool_size = int(self.env.get("SQLITE_POOL_SIZE") or 5)
        name = old.pool.db_name
        self.datastore = QueuedSQLiteDatastore(
            name, queue=writer_queue(name), wait=wait, lock_timeout=old.pool.lock_timeout,
            pool_size=pool_size, max_overflow=pool_size,
            single_row_tracking=old.single_row_tracking,
            originator_id_type=old.originator_id_type)
        old.close()
