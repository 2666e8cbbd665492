"""The version of the database schema: tables, types and functions are created or changed
only by a migration (``aidtrail db migrate``, or at start-up where that is allowed), and a
process refuses to run on a schema that is not at the version its code expects."""

from __future__ import annotations

from datetime import UTC, datetime

from infrastructure.views.sql import ViewStore

# Raise with every change to a table, type, index or function, and make the change in the
# code that `db migrate` runs (``CREATE ... IF NOT EXISTS`` / ``CREATE OR REPLACE``, or
# ``schema_upgrade`` for a change to a table that exists).
SCHEMA_VERSION = 10  # 2: projection_failure; 3: idempotent_command (key, events, answer at
# once); 4: reporting_obligation_counted; 5: compliance_flag.basis_verified; 6: notification
# subscriptions, outbox, attempts and state; 7: the workspace's accounts, sessions and
# sign-in failures; 8: an index per view sort and filter, trigram search on PostgreSQL;
# 9: the batch append function (group commit); 10: the case search index on SQLite

_DDL = ("CREATE TABLE IF NOT EXISTS aidtrail_schema ("
        "version integer PRIMARY KEY, migrated_at text NOT NULL)")


class SchemaVersionError(Exception):
    """The database schema is missing or at another version than this code needs."""


def current_version(views: ViewStore) -> int:
    """The version the database is at (0: never migrated)."""
    with views.transaction(write=False) as tx:
        found = tx.fetchall(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'aidtrail_schema'"
            " AND table_schema = current_schema()" if tx.dialect == "postgres" else
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
            "AND name = 'aidtrail_schema'")
        if not found or not found[0][0]:
            return 0
        rows = tx.fetchall("SELECT max(version) FROM aidtrail_schema")
    return int(rows[0][0] or 0) if rows else 0


def require_current(views: ViewStore) -> None:
    found = refuse_downgrade(views)
    if found != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"the database schema is at version {found}, this code needs version "
            f"{SCHEMA_VERSION}: run `aidtrail db migrate` first")


def refuse_downgrade(views: ViewStore) -> int:
    """The version the database is at, unless it is newer than this code."""
    found = current_version(views)
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"the database schema is at version {found}, newer than this code "
            f"(version {SCHEMA_VERSION}): run a newer AidTrail")
    return found


def record_current(views: ViewStore) -> None:
    """Note that the schema is now at ``SCHEMA_VERSION`` (after the migration ran)."""
    with views.transaction() as tx:
        tx.execute(_DDL)
        if tx.dialect == "postgres":
            tx.execute("INSERT INTO aidtrail_schema (version, migrated_at) VALUES (%s, %s) "
                       "ON CONFLICT (version) DO NOTHING",
                       (SCHEMA_VERSION, datetime.now(UTC).isoformat()))
        else:
            tx.execute("INSERT OR IGNORE INTO aidtrail_schema (version, migrated_at) "
                       "VALUES (%s, %s)", (SCHEMA_VERSION, datetime.now(UTC).isoformat()))
