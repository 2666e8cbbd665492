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
from application.services import VIETNAM

_CERTIFICATE_EVENTS = {"CertificateSuspended": k.CERTIFICATE_SUSPENDED,
                       "CertificateRevoked": k.CERTIFICATE_REVOKED}
Clock = Callable[[], datetime]


def people_of(case: Any) -> tuple[str, ...]:
    """The named persons of a case: who opened it and who submitted it."""
    return tuple(sorted({p for p in (case.opened_by, case.submitted_by) if p}))


def critical_notice(case_id: str, reference: str, code: str, province: str, active_from: str,
                    message: str, people: tuple[str, ...]) -> Notice:
    """The alert of one critical flag span (the same key from the projection and the daily
    evaluation: whichever finds it first enqueues it)."""
    return Notice(k.CRITICAL_FLAG, case_id, f"{code}/{active_from}", (province,),
                  date.fromisoformat(active_from), reference, case_id=case_id, people=people,
                  facts={"code": code, "on": active_from, "message": message})


def flag_notices(flag_rows: Sequence[tuple[Any, ...]], cases: dict[str, Any], after: int,
                 today: date) -> list[Notice]:
    """Critical flags open by ``today`` whose latest evidence is after ``after`` (rows in
    ``FLAG_COLUMNS`` order). A span that starts later (a certificate expiring next year) is
    the daily evaluation's, on its day: it may be gone by then."""
    found = []
    for (case_id, reference, code, severity, message, _ref, _verified, province, _donor,
         active_from, _until, _evidence, _first, updated) in flag_rows:
        if severity != "critical" or updated <= after or active_from > today.isoformat():
            continue
        found.append(critical_notice(case_id, reference, code, province, active_from,
                                     message, people_of(cases[case_id])))
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
    now = clock()
    enqueue(tx, [*certificate_notices(events, donors, after),
                 *flag_notices(flag_rows, cases, after, now.astimezone(VIETNAM).date())], now)
