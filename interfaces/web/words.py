"""The workspace's words for the system's codes: states, commands, events, roles, flags, kinds,
statuses and error codes. Each is an English message id, translated by the catalogs
(``locale/``); ``label(kind, code)`` gives it, and the pages' ``label`` translates it."""

from __future__ import annotations

import re

from interfaces.http.problem_types import explanation
from interfaces.web import kinds
from interfaces.web.i18n import N_ as N_  # where the other modules of words take it from

# The case's states (domain/phases/process.py).
STATES = {
    "draft": N_("Draft"), "submitted": N_("Submitted"), "returned": N_("Returned"),
    "under_appraisal": N_("Under appraisal"), "appraised": N_("Appraised"),
    "approved": N_("Approved"), "rejected": N_("Rejected"),
    "in_implementation": N_("In implementation"), "suspended": N_("Suspended"),
    "revoked": N_("Revoked"), "terminated": N_("Terminated"), "completed": N_("Completed"),
    "closed": N_("Closed"),
}

# Every command, as its button says it (application/roles.py, snake names).
COMMANDS = {
    "open_case": N_("Open a case"),
    "update_draft": N_("Update the draft"),
    "attach_document": N_("Attach a document"),
    "submit": N_("Submit the dossier"),
    "return_dossier": N_("Return the dossier"),
    "accept_dossier": N_("Accept the dossier"),
    "request_consultation": N_("Request an opinion"),
    "record_opinion": N_("Record an opinion"),
    "complete_appraisal": N_("Complete the appraisal"),
    "approve": N_("Approve"),
    "reject": N_("Refuse"),
    "notify_donor": N_("Notify the donor"),
    "record_transition_review": N_("Record the transition review"),
    "record_commitment": N_("Record a commitment"),
    "record_receipt": N_("Record a receipt"),
    "record_disbursement": N_("Record a disbursement"),
    "record_expenditure": N_("Record an expenditure"),
    "record_refund": N_("Record a refund"),
    "record_budget_entry": N_("Record the budget entry"),
    "request_amendment": N_("Request an amendment"),
    "decide_amendment": N_("Decide on the amendment"),
    "suspend": N_("Suspend"),
    "resume": N_("Resume"),
    "revoke": N_("Revoke the approval"),
    "terminate": N_("Terminate"),
    "record_justified_delay": N_("Record a justified delay"),
    "submit_report": N_("Submit a report"),
    "review_report": N_("Review the report"),
    "complete_activities": N_("Complete the activities"),
    "record_handover": N_("Record the handover"),
    "record_audit": N_("Record an audit"),
    "close": N_("Close the case"),
    "register_donor": N_("Register a donor"),
    "issue_certificate": N_("Issue a certificate"),
    "extend_certificate": N_("Extend the certificate"),
    "amend_certificate": N_("Amend the certificate"),
    "suspend_certificate": N_("Suspend the certificate"),
    "revoke_certificate": N_("Revoke the certificate"),
    "terminate_certificate": N_("Terminate the certificate"),
}

# What happened, by the event's stored class name (the history's ``type``).
EVENTS = {
    "AidCase.Opened": N_("Case opened"),
    "AidCase.DraftUpdated": N_("Draft updated"),
    "AidCase.DocumentAttached": N_("Document attached"),
    "AidCase.DossierSubmitted": N_("Dossier submitted"),
    "AidCase.DossierReturned": N_("Dossier returned"),
    "AidCase.AppraisalStarted": N_("Dossier accepted, appraisal started"),
    "AidCase.ConsultationRequested": N_("Opinion requested"),
    "AidCase.OpinionRecorded": N_("Opinion recorded"),
    "AidCase.AppraisalCompleted": N_("Appraisal completed"),
    "AidCase.Approved": N_("Approved"),
    "AidCase.Rejected": N_("Refused"),
    "AidCase.DonorNotified": N_("Donor notified"),
    "AidCase.TransitionReviewed": N_("Transition reviewed"),
    "AidCase.CommitmentRecorded": N_("Commitment recorded"),
    "AidCase.FundsReceived": N_("Aid received"),
    "AidCase.DisbursementRecorded": N_("Disbursement recorded"),
    "AidCase.ExpenditureRecorded": N_("Expenditure recorded"),
    "AidCase.RefundRecorded": N_("Refund recorded"),
    "AidCase.BudgetEntryRecorded": N_("Budget entry recorded"),
    "AidCase.AmendmentRequested": N_("Amendment requested"),
    "AidCase.AmendmentApproved": N_("Amendment approved"),
    "AidCase.AmendmentRefused": N_("Amendment refused"),
    "AidCase.Suspended": N_("Suspended"),
    "AidCase.Resumed": N_("Resumed"),
    "AidCase.Revoked": N_("Approval revoked"),
    "AidCase.Terminated": N_("Terminated"),
    "AidCase.DelayJustified": N_("Delay justified"),
    "AidCase.ReportSubmitted": N_("Report submitted"),
    "AidCase.ReportAccepted": N_("Report accepted"),
    "AidCase.ReportReturned": N_("Report returned"),
    "AidCase.ActivitiesCompleted": N_("Activities completed"),
    "AidCase.AssetsHandedOver": N_("Assets handed over"),
    "AidCase.AuditRecorded": N_("Audit recorded"),
    "AidCase.Closed": N_("Case closed"),
    "Donor.Registered": N_("Donor registered"),
    "Donor.CertificateIssued": N_("Certificate issued"),
    "Donor.CertificateExtended": N_("Certificate extended"),
    "Donor.CertificateAmended": N_("Certificate amended"),
    "Donor.CertificateSuspended": N_("Certificate suspended"),
    "Donor.CertificateRevoked": N_("Certificate revoked"),
    "Donor.CertificateTerminated": N_("Certificate terminated"),
}

