"""Drains the outbox: claims the rows due, sends each, records the attempt and its outcome."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from application.notifications.outbox import Delivery, claim, finish
from application.notifications.texts import link, render
from infrastructure.logging import get_logger
from infrastructure.notify.channels import DeliveryError, SmtpChannel, WebhookChannel
from infrastructure.settings import Settings
from infrastructure.views.sql import ViewStore

log = get_logger("aidtrail.notify")


class Sender:
    def __init__(self, store: ViewStore, settings: Settings) -> None:
        self.store, self.channels = store, settings.notify_channels
        self.base_url, self.max_attempts = settings.notify_base_url, settings.notify_max_attempts
        self.backoff = timedelta(seconds=settings.notify_backoff_seconds)
        self.smtp = SmtpChannel(
            settings.notify_smtp_host or "", settings.notify_smtp_port,
            starttls=settings.notify_smtp_starttls, username=settings.notify_smtp_username,
            password=settings.notify_smtp_password, sender=settings.notify_smtp_from,
            timeout=settings.notify_smtp_timeout_seconds,
            ca_file=str(settings.notify_smtp_ca_file) if settings.notify_smtp_ca_file else None)
        self.webhook = WebhookChannel(settings.notify_webhook_timeout_seconds)

    def drain(self, now: datetime, today: date) -> dict[str, int]:
        """Send every row due at ``now``; returns how many ended in each status."""
        done: dict[str, int] = {}
        while True:
            with self.store.transaction() as tx:
                batch = claim(tx, self.channels, now, today)
            if not batch:
                return done
            for d in batch:
                error = self._send(d, now)
                with self.store.transaction() as tx:
                    status = finish(tx, d, error=error, now=now,
                                    max_attempts=self.max_attempts, backoff=self.backoff)
                done[status] = done.get(status, 0) + 1
                # The address is personal data and the secret a secret: neither is logged.
                log.info("notice delivery", kind=d.kind, channel=d.channel,
                         attempt=d.attempt, outcome=status, error=error)

    def payload(self, d: Delivery) -> dict[str, Any]:
        url = link(self.base_url, d.case_id, d.donor_id)
        subject, text = render(d.kind, d.language, d.reference, d.facts, url)
        return {"id": d.key, "kind": d.kind, "subject": subject, "text": text, "link": url,
                "case_id": d.case_id, "donor_id": d.donor_id, "reference": d.reference,
                "facts": d.facts, "language": d.language, "attempt": d.attempt}

    def _send(self, d: Delivery, now: datetime) -> str | None:
        """None when delivered, else what went wrong."""
        body = self.payload(d)
        try:
            if d.channel == "email":
                self.smtp.send(d.address, body["subject"], body["text"])
            elif d.secret is None:  # removed since (its rows are cancelled with it)
                return "unsubscribed"
            else:
                self.webhook.send(d.address, d.secret, body, int(now.timestamp()))
        except DeliveryError as exc:
            return str(exc)
        return None
