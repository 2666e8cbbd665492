"""Settings are mapped onto the library's environment in one place, and bad URLs are clear."""

from __future__ import annotations

import pytest

from infrastructure.database import DatabaseURLError, library_env, parse_database_url
from infrastructure.settings import Settings


def test_the_default_database_is_the_embedded_sqlite_file() -> None:
    db = Settings().database
    assert db.kind == "sqlite"
    assert db.sqlite_path == "var/aidtrail.sqlite"


def test_a_sqlite_url_maps_to_the_sqlite_persistence_module(tmp_path) -> None:
    env = library_env(parse_database_url(f"sqlite:///{tmp_path}/x/a.sqlite"))
    assert env["PERSISTENCE_MODULE"] == "infrastructure.sqlite_factory:QueuedSQLiteFactory"
    assert env["SQLITE_DBNAME"] == f"{tmp_path}/x/a.sqlite"
    assert (tmp_path / "x").is_dir()


def test_a_postgres_url_maps_every_connection_part_and_the_safety_settings() -> None:
    env = library_env(parse_database_url(
        "postgresql://aid:s%40cret@db.example:6543/aidtrail?schema=prov_bn"))
    assert env["PERSISTENCE_MODULE"] == "infrastructure.postgres_factory:FailFastPostgresFactory"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("db.example", "6543")
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("aid", "s@cret")
    assert env["POSTGRES_DBNAME"] == "aidtrail"
    assert env["POSTGRES_SCHEMA"] == "prov_bn"
    assert env["POSTGRES_LOCK_TIMEOUT"] != "0"
    assert env["POSTGRES_ENABLE_DB_FUNCTIONS"] == "n"


def test_a_socket_directory_can_be_given_as_the_host_parameter() -> None:
    db = parse_database_url("postgresql://postgres@/postgres?host=/run/pg")
    assert library_env(db)["POSTGRES_HOST"] == "/run/pg"


def test_a_cipher_key_turns_on_encryption_at_rest() -> None:
    env = library_env(parse_database_url("sqlite:///:memory:"), cipher_key="k" * 44)
    assert env["CIPHER_TOPIC"] == "eventsourcing.cryptography:AESCipher"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("aidtrail.sqlite", "no scheme"),
        ("mysql://host/db", "unsupported database scheme"),
        ("sqlite://", "needs a path"),
        ("postgresql://host", "needs a database name"),
        ("postgresql://host/db?schema=bad;drop", "schema must be"),
        ("postgresql://host:notaport/db", "cannot be parsed"),
    ],
)
def test_a_malformed_database_url_is_refused_with_a_clear_message(url: str, message: str) -> None:
    with pytest.raises(DatabaseURLError, match=message):
        parse_database_url(url)


def test_without_a_configured_secret_the_embedded_default_keeps_one_beside_the_file(
    tmp_path,
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/aidtrail.sqlite")
    first = settings.resolved_jwt_secret()
    assert first == settings.resolved_jwt_secret()
    assert (tmp_path / "jwt-secret").read_text().strip() == first
    assert len(first) >= 32


def test_postgres_needs_a_configured_secret() -> None:
    with pytest.raises(ValueError, match="AIDTRAIL_JWT_SECRET"):
        Settings(database_url="postgresql://h/db").resolved_jwt_secret()
