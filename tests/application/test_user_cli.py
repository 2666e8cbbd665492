"""``aidtrail user``: accounts made, listed, disabled and given new passwords from the command
line, on each backend; the password comes from standard input, never from an argument."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from infrastructure.settings import Settings
from interfaces.cli.app import app
from interfaces.container import build_container

PASSWORD = "a passphrase long enough"
Run = Callable[..., Result]


@pytest.fixture
def aidtrail(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("AIDTRAIL_JWT_SECRET", str(settings.jwt_secret))
    runner = CliRunner()

    def run(*args: str, password: str | None = None) -> Result:
        return runner.invoke(app, ["user", *args],
                             input=None if password is None else password + "\n")

    return run


def _password_of(settings: Settings, username: str, password: str) -> bool:
    container = build_container(settings)
    try:
        return container.accounts.check_password(username, password) is not None
    finally:
        container.close()


def test_an_account_is_added_with_several_roles_and_provinces_and_listed(
    aidtrail: Run, settings: Settings,
) -> None:
    added = aidtrail("add", "--username", "Lan", "--role", "aid_owner", "--role", "viewer",
                     "--province", "BN", "--province", "BG", password=PASSWORD)
    assert added.exit_code == 0, added.output
    assert added.stdout == "account lan added\n"
    assert aidtrail("add", "--username", "hoa", "--role", "auditor", "--province", "*",
                    "--lang", "en", password=PASSWORD).exit_code == 0
    listed = aidtrail("list")
    assert listed.stdout.splitlines() == ["hoa  auditor  *  en", "lan  aid_owner,viewer  BG,BN  vi"]
    assert PASSWORD not in added.output + listed.output
    assert _password_of(settings, "lan", PASSWORD)


def test_a_bad_role_province_name_or_password_is_refused_and_nothing_is_added(
    aidtrail: Run,
) -> None:
    for args, password, message in (
        (["--role", "chair", "--province", "BN"], PASSWORD, "unknown role chair"),
        (["--role", "viewer", "--province", "ZZ"], PASSWORD, "ZZ is not in the province"),
        (["--role", "viewer", "--province", "BN"], "short", "at least 10 characters"),
    ):
        refused = aidtrail("add", "--username", "lan", *args, password=password)
        assert refused.exit_code == 2
        assert message in refused.stderr
    assert aidtrail("list").stdout == ""


def test_a_password_is_never_taken_as_an_argument(aidtrail: Run) -> None:
    refused = aidtrail("add", "--username", "lan", "--role", "viewer", "--province", "BN",
                       "--password", PASSWORD)
    assert refused.exit_code == 2
    assert "No such option" in refused.output
    assert "standard input" in aidtrail("--help").stdout


def test_an_account_added_twice_is_refused(aidtrail: Run) -> None:
    args = ("add", "--username", "lan", "--role", "viewer", "--province", "BN")
    assert aidtrail(*args, password=PASSWORD).exit_code == 0
    again = aidtrail(*args, password=PASSWORD)
    assert again.exit_code == 2 and "exists already" in again.stderr


def test_disabling_then_resetting_the_password(
    aidtrail: Run, settings: Settings,
) -> None:
    aidtrail("add", "--username", "lan", "--role", "viewer", "--province", "BN",
             password=PASSWORD)
    assert aidtrail("disable", "--username", "LAN").stdout == "account lan disabled\n"
    assert aidtrail("list").stdout == "lan  viewer  BN  vi  disabled\n"
    reset = aidtrail("reset-password", "--username", "lan", password="another passphrase")
    assert reset.stdout == "password of lan reset\n"
    assert _password_of(settings, "lan", "another passphrase")
    assert not _password_of(settings, "lan", PASSWORD)
    assert aidtrail("enable", "--username", "lan").exit_code == 0
    assert aidtrail("list").stdout == "lan  viewer  BN  vi\n"
    missing = aidtrail("disable", "--username", "nobody")
    assert missing.exit_code == 2 and "there is no account nobody" in missing.stderr
