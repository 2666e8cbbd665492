"""The demo speaks Vietnamese: its titles, agencies and aid owners carry their diacritics, and
the case list searched without them (``nuoc sach``) finds the cases titled *Nước sạch*."""

from __future__ import annotations

from fastapi.testclient import TestClient

from interfaces.container import Container
from interfaces.demo import load_demo
from tests.api.support import API, auth


def test_the_demo_case_list_searched_without_diacritics_finds_the_vietnamese_titles(
        container: Container, client: TestClient) -> None:
    summary = load_demo(container.services, container.services.clock())
    # The demo's views may take longer than a read waits on a busy machine.
    assert container.wait_for_views(summary.events, timeout=300)

    def search(q: str) -> list[dict[str, str]]:
        answer = client.get(f"{API}/views/cases", headers=auth("viewer"),
                            params={"q": q, "limit": 200, "min_position": summary.events})
        assert answer.status_code == 200
        return list(answer.json()["items"])

    found = search("nuoc sach")
    titles = [item["title"] for item in found]
    assert titles and all(t.startswith("Nước sạch và vệ sinh môi trường cho ") for t in titles)
    assert search("NƯỚC SẠCH") == found and search("nước sach") == found
    case = client.get(f"{API}/cases/{found[0]['id']}", headers=auth("viewer")).json()
    assert case["managing_agency"].startswith("UBND ")
    assert case["aid_owner"].startswith("Trung tâm Nước sạch và Vệ sinh môi trường nông thôn ")
