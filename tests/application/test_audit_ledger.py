"""The audit ledger chains every stored event; verification finds each kind of tampering."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from application.audit import GENESIS, chain_hash, event_hash, verify_chain
from infrastructure.views import ProjectionRunner
from interfaces.container import Container
from tests.application.test_projection_runner import gap, record


@pytest.fixture
def runner(container: Container) -> Iterator[ProjectionRunner]:
    yield container.runner


def _id(runner: ProjectionRunner) -> str:
    return "rowid" if runner.store.dialect == "sqlite" else "notification_id"


def tamper(runner: ProjectionRunner, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Run SQL on the events table behind the library's back ({t} table, {id} position)."""
    table = runner.app.recorder.events_table_name
    with runner.store.transaction() as tx:
        tx.execute(sql.format(t=table, id=_id(runner)), params)


def state_at(runner: ProjectionRunner, position: int) -> bytes:
    table = runner.app.recorder.events_table_name
    with runner.store.transaction(write=False) as tx:
        return bytes(tx.fetchall(f"SELECT state FROM {table} WHERE {_id(runner)} = %s",
                                 (position,))[0][0])


def test_the_ledger_chains_each_event_from_the_genesis_hash(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app, tallies=1, adds=1)
    runner.catch_up()
    with runner.store.transaction(write=False) as tx:
        ledger = tx.fetchall("SELECT * FROM audit_ledger ORDER BY position")
    first = runner.app.recorder.select_notifications(1, 10)
    chain = GENESIS
    for row, n in zip(ledger, first, strict=True):
        digest = event_hash(n.originator_id, n.originator_version, n.topic, n.state)
        chain = chain_hash(chain, digest)
        assert row == (n.id, str(n.originator_id), n.originator_version, n.topic, digest, chain)


def test_an_intact_store_verifies_and_new_events_are_ledgered_first(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    runner.catch_up()
    first = verify_chain(runner)
    assert first.ok and first.count == 15 and len(first.head_hash) == 64
    record(container.app, tallies=1)
    again = verify_chain(runner)
    assert again.ok and again.count == 20 and again.head_hash != first.head_hash


def test_a_changed_byte_of_a_stored_state_is_reported_altered_at_its_position(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    runner.catch_up()
    state = bytearray(state_at(runner, 9))
    state[5] ^= 1
    tamper(runner, "UPDATE {t} SET state = %s WHERE {id} = 9", (bytes(state),))
    result = verify_chain(runner)
    assert (result.ok, result.first_bad_position, result.problem) == (False, 9, "altered")
    assert result.count == 8


def test_a_deleted_event_is_reported_removed_at_its_position(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    runner.catch_up()
    tamper(runner, "DELETE FROM {t} WHERE {id} = 4")
    result = verify_chain(runner)
    assert (result.first_bad_position, result.problem) == (4, "removed")


def test_the_last_event_deleted_is_reported_removed(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    runner.catch_up()
    tamper(runner, "DELETE FROM {t} WHERE {id} = 15")
    result = verify_chain(runner)
    assert (result.first_bad_position, result.problem) == (15, "removed")


def test_two_events_with_swapped_states_are_reported_at_the_first(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    runner.catch_up()
    a, b = state_at(runner, 3), state_at(runner, 7)
    tamper(runner, "UPDATE {t} SET state = %s WHERE {id} = 3", (b,))
    tamper(runner, "UPDATE {t} SET state = %s WHERE {id} = 7", (a,))
    result = verify_chain(runner)
    assert (result.first_bad_position, result.problem) == (3, "altered")


def test_two_events_moved_to_each_others_position_are_reported_reordered(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    runner.catch_up()
    tamper(runner, "UPDATE {t} SET {id} = 1000 WHERE {id} = 6")
    tamper(runner, "UPDATE {t} SET {id} = 6 WHERE {id} = 11")
    tamper(runner, "UPDATE {t} SET {id} = 11 WHERE {id} = 1000")
    result = verify_chain(runner)
    assert (result.first_bad_position, result.problem) == (6, "reordered")
    assert "position 11" in result.detail


def test_a_forged_row_inserted_into_the_log_is_reported_inserted(
        container: Container, runner: ProjectionRunner) -> None:
    first = record(container.app, tallies=1)
    with gap(container.app, runner.store):
        record(container.app, tallies=1)
    runner.catch_up()
    assert verify_chain(runner).ok
    forged = uuid.uuid4()
    tamper(runner, "INSERT INTO {t} ({id}, originator_id, originator_version, topic, state) "
           "VALUES (%s, %s, 1, 'tests:Forged', %s)",
           (first + 2, forged.hex if runner.store.dialect == "sqlite" else forged, b"{}"))
    result = verify_chain(runner)
    assert (result.first_bad_position, result.problem) == (first + 2, "inserted")


def test_an_edited_ledger_row_is_reported(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    runner.catch_up()
    with runner.store.transaction() as tx:
        tx.execute("UPDATE audit_ledger SET chain_hash = %s WHERE position = 12", ("f" * 64,))
    result = verify_chain(runner)
    assert (result.first_bad_position, result.problem) == (12, "altered")
