"""The IATI identifier each case was first published under (it never changes afterwards)."""

from __future__ import annotations

from datetime import UTC, datetime

from infrastructure.views.sql import ViewStore

SCHEMA = """CREATE TABLE IF NOT EXISTS iati_publication (
    case_id TEXT PRIMARY KEY, identifier TEXT NOT NULL, first_published_at TEXT NOT NULL)"""


class IatiPublications:
    def __init__(self, store: ViewStore) -> None:
        self._store = store

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            tx.execute(SCHEMA)

    def record(self, case_id: str, identifier: str) -> str:
        """Record a first publication; returns the identifier on record (the first one)."""
        with self._store.transaction() as tx:
            tx.execute("INSERT INTO iati_publication (case_id, identifier, first_published_at)"
                       " VALUES (%s, %s, %s) ON CONFLICT (case_id) DO NOTHING",
                       (case_id, identifier, datetime.now(UTC).isoformat()))
            rows = tx.fetchall("SELECT identifier FROM iati_publication WHERE case_id = %s",
                               (case_id,))
        return str(rows[0][0])

    def identifier(self, case_id: str) -> str | None:
        with self._store.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT identifier FROM iati_publication WHERE case_id = %s",
                               (case_id,))
        return str(rows[0][0]) if rows else None
