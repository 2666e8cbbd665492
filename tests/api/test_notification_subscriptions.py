"""Subscriptions over the API and the CLI: who may make them, for which provinces, what a bad
one is answered, and that a machine configured to send nothing sends nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.notify.sender import Sender
from interfaces.container import Container
from tests.api.support import API, Api, auth

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"role": "focal_officer", "province": "BN", "channel": "webhook",
        "address": "https://hooks.example/aidtrail"}


def post(client: TestClient, body: dict[str, Any], role: str = "focal_officer",
         provinces: list[str] | None = None) -> Any:
    return client.post(f"{API}/notifications/subscriptions", json=body,
                       headers=auth(role, provinces=provinces))


def test_a_webhook_subscription_shows_its_secret_once_and_is_listed_without_it(
    client: TestClient,
) -> None:
    made = post(client, GOOD)
    assert made.status_code == 201 and len(made.json()["secret"]) == 64
    listed = client.get(f"{API}/notifications/subscriptions",
                        headers=auth("registry_officer")).json()["items"]
    assert [s["id"] for s in listed] == [made.json()["id"]]
    assert "secret" not in listed[0] and made.json()["secret"] not in str(listed)
    assert listed[0]["language"] == "vi"  # the default


def test_a_subscription_for_a_province_outside_the_callers_is_refused(
    client: TestClient,
) -> None:
    answer = post(client, GOOD, provinces=["HN"])
    assert answer.status_code == 403 and answer.json()["code"] == "province_not_in_scope"


@pytest.mark.parametrize(("change", "code"), [
    ({"role": None, "province": None}, "invalid_target"),
    ({"person": "focal-1"}, "invalid_target"),
    ({"role": "viewer"}, "invalid_role"),
    ({"province": "bn"}, "invalid_province"),
    ({"channel": "email"}, "invalid_address"),
    ({"channel": "sms"}, "validation_error"),
])
def test_a_bad_subscription_is_a_422_naming_what_is_wrong(
    client: TestClient, change: dict[str, Any], code: str,
) -> None:
    answer = post(client, {**GOOD, **change})
    assert answer.status_code == 422 and answer.json()["code"] == code, answer.text
    listed = client.get(f"{API}/notifications/subscriptions", headers=auth("focal_officer"))
    assert listed.json()["items"] == []  # nothing recorded


def test_an_unsubscribed_or_foreign_subscription_is_not_found(client: TestClient) -> None:
    made = post(client, GOOD).json()
    path = f"{API}/notifications/subscriptions/{made['id']}"
    elsewhere = client.delete(path, headers=auth("focal_officer", provinces=["HN"]))
    assert elsewhere.status_code == 404
    assert elsewhere.json()["code"] == "subscription_not_found"
    assert client.delete(path, headers=auth("focal_officer")).status_code == 204
    again = client.delete(path, headers=auth("focal_officer"))
    assert again.status_code == 404 and again.json()["code"] == "subscription_not_found"


def test_a_machine_configured_to_send_nothing_keeps_its_notices_in_the_outbox(
    client: TestClient, container: Container,
) -> None:
    Api(client).walk_to("in_implementation")
    post(client, GOOD)
    assert container.wait_for_views(container.runner.head())
    assert container.settings.notify_channels == ()
    assert container.notifications.evaluate(date(2025, 7, 21), datetime.now(UTC)) == 1
    sender = Sender(container.views, container.settings)
    assert sender.drain(datetime.now(UTC), date(2025, 7, 21)) == {}
    [notice] = client.get(f"{API}/notifications", headers=auth("focal_officer")).json()["items"]
    assert (notice["kind"], notice["status"], notice["attempts"]) == ("report_overdue",
                                                                      "pending", 0)
    hidden = client.get(f"{API}/notifications", headers=auth("focal_officer", provinces=["HN"]))
    assert hidden.json()["items"] == []
    client.delete(f"{API}/notifications/subscriptions/{notice['subscription_id']}",
                  headers=auth("focal_officer"))
    [cancelled] = client.get(f"{API}/notifications", headers=auth("focal_officer")).json()["items"]
    assert (cancelled["status"], cancelled["last_error"]) == ("dead", "unsubscribed")


def test_the_cli_subscribes_evaluates_a_date_and_shows_the_held_outbox(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "AIDTRAIL_DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite",
           "AIDTRAIL_JWT_SECRET": "x" * 40}

    def aidtrail(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "interfaces.cli.main", "notify", *args],
                              cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    subprocess.run([sys.executable, "-m", "interfaces.cli.main", "demo", "load"], cwd=ROOT,
                   capture_output=True, text=True, timeout=300, env=env, check=True)
    made = aidtrail("subscribe", "--role", "focal_officer", "--province", "*",
                    "--webhook", "https://hooks.example/x", "--lang", "en")
    assert made.startswith("subscription ") and "webhook secret " in made
    assert "focal_officer in *  webhook https://hooks.example/x  en" in aidtrail("list")
    first = aidtrail("evaluate", "--date", "2026-03-01")
    assert int(first.split()[0]) > 0
    assert aidtrail("evaluate", "--date", "2026-03-01").startswith("0 new notices")
    assert aidtrail("status").split()[:2] == ["webhook", "held"]


def test_a_named_person_is_told_of_the_cases_they_opened_or_submitted_only(
    client: TestClient, container: Container,
) -> None:
    Api(client).walk_to("in_implementation")  # opened and submitted by owner-1
    for person in ("owner-1", "someone-else"):
        assert post(client, {"person": person, "channel": "email",
                             "address": f"{person}@bn.example"}).status_code == 201
    assert container.wait_for_views(container.runner.head())
    container.notifications.evaluate(date(2025, 7, 13), datetime.now(UTC))
    items = client.get(f"{API}/notifications", headers=auth("focal_officer")).json()["items"]
    assert [(i["kind"], i["notice_key"].rsplit("|", 1)[1]) for i in items] == [
        ("report_due", s["id"]) for s in client.get(
            f"{API}/notifications/subscriptions", headers=auth("focal_officer")).json()["items"]
        if s["person"] == "owner-1"]
