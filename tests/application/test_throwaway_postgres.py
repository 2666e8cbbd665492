"""The tests' throwaway PostgreSQL leaves out only what an operating-system crash could tell
(fsync, full-page writes); one started for the bench, by default, is durable."""

from __future__ import annotations

import os

import psycopg
import pytest

from infrastructure.throwaway_postgres import conninfo, postgres_server
from tests.conftest import skip_unless_postgres


def _settings(url: str) -> dict[str, str]:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        return {name: str(conn.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
                for name in ("fsync", "full_page_writes", "synchronous_commit")}


def test_the_tests_server_skips_fsync_and_full_page_writes_but_commits_synchronously(
        request: pytest.FixtureRequest) -> None:
    skip_unless_postgres()
    if os.environ.get("AIDTRAIL_TEST_DATABASE_URL"):
        pytest.skip("a server named by AIDTRAIL_TEST_DATABASE_URL is used as it is")
    url = request.getfixturevalue("postgres_base_url")
    assert _settings(url) == {"fsync": "off", "full_page_writes": "off",
                              "synchronous_commit": "on"}


def test_a_throwaway_server_is_durable_unless_asked_otherwise() -> None:
    skip_unless_postgres()
    with postgres_server() as url:
        assert _settings(url) == {"fsync": "on", "full_page_writes": "on",
                                  "synchronous_commit": "on"}
