"""Hostile input: each is a clear 4xx problem with a code, never a 500 (on each backend)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from interfaces.http.limits import MAX_BODY_BYTES
from tests.api.support import API, Api, auth


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def case_id(api: Api) -> str:
    return api.walk_to("in_implementation")


def _problem(response: Any, status: int, *codes: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status and problem["request_id"] and problem["detail"]
    assert problem["code"] in codes, problem
    return problem


def _movement(**amount: Any) -> dict[str, Any]:
    return {"amount": {"amount": "10", "currency": "USD", **amount}, "vnd_rate": "25000",
            "aid_account": "VCB-1", "effective_date": "2025-03-01"}


def test_a_body_over_one_mebibyte_is_a_413_before_it_is_read(api: Api, case_id: str) -> None:
    body = json.dumps({**_movement(), "note": "x" * (MAX_BODY_BYTES + 1)}).encode()
    response = api.client.post(f"{API}/cases/{case_id}/disbursements", content=body,
                               headers={**auth("aid_owner"), "Content-Type": "application/json"})
    _problem(response, 413, "payload_too_large")
    assert api.get(f"/cases/{case_id}")["totals"]["disbursed"] in ("0", "0.00", 0)


def test_a_streamed_body_without_a_length_is_counted_and_refused_past_the_limit(
    api: Api, case_id: str
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"note": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"y" * 65536
        yield b'"}'

    response = api.client.post(f"{API}/cases/{case_id}/disbursements", content=chunks(),
                               headers={**auth("aid_owner"), "Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    _problem(response, 413, "payload_too_large")


def test_a_body_just_under_the_limit_is_read_and_validated(api: Api, case_id: str) -> None:
    body = json.dumps({**_movement(), "note": "z" * (MAX_BODY_BYTES - 1000)}).encode()
    assert len(body) < MAX_BODY_BYTES
    response = api.client.post(f"{API}/cases/{case_id}/disbursements", content=body,
                               headers={**auth("aid_owner"), "Content-Type": "application/json"})
    _problem(response, 422, "validation_error")  # the note's own max_length (2000)


def test_json_nested_ten_thousand_deep_is_a_422_not_a_recursion_error(
    api: Api, case_id: str
) -> None:
    deep = b"[" * 10_000 + b"]" * 10_000
    for body in (deep, b'{"note": ' + deep + b"}"):
        response = api.client.post(f"{API}/cases/{case_id}/disbursements", content=body,
                                   headers={**auth("aid_owner"),
                                            "Content-Type": "application/json"})
        _problem(response, 422, "malformed_body", "validation_error")


def test_a_hundred_thousand_character_title_is_a_422_naming_the_field(api: Api) -> None:
    response = api.raw_post("/cases", {
        "reference": "BN-2026-0500", "title": "T" * 100_000, "aid_form": "programme",
        "donor_id": api.donor(), "province": "BN", "managing_agency": "PPC", "aid_owner": "DoH",
        "sectors": [{"code": "14030", "percentage": "100"}], "planned_start": "2026-01-01",
        "planned_end": "2026-12-31", "requested": {"amount": "1000", "currency": "VND"}},
        "aid_owner")
    problem = _problem(response, 422, "validation_error")
    assert [e["field"] for e in problem["errors"]] == ["title"]
    assert "T" * 100 not in response.text  # the input is not echoed back


@pytest.mark.parametrize("field", ["note", "counterparty", "aid_account"])
def test_control_characters_in_any_text_are_a_422(api: Api, case_id: str, field: str) -> None:
    response = api.raw_post(f"/cases/{case_id}/disbursements",
                            {**_movement(), field: "VCB\x00-1"}, "aid_owner")
    problem = _problem(response, 422, "validation_error")
    assert [e["field"] for e in problem["errors"]] == [field]


@pytest.mark.parametrize("raw", [b"\xff\xfe{", b'{"note": "\xc3\x28"}', b"\x80" * 64])
def test_a_body_that_is_not_utf8_is_a_422(api: Api, case_id: str, raw: bytes) -> None:
    response = api.client.post(f"{API}/cases/{case_id}/disbursements", content=raw,
                               headers={**auth("aid_owner"), "Content-Type": "application/json"})
    _problem(response, 422, "malformed_body", "validation_error")


@pytest.mark.parametrize("amount", ["-5", "0", "10.001", "1e400", "NaN", "Infinity", "-0.01",
                                    "123456789012345678901234", "", " ", "1,5", 1e309])
def test_negative_zero_over_precise_or_absurd_amounts_are_a_422(
    api: Api, case_id: str, amount: Any
) -> None:
    body = _movement(amount=amount)
    content = json.dumps(body).replace("Infinity", "1e999").encode()  # JSON has no Infinity
    response = api.client.post(f"{API}/cases/{case_id}/disbursements", content=content,
                               headers={**auth("aid_owner"), "Content-Type": "application/json"})
    _problem(response, 422, "validation_error", "invalid_amount", "invalid_money",
             "amount_out_of_range", "number_not_allowed", "amount_not_positive",
             "too_many_decimals", "precision")


@pytest.mark.parametrize("currency", ["XYZ", "usd", "US", "", "ÜSD", "USDX"])
def test_unknown_or_malformed_currencies_are_a_422(api: Api, case_id: str,
                                                  currency: str) -> None:
    response = api.raw_post(f"/cases/{case_id}/disbursements", _movement(currency=currency),
                            "aid_owner")
    _problem(response, 422, "validation_error", "unknown_currency")


@pytest.mark.parametrize("day", ["3025-01-01", "9999-12-31", "1066-10-14", "2025-02-30",
                                 "2025-13-01", "tomorrow"])
def test_far_off_or_impossible_dates_are_a_422(api: Api, case_id: str, day: str) -> None:
    response = api.raw_post(f"/cases/{case_id}/disbursements",
                            {**_movement(), "effective_date": day}, "aid_owner")
    problem = _problem(response, 422, "validation_error")
    assert any(e["field"] == "effective_date" for e in problem["errors"])
