"""The workspace speaks Vietnamese by default and English after the switch, remembered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interfaces.container import Container
from tests.support.apps import app_for
from tests.web.support import sign_in


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(app_for(container), raise_server_exceptions=False) as c:
        yield c


def test_my_work_is_in_vietnamese_then_in_english_after_the_switch(client: TestClient) -> None:
    csrf = sign_in(client, "bn.aidofficer.thu", {"aid_owner"}, {"BN"})

    page = client.get("/")
    assert page.status_code == 200 and '<html lang="vi">' in page.text
    assert "Việc của tôi" in page.text and "Đăng xuất" in page.text

    switched = client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf},
                           follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/"
    page = client.get("/")
    assert '<html lang="en">' in page.text and "My work" in page.text
    assert "Việc của tôi" not in page.text
