"""IATI 2.03 export over HTTP and the CLI, on both backends (SPEC §6, §7)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import xmlschema
from fastapi.testclient import TestClient
from httpx import Response
from lxml import etree
from typer.testing import CliRunner

from application.iati_export import list_case_ids
from infrastructure.iati_validation import IatiValidator
from infrastructure.settings import Settings
from interfaces.cli.main import app as cli
from interfaces.container import Container, build_container
from interfaces.http.app import create_app
from tests.api.support import API, Api, auth
from tests.conftest import SHARED, TEST_SECRET

ORG_REF = "VN-PUFO-BN"
XSD = xmlschema.XMLSchema(str(SHARED / "iati/schema/iati-activities-schema.xsd"))
CODELISTS = IatiValidator(SHARED / "iati")


def bulk(client: TestClient, role: str = "viewer", provinces: list[str] | None = None,
         **params: Any) -> Response:
    return client.get(f"{API}/iati/activities.xml", params=params,
                      headers=auth(role, provinces=provinces))


def one(client: TestClient, case_id: str, role: str = "viewer",
        provinces: list[str] | None = None) -> Response:
    return client.get(f"{API}/cases/{case_id}/iati.xml", headers=auth(role, provinces=provinces))


def published(response: Response) -> dict[str, str]:
    """Identifier → activity status of a valid export (official XSD, codelists, rules)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    XSD.validate(response.text)
    assert CODELISTS.validate(response.content) == []
    root = etree.fromstring(response.content)
    assert root.get("version") == "2.03"
    return {a.findtext("iati-identifier"): a.find("activity-status").get("code")
            for a in root.iter("iati-activity")}


def reference(api: Api, case_id: str) -> str:
    return str(api.get(f"/cases/{case_id}")["reference"])


def identifier(api: Api, case_id: str, org_ref: str = ORG_REF) -> str:
    return f"{org_ref}-{reference(api, case_id)}"


def decide(api: Api, case_id: str, command: str) -> None:
    api.post(f"/cases/{case_id}/{command}", {"reason": "audit findings under review",
                                             "decision": "55/QD-UBND",
                                             "effective_date": "2025-06-01"}, "approver")


def legacy_sectors(container: Container, case_id: str) -> None:
    """Bad legacy data: sectors recorded, before today's guard, that sum to 90."""
    case = container.services.get_case(UUID(case_id))
    case._draft_updated(changes={"sectors": [{"code": "12220", "percentage": Decimal(90)}]},
                        actor_id="legacy-import", actor_role="aid_owner",
                        effective_date=date(2025, 3, 1))
    container.app.save(case)


def test_every_exported_document_validates_against_the_official_schema_and_codelists(
        client: TestClient) -> None:
    api = Api(client)
    cases = {state: api.walk_to(state) for state in (
        "draft", "approved", "in_implementation", "completed", "closed")}
    cases["vnd"] = api.walk_to("in_implementation", currency="VND")
    cases["suspended"] = api.walk_to("in_implementation")
    decide(api, cases["suspended"], "suspend")
    cases["terminated"] = api.walk_to("in_implementation")
    decide(api, cases["terminated"], "terminate")
    cases["revoked"] = api.walk_to("approved")
    decide(api, cases["revoked"], "revoke")
    expected = {"approved": "1", "in_implementation": "2", "vnd": "2", "completed": "3",
                "closed": "4", "suspended": "6", "terminated": "5", "revoked": "5"}

    response = bulk(client)

    assert published(response) == {identifier(api, cases[k]): v for k, v in expected.items()}
    assert response.headers["X-IATI-Validated"] == "true"
    assert response.headers["X-IATI-Activities"] == str(len(expected))
    assert "X-IATI-Excluded" not in response.headers
    pipeline = published(bulk(client, include_pipeline="true"))
    assert pipeline[identifier(api, cases["draft"])] == "1"
    for case_id in cases.values():
        assert list(published(one(client, case_id))) == [identifier(api, case_id)]


def test_a_broken_case_is_reported_and_not_published(client: TestClient,
                                                     container: Container) -> None:
    api = Api(client)
    good = api.walk_to("in_implementation")
    legacy = api.walk_to("approved")
    legacy_sectors(container, legacy)
    future = api.walk_to("approved")
    later = (date.today() + timedelta(days=20)).isoformat()
    api.money(future, "receipts", "1000", later, deviation={
        "reason": "the donor announced the transfer date in writing",
        "document": "letter 3/2025"})

    refused = one(client, legacy)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "iati_activity_invalid"
    assert body["reference"] == reference(api, legacy)
    assert [p["rule"] for p in body["problems"]] == ["sector_percentages"]
    assert {p["rule"] for p in one(client, future).json()["problems"]} == {"future_date"}

    response = bulk(client)
    assert list(published(response)) == [identifier(api, good)]
    assert response.headers["X-IATI-Excluded"].split(",") == sorted(
        [reference(api, legacy), reference(api, future)])
    assert container.iati_publications.identifier(legacy) is None
    assert container.iati_publications.identifier(future) is None


