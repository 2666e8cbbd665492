"""The workspace's words for the system's codes, by kind (states and roles here, the others in
their own modules): English message ids, translated by the catalogs (``locale/``);
``label(kind, code)`` gives one, and the pages' ``label`` translates it."""

from __future__ import annotations

import re

from interfaces.web import kinds
from interfaces.web.command_words import COMMANDS
from interfaces.web.event_words import EVENTS
from interfaces.web.flag_words import FLAGS, SEVERITIES
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

ROLES = {
    "aid_owner": N_("Aid owner"),
    "focal_officer": N_("Focal officer"),
    "approver": N_("Approver"),
    "registry_officer": N_("Registry officer"),
    "auditor": N_("Auditor"),
    "viewer": N_("Viewer"),
}

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


def state_label(state: str) -> str:
    return label("state", state)
