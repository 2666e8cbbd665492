"""Reminders and alerts reach a real SMTP server and a real HTTP receiver on loopback, once
each: after a rebuild, a restart, with two workers, and a failing receiver is retried then
dead-lettered. Every clock is given, never waited for."""

from __future__ import annotations

import hashlib
import hmac
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from application.notifications.outbox import STATUSES
from infrastructure.clock import VIETNAM
from infrastructure.notify.sender import Sender
from infrastructure.notify.signature import verify_signature
from infrastructure.settings import Settings
from interfaces.container import Container, build_container, build_notifier
from interfaces.http.metrics_scrape import exposition
from tests.api.notify_support import Mailbox, Receiver, sending
from tests.api.support import API, Api, auth

DUE = date(2025, 7, 20)  # the half-year report of a case in implementation since February


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return sending(settings, mailbox.port, notify_max_attempts=3, notify_backoff_seconds=60)


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def subscribe(client: TestClient, caller: str, **body: Any) -> dict[str, Any]:
    answer = client.post(f"{API}/notifications/subscriptions", json=body, headers=auth(caller))
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def settle(container: Container) -> None:
    """The views caught up, and the in-process catch-up stopped (the test drives from here)."""
    assert container.wait_for_views(container.runner.head())
    assert container.background is not None
    container.background.stop()


def outbox_metrics(container: Container) -> tuple[dict[str, float], float]:
    """What /metrics says of the webhook outbox: rows by status (those not zero), and the
    failed attempts."""
    scraped = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(exposition(container).decode())
               for s in f.samples}
    rows = {status: scraped[("aidtrail_notification_outbox",
                             (("channel", "webhook"), ("status", status)))]
            for status in STATUSES}
    return ({k: v for k, v in rows.items() if v},
            scraped[("aidtrail_notification_delivery_failures_total", (("channel", "webhook"),))])


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, tzinfo=VIETNAM).astimezone(UTC)


def test_a_report_due_on_d_gives_one_reminder_at_d_minus_7_and_one_overdue_notice_at_d_plus_1(
    client: TestClient, api: Api, container: Container, settings: Settings, mailbox: Mailbox,
) -> None:
    case_id = api.walk_to("in_implementation")
    subscribe(client, "focal_officer", role="aid_owner", province="BN", channel="email",
              address="owner@bn.example")
    settle(container)
    notifier, sent = build_notifier(container), {}
    for offset in range(-9, 4):
        day = DUE + timedelta(days=offset)
        if offset == -3:  # the views rebuilt from the log
            container.runner.rebuild_many(["reporting_obligation", "compliance_flag"])
        if offset == -1:  # the worker restarts
            restarted = build_container(settings)
            notifier = build_notifier(restarted)
        before = len(mailbox.messages)
        notifier.tick(morning(day))
        notifier.tick(morning(day) + timedelta(hours=5))  # a second pass the same day
        sent.update({day: mailbox.subjects()[before:]} if len(mailbox.messages) > before
                    else {})
    restarted.close()
    reference = api.get(f"/cases/{case_id}")["reference"]
    assert sent == {DUE - timedelta(days=7): [f"Sắp đến hạn báo cáo: {reference}"],
                    DUE + timedelta(days=1): [f"Báo cáo quá hạn: {reference}"]}
    text = mailbox.messages[-1].get_content()
    assert "đã quá hạn (hạn nộp 2025-07-20)" in text
    assert f"https://aidtrail.example/cases/{case_id}" in text
    assert mailbox.messages[-1]["To"] == "owner@bn.example"


def test_a_suspended_certificate_notifies_every_affected_province_once(
    client: TestClient, api: Api, container: Container, mailbox: Mailbox, receiver: Receiver,
) -> None:
    case_id = api.walk_to("in_implementation")  # in BN; its donor's certificate: BN and HN
    donor_id = api.get(f"/cases/{case_id}")["donor_id"]
    number = api.get(f"/donors/{donor_id}")["certificates"][0]["number"]
    for province in ("BN", "HN"):
        subscribe(client, "registry_officer", role="registry_officer", province=province,
                  channel="webhook", address=receiver.url, language="en")
    subscribe(client, "focal_officer", role="focal_officer", province="HN", channel="email",
              address="focal@hn.example")
    subscribe(client, "registry_officer", role="registry_officer", province="DN",
              channel="email", address="registry@dn.example")  # not covered by the certificate
    subscribe(client, "registry_officer", role="approver", province="BN", channel="webhook",
              address=receiver.url)
    api.post(f"/donors/{donor_id}/certificates/{number}/suspend",
             {"reason": "review", "effective_date": "2025-03-01"}, "registry_officer")
    settle(container)
    sender, today = Sender(container.views, container.settings), date.today()
    sender.drain(datetime.now(UTC), today)
    container.runner.rebuild("compliance_flag")
    sender.drain(datetime.now(UTC) + timedelta(hours=1), today)

    hooks = sorted((b["kind"], b["subject"]) for b in receiver.bodies())
    reference = api.get(f"/cases/{case_id}")["reference"]
    assert hooks == [("certificate_suspended", f"Certificate suspended: {number}")] * 2 + [
        ("critical_flag", f"Cảnh báo nghiêm trọng C03: {reference}")]
    assert mailbox.subjects() == [f"Giấy đăng ký bị đình chỉ: {number}"]
    assert [m["To"] for m in mailbox.messages] == ["focal@hn.example"]


