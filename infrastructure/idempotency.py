"""Idempotency keys, written by the event recorder in the transaction of the command's events
(``infrastructure/postgres_factory.py``, ``infrastructure/sqlite_factory.py``): a key is in
this table exactly when its command's events are in the log. Here they are read back."""

from __future__ import annotations

import json
from uuid import UUID

from application.errors import IdempotencyKeyReusedError
from application.idempotency import CommandKey
from application.results import CommandResult
from infrastructure.views.sql import SqlTransaction, ViewStore

KEY_TABLE = "idempotent_command"
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {KEY_TABLE} (
    principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    aggregate_id TEXT NOT NULL, version BIGINT NOT NULL, status TEXT NOT NULL,
    position BIGINT NOT NULL, recorded_at TEXT NOT NULL,
    PRIMARY KEY (principal, key))"""
# Schema version 1 claimed a key, saved the events and stored the response in three
# transactions; its completed answers are carried over, its bare claims are not (their
# commands were never recorded with them).
_OLD_TABLE = "idempotency_key"


class IdempotencyStore:
    def __init__(self, store: ViewStore) -> None:
        self._store = store

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            tx.execute(SCHEMA)
            if _table_exists(tx, _OLD_TABLE):
                _carry_over(tx)
                tx.execute(f"DROP TABLE {_OLD_TABLE}")

    def find(self, key: CommandKey) -> CommandResult | None:
        """The result the command sent with ``key`` got, or None if none was recorded.
        ``IdempotencyKeyReusedError`` if that command had another fingerprint."""
        with self._store.transaction(write=False) as tx:
            rows = tx.fetchall(
                f"SELECT fingerprint, aggregate_id, version, status, position FROM {KEY_TABLE}"
                " WHERE principal = %s AND key = %s", (key.principal, key.key))
        if not rows:
            return None
        fingerprint, aggregate_id, version, status, position = rows[0]
        if fingerprint != key.fingerprint:
            raise IdempotencyKeyReusedError(
                "this Idempotency-Key was used with a different request body")
        return CommandResult(id=UUID(str(aggregate_id)), version=int(version),
                             status=str(status), position=int(position))


def _table_exists(tx: SqlTransaction, name: str) -> bool:
    rows = tx.fetchall(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = %s "
        "AND table_schema = current_schema()" if tx.dialect == "postgres" else
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", (name,))
    return bool(rows and rows[0][0])


def _carry_over(tx: SqlTransaction) -> None:
    rows = tx.fetchall(f"SELECT principal, key, fingerprint, body, created_at FROM {_OLD_TABLE}"
                       " WHERE status IS NOT NULL")
    for principal, key, fingerprint, body, created_at in rows:
        answer = json.loads(body)
        tx.execute(f"INSERT INTO {KEY_TABLE} (principal, key, fingerprint, aggregate_id, "
                   "version, status, position, recorded_at) VALUES "
                   "(%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (principal, key) DO NOTHING",
                   (principal, key, fingerprint, answer["id"], answer["version"],
                    answer["status"], answer["position"], created_at))
