"""The workspace's sessions, kept server-side (a cookie carries only a signed random id), and
the count of failed sign-ins that throttles guessing per account and per client address."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, Signer

from infrastructure.accounts import ACCOUNTS, Account, account_of
from infrastructure.views.sql import ViewStore

SESSIONS = "web_session"
FAILURES = "web_signin_failure"
SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {SESSIONS} (
    id_hash TEXT PRIMARY KEY, username TEXT NOT NULL, csrf TEXT NOT NULL,
    created_at TEXT NOT NULL, seen_at TEXT NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {SESSIONS}_username ON {SESSIONS} (username)",
    f"""CREATE TABLE IF NOT EXISTS {FAILURES} (
    key_hash TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_failed_at TEXT NOT NULL)""",
)
# A session's last use is written at most this often (not on every page), so idle expiry is
# exact to within this much.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Session:
    account: Account
    csrf: str


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta
    max_failures: int
    wait: timedelta


def _digest(value: str) -> str:
    """What is stored of a session id or a throttle key: never the value itself."""
    return hashlib.sha256(value.encode()).hexdigest()


class WebSessions:
    def __init__(self, store: ViewStore, policy: SessionPolicy, secret: str | None,
                 clock: Callable[[], datetime]) -> None:
        self._store = store
        self.policy = policy
        self.clock = clock
        # None: no secret is configured, and no one can sign in (the page says so).
        self._signer = Signer(secret, salt="aidtrail.web.session") if secret else None

    @property
    def enabled(self) -> bool:
        return self._signer is not None

    def create_tables(self) -> None:
        with self._store.transaction() as tx:
            for statement in SCHEMA:
                tx.execute(statement)

    def sign(self, value: str) -> str:
        assert self._signer is not None
        return self._signer.sign(value).decode()

    def unsign(self, signed: str | None) -> str | None:
        if not signed or self._signer is None:
            return None
        try:
            return self._signer.unsign(signed).decode()
        except BadSignature:
            return None

    def start(self, username: str) -> tuple[str, str]:
        """A new session for ``username``: its signed cookie value and its CSRF token."""
        session_id, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), self.clock()
        with self._store.transaction() as tx:
            # Sessions past their absolute limit that no one came back to: gone now.
            tx.execute(f"DELETE FROM {SESSIONS} WHERE created_at < %s",
                       ((now - self.policy.absolute).isoformat(),))
            tx.execute(f"INSERT INTO {SESSIONS} (id_hash, username, csrf, created_at, seen_at) "
                       "VALUES (%s, %s, %s, %s, %s)",
                       (_digest(session_id), username, csrf, now.isoformat(), now.isoformat()))
        return self.sign(session_id), csrf

    def find(self, cookie: str | None) -> Session | None:
        """The live session of a cookie: signed by us, not idle too long nor too old, of an
        account that is not disabled. A dead one is deleted."""
        session_id = self.unsign(cookie)
        if session_id is None:
            return None
        key, now = _digest(session_id), self.clock()
        with self._store.transaction(write=False) as tx:
            rows = tx.fetchall(
                f"SELECT a.username, a.roles, a.provinces, a.lang, a.disabled_at, s.csrf, "
                f"s.created_at, s.seen_at FROM {SESSIONS} s JOIN {ACCOUNTS} a "
                "ON a.username = s.username WHERE s.id_hash = %s", (key,))
        if not rows:
            return None
        *account, csrf, created_at, seen_at = rows[0]
        found = account_of(tuple(account))
        created, seen = datetime.fromisoformat(created_at), datetime.fromisoformat(seen_at)
        if (found.disabled or now >= created + self.policy.absolute
                or now >= seen + self.policy.idle):
            self._delete(key)
            return None
        if now - seen >= TOUCH_EVERY:
            with self._store.transaction() as tx:
                tx.execute(f"UPDATE {SESSIONS} SET seen_at = %s WHERE id_hash = %s",
                           (now.isoformat(), key))
        return Session(found, str(csrf))

    def end(self, cookie: str | None) -> None:
        session_id = self.unsign(cookie)
        if session_id is not None:
            self._delete(_digest(session_id))

    def end_all(self, username: str) -> None:
        """Every session of an account (disabled, or its password reset)."""
        with self._store.transaction() as tx:
            tx.execute(f"DELETE FROM {SESSIONS} WHERE username = %s", (username,))

    def _delete(self, key: str) -> None:
        with self._store.transaction() as tx:
            tx.execute(f"DELETE FROM {SESSIONS} WHERE id_hash = %s", (key,))

    def throttled(self, *keys: str) -> str | None:
        """The first key (``account:…``, ``address:…``) that failed too often lately."""
        now = self.clock()
        with self._store.transaction(write=False) as tx:
            for key in keys:
                rows = tx.fetchall(f"SELECT failures, last_failed_at FROM {FAILURES} "
                                   "WHERE key_hash = %s", (_digest(key),))
                if rows and int(rows[0][0]) >= self.policy.max_failures and \
                        now < datetime.fromisoformat(rows[0][1]) + self.policy.wait:
                    return key
        return None

    def failed(self, *keys: str) -> None:
        """Count a failed sign-in against each key; a count older than the wait restarts."""
        now = self.clock()
        with self._store.transaction() as tx:
            for key in keys:
                rows = tx.fetchall(f"SELECT failures, last_failed_at FROM {FAILURES} "
                                   "WHERE key_hash = %s", (_digest(key),))
                fresh = rows and now < datetime.fromisoformat(rows[0][1]) + self.policy.wait
                count = int(rows[0][0]) + 1 if fresh else 1
                tx.execute(f"INSERT INTO {FAILURES} (key_hash, failures, last_failed_at) "
                           "VALUES (%s, %s, %s) ON CONFLICT (key_hash) DO UPDATE SET "
                           "failures = excluded.failures, "
                           "last_failed_at = excluded.last_failed_at",
                           (_digest(key), count, now.isoformat()))

    def succeeded(self, key: str) -> None:
        with self._store.transaction() as tx:
            tx.execute(f"DELETE FROM {FAILURES} WHERE key_hash = %s", (_digest(key),))
