"""The library's PostgreSQL persistence, failing fast when no connection can be had.

eventsourcing retries each recorder call on OperationalError up to 10 times, and each attempt
may wait ``POSTGRES_CONNECT_TIMEOUT`` (5 s) for a pooled connection: with the server down, a
request in flight would hang for about 50 s. A pool timeout is therefore raised as
``DatabaseUnavailableError``, which the library does not retry: the caller gets its 503 after
one connection timeout. Other operational errors (a connection dropped mid-query) are still
retried by the library.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresFactory,
)
from psycopg.sql import SQL, Identifier
from psycopg_pool import PoolTimeout

from application.idempotency import KeyedSave
from application.on_loop import pause, refuse_on_loop
from infrastructure.database import DatabaseUnavailableError
from infrastructure.group_commit import ANSWER_WAIT, GroupCommit, Pending
from infrastructure.group_committing import GroupCommitting
from infrastructure.postgres_append import answer, append_function, parameters


def _fail_fast(get_connection: Callable[[], AbstractContextManager[Any]]
               ) -> Callable[[], AbstractContextManager[Any]]:
    @contextmanager
    def connection() -> Iterator[Any]:
        refuse_on_loop("a database connection")
        try:
            with get_connection() as conn:
                yield conn
        except OperationalError as exc:
            if isinstance(exc.__cause__, PoolTimeout):
                raise DatabaseUnavailableError(
                    f"no database connection within the timeout: {exc.__cause__}") from None
            raise

    return connection


SAVE_ATTEMPTS, SAVE_RETRY_WAIT = 10, 0.2  # the library's own retry of a recorder call
RECONNECT_PAUSE = 0.1  # between an event loop's attempts to open its connection again


class AppendingRecorder(PostgresApplicationRecorder):
    """The library's recorder, with new events appended by one server-side function call
    (``infrastructure/postgres_append.py``), one or several commands' saves at a time.

    The library sends BEGIN, SET lock_timeout, LOCK TABLE (EXCLUSIVE), NOTIFY, INSERT and
    COMMIT through a psycopg pipeline: several round trips, with the table lock held while
    the client thread waits for its next turn (under the GIL, behind the other requests of
    its process). Here one statement runs the same steps inside the server, so the lock is
    held only for the server's own work and each transaction costs one round trip.
    Semantics are the library's: commit order equals notification order, listeners are
    notified, a duplicate (originator id, version) raises IntegrityError and writes nothing.

    A save given ``idempotency`` (a ``KeyedSave``) writes the command's key and result in
    the same transaction, after its events (the result's position is the last of their
    notification ids); a key already recorded is a committed twin: nothing is written and
    ``KeyAlreadyRecorded`` is raised. With ``group_commit`` set, saves of concurrent
    commands are committed together by the process's writer (``infrastructure/group_commit.py``),
    each answered on its own.
    """

    group_commit: GroupCommit | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_append, self._append = append_function(self.datastore,
                                                            self.events_table_name)
        self._lock_wait = f"{self.datastore.lock_timeout}s"
        self._loop_connections: dict[asyncio.AbstractEventLoop, psycopg.AsyncConnection[Any]] = {}
        self._loops_closed = False

    def create_table(self) -> None:
        # Runs only in a migration, which build_container serialises between processes.
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._create_append, prepare=False)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any
                      ) -> Sequence[int] | None:
        if not stored_events or kwargs.get("tracking") is not None:
            return super().insert_events(stored_events, **kwargs)
        keyed: KeyedSave | None = kwargs.get("idempotency")
        # As the library retries its recorders' calls; ``pause`` keeps an event loop going.
        attempt = 1
        while True:
            try:
                return self._insert(stored_events, keyed)
            except (InterfaceError, OperationalError):
                if attempt == SAVE_ATTEMPTS:
                    raise
                attempt += 1
                pause(SAVE_RETRY_WAIT)

    def _insert(self, stored_events: Sequence[StoredEvent], keyed: KeyedSave | None
                ) -> Sequence[int] | None:
        if self.group_commit is not None:
            return self.group_commit.save(stored_events, keyed)
        pending = Pending(stored_events, keyed)
        self.commit_batch([pending])
        if pending.error is not None:
            raise pending.error
        return pending.ids

    def commit_batch(self, batch: list[Pending]) -> None:
        """Commit ``batch`` in one transaction, each command answered on its own. Should the
        transaction fail as a whole for a reason of one command's own (not a lost
        connection), each is tried again alone, so that one cannot fail the others."""
        params = parameters(batch, self.channel_name, self._lock_wait)
        try:
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(self._append, params, prepare=True)
                rows = curs.fetchall()
        except (InterfaceError, OperationalError, DatabaseUnavailableError):
            raise
        except PersistenceError:
            if len(batch) == 1:
                raise
            for pending in batch:
                try:
                    self.commit_batch([pending])
                except PersistenceError as exc:
                    pending.error = exc
            return
        answer(batch, rows)

    async def commit_on_loop(self, batch: list[Pending]) -> None:
        """``commit_batch`` awaited on the running event loop, on that loop's own connection
        (the saves of commands run on the loop: ``GroupCommit``'s ``LoopWriter``)."""
        params = parameters(batch, self.channel_name, self._lock_wait)
        conn = await self._loop_connection()
        try:
            async with asyncio.timeout(ANSWER_WAIT):  # a database that never answers
                cursor = await conn.execute(self._append, params, prepare=True)
                rows = await cursor.fetchall()
        except TimeoutError:
            self._loop_connections.pop(asyncio.get_running_loop(), None)
            conn.pgconn.finish()  # its call may or may not commit: the next gets a new one
            raise DatabaseUnavailableError(
                f"the database did not answer within {ANSWER_WAIT:g} s") from None
        except psycopg.Error as exc:  # a connection it closed is replaced on the next call
            error = _persistence_error(exc)
            if isinstance(error, InterfaceError | OperationalError) or len(batch) == 1:
                raise error from exc
            for pending in batch:
                try:
                    await self.commit_on_loop([pending])
                except PersistenceError as one:
                    pending.error = one
            return
        answer(batch, rows)

    async def _loop_connection(self) -> psycopg.AsyncConnection[Any]:
        """This loop's connection, opened again when it was lost: tried until the pool's
        connection timeout has passed, as a pooled connection is waited for."""
        if self._loops_closed:
            raise DatabaseUnavailableError("the store is closed")
        loop = asyncio.get_running_loop()
        conn = self._loop_connections.get(loop)
        if conn is not None and not conn.closed:
            return conn
        for known, old in list(self._loop_connections.items()):  # loops of other threads too
            if known.is_closed() and self._loop_connections.pop(known, None) is not None:
                old.pgconn.finish()
        pool: Any = self.datastore.pool
        settings = {**pool.kwargs, "autocommit": True,
                    "connect_timeout": max(1, round(pool.timeout))}
        if getattr(pool, "get_password_func", None):
            settings["password"] = pool.get_password_func()
        last: Exception | None = None
        try:
            async with asyncio.timeout(pool.timeout):
                while True:
                    try:
                        conn = await psycopg.AsyncConnection.connect(pool.conninfo, **settings)
                        break
                    except psycopg.OperationalError as exc:
                        last = exc
                        await asyncio.sleep(RECONNECT_PAUSE)
        except TimeoutError:
            raise DatabaseUnavailableError(
                f"no database connection within the timeout: {last}") from None
        self._loop_connections[loop] = conn
        return conn

    def close_loop_connections(self) -> None:
        """End the connections of the event loops that have stopped; those still running
        are left to end with their loop. No loop opens one after this."""
        self._loops_closed = True
        for known, conn in list(self._loop_connections.items()):
            if known.is_closed() or not known.is_running():
                self._loop_connections.pop(known, None)
                conn.pgconn.finish()


def _persistence_error(exc: psycopg.Error) -> PersistenceError:
    """The library's exception for a psycopg one, as its own datastore translates them."""
    for theirs, ours in _ERRORS:
        if isinstance(exc, theirs):
            return ours(str(exc))
    return PersistenceError(str(exc))


_ERRORS: tuple[tuple[type[psycopg.Error], type[PersistenceError]], ...] = (
    (psycopg.InterfaceError, InterfaceError), (psycopg.OperationalError, OperationalError),
    (psycopg.DataError, DataError), (psycopg.IntegrityError, IntegrityError),
    (psycopg.InternalError, InternalError), (psycopg.ProgrammingError, ProgrammingError),
    (psycopg.NotSupportedError, NotSupportedError), (psycopg.DatabaseError, DatabaseError))


class SnapshotRecorder(PostgresAggregateRecorder):
    """The library's snapshot recorder, sending the snapshots as a binary parameter: psycopg
    writes a text array of composites in Python, escaping every byte of the state (about
    8 ms for a snapshot of 200 kB, 0.2 ms in binary)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} AS t (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state"
            " FROM unnest(%b::{schema}.{stored_event_type}[])").format(
            schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name),
            stored_event_type=Identifier(self.stored_event_type_name))


class FailFastPostgresFactory(GroupCommitting, PostgresFactory):
    application_recorder_class = AppendingRecorder
    aggregate_recorder_class = SnapshotRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        datastore: Any = self.datastore
        datastore.get_connection = _fail_fast(datastore.get_connection)
