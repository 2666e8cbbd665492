"""Group commit on both backends (infrastructure/group_commit.py; postgres_append.py on
PostgreSQL, savepoints in one transaction on SQLite): commands that arrive together are
committed together, each with its own checks and its own answer."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from eventsourcing.persistence import IntegrityError

from application.errors import ConcurrentWriteError, StaleVersionError
from application.idempotency import CommandKey, KeyAlreadyRecorded
from application.results import CommandResult
from infrastructure.group_commit import GroupCommit, Pending
from interfaces.container import Container
from tests.application import group_commit_support as grouped
from tests.application.support import walk_to_implementation


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    yield from grouped.batching(database_url)


def test_a_batch_commits_every_command_but_the_ones_whose_version_was_taken(
    container: Container,
) -> None:
    recorder = grouped.recorder_of(container)
    taken, free, twice = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    recorder.insert_events(grouped.events(taken, range(1, 3)))
    batch = [Pending(grouped.events(free, range(1, 3)), None),
             Pending(grouped.events(taken, range(2, 4)), None),  # version 2 exists
             Pending(grouped.events(twice, range(1, 2)), None),
             Pending(grouped.events(twice, range(1, 2)), None)]  # its twin in the batch was first
    recorder.commit_batch(batch)
    assert [isinstance(p.error, IntegrityError) for p in batch] == [False, True, False, True]
    assert batch[0].ids and len(batch[0].ids) == 2 and batch[2].ids and len(batch[2].ids) == 1
    assert batch[0].ids[-1] < batch[2].ids[0]  # log order is batch order
    assert grouped.versions(recorder, free) == [1, 2]
    assert grouped.versions(recorder, taken) == [1, 2]  # nothing of the refused command
    assert grouped.versions(recorder, twice) == [1]


def test_a_key_recorded_before_or_earlier_in_the_batch_writes_nothing_of_its_twin(
    container: Container,
) -> None:
    recorder = grouped.recorder_of(container)
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    recorder.insert_events(grouped.events(first, range(1, 2)),
                           idempotency=grouped.keyed("old", first))
    batch = [Pending(grouped.events(second, range(1, 2)), grouped.keyed("old", second)),
             Pending(grouped.events(third, range(1, 2)), grouped.keyed("new", third)),
             Pending(grouped.events(second, range(1, 2)), grouped.keyed("new", second))]
    recorder.commit_batch(batch)
    assert [type(p.error) for p in batch] == [KeyAlreadyRecorded, type(None), KeyAlreadyRecorded]
    assert grouped.versions(recorder, second) == [] and grouped.versions(recorder, third) == [1]
    recorded = container.idempotency.find(CommandKey("someone", "new", "print"))
    assert recorded is not None and recorded.id == third and recorded.position == batch[1].ids[0]


class GatedWriter:
    """The recorder's writer, its first commit (made by the first save itself, as nothing
    else is under way) held until the others are handed over to the writer thread."""

    def __init__(self, recorder: grouped.Recorder) -> None:
        self.gate, self.held = threading.Event(), threading.Event()
        self.sizes: list[int] = []
        self._commit = recorder.commit_batch
        recorder.group_commit = self.writer = GroupCommit(self._gated, wait=0.002)

    def _gated(self, batch: list[Pending]) -> None:
        self.sizes.append(len(batch))
        self.held.set()
        self.gate.wait(30)
        self._commit(batch)

    def hold_then(self, first: Callable[[], object], then: list[Callable[[], object]],
                  queued: Callable[[], int]) -> list[object]:
        """Run ``first`` (whose batch is held), then ``then`` together; release once they
        are all queued behind it; the results or errors of ``then``."""
        with ThreadPoolExecutor(len(then) + 1) as pool:
            head = pool.submit(first)
            assert self.held.wait(30)
            rest = [pool.submit(_outcome, f) for f in then]
            deadline = time.monotonic() + 30
            while queued() < len(then):
                assert time.monotonic() < deadline, "the commands did not queue"
                time.sleep(0.005)
            self.gate.set()
            head.result(30)
            return [r.result(30) for r in rest]


def _outcome(f: Callable[[], object]) -> object:
    try:
        return f()
    except Exception as exc:  # noqa: BLE001 - the test compares outcomes
        return exc


def test_commands_queued_while_the_writer_commits_go_together_in_the_next_batch(
    container: Container,
) -> None:
    recorder = grouped.recorder_of(container)
    gated = GatedWriter(recorder)
    ids = [uuid.uuid4() for _ in range(6)]
    outcomes = gated.hold_then(
        lambda: recorder.insert_events(grouped.events(ids[0], range(1, 2))),
        [lambda i=i: recorder.insert_events(grouped.events(i, range(1, 2))) for i in ids[1:]],
        lambda: gated.writer.handed)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    assert gated.sizes == [1, 5]
    assert all(grouped.versions(recorder, i) == [1] for i in ids)


def test_a_command_that_conflicts_in_its_batch_is_retried_alone_while_the_others_commit(
    container: Container,
) -> None:
    one, other, third = (walk_to_implementation(container.services, reference=f"BN-2025-{n}")
                         for n in range(3))
    gated = GatedWriter(grouped.recorder_of(container))
    outcomes = gated.hold_then(
        grouped.disburse(container, other, "first"),
        [grouped.disburse(container, one, "a"), grouped.disburse(container, one, "b"),
         grouped.disburse(container, third, "c")],
        lambda: gated.writer.handed)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    # One of the two on the same case lost the race in the batch and ran again after it.
    assert gated.sizes == [1, 3, 1]
    assert sorted(grouped.notes(container, one)) == ["a", "b"]
    assert grouped.notes(container, other) == ["first"] and grouped.notes(container, third) == ["c"]


def test_with_if_match_the_command_that_conflicts_in_its_batch_is_refused_alone(
    container: Container,
) -> None:
    one = walk_to_implementation(container.services, reference="BN-2025-0001")
    other = walk_to_implementation(container.services, reference="BN-2025-0002")
    head = container.services.head_version(one)
    gated = GatedWriter(grouped.recorder_of(container))
    outcomes = gated.hold_then(
        grouped.disburse(container, other, "first"),
        [grouped.disburse(container, one, "a", head), grouped.disburse(container, one, "b", head)],
        lambda: gated.writer.handed)
    assert sorted(type(o).__name__ for o in outcomes) == ["CommandResult", "StaleVersionError"]
    assert len(grouped.notes(container, one)) == 1 and grouped.notes(container, other) == ["first"]
    assert any(isinstance(o, StaleVersionError) for o in outcomes)


def test_projections_verify_equal_after_a_concurrent_load_committed_in_batches(
    container: Container,
) -> None:
    cases = [walk_to_implementation(container.services, reference=f"BN-2025-{n:04d}")
             for n in range(16)]
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(
            lambda n: (f"n{n}", _outcome(grouped.disburse(container, cases[n % 16], f"n{n}"))),
            range(320)))
    acknowledged = {note for note, r in results if isinstance(r, CommandResult)}
    # Only a command that lost every retry to a concurrent one may be refused.
    assert all(isinstance(r, CommandResult | ConcurrentWriteError) for _, r in results)
    assert len(acknowledged) > 300
    positions = [r.position for _, r in results if isinstance(r, CommandResult)]
    assert len(set(positions)) == len(acknowledged)
    recorded = [note for c in cases for note in grouped.notes(container, c)]
    assert sorted(recorded) == sorted(acknowledged)
    container.runner.catch_up()
    for name in container.runner.projections:
        assert container.runner.verify(name) == [], name
    writer = grouped.recorder_of(container).group_commit
    assert writer is not None and writer.commands >= len(acknowledged)
