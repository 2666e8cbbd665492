"""A problem's ``detail`` follows ``Accept-Language``: English by default (existing clients read
it unchanged), the code's Vietnamese sentence when Vietnamese is preferred, with the English
specifics kept in ``detail_en``."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from interfaces.http.languages import preferred
from interfaces.http.problem_types import EXPLANATIONS, FAMILIES
from interfaces.web.i18n import gettext
from tests.api.support import API, auth


def _missing_case(client: TestClient, **headers: str) -> dict[str, object]:
    answer = client.get(f"{API}/cases/{uuid.uuid4()}", headers={**auth("viewer"), **headers})
    assert answer.status_code == 404
    assert answer.headers["vary"] == "Accept-Language"
    return {"language": answer.headers["content-language"], **answer.json()}


def test_a_problem_is_in_english_without_accept_language(client: TestClient) -> None:
    problem = _missing_case(client)
    assert problem["language"] == "en" and problem["code"] == "case_not_found"
    assert str(problem["detail"]).startswith("case ") and "detail_en" not in problem


def test_a_problem_asked_for_in_vietnamese_explains_its_code_in_vietnamese(
        client: TestClient) -> None:
    problem = _missing_case(client, **{"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.8"})
    assert problem["language"] == "vi"
    assert problem["detail"] == ("Hồ sơ không tồn tại, hoặc thuộc tỉnh/thành phố ngoài phạm "
                                 "vi của bạn.")
    assert str(problem["detail_en"]).startswith("case ") and problem["code"] == "case_not_found"


def test_a_validation_problem_in_vietnamese_keeps_its_errors_and_english_detail(
        client: TestClient) -> None:
    answer = client.post(f"{API}/cases", content=b"{not json",
                         headers={**auth("aid_owner"), "Accept-Language": "vi",
                                  "Content-Type": "application/json"})
    problem = answer.json()
    assert answer.status_code == 422 and problem["code"] == "validation_error"
    assert problem["detail"] == ("Nội dung yêu cầu hoặc một tham số không đúng lược đồ; "
                                 "`errors` nêu từng trường.")
    assert "JSON" in str(problem["detail_en"]) and problem["errors"][0]["field"]


@pytest.mark.parametrize(("header", "language"), [
    (None, "en"), ("", "en"), ("vi", "vi"), ("VI-vn", "vi"), ("en-GB", "en"),
    ("en;q=0.5, vi;q=0.8", "vi"), ("vi;q=0.3, en", "en"), ("vi;q=0", "en"),
    ("fr, de;q=0.9", "en"), ("*", "en"), ("fr, vi;q=0.1", "vi"), ("vi, en", "vi"),
    ("en, vi", "en"), ("vi;q=abc", "en"), ("vi;q=2", "en"),
])
def test_the_preferred_language_follows_the_quality_values(header: str | None,
                                                           language: str) -> None:
    assert preferred(header) == language


def test_every_explained_code_has_a_vietnamese_sentence_of_its_own() -> None:
    for code, text in {**FAMILIES, **EXPLANATIONS}.items():
        vi = gettext("vi", text)
        assert vi and vi != text, code


def test_a_problem_codes_page_gives_its_vietnamese_sentence_too(client: TestClient) -> None:
    page = client.get("/problems/overspending")
    assert page.status_code == 200 and EXPLANATIONS["overspending"] in page.text
    assert '<p lang="vi">Số đã giải ngân và đã chi sẽ vượt' in page.text
    index = client.get("/problems").text
    assert '<p lang="vi">Không phải mã tiền tệ ISO 4217.</p>' in index
