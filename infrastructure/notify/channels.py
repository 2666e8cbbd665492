"""The two ways a notice leaves: an e-mail over SMTP (STARTTLS, credentials from settings),
or a JSON POST signed with the subscription's secret (as Stripe and GitHub sign theirs)."""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

import httpx

from infrastructure.notify.signature import SIGNATURE_HEADER, signature


class DeliveryError(Exception):
    """The receiver refused or could not be reached; the message says how, without secrets."""


class SmtpChannel:
    def __init__(self, host: str, port: int, *, starttls: bool, username: str | None,
                 password: str | None, sender: str, timeout: float,
                 ca_file: str | None = None) -> None:
        self.host, self.port, self.starttls, self.ca_file = host, port, starttls, ca_file
        self._username, self._password = username, password
        self.sender, self.timeout = sender, timeout
        self._tls: ssl.SSLContext | None = None  # built at the first STARTTLS, then kept

    def send(self, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    if self._tls is None:  # a missing CA file fails this delivery, as before
                        self._tls = ssl.create_default_context(cafile=self.ca_file)
                    smtp.starttls(context=self._tls)
                if self._username:
                    smtp.login(self._username, self._password or "")
                smtp.send_message(message)
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {type(exc).__name__}") from None


class WebhookChannel:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        # httpx's default context (its CA bundle, or SSL_CERT_FILE/SSL_CERT_DIR), built once:
        # building one per delivery cost about 50 ms of CPU (python -m bench.test_costs).
        self._tls = httpx.create_ssl_context()

    def send(self, url: str, secret: str, payload: dict[str, Any], timestamp: int) -> None:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: signature(secret, body, timestamp)}
        try:
            answer = httpx.post(url, content=body, headers=headers, timeout=self.timeout,
                                verify=self._tls)
        except httpx.HTTPError as exc:  # its message names the URL, which may hold a token
            raise DeliveryError(f"webhook {type(exc).__name__}") from None
        if not 200 <= answer.status_code < 300:
            raise DeliveryError(f"webhook HTTP {answer.status_code}")
