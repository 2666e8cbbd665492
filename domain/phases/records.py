"""The records an AidCase keeps, as typed dicts: plain dicts at run time (snapshots and
``state()`` are unchanged), checked keys for mypy. Key names are part of the stored state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NotRequired, TypedDict

Document = dict[str, str]  # values.Document.to_dict(): kind, title, uri, sha256, language...


class AttachedDocument(TypedDict):
    kind: str
    title: str
    uri: str
    sha256: str
    language: str
    category: str
    attached_on: date
    by: str


class Submission(TypedDict):
    on: date
    by: str
    rule_profile: str


class Return(TypedDict):
    on: date
    by: str
    reasons: list[str]


class Appraisal(TypedDict):
    accepted_on: date
    accepted_by: str
    due_on: date
    mandatory_consultees: list[str]
    rule_profile: str
    completed_on: date | None
    completed_by: NotRequired[str]
    recommendation: str | None
    note: str
    overdue_consultees: list[str]
    # The focal and managing agency in force on acceptance (domain.agencies.FocalAgency.record);
    # absent on cases accepted before the province register was kept.
    focal_agency: NotRequired[dict[str, object]]


class Consultation(TypedDict):
    agency: str
    requested_on: date
    reply_due_on: date
    replied_on: date | None
    stance: str | None
    summary: str
    document: Document | None


class Approval(TypedDict):
    decision_no: str
    decision_date: date
    signer: str
    authority_level: str
    required_authority_level: str
    approved_amount: Decimal
    vnd_rate: Decimal
    approved_vnd: Decimal
    conditions: list[str]
    implementation_deadline: date
    rule_profile: str
    approved_by: str
    approved_on: date


class Rejection(TypedDict):
    decision_no: str
    reasons: list[str]
    on: date
    by: str


class DonorNotification(TypedDict):
    about: str
    on: date
    by: str
    document: Document | None


class Transaction(TypedDict):
    """One money event's fields (less its deviations), its total's name and who booked it."""
    kind: str  # committed, received, disbursed, spent or refunded
    amount: Decimal
    currency: str
    rate_to_case: Decimal
    case_amount: Decimal
    vnd_rate: Decimal
    vnd_amount: Decimal
    agreement_ref: NotRequired[str]  # commitments only
    audit_required: NotRequired[bool]  # commitments whose agreement requires an audit
    in_kind: NotRequired[bool]  # all but commitments
    aid_account: NotRequired[str]
    counterparty: NotRequired[str]
    note: str
    starts_implementation: NotRequired[bool]  # receipts only
    goods: NotRequired[dict[str, Any]]  # receipts in kind: kind, quantity, unit
    rule_profile: str
    actor_id: str
    actor_role: str
    effective_date: date
    by: str


class AmendmentChanges(TypedDict, total=False):
    approved_amount: Decimal
    vnd_rate: Decimal
    approved_vnd: Decimal
    planned_start: date
    planned_end: date
    title: str
    description: str


class AmendmentDecision(TypedDict):
    decision_no: str
    signer: str
    authority_level: str
    required_authority_level: str
    reasons: NotRequired[list[str]]  # refusals only
    rule_profile: str
    actor_id: str
    effective_date: date


class Amendment(TypedDict):
    id: str
    changes: AmendmentChanges
    reason: str
    status: str  # pending, approved or refused
    requested_on: date
    requested_by: str
    decision: AmendmentDecision | None


class Suspension(TypedDict):
    reason: str
    decision: str
    on: date
    by: str
    previous_status: str
    resumed_on: date | None
    resume_decision: str | None


class AuthorityDecision(TypedDict):
    """A revocation or a termination."""
    reason: str
    decision: str
    on: date
    by: str


class JustifiedDelay(TypedDict):
    reason: str
    document: Document
    on: date
    by: str


class ReportChange(TypedDict):
    change: str  # submitted, accepted or returned
    on: date


class Report(TypedDict):
    report_id: str
    kind: str
    period_start: date
    period_end: date
    document: Document
    status: str  # submitted, accepted or returned
    submitted_on: date
    submitted_by: str
    reviewed_on: date | None
    reasons: list[str]
    history: list[ReportChange]


class Handover(TypedDict):
    document: Document
    note: str
    on: date
    by: str


class Audit(TypedDict):
    auditor: str
    summary: str
    document: Document
    on: date
    by: str


class Closure(TypedDict):
    on: date
    by: str
    rule_profile: str


class BudgetEntry(TypedDict):
    """Aid that is state-budget revenue, entered in the state budget (Decree 80/2020 Art. 4)."""
    reference: str
    document: Document
    note: str
    on: date
    by: str


class TransitionReview(TypedDict):
    """A case approved under earlier rules, reviewed against the ones in force."""
    rule_profile: str
    note: str
    document: Document
    on: date
    by: str


class DeviationRecord(TypedDict):
    """values.Deviation.entry() and the event that recorded it."""
    rule: str
    flag: str
    reason: str
    document: str
    event: str
    effective_date: date


