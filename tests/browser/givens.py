"""What a test starts from, put in through the API of the served workspace (the pages are
what the tests then use): donors and cases in a given state, with the views caught up."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.support import Api
from tests.browser.site import Site
from tests.support.http import TLS

_CLIENTS: dict[str, httpx.Client] = {}


def api(site: Site) -> Api:
    """The API walker of the HTTP tests, on the served workspace (one client per site)."""
    if site.url not in _CLIENTS:
        _CLIENTS[site.url] = httpx.Client(verify=TLS, base_url=site.url, timeout=30)
    return Api(_CLIENTS[site.url])  # type: ignore[arg-type]


def close_api(site: Site) -> None:
    client = _CLIENTS.pop(site.url, None)
    if client is not None:
        client.close()


def caught_up(site: Site) -> None:
    """The views have projected everything recorded so far."""
    container = site.container
    head = container.runner.head()
    assert any(container.wait_for_views(head) for _ in range(100))


def given_a_donor(site: Site) -> str:
    donor_id = api(site).donor()
    caught_up(site)
    return donor_id


def given_a_case(site: Site, state: str, title: str | None = None) -> dict[str, Any]:
    """A case of province BN walked to ``state`` over the API (with a title of the test's:
    draft or submitted); its state is returned."""
    walker = api(site)
    if title is None:
        case_id = walker.walk_to(state)
    else:
        assert state in ("draft", "submitted")
        case_id = walker.open_case(walker.donor(), title=title)
        if state == "submitted":
            walker.submit(case_id)
    caught_up(site)
    return walker.get(f"/cases/{case_id}", "focal_officer")


def version_of(site: Site, case: dict[str, Any]) -> int:
    return int(api(site).get(f"/cases/{case['id']}", "focal_officer")["version"])
