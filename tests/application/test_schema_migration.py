"""The schema is created or changed only by a migration; a process refuses a schema that is
not at the version its code needs (SPEC §8: no tables made on the fly in production)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from infrastructure.schema import SCHEMA_VERSION, SchemaVersionError, current_version
from infrastructure.settings import Settings
from infrastructure.views.sql import ViewStore
from interfaces.container import build_container

ROOT = Path(__file__).resolve().parents[2]


def _aidtrail(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDTRAIL_")}
    env.update(AIDTRAIL_DATABASE_URL=settings.database_url, AIDTRAIL_JWT_SECRET="x" * 40,
               AIDTRAIL_AUTO_MIGRATE="false", AIDTRAIL_LOG_FORMAT="json")
    return subprocess.run([sys.executable, "-m", "interfaces.cli.main", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def _tables(settings: Settings) -> int:
    views = ViewStore(settings.database)
    try:
        with views.transaction(write=False) as tx:
            sql = ("SELECT count(*) FROM information_schema.tables "
                   "WHERE table_schema = current_schema()" if tx.dialect == "postgres"
                   else "SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            return int(tx.fetchall(sql)[0][0])
    finally:
        views.close()


def _version(settings: Settings) -> int:
    views = ViewStore(settings.database)
    try:
        return current_version(views)
    finally:
        views.close()


def test_a_process_that_may_not_migrate_refuses_an_empty_store_and_creates_nothing(
    settings: Settings,
) -> None:
    strict = settings.model_copy(update={"auto_migrate": False})
    with pytest.raises(SchemaVersionError, match="run `aidtrail db migrate` first"):
        build_container(strict)
    assert _tables(strict) == 0


def test_db_migrate_brings_the_schema_to_the_version_and_can_run_again(
    settings: Settings,
) -> None:
    for _ in range(2):
        done = _aidtrail(settings, "db", "migrate")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"schema at version {SCHEMA_VERSION} (")
    assert _version(settings) == SCHEMA_VERSION
    started = build_container(settings.model_copy(update={"auto_migrate": False}))
    started.close()


def test_serve_on_an_unmigrated_store_says_so_in_one_line(settings: Settings) -> None:
    done = _aidtrail(settings, "serve", "--port", "1")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "aidtrail: error: the database schema is at version 0, this code needs version "
        f"{SCHEMA_VERSION}: run `aidtrail db migrate` first"]


def test_a_schema_newer_than_the_code_is_refused_even_by_migrate(settings: Settings) -> None:
    build_container(settings, migrate=True).close()
    views = ViewStore(settings.database)
    try:
        with views.transaction() as tx:
            tx.execute("INSERT INTO aidtrail_schema (version, migrated_at) VALUES (%s, 'later')",
                       (SCHEMA_VERSION + 1,))
    finally:
        views.close()
    for migrate in (False, True):
        with pytest.raises(SchemaVersionError, match="newer than this code"):
            build_container(settings, migrate=migrate)


def test_the_embedded_default_migrates_when_it_starts(tmp_path: Path) -> None:
    embedded = Settings(database_url=f"sqlite:///{tmp_path / 'aid.sqlite'}",
                        jwt_secret="x" * 40, auto_migrate=None)
    assert embedded.migrates
    build_container(embedded).close()
    assert _version(embedded) == SCHEMA_VERSION


def test_migrate_adds_basis_verified_to_a_version_4_flag_table_and_keeps_its_rows(
    settings: Settings,
) -> None:
    views = ViewStore(settings.database)
    try:
        with views.transaction() as tx:  # the table and a row as schema version 4 left them
            tx.execute("CREATE TABLE compliance_flag (case_id TEXT NOT NULL, "
                       "reference TEXT NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, "
                       "message TEXT NOT NULL, rule_ref TEXT NOT NULL, province TEXT NOT NULL, "
                       "donor_id TEXT NOT NULL, active_from TEXT NOT NULL, active_until TEXT, "
                       "evidence TEXT NOT NULL, first_seen_position BIGINT NOT NULL, "
                       "updated_position BIGINT NOT NULL, "
                       "PRIMARY KEY (case_id, code, active_from))")
            tx.execute("INSERT INTO compliance_flag VALUES ('c1', 'BN-2026-0001', 'C08', "
                       "'warning', 'late', 'ref', 'BN', 'd1', '2026-07-21', NULL, '[]', 1, 1)")
            tx.execute("CREATE TABLE aidtrail_schema (version integer PRIMARY KEY, "
                       "migrated_at text NOT NULL)")
            tx.execute("INSERT INTO aidtrail_schema VALUES (4, 'before')")
        with pytest.raises(SchemaVersionError, match="at version 4"):
            build_container(settings.model_copy(update={"auto_migrate": False}))
        build_container(settings, migrate=True).close()
        assert _version(settings) == SCHEMA_VERSION == 7
        with views.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT code, basis_verified FROM compliance_flag")
        # Not known to be verified until a rebuild evaluates the row again.
        assert [(code, bool(verified)) for code, verified in rows] == [("C08", False)]
    finally:
        views.close()
