"""The 2025 map over HTTP: a case keeps the province it was opened in, and tokens, filters,
the portfolio and IATI resolve provinces through the register (on both backends)."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from lxml import etree

from interfaces.container import Container
from tests.api.support import API, Api, auth, doc


def _bac_giang_case(api: Api) -> str:
    """A case opened in Bắc Giang (BG) in March 2025, before it merged into Bắc Ninh (BN)."""
    return api.open_case(api.donor(provinces=("BN", "BG")), province="BG",
                         effective_date="2025-03-01", commune_code="07210",
                         commune_name="Xã Tân Sỏi", former_district="Yên Thế",
                         aid_owner_kind="commune",
                         managing_agency="Bac Giang Provincial People's Committee")


def _approved_bac_giang_case(api: Api) -> str:
    case_id = _bac_giang_case(api)
    api.submit(case_id)
    api.appraise(case_id)
    api.approve(case_id)
    return case_id


def _get(client: TestClient, path: str, provinces: list[str], expect: int = 200,
         **params: Any) -> Any:
    if path.startswith("/views/"):  # read your writes: wait for the log head
        container: Container = client.app.state.container  # type: ignore[attr-defined]
        params["min_position"] = container.runner.head()
    response = client.get(API + path, params=params, headers=auth("viewer", provinces=provinces))
    assert response.status_code == expect, response.text
    return response.json() if expect == 200 else None


def test_a_bac_ninh_token_sees_and_acts_on_a_case_opened_in_bac_giang(client: TestClient) -> None:
    case_id = _bac_giang_case(Api(client))

    seen = _get(client, f"/cases/{case_id}", ["BN"])
    attached = client.post(f"{API}/cases/{case_id}/documents",
                           json={"document": doc("request"), "effective_date": "2025-08-01"},
                           headers=auth("aid_owner", provinces=["BN"]))

    assert seen["province"] == "BG"  # the case keeps the province it was opened in
    assert attached.status_code == 200, attached.text
    _get(client, f"/cases/{case_id}", ["HN"], expect=404)


def test_a_token_naming_the_former_code_sees_the_cases_of_the_new_province(
        client: TestClient) -> None:
    api = Api(client)
    bac_ninh = api.open_case(api.donor())

    assert _get(client, f"/cases/{bac_ninh}", ["BG"])["province"] == "BN"


def test_the_case_list_filtered_on_bac_ninh_includes_the_cases_opened_in_bac_giang(
        client: TestClient) -> None:
    api = Api(client)
    bac_giang, bac_ninh = _bac_giang_case(api), api.open_case(api.donor())
    api.open_case(api.donor(), province="HN")

    listed = _get(client, "/views/cases", ["*"], province="BN")

    assert {i["id"] for i in listed["items"]} == {bac_giang, bac_ninh}
    assert {(i["province"], i["province_now"]) for i in listed["items"]} == {
        ("BG", "BN"), ("BN", "BN")}


def test_a_case_list_taken_away_names_the_province_opened_in_and_the_one_now(
        client: TestClient) -> None:
    _bac_giang_case(Api(client))
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    response = client.get(f"{API}/views/cases", params={
        "format": "csv", "lang": "en", "min_position": container.runner.head()},
        headers=auth("viewer"))
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert (cells["Province"], cells["Province now"]) == ("BG", "BN")


def test_the_portfolio_groups_by_the_current_map_unless_an_older_map_is_asked_for(
        client: TestClient) -> None:
    api = Api(client)
    _bac_giang_case(api)
    api.open_case(api.donor())

    now = _get(client, "/views/portfolio", ["*"], group_by="province")
    then = _get(client, "/views/portfolio", ["*"], group_by="province", map_as_of="2025-06-30")

    assert {r["province"]: r["case_count"] for r in now["items"]} == {"BN": 2}
    assert {r["province"]: r["case_count"] for r in then["items"]} == {"BG": 1, "BN": 1}
    assert then["map_as_of"] == "2025-06-30"


def test_the_case_shows_its_commune_former_district_and_aid_owner_kind(
        client: TestClient) -> None:
    case_id = _bac_giang_case(Api(client))

    place = _get(client, f"/cases/{case_id}", ["*"])["place"]

    assert place == {"commune_code": "07210", "commune_name": "Xã Tân Sỏi",
                     "former_district": "Yên Thế", "aid_owner_kind": "commune"}


def test_a_commune_code_without_its_name_is_refused(client: TestClient) -> None:
    api = Api(client)
    response = api.raw_post("/cases", {**_opening(api), "commune_code": "07210"}, "aid_owner")

    assert response.status_code == 422
    assert response.json()["code"] == "commune_incomplete"


def _opening(api: Api) -> dict[str, Any]:
    return {"reference": "BG-2025-0001", "title": "Wells", "aid_form": "investment_project",
            "donor_id": api.donor(), "province": "BG",
            "managing_agency": "Bac Giang Provincial People's Committee",
            "aid_owner": "Tan Soi commune", "sectors": [{"code": "12220", "percentage": "100"}],
            "planned_start": "2025-03-01", "planned_end": "2025-12-31",
            "requested": {"amount": "1000000", "currency": "VND"},
            "effective_date": "2025-03-01"}


def test_the_accepted_dossier_records_the_focal_agency_in_force_for_the_new_province(
        client: TestClient) -> None:
    api = Api(client)
    case_id = _bac_giang_case(api)
    api.submit(case_id)
    api.post(f"/cases/{case_id}/accept", {"effective_date": "2025-08-01"}, "focal_officer")

    focal = api.get(f"/cases/{case_id}")["appraisal"]["focal_agency"]

    assert focal["province"] == "BN"
    assert focal["name"] == "Bac Ninh Department of Finance"
    assert focal["managing_agency"] == "Bac Ninh Provincial People's Committee"
    assert focal["verified"] is False


def test_iati_names_the_province_a_case_was_opened_in_and_the_one_that_holds_it_now(
        client: TestClient) -> None:
    case_id = _approved_bac_giang_case(Api(client))

    xml = client.get(f"{API}/cases/{case_id}/iati.xml", headers=auth("viewer"))
    location = etree.fromstring(xml.content).find("iati-activity/location")

    assert xml.status_code == 200, xml.text
    assert location.findtext("name/narrative") == "Xã Tân Sỏi, Bắc Giang (BG)"
    assert location.findtext("description/narrative") == \
        "Since 2025-07-01, part of Bắc Ninh (BN)"


def test_the_iati_export_of_bac_ninh_includes_the_cases_opened_in_bac_giang(
        client: TestClient) -> None:
    _approved_bac_giang_case(Api(client))

    bulk = client.get(f"{API}/iati/activities.xml", params={"province": "BN"},
                      headers=auth("viewer"))

    assert bulk.status_code == 200, bulk.text
    assert len(etree.fromstring(bulk.content).findall("iati-activity")) == 1
