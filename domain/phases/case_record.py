"""``CaseRecord``: the state of an AidCase, declared once, and the read-only queries on it.

``AidCase`` inherits it along with ``Aggregate``; the phases (and ``case_state``) type the case
with it without importing ``domain.case``, which imports them. Not an aggregate: the state a
snapshot records is the instance's ``__dict__``, which the ``Opened`` event fills in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.money import quantize_for
from domain.phases import process
from domain.phases import records as r

TOTALS = ("committed", "received", "disbursed", "spent", "refunded")


class CaseRecord:
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
    place: dict[str, str | None] | None = None  # domain.place.Place.record(); None on old cases
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
    # Recorded by commands added later: an empty class default, so that the states and
    # snapshots of cases recorded before them stay as they were.
    budget_entries: Sequence[r.BudgetEntry] = ()
    transition_reviews: Sequence[r.TransitionReview] = ()

    if TYPE_CHECKING:  # given by ``Aggregate``
        @property
        def id(self) -> UUID: ...

        @property
        def version(self) -> int: ...

    def _start_records(self) -> None:
        """What an opened case holds beyond its ``Opened`` fields: all empty."""
        self.actual_start = None
        self.actual_end = None
        self.documents = []
        self.submitted_by = None
        self.submitted_on = None
        self.submissions = []
        self.returns = []
        self.appraisal = None
        self.appraised_by = None
        self.consultations = {}
        self.approval = None
        self.rejection = None
        self.approved_amount = None
        self.approved_vnd = None
        self.original_approved_amount = None
        self.totals = {name: quantize_for(self.currency, Decimal(0)) for name in TOTALS}
        self.totals_vnd = {name: Decimal(0) for name in TOTALS}
        self.transactions = []
        self.amendments = []
        self.suspension = None
        self.suspensions = []
        self.revocation = None
        self.termination = None
        self.delay_justified = None
        self.reports = {}
        self.donor_notifications = []
        self.handover = None
        self.audits = []
        self.closure = None
        self.deviations = []

    @property
    def balance(self) -> Decimal:
        t = self.totals
        return t["received"] - t["disbursed"] - t["spent"] - t["refunded"]

    @property
    def iati_status(self) -> int:
        return process.IATI_STATUS[self.status]

    def pending_amendment(self) -> r.Amendment | None:
        return next((a for a in self.amendments if a["status"] == "pending"), None)

    def allowed_commands(self) -> list[str]:
        """The commands the procedure accepts now (rule guards may still refuse some)."""
        return process.allowed_commands(self.status, self.pending_amendment() is not None)