def test_the_identifier_is_recorded_on_first_publication_and_never_changes(
        client: TestClient, container: Container, settings: Settings) -> None:
    api = Api(client)
    first, fresh = api.walk_to("approved"), api.walk_to("approved")
    assert list(published(one(client, first))) == [identifier(api, first)]
    assert container.iati_publications.identifier(first) == identifier(api, first)

    renamed = build_container(settings.model_copy(update={"reporting_org_ref": "VN-DOFA-BN"}))
    try:
        with TestClient(create_app(container=renamed), raise_server_exceptions=False) as other:
            refused = one(other, first)
            assert refused.status_code == 409
            assert refused.json()["code"] == "iati_identifier_changed"
            response = bulk(other)
            assert list(published(response)) == [identifier(api, fresh, "VN-DOFA-BN")]
            assert response.headers["X-IATI-Excluded"] == reference(api, first)
    finally:
        renamed.close()
    assert container.iati_publications.identifier(first) == identifier(api, first)
    assert list(published(one(client, first))) == [identifier(api, first)]


def test_without_the_iati_directory_the_export_works_and_says_it_is_unvalidated(
        client: TestClient, settings: Settings, tmp_path: Path) -> None:
    case_id = Api(client).walk_to("approved")
    for iati_dir in (tmp_path / "absent", None):
        bare = build_container(settings.model_copy(update={"iati_dir": iati_dir}))
        try:
            with TestClient(create_app(container=bare)) as other:
                for response in (bulk(other), one(other, case_id)):
                    assert response.headers["X-IATI-Validated"] == "false"
                    assert "not validated" in response.headers["Warning"]
                    assert len(published(response)) == 1
        finally:
            bare.close()


def test_cases_outside_the_callers_provinces_are_invisible_and_filters_apply(
        client: TestClient) -> None:
    api = Api(client)
    closed, approved = api.walk_to("closed"), api.walk_to("approved")
    assert one(client, closed, provinces=["HN"]).status_code == 404
    assert bulk(client, provinces=["HN"]).headers["X-IATI-Activities"] == "0"
    assert list(published(bulk(client, provinces=["BN"], status="closed"))) == [
        identifier(api, closed)]
    donor = api.get(f"/cases/{approved}")["donor_id"]
    assert list(published(bulk(client, donor=donor))) == [identifier(api, approved)]
    assert bulk(client, province="HN").headers["X-IATI-Activities"] == "0"
    assert bulk(client, status="draft").json()["code"] == "pipeline_not_included"
    assert bulk(client, status="nonsense").status_code == 422
    assert client.get(f"{API}/iati/activities.xml").status_code == 401


def test_case_ids_are_listed_from_the_log_page_by_page(client: TestClient,
                                                      container: Container) -> None:
    api = Api(client)
    ids = [api.walk_to("draft") for _ in range(5)]
    assert [str(i) for i in list_case_ids(container.app, page_size=2)] == ids


def test_the_cli_writes_the_valid_cases_and_lists_the_broken_ones(
        client: TestClient, container: Container, settings: Settings, tmp_path: Path) -> None:
    api = Api(client)
    good, broken = api.walk_to("completed"), api.walk_to("approved")
    legacy_sectors(container, broken)
    out = tmp_path / "activities.xml"
    env = {"AIDTRAIL_DATABASE_URL": settings.database_url, "AIDTRAIL_JWT_SECRET": TEST_SECRET,
           "AIDTRAIL_IATI_DIR": str(SHARED / "iati")}

    result = CliRunner().invoke(cli, ["iati", "export", "--out", str(out)], env=env)

    assert result.exit_code == 1, result.output
    assert f"left out {reference(api, broken)}" in result.output
    assert "sector_percentages" in result.output
    XSD.validate(str(out))
    assert etree.parse(str(out)).getroot().findtext(".//iati-identifier") == identifier(api, good)

    env["AIDTRAIL_IATI_DIR"] = str(tmp_path / "absent")
    result = CliRunner().invoke(cli, ["iati", "export", "--out", str(out), "--province", "HN"],
                                env=env)
    assert result.exit_code == 0, result.output
    assert "UNVALIDATED" in result.output
