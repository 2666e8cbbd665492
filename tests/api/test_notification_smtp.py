"""E-mail goes over STARTTLS with the configured credentials, to a real SMTP server that
requires both; a refused login is recorded by its SMTP code, never with the password."""

from __future__ import annotations

import ssl
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from application.notifications.listing import notices
from infrastructure.notify.channels import DeliveryError, SmtpChannel
from infrastructure.notify.sender import Sender
from infrastructure.settings import Settings
from interfaces.container import build_container
from tests.api.notify_support import Mailbox, sending
from tests.api.test_jwks import _self_signed
from tests.application.support import walk_to_implementation

PASSWORD = "correct horse battery staple"


class Login:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword) and session.ssl is not None  # only over TLS
        self.seen.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password.decode() == PASSWORD, handled=False)


def _starttls_server(tmp_path: Path, box: Mailbox, **options: Any) -> tuple[Controller, Path]:
    """A started SMTP server that requires STARTTLS, with a self-signed certificate (returned,
    for the client to trust)."""
    cert, key = tmp_path / "smtp.pem", tmp_path / "smtp.key"
    _self_signed(cert, key)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    server = Controller(box, hostname="127.0.0.1", port=box.port, tls_context=tls,
                        require_starttls=True, **options)
    server.start()
    return server, cert


@pytest.mark.parametrize(("password", "outcome"), [(PASSWORD, "sent"), ("wrong", "pending")])
def test_email_goes_over_starttls_with_the_configured_credentials(
    settings: Settings, tmp_path: Path, password: str, outcome: str,
) -> None:
    box, login = Mailbox(), Login()
    server, cert = _starttls_server(tmp_path, box, authenticator=login, auth_require_tls=True)
    container = build_container(sending(
        settings, box.port, notify_smtp_starttls=True, notify_smtp_ca_file=cert,
        notify_smtp_username="aidtrail", notify_smtp_password=password))
    try:
        walk_to_implementation(container.services)
        container.notifications.subscribe(
            role="focal_officer", province="BN", person=None, channel="email",
            address="focal@bn.example", language="en", created_by="test", now=datetime.now(UTC))
        container.runner.catch_up()
        assert container.notifications.evaluate(date(2025, 7, 13), datetime.now(UTC)) == 1
        Sender(container.views, container.settings).drain(datetime.now(UTC), date(2025, 7, 13))
        with container.views.transaction(write=False) as tx:
            [row] = notices(tx, provinces=None, status=None, limit=10)
    finally:
        container.close()
        server.stop()
    assert set(login.seen) == {("aidtrail", password)}  # smtplib tries PLAIN, then LOGIN
    assert row["status"] == outcome
    if outcome == "sent":
        assert [str(m["Subject"]) for m in box.messages] == ["Report due soon: BN-2025-0001"]
    else:
        assert box.messages == [] and row["last_error"] == "SMTP 535"
        assert password not in str(row)


def _channel(port: int, ca_file: Path) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", port, starttls=True, username=None, password=None,
                       sender="aidtrail@bn.example", timeout=5.0, ca_file=str(ca_file))


def test_one_channel_sends_each_message_over_its_own_starttls(tmp_path: Path) -> None:
    box = Mailbox()
    server, cert = _starttls_server(tmp_path, box)
    channel = _channel(box.port, cert)  # its TLS context is built once, then kept
    try:
        for n in (1, 2):
            channel.send("focal@bn.example", f"notice {n}", "text")
    finally:
        server.stop()
    assert box.subjects() == ["notice 1", "notice 2"]


def test_a_missing_ca_file_fails_each_delivery_with_a_delivery_error(tmp_path: Path) -> None:
    box = Mailbox()
    server, _ = _starttls_server(tmp_path, box)
    channel = _channel(box.port, tmp_path / "missing.pem")
    try:
        for _ in range(2):
            with pytest.raises(DeliveryError, match="FileNotFoundError"):
                channel.send("focal@bn.example", "notice", "text")
    finally:
        server.stop()
    assert box.subjects() == []
