"""A projection that fails on an event: what is recorded about it, and when it is retried.

One row per failing projection in ``projection_failure``, written by the runner that hit the
failure, so the API, ``/ready`` and the CLI of any process see it. The row names the event
(its log position), a stable code and the exception's class, never the exception's message
(it may quote a view row). It is deleted in the transaction that moves the projection past
that event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from application.errors import ProjectionFailedError
from application.projections.base import ViewTransaction
from infrastructure.views.fault_kinds import describe, error_class

FAILURE_DDL = ("CREATE TABLE IF NOT EXISTS projection_failure ("
               "name TEXT PRIMARY KEY, position BIGINT NOT NULL, code TEXT NOT NULL, "
               "error_class TEXT NOT NULL, message TEXT NOT NULL, attempts INTEGER NOT NULL, "
               "failed_since TEXT NOT NULL, last_attempt_at TEXT NOT NULL, "
               "next_attempt_at TEXT NOT NULL)")

_COLUMNS = ("name, position, code, error_class, message, attempts, failed_since, "
            "last_attempt_at, next_attempt_at")

@dataclass(frozen=True)
class Failure:
    name: str
    position: int  # the notification id of the event the projection fails on
    code: str
    error_class: str
    message: str
    attempts: int
    failed_since: str
    last_attempt_at: str
    next_attempt_at: str

    def as_dict(self) -> dict[str, object]:
        return {"projection": self.name, "position": self.position, "code": self.code,
                "error_class": self.error_class, "message": self.message,
                "attempts": self.attempts, "failed_since": self.failed_since,
                "next_attempt_at": self.next_attempt_at}


def summary(failing: list[Failure]) -> str:
    return "; ".join(f"projection {f.name} fails at position {f.position} ({f.code})"
                     for f in failing)


def refusal(failing: list[Failure]) -> ProjectionFailedError:
    """The error for a read or a readiness check that a failing projection holds back."""
    return ProjectionFailedError(f"{summary(failing)}: it stays there until the cause is "
                                 "fixed", projections=[f.as_dict() for f in failing])


def record(tx: ViewTransaction, name: str, position: int, exc: BaseException, attempts: int,
           retry_in: float) -> Failure:
    """Insert or update the projection's row; ``failed_since`` is kept while the event is the
    same."""
    now = datetime.now(UTC)
    code, message = describe(exc)
    rows = tx.fetchall("SELECT position, failed_since FROM projection_failure WHERE name = %s",
                       (name,))
    since = str(rows[0][1]) if rows and int(rows[0][0]) == position else now.isoformat()
    failure = Failure(name, position, code, error_class(exc), message, attempts, since,
                      now.isoformat(), (now + timedelta(seconds=retry_in)).isoformat())
    tx.execute("DELETE FROM projection_failure WHERE name = %s", (name,))
    tx.execute(f"INSERT INTO projection_failure ({_COLUMNS}) VALUES "
               "(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
               (failure.name, failure.position, failure.code, failure.error_class,
                failure.message, failure.attempts, failure.failed_since,
                failure.last_attempt_at, failure.next_attempt_at))
    return failure


def passed(tx: ViewTransaction, name: str, position: int) -> None:
    """The projection has applied ``position``: a failure at or before it is over."""
    tx.execute("DELETE FROM projection_failure WHERE name = %s AND position <= %s",
               (name, position))


def forget(tx: ViewTransaction, name: str) -> None:
    tx.execute("DELETE FROM projection_failure WHERE name = %s", (name,))


def read_all(tx: ViewTransaction) -> dict[str, Failure]:
    rows = tx.fetchall(f"SELECT {_COLUMNS} FROM projection_failure ORDER BY name")
    return {str(r[0]): Failure(str(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]),
                               int(r[5]), str(r[6]), str(r[7]), str(r[8])) for r in rows}


@dataclass
class Backoff:
    """When a failing projection is tried next: after 1, 2, 4 … seconds, at most ``cap``.

    Kept in the runner's memory, so a process started anew (after a fix) tries at once.
    """

    base: float = 1.0
    cap: float = 60.0

    def delay(self, attempts: int) -> float:
        return float(min(self.cap, self.base * 2 ** min(max(attempts - 1, 0), 32)))
