"""Schema version 6 adds the notification tables to a version 5 store, and the events it
already holds announce nothing: not at the migration, not after a rebuild."""

from __future__ import annotations

from datetime import UTC, date, datetime

from application.commands.certificates import RevokeCertificate, SuspendCertificate
from application.notifications.outbox import OUTBOX, events_from
from infrastructure.schema import SCHEMA_VERSION
from infrastructure.settings import Settings
from interfaces.container import build_container
from tests.application.support import REGISTRY, walk_to_implementation

_TABLES = ("notification_outbox", "notification_attempt", "notification_state",
           "notification_subscription")


def _kinds(container: object) -> list[str]:
    with container.views.transaction(write=False) as tx:  # type: ignore[attr-defined]
        return [str(r[0]) for r in tx.fetchall(f"SELECT kind FROM {OUTBOX} ORDER BY kind")]


def test_a_version_5_store_gets_the_outbox_and_its_history_alerts_no_one(
    settings: Settings,
) -> None:
    before = build_container(settings)
    case_id = walk_to_implementation(before.services)
    donor_id = before.services.get_case(case_id).donor_id
    number = "C-BN-2025-0001"
    before.services.handle_donor(SuspendCertificate(
        donor_id=donor_id, actor=REGISTRY, number=number, reason="review", until=None,
        effective_date=date(2025, 3, 1)))
    before.runner.catch_up()
    with before.views.transaction() as tx:  # as schema version 5 left it
        for table in _TABLES:
            tx.execute(f"DROP TABLE {table}")
        tx.execute("DELETE FROM aidtrail_schema WHERE version = %s", (SCHEMA_VERSION,))
    head = before.runner.head()
    before.close()

    after = build_container(settings, migrate=True)
    try:
        with after.views.transaction(write=False) as tx:
            assert events_from(tx) == head
        for role in ("focal_officer", "approver", "registry_officer"):
            after.notifications.subscribe(role=role, province="BN", person=None,
                                          channel="email", address=f"{role}@bn.example",
                                          language="vi", created_by="test",
                                          now=datetime.now(UTC))
        after.runner.rebuild("compliance_flag")  # the suspension and its C03 flag again
        assert _kinds(after) == []
        after.services.handle_donor(RevokeCertificate(
            donor_id=donor_id, actor=REGISTRY, number=number, reason="fraud",
            effective_date=date(2025, 4, 1)))
        after.runner.catch_up()
        assert _kinds(after) == ["certificate_revoked", "certificate_revoked"]
    finally:
        after.close()
