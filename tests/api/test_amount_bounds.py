"""Amounts and rates beyond the bounds, and amounts sent as JSON numbers, are refused with a
422 naming the field; the views keep up with what is accepted (on each backend)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.support import Api


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def case_id(api: Api) -> str:
    return api.walk_to("in_implementation")


def _refused(response: Any, code: str, field: str) -> None:
    assert response.status_code == 422, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code, problem
    assert [e["field"] for e in problem["errors"]] == [field], problem


def _receipt(amount: Any, vnd_rate: Any = "25400", currency: str = "USD") -> dict[str, Any]:
    return {"amount": {"amount": amount, "currency": currency}, "vnd_rate": vnd_rate,
            "aid_account": "ACC-1", "effective_date": "2026-02-01"}


def test_a_receipt_above_the_bound_is_refused_naming_the_field(api: Api, case_id: str) -> None:
    response = api.raw_post(f"/cases/{case_id}/receipts", _receipt("999999999999999999.99"),
                            "aid_owner")
    _refused(response, "amount_out_of_range", "amount")


def test_a_vnd_rate_above_the_bound_is_refused_naming_the_field(api: Api, case_id: str) -> None:
    response = api.raw_post(f"/cases/{case_id}/receipts",
                            _receipt("1000000", vnd_rate="99999999999999"), "aid_owner")
    _refused(response, "amount_out_of_range", "vnd_rate")


def test_after_a_refused_amount_the_views_still_catch_up(api: Api, case_id: str) -> None:
    api.raw_post(f"/cases/{case_id}/receipts", _receipt("999999999999999999.99"), "aid_owner")
    done = api.money(case_id, "disbursements", "10", "2025-03-01")
    donor_id = api.get(f"/cases/{case_id}", "focal_officer")["donor_id"]
    found = api.get("/views/cases", donor_id=donor_id, min_position=done["position"])
    assert [(c["received"], c["disbursed"]) for c in found["items"]] == [("100000.00", "10.00")]


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/commitments", {"amount": {"amount": "100", "currency": "USD"},
                      "agreement_ref": "A-1", "vnd_rate": "100000000000"}, "vnd_rate"),
    ("/disbursements", {**_receipt("400000000", vnd_rate="25000"), "in_kind": True},
     "amount"),
    ("/expenditures", {**_receipt("10"), "amount": {"amount": "10", "currency": "EUR"},
                       "rate_to_case": "100000000000"}, "rate_to_case"),
    ("/refunds", _receipt("10", vnd_rate="12345678901"), "vnd_rate"),
    ("/amendments", {"changes": {"approved_amount": {"amount": "5000000000000000",
                                                      "currency": "USD"},
                                 "vnd_rate": "25000"},
                     "reason": "a much larger second phase"}, "approved_amount"),
])
def test_every_money_command_refuses_an_amount_or_rate_out_of_range(
    api: Api, case_id: str, path: str, body: dict[str, Any], field: str
) -> None:
    response = api.raw_post(f"/cases/{case_id}{path}", body, "aid_owner")
    _refused(response, "amount_out_of_range", field)


def test_an_approved_amount_out_of_range_is_refused(api: Api) -> None:
    case_id = api.walk_to("appraised")
    response = api.raw_post(f"/cases/{case_id}/approve", {
        "decision_no": "1/QD", "decision_date": "2025-01-25", "signer": "Chair",
        "authority_level": "head_of_managing_agency", "effective_date": "2025-01-25",
        "approved_amount": {"amount": "1000000000000000", "currency": "USD"},
        "vnd_rate": "25000"}, "approver")
    _refused(response, "amount_out_of_range", "approved_amount")


def test_a_requested_amount_out_of_range_is_refused_when_the_case_is_opened(api: Api) -> None:
    donor = api.donor()
    response = api.raw_post("/cases", {
        "reference": "BN-2025-9001", "title": "Too large", "aid_form": "programme",
        "donor_id": donor, "province": "BN", "managing_agency": "PPC", "aid_owner": "DoH",
        "sectors": [{"code": "12220", "percentage": "100"}], "planned_start": "2025-01-01",
        "planned_end": "2026-06-30", "requested": {"amount": "1e20", "currency": "USD"},
        "requested_vnd_rate": "25000", "effective_date": "2025-01-02"}, "aid_owner")
    _refused(response, "amount_out_of_range", "requested")


@pytest.mark.parametrize(("body", "field"), [
    (_receipt(0.1), "amount.amount"),
    (_receipt(10), "amount.amount"),
    (_receipt("10", vnd_rate=25400), "vnd_rate"),
])
def test_a_json_number_for_an_amount_or_rate_is_refused_naming_the_field(
    api: Api, case_id: str, body: dict[str, Any], field: str
) -> None:
    response = api.raw_post(f"/cases/{case_id}/receipts", body, "aid_owner")
    _refused(response, "number_not_allowed", field)
