"""Which handler runs each command: one function per command type (cosmicpython's table)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.commands import (
    amendments,
    appraisal,
    certificates,
    closure,
    decision,
    dossier,
    funds,
    reporting,
    sanctions,
)
from application.commands.base import CaseCommand, DonorCommand
from application.handlers import amendments as amendments_h
from application.handlers import appraisal as appraisal_h
from application.handlers import certificates as certificates_h
from application.handlers import closure as closure_h
from application.handlers import decision as decision_h
from application.handlers import dossier as dossier_h
from application.handlers import funds as funds_h
from application.handlers import reporting as reporting_h
from application.handlers import sanctions as sanctions_h
from application.handlers.needs import Needs
from domain.case import AidCase
from domain.donor import Donor

CaseHandler = Callable[[AidCase, Any, Needs], None]
DonorHandler = Callable[[Donor, Any, Needs], None]

CASE_HANDLERS: dict[type[CaseCommand], CaseHandler] = {
    dossier.UpdateDraft: dossier_h.update_draft,
    dossier.AttachDocument: dossier_h.attach_document,
    dossier.Submit: dossier_h.submit,
    dossier.ReturnDossier: dossier_h.return_dossier,
    dossier.AcceptDossier: dossier_h.accept_dossier,
    appraisal.RequestConsultation: appraisal_h.request_consultation,
    appraisal.RecordOpinion: appraisal_h.record_opinion,
    appraisal.CompleteAppraisal: appraisal_h.complete_appraisal,
    decision.Approve: decision_h.approve,
    decision.Reject: decision_h.reject,
    decision.NotifyDonor: decision_h.notify_donor,
    decision.RecordTransitionReview: decision_h.record_transition_review,
    funds.RecordCommitment: funds_h.record_commitment,
    funds.RecordReceipt: funds_h.record_receipt,
    funds.RecordDisbursement: funds_h.record_disbursement,
    funds.RecordExpenditure: funds_h.record_expenditure,
    funds.RecordRefund: funds_h.record_refund,
    funds.RecordBudgetEntry: funds_h.record_budget_entry,
    amendments.RequestAmendment: amendments_h.request_amendment,
    amendments.DecideAmendment: amendments_h.decide_amendment,
    sanctions.Suspend: sanctions_h.suspend,
    sanctions.Resume: sanctions_h.resume,
    sanctions.Revoke: sanctions_h.revoke,
    sanctions.Terminate: sanctions_h.terminate,
    sanctions.RecordJustifiedDelay: sanctions_h.record_justified_delay,
    reporting.SubmitReport: reporting_h.submit_report,
    reporting.ReviewReport: reporting_h.review_report,
    closure.CompleteActivities: closure_h.complete_activities,
    closure.RecordHandover: closure_h.record_handover,
    closure.RecordAudit: closure_h.record_audit,
    closure.Close: closure_h.close,
}

DONOR_HANDLERS: dict[type[DonorCommand], DonorHandler] = {
    certificates.IssueCertificate: certificates_h.issue_certificate,
    certificates.ExtendCertificate: certificates_h.extend_certificate,
    certificates.AmendCertificate: certificates_h.amend_certificate,
    certificates.SuspendCertificate: certificates_h.suspend_certificate,
    certificates.RevokeCertificate: certificates_h.revoke_certificate,
    certificates.TerminateCertificate: certificates_h.terminate_certificate,
}
