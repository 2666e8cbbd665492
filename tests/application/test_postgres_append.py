"""PostgreSQL appends new events with one server-side call (infrastructure/postgres_factory.py):
same guarantees as the library's insert, in one round trip."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from infrastructure.postgres_factory import AppendingRecorder
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import conninfo
from interfaces.container import Container, build_container
from tests.conftest import TEST_SECRET


@pytest.fixture(params=[0, 2], ids=["each save alone", "group commit"])
def pg(postgres_url: str, request: pytest.FixtureRequest) -> Iterator[tuple[Container, str]]:
    container = build_container(Settings(database_url=postgres_url, jwt_secret=TEST_SECRET,
                                         inprocess_projections=False,
                                         group_commit_wait_ms=request.param))
    try:
        yield container, postgres_url
    finally:
        container.close()


def _events(originator: uuid.UUID, versions: range, size: int = 20) -> list[StoredEvent]:
    return [StoredEvent(originator_id=originator, originator_version=v, topic="test:Event",
                        state=b"x" * size) for v in versions]


def test_the_recorder_in_use_is_the_appending_one(pg: tuple[Container, str]) -> None:
    assert isinstance(pg[0].app.recorder, AppendingRecorder)


def test_appended_events_get_ascending_positions_in_their_order(
    pg: tuple[Container, str],
) -> None:
    recorder = pg[0].app.recorder
    first = recorder.insert_events(_events(uuid.uuid4(), range(1, 4)))
    second = recorder.insert_events(_events(uuid.uuid4(), range(1, 3)))
    assert first is not None and second is not None
    positions = [*first, *second]
    assert positions == sorted(positions) and len(set(positions)) == 5
    stored = recorder.select_notifications(start=positions[0], limit=10)
    assert [(n.id, n.originator_version) for n in stored] == list(
        zip(positions, [1, 2, 3, 1, 2], strict=True))


def test_a_duplicate_version_raises_and_writes_none_of_the_batch(
    pg: tuple[Container, str],
) -> None:
    recorder = pg[0].app.recorder
    originator = uuid.uuid4()
    recorder.insert_events(_events(originator, range(1, 3)))
    with pytest.raises(IntegrityError):
        recorder.insert_events(_events(originator, range(2, 5)))  # 2 exists; 3, 4 are new
    assert [e.originator_version for e in recorder.select_events(originator)] == [1, 2]
    assert recorder.insert_events(_events(originator, range(3, 4)))  # the store still works


def test_listeners_are_notified_of_each_append(pg: tuple[Container, str]) -> None:
    container, url = pg
    channel = container.app.recorder.channel_name
    with psycopg.connect(conninfo(url), autocommit=True) as listener:
        listener.execute(psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(channel)))
        container.app.recorder.insert_events(_events(uuid.uuid4(), range(1, 2)))
        received = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.channel for n in received] == [channel]


def test_one_save_of_several_megabytes_goes_through(pg: tuple[Container, str]) -> None:
    # The library's pipelined insert stalls on a statement of about 500 KB.
    recorder = pg[0].app.recorder
    originator = uuid.uuid4()
    positions = recorder.insert_events(_events(originator, range(1, 41), size=100_000))
    assert positions is not None and len(positions) == 40
    assert sum(len(e.state) for e in recorder.select_events(originator)) == 4_000_000
