"""The workspace's words for the system's codes: states, commands, error codes. Each is an
English message id, translated by the catalogs (``locale/``)."""

from __future__ import annotations


# Message ids the extractor cannot see in a template, marked for it here.
def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark only"
    return message


STATES = {
    "draft": N_("Draft"), "submitted": N_("Submitted"), "returned": N_("Returned"),
    "under_appraisal": N_("Under appraisal"), "appraised": N_("Appraised"),
    "approved": N_("Approved"), "rejected": N_("Rejected"),
    "in_implementation": N_("In implementation"), "suspended": N_("Suspended"),
    "revoked": N_("Revoked"), "terminated": N_("Terminated"), "completed": N_("Completed"),
    "closed": N_("Closed"),
}

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


def error_message(code: str) -> str:
    return ERRORS.get(code, GENERIC_ERROR)


def state_label(state: str) -> str:
    return STATES.get(state, state)


# Words by kind ("aid_form", "column", "command", "event", "role", "money", ...) and code.
LABELS: dict[str, dict[str, str]] = {"state": STATES}


def label(kind: str, code: str) -> str:
    """The message id naming ``code`` of ``kind`` (the code made readable when none is
    listed)."""
    return LABELS.get(kind, {}).get(code) or code.replace("_", " ").capitalize()
