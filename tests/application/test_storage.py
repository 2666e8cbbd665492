"""The event store works on both backends: an aggregate saved is read back, positions grow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate, event

from application.app import LOAD_SNAPSHOT_AFTER, SAVE_SNAPSHOT_EVERY
from application.commands.funds import RecordDisbursement
from application.latest import LatestAggregates
from application.services import Services
from domain.case import AidCase
from domain.donor import Donor
from domain.money import Money
from infrastructure.database import ping
from interfaces.container import Container
from tests.application.support import OWNER, walk_to_implementation


class Probe(Aggregate):
    @event("Created")
    def __init__(self, name: str) -> None:
        self.name = name


def test_an_aggregate_saved_is_read_back_with_its_log_position(container: Container) -> None:
    probe = Probe(name="first")
    recordings = container.app.save(probe)
    assert recordings[-1].notification.id >= 1
    assert container.app.repository.get(probe.id).name == "first"


def test_the_database_answers_a_ping(container: Container) -> None:
    ping(container.database)


def _disburse(services: Services, case_id: UUID, times: int) -> None:
    for _ in range(times):
        services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                amount=Money.of("1", "USD"),
                                                vnd_rate=Decimal("25000"), aid_account="VCB-1",
                                                effective_date=date(2025, 3, 1)))


def _snapshot_versions(container: Container, aggregate_id: UUID) -> list[int]:
    assert container.app.snapshots is not None
    return [s.originator_version for s in container.app.snapshots.get(aggregate_id)]


def test_a_long_history_is_snapshotted_by_the_command_that_replays_it_then_only_its_tail(
    container: Container,
) -> None:
    services, app = container.services, container.app
    case_id = walk_to_implementation(services, received="1000")
    _disburse(services, case_id, LOAD_SNAPSHOT_AFTER)
    head = services.head_version(case_id)
    assert _snapshot_versions(container, case_id) == []  # the writer had the state in hand
    services._latest = LatestAggregates()  # noqa: SLF001 - as after a restart
    _disburse(services, case_id, 1)  # loads the whole history first
    assert _snapshot_versions(container, case_id) == [head]
    services._latest = LatestAggregates()  # noqa: SLF001
    _disburse(services, case_id, 3)  # one event replayed after the snapshot: no more
    assert _snapshot_versions(container, case_id) == [head]
    assert app.load(case_id).totals["disbursed"] == Decimal(LOAD_SNAPSHOT_AFTER + 4)


def test_a_read_a_short_history_or_a_past_version_writes_no_snapshot(
    container: Container,
) -> None:
    services, app = container.services, container.app
    case_id = walk_to_implementation(services, received="1000")
    assert services.head_version(case_id) <= LOAD_SNAPSHOT_AFTER
    services._latest = LatestAggregates()  # noqa: SLF001
    _disburse(services, case_id, LOAD_SNAPSHOT_AFTER)  # the first loads a short history
    head = services.head_version(case_id)
    services.get_case(case_id)  # a read of the whole history
    services.rendered_case(case_id)
    app.load(case_id, version=head - 1, snapshot=True)
    assert _snapshot_versions(container, case_id) == []
    app.snapshot_loaded(app.load(case_id))
    app.snapshot_loaded(app.load(case_id, version=head))  # the same version again: kept
    assert _snapshot_versions(container, case_id) == [head]


def test_a_command_whose_snapshot_another_commands_load_wrote_first_is_applied_once(
    container: Container, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A save's snapshot is written after its events have committed; a command's load in
    between may write the same version's snapshot first. The save is not taken back for it
    (it would be retried as if its version were taken: the disbursement booked twice)."""
    services, app = container.services, container.app
    case_id = walk_to_implementation(services, received="1000")
    head = services.head_version(case_id)
    app.snapshotting_intervals = {AidCase: head + 1, Donor: 50}  # the next save takes one
    record = app._record  # noqa: SLF001

    def record_then_load(processing_event: Any) -> Any:
        recordings = record(processing_event)
        app.snapshot_loaded(app.load(case_id))  # another command's load, at head + 1
        return recordings

    monkeypatch.setattr(app, "_record", record_then_load)
    before = services.get_case(case_id).totals["disbursed"]
    _disburse(services, case_id, 1)
    assert services.head_version(case_id) == head + 1
    assert services.get_case(case_id).totals["disbursed"] == before + 1
    assert _snapshot_versions(container, case_id) == [head + 1]


def test_a_save_at_a_multiple_of_the_interval_takes_a_snapshot_of_a_history_nobody_loads(
    container: Container,
) -> None:
    assert container.app.snapshotting_intervals[AidCase] == SAVE_SNAPSHOT_EVERY
    container.app.snapshotting_intervals = {AidCase: 50, Donor: 50}  # shorter, same rule
    case_id = walk_to_implementation(container.services, received="1000")
    _disburse(container.services, case_id, 45)
    assert _snapshot_versions(container, case_id) == [50]


def test_a_snapshot_taken_while_saving_equals_one_taken_from_the_stored_history(
    container: Container,
) -> None:
    services, app = container.services, container.app
    app.snapshotting_intervals = {AidCase: 50, Donor: 50}
    case_id = walk_to_implementation(services, received="1000")
    _disburse(services, case_id, 45)
    assert app.snapshots is not None
    (taken,) = app.snapshots.get(case_id)
    # The history replayed from the first event, without any snapshot.
    reloaded = None
    for stored in app.events.get(case_id, lte=50):
        reloaded = stored.mutate(reloaded)
    assert taken.originator_version == 50
    assert taken.state == type(taken).take(reloaded).state


def test_snapshots_taken_while_saving_equal_the_history_after_every_kind_of_command(
    container: Container,
) -> None:
    app = container.app
    app.snapshotting_intervals = {AidCase: 1, Donor: 1}  # a snapshot at every version
    case_id = walk_to_implementation(container.services, received="1000")
    container.services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                      amount=Money.of("10", "USD"),
                                                      vnd_rate=Decimal("25000"),
                                                      aid_account="VCB-1",
                                                      effective_date=date(2025, 3, 1)))
    donor_id = container.services.get_case(case_id).donor_id
    assert app.snapshots is not None
    for aggregate_id in (case_id, donor_id):
        snapshots = list(app.snapshots.get(aggregate_id))
        assert len(snapshots) >= 2
        stored = {e.originator_version: e for e in app.events.get(aggregate_id)}
        for snapshot in snapshots:
            replayed = None
            for version in range(1, snapshot.originator_version + 1):
                replayed = stored[version].mutate(replayed)
            assert snapshot.state == type(snapshot).take(replayed).state, \
                (aggregate_id, snapshot.originator_version)
