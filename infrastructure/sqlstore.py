"""Small SQL access for our own tables beside the event store (same SQLite file or schema)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from infrastructure.database import DatabaseConfig


class SQLStore:
    """Transactions on the project's own tables; SQL is written with ``?`` placeholders."""

    def __init__(self, database: DatabaseConfig, pool_size: int = 4) -> None:
        self.database = database
        self.dialect = "sqlite" if database.kind == "sqlite" else "postgres"
        self._local = threading.local()
        self._pool: ConnectionPool | None = None
        if self.dialect == "postgres":
            options = f"-c search_path={database.schema}" if database.schema else None
            kwargs: dict[str, Any] = dict(database.conninfo)
            if options:
                kwargs["options"] = options
            self._pool = ConnectionPool(make_conninfo(**kwargs), min_size=1,
                                        max_size=pool_size, open=True, timeout=10,
                                        kwargs={"autocommit": False})

    def _sqlite(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            assert self.database.sqlite_path is not None
            path = self.database.sqlite_path
            uri = self.database.is_memory
            conn = sqlite3.connect(
                "file::memory:?mode=memory&cache=shared" if uri else path,
                uri=uri, timeout=10, isolation_level=None, check_same_thread=False,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    def sql(self, statement: str) -> str:
        return statement if self.dialect == "sqlite" else statement.replace("?", "%s")

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        if self.dialect == "sqlite":
            conn = self._sqlite()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Cursor(self, conn.cursor())
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        else:
            assert self._pool is not None
            with self._pool.connection() as pg, pg.transaction(), pg.cursor() as cur:
                yield Cursor(self, cur)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()


class Cursor:
    def __init__(self, store: SQLStore, cursor: Any) -> None:
        self._store, self._cursor = store, cursor

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        self._cursor.execute(self._store.sql(statement), tuple(params))
        return self

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)
