"""Parses ``AIDTRAIL_DATABASE_URL`` and maps it onto the eventsourcing library's settings."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo


class DatabaseURLError(ValueError):
    """The database URL cannot be understood."""


class DatabaseUnavailableError(Exception):
    """The database does not answer."""


class DatabaseBusyError(DatabaseUnavailableError):
    """A write waited its whole bounded turn behind other writers (SQLite)."""


@dataclass(frozen=True)
class DatabaseConfig:
    kind: str  # "sqlite" or "postgres"
    sqlite_path: str | None = None
    conninfo: dict[str, str] = field(default_factory=dict)
    schema: str = ""

    @property
    def is_memory(self) -> bool:
        return self.kind == "sqlite" and self.sqlite_path == ":memory:"

    def psycopg_kwargs(self) -> dict[str, str]:
        return dict(self.conninfo)


def parse_database_url(url: str) -> DatabaseConfig:
    """``sqlite:///relative/path``, ``sqlite:////absolute/path``, ``sqlite:///:memory:`` or
    ``postgresql://user:pass@host:port/db[?schema=name&host=/socket/dir]``."""
    url = url.strip()
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise DatabaseURLError(f"database URL has no scheme (sqlite:// or postgresql://): {url!r}")
    scheme = scheme.lower()
    if scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
        if not path:
            raise DatabaseURLError("SQLite URL needs a path: sqlite:///var/aidtrail.sqlite")
        return DatabaseConfig(kind="sqlite", sqlite_path=path)
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        schema = next((v for k, v in query if k == "schema"), "")
        rest = urlencode([(k, v) for k, v in query if k != "schema"])
        clean = urlunsplit(("postgresql", parts.netloc, parts.path, rest, ""))
        try:
            info = conninfo_to_dict(clean)
        except psycopg.ProgrammingError as exc:
            raise DatabaseURLError(f"PostgreSQL URL cannot be parsed: {exc}") from None
        port = str(info.get("port", "5432"))
        if not all(part.isdigit() for part in port.split(",")):
            raise DatabaseURLError(f"PostgreSQL URL cannot be parsed: port {port!r}")
        if not info.get("dbname"):
            raise DatabaseURLError("PostgreSQL URL needs a database name: postgresql://host/db")
        if schema and not schema.replace("_", "").isalnum():
            raise DatabaseURLError(f"schema must be letters, digits and underscores: {schema!r}")
        return DatabaseConfig(
            kind="postgres", conninfo={k: str(v) for k, v in info.items()}, schema=schema
        )
    raise DatabaseURLError(f"unsupported database scheme {scheme!r}: use sqlite or postgresql")


def library_env(
    db: DatabaseConfig, *, cipher_key: str | None = None, pool_size: int = 8,
    create_tables: bool = True, sqlite_write_wait: float = 15.0, group_commit_wait_ms: float = 2.0,
) -> dict[str, str]:
    """The eventsourcing environment for one database: the only place these names appear."""
    if db.kind == "sqlite":
        assert db.sqlite_path is not None
        if not db.is_memory:
            Path(db.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        env = {
            # The library's, with its writes queued behind this process's other writers.
            "PERSISTENCE_MODULE": "infrastructure.sqlite_factory:QueuedSQLiteFactory",
            "SQLITE_DBNAME": db.sqlite_path
            if not db.is_memory
            else "file::memory:?mode=memory&cache=shared",
            # Other processes' writers are waited for (the file lock) as long as ours.
            "SQLITE_LOCK_TIMEOUT": str(max(1, math.ceil(sqlite_write_wait))),
            "SQLITE_WRITE_WAIT": str(sqlite_write_wait),
            "SQLITE_POOL_SIZE": str(pool_size),
            "GROUP_COMMIT_WAIT_MS": str(group_commit_wait_ms),
        }
    else:
        info = db.conninfo
        env = {
            # The library's own factory, but a pool timeout is not retried ten times over.
            "PERSISTENCE_MODULE": "infrastructure.postgres_factory:FailFastPostgresFactory",
            "POSTGRES_DBNAME": info["dbname"],
            "POSTGRES_HOST": info.get("host", "localhost"),
            "POSTGRES_PORT": info.get("port", "5432"),
            "POSTGRES_USER": info.get("user", "postgres"),
            "POSTGRES_PASSWORD": info.get("password", ""),
            "POSTGRES_SCHEMA": db.schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            # eventsourcing 9.5.6: 0 means wait forever for the table lock; never leave it so.
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": str(pool_size),
            # No pre-ping round trip per checkout: the recorder retries a dropped connection.
            "POSTGRES_PRE_PING": "n",
            # eventsourcing 9.5.6: its shared DB functions write into the wrong table; keep off.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "GROUP_COMMIT_WAIT_MS": str(group_commit_wait_ms),
        }
    # Only a migration creates the event tables (SPEC: no tables made on the fly in production).
    env["CREATE_TABLE"] = "y" if create_tables else "n"
    if cipher_key:
        env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
        env["CIPHER_KEY"] = cipher_key
    return env


def ping(db: DatabaseConfig, timeout: float = 2.0) -> None:
    """Raise DatabaseUnavailableError unless the database answers a trivial query."""
    try:
        if db.kind == "sqlite":
            assert db.sqlite_path is not None
            if not db.is_memory:
                Path(db.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
            lite = sqlite3.connect(db.sqlite_path, timeout=timeout)
            try:
                lite.execute("SELECT 1")
            finally:
                lite.close()
        else:
            conninfo = make_conninfo(**db.conninfo, connect_timeout=max(1, int(timeout)))
            with psycopg.connect(conninfo) as conn:
                conn.execute("SELECT 1")
    except (sqlite3.Error, psycopg.Error, OSError) as exc:
        where = db.sqlite_path if db.kind == "sqlite" else (
            f"{db.conninfo.get('host', 'localhost')}:{db.conninfo.get('port', '5432')}"
            f"/{db.conninfo.get('dbname')}"
        )
        raise DatabaseUnavailableError(
            f"database {where} does not answer: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    """The first line of an error's message (its type when there is none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def schema_setup_lock(db: DatabaseConfig) -> Iterator[None]:
    """Serialise the creation of tables, types and functions between processes starting at
    the same moment on one PostgreSQL schema (``CREATE ... IF NOT EXISTS`` is not safe
    against a concurrent twin: both may try to add the same catalogue row)."""
    if db.kind != "postgres":
        yield
        return
    try:
        conn = psycopg.connect(make_conninfo(**db.conninfo), autocommit=True)
    except psycopg.Error as exc:
        raise DatabaseUnavailableError(f"database does not answer: {_reason(exc)}") from None
    with conn:
        key = ("aidtrail-schema-setup:" + db.schema,)
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", key)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", key)
