"""Fixtures shared by every suite: each storage test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles

from infrastructure import accounts
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import PostgresUnavailable, fresh_schema, postgres_server
from interfaces.container import Container, build_container

# Every test store is a throwaway (a new SQLite file or PostgreSQL schema): processes built
# by the tests migrate it when they start. Tests of the refusal set auto_migrate=False.
os.environ.setdefault("AIDTRAIL_AUTO_MIGRATE", "true")

# Passwords hashed in a test process cost argon2's own profile for tests (CHEAPEST), as Django
# advises a faster hasher in test settings: the shipped cost took 53 s of a run's CPU (a py-spy
# profile). A hash records its parameters, so verifying is as cheap; tests/unit/test_passwords.py
# checks the shipped ones. Servers and commands the tests start as processes hash at the
# shipped cost.
SHIPPED_HASHER = accounts._hasher
accounts._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)

SHARED = Path(__file__).resolve().parents[2] / "shared"
BACKENDS = [b for b in os.environ.get("AIDTRAIL_TEST_BACKENDS", "sqlite,postgres").split(",") if b]
TEST_SECRET = "test-secret-for-hs256-signing-at-least-32-bytes"


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    try:
        with postgres_server(os.environ.get("AIDTRAIL_TEST_DATABASE_URL")) as url:
            yield url
    except PostgresUnavailable as exc:
        # A missing PostgreSQL is a failure, never a silent skip (CI or not):
        # set AIDTRAIL_TEST_BACKENDS=sqlite to choose to run without it.
        pytest.fail(f"PostgreSQL could not be started for the tests: {exc}", pytrace=False)


def skip_unless_postgres() -> None:
    """For PostgreSQL-only tests: skipped only when AIDTRAIL_TEST_BACKENDS leaves PostgreSQL
    out on purpose (CI runs both; a PostgreSQL that cannot start fails the run instead)."""
    if "postgres" not in BACKENDS:
        pytest.skip("PostgreSQL is deselected (AIDTRAIL_TEST_BACKENDS)")


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema, for the tests that only PostgreSQL can run."""
    skip_unless_postgres()
    with fresh_schema(request.getfixturevalue("postgres_base_url")) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'aidtrail.sqlite'}"
    else:
        base = request.getfixturevalue("postgres_base_url")
        with fresh_schema(base) as url:
            yield url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # The views' catch-up polls at the shipped 0.2 s: a reader that waits for a position wakes
    # it at once, and each idle poll reads the log head and every projection's position.
    return Settings(database_url=database_url, jwt_secret=TEST_SECRET, log_format="json",
                    iati_dir=SHARED / "iati", inprocess_projections=True)


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    c = build_container(settings)
    try:
        yield c
    finally:
        c.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow (each 20 s to 110 s) first. pytest-xdist's worksteal gives each
    worker a run of the list, so one worker takes them in turn from the start while the others
    share the rest and later take its remainder: none is left running alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
