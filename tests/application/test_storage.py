"""The event store works on both backends: an aggregate saved is read back, positions grow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from application.commands.funds import RecordDisbursement
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


def test_a_long_case_history_is_snapshotted_so_loading_replays_only_the_tail(
    container: Container,
) -> None:
    services = container.services
    case_id = walk_to_implementation(services, received="1000")
    for _ in range(45):
        services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                amount=Money.of("1", "USD"),
                                                vnd_rate=Decimal("25000"), aid_account="VCB-1",
                                                effective_date=date(2025, 3, 1)))
    assert container.app.snapshots is not None
    snapshots = list(container.app.snapshots.get(case_id))
    assert [s.originator_version for s in snapshots] == [50]
    assert services.get_case(case_id).totals["disbursed"] == Decimal("45")


def test_a_snapshot_taken_while_saving_equals_one_taken_from_the_stored_history(
    container: Container,
) -> None:
    services, app = container.services, container.app
    case_id = walk_to_implementation(services, received="1000")
    for _ in range(45):
        services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                amount=Money.of("1", "USD"),
                                                vnd_rate=Decimal("25000"), aid_account="VCB-1",
                                                effective_date=date(2025, 3, 1)))
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
