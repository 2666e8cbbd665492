"""Group commit on both backends (infrastructure/group_commit.py; postgres_append.py on
PostgreSQL, savepoints in one transaction on SQLite): commands that arrive together are
committed together, each with its own checks and its own answer."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent

from application.app import LOAD_SNAPSHOT_AFTER
from application.commands.funds import RecordDisbursement
from application.errors import ConcurrentWriteError, StaleVersionError
from application.idempotency import CommandKey, KeyAlreadyRecorded, KeyedSave
from application.latest import LatestAggregates
from application.on_loop import run_on_loop
from application.results import CommandResult
from domain.case import AidCase
from domain.donor import Donor
from domain.money import Money
from infrastructure import group_commit
from infrastructure.database import DatabaseUnavailableError
from infrastructure.group_commit import GroupCommit, Pending
from infrastructure.postgres_factory import AppendingRecorder
from infrastructure.settings import Settings
from infrastructure.sqlite_factory import KeyedSQLiteApplicationRecorder
from infrastructure.throwaway_postgres import conninfo
from interfaces.container import Container, build_container
from tests.application.support import OWNER, walk_to_implementation
from tests.conftest import TEST_SECRET
from tests.support.event_loop import run_in_new_loop


def _container(url: str) -> Iterator[Container]:
    c = build_container(Settings(database_url=url, jwt_secret=TEST_SECRET,
                                 inprocess_projections=False, group_commit_wait_ms=2))
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    yield from _container(database_url)


@pytest.fixture
def pg_container(postgres_url: str) -> Iterator[Container]:
    yield from _container(postgres_url)


Recorder = AppendingRecorder | KeyedSQLiteApplicationRecorder


def _recorder(container: Container) -> Recorder:
    recorder = container.app.recorder
    assert isinstance(recorder, Recorder) and recorder.group_commit is not None
    return recorder


def _events(originator: uuid.UUID, versions: range) -> list[StoredEvent]:
    return [StoredEvent(originator_id=originator, originator_version=v, topic="test:Event",
                        state=b"{}") for v in versions]


def _keyed(key: str, originator: uuid.UUID) -> KeyedSave:
    return KeyedSave(CommandKey("someone", key, "print"), originator, 1, "ok")


def _versions(recorder: Recorder, originator: uuid.UUID) -> list[int]:
    return [e.originator_version for e in recorder.select_events(originator)]


def test_a_batch_commits_every_command_but_the_ones_whose_version_was_taken(
    container: Container,
) -> None:
    recorder = _recorder(container)
    taken, free, twice = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    recorder.insert_events(_events(taken, range(1, 3)))
    batch = [Pending(_events(free, range(1, 3)), None),
             Pending(_events(taken, range(2, 4)), None),  # version 2 exists
             Pending(_events(twice, range(1, 2)), None),
             Pending(_events(twice, range(1, 2)), None)]  # its twin in the batch was first
    recorder.commit_batch(batch)
    assert [isinstance(p.error, IntegrityError) for p in batch] == [False, True, False, True]
    assert batch[0].ids and len(batch[0].ids) == 2 and batch[2].ids and len(batch[2].ids) == 1
    assert batch[0].ids[-1] < batch[2].ids[0]  # log order is batch order
    assert _versions(recorder, free) == [1, 2]
    assert _versions(recorder, taken) == [1, 2]  # nothing of the refused command
    assert _versions(recorder, twice) == [1]


def test_a_key_recorded_before_or_earlier_in_the_batch_writes_nothing_of_its_twin(
    container: Container,
) -> None:
    recorder = _recorder(container)
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    recorder.insert_events(_events(first, range(1, 2)), idempotency=_keyed("old", first))
    batch = [Pending(_events(second, range(1, 2)), _keyed("old", second)),
             Pending(_events(third, range(1, 2)), _keyed("new", third)),
             Pending(_events(second, range(1, 2)), _keyed("new", second))]
    recorder.commit_batch(batch)
    assert [type(p.error) for p in batch] == [KeyAlreadyRecorded, type(None), KeyAlreadyRecorded]
    assert _versions(recorder, second) == [] and _versions(recorder, third) == [1]
    recorded = container.idempotency.find(CommandKey("someone", "new", "print"))
    assert recorded is not None and recorded.id == third and recorded.position == batch[1].ids[0]


class GatedWriter:
    """The recorder's writer, its first commit (made by the first save itself, as nothing
    else is under way) held until the others are handed over to the writer thread."""

    def __init__(self, recorder: Recorder) -> None:
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
    recorder = _recorder(container)
    gated = GatedWriter(recorder)
    ids = [uuid.uuid4() for _ in range(6)]
    outcomes = gated.hold_then(
        lambda: recorder.insert_events(_events(ids[0], range(1, 2))),
        [lambda i=i: recorder.insert_events(_events(i, range(1, 2))) for i in ids[1:]],
        lambda: gated.writer.handed)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    assert gated.sizes == [1, 5]
    assert all(_versions(recorder, i) == [1] for i in ids)


def _disburse(container: Container, case_id: uuid.UUID, note: str,
              expected: int | None = None) -> Callable[[], object]:
    command = RecordDisbursement(case_id=case_id, actor=OWNER, amount=Money.of("1", "USD"),
                                 vnd_rate=Decimal("25000"), aid_account="VCB-1", note=note,
                                 effective_date=date(2025, 3, 1), expected_version=expected)
    return lambda: container.services.handle_case(command)


def _notes(container: Container, case_id: uuid.UUID) -> list[str]:
    case = container.services.get_case(case_id)
    return [t["note"] for t in case.state()["transactions"] if t["kind"] == "disbursed"]


def test_a_command_that_conflicts_in_its_batch_is_retried_alone_while_the_others_commit(
    container: Container,
) -> None:
    one, other, third = (walk_to_implementation(container.services, reference=f"BN-2025-{n}")
                         for n in range(3))
    gated = GatedWriter(_recorder(container))
    outcomes = gated.hold_then(
        _disburse(container, other, "first"),
        [_disburse(container, one, "a"), _disburse(container, one, "b"),
         _disburse(container, third, "c")],
        lambda: gated.writer.handed)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    # One of the two on the same case lost the race in the batch and ran again after it.
    assert gated.sizes == [1, 3, 1]
    assert sorted(_notes(container, one)) == ["a", "b"]
    assert _notes(container, other) == ["first"] and _notes(container, third) == ["c"]


def test_with_if_match_the_command_that_conflicts_in_its_batch_is_refused_alone(
    container: Container,
) -> None:
    one = walk_to_implementation(container.services, reference="BN-2025-0001")
    other = walk_to_implementation(container.services, reference="BN-2025-0002")
    head = container.services.head_version(one)
    gated = GatedWriter(_recorder(container))
    outcomes = gated.hold_then(
        _disburse(container, other, "first"),
        [_disburse(container, one, "a", head), _disburse(container, one, "b", head)],
        lambda: gated.writer.handed)
    assert sorted(type(o).__name__ for o in outcomes) == ["CommandResult", "StaleVersionError"]
    assert len(_notes(container, one)) == 1 and _notes(container, other) == ["first"]
    assert any(isinstance(o, StaleVersionError) for o in outcomes)


def test_projections_verify_equal_after_a_concurrent_load_committed_in_batches(
    container: Container,
) -> None:
    cases = [walk_to_implementation(container.services, reference=f"BN-2025-{n:04d}")
             for n in range(16)]
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(
            lambda n: (f"n{n}", _outcome(_disburse(container, cases[n % 16], f"n{n}"))),
            range(320)))
    acknowledged = {note for note, r in results if isinstance(r, CommandResult)}
    # Only a command that lost every retry to a concurrent one may be refused.
    assert all(isinstance(r, CommandResult | ConcurrentWriteError) for _, r in results)
    assert len(acknowledged) > 300
    positions = [r.position for _, r in results if isinstance(r, CommandResult)]
    assert len(set(positions)) == len(acknowledged)
    recorded = [note for c in cases for note in _notes(container, c)]
    assert sorted(recorded) == sorted(acknowledged)
    container.runner.catch_up()
    for name in container.runner.projections:
        assert container.runner.verify(name) == [], name
    writer = _recorder(container).group_commit
    assert writer is not None and writer.commands >= len(acknowledged)


def test_saves_of_commands_on_the_event_loop_are_committed_together_and_answered_there(
    container: Container,
) -> None:
    recorder = _recorder(container)
    writer = recorder.group_commit
    assert writer is not None
    taken, ids = uuid.uuid4(), [uuid.uuid4() for _ in range(8)]
    recorder.insert_events(_events(taken, range(1, 2)))
    batches, commands = writer.batches, writer.commands

    async def together() -> list[object]:
        saves = [lambda i=i: recorder.insert_events(_events(i, range(1, 2))) for i in ids]
        saves.append(lambda: recorder.insert_events(_events(taken, range(1, 2))))
        return await asyncio.gather(*(run_on_loop(s) for s in saves), return_exceptions=True)

    outcomes = run_in_new_loop(together)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes[:-1]), outcomes
    assert isinstance(outcomes[-1], IntegrityError)  # its version was taken: it alone
    assert writer.commands - commands == 9 and writer.batches - batches < 9
    assert all(_versions(recorder, i) == [1] for i in ids)


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
            return [await run_on_loop(_disburse(container, case, f"n{n}"))
                    for n in range(51 - head)]

        chains = await asyncio.gather(*(in_turn(c) for c in cases), return_exceptions=True)
        return [r for chain in chains for r in (chain if isinstance(chain, list) else [chain])]

    results = run_in_new_loop(load)
    assert all(isinstance(r, CommandResult) for r in results), results
    assert all(len(_notes(container, c)) == 51 - head for c in cases)
    assert container.app.snapshots is not None
    assert [s.originator_version for s in container.app.snapshots.get(cases[0])] == [50]


def test_a_command_on_the_event_loop_that_replays_a_long_history_snapshots_it_off_the_loop(
    container: Container,
) -> None:
    case_id = walk_to_implementation(container.services)
    for n in range(LOAD_SNAPSHOT_AFTER):
        _disburse(container, case_id, f"n{n}")()
    head = container.services.head_version(case_id)
    container.services._latest = LatestAggregates()  # noqa: SLF001 - loaded again
    result = run_in_new_loop(lambda: run_on_loop(_disburse(container, case_id, "last")))
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
                lambda: writer.save(_events(uuid.uuid4(), range(1, 2)), None)))
    finally:
        stuck.set()
        writer.close()


def test_on_postgresql_the_event_loop_commits_its_own_saves_and_no_writer_thread_starts(
    pg_container: Container,
) -> None:
    recorder = _recorder(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    writer = recorder.group_commit
    assert writer is not None
    ids = [uuid.uuid4() for _ in range(4)]

    async def together() -> list[object]:
        saves = [lambda i=i: recorder.insert_events(_events(i, range(1, 2))) for i in ids]
        return await asyncio.gather(*(run_on_loop(s) for s in saves))

    outcomes = run_in_new_loop(together)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    assert writer._thread is None  # noqa: SLF001 - the writer thread never started
    assert all(_versions(recorder, i) == [1] for i in ids)


def test_saves_made_while_the_loops_batch_is_in_the_database_are_its_next_batch(
    pg_container: Container,
) -> None:
    recorder = _recorder(pg_container)
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
            return lambda: recorder.insert_events(_events(i, range(1, 2)))

        first = asyncio.ensure_future(run_on_loop(save(ids[0])))
        await held.wait()  # the first batch, alone, is in the database
        rest = [asyncio.ensure_future(run_on_loop(save(i))) for i in ids[1:]]
        await asyncio.sleep(0.05)
        gate.set()
        return [await first, *[await r for r in rest]]

    outcomes = run_in_new_loop(run)
    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    assert sizes == [1, 5]
    assert all(_versions(recorder, i) == [1] for i in ids)


def test_a_loops_connection_that_the_database_ended_is_replaced_and_the_save_commits(
    pg_container: Container, postgres_url: str,
) -> None:
    recorder = _recorder(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    first, second = uuid.uuid4(), uuid.uuid4()

    async def run() -> object:
        await run_on_loop(lambda: recorder.insert_events(_events(first, range(1, 2))))
        conn = next(iter(recorder._loop_connections.values()))  # noqa: SLF001
        pid = conn.info.backend_pid
        await asyncio.to_thread(_terminate, postgres_url, pid)
        return await run_on_loop(lambda: recorder.insert_events(_events(second, range(1, 2))))

    outcome = run_in_new_loop(run)
    assert isinstance(outcome, list) and len(outcome) == 1
    assert _versions(recorder, first) == [1] and _versions(recorder, second) == [1]


def _terminate(url: str, pid: int) -> None:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_batch_that_fails_as_a_whole_for_one_command_commits_the_others_on_the_loop(
    pg_container: Container,
) -> None:
    recorder = _recorder(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    good, bad = uuid.uuid4(), uuid.uuid4()
    unstorable = [StoredEvent(originator_id=bad, originator_version=1, topic="test:\x00",
                              state=b"{}")]  # PostgreSQL text holds no NUL character
    batch = [Pending(_events(good, range(1, 2)), None), Pending(unstorable, None)]
    run_in_new_loop(lambda: recorder.commit_on_loop(batch))
    assert batch[0].error is None and batch[0].ids and len(batch[0].ids) == 1
    assert isinstance(batch[1].error, PersistenceError)
    assert _versions(recorder, good) == [1] and _versions(recorder, bad) == []


def test_after_the_store_closes_no_loop_opens_a_connection_and_a_save_is_refused(
    pg_container: Container,
) -> None:
    recorder = _recorder(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    recorder.close_loop_connections()
    with pytest.raises(DatabaseUnavailableError, match="closed"):
        run_in_new_loop(lambda: run_on_loop(
            lambda: recorder.insert_events(_events(uuid.uuid4(), range(1, 2)))))
    assert recorder._loop_connections == {}  # noqa: SLF001 - none was opened


def test_a_loops_call_the_database_does_not_answer_is_a_lost_database_and_its_connection_goes(
    pg_container: Container, postgres_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from infrastructure import postgres_factory
    monkeypatch.setattr(postgres_factory, "ANSWER_WAIT", 0.5)
    recorder = _recorder(pg_container)
    assert isinstance(recorder, AppendingRecorder)
    table = f"{recorder.datastore.schema}.{recorder.events_table_name}"
    first, second = uuid.uuid4(), uuid.uuid4()

    async def run() -> object:
        with psycopg.connect(conninfo(postgres_url)) as holder:
            holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")  # the call waits
            with pytest.raises(DatabaseUnavailableError, match="did not answer"):
                await run_on_loop(lambda: recorder.insert_events(_events(first, range(1, 2))))
        assert recorder._loop_connections == {}  # noqa: SLF001 - the stuck one went
        return await run_on_loop(lambda: recorder.insert_events(_events(second, range(1, 2))))

    outcome = run_in_new_loop(run)
    assert isinstance(outcome, list) and len(outcome) == 1
    assert _versions(recorder, first) == [] and _versions(recorder, second) == [1]
