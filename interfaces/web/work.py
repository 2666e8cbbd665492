"""My work: what waits for a person, by each of their roles, read from the views within
their provinces — each item with its date and a link to where it is done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from application.projections.base import ViewTransaction
from application.projections.queries import query_cases, query_donors
from application.projections.queries_compliance import query_compliance, query_obligations
from domain.values import AID_OWNER, APPROVER, AUDITOR, FOCAL_OFFICER, REGISTRY_OFFICER
from infrastructure.tokens import Principal
from interfaces.web.words import N_

SHOWN = 20  # items per group; the group links to the whole list
EXPIRY_WARNING_DAYS = 90


@dataclass
class Item:
    text: str
    link: str
    due: str | None = None
    late: bool = False
    note: str = ""


@dataclass
class Group:
    title: str
    items: list[Item] = field(default_factory=list)
    more: str | None = None  # a link to every item


def _cases(tx: ViewTransaction, scope: list[str] | None, today: date, title: str,
           statuses: tuple[str, ...], due_of: str | None = None) -> Group:
    page = query_cases(tx, provinces=scope, filters={"status": list(statuses)}, as_of=today,
                       cursor=None, limit=SHOWN, sort="last_event_at")
    items = [Item(f"{c['reference']} — {c['title']}", f"/cases/{c['id']}",
                  c.get(due_of) if due_of else None, bool(due_of and c.get("report_overdue")))
             for c in page.items]
    more = "/cases?" + "&".join(f"status={s}" for s in statuses)
    return Group(title, items, more if page.next_cursor else None)


def _reports(tx: ViewTransaction, scope: list[str] | None, today: date, title: str,
             statuses: tuple[str, ...]) -> Group:
    rows, _ = query_obligations(tx, provinces=scope, filters={"status": list(statuses)},
                                as_of=today, cursor=None, limit=SHOWN, sort="due_on")
    return Group(title, [Item(f"{o['reference']} — {o['kind']} {o['period_start']}…"
                              f"{o['period_end']}", f"/cases/{o['case_id']}", o["due_on"],
                              bool(o["overdue"]), o["status"]) for o in rows])


def _flags(tx: ViewTransaction, scope: list[str] | None, today: date) -> Group:
    rows, more = query_compliance(tx, provinces=scope, filters={"state": "open"}, as_of=today,
                                  cursor=None, limit=SHOWN, sort="-active_from")
    return Group(N_("Flags to look at"), [
        Item(f"{f['reference']} — {f['code']}: {f['message']}", f"/cases/{f['case_id']}",
             f["active_from"], f["severity"] == "critical", f["severity"]) for f in rows],
        "/dashboards" if more else None)


def _certificates(tx: ViewTransaction, today: date) -> Group:
    page = query_donors(tx, provinces=None, filters={"expiring_within": EXPIRY_WARNING_DAYS},
                        as_of=today, cursor=None, limit=SHOWN, sort="valid_to")
    return Group(N_("Certificates expiring within 90 days"), [
        Item(f"{d['code']} — {d['name']} ({d['certificate_no']})", f"/donors/{d['donor_id']}",
             d["valid_to"], bool(d["expired"])) for d in page.items])


def my_work(tx: ViewTransaction, principal: Principal, today: date) -> list[Group]:
    """The groups for the person's roles, in the order of the procedure."""
    scope = None if principal.provinces is None else sorted(principal.provinces)
    roles = principal.roles
    groups: list[Group] = []
    if AID_OWNER in roles:
        groups += [
            _cases(tx, scope, today, N_("Dossiers to complete and submit"),
                   ("draft", "returned")),
            _reports(tx, scope, today, N_("Reports to submit"), ("due", "overdue", "returned")),
            _cases(tx, scope, today, N_("Money to record"), ("approved", "in_implementation"),
                   "next_report_due")]
    if FOCAL_OFFICER in roles:
        groups += [
            _cases(tx, scope, today, N_("Dossiers to check"), ("submitted",)),
            _cases(tx, scope, today, N_("Appraisals and consultee replies"),
                   ("under_appraisal",)),
            _reports(tx, scope, today, N_("Reports to review"), ("submitted",)),
            _cases(tx, scope, today, N_("Cases to close"), ("completed", "terminated"))]
    if APPROVER in roles:
        groups.append(_cases(tx, scope, today, N_("Approvals pending"), ("appraised",)))
    if AUDITOR in roles:
        groups.append(_cases(tx, scope, today, N_("Cases to audit"),
                             ("completed", "terminated", "closed")))
    if REGISTRY_OFFICER in roles:
        groups.append(_certificates(tx, today))
    groups.append(_flags(tx, scope, today))
    return groups
