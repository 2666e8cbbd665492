"""My work lists what waits for the signed-in person, by each of their roles, within their
provinces, each item linking to its case."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interfaces.web import i18n
from interfaces.web.flag_words import FLAGS
from interfaces.web.kinds import REPORT_KINDS
from tests.api.seeded_views import module_store, served  # noqa: F401 - a fixture
from tests.api.support import Api
from tests.web.seeded import Demo
from tests.web.support import sign_in

Office = tuple[TestClient, dict[str, str]]


@pytest.fixture(scope="module")
def office(module_store: str) -> Iterator[Office]:  # noqa: F811
    with served(module_store) as (container, client):
        api = Api(client)
        cases = {state: api.walk_to(state) for state in ("draft", "submitted", "appraised")}
        head = container.runner.head()
        assert any(container.wait_for_views(head) for _ in range(1000))
        yield client, cases


def _groups(client: TestClient, roles: set[str], provinces: set[str]) -> dict[str, str]:
    client.cookies.clear()
    sign_in(client, "-".join(sorted(roles | provinces)).lower(), roles, provinces, lang="en")
    page = client.get("/").text
    sections = re.split(r'<h2 id="g\d+">', page)[1:]
    return {s.split("<")[0].strip(): s for s in sections}


def test_each_role_sees_the_cases_waiting_for_it_with_a_link(office: Office) -> None:
    client, cases = office
    owner = _groups(client, {"aid_owner"}, {"BN"})
    assert f"/cases/{cases['draft']}" in owner["Dossiers to complete and submit"]
    focal = _groups(client, {"focal_officer"}, {"BN"})
    assert f"/cases/{cases['submitted']}" in focal["Dossiers to check"]
    approver = _groups(client, {"approver"}, {"BN"})
    assert f"/cases/{cases['appraised']}" in approver["Approvals pending"]
    assert "Dossiers to check" not in approver


def test_a_person_with_several_roles_sees_every_one_of_their_groups(office: Office) -> None:
    client, _ = office
    both = _groups(client, {"aid_owner", "approver"}, {"BN"})
    assert {"Dossiers to complete and submit", "Approvals pending", "Flags to look at"} <= set(both)


def test_nothing_of_another_province_waits_for_a_person(office: Office) -> None:
    client, cases = office
    elsewhere = _groups(client, {"aid_owner", "focal_officer", "approver"}, {"HN"})
    assert not any(f"/cases/{case_id}" in text for text in elsewhere.values()
                   for case_id in cases.values())


def test_flags_and_reports_waiting_are_named_in_the_persons_language(demo: Demo) -> None:
    sign_in(demo.client, "owner-vi", {"aid_owner"}, None, "vi")
    page = demo.client.get("/").text
    today = demo.container.services.clock().isoformat()
    flags = demo.api("/views/compliance", None, as_of=today, state="open", sort="-active_from",
                     limit=20)["items"]
    owed = demo.api("/views/obligations", None, as_of=today, status="due,overdue,returned",
                    sort="due_on", limit=20)["items"]

    assert flags and owed
    assert f"{flags[0]['reference']} — {flags[0]['code']}: " \
           f"{i18n.gettext('vi', FLAGS[flags[0]['code']])}" in page
    assert not any(f["message"] in page for f in flags)  # the engine's words are English
    assert i18n.gettext("vi", REPORT_KINDS[owed[0]["kind"]]) in page
