"""Alerts the compliance projection raises as it goes: a new critical flag, a certificate
suspended or revoked. Written into the outbox in the transaction of the view rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from application.notifications import notices as k
from application.notifications.notices import Notice
from application.notifications.outbox import enqueue, events_from
from application.projections.base import StoredNotification, ViewTransaction

_CERTIFICATE_EVENTS = {"CertificateSuspended": k.CERTIFICATE_SUSPENDED,
                       "CertificateRevoked": k.CERTIFICATE_REVOKED}
Clock = Callable[[], datetime]


def people_of(case: Any) -> tuple[str, ...]:
    """The named persons of a case: who opened it and who submitted it."""
    return tuple(sorted({p for p in (case.opened_by, case.submitted_by) if p}))


def flag_notices(flag_rows: Sequence[tuple[Any, ...]], cases: dict[str, Any],
                 after: int) -> list[Notice]:
    """Critical flags whose latest evidence is after ``after`` (rows in ``FLAG_COLUMNS``
    order). Each is sent from its first day on: a span may start in the future."""
    found = []
    for (case_id, reference, code, severity, message, _ref, _verified, province, _donor,
         active_from, _until, _evidence, _first, updated) in flag_rows:
        if severity != "critical" or updated <= after:
            continue
        found.append(Notice(k.CRITICAL_FLAG, case_id, f"{code}/{active_from}", (province,),
                            date.fromisoformat(active_from), reference, case_id=case_id,
                            people=people_of(cases[case_id]),
                            facts={"code": code, "on": active_from, "message": message}))
    return found


def certificate_notices(events: Sequence[StoredNotification], donors: dict[str, Any],
                        after: int) -> list[Notice]:
    """A certificate suspended or revoked, to every province it covers."""
    found = []
    for n in events:
        kind = _CERTIFICATE_EVENTS.get(n.topic.rsplit(".", 1)[-1])
        if kind is None or n.position <= after or n.key not in donors:
            continue
        e, donor = n.event, donors[n.key]
        provinces = tuple(donor.certificates[e.number]["provinces"])
        found.append(Notice(kind, f"{n.key}/{e.number}", str(n.originator_version),
                            provinces, e.effective_date, e.number, donor_id=n.key,
                            facts={"donor": donor.name, "on": e.effective_date.isoformat()}))
    return found


def raise_alerts(tx: ViewTransaction, clock: Clock | None, live: bool,
                 events: Sequence[StoredNotification], donors: dict[str, Any],
                 flag_rows: Sequence[tuple[Any, ...]], cases: dict[str, Any]) -> None:
    """Enqueue the batch's alerts, unless this is a shadow rebuild (``live`` false), no
    clock was given, or the outbox is not made yet."""
    if clock is None or not live:
        return
    after = events_from(tx)
    if after is None:
        return
    enqueue(tx, [*certificate_notices(events, donors, after),
                 *flag_notices(flag_rows, cases, after)], clock())
