"""A whole case, from opening to closing, given only through the pages, each step by the
person whose role it is."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.givens import api, given_a_donor
from tests.browser.people import CHAIR, FOCAL, OWNER, take_turn
from tests.browser.site import Site
from tests.browser.workspace import FIRST_CHOICE, give, open_case, words

DOSSIER = ("request", "donor_consent", "project_document", "donor_legal_status")
REPORTS = [("half_year", "2025-01-01", "2025-06-30", "2025-07-10"),
           ("annual", "2025-01-01", "2025-12-31", "2026-01-20"),
           ("half_year", "2026-01-01", "2026-06-30", "2026-07-10")]
FINAL_REPORTS = [("completion", "2025-01-01", "2026-06-30", "2026-08-01"),
                 ("settlement", "2025-01-01", "2026-06-30", "2026-08-01")]


def document(kind: str, on: str) -> dict[str, Any]:
    return {"document": {"kind": kind, "title": kind.replace("_", " "),
                         "uri": f"https://files.example/{kind}.pdf"}, "effective_date": on}


def usd(amount: str, on: str) -> dict[str, Any]:
    return {"amount": {"amount": amount, "currency": "USD"}, "vnd_rate": "25000",
            "aid_account": "VCB-0011-AID", "effective_date": on}


def report(kind: str, start: str, end: str, on: str) -> dict[str, Any]:
    return {"kind": kind, "period_start": start, "period_end": end, **document("report", on)}


@pytest.mark.slow
def test_a_case_goes_from_opening_to_closing_through_the_pages_by_each_role_in_turn(
        page: Page, site: Site) -> None:
    donor_id = given_a_donor(site)
    take_turn(page, site, OWNER)
    case_id = open_case(page, {
        "reference": "BN-2025-WEB1", "title": "Nước sạch cho Gia Bình",
        "aid_form": "technical_assistance_project", "donor_id": donor_id, "province": "BN",
        "managing_agency": "Bac Ninh Provincial People's Committee",
        "aid_owner": "Bac Ninh Health Department",
        "sectors": [{"code": "12220", "percentage": "100"}],
        "planned_start": "2025-01-01", "planned_end": "2026-06-30",
        "requested": {"amount": "100000", "currency": "USD"}, "requested_vnd_rate": "25000",
        "effective_date": "2025-01-02"})
    for kind in DOSSIER:
        give(page, case_id, "attach_document", document(kind, "2025-01-03"))
    give(page, case_id, "submit", {"effective_date": "2025-01-05"})

    take_turn(page, site, FOCAL)
    give(page, case_id, "accept_dossier", {"effective_date": "2025-01-06"})
    give(page, case_id, "request_consultation", {"agency": "VUFO",
                                                 "effective_date": "2025-01-07"})
    give(page, case_id, "record_opinion", {"agency": "VUFO", "stance": "agree",
                                           "effective_date": "2025-01-12"})
    give(page, case_id, "complete_appraisal", {"recommendation": "approve",
                                               "effective_date": "2025-01-20"})
    take_turn(page, site, CHAIR)
    give(page, case_id, "approve", {
        "decision_no": "12/QD-UBND", "decision_date": "2025-01-25",
        "signer": "Chair of the People's Committee",
        "authority_level": "head_of_managing_agency",
        "approved_amount": {"amount": "100000", "currency": "USD"}, "vnd_rate": "25000",
        "effective_date": "2025-01-25"})

    take_turn(page, site, OWNER)
    give(page, case_id, "record_receipt", usd("100000", "2025-02-01"))
    give(page, case_id, "record_disbursement", usd("50000", "2025-03-01"))
    give(page, case_id, "record_expenditure", usd("50000", "2025-04-01"))
    for step in REPORTS:
        give(page, case_id, "submit_report", report(*step))
    give(page, case_id, "complete_activities", {"actual_end": "2026-06-30",
                                                "effective_date": "2026-06-30"})
    for step in FINAL_REPORTS:
        give(page, case_id, "submit_report", report(*step))
    give(page, case_id, "record_handover", document("handover", "2026-08-05"))

    take_turn(page, site, FOCAL)
    for _ in REPORTS + FINAL_REPORTS:
        give(page, case_id, "review_report", {"report_id": FIRST_CHOICE, "accepted": True,
                                              "effective_date": "2026-08-06"})
    give(page, case_id, "close", {"effective_date": "2026-08-10"})
    assert api(site).get(f"/cases/{case_id}")["status"] == "closed"
    assert page.locator("main dl.summary .badge").inner_text() == words("Closed")
