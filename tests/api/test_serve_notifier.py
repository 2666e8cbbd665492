"""On the embedded SQLite default there is no worker: the served app runs the notifier (the
daily evaluation and the outbox sender) while it is up, and stops it with itself."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.conftest import SHARED, TEST_SECRET


def test_the_served_app_runs_the_notifier_while_it_is_up_and_only_when_asked(
        tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'a.sqlite'}",
                        jwt_secret=TEST_SECRET, iati_dir=SHARED / "iati", log_format="json")
    api = create_app(settings, run_notifier=True)
    notifier = api.state.notifier
    with TestClient(api) as client:
        assert client.get("/health").status_code == 200
        assert notifier._thread is not None and notifier._thread.is_alive()
    assert not notifier._thread.is_alive() and notifier.stopping.is_set()
    assert create_app(settings).state.notifier is None
