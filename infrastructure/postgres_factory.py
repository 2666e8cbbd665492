"""The library's PostgreSQL persistence, failing fast when no connection can be had.

eventsourcing retries each recorder call on OperationalError up to 10 times, and each attempt
may wait ``POSTGRES_CONNECT_TIMEOUT`` (5 s) for a pooled connection: with the server down, a
request in flight would hang for about 50 s. A pool timeout is therefore raised as
``DatabaseUnavailableError``, which the library does not retry: the caller gets its 503 after
one connection timeout. Other operational errors (a connection dropped mid-query) are still
retried by the library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier
from psycopg_pool import PoolTimeout

from application.idempotency import KeyAlreadyRecorded, KeyedSave
from infrastructure.database import DatabaseUnavailableError
from infrastructure.idempotency import KEY_TABLE


def _fail_fast(get_connection: Callable[[], AbstractContextManager[Any]]
               ) -> Callable[[], AbstractContextManager[Any]]:
    @contextmanager
    def connection() -> Iterator[Any]:
        try:
            with get_connection() as conn:
                yield conn
        except OperationalError as exc:
            if isinstance(exc.__cause__, PoolTimeout):
                raise DatabaseUnavailableError(
                    f"no database connection within the timeout: {exc.__cause__}") from None
            raise

    return connection


class AppendingRecorder(PostgresApplicationRecorder):
    """The library's recorder, with new events appended by one server-side function call.

    The library sends BEGIN, SET lock_timeout, LOCK TABLE (EXCLUSIVE), NOTIFY, INSERT and
    COMMIT through a psycopg pipeline: several round trips, with the table lock held while
    the client thread waits for its next turn (under the GIL, behind the other requests of
    its process). Here one statement runs the same steps inside the server, so the lock is
    held only for the server's own work and each save costs one round trip. Semantics are
    the library's: commit order equals notification order, listeners are notified, a
    duplicate (originator id, version) raises IntegrityError and writes nothing.

    A save given ``idempotency`` (a ``KeyedSave``) writes the command's key and result in
    the same transaction, after its events (the result's position is the last of their
    notification ids). Under the table lock no other append is in progress, so a key
    already in the table is a committed twin: then nothing is written and
    ``KeyAlreadyRecorded`` is raised.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema = Identifier(self.datastore.schema)
        table = Identifier(self.events_table_name)
        function = Identifier(f"{self.events_table_name}_append_v2")
        id_type = SQL(self.datastore.originator_id_type)
        keys = Identifier(KEY_TABLE)
        self._create_append = SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}("
            "ids {id_type}[], versions bigint[], topics text[], states bytea[], "
            "channel text, wait text, key_principal text, key_name text, "
            "key_fingerprint text, result_id text, result_version bigint, "
            "result_status text, recorded_at text) "
            "RETURNS SETOF bigint LANGUAGE plpgsql AS $$ "
            "DECLARE positions bigint[]; "
            "BEGIN "
            "PERFORM set_config('lock_timeout', wait, true); "
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "IF key_name IS NOT NULL THEN "
            "PERFORM 1 FROM {schema}.{keys} k "
            "WHERE k.principal = key_principal AND k.key = key_name; "
            "IF FOUND THEN RETURN; END IF; "
            "END IF; "
            "PERFORM pg_notify(channel, ''); "
            "WITH added AS (INSERT INTO {schema}.{table} AS t "
            "(originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(ids, versions, topics, states) RETURNING t.notification_id) "
            "SELECT array_agg(notification_id ORDER BY notification_id) INTO positions "
            "FROM added; "
            "IF key_name IS NOT NULL THEN "
            "INSERT INTO {schema}.{keys} (principal, key, fingerprint, aggregate_id, version, "
            "status, position, recorded_at) VALUES (key_principal, key_name, key_fingerprint, "
            "result_id, result_version, result_status, positions[cardinality(positions)], "
            "recorded_at); "
            "END IF; "
            "RETURN QUERY SELECT unnest(positions); "
            "END $$"
        ).format(schema=schema, function=function, table=table, id_type=id_type, keys=keys)
        self._append = SQL(
            "SELECT id FROM {schema}.{function}"
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) AS a(id)"
        ).format(schema=schema, function=function)
        self._lock_wait = f"{self.datastore.lock_timeout}s"

    def create_table(self) -> None:
        # Runs only in a migration, which build_container serialises between processes.
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._create_append, prepare=False)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any
                      ) -> Sequence[int] | None:
        if not stored_events or kwargs.get("tracking") is not None:
            return super().insert_events(stored_events, **kwargs)
        keyed: KeyedSave | None = kwargs.get("idempotency")
        result = (None,) * 7 if keyed is None else (
            keyed.key.principal, keyed.key.key, keyed.key.fingerprint, str(keyed.aggregate_id),
            keyed.version, keyed.status, datetime.now(UTC).isoformat())
        params = ([e.originator_id for e in stored_events],
                  [e.originator_version for e in stored_events],
                  [e.topic for e in stored_events], [e.state for e in stored_events],
                  self.channel_name, self._lock_wait, *result)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._append, params, prepare=True)
            ids = [row["id"] for row in curs.fetchall()]
        if not ids:
            raise KeyAlreadyRecorded(keyed.key.key if keyed else "")
        return ids


class FailFastPostgresFactory(PostgresFactory):
    application_recorder_class = AppendingRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        datastore: Any = self.datastore
        datastore.get_connection = _fail_fast(datastore.get_connection)
