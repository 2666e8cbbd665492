"""The event store works on both backends: an aggregate saved is read back, positions grow."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from infrastructure.database import ping
from interfaces.container import Container


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
