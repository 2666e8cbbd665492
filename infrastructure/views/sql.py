"""A DB-neutral transaction over sqlite3 or psycopg: ``%s`` placeholders on both."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from application.projections.base import Dialect
from infrastructure.database import DatabaseConfig
from infrastructure.sqlite_writer import writer_queue

SHADOW = "__shadow"


def to_sqlite(sql: str) -> str:
    return sql.replace("%s", "?").replace("%%", "%")


class SqlTransaction:
    """Implements ``ViewTransaction``; ``suffix`` redirects table names to shadow copies."""

    def __init__(self, conn: sqlite3.Connection | psycopg.Connection[Any], dialect: Dialect,
                 suffix: str = "") -> None:
        self.conn = conn
        self.dialect: Dialect = dialect
        self.suffix = suffix

    def table(self, name: str) -> str:
        return name + self.suffix

    def _sql(self, sql: str) -> str:
        return to_sqlite(sql) if self.dialect == "sqlite" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cur = self.conn.execute(self._sql(sql), tuple(params))  # type: ignore[arg-type]
        return int(cur.rowcount)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if isinstance(self.conn, sqlite3.Connection):
            self.conn.executemany(self._sql(sql), rows)
        else:
            with self.conn.cursor() as cur:
                cur.executemany(sql, rows)  # type: ignore[arg-type]

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(self._sql(sql), tuple(params))  # type: ignore[arg-type]
        return list(cur.fetchall())

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """New rows into ``table`` (already suffixed): one ``COPY`` on PostgreSQL, which
        a rebuild's bulk of rows reaches several times faster than INSERTs; a conflict
        fails the whole transaction, as an INSERT would."""
        if not rows:
            return
        names = ", ".join(columns)
        if isinstance(self.conn, sqlite3.Connection):
            self.conn.executemany(f"INSERT INTO {table} ({names}) VALUES "
                                  f"({', '.join(['?'] * len(columns))})", rows)
            return
        with self.conn.cursor() as cur, cur.copy(
                f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[arg-type]
            for row in rows:
                copy.write_row(row)


class ViewStore:
    """Connections of our own to the event store's database (same SQLite file or schema)."""

    def __init__(self, database: DatabaseConfig, *, write_wait: float = 15.0) -> None:
        self.database = database
        self.write_wait = write_wait
        self._writers = (writer_queue(database.sqlite_path)
                         if database.sqlite_path is not None else None)
        self.dialect: Dialect = "sqlite" if database.kind == "sqlite" else "postgres"
        self._local = threading.local()
        self._opened: list[sqlite3.Connection | psycopg.Connection[Any]] = []
        self._guard = threading.Lock()

    def connect(self) -> sqlite3.Connection | psycopg.Connection[Any]:
        """A new connection in autocommit mode; transactions are begun explicitly."""
        db = self.database
        if self.dialect == "sqlite":
            assert db.sqlite_path is not None
            path = "file::memory:?mode=memory&cache=shared" if db.is_memory else db.sqlite_path
            lite = sqlite3.connect(path, uri=db.is_memory, isolation_level=None,
                                   check_same_thread=False, timeout=self.write_wait)
            lite.execute(f"PRAGMA busy_timeout = {int(self.write_wait * 1000)}")
            if not db.is_memory:
                lite.execute("PRAGMA journal_mode = WAL")
            lite.execute("PRAGMA synchronous = FULL")  # until a transaction asks for less
            return lite
        kwargs: dict[str, Any] = dict(db.conninfo)
        # Views are skewed (most cases drafts, some states held by none): a statement
        # prepared once and planned generically scans a sort's index for a status no row
        # has (200 ms at 100,000 cases) where a plan for the value asked reads nothing.
        options = [*([kwargs["options"]] if kwargs.get("options") else []),
                   "-c plan_cache_mode=force_custom_plan"]
        if db.schema:
            options.append(f"-c search_path={db.schema}")
        kwargs["options"] = " ".join(options)
        return psycopg.connect(make_conninfo(**kwargs), autocommit=True)

    def _connection(self) -> sqlite3.Connection | psycopg.Connection[Any]:
        conn = getattr(self._local, "conn", None)
        if conn is None or (isinstance(conn, psycopg.Connection) and conn.closed):
            conn = self.connect()
            self._local.conn, self._local.synchronous = conn, "FULL"
            with self._guard:
                self._opened.append(conn)
        return conn

    @contextmanager
    def transaction(self, suffix: str = "", *, write: bool = True,
                    durable: bool = True) -> Iterator[SqlTransaction]:
        """One transaction on this thread's connection: committed on success, else rolled back.

        ``durable=False`` (projections) does not wait for the commit to reach disk
        (PostgreSQL ``synchronous_commit = off``, SQLite ``synchronous = NORMAL``): the
        tracking row commits with the view rows, so a commit lost in a crash is simply
        applied again.
        """
        conn = self._connection()
        if isinstance(conn, sqlite3.Connection):
            self._sqlite_durability(conn, durable)
            if not write:
                with self._sqlite_transaction(conn, "BEGIN", suffix) as tx:
                    yield tx
                return
            assert self._writers is not None
            # IMMEDIATE takes the write lock up front, so a writer never fails to upgrade.
            with self._writers.turn(self.write_wait), \
                    self._sqlite_transaction(conn, "BEGIN IMMEDIATE", suffix) as tx:
                yield tx
        else:
            with conn.transaction():
                if not durable:
                    conn.execute("SET LOCAL synchronous_commit = off")
                yield SqlTransaction(conn, "postgres", suffix)

    def _sqlite_durability(self, conn: sqlite3.Connection, durable: bool) -> None:
        # In WAL mode NORMAL syncs at checkpoints only: a commit lost in a crash is applied
        # again (its tracking row goes with it), and the one writer is not held for an
        # fsync. What is durable keeps FULL.
        level = "FULL" if durable else "NORMAL"
        if getattr(self._local, "synchronous", "FULL") != level:
            conn.execute(f"PRAGMA synchronous = {level}")
            self._local.synchronous = level

    @staticmethod
    @contextmanager
    def _sqlite_transaction(conn: sqlite3.Connection, begin: str,
                            suffix: str) -> Iterator[SqlTransaction]:
        conn.execute(begin)
        try:
            yield SqlTransaction(conn, "sqlite", suffix)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def read_log(self, schema: str, table: str, start: int, limit: int,
                 stop: int) -> list[tuple[int, Any, int, str, bytes]]:
        """Rows of the library's PostgreSQL event table from ``start`` to ``stop``, at most
        ``limit``, as (notification id, originator id, version, topic, state): what
        ``select_notifications`` reads, in the binary protocol and without a dict and a
        Notification per row (a third of its cost in a rebuild)."""
        conn = self._connection()
        assert isinstance(conn, psycopg.Connection)
        query = sql.SQL("SELECT notification_id, originator_id, originator_version, topic, "
                        "state FROM {}.{} WHERE notification_id >= %s AND notification_id "
                        "<= %s ORDER BY notification_id LIMIT %s").format(
            sql.Identifier(schema), sql.Identifier(table))
        with conn.cursor(binary=True) as cur:
            cur.execute(query, (start, stop, limit), prepare=True)
            return cur.fetchall()

    def close(self) -> None:
        with self._guard:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
