"""Idempotency keys, written by the event recorder in the transaction of the command's events
(``infrastructure/postgres_factory.py``, ``infrastructure/sqlite_factory.py``): a key is in
this table exactly when its command's events are in the log. Here they are read back."""

from __future__ import annotations

from uuid import UUID

from application.errors import IdempotencyKeyReusedError
from application.idempotency import CommandKey
from application.results import CommandResult
from infrastructure.idempotency_v1 import carry_over_version_1
from infrastructure.views.sql import ViewStore

KEY_TABLE = "idempotent_command"
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {KEY_TABLE} (
    principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    aggregate_id TEXT NOT NULL, version BIGINT NOT NULL, status TEXT NOT NULL,
    position BIGINT NOT NULL, recorded_at TEXT NOT NULL,
    PRIMARY KEY (principal, key))"""


class IdempotencyStore:
    def __init__(self, store: ViewStore) -> None:
        self._store = store

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            tx.execute(SCHEMA)
            carry_over_version_1(tx, KEY_TABLE)

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
