"""``/docs`` and ``/redoc`` load nothing from the internet: every script, style and icon they
name is a local URL that the server answers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*["']([^"']+)["']""")
TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_documentation_pages_name_only_local_assets_the_server_answers(
        client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    urls = {a or b for a, b in ASSET.findall(response.text)}
    assert urls, response.text
    assert not [u for u in urls if not u.startswith("/") or u.startswith("//")], urls
    assets = [u for u in urls if u.endswith(tuple(TYPES))]
    assert {u.rsplit(".", 1)[1] for u in assets} >= ({"js", "css"} if page == "/docs"
                                                     else {"js"})
    for url in assets:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert TYPES["." + url.rsplit(".", 1)[1]] in answer.headers["content-type"], url
        assert len(answer.content) > 1000, url
    assert client.get("/openapi.json").status_code == 200
