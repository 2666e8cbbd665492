"""Who may do what (SPEC §2.1 role table). Reads need any role."""

from __future__ import annotations

from domain.values import (
    AID_OWNER,
    APPROVER,
    AUDITOR,
    FOCAL_OFFICER,
    REGISTRY_OFFICER,
    ROLES,
)

ALL_ROLES = frozenset(ROLES)

COMMAND_ROLES: dict[str, tuple[str, ...]] = {
    "open_case": (AID_OWNER, FOCAL_OFFICER),
    **{name: (AID_OWNER,) for name in (
        "update_draft", "attach_document", "submit", "record_commitment", "record_receipt",
        "record_disbursement", "record_expenditure", "record_refund", "request_amendment",
        "submit_report", "complete_activities", "record_handover",
    )},
    **{name: (FOCAL_OFFICER,) for name in (
        "return_dossier", "accept_dossier", "request_consultation", "record_opinion",
        "complete_appraisal", "notify_donor", "review_report", "close",
    )},
    **{name: (APPROVER,) for name in (
        "approve", "reject", "decide_amendment", "suspend", "resume", "revoke", "terminate",
        "record_justified_delay",
    )},
    "record_audit": (AUDITOR,),
    **{name: (REGISTRY_OFFICER,) for name in (
        "register_donor", "issue_certificate", "extend_certificate", "amend_certificate",
        "suspend_certificate", "revoke_certificate", "terminate_certificate",
    )},
    # Auditors are a primary user: history, tamper evidence and exports (SPEC §4, §5).
    "read_history": (AUDITOR, FOCAL_OFFICER, APPROVER),
    "audit": (AUDITOR,),
}
