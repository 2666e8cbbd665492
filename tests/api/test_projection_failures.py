"""A failing projection is named, with its position and code, by the API, /ready and the CLI."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from fastapi.testclient import TestClient

from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from infrastructure.views.failures import Backoff
from interfaces.container import Container
from tests.api.support import API, Api, auth
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]


class FailsFrom(Projection):
    """A real projection that raises on every event from ``position`` on while ``broken``."""

    def __init__(self, inner: Projection, position: int) -> None:
        self.inner, self.position, self.broken = inner, position, True
        self.name, self.tables = inner.name, inner.tables

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        return self.inner.schema(dialect, suffix)

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        if self.broken and any(n.position >= self.position for n in events):
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        self.inner.process_batch(tx, events)


def break_case_summary(container: Container) -> FailsFrom:
    """From the next event on, case_summary fails; retries come within 50 ms."""
    runner = container.runner
    runner.set_aside.backoff = Backoff(base=0.01, cap=0.05)
    # Under the runner's lock: a live catch-up already under way would still hold the
    # healthy projection and could apply the next event with it.
    with runner._lock:
        broken = FailsFrom(runner.projections["case_summary"], runner.head() + 1)
        runner.projections["case_summary"] = broken
    return broken


def recovered(container: Container, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while container.runner.failures():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def status_cli(container: Container) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interfaces.cli.main", "projections", "status"], cwd=ROOT,
        capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "AIDTRAIL_DATABASE_URL": container.settings.database_url,
             "AIDTRAIL_JWT_SECRET": TEST_SECRET, "COLUMNS": "200"})


def test_a_failing_projection_is_named_by_the_api_ready_and_the_cli_until_it_is_fixed(
        client: TestClient, container: Container) -> None:
    broken = break_case_summary(container)
    Api(client).walk_to("approved")
    head = container.runner.head()
    container.runner.catch_up()
    assert container.wait_for_views(head, [n for n in container.runner.projections
                                           if n != "case_summary"])

    listed = {p["name"]: p for p in Api(client).get("/projections")["projections"]}
    failing = listed.pop("case_summary")
    assert failing["status"] == "failing" and failing["position"] == broken.position - 1
    assert failing["failure"]["position"] == broken.position
    assert failing["failure"]["code"] == "value_out_of_range"
    assert failing["failure"]["error_class"] == "OverflowError"
    assert "SQLite INTEGER" not in failing["failure"]["message"]
    assert {(p["status"], p["position"]) for p in listed.values()} == {("ok", head)}

    ready = client.get("/ready")
    assert ready.status_code == 503 and ready.json()["code"] == "projection_failed"
    assert [(p["projection"], p["position"], p["code"]) for p in ready.json()["projections"]
            ] == [("case_summary", broken.position, "value_out_of_range")]

    cases = client.get(f"{API}/views/cases", params={"min_position": head},
                       headers=auth("viewer"))
    assert cases.status_code == 503 and cases.json()["code"] == "projection_failed"
    assert "case_summary" in cases.json()["detail"]
    assert client.get(f"{API}/views/donors", params={"min_position": head},
                      headers=auth("viewer")).status_code == 200

    shown = status_cli(container)
    assert shown.returncode == 1, shown.stderr
    assert f"failing at {broken.position}: value_out_of_range (OverflowError)" in shown.stdout
    assert shown.stderr.strip() == (f"projection case_summary fails at position "
                                    f"{broken.position} (value_out_of_range)")

    broken.broken = False  # the next retry (within 50 ms) succeeds
    assert recovered(container)
    assert container.wait_for_views(head)
    assert client.get("/ready").json() == {"status": "ready"}
    assert {p["status"] for p in Api(client).get("/projections")["projections"]} == {"ok"}
    assert status_cli(container).returncode == 0
