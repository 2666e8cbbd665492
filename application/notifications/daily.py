"""The daily evaluation: from the read models as of a day, the reminders and overdue notices
due then. Run it any number of times: the notice keys keep each one to a single row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from application.notifications import notices as k
from application.notifications.events import critical_notice
from application.notifications.notices import Notice
from application.projections.base import ViewTransaction
from application.projections.compliance import FLAGS
from application.projections.donor_status import DONOR_STATUS
from application.projections.paging import MAX_LIMIT
from application.projections.queries_compliance import query_obligations

People = Callable[[str], tuple[str, ...]]
# The deadline spans of C06 (domain.compliance.appraisal) start the day after the deadline.
_APPRAISAL, _REPLY = re.compile(r"^appraisal due "), re.compile(r"^reply of (.+) due \S+ ")


def _obligations(tx: ViewTransaction, as_of: date,
                 filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        rows, cursor = query_obligations(tx, provinces=None, filters=filters, as_of=as_of,
                                         cursor=cursor, limit=MAX_LIMIT, sort="due_on")
        yield from rows
        if cursor is None:
            return


def report_notices(tx: ViewTransaction, as_of: date, due_days: int,
                   people: People) -> list[Notice]:
    """Reports due within ``due_days`` and not submitted, and reports overdue."""
    due = {"status": ["upcoming", "due", "returned"], "due_from": as_of,
           "due_to": as_of + timedelta(days=due_days)}
    found = []
    for kind, filters in ((k.REPORT_DUE, due), (k.REPORT_OVERDUE, {"status": "overdue"})):
        for row in _obligations(tx, as_of, filters):
            found.append(Notice(
                kind, row["case_id"], f"{row['kind']}/{row['period_start']}/{row['due_on']}",
                (row["province"],), as_of, row["reference"], case_id=row["case_id"],
                people=people(row["case_id"]),
                facts={"kind": row["kind"], "period_start": row["period_start"],
                       "period_end": row["period_end"], "due_on": row["due_on"]}))
    return found


def certificate_notices(tx: ViewTransaction, as_of: date, warning_days: int) -> list[Notice]:
    """Active certificates that expire within the warning window."""
    rows = tx.fetchall(
        f"SELECT donor_id, certificate_no, name, valid_to, provinces FROM "
        f"{tx.table(DONOR_STATUS)} WHERE status = 'active' AND valid_to >= %s AND "
        "valid_to <= %s ORDER BY donor_id, certificate_no",
        (as_of.isoformat(), (as_of + timedelta(days=warning_days)).isoformat()))
    return [Notice(k.CERTIFICATE_EXPIRING, f"{donor_id}/{number}", str(valid_to),
                   tuple(p for p in str(provinces).split(",") if p), as_of, str(number),
                   donor_id=str(donor_id), facts={"donor": str(name),
                                                  "expires_on": str(valid_to)})
            for donor_id, number, name, valid_to, provinces in rows]


def deadline_notices(tx: ViewTransaction, as_of: date, due_days: int, late_days: int,
                     people: People) -> list[Notice]:
    """Appraisal and consultee-reply deadlines within ``due_days`` or past (C06), and
    refusals or revocations the donor was not told of after ``late_days`` (C17)."""
    horizon = as_of + timedelta(days=due_days + 1)
    rows = tx.fetchall(
        f"SELECT case_id, reference, code, message, province, active_from FROM "
        f"{tx.table(FLAGS)} WHERE code IN ('C06', 'C17') AND active_from <= %s AND "
        "(active_until IS NULL OR active_until > %s) ORDER BY case_id, active_from, code",
        (horizon.isoformat(), as_of.isoformat()))
    found = []
    for case_id, reference, code, message, province, active_from in rows:
        start = date.fromisoformat(str(active_from))
        facts = {"due_on": (start - timedelta(days=1)).isoformat(), "message": str(message)}
        late = start <= as_of
        if code == "C17":
            if start > as_of - timedelta(days=late_days):
                continue
            kind = k.DONOR_NOT_NOTIFIED
        elif _APPRAISAL.match(str(message)):
            kind = k.APPRAISAL_OVERDUE if late else k.APPRAISAL_DUE
        elif reply := _REPLY.match(str(message)):
            kind = k.REPLY_OVERDUE if late else k.REPLY_DUE
            facts["agency"] = reply.group(1)
        else:  # VUFO not consulted: a flag, not a deadline
            continue
        found.append(Notice(kind, str(case_id), f"{code}/{active_from}", (str(province),),
                            as_of, str(reference), case_id=str(case_id),
                            people=people(str(case_id)), facts=facts))
    return found


def critical_notices(tx: ViewTransaction, as_of: date, window: int,
                     people: People) -> list[Notice]:
    """Critical flags open on ``as_of`` that started in the last ``window`` days: those that
    time opened (the projection enqueues those that events opened, with the same keys)."""
    rows = tx.fetchall(
        f"SELECT case_id, reference, code, province, active_from, message FROM "
        f"{tx.table(FLAGS)} WHERE severity = 'critical' AND active_from <= %s AND "
        "active_from > %s AND (active_until IS NULL OR active_until > %s) "
        "ORDER BY case_id, code, active_from",
        (as_of.isoformat(), (as_of - timedelta(days=window)).isoformat(), as_of.isoformat()))
    return [critical_notice(str(case_id), str(reference), str(code), str(province),
                            str(active_from), str(message), people(str(case_id)))
            for case_id, reference, code, province, active_from, message in rows]


def daily_notices(tx: ViewTransaction, as_of: date, *, due_days: int, late_days: int,
                  warning_days: int, people: People) -> list[Notice]:
    return [*report_notices(tx, as_of, due_days, people),
            *certificate_notices(tx, as_of, warning_days),
            *deadline_notices(tx, as_of, due_days, late_days, people),
            *critical_notices(tx, as_of, max(due_days, 1), people)]
