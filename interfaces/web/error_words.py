"""The words of the problem codes as a page says them: the workspace's own sentence where the
API's explanation (``problem_types.py``) speaks of tokens and headers, else the API's
sentence (English message ids, translated by the catalogs)."""

from __future__ import annotations

from interfaces.http.problem_types import explanation
from interfaces.web.i18n import N_

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
    """What a page says of a problem code: its own sentence, else the API's explanation."""
    return ERRORS.get(code) or explanation(code) or GENERIC_ERROR
