"""The IATI 2.03 mapping and its validation, without storage (SPEC §7)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from application.iati import (
    ReportingOrg,
    activities_document,
    activity_element,
    budget_periods,
    document_format,
)
from domain.case import AidCase
from domain.donor import Donor
from infrastructure.iati_validation import IatiValidator
from tests.conftest import SHARED
from tests.unit.conftest import APPROVER, OWNER, Walker, usd

ORG = ReportingOrg(ref="VN-PUFO-BN", name="Bac Ninh Union of Friendship Organizations",
                   type="22")
TODAY = date(2027, 3, 1)  # after every date the walker records
VALIDATOR = IatiValidator(SHARED / "iati")
XSD = xmlschema.XMLSchema(str(SHARED / "iati/schema/iati-activities-schema.xsd"))


def xml(case: AidCase, donor: Donor, today: date = TODAY, **state_changes: Any) -> bytes:
    state = {**case.state(), **state_changes}
    return activities_document([activity_element(state, donor.state(), ORG, today)])


def activity(document: bytes) -> etree._Element:
    return etree.fromstring(document).find("iati-activity")


@pytest.mark.parametrize("state, code", [
    ("draft", "1"), ("submitted", "1"), ("returned", "1"), ("under_appraisal", "1"),
    ("appraised", "1"), ("approved", "1"), ("rejected", "5"), ("revoked", "5"),
    ("in_implementation", "2"), ("suspended", "6"), ("terminated", "5"), ("completed", "3"),
    ("closed", "4"),
])
def test_each_case_state_maps_to_its_iati_activity_status_and_validates(
        walk: Walker, donor: Donor, state: str, code: str) -> None:
    document = xml(walk.to(state), donor)
    assert activity(document).find("activity-status").get("code") == code
    assert VALIDATOR.validate(document, TODAY) == []
    # An independent check of the element order against the official XSD.
    XSD.validate(document.decode())


def test_money_events_map_to_iati_transaction_types_and_a_refund_is_negative_incoming_funds(
        walk: Walker, donor: Donor, profile: Any) -> None:
    case = walk.to("spent")
    case.record_commitment(amount=usd("100000.00"), agreement_ref="GA-7", vnd_rate=Decimal(25000),
                           profile=profile, actor=OWNER, effective_date=date(2026, 5, 2))
    case.record_receipt(amount=usd("1000.00"), vnd_rate=Decimal(25000), aid_account="VCB-0011",
                        donor=donor, profile=profile, actor=OWNER,
                        effective_date=date(2026, 5, 3))
    case.record_refund(amount=usd("400.00"), vnd_rate=Decimal(25000), aid_account="VCB-0011",
                       profile=profile, actor=OWNER, effective_date=date(2026, 5, 4))
    document = xml(case, donor)
    rows = [(t.find("transaction-type").get("code"), t.find("value").text,
             t.find("transaction-date").get("iso-date"))
            for t in activity(document).iter("transaction")]
    assert rows == [("1", "60000.00", "2026-03-05"), ("3", "20000.00", "2026-04-01"),
                    ("4", "40000.00", "2026-05-01"), ("11", "100000.00", "2026-05-02"),
                    ("1", "1000.00", "2026-05-03"), ("1", "-400.00", "2026-05-04")]
    assert VALIDATOR.validate(document, TODAY) == []


def test_identifier_participants_country_and_sectors_follow_the_case(
        walk: Walker, donor: Donor) -> None:
    element = activity(xml(walk.to("approved"), donor))
    assert element.findtext("iati-identifier") == "VN-PUFO-BN-BN-2026-0042"
    orgs = [(o.get("role"), o.get("type"), o.get("ref"), o.findtext("narrative"))
            for o in element.iter("participating-org")]
    assert orgs == [("1", "21", "GB-CHC-202918", "Oxfam"),
                    ("2", None, None, "Bac Ninh People's Committee"),
                    ("4", None, None, "Bac Ninh Women's Union")]
    assert element.find("recipient-country").attrib == {"code": "VN", "percentage": "100"}
    assert [(s.get("vocabulary"), s.get("code"), s.get("percentage"))
            for s in element.iter("sector")] == [("1", "12220", "60"), ("1", "14030", "40")]
    links = [(d.get("format"), d.find("category").get("code"))
             for d in element.iter("document-link")]
    assert ("application/pdf", "B15") in links


def test_actual_dates_appear_only_once_known(walk: Walker, donor: Donor) -> None:
    def types(state: str) -> list[str]:
        return [d.get("type") for d in activity(xml(walk.to(state), donor)).iter("activity-date")]

    assert types("approved") == ["1", "3"]
    assert types("in_implementation") == ["1", "2", "3"]
    assert types("completed") == ["1", "2", "3", "4"]


def test_the_approved_amount_is_split_in_calendar_years_that_sum_exactly(
        walk: Walker, donor: Donor) -> None:
    budgets = activity(xml(walk.to("approved"), donor)).findall("budget")
    assert [(b.get("type"), b.get("status"), b.find("period-start").get("iso-date"),
             b.find("period-end").get("iso-date"), b.find("value").text) for b in budgets] == [
        ("1", "2", "2026-03-01", "2026-12-31", "45603.58"),
        ("1", "2", "2027-01-01", "2027-12-31", "54396.42"),
    ]


def test_a_pipeline_case_has_an_indicative_budget_of_the_requested_amount(
        walk: Walker, donor: Donor) -> None:
    budgets = activity(xml(walk.to("submitted"), donor)).findall("budget")
    assert {b.get("status") for b in budgets} == {"1"}
    assert sum(Decimal(b.find("value").text) for b in budgets) == Decimal("100000.00")


def test_an_approved_amendment_adds_a_revised_budget_over_the_new_period(
        walk: Walker, donor: Donor, profile: Any) -> None:
    case = walk.to("in_implementation")
    case.request_amendment(changes={"approved_amount": usd("120000.00"), "vnd_rate": "25000",
                                    "planned_end": date(2028, 6, 30)},
                           reason="second phase", actor=OWNER, effective_date=date(2026, 6, 1))
    case.decide_amendment(amendment_id="A1", approved=True, decision_no="88/QD",
                          signer="Chair", authority_level="head_of_managing_agency",
                          profile=profile, actor=APPROVER, effective_date=date(2026, 6, 10))
    element = activity_element(case.state(), donor.state(), ORG, TODAY,
                               original_period=(date(2026, 3, 1), date(2027, 12, 31)))
    budgets = element.findall("budget")
    original = [b for b in budgets if b.get("type") == "1"]
    revised = [b for b in budgets if b.get("type") == "2"]
    assert sum(Decimal(b.find("value").text) for b in original) == Decimal("100000.00")
    assert original[-1].find("period-end").get("iso-date") == "2027-12-31"
    assert sum(Decimal(b.find("value").text) for b in revised) == Decimal("120000.00")
    assert [b.find("period-end").get("iso-date") for b in revised] == [
        "2026-12-31", "2027-12-31", "2028-06-30"]
    assert VALIDATOR.validate(activities_document([element]), TODAY) == []


@given(start=st.dates(date(2000, 1, 1), date(2090, 1, 1)), length=st.integers(0, 3000),
       units=st.integers(1, 10**13), currency=st.sampled_from(["USD", "VND", "KWD"]))
def test_budget_periods_are_at_most_a_year_contiguous_and_sum_to_the_amount(
        start: date, length: int, units: int, currency: str) -> None:
    scale = {"USD": 2, "VND": 0, "KWD": 3}[currency]
    amount = Decimal(units).scaleb(-scale)
    end = start + timedelta(days=length)
    periods = budget_periods(start, end, amount, currency)
    assert sum(p[2] for p in periods) == amount
    assert periods[0][0] == start and periods[-1][1] == end
    for (a, b, value), following in zip(periods, periods[1:] + [None], strict=True):
        assert a <= b and a.year == b.year and (b - a).days <= 365
        assert value == value.quantize(Decimal(1).scaleb(-scale))
        share = amount * ((b - a).days + 1) / (length + 1)
        assert abs(value - share) < Decimal(1).scaleb(-scale)
        if following:
            assert following[0] == b + timedelta(days=1)


def test_document_formats_come_from_the_file_extension() -> None:
    assert document_format("https://x.example/a/Plan.PDF?v=2") == "application/pdf"
    assert document_format("https://x.example/a/sheet.xlsx") == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert document_format("https://x.example/a/noextension") == "application/octet-stream"


# --- validation: each kind of problem is reported, with the activity it concerns ----------

def rules(document: bytes, today: date = TODAY, validator: IatiValidator = VALIDATOR
          ) -> set[str]:
    problems = validator.validate(document, today)
    assert all(p.identifier == "VN-PUFO-BN-BN-2026-0042" for p in problems)
    return {p.rule for p in problems}


def test_legacy_sectors_that_do_not_sum_to_100_are_reported(walk: Walker, donor: Donor) -> None:
    legacy = [{"code": "12220", "percentage": "60"}, {"code": "14030", "percentage": "30"}]
    assert rules(xml(walk.to("approved"), donor, sectors=legacy)) == {"sector_percentages"}


def test_future_actual_dates_and_transactions_are_reported(walk: Walker, donor: Donor) -> None:
    document = xml(walk.to("completed"), donor)
    problems = VALIDATOR.validate(document, date(2026, 4, 15))
    assert {p.rule for p in problems} == {"future_date"}
    assert {p.path for p in problems} == {
        "activity-date[@type='4']", "transaction[3]/transaction-date/@iso-date",
        "transaction[3]/value/@value-date"}


def test_codes_outside_the_codelists_are_reported(walk: Walker, donor: Donor) -> None:
    case = walk.to("approved")
    state = case.state()
    state["sectors"] = [{"code": "99999", "percentage": "100"}]
    state["documents"][0]["category"] = "A99"
    document = activities_document([activity_element(state, donor.state(), ORG, TODAY)])
    messages = [p.message for p in VALIDATOR.validate(document, TODAY)]
    assert any("'99999' is not in the Sector codelist" in m for m in messages)
    assert any("'A99' is not in the DocumentCategory codelist" in m for m in messages)
    withdrawn = xml(case, donor, sectors=[{"code": "11321", "percentage": "100"}])
    assert any("withdrawn" in p.message for p in VALIDATOR.validate(withdrawn, TODAY))


def test_elements_out_of_schema_order_are_reported(walk: Walker, donor: Donor) -> None:
    element = activity_element(walk.to("approved").state(), donor.state(), ORG, TODAY)
    element.append(element.find("activity-status"))  # now after the document links
    problems = VALIDATOR.validate(activities_document([element]), TODAY)
    assert problems and {p.rule for p in problems} == {"schema"}
    assert problems[0].identifier == "VN-PUFO-BN-BN-2026-0042"


def test_budget_periods_longer_than_a_year_or_backwards_are_reported(
        walk: Walker, donor: Donor) -> None:
    element = activity_element(walk.to("approved").state(), donor.state(), ORG, TODAY)
    first, second = element.findall("budget")
    first.find("period-end").set("iso-date", "2027-06-30")
    second.find("period-start").set("iso-date", "2028-01-01")
    assert rules(activities_document([element])) == {"budget_period", "date_order"}


def test_without_the_iati_directory_only_the_standard_rules_run(
        walk: Walker, donor: Donor, tmp_path: Any) -> None:
    missing = IatiValidator(tmp_path / "nowhere")
    assert not missing.available and not IatiValidator(None).available
    case = walk.to("approved")
    assert missing.validate(xml(case, donor), TODAY) == []
    legacy = [{"code": "99999", "percentage": "50"}]
    assert rules(xml(case, donor, sectors=legacy), validator=missing) == {"sector_percentages"}


def test_relief_and_humanitarian_aid_are_flagged_humanitarian(walk: Walker, donor: Donor) -> None:
    relief = activity(xml(walk.to("draft", aid_form="disaster_relief"), donor))
    project = activity(xml(walk.to("draft"), donor))
    assert (relief.get("humanitarian"), project.get("humanitarian")) == ("1", None)


def test_control_characters_from_old_data_never_break_the_xml() -> None:
    from application.iati import xml_safe

    assert xml_safe("Clean\x00 water\x1f for\tall\n") == "Clean water for\tall\n"
