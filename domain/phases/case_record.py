"""``CaseRecord``: what the phase functions may read and write of an AidCase.

A protocol, so that the phases (and ``case_state``) type the case without importing
``domain.case``, which imports them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from domain.phases import records as r


class CaseRecord(Protocol):
    # opening and the draft
    reference: str
    donor_id: UUID
    legal_basis: str
    title: str
    description: str
    aid_form: str
    province: str
    managing_agency: str
    aid_owner: str
    sectors: list[dict[str, Any]]
    planned_start: date
    planned_end: date
    currency: str
    requested_amount: Decimal
    requested_vnd_rate: Decimal
    requested_vnd: Decimal
    state_budget_revenue: bool
    sensitive_flags: list[str]
    moha_licensed: bool
    status: str
    opened_by: str
    opened_on: date
    actual_start: date | None
    actual_end: date | None
    # dossier, appraisal, decision
    documents: list[r.AttachedDocument]
    submitted_by: str | None
    submitted_on: date | None
    submissions: list[r.Submission]
    returns: list[r.Return]
    appraisal: r.Appraisal | None
    appraised_by: str | None
    consultations: dict[str, r.Consultation]
    approval: r.Approval | None
    rejection: r.Rejection | None
    approved_amount: Decimal | None
    approved_vnd: Decimal | None
    original_approved_amount: Decimal | None
    donor_notifications: list[r.DonorNotification]
    # money and amendments
    totals: dict[str, Decimal]
    totals_vnd: dict[str, Decimal]
    transactions: list[r.Transaction]
    amendments: list[r.Amendment]
    # sanctions, reporting, closure
    suspension: r.Suspension | None
    suspensions: list[r.Suspension]
    revocation: r.AuthorityDecision | None
    termination: r.AuthorityDecision | None
    delay_justified: r.JustifiedDelay | None
    reports: dict[str, r.Report]
    handover: r.Handover | None
    audits: list[r.Audit]
    closure: r.Closure | None
    deviations: list[r.DeviationRecord]

    @property
    def id(self) -> UUID: ...

    @property
    def version(self) -> int: ...

    @property
    def balance(self) -> Decimal: ...

    @property
    def iati_status(self) -> int: ...

    def allowed_commands(self) -> list[str]: ...

    def pending_amendment(self) -> r.Amendment | None: ...
