"""Signing in to the workspace with a local account, on each backend: a session in a signed
HttpOnly cookie, a wrong password or a disabled account refused, guessing throttled."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.requests import Request

from infrastructure.tokens import Principal
from interfaces.container import Container
from interfaces.http.app import create_app
from interfaces.http.auth import in_jurisdiction
from interfaces.web.session import COOKIE, current_user
from tests.web.auth_fixtures import Clock
from tests.web.support import PASSWORD, add_account, post_signin, sign_in


def _signed_in_as(client: TestClient) -> str | None:
    page = client.get("/", follow_redirects=False)
    if page.status_code != 200:
        return None
    start = page.text.index('<span class="who">') + len('<span class="who">')
    return page.text[start:page.text.index("</span>", start)]


def test_the_right_password_opens_a_session_in_an_httponly_samesite_cookie(
    web: TestClient,
) -> None:
    add_account(web, "Lan", {"aid_owner"}, {"BN"})
    answer = post_signin(web, "lan", next_path="/cases?status=draft")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/cases?status=draft"
    cookie = next(h for h in answer.headers.get_list("set-cookie")
                  if h.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert _signed_in_as(web) == "lan"


def test_over_https_the_session_cookie_is_secure(container: Container) -> None:
    with TestClient(create_app(container=container), base_url="https://office.example") as c:
        add_account(c, "lan", {"aid_owner"}, {"BN"})
        answer = post_signin(c, "lan")
    cookie = next(h for h in answer.headers.get_list("set-cookie")
                  if h.startswith(COOKIE + "="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_a_wrong_password_or_an_unknown_name_is_refused_with_one_plain_message_in_vietnamese(
    web: TestClient,
) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    for username, password in (("lan", "not the password"), ("nobody", PASSWORD)):
        answer = post_signin(web, username, password)
        assert answer.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in answer.text
        assert COOKIE not in web.cookies
    assert _signed_in_as(web) is None


def test_the_roles_and_provinces_of_an_account_mean_what_a_tokens_claims_mean(
    web: TestClient, container: Container,
) -> None:
    sign_in(web, "hoa", {"approver"}, {"BG"})
    request = Request({"type": "http", "app": web.app, "headers": [
        (b"cookie", f"{COOKIE}={web.cookies.get(COOKIE)}".encode())]})
    user = current_user(request)
    assert user is not None
    claims = Principal("hoa", frozenset({"approver"}), frozenset({"BG"}))
    assert user.principal == in_jurisdiction(claims, container.register)
    assert user.principal.sees("BN")  # the former province's code covers its successor's


def test_after_the_allowed_failures_even_the_right_password_waits(
    web: TestClient, clock: Clock,
) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    for _ in range(5):
        assert post_signin(web, "lan", "wrong password").status_code == 401
    refused = post_signin(web, "lan")
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in refused.text
    clock.advance(seconds=299)
    assert post_signin(web, "lan").status_code == 429
    clock.advance(seconds=2)
    assert post_signin(web, "lan").status_code == 303


def test_failures_over_many_names_from_one_address_throttle_that_address(
    web: TestClient,
) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    for n in range(5):
        post_signin(web, f"guess{n}", "wrong password")
    assert post_signin(web, "lan").status_code == 429


def test_a_success_forgets_the_accounts_earlier_failures(web: TestClient) -> None:
    add_account(web, "lan", {"aid_owner"}, {"BN"})
    for _ in range(4):
        post_signin(web, "lan", "wrong password")
    assert post_signin(web, "lan").status_code == 303
    elsewhere = TestClient(web.app, client=("192.0.2.7", 50000))
    for _ in range(4):  # the account's count starts again from zero
        assert post_signin(elsewhere, "lan", "wrong password").status_code == 401
    assert post_signin(elsewhere, "lan").status_code == 303


def test_a_disabled_account_cannot_sign_in_and_its_open_session_stops_at_once(
    web: TestClient, container: Container, clock: Clock,
) -> None:
    sign_in(web, "lan", {"aid_owner"}, {"BN"})
    assert _signed_in_as(web) == "lan"
    container.accounts.disable("lan", clock())
    assert web.get("/", follow_redirects=False).headers["location"] == "/signin?next=/"
    assert post_signin(web, "lan").status_code == 401
    container.accounts.enable("lan", clock())
    assert post_signin(web, "lan").status_code == 303


def test_a_session_idle_too_long_ends_and_one_in_use_lives_until_its_absolute_limit(
    web: TestClient, clock: Clock,
) -> None:
    sign_in(web, "lan", {"aid_owner"}, {"BN"})
    for _ in range(24):  # 12 hours of use, one page every half hour less a minute
        clock.advance(minutes=29)
        assert _signed_in_as(web) == "lan"
    clock.advance(minutes=45)  # 12 h 21 min after signing in
    assert _signed_in_as(web) is None
    sign_in(web, "lan", {"aid_owner"}, {"BN"})
    clock.advance(minutes=30)
    assert _signed_in_as(web) is None


def test_a_cookie_not_signed_by_the_server_is_no_session(web: TestClient) -> None:
    sign_in(web, "lan", {"aid_owner"}, {"BN"})
    session_id, _, signature = str(web.cookies.get(COOKIE)).rpartition(".")
    web.cookies.set(COOKIE, session_id + "." + signature[::-1])
    assert _signed_in_as(web) is None


def test_a_session_no_one_came_back_to_is_deleted_once_past_its_absolute_limit(
    web: TestClient, container: Container, clock: Clock,
) -> None:
    sign_in(web, "lan", {"aid_owner"}, {"BN"})
    clock.advance(hours=12, minutes=1)
    sign_in(TestClient(web.app), "hoa", {"viewer"}, {"BN"})
    with container.views.transaction(write=False) as tx:
        assert tx.fetchall("SELECT username FROM web_session") == [("hoa",)]
