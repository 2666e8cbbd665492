"""Workspace passwords are kept only as Argon2id hashes; usernames, roles and provinces are
checked before an account is made."""

from __future__ import annotations

from datetime import date

import pytest

from domain.provinces import Province, ProvinceRegister
from infrastructure import accounts
from infrastructure.accounts import (
    AccountError,
    checked_scope,
    hash_password,
    normal_username,
    password_matches,
)
from tests.conftest import SHIPPED_HASHER

PASSWORD = "a long enough passphrase"
REGISTER = ProvinceRegister(provinces={
    "BN": Province(code="BN", name_vi="Bắc Ninh", name_en="Bac Ninh", kind="province",
                   source="s", verified=True),
    "BG": Province(code="BG", name_vi="Bắc Giang", name_en="Bac Giang", kind="province",
                   source="s", verified=True, successor="BN", merged_on=date(2025, 7, 1)),
})


def test_a_password_is_stored_as_a_salted_argon2id_hash_that_only_it_matches() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert PASSWORD not in first
    assert first != second  # salted
    assert password_matches(first, PASSWORD)
    assert not password_matches(first, PASSWORD + "!")
    assert not password_matches("not a hash", PASSWORD)


def test_the_shipped_hash_is_argon2id_at_owasps_minimum_cost(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", SHIPPED_HASHER)  # the tests' own is cheaper
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert password_matches(stored, PASSWORD)


def test_no_account_matches_no_password() -> None:
    assert not password_matches(None, PASSWORD)
    assert not password_matches(None, "not a password of anyone")


def test_a_short_password_is_refused() -> None:
    with pytest.raises(AccountError, match="at least 10 characters"):
        hash_password("too short")


def test_a_username_is_kept_in_lower_case_and_of_plain_characters() -> None:
    assert normal_username("  Lan.Nguyen@BN ") == "lan.nguyen@bn"
    for bad in ("a", "-lan", "lan nguyen", "lan/../x", "x" * 65):
        with pytest.raises(AccountError, match="a username is"):
            normal_username(bad)


def test_roles_must_be_known_and_provinces_in_the_register_old_codes_included() -> None:
    assert checked_scope(["approver", "viewer"], ["bn", "BG"], REGISTER) == (
        "approver viewer", "BG BN")
    assert checked_scope(["auditor"], ["*", "BN"], REGISTER) == ("auditor", "*")
    with pytest.raises(AccountError, match="unknown role chair"):
        checked_scope(["chair"], ["BN"], REGISTER)
    with pytest.raises(AccountError, match="province HN is not in the province register"):
        checked_scope(["viewer"], ["HN"], REGISTER)
    with pytest.raises(AccountError, match="at least one role"):
        checked_scope([], ["BN"], REGISTER)
    with pytest.raises(AccountError, match="at least one province"):
        checked_scope(["viewer"], [], REGISTER)
