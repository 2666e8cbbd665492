"""The dashboards' counts over whole views are kept while a view is unchanged and counted
again as soon as it changes: a page never shows a count older than the view it reads."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interfaces.container import Container
from tests.api.seeded_views import module_store, served  # noqa: F401 - a fixture
from tests.api.support import Api
from tests.web.support import sign_in

_CASES = re.compile(r'<div>Cases</div><div class="figure"><a href="[^"]*">(\d+)</a>')


@pytest.fixture(scope="module")
def site(module_store: str) -> Iterator[tuple[Container, TestClient]]:  # noqa: F811
    with served(module_store) as (container, client):
        yield container, client


def caught_up(container: Container) -> None:
    head = container.runner.head()
    assert any(container.wait_for_views(head) for _ in range(1000))


def cases_on_the_overview(client: TestClient) -> int:
    found = _CASES.search(client.get("/dashboards").text)
    assert found, "the overview shows no case count"
    return int(found.group(1))


def test_an_unchanged_view_is_not_counted_again_and_a_changed_one_is(
        site: tuple[Container, TestClient]) -> None:
    container, client = site
    api = Api(client)
    api.open_case(api.donor())
    caught_up(container)
    sign_in(client, "viewer-bn", {"viewer"}, {"BN"}, "en")
    before = cases_on_the_overview(client)
    counted = container.counts.counted

    assert cases_on_the_overview(client) == before
    assert container.counts.counted == counted  # nothing changed: nothing counted
    api.open_case(api.donor())
    caught_up(container)
    assert cases_on_the_overview(client) == before + 1
    assert container.counts.counted > counted


def test_a_person_of_other_provinces_gets_their_own_count_not_anothers(
        site: tuple[Container, TestClient]) -> None:
    container, client = site
    api = Api(client)
    api.open_case(api.donor())  # in BN
    caught_up(container)
    sign_in(client, "viewer-all", {"viewer"}, None, "en")
    everywhere = cases_on_the_overview(client)
    client.cookies.clear()
    sign_in(client, "viewer-hn", {"viewer"}, {"HN"}, "en")
    assert everywhere > 0 and cases_on_the_overview(client) == 0


def test_a_rebuilt_view_is_counted_again(site: tuple[Container, TestClient]) -> None:
    container, client = site
    api = Api(client)
    api.open_case(api.donor())
    caught_up(container)
    sign_in(client, "viewer-rebuild", {"viewer"}, None, "en")
    before = cases_on_the_overview(client)
    cases_on_the_overview(client)
    counted = container.counts.counted
    container.runner.rebuild("portfolio")
    assert cases_on_the_overview(client) == before
    assert container.counts.counted == counted + 1
