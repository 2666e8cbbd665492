"""The AidCase as one JSON-friendly dict: what projections, IATI export and HTTP read."""

from __future__ import annotations

from typing import Any

from domain.phases.case_record import CaseRecord
from domain.values import jsonable


def case_state(case: CaseRecord) -> dict[str, Any]:
    """Key names are part of the contract with readers: add keys, never rename them."""
    return jsonable({
        "id": case.id,
        "reference": case.reference,
        "version": case.version,
        "status": case.status,
        "iati_status": case.iati_status,
        "allowed_commands": case.allowed_commands(),
        "title": case.title,
        "description": case.description,
        "aid_form": case.aid_form,
        "donor_id": case.donor_id,
        "province": case.province,
        "managing_agency": case.managing_agency,
        "aid_owner": case.aid_owner,
        "sectors": case.sectors,
        "planned_start": case.planned_start,
        "planned_end": case.planned_end,
        "actual_start": case.actual_start,
        "actual_end": case.actual_end,
        "currency": case.currency,
        "requested": {"amount": case.requested_amount, "currency": case.currency,
                      "vnd_rate": case.requested_vnd_rate, "vnd_amount": case.requested_vnd},
        "approved_amount": case.approved_amount,
        "approved_vnd": case.approved_vnd,
        "original_approved_amount": case.original_approved_amount,
        "totals": dict(case.totals),
        "totals_vnd": dict(case.totals_vnd),
        "balance": case.balance,
        "state_budget_revenue": case.state_budget_revenue,
        "sensitive_flags": case.sensitive_flags,
        "moha_licensed": case.moha_licensed,
        "legal_basis": case.legal_basis,
        "opened_on": case.opened_on,
        "opened_by": case.opened_by,
        "documents": case.documents,
        "submitted_by": case.submitted_by, "submitted_on": case.submitted_on,
        "submissions": case.submissions, "returns": case.returns,
        "appraisal": case.appraisal,
        "appraised_by": case.appraised_by,
        "consultations": [case.consultations[a] for a in sorted(case.consultations)],
        "approval": case.approval,
        "rejection": case.rejection,
        "transactions": case.transactions,
        "amendments": case.amendments,
        "pending_amendment": _pending_id(case),
        "suspension": case.suspension,
        "suspensions": case.suspensions,
        "revocation": case.revocation,
        "termination": case.termination,
        "delay_justified": case.delay_justified,
        "reports": [case.reports[r] for r in sorted(case.reports)],
        "donor_notifications": case.donor_notifications,
        "handover": case.handover, "audits": case.audits,
        "closure": case.closure,
        "deviations": case.deviations,
        **({"place": case.place} if case.place else {}),  # only when given: old states stay
        **_later_records(case),
    })


def _later_records(case: CaseRecord) -> dict[str, Any]:
    """Records of commands added later, once a case has one: the states recorded before them
    (and digested by the golden store) keep their keys."""
    later = {"budget_entries": case.budget_entries,
             "transition_reviews": case.transition_reviews}
    return {key: list(records) for key, records in later.items() if records}


def _pending_id(case: CaseRecord) -> str | None:
    pending = case.pending_amendment()
    return pending["id"] if pending else None
