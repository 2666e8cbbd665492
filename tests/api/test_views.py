"""GET /api/v1/views/*: filters, sorts, cursor pages, province scope, as_of, min_position."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from interfaces.http.app import create_app
from tests.api.support import API, Api, auth


@dataclass
class Dataset:
    in_implementation: str
    approved_vnd: str
    water_hn: str
    school_hn: str
    small_bn: str
    relief_bn: str
    donor_hn: str
    head: int

    @property
    def all(self) -> set[str]:
        return {self.in_implementation, self.approved_vnd, self.water_hn, self.school_hn,
                self.small_bn, self.relief_bn}

    @property
    def hn(self) -> set[str]:
        return {self.water_hn, self.school_hn}


@pytest.fixture
def data(client: TestClient, container: Container) -> Dataset:
    api = Api(client)
    in_implementation = api.walk_to("in_implementation")
    approved_vnd = api.walk_to("approved", currency="VND")
    donor = api.donor()
    water = api.open_case(donor, aid_form="programme", amount="5000", province="HN",
                          title="Nước sạch cho Hà Nội",
                          sectors=[{"code": "14030", "percentage": "60"},
                                   {"code": "12220", "percentage": "40"}])
    school = api.open_case(donor, aid_form="non_project_goods", amount="7000", province="HN",
                           title="Trường học", sectors=[{"code": "11220", "percentage": "100"}])
    small = api.open_case(api.donor(), amount="300")
    relief = api.open_case(api.donor(), aid_form="disaster_relief", amount="900")
    return Dataset(in_implementation, approved_vnd, water, school, small, relief, donor,
                   container.runner.head())


def get(client: TestClient, path: str, expect: int = 200, role: str = "viewer",
        provinces: list[str] | None = None, **params: Any) -> dict[str, Any]:
    response = client.get(API + path, params=params, headers=auth(role, provinces=provinces))
    assert response.status_code == expect, (path, response.status_code, response.text)
    return response.json()  # type: ignore[no-any-return]


def pages(client: TestClient, path: str, limit: int, **params: Any) -> Iterator[dict[str, Any]]:
    """Every page of a view, following next_cursor until the last page."""
    cursor = None
    for _ in range(100):
        page = get(client, path, limit=limit, **({"cursor": cursor} if cursor else {}), **params)
        assert len(page["items"]) <= limit
        yield page
        cursor = page["next_cursor"]
        if cursor is None:
            return
    raise AssertionError("the cursor never ended")


def walk(client: TestClient, path: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    return [item for page in pages(client, path, limit, **params) for item in page["items"]]


# --- /views/cases -----------------------------------------------------------------------------

@pytest.mark.parametrize("sort", ["reference", "-reference", "approved_vnd", "-approved_vnd",
                                  "-received_vnd", "next_report_due", "-last_event_at",
                                  "status", "province", "-title", "planned_end"])
def test_walking_every_page_of_cases_gives_each_case_once_in_order(
        client: TestClient, data: Dataset, sort: str) -> None:
    items = walk(client, "/views/cases", 2, sort=sort, min_position=data.head)
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) and set(ids) == data.all
    column = sort.lstrip("-")
    if column.endswith("_vnd"):
        values = [Decimal(i[column] or -1) for i in items]
        assert values == sorted(values, reverse=sort.startswith("-"))
    everything = get(client, "/views/cases", limit=200, sort=sort)["items"]
    assert [i["id"] for i in everything] == ids  # pages concatenate to the one-page answer


def test_a_case_in_the_list_carries_its_amounts_dates_and_sectors(client: TestClient,
                                                                  data: Dataset) -> None:
    [case] = get(client, "/views/cases", min_position=data.head, q=get(
        client, f"/cases/{data.in_implementation}")["reference"])["items"]
    assert (case["status"], case["iati_status"], case["currency"]) == (
        "in_implementation", 2, "USD")
    assert (case["approved"], case["received"], case["approved_vnd"],
            case["received_vnd"]) == ("100000.00", "100000.00", "2500000000", "2500000000")
    assert (case["actual_start"], case["next_report_due"]) == ("2025-02-01", "2025-07-20")
    assert case["sectors"] == [{"code": "12220", "percentage": "100"}]
    assert case["donor_name"].startswith("Donor ") and case["open_flag_count"] >= 0
    [draft] = get(client, "/views/cases", q="truong hoc")["items"]
    assert (draft["approved"], draft["approved_vnd"], draft["received"]) == (None, None, "0.00")


def test_cases_filter_by_province_status_form_donor_sector_and_text(client: TestClient,
                                                                    data: Dataset) -> None:
    def ids(**params: Any) -> set[str]:
        return {i["id"] for i in get(client, "/views/cases", min_position=data.head,
                                     limit=200, **params)["items"]}

    assert ids(province="HN") == data.hn
    assert ids(province="HN,BN") == ids(province=["HN", "BN"]) == data.all
    assert ids(status="draft") == data.hn | {data.small_bn, data.relief_bn}
    assert ids(status=["approved", "in_implementation"]) == {data.in_implementation,
                                                            data.approved_vnd}
    assert ids(aid_form="disaster_relief") == {data.relief_bn}
    assert ids(donor_id=data.donor_hn) == data.hn
    assert ids(sector="14030") == {data.water_hn}
    assert ids(sector="12") == {data.water_hn, data.in_implementation, data.approved_vnd,
                                data.small_bn, data.relief_bn}
    assert ids(q="NUOC SACH") == ids(q="nước") == {data.water_hn}
    assert ids(q="100%") == set()  # LIKE wildcards are searched for literally
    assert ids(province="HN", status="approved") == set()


def test_report_overdue_is_judged_on_as_of(client: TestClient, data: Dataset) -> None:
    def overdue(as_of: str) -> set[str]:
        return {i["id"] for i in get(client, "/views/cases", min_position=data.head,
                                     as_of=as_of, report_overdue=True)["items"]}

    assert overdue("2025-07-20") == set()  # due on the 20th: overdue from the 21st
    assert overdue("2025-07-21") == {data.in_implementation}
    page = get(client, "/views/cases", as_of="2025-07-01", report_overdue=False, limit=200)
    assert page["as_of"] == "2025-07-01" and len(page["items"]) == 6


def test_a_caller_sees_only_the_cases_of_its_provinces(client: TestClient, data: Dataset
                                                       ) -> None:
    hn = walk(client, "/views/cases", 1, provinces=["HN"], min_position=data.head)
    assert {i["id"] for i in hn} == data.hn
    assert get(client, "/views/cases", provinces=["HN"], province="BN")["items"] == []
    assert get(client, "/views/cases", provinces=["HP"])["items"] == []
    donors = walk(client, "/views/donors", 200, provinces=["HN"])
    assert len(donors) == 5  # the register is not secret ...
    counts = {d["donor_id"]: d["active_cases"] for d in donors}
    assert counts[data.donor_hn] == 2 and sum(counts.values()) == 2  # ... its cases are
    portfolio = get(client, "/views/portfolio", provinces=["HN"], group_by="province")
    assert [r["province"] for r in portfolio["items"]] == ["HN"]
    assert portfolio["totals"]["case_count"] == 2


# --- /views/portfolio -------------------------------------------------------------------------

def test_portfolio_groups_sum_to_the_totals_and_page_without_gaps(client: TestClient,
                                                                  data: Dataset) -> None:
    full = get(client, "/views/portfolio", min_position=data.head, limit=200)
    assert full["group_by"] == ["province", "donor_id", "sector", "status", "year"]
    for sort in ("-approved_vnd", "sector", "-case_count", "status"):
        rows = walk(client, "/views/portfolio", 2, sort=sort)
        keys = [(r["province"], r["donor_id"], r["sector"], r["status"], r["year"])
                for r in rows]
        assert len(keys) == len(set(keys)) == len(full["items"])
    totals = full["totals"]
    assert totals["case_count"] == 6
    for column in ("approved_vnd", "received_vnd"):
        assert sum(Decimal(r[column]) for r in full["items"]) == Decimal(totals[column])
    # 100,000 USD at 25,000 plus 2,500,000,000 VND approved.
    assert totals["approved_vnd"] == "5000000000"
    by_status = get(client, "/views/portfolio", group_by="status", sort="status")["items"]
    assert [(r["status"], r["case_count"]) for r in by_status] == [
        ("approved", 1), ("draft", 4), ("in_implementation", 1)]
    assert all(r["province"] is None and r["sector"] is None for r in by_status)
    sectors = get(client, "/views/portfolio", group_by="sector", province="HN")["items"]
    assert {r["sector"]: r["case_count"] for r in sectors} == {
        "14030": 1, "12220": 1, "11220": 1}
    years = get(client, "/views/portfolio", group_by="year", year_from=2026)
    assert years["items"] == [] and years["totals"]["case_count"] == 0


# --- /views/donors ----------------------------------------------------------------------------

def test_donors_filter_sort_page_and_expire_as_of(client: TestClient, data: Dataset) -> None:
    donors = walk(client, "/views/donors", 2, sort="-active_cases", min_position=data.head)
    assert len({(d["donor_id"], d["certificate_no"]) for d in donors}) == len(donors) == 5
    assert [d["active_cases"] for d in donors] == sorted((d["active_cases"] for d in donors),
                                                         reverse=True)
    assert donors[0]["donor_id"] == data.donor_hn and donors[0]["active_cases"] == 2
    expiry = get(client, "/views/donors", as_of="2027-05-01", limit=1)["items"][0]
    assert (expiry["valid_to"], expiry["days_to_expiry"], expiry["expired"]) == (
        "2027-05-31", 30, False)
    assert get(client, "/views/donors", as_of="2027-06-01", expired=True)["items"][0][
        "days_to_expiry"] == -1
    assert get(client, "/views/donors", as_of="2026-01-01", expiring_within=30)["items"] == []
    assert len(get(client, "/views/donors", as_of="2027-05-01",
                   expiring_within=30)["items"]) == 5
    assert get(client, "/views/donors", province="HP")["items"] == []
    assert len(get(client, "/views/donors", province="HN", status="active",
                   kind="foreign_ngo")["items"]) == 5
    assert [d["code"] for d in get(client, "/views/donors", q="donor-")["items"]]


# --- /views/compliance and /views/obligations ------------------------------------------------

def test_compliance_flags_are_judged_on_as_of_and_counted_on_the_case(
        client: TestClient, data: Dataset) -> None:
    def flags(as_of: str, **params: Any) -> list[tuple[str, str]]:
        return sorted((f["case_id"], f["code"]) for f in walk(
            client, "/views/compliance", 1, min_position=data.head, as_of=as_of, **params))

    late = data.in_implementation  # no half-year report: C08 from 21 July 2025
    idle = data.approved_vnd  # approved on 25 January 2025, no receipt: C07 after 6 months
    assert flags("2025-07-20") == []
    assert flags("2025-08-01") == sorted([(late, "C08"), (idle, "C07")])
    assert flags("2025-08-01", code="C08") == [(late, "C08")]
    assert flags("2025-08-01", severity="critical") == []
    assert flags("2025-07-20", state="resolved") == []
    assert get(client, "/views/compliance", provinces=["HN"], as_of="2026-01-01")["items"] == []
    counts = {c["id"]: c["open_flag_count"] for c in walk(
        client, "/views/cases", 200, as_of="2026-03-01")}
    # Approved under Decree 80/2020 and active after 8 December 2025: C24 as well.
    assert [f[1] for f in flags("2026-03-01") if f[0] == late] == ["C08", "C08", "C24"]
    assert counts[late] == 3 and counts[idle] == 2 and counts[data.water_hn] == 0


def test_a_flag_says_whether_the_rules_it_rests_on_are_verified(
        client: TestClient, data: Dataset) -> None:
    found = {f["code"]: f for f in walk(client, "/views/compliance", 1,
                                        min_position=data.head, as_of="2025-08-01")}
    # Decree 80/2020 Art. 4 (six months to implement) was read; the report due days were not.
    assert found["C07"]["basis_verified"] is True and "Art. 4" in found["C07"]["rule_ref"]
    assert found["C08"]["basis_verified"] is False


def test_obligations_show_each_report_owed_with_its_status_on_as_of(client: TestClient,
                                                                     data: Dataset) -> None:
    items = walk(client, "/views/obligations", 1, min_position=data.head, as_of="2026-03-01",
                 sort="due_on")
    assert [(o["case_id"], o["kind"], o["status"], o["due_on"]) for o in items] == [
        (data.in_implementation, "half_year", "overdue", "2025-07-20"),
        (data.in_implementation, "annual", "overdue", "2026-01-30"),
        (data.in_implementation, "half_year", "upcoming", "2026-07-20"),  # periods begun
        (data.in_implementation, "annual", "upcoming", "2027-01-30")]
    upcoming = get(client, "/views/obligations", as_of="2025-07-01", status="due")["items"]
    assert [(o["kind"], o["overdue"]) for o in upcoming] == [("half_year", False)]
    assert get(client, "/views/obligations", provinces=["HN"], as_of="2026-03-01")[
        "items"] == []
    assert get(client, "/views/obligations", as_of="2026-03-01", kind="annual",
               due_to="2026-01-01")["items"] == []


# --- read-your-writes and errors ----------------------------------------------------------------

def test_min_position_returns_once_the_view_has_caught_up(client: TestClient) -> None:
    api = Api(client)
    donor = api.donor()
    opened = client.post(API + "/cases", headers=auth("aid_owner"), json={
        "reference": "HN-2025-7777", "title": "Read your writes", "aid_form": "programme",
        "donor_id": donor, "province": "HN", "managing_agency": "PPC", "aid_owner": "DoH",
        "sectors": [{"code": "12220", "percentage": "100"}], "planned_start": "2025-01-01",
        "planned_end": "2025-12-31", "requested": {"amount": "10", "currency": "USD"},
        "requested_vnd_rate": "25000"}).json()
    for path in ("/views/cases", "/views/portfolio", "/views/donors", "/views/compliance",
                 "/views/obligations"):
        page = get(client, path, min_position=opened["position"])
        assert page["position"] >= opened["position"]
    assert [i["reference"] for i in get(client, "/views/cases",
                                        min_position=opened["position"])["items"]] == [
        "HN-2025-7777"]


def test_a_position_the_views_do_not_reach_in_time_answers_503(settings: Settings) -> None:
    quick = Settings(**{**settings.model_dump(), "min_position_timeout_seconds": 0.2,
                        "inprocess_projections": False})  # nothing keeps the views up
    container = build_container(quick)
    try:
        with TestClient(create_app(container=container), raise_server_exceptions=False) as c:
            written = Api(c).post("/donors", {"code": "LATE-1", "name": "Late", "country": "GB",
                                              "kind": "other"}, "registry_officer", 201)
            response = c.get(API + "/views/donors", params={
                "min_position": written["position"]}, headers=auth("viewer"))
            assert response.status_code == 503
            problem = response.json()
            assert problem["code"] == "view_not_caught_up"
            assert str(written["position"]) in problem["detail"]
            assert response.headers["Retry-After"] == "1"
            assert get(c, "/views/cases", min_position=0)["items"] == []
    finally:
        container.close()


def test_a_position_beyond_the_log_head_is_a_422_at_once(client: TestClient) -> None:
    response = client.get(API + "/views/cases", params={"min_position": 10**9},
                          headers=auth("viewer"))
    assert response.status_code == 422
    assert response.json()["code"] == "min_position_beyond_head"


def _cursor(sort: str, keys: list[Any]) -> str:
    raw = json.dumps({"s": sort, "k": keys}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(("path", "params", "code"), [
    ("/views/cases", {"sort": "description"}, "invalid_sort"),
    ("/views/cases", {"sort": "--reference"}, "invalid_sort"),
    ("/views/cases", {"cursor": "not-a-cursor!"}, "invalid_cursor"),
    ("/views/cases", {"cursor": _cursor("title", ["x", "y"])}, "invalid_cursor"),
    ("/views/cases", {"cursor": _cursor("reference", ["x"])}, "invalid_cursor"),
    ("/views/cases", {"as_of": "2025-13-01"}, "validation_error"),
    ("/views/cases", {"limit": 201}, "validation_error"),
    ("/views/cases", {"limit": 0}, "validation_error"),
    ("/views/cases", {"min_position": -1}, "validation_error"),
    ("/views/cases", {"status": "dreaming"}, "invalid_filter"),
    ("/views/cases", {"sector": "12a"}, "invalid_filter"),
    ("/views/cases", {"donor_id": "nobody"}, "validation_error"),
    ("/views/portfolio", {"group_by": "colour"}, "invalid_group_by"),
    ("/views/portfolio", {"group_by": "province", "sort": "sector"}, "invalid_sort"),
    ("/views/portfolio", {"donor_id": "nobody"}, "invalid_filter"),
    ("/views/donors", {"sort": "country"}, "invalid_sort"),
    ("/views/donors", {"kind": "alien"}, "invalid_filter"),
    ("/views/donors", {"as_of": "soon"}, "validation_error"),
    ("/views/compliance", {"sort": "colour"}, "invalid_sort"),
    ("/views/compliance", {"state": "dormant"}, "invalid_state"),
    ("/views/compliance", {"severity": "mild"}, "invalid_severity"),
    ("/views/compliance", {"cursor": "eyJ4IjoxfQ"}, "invalid_cursor"),
    ("/views/obligations", {"status": "late"}, "invalid_status"),
    ("/views/obligations", {"due_from": "2025-02-30"}, "validation_error"),
    ("/views/obligations", {"sort": "-colour"}, "invalid_sort"),
])
def test_bad_query_parameters_are_422_problems(client: TestClient, path: str,
                                               params: dict[str, Any], code: str) -> None:
    problem = get(client, path, expect=422, **params)
    assert problem["code"] == code and problem["status"] == 422


def test_a_cursor_of_a_walked_page_cannot_be_reused_with_another_sort(client: TestClient,
                                                                       data: Dataset) -> None:
    cursor = get(client, "/views/cases", limit=1, min_position=data.head)["next_cursor"]
    assert cursor
    assert get(client, "/views/cases", expect=422, cursor=cursor, sort="-reference")[
        "code"] == "invalid_cursor"


def test_views_need_a_token(client: TestClient) -> None:
    for path in ("/views/cases", "/views/portfolio", "/views/donors", "/views/compliance",
                 "/views/obligations"):
        assert client.get(API + path).status_code == 401
