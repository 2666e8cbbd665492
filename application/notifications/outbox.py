"""``notification_outbox``: one row per notice and recipient, keyed by the notice key, so a
notice is enqueued once however often it is found again; a sender claims, sends, records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from application.notifications.notices import Notice
from application.notifications.subscriptions import SUBSCRIPTIONS, recipients
from application.projections.base import ViewTransaction

OUTBOX, ATTEMPTS, STATE = "notification_outbox", "notification_attempt", "notification_state"
SCHEMA = [
    f"CREATE TABLE IF NOT EXISTS {OUTBOX} (notice_key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
    "subject TEXT NOT NULL, threshold TEXT NOT NULL, subscription_id TEXT NOT NULL, "
    "channel TEXT NOT NULL, address TEXT NOT NULL, language TEXT NOT NULL, case_id TEXT, "
    "donor_id TEXT, reference TEXT NOT NULL, provinces TEXT NOT NULL, facts TEXT NOT NULL, "
    "send_on TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, "
    "next_attempt_at TEXT NOT NULL, lease_until TEXT, created_at TEXT NOT NULL, "
    "sent_at TEXT, last_error TEXT)",
    f"CREATE INDEX IF NOT EXISTS {OUTBOX}_due ON {OUTBOX} (status, next_attempt_at)",
    f"CREATE TABLE IF NOT EXISTS {ATTEMPTS} (notice_key TEXT NOT NULL, attempt INTEGER NOT NULL,"
    " at TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL, "
    "PRIMARY KEY (notice_key, attempt))",
    f"CREATE TABLE IF NOT EXISTS {STATE} (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
]
STATUSES = ("pending", "sending", "sent", "dead")
# Event-driven notices are made only for events after this position: a rebuild, or the first
# migration of a store with years of history, does not announce the past.
FROM_POSITION = "events_from_position"


def stamp(at: datetime) -> str:
    """A UTC instant as fixed-width text, so that text order is time order."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def create_tables(tx: ViewTransaction, head: int) -> None:
    for statement in SCHEMA:
        tx.execute(statement)
    tx.execute(f"INSERT INTO {STATE} (name, value) VALUES (%s, %s) ON CONFLICT (name) "
               "DO NOTHING", (FROM_POSITION, str(head)))


def events_from(tx: ViewTransaction) -> int | None:
    """The position after which events make notices (None: the tables are not made yet)."""
    rows = tx.fetchall(f"SELECT value FROM {STATE} WHERE name = %s", (FROM_POSITION,))
    return int(rows[0][0]) if rows else None


def enqueue(tx: ViewTransaction, notices: Iterable[Notice], now: datetime) -> int:
    """Each notice once per recipient; returns how many rows are new."""
    added = 0
    for n in notices:
        for s in recipients(tx, n):
            added += max(0, tx.execute(
                f"INSERT INTO {OUTBOX} (notice_key, kind, subject, threshold, subscription_id, "
                "channel, address, language, case_id, donor_id, reference, provinces, facts, "
                "send_on, status, attempts, next_attempt_at, created_at) VALUES (%s, %s, %s, "
                "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'pending', 0, %s, %s) "
                "ON CONFLICT (notice_key) DO NOTHING",
                (n.key(s.id), n.kind, n.subject, n.threshold, s.id, s.channel, s.address,
                 s.language, n.case_id, n.donor_id, n.reference, ",".join(n.provinces),
                 json.dumps(n.facts, sort_keys=True), n.send_on.isoformat(), stamp(now),
                 stamp(now))))
    return added


def cancel(tx: ViewTransaction, subscription_id: str) -> None:
    """A removed subscription's rows not yet sent are dead: nothing more goes to it."""
    tx.execute(f"UPDATE {OUTBOX} SET status = 'dead', lease_until = NULL, last_error = "
               "'unsubscribed' WHERE subscription_id = %s AND status IN ('pending', 'sending')",
               (subscription_id,))


@dataclass(frozen=True)
class Delivery:
    key: str
    kind: str
    channel: str
    address: str
    language: str
    secret: str | None
    attempt: int
    case_id: str | None
    donor_id: str | None
    reference: str
    facts: dict[str, str]


def claim(tx: ViewTransaction, channels: Sequence[str], now: datetime, today: date,
          limit: int = 50, lease: timedelta = timedelta(minutes=5)) -> list[Delivery]:
    """Rows due now on the given channels, leased to the caller: pending ones whose back-off
    has passed, and those a sender claimed and never finished (it died) once its lease ends.
    On PostgreSQL two senders skip each other's rows; SQLite has one writer at a time."""
    if not channels:
        return []
    at = stamp(now)
    lock = " FOR UPDATE OF o SKIP LOCKED" if tx.dialect == "postgres" else ""
    rows = tx.fetchall(
        f"SELECT o.notice_key, o.kind, o.channel, o.address, o.language, s.secret, "
        f"o.attempts, o.case_id, o.donor_id, o.reference, o.facts FROM {OUTBOX} o "
        f"LEFT JOIN {SUBSCRIPTIONS} s ON s.id = o.subscription_id "
        f"WHERE o.channel IN ({', '.join(['%s'] * len(channels))}) AND o.send_on <= %s AND "
        "((o.status = 'pending' AND o.next_attempt_at <= %s) OR "
        "(o.status = 'sending' AND o.lease_until <= %s)) "
        f"ORDER BY o.created_at, o.notice_key LIMIT %s{lock}",
        [*channels, today.isoformat(), at, at, limit])
    claimed = []
    for key, kind, channel, address, language, secret, attempts, case_id, donor_id, \
            reference, facts in rows:
        tx.execute(f"UPDATE {OUTBOX} SET status = 'sending', attempts = %s, lease_until = %s "
                   "WHERE notice_key = %s", (int(attempts) + 1, stamp(now + lease), key))
        claimed.append(Delivery(str(key), str(kind), str(channel), str(address),
                                str(language), None if secret is None else str(secret),
                                int(attempts) + 1, case_id, donor_id, str(reference),
                                json.loads(facts)))
    return claimed


def finish(tx: ViewTransaction, d: Delivery, *, error: str | None, now: datetime,
           max_attempts: int, backoff: timedelta) -> str:
    """Record the attempt; the row is sent, retried after ``backoff`` × 2^(attempt−1), or
    dead after ``max_attempts``. Returns its new status."""
    status = "sent" if error is None else "dead" if d.attempt >= max_attempts else "pending"
    tx.execute(f"INSERT INTO {ATTEMPTS} (notice_key, attempt, at, outcome, detail) VALUES "
               "(%s, %s, %s, %s, %s) ON CONFLICT (notice_key, attempt) DO NOTHING",
               (d.key, d.attempt, stamp(now), "sent" if error is None else "failed",
                (error or "")[:500]))
    retry = now + backoff * 2 ** (d.attempt - 1)
    tx.execute(f"UPDATE {OUTBOX} SET status = %s, next_attempt_at = %s, lease_until = NULL, "
               "sent_at = %s, last_error = %s WHERE notice_key = %s AND attempts = %s",
               (status, stamp(retry), stamp(now) if error is None else None,
                None if error is None else error[:500], d.key, d.attempt))
    return status


def failed_attempts(tx: ViewTransaction) -> dict[str, int]:
    """Delivery attempts recorded as failed, by channel (attempts are never deleted)."""
    return {str(c): int(n) for c, n in tx.fetchall(
        f"SELECT o.channel, COUNT(*) FROM {ATTEMPTS} a JOIN {OUTBOX} o "
        "ON o.notice_key = a.notice_key WHERE a.outcome = 'failed' GROUP BY o.channel")}
