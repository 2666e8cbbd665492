"""The procedure: the case's states, their IATI status and the commands each accepts
(SPEC §2.1). Plain data, so that ``CaseRecord`` and the guards can both read it."""

from __future__ import annotations

DRAFT, SUBMITTED, RETURNED = "draft", "submitted", "returned"
UNDER_APPRAISAL, APPRAISED, APPROVED, REJECTED = (
    "under_appraisal", "appraised", "approved", "rejected")
IN_IMPLEMENTATION, SUSPENDED, REVOKED, TERMINATED = (
    "in_implementation", "suspended", "revoked", "terminated")
COMPLETED, CLOSED = "completed", "closed"
PRE_APPROVAL = (DRAFT, RETURNED, SUBMITTED, UNDER_APPRAISAL, APPRAISED)

IATI_STATUS = {
    DRAFT: 1, SUBMITTED: 1, RETURNED: 1, UNDER_APPRAISAL: 1, APPRAISED: 1, APPROVED: 1,
    IN_IMPLEMENTATION: 2, COMPLETED: 3, CLOSED: 4, REJECTED: 5, REVOKED: 5, TERMINATED: 5,
    SUSPENDED: 6,
}

_EARLY_MONEY = ("record_receipt", "record_disbursement", "record_expenditure")
_CLOSING = ("record_refund", "submit_report", "review_report", "record_handover",
            "record_audit", "close")
# The process: which commands each state accepts (SPEC §2.1). Money before approval is
# listed because it is a rule guard (C01): refused unless a deviation is given.
ALLOWED: dict[str, tuple[str, ...]] = {
    DRAFT: ("update_draft", "attach_document", "submit") + _EARLY_MONEY,
    RETURNED: ("update_draft", "attach_document", "submit") + _EARLY_MONEY,
    SUBMITTED: ("return_dossier", "accept_dossier") + _EARLY_MONEY,
    UNDER_APPRAISAL: ("request_consultation", "record_opinion", "complete_appraisal",
                      "return_dossier") + _EARLY_MONEY,
    APPRAISED: ("approve", "reject") + _EARLY_MONEY,
    APPROVED: ("record_commitment",) + _EARLY_MONEY + (
        "request_amendment", "decide_amendment", "suspend", "revoke", "terminate",
        "record_justified_delay", "record_audit"),
    IN_IMPLEMENTATION: ("record_commitment",) + _EARLY_MONEY + (
        "record_refund", "request_amendment", "decide_amendment", "suspend", "terminate",
        "submit_report", "review_report", "complete_activities", "record_audit"),
    SUSPENDED: ("resume", "terminate", "request_amendment", "decide_amendment",
                "record_justified_delay", "submit_report", "review_report", "record_audit"),
    COMPLETED: _CLOSING,
    TERMINATED: _CLOSING,
    REJECTED: ("notify_donor", "record_audit"),
    REVOKED: ("notify_donor", "record_audit"),
    CLOSED: ("record_audit",),
}


def allowed_commands(status: str, amendment_pending: bool) -> list[str]:
    """The commands the procedure accepts in ``status`` (rule guards may still refuse some)."""
    commands = list(ALLOWED[status])
    if amendment_pending and "request_amendment" in commands:
        commands.remove("request_amendment")
    if not amendment_pending and "decide_amendment" in commands:
        commands.remove("decide_amendment")
    return commands
