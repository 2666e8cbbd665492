"""The library's SQLite persistence, its writes taking their turn in this process's queue.

The library's pool lets one writer in at a time but gives up after 5 s, and holds every
other request (readers too) while a writer waits. Here a write first waits for its turn in
the process's one queue (``infrastructure/sqlite_writer.py``, shared with the view store),
for ``SQLITE_WRITE_WAIT`` seconds at most, and then finds the pool's writer slot free.

A save given ``idempotency`` (a ``KeyedSave``) writes the command's key and result in the
transaction of its events; a key already recorded rolls the whole save back
(``KeyAlreadyRecorded``).

With ``GROUP_COMMIT_WAIT_MS`` set, saves of concurrent commands are committed together by the
process's writer (``infrastructure/group_commit.py``), as on PostgreSQL: each in a savepoint
of the batch's one transaction, so that a command whose version was taken or whose key is
recorded is rolled back and answered alone, and one fsync serves the batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)

from application.idempotency import KeyAlreadyRecorded, KeyedSave
from application.on_loop import refuse_on_loop
from infrastructure.group_commit import GroupCommit, Pending
from infrastructure.group_committing import GroupCommitting
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
        refuse_on_loop("a database connection")
        if not commit:
            with super().get_connection(commit=False) as conn:
                yield conn
            return
        with self._queue.turn(self._wait), super().get_connection(commit=True) as conn:
            yield conn

    def turn_held(self) -> bool:
        return self._queue.held_here()


class KeyedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    group_commit: GroupCommit | None = None

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any
                      ) -> Sequence[int] | None:
        datastore = self.datastore
        if (self.group_commit is None or not stored_events or kwargs.get("tracking") is not None
                # A save inside a write of this thread's own cannot wait for the writer,
                # which would wait for this thread's turn.
                or (isinstance(datastore, QueuedSQLiteDatastore) and datastore.turn_held())):
            return super().insert_events(stored_events, **kwargs)
        return self.group_commit.save(stored_events, kwargs.get("idempotency"))

    def commit_batch(self, batch: list[Pending]) -> None:
        """Commit ``batch`` in one transaction, each command in a savepoint of its own and
        answered on its own; the ids are given only once the transaction has committed."""
        saved: list[tuple[Pending, Sequence[int] | None]] = []
        with self.datastore.transaction(commit=True) as c:
            for pending in batch:
                c.execute("SAVEPOINT command")
                try:
                    ids = self._insert_events(c, pending.events, idempotency=pending.keyed)
                except sqlite3.IntegrityError as exc:  # its version was taken
                    c.execute("ROLLBACK TO command")
                    pending.error = IntegrityError(exc)
                except KeyAlreadyRecorded as exc:
                    c.execute("ROLLBACK TO command")
                    pending.error = exc
                else:
                    saved.append((pending, ids))
                c.execute("RELEASE command")
        for pending, ids in saved:
            pending.ids = list(ids or [])

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


class QueuedSQLiteFactory(GroupCommitting, SQLiteFactory):
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
