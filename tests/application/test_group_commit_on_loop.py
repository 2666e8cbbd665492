"""Group commit for commands run on the event loop (``application/on_loop.py``): their
saves are committed together and answered there; on PostgreSQL the loop commits them itself
on a connection of its own (``commit_on_loop``), which is replaced when the database ends it
and is not opened once the store has closed."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent

from application.app import LOAD_SNAPSHOT_AFTER
from application.latest import LatestAggregates
from application.on_loop import run_on_loop
from application.results import CommandResult
from domain.case import AidCase
from domain.donor import Donor
from infrastructure import group_commit
from infrastructure.database import DatabaseUnavailableError
from infrastructure.group_commit import GroupCommit, Pending
from infrastructure.postgres_factory import AppendingRecorder
from infrastructure.throwaway_postgres import conninfo
from interfaces.container import Container
from tests.application import group_commit_support as grouped
from tests.application.support import walk_to_implementation
from tests.support.event_loop import run_in_new_loop


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    yield from grouped.batching(database_url)


@pytest.fixture
def pg_container(postgres_url: str) -> Iterator[Container]:
    yield from grouped.batching(postgres_url)


def test_saves_of_commands_on_the_event_loop_are_committed_together_and_answered_there(
    container: Container,
) -> None:
    recorder = grouped.recorder_of(container)
    writer = recorder.group_commit
    assert writer is not None
    taken, ids = uuid.uuid4(), [uuid.uuid4() for _ in range(8)]
    recorder.insert_events(grouped.events(taken, range(1, 2)))
    batches, commands = writer.batches, writer.commands

    async def together() -> list[object]:
        saves = [lambda i=i: recorder.insert_events(grouped.events(i, range(1, 2))) for i in ids]
        saves.append(lambda: recorder.insert_events(grouped.events(taken, range(1, 2))))
        return await asyncio.gather(*(run_on_loop(s) for s in saves), return_exceptions=True)

    outcomes = run_in_new_loop(together)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes[:-1]), outcomes
    assert isinstance(outcomes[-1], IntegrityError)  # its version was taken: it alone
    assert writer.commands - commands == 9 and writer.batches - batches < 9
    assert all(grouped.versions(recorder, i) == [1] for i in ids)


def test_commands_on_the_event_loop_load_save_and_snapshot_without_blocking_it(
    container: Container,
) -> None:
    """Loading a case not in hand and taking its snapshot at version 50 go to worker
    threads (a database connection asked for on the loop would raise)."""
    cases = [walk_to_implementation(container.services, reference=f"BN-2025-{n:04d}")
             for n in range(4)]
    container.services._latest = LatestAggregates()  # noqa: SLF001 - every case loaded again
    container.app.snapshotting_intervals = {AidCase: 50, Donor: 50}
    head = container.services.head_version(cases[0])

    async def load() -> list[object]:
        async def in_turn(case: uuid.UUID) -> list[object]:
            # One command at a time per case, four cases at once: nothing conflicts.
            return [await run_on_loop(grouped.disburse(container, case, f"n{n}"))
                    for n in range(51 - head)]

        chains = await asyncio.gather(*(in_turn(c) for c in cases), return_exceptions=True)
        return [r for chain in chains for r in (chain if isinstance(chain, list) else [chain])]

    results = run_in_new_loop(load)
    assert all(isinstance(r, CommandResult) for r in results), results
    assert all(len(grouped.notes(container, c)) == 51 - head for c in cases)
    assert container.app.snapshots is not None
    assert [s.originator_version for s in container.app.snapshots.get(cases[0])] == [50]


def test_a_command_on_the_event_loop_that_replays_a_long_history_snapshots_it_off_the_loop(
    container: Container,
) -> None:
    case_id = walk_to_implementation(container.services)
    for n in range(LOAD_SNAPSHOT_AFTER):
        grouped.disburse(container, case_id, f"n{n}")()
    head = container.services.head_version(case_id)
    container.services._latest = LatestAggregates()  # noqa: SLF001 - loaded again
    result = run_in_new_loop(lambda: run_on_loop(grouped.disburse(container, case_id, "last")))
    assert isinstance(result, CommandResult) and result.version == head + 1
    assert container.app.snapshots is not None
    assert [s.originator_version for s in container.app.snapshots.get(case_id)] == [head]


def test_a_save_on_the_event_loop_that_the_writer_does_not_answer_is_a_lost_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_commit, "ANSWER_WAIT", 0.05)
    stuck = threading.Event()
    writer = GroupCommit(lambda batch: stuck.wait(30), wait=0)
    try:
        with pytest.raises(DatabaseUnavailableError, match="did not commit within"):
            run_in_new_loop(lambda: run_on_loop(
                lambda: writer.save(grouped.events(uuid.uuid4(), range(1, 2)), None)))
    finally:
        stuck.set()
        writer.close()


def test_on_postgresql_the_event_loop_commits_its_own_saves_and_no_writer_thread_starts(
    pg_container: Container,
) -> None:
    recorder = grouped.recorder_of(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    writer = recorder.group_commit
    assert writer is not None
    ids = [uuid.uuid4() for _ in range(4)]

    async def together() -> list[object]:
        saves = [lambda i=i: recorder.insert_events(grouped.events(i, range(1, 2))) for i in ids]
        return await asyncio.gather(*(run_on_loop(s) for s in saves))

    outcomes = run_in_new_loop(together)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    assert writer._thread is None  # noqa: SLF001 - the writer thread never started
    assert all(grouped.versions(recorder, i) == [1] for i in ids)


def test_saves_made_while_the_loops_batch_is_in_the_database_are_its_next_batch(
    pg_container: Container,
) -> None:
    recorder = grouped.recorder_of(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    sizes: list[int] = []
    ids = [uuid.uuid4() for _ in range(6)]

    async def run() -> list[object]:
        held, gate = asyncio.Event(), asyncio.Event()

        async def gated(batch: list[Pending]) -> None:
            sizes.append(len(batch))
            held.set()
            await gate.wait()
            await recorder.commit_on_loop(batch)

        recorder.group_commit = GroupCommit(recorder.commit_batch, 0.002, gated)

        def save(i: uuid.UUID) -> Callable[[], object]:
            return lambda: recorder.insert_events(grouped.events(i, range(1, 2)))

        first = asyncio.ensure_future(run_on_loop(save(ids[0])))
        await held.wait()  # the first batch, alone, is in the database
        rest = [asyncio.ensure_future(run_on_loop(save(i))) for i in ids[1:]]
        await asyncio.sleep(0.05)
        gate.set()
        return [await first, *[await r for r in rest]]

    outcomes = run_in_new_loop(run)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    assert sizes == [1, 5]
    assert all(grouped.versions(recorder, i) == [1] for i in ids)


def test_a_loops_connection_that_the_database_ended_is_replaced_and_the_save_commits(
    pg_container: Container, postgres_url: str,
) -> None:
    recorder = grouped.recorder_of(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    first, second = uuid.uuid4(), uuid.uuid4()

    async def run() -> object:
        await run_on_loop(
            lambda: recorder.insert_events(grouped.events(first, range(1, 2))))
        conn = next(iter(recorder._loop_connections.values()))  # noqa: SLF001
        pid = conn.info.backend_pid
        await asyncio.to_thread(_terminate, postgres_url, pid)
        return await run_on_loop(
            lambda: recorder.insert_events(grouped.events(second, range(1, 2))))

    outcome = run_in_new_loop(run)
    assert isinstance(outcome, list) and len(outcome) == 1
    assert grouped.versions(recorder, first) == [1] and grouped.versions(recorder, second) == [1]


def _terminate(url: str, pid: int) -> None:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_batch_that_fails_as_a_whole_for_one_command_commits_the_others_on_the_loop(
    pg_container: Container,
) -> None:
    recorder = grouped.recorder_of(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    good, bad = uuid.uuid4(), uuid.uuid4()
    unstorable = [StoredEvent(originator_id=bad, originator_version=1, topic="test:\x00",
                              state=b"{}")]  # PostgreSQL text holds no NUL character
    batch = [Pending(grouped.events(good, range(1, 2)), None), Pending(unstorable, None)]
    run_in_new_loop(lambda: recorder.commit_on_loop(batch))
    assert batch[0].error is None and batch[0].ids and len(batch[0].ids) == 1
    assert isinstance(batch[1].error, PersistenceError)
    assert grouped.versions(recorder, good) == [1] and grouped.versions(recorder, bad) == []


def test_after_the_store_closes_no_loop_opens_a_connection_and_a_save_is_refused(
    pg_container: Container,
) -> None:
    recorder = grouped.recorder_of(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    recorder.close_loop_connections()
    with pytest.raises(DatabaseUnavailableError, match="closed"):
        run_in_new_loop(lambda: run_on_loop(
            lambda: recorder.insert_events(grouped.events(uuid.uuid4(), range(1, 2)))))
    assert recorder._loop_connections == {}  # noqa: SLF001 - none was opened


def test_a_loops_call_the_database_does_not_answer_is_a_lost_database_and_its_connection_goes(
    pg_container: Container, postgres_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from infrastructure import postgres_factory
    monkeypatch.setattr(postgres_factory, "ANSWER_WAIT", 0.5)
    recorder = grouped.recorder_of(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    table = f"{recorder.datastore.schema}.{recorder.events_table_name}"
    first, second = uuid.uuid4(), uuid.uuid4()

    async def run() -> object:
        with psycopg.connect(conninfo(postgres_url)) as holder:
            holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")  # the call waits
            with pytest.raises(DatabaseUnavailableError, match="did not answer"):
                await run_on_loop(
            lambda: recorder.insert_events(grouped.events(first, range(1, 2))))
        assert recorder._loop_connections == {}  # noqa: SLF001 - the stuck one went
        return await run_on_loop(
            lambda: recorder.insert_events(grouped.events(second, range(1, 2))))

    outcome = run_in_new_loop(run)
    assert isinstance(outcome, list) and len(outcome) == 1
    assert grouped.versions(recorder, first) == [] and grouped.versions(recorder, second) == [1]
