"""Reads of the outbox: the notices and their attempts (``GET /api/v1/notifications``,
``aidtrail notify status``)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from application.notifications.outbox import ATTEMPTS, OUTBOX, STATUSES
from application.projections.base import ViewTransaction
from domain.errors import InvalidInputError

_COLUMNS = ("notice_key", "kind", "subject", "threshold", "subscription_id", "channel",
            "language", "case_id", "donor_id", "reference", "provinces", "facts", "send_on",
            "status", "attempts", "next_attempt_at", "created_at", "sent_at", "last_error")


def notices(tx: ViewTransaction, *, provinces: Collection[str] | None, status: str | None,
            limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` rows (of one status if given) that touch the caller's provinces,
    each with its attempts. The address is not shown: it is the subscriber's."""
    if status is not None and status not in STATUSES:
        raise InvalidInputError(f"status must be one of {', '.join(STATUSES)}",
                                code="invalid_status", field="status")
    where, params = ("WHERE status = %s", [status]) if status else ("", [])
    rows = tx.fetchall(f"SELECT {', '.join(_COLUMNS)} FROM {OUTBOX} {where} "
                       "ORDER BY created_at DESC, notice_key", params)
    found = []
    for row in rows:
        item = dict(zip(_COLUMNS, row, strict=True))
        places = [p for p in str(item["provinces"]).split(",") if p]
        if provinces is not None and not set(places) & set(provinces):
            continue
        item.update(provinces=places, facts=json.loads(item["facts"]),
                    attempts=int(item["attempts"]))
        found.append(item)
        if len(found) >= limit:
            break
    keys = [f["notice_key"] for f in found]
    attempts: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
    if keys:
        for key, attempt, at, outcome, detail in tx.fetchall(
                f"SELECT notice_key, attempt, at, outcome, detail FROM {ATTEMPTS} WHERE "
                f"notice_key IN ({', '.join(['%s'] * len(keys))}) ORDER BY attempt", keys):
            attempts[str(key)].append({"attempt": int(attempt), "at": str(at),
                                       "outcome": str(outcome), "detail": str(detail)})
    for item in found:
        item["attempt_log"] = attempts[item["notice_key"]]
    return found


def counts(tx: ViewTransaction) -> dict[tuple[str, str], int]:
    """How many rows are in each (status, channel)."""
    return {(str(s), str(c)): int(n) for s, c, n in tx.fetchall(
        f"SELECT status, channel, COUNT(*) FROM {OUTBOX} GROUP BY status, channel")}
