"""Every view can be taken away as CSV or an Excel workbook: all pages, the same filters and
scope, Vietnamese headers by default, numbers as numbers and dates as dates."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest

from interfaces.http.exports import XLSX
from interfaces.http.schemas import views as s
from interfaces.tables.columns import columns_of
from interfaces.tables.labels import label
from interfaces.tables.writers import csv_cell
from tests.api.seeded_views import VIEWS, Seeded
from tests.api.support import API, auth

ITEMS = {"cases": s.CaseSummaryItem, "portfolio": s.PortfolioRow, "donors": s.DonorStatusItem,
         "compliance": s.ComplianceFlagItem, "obligations": s.ObligationItem}


def _csv(seeded: Seeded, view: str, **params: Any) -> list[list[str]]:
    response = seeded.get(f"/views/{view}", format="csv", **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="{view}-' in response.headers["content-disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _workbook(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def _json_items(seeded: Seeded, view: str) -> list[dict[str, Any]]:
    return seeded.get(f"/views/{view}", limit=200, state="all").json()["items"] \
        if view == "compliance" else seeded.get(f"/views/{view}", limit=200).json()["items"]


def test_every_column_of_every_view_has_a_vietnamese_and_an_english_header() -> None:
    for view, model in ITEMS.items():
        for column in columns_of(model):
            assert label(view, column.name, "vi") and label(view, column.name, "en")


@pytest.mark.parametrize("view", VIEWS)
def test_a_csv_export_holds_every_row_of_every_page_under_vietnamese_headers(
        seeded: Seeded, view: str) -> None:
    params = {"state": "all"} if view == "compliance" else {}
    rows = _csv(seeded, view, limit=1, **params)
    expected = _json_items(seeded, view)
    headers = [label(view, c.name, "vi") for c in columns_of(ITEMS[view])]
    assert rows[0] == headers
    body = rows[1:-1] if view == "portfolio" else rows[1:]  # the portfolio ends with its total
    assert len(body) == len(expected)
    assert expected, f"the seeded {view} view has rows"


def test_the_headers_are_english_on_request_or_by_accept_language(seeded: Seeded) -> None:
    english = [label("donors", c.name, "en") for c in columns_of(s.DonorStatusItem)]
    assert _csv(seeded, "donors", lang="en")[0] == english
    response = seeded.client.get(f"{API}/views/donors", headers={
        **auth("viewer"), "Accept": "text/csv", "Accept-Language": "en-GB,en;q=0.8"})
    assert response.headers["content-type"].startswith("text/csv")
    assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == english


def test_a_workbook_holds_numbers_as_numbers_dates_as_dates_and_vnd_without_decimals(
        seeded: Seeded) -> None:
    response = seeded.client.get(f"{API}/views/cases",
                                 headers={**auth("viewer"), "Accept": XLSX})
    assert response.headers["content-type"] == XLSX
    header, *rows = _workbook(response.content)
    item = seeded.get("/views/cases").json()["items"][0]
    row = dict(zip([c.name for c in columns_of(s.CaseSummaryItem)], rows[0], strict=True))
    assert header[1] == "Số hiệu hồ sơ" and row["reference"] == item["reference"]
    assert isinstance(row["approved"], int | float)
    assert row["approved"] == float(item["approved"])
    assert isinstance(row["received_vnd"], int | float)
    assert row["received_vnd"] == int(item["received_vnd"])
    assert isinstance(row["opened_on"], datetime)
    assert row["opened_on"].date().isoformat() == item["opened_on"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {c.column_letter: c for c in next(book.worksheets[0].iter_rows(min_row=2))}
    names = [c.name for c in columns_of(s.CaseSummaryItem)]
    letter = openpyxl.utils.get_column_letter
    assert cells[letter(names.index("received_vnd") + 1)].number_format == "#,##0"
    assert cells[letter(names.index("opened_on") + 1)].number_format == "dd/mm/yyyy"


def test_the_portfolio_workbook_ends_with_the_totals_of_the_view(seeded: Seeded) -> None:
    totals = seeded.get("/views/portfolio", group_by="province").json()["totals"]
    response = seeded.get("/views/portfolio", group_by="province", format="xlsx", lang="en")
    *_, last = _workbook(response.content)
    names = [c.name for c in columns_of(s.PortfolioRow)]
    row = dict(zip(names, last, strict=True))
    assert row["province"] == "Total" and row["case_count"] == totals["case_count"]
    assert row["approved_vnd"] == int(totals["approved_vnd"])


def test_an_export_keeps_the_filters_and_the_callers_provinces(seeded: Seeded) -> None:
    assert len(_csv(seeded, "cases", status="closed")) == 1  # the header alone
    response = seeded.client.get(f"{API}/views/cases", params={"format": "csv"},
                                 headers=auth("viewer", provinces=["HN"]))
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 1


def test_a_bad_format_or_filter_is_a_problem_not_a_file(seeded: Seeded) -> None:
    bad_format = seeded.get("/views/cases", format="pdf")
    assert bad_format.status_code == 422
    assert bad_format.headers["content-type"] == "application/problem+json"
    bad_filter = seeded.get("/views/cases", format="xlsx", sort="nosuch")
    assert bad_filter.status_code == 422 and bad_filter.json()["code"] == "invalid_sort"


def test_a_refused_media_type_is_never_chosen_and_json_wins_when_preferred(
        seeded: Seeded) -> None:
    for accept, expected in (("application/json, text/csv;q=0", "application/json"),
                             ("text/csv;q=0.5, application/json", "application/json"),
                             ("application/json;q=0.2, text/csv", "text/csv")):
        response = seeded.client.get(f"{API}/views/donors",
                                     headers={**auth("viewer"), "Accept": accept})
        assert response.headers["content-type"].startswith(expected), accept


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    assert [csv_cell(v) for v in ('=HYPERLINK("x")', "+1", "@SUM(A1)", "Nước", None, True)] \
        == ["'=HYPERLINK(\"x\")", "'+1", "'@SUM(A1)", "Nước", "", "true"]
