"""Backups of the whole store (events, idempotency keys, views) and their restore.

SQLite: the online backup API copies the database page by page from one read transaction,
so a backup taken while commands are written is a consistent snapshot. PostgreSQL:
``pg_dump -Fc`` (one snapshot of the schema) and ``pg_restore`` into an empty database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from infrastructure.database import DatabaseConfig


class BackupError(Exception):
    """A backup or restore that cannot be made; the message names the reason."""


def backup(db: DatabaseConfig, out: Path, bin_dir: str | None = None) -> None:
    """Write a backup of the store to ``out`` (a new file)."""
    if out.exists():
        raise BackupError(f"{out} exists; name a new file")
    if db.kind == "sqlite":
        _sqlite_copy(_sqlite_source(db), str(out))
        return
    command = [_tool("pg_dump", bin_dir), "--format=custom", "--no-owner", f"--file={out}"]
    if db.schema:
        command.append(f"--schema={db.schema}")
    _run(command + [f"--dbname={_conninfo(db)}"], db)


def restore(db: DatabaseConfig, file: Path, bin_dir: str | None = None) -> None:
    """Load a backup into the empty store ``db`` names; a store with tables is refused."""
    if not file.is_file():
        raise BackupError(f"{file} is not a file")
    if db.kind == "sqlite":
        assert db.sqlite_path is not None
        if Path(db.sqlite_path).exists() and Path(db.sqlite_path).stat().st_size > 0:
            raise BackupError(f"{db.sqlite_path} exists; restore into a new file")
        _sqlite_check(str(file))
        Path(db.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        partial = f"{db.sqlite_path}.restoring"
        _sqlite_copy(str(file), partial)
        os.replace(partial, db.sqlite_path)  # whole or not at all
        return
    _refuse_postgres_with_events(db)
    _extensions(db)
    _run([_tool("pg_restore", bin_dir), "--no-owner", "--exit-on-error", "--single-transaction",
          f"--dbname={_conninfo(db)}", str(file)], db)


def _sqlite_source(db: DatabaseConfig) -> str:
    assert db.sqlite_path is not None
    if db.is_memory or not Path(db.sqlite_path).is_file():
        raise BackupError(f"no SQLite database at {db.sqlite_path}")
    return db.sqlite_path


def _sqlite_copy(source: str, target: str) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, from one read transaction (a snapshot;
        # in WAL mode writers go on meanwhile).
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()


def _sqlite_check(file: str) -> None:
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{file} is not a SQLite backup: {exc}") from None
    if not result or result[0] != "ok":
        raise BackupError(f"{file} fails SQLite's integrity check: {result}")


def _tool(name: str, bin_dir: str | None) -> str:
    found = str(Path(bin_dir) / name) if bin_dir else shutil.which(name)
    if not found or not Path(found).is_file():
        where = f"in {bin_dir}" if bin_dir else "on PATH (set AIDTRAIL_PG_BIN_DIR)"
        raise BackupError(f"{name} not found {where}")
    return found


def _conninfo(db: DatabaseConfig) -> str:
    return make_conninfo(**{k: v for k, v in db.conninfo.items() if k != "password"})


def _run(command: list[str], db: DatabaseConfig) -> None:
    env = dict(os.environ)
    if db.conninfo.get("password"):
        env["PGPASSWORD"] = db.conninfo["password"]  # never on the command line
    done = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)  # the tools found above, our own arguments
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
        raise BackupError(f"{Path(command[0]).name} failed: {lines[0]}")


def _extensions(db: DatabaseConfig) -> None:
    """The extensions the store's indexes name (pg_trgm, in ``public``): a dump of a schema
    does not carry the database's extensions, and without them the restore would fail."""
    with psycopg.connect(make_conninfo(**db.psycopg_kwargs()), autocommit=True) as conn:
        available = conn.execute("SELECT 1 FROM pg_available_extensions "
                                 "WHERE name = 'pg_trgm'").fetchone()
        if available:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")


def _refuse_postgres_with_events(db: DatabaseConfig) -> None:
    """The backup creates its schema (``public`` excepted, which a database always has)."""
    schema = db.schema or "public"
    with psycopg.connect(make_conninfo(**db.psycopg_kwargs()), autocommit=True) as conn:
        tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE "
                              "table_schema = %s", (schema,)).fetchone()
        exists = conn.execute("SELECT count(*) FROM information_schema.schemata WHERE "
                              "schema_name = %s", (schema,)).fetchone()
    if tables and tables[0]:
        raise BackupError(f"schema {schema} is not empty; restore into an empty database")
    if schema != "public" and exists and exists[0]:
        raise BackupError(f"schema {schema} exists; restore into a database without it")
