"""An Idempotency-Key is written by the event recorder in the transaction of the command's
events: the key is recorded exactly when the events are, and a twin records nothing."""

from __future__ import annotations

import json
import threading
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from application.commands.funds import RecordDisbursement
from application.errors import IdempotencyKeyReusedError
from application.idempotency import CommandKey, KeyAlreadyRecorded, KeyedSave
from application.results import CommandResult
from domain.money import Money
from interfaces.container import Container
from tests.application.support import OWNER, walk_to_implementation

FAILING_KEY = "fail-after-append"
_FAIL_SQLITE = (f"CREATE TRIGGER fail_after_append BEFORE INSERT ON idempotent_command "
                f"WHEN NEW.key = '{FAILING_KEY}' BEGIN SELECT RAISE(ABORT, 'injected failure'); "
                "END")
_FAIL_POSTGRES = [
    "CREATE FUNCTION fail_after_append() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'injected failure'; END $$",
    "CREATE TRIGGER fail_after_append BEFORE INSERT ON idempotent_command FOR EACH ROW "
    f"WHEN (NEW.key = '{FAILING_KEY}') EXECUTE FUNCTION fail_after_append()"]


def _disburse(case_id: UUID, note: str) -> RecordDisbursement:
    return RecordDisbursement(case_id=case_id, actor=OWNER, amount=Money.of("1", "USD"),
                              vnd_rate=Decimal("25000"), aid_account="VCB-1", note=note,
                              effective_date=date(2025, 3, 1))


def _notes(container: Container, case_id: UUID) -> list[str]:
    return [t.get("note") for t in container.services.get_case(case_id).transactions
            if t["kind"] == "disbursed"]


def _fail_inside_the_transaction_after_the_append(container: Container) -> None:
    """The key's row is written after the events, in their transaction: a failure there
    is a crash between the append and the answer."""
    with container.views.transaction() as tx:
        for statement in [_FAIL_SQLITE] if tx.dialect == "sqlite" else _FAIL_POSTGRES:
            tx.execute(statement)


def test_a_keyed_save_failing_after_its_append_records_neither_its_events_nor_its_key(
    container: Container,
) -> None:
    case_id = walk_to_implementation(container.services, received="1000")
    head = container.services.head_version(case_id)
    _fail_inside_the_transaction_after_the_append(container)
    case = container.services.get_case(case_id)
    on = date(2025, 3, 1)
    case.record_disbursement(amount=Money.of("1", "USD"), vnd_rate=Decimal("25000"),
                             aid_account="VCB-1", profile=container.services.profile_for(case, on),
                             actor=OWNER, effective_date=on, note="lost")
    key = CommandKey("owner-1", FAILING_KEY, "fp")
    with pytest.raises(Exception, match="injected failure"):
        container.app.save(case, idempotency=KeyedSave(key, case.id, case.version, case.status))
    assert container.services.head_version(case_id) == head
    assert container.idempotency.find(key) is None
    assert "lost" not in _notes(container, case_id)


def test_a_keyed_command_records_its_key_with_the_result_and_position_of_its_events(
    container: Container,
) -> None:
    case_id = walk_to_implementation(container.services, received="1000")
    key = CommandKey("owner-1", "k-recorded", "fp")
    result = container.services.handle_case(_disburse(case_id, "once"), once=key)
    assert container.idempotency.find(key) == result
    last = container.app.recorder.max_notification_id()
    assert result.position == last and result.version == container.services.head_version(
        case_id)


def test_a_twin_of_a_recorded_command_records_nothing_and_says_so(
    container: Container,
) -> None:
    case_id = walk_to_implementation(container.services, received="1000")
    key = CommandKey("owner-1", "k-twin", "fp")
    container.services.handle_case(_disburse(case_id, "first"), once=key)
    head = container.services.head_version(case_id)
    with pytest.raises(KeyAlreadyRecorded):
        container.services.handle_case(_disburse(case_id, "twin"), once=key)
    assert container.services.head_version(case_id) == head
    assert _notes(container, case_id).count("twin") == 0


def test_twins_sent_at_once_record_one_command_and_the_others_find_it_recorded(
    container: Container,
) -> None:
    case_id = walk_to_implementation(container.services, received="1000")
    for round_ in range(3):
        key = CommandKey("owner-1", f"k-at-once-{round_}", "fp")
        gate = threading.Barrier(6)
        results: list[CommandResult | Exception] = []

        def send(key: CommandKey = key, gate: threading.Barrier = gate) -> None:
            gate.wait()
            try:
                results.append(container.services.handle_case(
                    _disburse(case_id, key.key), once=key))
            except KeyAlreadyRecorded as twin:
                results.append(twin)

        threads = [threading.Thread(target=send) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        recorded = [r for r in results if isinstance(r, CommandResult)]
        assert len(results) == 6 and len(recorded) == 1, results
        assert container.idempotency.find(key) == recorded[0]
        assert _notes(container, case_id).count(key.key) == 1


def test_the_migration_carries_over_answered_keys_of_schema_1_and_drops_its_bare_claims(
    container: Container,
) -> None:
    answered = {"id": "6f1c1f0e-0000-4000-8000-000000000001", "version": 9,
                "status": "in_implementation", "position": 41}
    with container.views.transaction() as tx:
        tx.execute("CREATE TABLE idempotency_key (principal TEXT NOT NULL, key TEXT NOT NULL, "
                   "fingerprint TEXT NOT NULL, status INTEGER, body TEXT, headers TEXT, "
                   "created_at TEXT NOT NULL, PRIMARY KEY (principal, key))")
        tx.execute("INSERT INTO idempotency_key VALUES (%s, %s, %s, %s, %s, %s, %s)",
                   ("owner-1", "answered", "fp", 200, json.dumps(answered), "{}", "2025-03-01"))
        tx.execute("INSERT INTO idempotency_key (principal, key, fingerprint, created_at) "
                   "VALUES (%s, %s, %s, %s)", ("owner-1", "claimed", "fp", "2025-03-01"))
    container.idempotency.create_tables()
    assert container.idempotency.find(CommandKey("owner-1", "answered", "fp")) == CommandResult(
        id=UUID(answered["id"]), version=9, status="in_implementation", position=41)
    assert container.idempotency.find(CommandKey("owner-1", "claimed", "fp")) is None
    with pytest.raises(IdempotencyKeyReusedError):
        container.idempotency.find(CommandKey("owner-1", "answered", "another"))
