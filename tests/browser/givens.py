"""What a test starts from, put in through the API of the served workspace (the pages are
what the tests then use): donors and cases in a given state, with the views caught up."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.support import Api
from tests.browser.site import Site


def api(site: Site) -> Api:
    """The API walker of the HTTP tests, on the served workspace."""
    return Api(httpx.Client(base_url=site.url, timeout=30))  # type: ignore[arg-type]


def caught_up(site: Site) -> None:
    """The views have projected everything recorded so far."""
    container = site.container
    head = container.runner.head()
    assert any(container.wait_for_views(head) for _ in range(100))


def given_a_donor(site: Site) -> str:
    donor_id = api(site).donor()
    caught_up(site)
    return donor_id


def given_a_case(site: Site, state: str, **opening: Any) -> dict[str, Any]:
    """A case of province BN walked to ``state`` over the API; its state is returned."""
    walker = api(site)
    case_id = walker.walk_to(state) if not opening else walker.open_case(
        walker.donor(), **opening)
    caught_up(site)
    return walker.get(f"/cases/{case_id}", "focal_officer")


def version_of(site: Site, case: dict[str, Any]) -> int:
    return int(api(site).get(f"/cases/{case['id']}", "focal_officer")["version"])