def test_a_failing_receiver_is_retried_with_back_off_and_then_dead_lettered(
    client: TestClient, api: Api, container: Container, receiver: Receiver,
) -> None:
    api.walk_to("in_implementation")
    subscription = subscribe(client, "focal_officer", role="focal_officer", province="BN",
                             channel="webhook", address=receiver.url)
    receiver.status = 500
    settle(container)
    assert container.notifications.evaluate(DUE - timedelta(days=7), datetime.now(UTC)) == 1
    assert outbox_metrics(container) == ({"pending": 1}, 0)
    sender, start = Sender(container.views, container.settings), datetime.now(UTC)
    seen = []
    for seconds in (0, 59, 60, 179, 180, 100_000):  # back-off 60 s, then 120 s; 3 attempts
        sender.drain(start + timedelta(seconds=seconds), DUE)
        seen.append(len(receiver.requests))
    assert seen == [1, 1, 2, 2, 3, 3]
    [notice] = api.get("/notifications", "focal_officer")["items"]
    assert notice["status"] == "dead" and notice["attempts"] == 3
    assert [a["outcome"] for a in notice["attempt_log"]] == ["failed"] * 3
    assert notice["last_error"] == "webhook HTTP 500"
    assert outbox_metrics(container) == ({"dead": 1}, 3)
    shown = str(notice)
    assert subscription["secret"] not in shown and receiver.url not in shown


def test_the_webhook_signature_verifies_with_the_documented_algorithm_and_a_tampered_body_fails(
    client: TestClient, api: Api, container: Container, receiver: Receiver,
) -> None:
    api.walk_to("in_implementation")
    secret = subscribe(client, "focal_officer", role="focal_officer", province="BN",
                       channel="webhook", address=receiver.url)["secret"]
    settle(container)
    late = DUE + timedelta(days=1)
    container.notifications.evaluate(late, datetime.now(UTC))
    Sender(container.views, container.settings).drain(datetime.now(UTC), late)
    [(headers, body)] = receiver.requests
    header = headers["aidtrail-signature"]
    t, v1 = (part.split("=", 1)[1] for part in header.split(","))
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    assert v1 == expected
    assert verify_signature(secret, body, header)
    assert not verify_signature(secret, body.replace(b"overdue", b"on time"), header)
    assert not verify_signature("another-secret", body, header)


def test_two_workers_running_the_daily_evaluation_together_send_once(
    client: TestClient, api: Api, container: Container, settings: Settings,
    receiver: Receiver,
) -> None:
    api.walk_to("in_implementation")
    subscribe(client, "focal_officer", role="focal_officer", province="BN", channel="webhook",
              address=receiver.url)
    settle(container)
    workers = [build_container(settings) for _ in range(2)]
    together, errors = threading.Barrier(2), []

    def run(c: Container) -> None:
        try:
            together.wait()
            build_notifier(c).tick(morning(DUE + timedelta(days=1)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for c in workers:
        c.close()
    assert errors == []
    assert [b["kind"] for b in receiver.bodies()] == ["report_overdue"]


def test_a_notifier_ticks_only_while_it_is_due(container: Container) -> None:
    due, ticks = threading.Event(), threading.Event()
    notifier = build_notifier(container, due=due.is_set)
    notifier.poll = 0.01
    notifier.tick = lambda now: ticks.set()  # type: ignore[method-assign]
    notifier.start()
    try:
        assert not ticks.wait(0.2)  # twenty polls, not one tick
        due.set()  # as when this process takes the file's projections
        assert ticks.wait(5)
    finally:
        notifier.stop()
