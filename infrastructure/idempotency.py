"""Idempotency keys, stored durably beside the events: a retry returns the first response."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from application.errors import IdempotencyKeyReusedError
from domain.errors import ConflictError
from infrastructure.logging import get_logger
from infrastructure.views.sql import ViewStore

log = get_logger("aidtrail.idempotency")

SCHEMA = """CREATE TABLE IF NOT EXISTS idempotency_key (
    principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    status INTEGER, body TEXT, headers TEXT, created_at TEXT NOT NULL,
    PRIMARY KEY (principal, key))"""
# A request that died after claiming its key is taken over after this long.
ABANDONED_AFTER = timedelta(seconds=30)
# Claims of failed commands whose release could not be written (the database was down).
_UNRELEASED_KEPT = 10_000


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True)
class Claim:
    """One attempt's hold on a key: ``stamp`` (its claim time) tells it from later attempts."""

    principal: str
    key: str
    stamp: str


class IdempotencyStore:
    def __init__(self, store: ViewStore) -> None:
        self._store = store
        # Failed attempts whose claim is still in the table: a retry takes them over.
        self._unreleased: OrderedDict[Claim, None] = OrderedDict()
        self._guard = threading.Lock()

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            tx.execute(SCHEMA)

    def claim(self, principal: str, key: str, fingerprint: str) -> Claim | StoredResponse:
        """Claim ``key`` for a new request, or return the response of the first one."""
        self._retry_releases()
        now = datetime.now(UTC)
        mine = Claim(principal, key, now.isoformat())
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
                    return mine
                raise ConflictError("a request with this Idempotency-Key is still in progress",
                                    code="idempotency_key_in_progress")
            row = rows[0]
            if row[0] != fingerprint:
                raise IdempotencyKeyReusedError(
                    "this Idempotency-Key was used with a different request body")
            if row[1] is not None:
                return StoredResponse(int(row[1]), json.loads(row[2]), json.loads(row[3]))
            failed = self._is_unreleased(Claim(principal, key, row[4]))
            if not failed and now - datetime.fromisoformat(row[4]) < ABANDONED_AFTER:
                raise ConflictError("a request with this Idempotency-Key is still in progress",
                                    code="idempotency_key_in_progress")
            tx.execute("UPDATE idempotency_key SET created_at = %s "
                       "WHERE principal = %s AND key = %s", (mine.stamp, principal, key))
        self._forget(Claim(principal, key, row[4]))
        return mine

    def complete(self, principal: str, key: str, response: StoredResponse) -> None:
        with self._store.transaction() as tx:
            tx.execute("UPDATE idempotency_key SET status = %s, body = %s, headers = %s "
                       "WHERE principal = %s AND key = %s",
                       (response.status, json.dumps(response.body),
                        json.dumps(response.headers), principal, key))

    def release(self, claim: Claim) -> None:
        """The request failed: forget its claim so that a retry runs again. Never raises:
        when the database cannot take the release (it is down), the claim is remembered,
        released by a later request, and taken over at once by a retry reaching this
        process (not after ``ABANDONED_AFTER``)."""
        try:
            self._delete(claim)
        except Exception:  # noqa: BLE001 - best effort; the command's own error is raised
            log.warning("idempotency_release_deferred")
            with self._guard:
                self._unreleased[claim] = None
                while len(self._unreleased) > _UNRELEASED_KEPT:
                    self._unreleased.popitem(last=False)

    def _delete(self, claim: Claim) -> None:
        with self._store.transaction() as tx:  # only this attempt's claim, never a later one
            tx.execute("DELETE FROM idempotency_key WHERE principal = %s AND key = %s "
                       "AND status IS NULL AND created_at = %s",
                       (claim.principal, claim.key, claim.stamp))

    def _retry_releases(self) -> None:
        with self._guard:
            pending = list(self._unreleased)
        for claim in pending:
            try:
                self._delete(claim)
            except Exception:  # noqa: BLE001 - still down: the claim below will say so
                return
            self._forget(claim)

    def _is_unreleased(self, claim: Claim) -> bool:
        with self._guard:
            return claim in self._unreleased

    def _forget(self, claim: Claim) -> None:
        with self._guard:
            self._unreleased.pop(claim, None)
