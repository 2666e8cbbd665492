"""The read pages' words for the register's, the dashboards' and the audit's codes: each an
English message id, translated by the catalogs (``locale/``); an unknown code shows as is."""

from __future__ import annotations

from collections.abc import Callable

from interfaces.web.words import N_, STATES

LABELS: dict[str, dict[str, str]] = {
    "donor_kind": {
        "foreign_ngo": N_("Foreign NGO"), "foreign_government": N_("Foreign government"),
        "multilateral": N_("Multilateral organisation"), "individual": N_("Individual"),
        "other": N_("Other"),
    },
    "certificate_kind": {
        "operation": N_("Operation"), "representative_office": N_("Representative office"),
    },
    "certificate_status": {
        "active": N_("Active"), "suspended": N_("Suspended"), "revoked": N_("Revoked"),
        "terminated": N_("Terminated"),
    },
    "change": {
        "issued": N_("Issued"), "extended": N_("Extended"), "amended": N_("Amended"),
        "suspended": N_("Suspended"), "revoked": N_("Revoked"), "terminated": N_("Terminated"),
    },
    "severity": {"critical": N_("Critical"), "warning": N_("Warning")},
    "report_kind": {
        "half_year": N_("Half-year report"), "annual": N_("Annual report"),
        "completion": N_("Completion report"), "settlement": N_("Settlement report"),
    },
    "obligation_status": {
        "upcoming": N_("Upcoming"), "due": N_("Due"), "overdue": N_("Overdue"),
        "submitted": N_("Submitted"), "accepted": N_("Accepted"), "returned": N_("Returned"),
    },
    "yes_no": {"true": N_("Yes"), "false": N_("No")},
    "donor_sort": {
        "name": N_("Name"), "-name": N_("Name, Z to A"), "code": N_("Code"),
        "valid_to": N_("Expiry, soonest first"), "-valid_to": N_("Expiry, latest first"),
        "active_cases": N_("Active cases, fewest first"),
        "-active_cases": N_("Active cases, most first"),
    },
    "flag_state": {"open": N_("Open on the date"), "resolved": N_("Resolved by the date"),
                   "all": N_("Raised by the date")},
    "state": STATES,
    "dimension": {
        "province": N_("Province"), "donor_id": N_("Donor"), "sector": N_("Sector"),
        "status": N_("Status"), "year": N_("Year"),
    },
}


def labeller(gettext: Callable[[str], str]) -> Callable[[str, object], str]:
    """``label(kind, code)`` for a template, in the page's language."""
    def label(kind: str, code: object) -> str:
        text = LABELS.get(kind, {}).get(str(code))
        return gettext(text) if text else str(code)

    return label
