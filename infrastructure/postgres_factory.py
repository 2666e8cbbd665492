"""The library's PostgreSQL persistence, failing fast when no connection can be had.

eventsourcing retries each recorder call on OperationalError up to 10 times, and each attempt
may wait ``POSTGRES_CONNECT_TIMEOUT`` (5 s) for a pooled connection: with the server down, a
request in flight would hang for about 50 s. A pool timeout is therefore raised as
``DatabaseUnavailableError``, which the library does not retry: the caller gets its 503 after
one connection timeout. Other operational errors (a connection dropped mid-query) are still
retried by the library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.persistence import OperationalError
from eventsourcing.postgres import PostgresFactory
from psycopg_pool import PoolTimeout

from infrastructure.database import DatabaseUnavailableError


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


class FailFastPostgresFactory(PostgresFactory):
    def __init__(self, env: Any) -> None:
        super().__init__(env)
        datastore: Any = self.datastore
        datastore.get_connection = _fail_fast(datastore.get_connection)
