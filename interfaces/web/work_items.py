"""The groups of My work, read from the views within the person's provinces: cases in given
states, reports in given states, open flags, expiring certificates — each item with its date
and a link to where it is done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from application.projections.base import ViewTransaction
from application.projections.queries import query_cases, query_donors
from application.projections.queries_compliance import query_compliance, query_obligations

SHOWN = 20  # items per group; the group links to the whole list
EXPIRY_WARNING_DAYS = 90


@dataclass
class Item:
    text: str
    link: str
    due: str | None = None
    late: bool = False
    note: str = ""
    kind: str = ""  # a words table (``flag``, ``report_kind``) whose word for ``code`` follows
    code: str = ""


@dataclass
class Group:
    title: str
    items: list[Item] = field(default_factory=list)
    more: str | None = None  # a link to every item


def cases(tx: ViewTransaction, scope: list[str] | None, today: date, title: str,
           statuses: tuple[str, ...], due_of: str | None = None) -> Group:
    page = query_cases(tx, provinces=scope, filters={"status": list(statuses)}, as_of=today,
                       cursor=None, limit=SHOWN, sort="last_event_at")
    items = [Item(f"{c['reference']} — {c['title']}", f"/cases/{c['id']}",
                  c.get(due_of) if due_of else None, bool(due_of and c.get("report_overdue")))
             for c in page.items]
    more = "/cases?" + "&".join(f"status={s}" for s in statuses)
    return Group(title, items, more if page.next_cursor else None)


def reports(tx: ViewTransaction, scope: list[str] | None, today: date, title: str,
             statuses: tuple[str, ...]) -> Group:
    rows, _ = query_obligations(tx, provinces=scope, filters={"status": list(statuses)},
                                as_of=today, cursor=None, limit=SHOWN, sort="due_on")
    return Group(title, [Item(f"{o['reference']} — {o['period_start']}…{o['period_end']}",
                              f"/cases/{o['case_id']}", o["due_on"], bool(o["overdue"]),
                              o["status"], "report_kind", o["kind"]) for o in rows])


def flags(tx: ViewTransaction, scope: list[str] | None, today: date, title: str) -> Group:
    rows, more = query_compliance(tx, provinces=scope, filters={"state": "open"}, as_of=today,
                                  cursor=None, limit=SHOWN, sort="-active_from")
    return Group(title, [
        Item(f"{f['reference']} — {f['code']}", f"/cases/{f['case_id']}", f["active_from"],
             f["severity"] == "critical", f["severity"], "flag", f["code"]) for f in rows],
        "/dashboards" if more else None)


def certificates(tx: ViewTransaction, today: date, title: str) -> Group:
    page = query_donors(tx, provinces=None, filters={"expiring_within": EXPIRY_WARNING_DAYS},
                        as_of=today, cursor=None, limit=SHOWN, sort="valid_to")
    return Group(title, [
        Item(f"{d['code']} — {d['name']} ({d['certificate_no']})", f"/donors/{d['donor_id']}",
             d["valid_to"], bool(d["expired"])) for d in page.items])
