"""Signing out ends the session on the server; every form needs its CSRF token; ``next`` goes
to this site only; the language is kept on the account; the logs name no password."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.logging import configure_logging
from interfaces.container import Container
from interfaces.web.session import COOKIE
from tests.web.support import PASSWORD, add_account, form_token, post_signin, sign_in


def test_signing_out_ends_the_session_even_for_a_copy_of_its_cookie(web: TestClient) -> None:
    csrf = sign_in(web, "lan", {"aid_owner"}, {"BN"})
    copied = str(web.cookies.get(COOKIE))
    answer = web.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin")
    web.cookies.set(COOKIE, copied)
    assert web.get("/", follow_redirects=False).headers["location"] == "/signin?next=/"


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    web: TestClient, container: Container,
) -> None:
    sign_in(web, "lan", {"aid_owner"}, {"BN"})
    for data in ({}, {"csrf_token": "guessed"}):
        refused = web.post("/signout", data=data, follow_redirects=False)
        assert refused.status_code == 403
        assert "security token" in refused.text
        language = web.post("/language", data={"lang": "en", **data}, follow_redirects=False)
        assert language.status_code == 403
    assert web.get("/", follow_redirects=False).status_code == 200  # still signed in
    account = container.accounts.get("lan")
    assert account is not None and account.lang == "vi"


def test_the_sign_in_form_itself_needs_its_token(web: TestClient) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    refused = web.post("/signin", data={"username": "lan", "password": PASSWORD,
                                        "csrf_token": "forged", "next": "/"},
                       follow_redirects=False)
    assert refused.status_code == 403
    assert COOKIE not in web.cookies


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/\\evil.example", "/\t/evil.example", "evil.example"])
def test_after_signing_in_next_never_leads_to_another_site(web: TestClient, target: str) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    assert f'value="{target}"' not in web.get("/signin", params={"next": target}).text
    answer = post_signin(web, "lan", next_path=target)
    assert answer.headers["location"] == "/"


def test_a_page_asked_for_signed_out_is_shown_after_signing_in(web: TestClient) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    asked = web.get("/?due=week", follow_redirects=False).headers["location"]
    assert asked == "/signin?next=/%3Fdue%3Dweek"
    page = web.get(asked)
    assert 'name="next" value="/?due=week"' in page.text
    answer = web.post("/signin", data={"username": "lan", "password": PASSWORD,
                                       "next": "/?due=week", "csrf_token": form_token(page.text)},
                      follow_redirects=False)
    assert answer.headers["location"] == "/?due=week"


def test_the_language_chosen_signed_in_is_kept_on_the_account(
    web: TestClient, container: Container,
) -> None:
    csrf = sign_in(web, "lan", {"aid_owner"}, {"BN"})
    web.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf})
    account = container.accounts.get("lan")
    assert account is not None and account.lang == "en"
    web.cookies.clear()  # another browser
    sign_in(web, "lan", {"aid_owner"}, {"BN"})
    assert '<html lang="en">' in web.get("/").text


def test_signed_out_the_language_is_kept_in_a_cookie(web: TestClient) -> None:
    answer = web.post("/language", data={"lang": "en", "next": "/signin"},
                      follow_redirects=False)
    assert answer.headers["location"] == "/signin"
    assert '<html lang="en">' in web.get("/signin").text


@pytest.fixture
def logs(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    def start() -> Any:
        configure_logging("json", "DEBUG")
        capsys.readouterr()
        return lambda: [json.loads(line) for line in capsys.readouterr().err.splitlines()
                        if line.startswith("{")]

    yield start
    logging.getLogger().handlers.clear()


def test_every_sign_in_failure_throttle_and_sign_out_is_logged_without_the_password(
    web: TestClient, logs: Any,
) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    read = logs()
    for _ in range(5):
        post_signin(web, "lan", "Wrong-7c1e-passphrase")
    post_signin(web, "Typed-password-as-name-3f9a", "Wrong-7c1e-passphrase")
    web.cookies.clear()
    other = TestClient(web.app, client=("192.0.2.7", 50000))  # another address
    csrf = sign_in(other, "hoa", {"approver"}, {"BN"})
    other.post("/signout", data={"csrf_token": csrf})
    lines = read()
    events = [(e["event"], e.get("username"), e.get("reason") or e.get("by"))
              for e in lines if e.get("logger") == "aidtrail.web"]
    assert events == [("signin_failed", "lan", "wrong_password")] * 5 + [
        ("signin_throttled", None, "address"), ("signed_in", "hoa", None),
        ("signed_out", "hoa", None)]
    text = json.dumps(lines)
    assert "Wrong-7c1e-passphrase" not in text and PASSWORD not in text
    assert "typed-password-as-name-3f9a" not in text.lower()  # no unknown name either
    assert csrf not in text
