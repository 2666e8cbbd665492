"""Schema version 7 adds the workspace's accounts, sessions and sign-in failures to a version
6 store, keeping what it holds."""

from __future__ import annotations

from datetime import UTC, datetime

from infrastructure.schema import SCHEMA_VERSION, current_version
from infrastructure.settings import Settings
from interfaces.container import build_container
from tests.application.support import walk_to_implementation

_TABLES = ("web_account", "web_session", "web_signin_failure")


def test_a_version_6_store_gains_the_account_tables_and_keeps_its_cases(
    settings: Settings,
) -> None:
    before = build_container(settings)
    case_id = walk_to_implementation(before.services)
    with before.views.transaction() as tx:  # as schema version 6 left it
        for table in _TABLES:
            tx.execute(f"DROP TABLE {table}")
        tx.execute("DELETE FROM aidtrail_schema WHERE version = %s", (SCHEMA_VERSION,))
        tx.execute("INSERT INTO aidtrail_schema (version, migrated_at) VALUES (6, 'before')")
    assert current_version(before.views) == 6
    before.close()

    after = build_container(settings, migrate=True)
    try:
        assert current_version(after.views) == SCHEMA_VERSION == 7
        assert after.services.get_case(case_id).status == "in_implementation"
        after.accounts.add("lan", ["viewer"], ["BN"], password="a passphrase long enough",
                           lang="vi", register=after.register, now=datetime.now(UTC))
        cookie, _ = after.web_sessions.start("lan")
        session = after.web_sessions.find(cookie)
        assert session is not None and session.account.username == "lan"
    finally:
        after.close()
