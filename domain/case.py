"""The AidCase aggregate (SPEC §2.1). Each public method calls its phase's function in
``domain/phases/`` (guards, then the event's fields); each section begins with its events, from
the phase's apply function, which only assigns. Stored topics: never rename or move an event."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import case_guards as g
from domain.agencies import FocalAgency
from domain.case_state import case_state
from domain.donor import Donor
from domain.money import Money
from domain.phases import (
    amendments,
    appraisal,
    closure,
    decision,
    dossier,
    funds,
    reporting,
    sanctions,
)
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import NAMESPACE, Actor, Deviation, Document, Goods, Place


class AidCase(Aggregate, CaseRecord):
    """An aid case: dossier, appraisal, approval, money, reports and closure."""

    @staticmethod
    def create_id(reference: str) -> UUID:
        return uuid5(NAMESPACE, "case:" + reference)

    # --- opening and the dossier ----------------------------------------------------------
    _draft_updated = event("DraftUpdated")(dossier.draft_updated)
    _document_attached = event("DocumentAttached")(dossier.document_attached)
    _submitted = event("DossierSubmitted")(dossier.dossier_submitted)
    _returned = event("DossierReturned")(dossier.dossier_returned)

    @classmethod
    def open(cls, *, reference: str, title: str, description: str, aid_form: str,
             donor: Donor, province: str, managing_agency: str, aid_owner: str,
             sectors: list[dict[str, Any]], planned_start: date, planned_end: date,
             requested: Money, requested_vnd_rate: Decimal | None, state_budget_revenue: bool,
             sensitive_flags: list[str], moha_licensed: bool, legal_basis: str, actor: Actor,
             effective_date: date, place: Place | None = None) -> AidCase:
        given = {k: v for k, v in locals().items() if k != "cls"}  # the parameters, by name
        return cls(**dossier.open_case(**given))

    @event("Opened")
    def __init__(self, *, reference: str, donor_id: UUID, legal_basis: str, title: str,
                 description: str, aid_form: str, province: str, managing_agency: str,
                 aid_owner: str, sectors: list[dict[str, Any]], planned_start: date,
                 planned_end: date, currency: str, requested_amount: Decimal,
                 requested_vnd_rate: Decimal, requested_vnd: Decimal,
                 state_budget_revenue: bool, sensitive_flags: list[str], moha_licensed: bool,
                 actor_id: str, actor_role: str, effective_date: date, place: Any = None) -> None:
        self.reference, self.donor_id, self.legal_basis = reference, donor_id, legal_basis
        self.title, self.description, self.aid_form = title, description, aid_form
        self.province, self.managing_agency, self.aid_owner = province, managing_agency, aid_owner
        self.sectors = deepcopy(sectors)
        self.planned_start, self.planned_end = planned_start, planned_end
        self.currency, self.requested_amount = currency, requested_amount
        self.requested_vnd_rate, self.requested_vnd = requested_vnd_rate, requested_vnd
        self.state_budget_revenue, self.moha_licensed = state_budget_revenue, moha_licensed
        self.sensitive_flags, self.place = list(sensitive_flags), deepcopy(place)
        self.status, self.opened_by, self.opened_on = g.DRAFT, actor_id, effective_date
        self._start_records()

    def update_draft(self, *, actor: Actor, effective_date: date, title: str | None = None,
                     description: str | None = None, aid_form: str | None = None,
                     province: str | None = None, managing_agency: str | None = None,
                     aid_owner: str | None = None, sectors: list[dict[str, Any]] | None = None,
                     planned_start: date | None = None, planned_end: date | None = None,
                     requested: Money | None = None, requested_vnd_rate: Decimal | None = None,
                     state_budget_revenue: bool | None = None,
                     sensitive_flags: list[str] | None = None,
                     moha_licensed: bool | None = None) -> None:
        given = {k: v for k, v in locals().items()
                 if k not in ("self", "actor", "effective_date") and v is not None}
        self._draft_updated(**dossier.update_draft(self, given, actor, effective_date))

    def attach_document(self, *, document: Document, actor: Actor, effective_date: date) -> None:
        self._document_attached(**dossier.attach_document(self, document, actor, effective_date))

    def submit(self, *, donor: Donor, profile: RuleProfile, actor: Actor, effective_date: date,
               deviation: Deviation | None = None) -> None:
        self._submitted(**dossier.submit(self, donor, profile, actor, effective_date, deviation))

    def return_dossier(self, *, reasons: list[str], actor: Actor, effective_date: date) -> None:
        self._returned(**dossier.return_dossier(self, reasons, actor, effective_date))

    # --- appraisal ------------------------------------------------------------------------
    _appraisal_started = event("AppraisalStarted")(appraisal.appraisal_started)
    _consultation_requested = event("ConsultationRequested")(appraisal.consultation_requested)
    _opinion_recorded = event("OpinionRecorded")(appraisal.opinion_recorded)
    _appraisal_completed = event("AppraisalCompleted")(appraisal.appraisal_completed)

    def accept_dossier(self, *, donor: Donor, profile: RuleProfile, actor: Actor,
                       effective_date: date, focal: FocalAgency | None = None) -> None:
        self._appraisal_started(**appraisal.accept_dossier(self, donor, profile, actor,
                                                           effective_date, focal))

    def request_consultation(self, *, agency: str, profile: RuleProfile, actor: Actor,
                             effective_date: date) -> None:
        self._consultation_requested(**appraisal.request_consultation(
            self, agency, profile, actor, effective_date))

    def record_opinion(self, *, agency: str, stance: str, document: Document | None = None,
                       summary: str = "", actor: Actor, effective_date: date) -> None:
        self._opinion_recorded(**appraisal.record_opinion(self, agency, stance, document,
                                                          summary, actor, effective_date))

    def complete_appraisal(self, *, recommendation: str, note: str = "", actor: Actor,
                           effective_date: date) -> None:
        self._appraisal_completed(**appraisal.complete_appraisal(self, recommendation, note,
                                                                 actor, effective_date))

    # --- decision -------------------------------------------------------------------------
    _approved = event("Approved")(decision.approved)
    _rejected = event("Rejected")(decision.rejected)
    _donor_notified = event("DonorNotified")(decision.donor_notified)
    _transition_reviewed = event("TransitionReviewed")(decision.transition_reviewed)

    def approve(self, *, decision_no: str, decision_date: date, signer: str,
                authority_level: str, approved_amount: Money, vnd_rate: Decimal | None = None,
                conditions: list[str] | None = None, donor: Donor, profile: RuleProfile,
                actor: Actor, effective_date: date, deviation: Deviation | None = None) -> None:
        given = {k: v for k, v in locals().items() if k != "self"}  # the parameters, by name
        self._approved(**decision.approve(self, **given))

    def reject(self, *, decision_no: str, reasons: list[str], actor: Actor,
               effective_date: date) -> None:
        self._rejected(**decision.reject(self, decision_no, reasons, actor, effective_date))

    def notify_donor(self, *, about: str, document: Document | None = None, actor: Actor,
                     effective_date: date) -> None:
        self._donor_notified(**decision.notify_donor(self, about, document, actor, effective_date))

    def record_transition_review(self, *, note: str, document: Document, profile: RuleProfile,
                                 actor: Actor, effective_date: date) -> None:
        self._transition_reviewed(**decision.record_transition_review(
            self, note, document, profile, actor, effective_date))

    # --- money ----------------------------------------------------------------------------
    _commitment_recorded = event("CommitmentRecorded")(funds.commitment_recorded)
    _funds_received = event("FundsReceived")(funds.funds_received)
    _disbursement_recorded = event("DisbursementRecorded")(funds.disbursement_recorded)
    _expenditure_recorded = event("ExpenditureRecorded")(funds.expenditure_recorded)
    _refund_recorded = event("RefundRecorded")(funds.refund_recorded)
    _budget_entry_recorded = event("BudgetEntryRecorded")(funds.budget_entry_recorded)

    def record_commitment(self, *, amount: Money, agreement_ref: str,
                          rate_to_case: Decimal | None = None, vnd_rate: Decimal | None = None,
                          note: str = "", profile: RuleProfile, actor: Actor, effective_date: date,
                          deviation: Deviation | None = None, audit_required: bool = False) -> None:
        given = {k: v for k, v in locals().items() if k != "self"}  # the parameters, by name
        self._commitment_recorded(**funds.record_commitment(self, **given))

    def record_receipt(self, *, amount: Money, rate_to_case: Decimal | None = None,
                       vnd_rate: Decimal | None = None, aid_account: str | None = None,
                       in_kind: bool = False, counterparty: str = "", note: str = "",
                       donor: Donor, profile: RuleProfile, actor: Actor, effective_date: date,
                       deviation: Deviation | None = None, goods: Goods | None = None) -> None:
        self._funds_received(**funds.record_receipt(
            self, amount, rate_to_case, vnd_rate, aid_account, in_kind, donor, profile, actor,
            effective_date, deviation, goods), counterparty=counterparty, note=note)

    def record_disbursement(self, *, amount: Money, rate_to_case: Decimal | None = None,
                            vnd_rate: Decimal | None = None, aid_account: str | None = None,
                            in_kind: bool = False, counterparty: str = "", note: str = "",
                            profile: RuleProfile, actor: Actor, effective_date: date,
                            deviation: Deviation | None = None) -> None:
        self._disbursement_recorded(**funds.use_of_funds(
            self, "disbursed", amount, rate_to_case, vnd_rate, aid_account, in_kind, profile, actor,
            effective_date, deviation), counterparty=counterparty, note=note)

    def record_expenditure(self, *, amount: Money, rate_to_case: Decimal | None = None,
                           vnd_rate: Decimal | None = None, aid_account: str | None = None,
                           in_kind: bool = False, counterparty: str = "", note: str = "",
                           profile: RuleProfile, actor: Actor, effective_date: date,
                           deviation: Deviation | None = None) -> None:
        self._expenditure_recorded(**funds.use_of_funds(
            self, "spent", amount, rate_to_case, vnd_rate, aid_account, in_kind, profile, actor,
            effective_date, deviation), counterparty=counterparty, note=note)

    def record_refund(self, *, amount: Money, rate_to_case: Decimal | None = None,
                      vnd_rate: Decimal | None = None, aid_account: str | None = None,
                      in_kind: bool = False, counterparty: str = "", note: str = "",
                      profile: RuleProfile, actor: Actor, effective_date: date,
                      deviation: Deviation | None = None) -> None:
        self._refund_recorded(**funds.record_refund(
            self, amount, rate_to_case, vnd_rate, aid_account, in_kind, profile, actor,
            effective_date, deviation), counterparty=counterparty, note=note)

    def record_budget_entry(self, *, reference: str, document: Document, note: str = "",
                            actor: Actor, effective_date: date) -> None:
        self._budget_entry_recorded(**funds.record_budget_entry(
            self, reference, document, note, actor, effective_date))

    # --- amendments -----------------------------------------------------------------------
    _amendment_requested = event("AmendmentRequested")(amendments.amendment_requested)
    _amendment_approved = event("AmendmentApproved")(amendments.amendment_approved)
    _amendment_refused = event("AmendmentRefused")(amendments.amendment_refused)

    def request_amendment(self, *, changes: dict[str, Any], reason: str,
                          amendment_id: str | None = None, actor: Actor,
                          effective_date: date) -> None:
        self._amendment_requested(**amendments.request_amendment(
            self, changes, reason, amendment_id, actor, effective_date))

    def decide_amendment(self, *, amendment_id: str, approved: bool, decision_no: str,
                         signer: str, authority_level: str, reasons: list[str] | None = None,
                         profile: RuleProfile, actor: Actor, effective_date: date,
                         deviation: Deviation | None = None) -> None:
        given = {k: v for k, v in locals().items() if k != "self"}  # the parameters, by name
        fields = amendments.decide_amendment(self, **given)
        (self._amendment_approved if approved else self._amendment_refused)(**fields)

    # --- authority decisions during implementation ----------------------------------------
    _suspended = event("Suspended")(sanctions.suspended)
    _resumed = event("Resumed")(sanctions.resumed)
    _revoked = event("Revoked")(sanctions.revoked)
    _terminated = event("Terminated")(sanctions.terminated)
    _delay_justified = event("DelayJustified")(sanctions.delay_justified)

    def suspend(self, *, reason: str, decision: str, actor: Actor, effective_date: date) -> None:
        self._suspended(**sanctions.suspend(self, reason, decision, actor, effective_date))

    def resume(self, *, decision: str, actor: Actor, effective_date: date) -> None:
        self._resumed(**sanctions.resume(self, decision, actor, effective_date))

    def revoke(self, *, reason: str, decision: str, actor: Actor, effective_date: date) -> None:
        self._revoked(**sanctions.revoke(self, reason, decision, actor, effective_date))

    def terminate(self, *, reason: str, decision: str, actor: Actor,
                  effective_date: date) -> None:
        self._terminated(**sanctions.terminate(self, reason, decision, actor, effective_date))

    def record_justified_delay(self, *, reason: str, document: Document, actor: Actor,
                               effective_date: date) -> None:
        self._delay_justified(**sanctions.record_justified_delay(self, reason, document, actor,
                                                                 effective_date))

    # --- reports --------------------------------------------------------------------------
    _report_submitted = event("ReportSubmitted")(reporting.report_submitted)
    _report_accepted = event("ReportAccepted")(reporting.report_accepted)
    _report_returned = event("ReportReturned")(reporting.report_returned)

    def submit_report(self, *, kind: str, period_start: date, period_end: date,
                      document: Document, report_id: str | None = None, actor: Actor,
                      effective_date: date) -> None:
        self._report_submitted(**reporting.submit_report(
            self, kind, period_start, period_end, document, report_id, actor, effective_date))

    def review_report(self, *, report_id: str, accepted: bool, reasons: list[str] | None = None,
                      actor: Actor, effective_date: date) -> None:
        fields = reporting.review_report(self, report_id, accepted, reasons, actor, effective_date)
        (self._report_accepted if accepted else self._report_returned)(**fields)

    def obligations(self, profile: RuleProfile, as_of: date) -> list[dict[str, Any]]:
        """The reports owed as of a date, each with its report (if any) and overdue flag."""
        return reporting.obligations(self, profile, as_of)

    # --- closure --------------------------------------------------------------------------
    _activities_completed = event("ActivitiesCompleted")(closure.activities_completed)
    _handed_over = event("AssetsHandedOver")(closure.assets_handed_over)
    _audit_recorded = event("AuditRecorded")(closure.audit_recorded)
    _closed = event("Closed")(closure.closed)

    def complete_activities(self, *, actual_end: date, today: date, actor: Actor,
                            effective_date: date) -> None:
        self._activities_completed(**closure.complete_activities(self, actual_end, today, actor,
                                                                 effective_date))

    def record_handover(self, *, document: Document, note: str = "", actor: Actor,
                        effective_date: date) -> None:
        self._handed_over(**closure.record_handover(self, document, note, actor, effective_date))

    def record_audit(self, *, auditor: str, summary: str, document: Document, actor: Actor,
                     effective_date: date) -> None:
        self._audit_recorded(**closure.record_audit(self, auditor, summary, document, actor,
                                                    effective_date))

    def close(self, *, profile: RuleProfile, actor: Actor, effective_date: date) -> None:
        self._closed(**closure.close(self, profile, actor, effective_date))

    # --- queries (more on ``CaseRecord``) --------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Everything about the case as plain JSON values (dates ISO, Decimals strings)."""
        return case_state(self)

