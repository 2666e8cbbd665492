"""The report on aid received and used: for a province and a period, balanced to the dong,
agreeing with the portfolio, and the same bytes when made again at its log position."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from interfaces.cli.main import main
from tests.api.seeded_views import served
from tests.api.support import API, Api, auth, doc
from tests.conftest import TEST_SECRET

REPORT = f"{API}/reports/aid-received"
MONEY = ("opening", "received", "used", "refunded", "closing")


@dataclass
class Office:
    client: TestClient
    api: Api
    cash_case: str
    url: str

    def report(self, expect: int = 200, **params: Any) -> Any:
        response = self.client.get(REPORT, params={"province": "BN", **params},
                                   headers=auth("viewer"))
        assert response.status_code == expect, response.text
        return response


@pytest.fixture(scope="module")
def office(module_store: str) -> Iterator[Office]:
    with served(module_store) as (container, client):
        api = Api(client)
        api.walk_to("completed")  # 100,000 USD received, disbursed and spent in 2025-H1
        cash_case = api.walk_to("in_implementation")  # 100,000 USD received on 1 Feb 2025
        api.money(cash_case, "receipts", "2000", "2025-05-01", in_kind=True,
                  goods={"kind": "Gạo", "quantity": "1500", "unit": "kg"})
        api.money(cash_case, "receipts", "100", "2025-06-01", in_kind=True,
                  goods={"kind": "Gạo", "quantity": "100.5", "unit": "kg"})
        api.money(cash_case, "disbursements", "30000", "2025-08-01")
        assert any(container.wait_for_views(container.runner.head()) for _ in range(1000))
        yield Office(client, api, cash_case, module_store)


def test_every_row_balances_to_the_dong_in_its_currency_and_in_vnd(office: Office) -> None:
    for period in ("2025-H1", "2025-H2", "2025", "2025-08"):
        rows = office.report(period=period).json()["rows"]
        assert rows
        for row in rows:
            for suffix in ("", "_vnd"):
                opening, received, used, refunded, closing = (
                    Decimal(row[f"{k}{suffix}"]) for k in MONEY)
                assert opening + received - used - refunded == closing, row


def test_the_half_years_carry_the_balance_over(office: Office) -> None:
    first = {(r["reference"], r["section"]): r
             for r in office.report(period="2025-H1").json()["rows"]}
    second = {(r["reference"], r["section"]): r
              for r in office.report(period="2025-H2").json()["rows"]}
    for key, row in second.items():  # a case that did not move before opens at nil
        assert Decimal(row["opening_vnd"]) == Decimal(first.get(key, {}).get("closing_vnd", 0))
    cash = next(r for (ref, section), r in first.items() if section == "cash"
                and Decimal(r["closing"]) == 100000)
    assert Decimal(cash["received_vnd"]) == Decimal(100000 * 25000)
    assert {section for _, section in first} == {"cash", "in_kind"}


def test_the_totals_of_the_year_equal_the_portfolio_of_the_province(office: Office) -> None:
    totals = office.report(period="2025").json()["totals"]
    portfolio = office.client.get(f"{API}/views/portfolio", params={"province": "BN",
                                  "group_by": "province"}, headers=auth("viewer")).json()
    p = portfolio["totals"]
    assert Decimal(totals["received_vnd"]) == Decimal(p["received_vnd"])
    assert Decimal(totals["used_vnd"]) == Decimal(p["disbursed_vnd"]) + Decimal(p["spent_vnd"])
    assert Decimal(totals["opening_vnd"]) == 0


def test_a_report_made_again_at_its_position_is_the_same_file(office: Office) -> None:
    first = office.report(period="2025", format="xlsx")
    position = office.report(period="2025").json()["position"]
    office.api.money(office.cash_case, "receipts", "500", "2025-09-01")
    again = office.report(period="2025", format="xlsx", position=position)
    assert again.content == first.content
    assert office.report(period="2025", format="xlsx").content != first.content
    csv_first = office.report(period="2025", format="csv", position=position).content
    assert office.report(period="2025", format="csv", position=position).content == csv_first


def test_the_workbook_has_its_header_vietnamese_columns_and_numeric_totals(
        office: Office) -> None:
    response = office.report(period="2025-H1", format="xlsx")
    assert 'filename="aid-received-BN-2025-H1.xlsx"' in response.headers["content-disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
                .iter_rows(values_only=True))
    assert rows[0][0] == "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ SỬ DỤNG VIỆN TRỢ"
    header = next(r for r in rows if r[0] == "Loại viện trợ")
    total = rows[-1]
    assert total[0] == "Tổng cộng"
    received = total[header.index("Tiếp nhận trong kỳ (VND)")]
    assert isinstance(received, int | float) and received == (100000 + 100000 + 2000 + 100) * 25000
    assert any(r[0] == "Viện trợ bằng hiện vật (hàng hóa)" for r in rows)
    english = office.report(period="2025-H1", format="csv", lang="en").content
    lines = list(csv.reader(io.StringIO(english.decode("utf-8-sig"))))
    assert lines[0] == ["REPORT ON AID RECEIVED AND USED"]
    assert any(line[:1] == ["Category"] for line in lines)


def test_a_province_outside_the_token_a_bad_period_or_position_is_refused(
        office: Office) -> None:
    foreign = office.client.get(REPORT, params={"province": "BN", "period": "2025"},
                                headers=auth("viewer", provinces=["HN"]))
    assert foreign.status_code == 403 and foreign.json()["code"] == "province_not_in_scope"
    assert office.report(422, period="2025-H3").json()["code"] == "invalid_period"
    assert office.report(422, period="2021").json()["code"] == "no_report_layout"
    assert office.report(422, period="2025", position=10**9).json()["code"] == \
        "position_beyond_head"


def test_the_command_line_writes_the_same_workbook_as_the_api(
        office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    position = office.report(period="2025-H1").json()["position"]
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", office.url)
    monkeypatch.setenv("AIDTRAIL_JWT_SECRET", TEST_SECRET)
    out = tmp_path / "report.xlsx"
    sys.argv = ["aidtrail", "report", "aid-received", "--province", "BN", "--period",
                "2025-H1", "--position", str(position), "--out", str(out)]
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 0, capsys.readouterr().err
    assert f"log position {position}" in capsys.readouterr().out
    api = office.report(period="2025-H1", format="xlsx", position=position).content
    assert out.read_bytes() == api


def test_goods_received_in_kind_are_summed_by_kind_and_unit(office: Office) -> None:
    rows = office.report(period="2025-H1").json()["rows"]
    in_kind = next(r for r in rows if r["section"] == "in_kind")
    assert in_kind["goods"] == "Gạo: 1600.5 kg"
    assert Decimal(in_kind["received"]) == 2100


def test_goods_on_a_cash_receipt_or_a_bad_quantity_are_refused(office: Office) -> None:
    cash = office.api.money(office.cash_case, "receipts", "1", "2025-06-02", expect=422,
                            goods={"kind": "Gạo", "quantity": "1", "unit": "kg"})
    assert cash["code"] == "goods_without_in_kind"
    bad = office.api.money(office.cash_case, "receipts", "1", "2025-06-02", expect=422,
                           in_kind=True, goods={"kind": "Gạo", "quantity": "0", "unit": "kg"})
    assert bad["code"] == "invalid_goods"


def test_state_budget_aid_is_shown_apart_with_its_budget_entries(office: Office) -> None:
    api = office.api
    case_id = api.open_case(api.donor(), province="HN", state_budget_revenue=True)
    api.submit(case_id)
    api.appraise(case_id)
    api.approve(case_id)
    api.money(case_id, "receipts", "40000", "2025-02-01")
    api.post(f"/cases/{case_id}/budget-entries", {
        "reference": "GBC-0042/KBNN", "document": doc("other"),
        "effective_date": "2025-02-10"}, "aid_owner")
    response = office.client.get(REPORT, params={"province": "HN", "period": "2025-H1"},
                                 headers=auth("viewer"))
    rows = response.json()["rows"]
    assert [(r["section"], r["budget_entry"]) for r in rows] == [
        ("state_budget", "GBC-0042/KBNN")]
    assert Decimal(response.json()["totals"]["sections"]["state_budget"]["received_vnd"]) == \
        40000 * 25000


def test_after_the_merger_the_report_of_bac_ninh_holds_the_cases_opened_in_bac_giang(
        office: Office) -> None:
    api = office.api
    case_id = api.open_case(api.donor(provinces=("BG", "BN")), province="BG")
    api.submit(case_id)
    api.appraise(case_id)
    api.approve(case_id)
    api.money(case_id, "receipts", "1000", "2025-08-01")
    reference = api.get(f"/cases/{case_id}")["reference"]
    after = [r["reference"] for r in office.report(period="2025-H2").json()["rows"]]
    before = [r["reference"] for r in office.report(period="2025-H1").json()["rows"]]
    assert reference in after and reference not in before
