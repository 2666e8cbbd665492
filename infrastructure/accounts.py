"""The workspace's local accounts: who may sign in, with which roles and provinces (read as a
token's claims are), in which language; passwords kept only as Argon2 hashes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.provinces import ProvinceRegister
from domain.values import ROLES
from infrastructure.tokens import ALL_PROVINCES
from infrastructure.views.sql import ViewStore

ACCOUNTS = "web_account"
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {ACCOUNTS} (
    username TEXT PRIMARY KEY, roles TEXT NOT NULL, provinces TEXT NOT NULL,
    lang TEXT NOT NULL, password_hash TEXT NOT NULL, disabled_at TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
MIN_PASSWORD = 10
LANGS = ("vi", "en")

# argon2id at OWASP's recommended minimum (Password Storage Cheat Sheet: 19 MiB, 2 passes,
# 1 lane), a few tens of milliseconds a sign-in on one core; a hash records its own
# parameters, so stronger ones later still verify the older hashes.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@cache
def _dummy() -> str:
    """Checked when the account is unknown, so that a wrong name costs what a wrong password
    does; hashed at the first such check, not on import (65 ms of CPU in every process)."""
    return _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """An account cannot be made or changed as asked (the message says why)."""


@dataclass(frozen=True)
class Account:
    username: str
    roles: frozenset[str]
    provinces: frozenset[str] | None  # None: every province ('*'), as in a token
    lang: str
    disabled: bool


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must be at least {MIN_PASSWORD} characters long")
    return _hasher.hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was hashed from (None: no account)."""
    try:
        return _hasher.verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def normal_username(username: str) -> str:
    """The stored form of a username (lower case), or ``AccountError``."""
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError("a username is 2 to 64 letters, digits or . _ @ - "
                           "(starting with a letter or digit)")
    return name


def checked_scope(roles: Iterable[str], provinces: Iterable[str],
                  register: ProvinceRegister) -> tuple[str, str]:
    """The roles and provinces as stored, each checked: known role names, and province codes
    of the register (old or new: they are resolved as a token's are), or '*' for all."""
    role_set, codes = set(roles), {p.strip().upper() for p in provinces if p.strip()}
    if not role_set:
        raise AccountError("give at least one role")
    unknown = role_set - set(ROLES)
    if unknown:
        raise AccountError(f"unknown role {', '.join(sorted(unknown))}; known: "
                           f"{', '.join(ROLES)}")
    if not codes:
        raise AccountError("give at least one province, or '*' for all")
    if ALL_PROVINCES in codes:
        return " ".join(sorted(role_set)), ALL_PROVINCES
    strangers = sorted(c for c in codes if register.entry(c) is None)
    if strangers and register.provinces:
        raise AccountError(f"province {', '.join(strangers)} is not in the province register")
    return " ".join(sorted(role_set)), " ".join(sorted(codes))


class AccountStore:
    def __init__(self, store: ViewStore) -> None:
        self._store = store

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            tx.execute(SCHEMA)

    def add(self, username: str, roles: Iterable[str], provinces: Iterable[str], *,
            password: str, lang: str, register: ProvinceRegister, now: datetime) -> Account:
        name = normal_username(username)
        stored_roles, stored_provinces = checked_scope(roles, provinces, register)
        if lang not in LANGS:
            raise AccountError("the language is vi or en")
        hashed = hash_password(password)
        with self._store.transaction() as tx:
            if tx.fetchall(f"SELECT 1 FROM {ACCOUNTS} WHERE username = %s", (name,)):
                raise AccountError(f"an account {name} exists already")
            tx.execute(f"INSERT INTO {ACCOUNTS} (username, roles, provinces, lang, "
                       "password_hash, disabled_at, created_at, updated_at) "
                       "VALUES (%s, %s, %s, %s, %s, NULL, %s, %s)",
                       (name, stored_roles, stored_provinces, lang, hashed, now.isoformat(),
                        now.isoformat()))
        found = self.get(name)
        assert found is not None
        return found

    def get(self, username: str) -> Account | None:
        with self._store.transaction(write=False) as tx:
            rows = tx.fetchall(f"SELECT username, roles, provinces, lang, disabled_at "
                               f"FROM {ACCOUNTS} WHERE username = %s",
                               (username.strip().lower(),))
        return account_of(rows[0]) if rows else None

    def all(self) -> list[Account]:
        with self._store.transaction(write=False) as tx:
            rows = tx.fetchall(f"SELECT username, roles, provinces, lang, disabled_at "
                               f"FROM {ACCOUNTS} ORDER BY username")
        return [account_of(row) for row in rows]

    def count(self) -> int:
        with self._store.transaction(write=False) as tx:
            return int(tx.fetchall(f"SELECT count(*) FROM {ACCOUNTS}")[0][0])

    def check_password(self, username: str, password: str) -> Account | None:
        """The account whose password this is (disabled or not), else None."""
        with self._store.transaction(write=False) as tx:
            rows = tx.fetchall(f"SELECT password_hash FROM {ACCOUNTS} WHERE username = %s",
                               (username.strip().lower(),))
        if not password_matches(str(rows[0][0]) if rows else None, password):
            return None
        return self.get(username)

    def set_password(self, username: str, password: str, now: datetime) -> None:
        self._update(username, "password_hash = %s", hash_password(password), now)

    def disable(self, username: str, now: datetime) -> None:
        self._update(username, "disabled_at = %s", now.isoformat(), now)

    def enable(self, username: str, now: datetime) -> None:
        self._update(username, "disabled_at = %s", None, now)

    def set_language(self, username: str, lang: str, now: datetime) -> None:
        self._update(username, "lang = %s", lang if lang in LANGS else "vi", now)

    def _update(self, username: str, assignment: str, value: str | None,
                now: datetime) -> None:
        with self._store.transaction() as tx:
            changed = tx.execute(f"UPDATE {ACCOUNTS} SET {assignment}, updated_at = %s "
                                 "WHERE username = %s",
                                 (value, now.isoformat(), username.strip().lower()))
        if not changed:
            raise AccountError(f"there is no account {username.strip().lower()}")


def account_of(row: tuple[object, ...]) -> Account:
    username, roles, provinces, lang, disabled_at = row
    return Account(username=str(username), roles=frozenset(str(roles).split()),
                   provinces=None if provinces == ALL_PROVINCES
                   else frozenset(str(provinces).split()),
                   lang=str(lang), disabled=disabled_at is not None)