ROLES = {
    "aid_owner": N_("Aid owner"),
    "focal_officer": N_("Focal officer"),
    "approver": N_("Approver"),
    "registry_officer": N_("Registry officer"),
    "auditor": N_("Auditor"),
    "viewer": N_("Viewer"),
}

# The compliance checks (domain/compliance/registry.py): what each flag means.
FLAGS = {
    "C01": N_("Money received or used before approval"),
    "C02": N_("Approved by an authority other than the one required"),
    "C03": N_("Donor certificate not valid for the case"),
    "C04": N_("Donor certificate about to expire"),
    "C05": N_("Dossier incomplete or untranslated"),
    "C06": N_("Appraisal or consultation overdue"),
    "C07": N_("Not implemented six months after approval"),
    "C08": N_("Half-year or annual report overdue"),
    "C09": N_("Completion report or settlement overdue"),
    "C10": N_("Overspending"),
    "C11": N_("Money moved outside the approved period"),
    "C13": N_("Cash moved without the aid account"),
    "C14": N_("State-budget revenue not entered in the budget"),
    "C17": N_("Donor not notified of a refusal or revocation"),
    "C18": N_("Segregation of duties broken"),
    "C22": N_("Unaddressed humanitarian aid not managed by the Vietnam Fatherland Front"),
    "C23": N_("Closed without the required audit"),
    "C24": N_("Approved under the old rules with no transition review"),
}
SEVERITIES = {"critical": N_("Critical"), "warning": N_("Warning")}

# Errors as a page says them, where the API's explanation (problem_types.py) speaks of
# tokens and headers; any other code is explained by the API's sentence.
ERRORS = {
    "csrf_refused": N_("The form was sent without its security token. Reload the page and "
                       "try again."),
    "validation_error": N_("Some of what was entered is not valid."),
    "case_not_found": N_("There is no such case, or it is outside your provinces."),
    "not_found": N_("There is no such page."),
    "forbidden": N_("Your role does not allow this."),
    "stale_version": N_("The case has changed since this form was opened. Review the case "
                        "and try again."),
    "internal_error": N_("An unexpected error occurred. Nothing was recorded."),
    "database_unavailable": N_("The database is unavailable; try again shortly."),
}
GENERIC_ERROR = N_("The request could not be completed.")

# By kind: a code's kind, or the form field that offers it as a choice.
TABLES: dict[str, dict[str, str]] = {
    "state": STATES, "command": COMMANDS, "event": EVENTS, "role": ROLES, "flag": FLAGS,
    "severity": SEVERITIES, "aid_form": kinds.AID_FORMS, "aid_owner_kind": kinds.AID_OWNER_KINDS,
    "document_kind": kinds.DOCUMENT_KINDS, "report_kind": kinds.REPORT_KINDS,
    "obligation_status": kinds.OBLIGATION_STATUSES, "donor_kind": kinds.DONOR_KINDS,
    "certificate_kind": kinds.CERTIFICATE_KINDS,
    "certificate_status": kinds.CERTIFICATE_STATUSES, "money": kinds.MONEY,
    "column": kinds.COLUMNS, "work_note": {**kinds.OBLIGATION_STATUSES, **SEVERITIES},
    "stance": kinds.STANCES, "recommendation": kinds.RECOMMENDATIONS,
    "about": kinds.NOTICE_ABOUT, "sensitive_flags": kinds.SENSITIVE_FLAGS,
    "kind": kinds.FORM_KINDS,
}
_SNAKE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


def label(kind: str, code: str) -> str:
    """The message id of ``code`` among the ``kind``'s words. A code without one shows as
    itself, a snake-case one made readable (a test keeps every code of the system listed)."""
    known = TABLES.get(kind, {}).get(code)
    if known:
        return known
    return code.replace("_", " ").capitalize() if _SNAKE.fullmatch(code) else code


def error_message(code: str) -> str:
    """What a page says of a problem code: its own sentence, else the API's explanation."""
    return ERRORS.get(code) or explanation(code) or GENERIC_ERROR


def state_label(state: str) -> str:
    return label("state", state)
