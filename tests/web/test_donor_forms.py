"""A registry officer keeps the donor register through the pages: registers a donor, then
issues and extends its certificate; other roles are offered none of it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.seeded_views import module_store, served  # noqa: F401 - a fixture
from tests.web.support import sign_in

HIDDEN = re.compile(r'type="hidden" name="(\w+)" value="([^"]*)"')


@pytest.fixture(scope="module")
def web(module_store: str) -> Iterator[TestClient]:  # noqa: F811
    with served(module_store) as (_, client):
        yield client


def _send(web: TestClient, path: str, csrf: str, **fields: str) -> str:
    form = dict(HIDDEN.findall(web.get(path).text))
    sent = web.post(path, data={**form, "csrf_token": csrf, **fields}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    return str(sent.headers["location"])


def test_a_registry_officer_registers_a_donor_and_keeps_its_certificate(web: TestClient) -> None:
    web.cookies.clear()
    csrf = sign_in(web, "registry.mai", {"registry_officer"}, None, "en")
    assert 'href="/donors/new"' in web.get("/donors").text
    done = _send(web, "/donors/new", csrf, code="NGO-HOPE-VN", name="Hope for Children",
                 country="GB", kind="foreign_ngo")
    donor_id = done.split("/")[2].split("?")[0]
    assert done == f"/donors/{donor_id}?done=register_donor"
    page = web.get(f"/donors/{donor_id}").text
    assert "Hope for Children" in page and f"/donors/{donor_id}/do/issue_certificate" in page
    _send(web, f"/donors/{donor_id}/do/issue_certificate", csrf, number="77/GDK-BNG",
          kind="operation", issued_on="2025-01-01", expires_on="2026-12-31",
          provinces="BN\nHN", fields="122")
    _send(web, f"/donors/{donor_id}/do/extend_certificate", csrf, number="77/GDK-BNG",
          expires_on="2027-12-31")
    page = web.get(f"/donors/{donor_id}").text
    assert "77/GDK-BNG" in page and "2027-12-31" in page


def test_other_roles_are_offered_no_register_form(web: TestClient) -> None:
    web.cookies.clear()
    sign_in(web, "owner.lan", {"aid_owner"}, {"BN"}, "en")
    assert 'href="/donors/new"' not in web.get("/donors").text
    assert web.get("/donors/new").status_code == 403
