"""The labels of form fields, by the field's name in the API's bodies (English message ids,
translated by the catalogs)."""

from __future__ import annotations

from interfaces.web.words import N_

FIELDS = {
    "effective_date": N_("Date it happened"), "reference": N_("Reference"),
    "title": N_("Title"), "description": N_("Description"), "aid_form": N_("Aid form"),
    "donor_id": N_("Donor"), "province": N_("Province"),
    "managing_agency": N_("Managing agency"), "aid_owner": N_("Aid owner"),
    "sectors": N_("Sectors"), "code": N_("Code"), "percentage": N_("Share (%)"),
    "planned_start": N_("Planned start"), "planned_end": N_("Planned end"),
    "requested": N_("Requested amount"), "amount": N_("Amount"), "currency": N_("Currency"),
    "requested_vnd_rate": N_("VND per unit (exchange rate)"),
    "vnd_rate": N_("VND per unit (exchange rate)"),
    "rate_to_case": N_("Rate to the case currency"),
    "state_budget_revenue": N_("Counted as state budget revenue"),
    "sensitive_flags": N_("Sensitive matters"),
    "moha_licensed": N_("Licensed by the Ministry of Home Affairs"),
    "legal_basis": N_("Legal basis (legacy imports only)"), "commune_code": N_("Commune code"),
    "commune_name": N_("Commune name"), "former_district": N_("Former district"),
    "aid_owner_kind": N_("Kind of aid owner"), "document": N_("Document"), "kind": N_("Kind"),
    "uri": N_("Address of the file"), "sha256": N_("SHA-256 of the file"),
    "language": N_("Language"), "category": N_("IATI document category"),
    "deviation": N_("Deviation"), "reason": N_("Reason"),
    "reasons": N_("Reasons (one per line)"),
    "agency": N_("Agency"), "stance": N_("Stance"), "summary": N_("Summary"),
    "recommendation": N_("Recommendation"), "note": N_("Note"),
    "agreement_ref": N_("Agreement reference"),
    "audit_required": N_("The donor requires an audit"),
    "aid_account": N_("Aid account"), "in_kind": N_("In kind"),
    "counterparty": N_("Counterparty"), "goods": N_("Goods"), "quantity": N_("Quantity"),
    "unit": N_("Unit"), "amendment_id": N_("Amendment"), "report_id": N_("Report"),
    "number": N_("Certificate number"), "name": N_("Name"), "country": N_("Country"),
    "iati_ref": N_("IATI organisation identifier"),
}


def field_label(name: str) -> str:
    """The message id of a field's label (its name, made readable, when none is listed)."""
    return FIELDS.get(name) or name.replace("_", " ").capitalize()
