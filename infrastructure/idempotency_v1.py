"""The idempotency keys of schema version 1, carried over into the table that replaced it."""

from __future__ import annotations

import json

from infrastructure.views.sql import SqlTransaction

# Schema version 1 claimed a key, saved the events and stored the response in three
# transactions; its completed answers are carried over, its bare claims are not (their
# commands were never recorded with them).
_OLD_TABLE = "idempotency_key"


def carry_over_version_1(tx: SqlTransaction, into: str) -> None:
    """Copy version 1's completed answers into the table ``into``, then drop its table."""
    if _table_exists(tx, _OLD_TABLE):
        _copy_answers(tx, into)
        tx.execute(f"DROP TABLE {_OLD_TABLE}")


def _table_exists(tx: SqlTransaction, name: str) -> bool:
    rows = tx.fetchall(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = %s "
        "AND table_schema = current_schema()" if tx.dialect == "postgres" else
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", (name,))
    return bool(rows and rows[0][0])


def _copy_answers(tx: SqlTransaction, into: str) -> None:
    rows = tx.fetchall(f"SELECT principal, key, fingerprint, body, created_at FROM {_OLD_TABLE}"
                       " WHERE status IS NOT NULL")
    for principal, key, fingerprint, body, created_at in rows:
        answer = json.loads(body)
        tx.execute(f"INSERT INTO {into} (principal, key, fingerprint, aggregate_id, "
                   "version, status, position, recorded_at) VALUES "
                   "(%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (principal, key) DO NOTHING",
                   (principal, key, fingerprint, answer["id"], answer["version"],
                    answer["status"], answer["position"], created_at))
