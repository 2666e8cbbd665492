"""Idempotency keys, stored durably beside the events: a retry returns the first response."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from application.errors import IdempotencyKeyReusedError
from domain.errors import ConflictError
from infrastructure.views.sql import ViewStore

SCHEMA = """CREATE TABLE IF NOT EXISTS idempotency_key (
    principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    status INTEGER, body TEXT, headers TEXT, created_at TEXT NOT NULL,
    PRIMARY KEY (principal, key))"""
# A request that died after claiming its key is taken over after this long.
ABANDONED_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    headers: dict[str, str]


class IdempotencyStore:
    def __init__(self, store: ViewStore) -> None:
        self._store = store

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            tx.execute(SCHEMA)

    def claim(self, principal: str, key: str, fingerprint: str) -> StoredResponse | None:
        """Claim ``key`` for a new request, or return the response of the first one."""
        now = datetime.now(UTC)
        with self._store.transaction() as tx:
            rows = tx.fetchall(
                "SELECT fingerprint, status, body, headers, created_at FROM idempotency_key "
                "WHERE principal = %s AND key = %s", (principal, key))
            if not rows:  # two first requests at once: the primary key lets one claim it
                claimed = tx.execute(
                    "INSERT INTO idempotency_key (principal, key, fingerprint, created_at) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (principal, key) DO NOTHING",
                    (principal, key, fingerprint, now.isoformat()))
                if claimed:
                    return None
                raise ConflictError("a request with this Idempotency-Key is still in progress",
                                    code="idempotency_key_in_progress")
            row = rows[0]
            if row[0] != fingerprint:
                raise IdempotencyKeyReusedError(
                    "this Idempotency-Key was used with a different request body")
            if row[1] is not None:
                return StoredResponse(int(row[1]), json.loads(row[2]), json.loads(row[3]))
            if now - datetime.fromisoformat(row[4]) < ABANDONED_AFTER:
                raise ConflictError("a request with this Idempotency-Key is still in progress",
                                    code="idempotency_key_in_progress")
            tx.execute("UPDATE idempotency_key SET created_at = %s "
                       "WHERE principal = %s AND key = %s", (now.isoformat(), principal, key))
            return None

    def complete(self, principal: str, key: str, response: StoredResponse) -> None:
        with self._store.transaction() as tx:
            tx.execute("UPDATE idempotency_key SET status = %s, body = %s, headers = %s "
                       "WHERE principal = %s AND key = %s",
                       (response.status, json.dumps(response.body),
                        json.dumps(response.headers), principal, key))

    def release(self, principal: str, key: str) -> None:
        """The request failed: forget the claim so that a retry runs again."""
        with self._store.transaction() as tx:
            tx.execute("DELETE FROM idempotency_key WHERE principal = %s AND key = %s "
                       "AND status IS NULL", (principal, key))
