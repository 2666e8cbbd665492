"""The read pages' words for the register's, the dashboards' and the audit's codes: each an
English message id, translated by the catalogs (``locale/``); an unknown code shows as is."""

from __future__ import annotations

from collections.abc import Callable

from interfaces.web.words import N_, TABLES

# The system's codes have their words in words.py (and the modules it gathers); these are
# the read pages' own.
LABELS: dict[str, dict[str, str]] = {
    **TABLES,
    "change": {
        "issued": N_("Issued"), "extended": N_("Extended"), "amended": N_("Amended"),
        "suspended": N_("Suspended"), "revoked": N_("Revoked"), "terminated": N_("Terminated"),
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
