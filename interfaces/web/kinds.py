"""The words of the kinds and statuses a page shows and a form offers: aid forms, documents,
reports, donors and certificates, and the choices of the command forms (English message ids,
translated by the catalogs)."""

from __future__ import annotations

from interfaces.web.i18n import N_

AID_FORMS = {
    "programme": N_("Programme"),
    "technical_assistance_project": N_("Technical assistance project"),
    "investment_project": N_("Investment project"),
    "non_project_cash": N_("Non-project aid in cash"),
    "non_project_goods": N_("Non-project aid in goods"),
    "non_project_experts": N_("Non-project aid: experts"),
    "non_project_events": N_("Non-project aid: conferences and workshops"),
    "disaster_relief": N_("Emergency relief after a disaster"),
    "humanitarian_unaddressed": N_("Humanitarian aid with no specific address"),
}
AID_OWNER_KINDS = {
    "commune": N_("Commune"), "provincial_department": N_("Provincial department"),
    "organisation": N_("Organisation"),
}
DOCUMENT_KINDS = {
    "request": N_("Request for approval"), "donor_consent": N_("Donor's letter of commitment"),
    "project_document": N_("Project document"),
    "donor_legal_status": N_("Proof of the donor's legal status"), "report": N_("Report"),
    "decision": N_("Decision"), "agreement": N_("Agreement"), "opinion": N_("Opinion"),
    "audit": N_("Audit"), "handover": N_("Handover record"), "other": N_("Other"),
}
REPORT_KINDS = {
    "half_year": N_("Half-year report"), "annual": N_("Annual report"),
    "completion": N_("Completion report"), "settlement": N_("Settlement report"),
}
OBLIGATION_STATUSES = {
    "upcoming": N_("Upcoming"), "due": N_("Due"), "overdue": N_("Overdue"),
    "submitted": N_("Submitted"), "accepted": N_("Accepted"), "returned": N_("Returned"),
}
DONOR_KINDS = {
    "foreign_ngo": N_("Foreign NGO"),
    "foreign_government": N_("Foreign government"), "multilateral": N_("Multilateral organisation"),
    "individual": N_("Individual"), "other": N_("Other"),
}
CERTIFICATE_KINDS = {
    "operation": N_("Operation"), "representative_office": N_("Representative office"),
}
CERTIFICATE_STATUSES = {
    "active": N_("Active"), "suspended": N_("Suspended"), "revoked": N_("Revoked"),
    "terminated": N_("Terminated"), "expired": N_("Expired"),
}

# The choices of the command forms, by the field that offers them.
STANCES = {
    "agree": N_("Agree"), "agree_with_conditions": N_("Agree with conditions"),
    "disagree": N_("Disagree"), "no_opinion": N_("No opinion"),
}
RECOMMENDATIONS = {
    "approve": N_("Recommend approval"),
    "approve_with_conditions": N_("Recommend approval with conditions"),
    "reject": N_("Recommend refusal"),
}
NOTICE_ABOUT = {"rejection": N_("The refusal"), "revocation": N_("The revocation")}
SENSITIVE_FLAGS = {
    "security": N_("National security"), "defence": N_("National defence"),
    "religion": N_("Religion"), "legal_drafting": N_("Drafting of legal documents"),
    "pm_reserved_goods": N_("Goods whose aid the Prime Minister approves"),
}
# A form's ``kind`` is a report's, a donor's or a certificate's.
FORM_KINDS = {**REPORT_KINDS, **DONOR_KINDS, **CERTIFICATE_KINDS}

# A case's money (its totals) and the columns the case list sorts by.
MONEY = {
    "committed": N_("Committed"), "received": N_("Received"), "disbursed": N_("Disbursed"),
    "spent": N_("Spent"), "refunded": N_("Refunded"),
}
COLUMNS = {
    "reference": N_("Reference"), "title": N_("Title"), "province": N_("Province"),
    "status": N_("Status"), "planned_start": N_("Planned start"),
    "planned_end": N_("Planned end"), "approved_vnd": N_("Approved (VND)"),
    "received_vnd": N_("Received (VND)"), "disbursed_vnd": N_("Disbursed (VND)"),
    "spent_vnd": N_("Spent (VND)"), "next_report_due": N_("Next report due"),
    "last_event_at": N_("Last change"),
}
