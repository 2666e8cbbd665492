"""The case list, a case's page and its commands as forms, used as a person in the office
does: signed in, within their provinces and roles, through the pages alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from interfaces.container import Container
from tests.api.seeded_views import module_store, served  # noqa: F401 - a fixture
from tests.api.support import Api
from tests.web.support import sign_in


class Office:
    def __init__(self, container: Container, client: TestClient) -> None:
        self.container, self.client, self.api = container, client, Api(client)
        self.lang = "en"  # the pages' words are asserted in English, but where said otherwise

    def caught_up(self) -> None:
        head = self.container.runner.head()
        assert any(self.container.wait_for_views(head) for _ in range(1000))

    def as_(self, roles: set[str], provinces: set[str] | None = None) -> str:
        self.client.cookies.clear()
        provinces = {"BN"} if provinces is None else provinces
        name = "-".join(sorted(roles | provinces)).lower() + ("-vi" if self.lang == "vi" else "")
        return sign_in(self.client, name, roles, provinces, lang=self.lang)

    def form(self, path: str) -> dict[str, str]:
        page = self.client.get(path)
        assert page.status_code == 200, page.text
        return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page.text))


@pytest.fixture(scope="module")
def office(module_store: str) -> Iterator[Office]:  # noqa: F811
    with served(module_store) as (container, client):
        yield Office(container, client)


@pytest.fixture(scope="module")
def water(office: Office) -> str:
    """A submitted case whose title has diacritics."""
    donor = office.api.donor()
    case_id = office.api.open_case(donor, title="Cung cấp nước sạch cho xã Gia Bình")
    office.api.submit(case_id)
    office.caught_up()
    return case_id


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_and_back(office: Office) -> None:
    office.client.cookies.clear()
    answer = office.client.get("/cases?q=x", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=/cases%3Fq%3Dx"


def test_the_case_list_finds_a_title_searched_without_diacritics(office: Office,
                                                                 water: str) -> None:
    office.as_({"aid_owner"})
    page = office.client.get("/cases", params={"q": "nuoc sach"})
    assert page.status_code == 200
    assert f'href="/cases/{water}"' in page.text and "Cung cấp nước sạch" in page.text
    assert f'href="/cases/{water}"' not in office.client.get(
        "/cases", params={"q": "no such words"}).text


def test_the_case_list_answers_a_bad_filter_with_a_plain_page(office: Office) -> None:
    office.as_({"aid_owner"})
    page = office.client.get("/cases", params={"status": "sleeping"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "status" in page.text


def test_the_case_list_downloads_as_a_spreadsheet_with_its_filters(office: Office,
                                                                   water: str) -> None:
    office.as_({"aid_owner"})
    sheet = office.client.get("/cases", params={"q": "nuoc sach", "format": "csv"})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert "Cung cấp nước sạch" in sheet.text


def test_a_person_of_another_province_can_neither_list_nor_open_the_case(
        office: Office, water: str) -> None:
    office.as_({"aid_owner", "focal_officer"}, {"HN"})
    assert water not in office.client.get("/cases", params={"q": "nuoc sach"}).text
    page = office.client.get(f"/cases/{water}")
    assert page.status_code == 404 and "case_not_found" in page.text


def test_the_case_page_shows_money_timeline_and_only_the_commands_the_role_may_give(
        office: Office, water: str) -> None:
    office.as_({"focal_officer"})
    page = office.client.get(f"/cases/{water}").text
    assert "Cung cấp nước sạch cho xã Gia Bình" in page and "₫" in page
    assert set(re.findall(r"/do/(\w+)", page)) == {"return_dossier", "accept_dossier"}
    assert page.count('href="/cases/' + water + '?version=') >= 5  # one link per event
    office.as_({"aid_owner"})
    owner = office.client.get(f"/cases/{water}").text
    assert "accept_dossier" not in owner and "record_receipt" in owner
    assert "?version=" not in owner  # aid owners do not read the history (as in the API)


def test_an_earlier_version_of_the_case_is_shown_as_it_was(office: Office, water: str) -> None:
    office.as_({"focal_officer"})
    page = office.client.get(f"/cases/{water}", params={"version": 1}).text
    assert "version 1 of" in page and "/do/" not in page
    beyond = office.client.get(f"/cases/{water}", params={"version": 999})
    assert beyond.status_code == 422 and "version_beyond_head" in beyond.text


def _submitted(office: Office) -> str:
    """A case submitted just now, the views caught up."""
    case_id = office.api.open_case(office.api.donor())
    office.api.submit(case_id)
    office.caught_up()
    return case_id


def _case_version(office: Office, case_id: str) -> int:
    return int(office.api.get(f"/cases/{case_id}", "focal_officer")["version"])


def test_a_command_given_on_its_form_is_recorded_once_however_often_it_is_sent(
        office: Office) -> None:
    case_id = _submitted(office)
    csrf = office.as_({"focal_officer"})
    fields = office.form(f"/cases/{case_id}/do/accept_dossier")
    before = _case_version(office, case_id)
    for _ in range(2):  # a double click
        sent = office.client.post(f"/cases/{case_id}/do/accept_dossier",
                                  data={**fields, "csrf_token": csrf}, follow_redirects=False)
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/cases/{case_id}?done=accept_dossier"
    assert _case_version(office, case_id) == before + 1
    assert office.api.get(f"/cases/{case_id}", "focal_officer")["status"] == "under_appraisal"


def test_a_stale_form_says_the_case_changed_and_records_nothing(office: Office) -> None:
    water = office.api.open_case(office.api.donor())
    office.caught_up()
    csrf = office.as_({"aid_owner"})
    fields = office.form(f"/cases/{water}/do/attach_document")
    office.api.post(f"/cases/{water}/documents", {"document": {
        "kind": "other", "title": "meanwhile", "uri": "https://files.example/m.pdf"}},
        "aid_owner")
    before = _case_version(office, water)
    sent = office.client.post(f"/cases/{water}/do/attach_document", data={
        **fields, "csrf_token": csrf, "document.kind": "other", "document.title": "late",
        "document.uri": "https://files.example/late.pdf"})
    assert sent.status_code == 409 and "The case has changed" in sent.text
    assert f'name="version" value="{before}"' in sent.text  # the form now answers the head
    assert _case_version(office, water) == before


def test_a_rule_refusal_shows_the_rule_and_a_deviation_records_the_fact_with_its_flag(
        office: Office) -> None:
    case_id = _submitted(office)
    csrf = office.as_({"aid_owner"})
    receipt = {"amount.amount": "1000", "amount.currency": "USD", "vnd_rate": "25000"}
    fields = office.form(f"/cases/{case_id}/do/record_receipt")
    refused = office.client.post(f"/cases/{case_id}/do/record_receipt",
                                 data={**fields, **receipt, "csrf_token": csrf})
    assert refused.status_code == 409 and "A rule refuses this." in refused.text
    assert 'name="deviation.reason"' in refused.text
    again = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', refused.text))
    recorded = office.client.post(f"/cases/{case_id}/do/record_receipt", data={
        **again, **receipt, "csrf_token": csrf,
        "deviation.reason": "Emergency relief arrived before the decision",
        "deviation.document": "Minutes 12/BB-UBND"}, follow_redirects=False)
    assert recorded.status_code == 303
    office.caught_up()
    office.as_({"focal_officer"})
    page = office.client.get(f"/cases/{case_id}").text
    assert "C01" in page and "Emergency relief arrived before the decision" in page


def test_a_form_without_its_csrf_token_is_refused_and_records_nothing(office: Office,
                                                                      water: str) -> None:
    office.as_({"aid_owner"})
    fields = office.form(f"/cases/{water}/do/record_disbursement")
    before = _case_version(office, water)
    sent = office.client.post(f"/cases/{water}/do/record_disbursement", data={
        **{k: v for k, v in fields.items() if k != "csrf_token"}, "amount.amount": "1",
        "amount.currency": "USD"})
    assert sent.status_code == 403 and "csrf_refused" in sent.text
    assert _case_version(office, water) == before


def test_invalid_input_is_marked_on_its_field_and_records_nothing(office: Office,
                                                                  water: str) -> None:
    csrf = office.as_({"aid_owner"})
    fields = office.form(f"/cases/{water}/do/record_disbursement")
    sent = office.client.post(f"/cases/{water}/do/record_disbursement", data={
        **fields, "csrf_token": csrf, "amount.amount": "ten", "amount.currency": "USD"})
    assert sent.status_code == 422
    assert 'id="f-amount-amount-problem"' in sent.text and 'value="ten"' in sent.text


def test_a_command_the_role_or_the_state_does_not_allow_gets_no_form(office: Office,
                                                                    water: str) -> None:
    office.as_({"aid_owner"})
    page = office.client.get(f"/cases/{water}/do/accept_dossier")
    assert page.status_code == 403 and 'action="/cases' not in page.text
    assert office.client.get(f"/cases/{water}/do/no_such_command").status_code == 404
    early = office.client.get(f"/cases/{water}/do/attach_document")  # the dossier is in
    assert early.status_code == 409 and 'action="/cases' not in early.text
    assert "Accept the dossier" in early.text  # what can be done now


def test_a_case_opened_on_its_form_is_a_draft_of_the_chosen_donor(office: Office) -> None:
    donor = office.api.donor()
    office.caught_up()
    csrf = office.as_({"aid_owner"})
    fields = office.form("/cases/new")
    body: dict[str, Any] = {
        **fields, "csrf_token": csrf, "reference": "BN-2026-0777",
        "title": "Trường học an toàn", "aid_form": "technical_assistance_project",
        "donor_id": donor, "province": "BN", "managing_agency": "UBND tỉnh Bắc Ninh",
        "aid_owner": "Sở Giáo dục và Đào tạo", "sectors.0.code": "11220",
        "sectors.0.percentage": "100", "planned_start": "2026-01-01",
        "planned_end": "2026-12-31", "requested.amount": "50000",
        "requested.currency": "USD", "requested_vnd_rate": "25000"}
    sent = office.client.post("/cases/new", data=body, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    case_id = sent.headers["location"].split("/")[2].split("?")[0]
    state = office.api.get(f"/cases/{case_id}", "aid_owner")
    assert state["status"] == "draft" and state["donor_id"] == donor
    assert state["title"] == "Trường học an toàn"


def test_the_case_page_in_vietnamese_names_states_commands_and_events_in_vietnamese(
        office: Office, water: str) -> None:
    office.lang = "vi"
    try:
        office.as_({"focal_officer"})
        page = office.client.get(f"/cases/{water}").text
    finally:
        office.lang = "en"
    assert '<html lang="vi">' in page and "Đã nộp" in page  # the state
    assert "Tiếp nhận hồ sơ" in page and "Trả lại hồ sơ" in page  # its two commands
    assert "Nộp hồ sơ" in page and "Đính kèm tài liệu" in page  # events of the timeline
    assert re.search(r"\d{2}/\d{2}/\d{4}", page) and re.search(r"\d{1,3}(\.\d{3})+ ₫", page)
    assert "Accept the dossier" not in page and "Submitted" not in page


def test_the_rows_of_a_list_on_a_form_are_named_in_vietnamese_and_numbered(
        office: Office) -> None:
    office.lang = "vi"
    try:
        office.as_({"aid_owner"})
        page = office.client.get("/cases/new").text
    finally:
        office.lang = "en"
    assert re.search(r"<legend>Lĩnh vực 1 <span", page) and "<legend>Lĩnh vực 3</legend>" in page
    assert "Sectors" not in page


def test_the_filter_form_sent_with_its_empty_fields_filters_by_the_filled_ones(
        office: Office, water: str) -> None:
    office.as_({"aid_owner"})
    sent = office.client.get("/cases", params={
        "q": "nuoc sach", "status": "", "aid_form": "", "province": "", "sector": "",
        "report_overdue": "", "as_of": "", "sort": ""})
    assert sent.status_code == 200 and f'href="/cases/{water}"' in sent.text
    bad = office.client.get("/cases", params={"as_of": "31/12/2026"})
    assert bad.status_code == 422 and "invalid_date" in bad.text
