"""My work: what waits for a person, by each of their roles, in the order of the procedure
(the groups themselves are read in ``work_items.py``)."""

from __future__ import annotations

from datetime import date

from application.projections.base import ViewTransaction
from domain.values import AID_OWNER, APPROVER, AUDITOR, FOCAL_OFFICER, REGISTRY_OFFICER
from infrastructure.tokens import Principal
from interfaces.web import work_items as items
from interfaces.web.words import N_


def my_work(tx: ViewTransaction, principal: Principal, today: date) -> list[items.Group]:
    """The groups for the person's roles, in the order of the procedure."""
    scope = None if principal.provinces is None else sorted(principal.provinces)
    roles = principal.roles
    groups: list[items.Group] = []
    if AID_OWNER in roles:
        groups += [
            items.cases(tx, scope, today, N_("Dossiers to complete and submit"),
                        ("draft", "returned")),
            items.reports(tx, scope, today, N_("Reports to submit"),
                          ("due", "overdue", "returned")),
            items.cases(tx, scope, today, N_("Money to record"),
                        ("approved", "in_implementation"), "next_report_due")]
    if FOCAL_OFFICER in roles:
        groups += [
            items.cases(tx, scope, today, N_("Dossiers to check"), ("submitted",)),
            items.cases(tx, scope, today, N_("Appraisals and consultee replies"),
                        ("under_appraisal",)),
            items.reports(tx, scope, today, N_("Reports to review"), ("submitted",)),
            items.cases(tx, scope, today, N_("Cases to close"), ("completed", "terminated"))]
    if APPROVER in roles:
        groups.append(items.cases(tx, scope, today, N_("Approvals pending"), ("appraised",)))
    if AUDITOR in roles:
        groups.append(items.cases(tx, scope, today, N_("Cases to audit"),
                                  ("completed", "terminated", "closed")))
    if REGISTRY_OFFICER in roles:
        groups.append(items.certificates(tx, today,
                                         N_("Certificates expiring within 90 days")))
    groups.append(items.flags(tx, scope, today, N_("Flags to look at")))
    return groups
