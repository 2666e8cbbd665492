"""The words of the commands, as a page's buttons and forms say them: English message ids
that the catalogs translate."""

from __future__ import annotations

from interfaces.web.i18n import N_

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
