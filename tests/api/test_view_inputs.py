"""What a client sends to the views is checked before it reaches SQL: tampered cursors, control
characters in a query, dates past the calendar's end; and the OpenAPI document says so."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.seeded_views import Seeded, cursor
from tests.api.support import API, auth, doc

# (view, its sort, a cursor's values) for each way a client can break a cursor. Sorting the
# cases by approved_vnd makes the first value an integer column, the donors by name a text one.
TAMPERED = {
    "an integer beyond 64 bits": ("cases", "approved_vnd", [2**63, "x"]),
    "a lone surrogate": ("cases", "reference", ["\ud800", "x"]),
    "a number for a text column": ("cases", "reference", [1, 2]),
    "a NUL": ("donors", "name", ["\x00", "x", "y"]),
    "text for an integer column": ("cases", "approved_vnd", ["x", "y"]),
    "a NUL in the other stack": ("obligations", "due_on", ["\x00", "x", "y", "z"]),
    "a number for text in the other stack": ("compliance", "code", [1, 2, 3, 4]),
    "an integer beyond 64 bits in the other stack": (
        "compliance", "updated_position", [2**63, "x", "y", "z"]),
}


def problem(response: Any, code: str, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code, body
    assert body["errors"][0]["field"] == field, body


@pytest.mark.parametrize("case", list(TAMPERED), ids=list(TAMPERED))
def test_a_tampered_cursor_is_refused_as_invalid_on_both_stacks(seeded: Seeded,
                                                               case: str) -> None:
    view, sort, values = TAMPERED[case]
    response = seeded.get(f"/views/{view}", sort=sort, cursor=cursor(sort, values))
    problem(response, "invalid_cursor", "cursor")


def test_a_cursor_nested_beyond_the_parser_depth_is_refused(seeded: Seeded) -> None:
    response = seeded.get("/views/cases", cursor="W1tb" * 500)  # "[[[" * 500
    problem(response, "invalid_cursor", "cursor")


def test_a_cursor_the_server_wrote_still_pages_on(seeded: Seeded) -> None:
    first = seeded.get("/views/donors", limit=1, sort="-active_cases").json()
    assert first["next_cursor"], first
    after = seeded.get("/views/donors", limit=1, sort="-active_cases",
                       cursor=first["next_cursor"])
    assert after.status_code == 200, after.text
    assert after.json()["items"] != first["items"]


@pytest.mark.parametrize("view", ["cases", "donors"])
def test_a_nul_in_the_search_text_is_refused_naming_the_parameter(seeded: Seeded,
                                                                 view: str) -> None:
    problem(seeded.get(f"/views/{view}", q="water\x00"), "control_character_in_query", "q")


def test_a_newline_in_any_query_parameter_is_refused(seeded: Seeded) -> None:
    response = seeded.get("/views/compliance", province="HN\n")
    problem(response, "control_character_in_query", "province")


@pytest.mark.parametrize("query", [
    {"as_of": "9999-12-31"},
    {"as_of": "1899-12-31"},
    {"due_to": "9999-12-31"},
], ids=["as_of far ahead", "as_of far back", "a due date far ahead"])
def test_a_date_beyond_the_calendar_of_the_views_is_refused(seeded: Seeded,
                                                           query: dict[str, str]) -> None:
    field = next(iter(query))
    problem(seeded.get("/views/obligations", **query), "date_out_of_range", field)


def test_an_expiry_window_from_the_last_day_is_refused(seeded: Seeded) -> None:
    response = seeded.get("/views/donors", as_of="9999-12-31", expiring_within=1)
    problem(response, "date_out_of_range", "as_of")


@pytest.mark.parametrize("form", ["braces", "urn", "bare hex"])
def test_a_case_id_in_a_form_other_than_the_canonical_one_is_refused(
        seeded: Seeded, form: str) -> None:
    case_id = seeded.case_id
    path_id = {"braces": f"{{{case_id}}}", "urn": f"urn:uuid:{case_id}",
               "bare hex": case_id.replace("-", "")}[form]
    response = seeded.client.get(f"{API}/cases/{path_id}", headers=auth("viewer"))
    problem(response, "validation_error", "path.case_id")
    same = seeded.client.get(f"{API}/cases/{case_id.upper()}", headers=auth("viewer"))
    assert same.status_code == 200, same.text


def test_a_portfolio_donor_filter_in_capitals_finds_the_donor(seeded: Seeded) -> None:
    page = seeded.get("/views/portfolio", donor_id=seeded.donor_id.upper()).json()
    assert page["totals"]["case_count"] == 1, page
    problem(seeded.get("/views/portfolio", donor_id=seeded.donor_id.replace("-", "")),
            "invalid_filter", "donor_id")


def test_if_match_takes_a_star_or_a_version_and_refuses_anything_else(
        seeded: Seeded) -> None:
    path = f"{API}/cases/{seeded.case_id}/documents"
    body = {"document": doc("other"), "effective_date": "2025-08-01"}
    for value, refused in [("3 or 4", True), ("", True), (" * ", False), ('W/"999"', False)]:
        response = seeded.client.post(path, json=body,
                                      headers={**auth("aid_owner"), "If-Match": value})
        assert (response.json()["code"] == "invalid_if_match") is refused, (value, response.text)


def _parameters(seeded: Seeded, path: str, method: str = "get") -> dict[str, Any]:
    spec = seeded.client.get("/openapi.json").json()
    return {p["name"]: p["schema"] for p in spec["paths"][API + path][method]["parameters"]}


def _given(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a parameter that may be left out (FastAPI writes anyOf with null)."""
    return next(s for s in schema.get("anyOf", [schema]) if s.get("type") != "null")


def test_the_openapi_document_declares_what_the_views_enforce(seeded: Seeded) -> None:
    cases = _parameters(seeded, "/views/cases")
    assert "in_implementation" in _given(cases["status"])["items"]["enum"]
    assert _given(cases["donor_id"])["format"] == "uuid"
    assert _given(cases["sector"])["minLength"] == 1
    assert _given(_parameters(seeded, "/views/donors")["province"])["minLength"] == 1
    assert _given(_parameters(seeded, "/views/obligations")["status"])["items"]["enum"] == [
        "accepted", "due", "overdue", "returned", "submitted", "upcoming"]
    portfolio = _given(_parameters(seeded, "/views/portfolio")["donor_id"])
    assert "pattern" in portfolio["items"]


def test_the_openapi_document_declares_canonical_path_ids_and_the_if_match_format(
        seeded: Seeded) -> None:
    submit = _parameters(seeded, "/cases/{case_id}/submit", "post")
    assert submit["case_id"]["format"] == "uuid"
    assert submit["case_id"]["pattern"].startswith("^[0-9A-Fa-f]{8}-")
    assert "[0-9]{1,18}" in _given(submit["If-Match"])["pattern"]
    assert _parameters(seeded, "/donors/{donor_id}")["donor_id"]["format"] == "uuid"
