"""The projection runner applies the log exactly once, rebuilds, verifies and survives crashes."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from eventsourcing.domain import Aggregate, event

from application.audit import AuditLedgerProjection
from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from application.projections.registry import all_projections
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import fresh_schema
from infrastructure.views import BackgroundCatchUp, ProjectionRunner, ViewStore
from infrastructure.views.worker import Worker
from interfaces.container import Container, build_container
from tests.conftest import TEST_SECRET


class Tally(Aggregate):
    @event("Created")
    def __init__(self, name: str) -> None:
        self.name = name
        self.total = 0

    @event("Added")
    def add(self, amount: int) -> None:
        self.total += amount


class Killed(BaseException):
    """The process killed mid-batch (an Exception would set the projection aside instead)."""


class TallyProjection(Projection):
    """Sums the amounts per tally; ``fail_at`` is killed after writing that many rows."""

    name = "tally_total"
    tables = ["tally_total"]

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        return [f"CREATE TABLE IF NOT EXISTS tally_total{suffix} (id TEXT PRIMARY KEY, "
                "name TEXT, total BIGINT NOT NULL, events BIGINT NOT NULL)"]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        t = tx.table("tally_total")
        for written, item in enumerate(events):
            if self.fail_at is not None and written == self.fail_at:
                raise Killed("worker killed mid-batch")
            e = item.event
            amount = e.amount if isinstance(e, Tally.Added) else 0
            tx.execute(f"INSERT INTO {t} (id, name, total, events) VALUES (%s, %s, %s, 1) "
                       f"ON CONFLICT (id) DO UPDATE SET total = {t}.total + excluded.total, "
                       f"events = {t}.events + 1", (str(item.originator_id),
                                                      getattr(e, "name", None), amount))


def record(app: Any, tallies: int = 3, adds: int = 4) -> int:
    """Save some tallies; return the last position."""
    position = 0
    for i in range(tallies):
        tally = Tally(name=f"t{i}")
        for n in range(adds):
            tally.add(n + 1)
        position = app.save(tally)[-1].notification.id
    return position


@contextmanager
def gap(app: Any, store: ViewStore, size: int = 5) -> Iterator[None]:
    """Events saved inside the block start ``size`` positions after the current head."""
    table = app.recorder.events_table_name
    head = app.recorder.max_notification_id() or 0
    with store.transaction() as tx:
        if tx.dialect == "postgres":
            tx.execute("SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                       (table, head + size))
        else:
            # SQLite numbers a new row max(rowid) + 1: park a row at the far end meanwhile.
            tx.execute(f"INSERT INTO {table} (rowid, originator_id, originator_version, topic, "
                       "state) VALUES (%s, 'gap', 0, 'gap', x'00')", (head + size,))
    yield
    if store.dialect == "sqlite":
        with store.transaction() as tx:
            tx.execute(f"DELETE FROM {table} WHERE originator_id = 'gap'")


def rows(store: ViewStore, table: str = "tally_total") -> list[tuple[Any, ...]]:
    with store.transaction(write=False) as tx:
        return tx.fetchall(f"SELECT * FROM {table} ORDER BY 1")


@pytest.fixture
def store(container: Container) -> Iterator[ViewStore]:
    s = ViewStore(container.database)
    yield s
    s.close()


@pytest.fixture
def runner(container: Container, store: ViewStore) -> ProjectionRunner:
    # A small batch, which does not grow, makes every test cross several pages.
    return ProjectionRunner(container.app, store, [AuditLedgerProjection(), TallyProjection()],
                            batch_size=7, max_batch_size=7)


def test_the_registry_starts_with_the_audit_ledger(container: Container) -> None:
    assert [p.name for p in all_projections(container.app, container.rulebook)][0] == "audit_ledger"


def test_catch_up_applies_every_event_once_and_a_second_run_adds_nothing(
        container: Container, runner: ProjectionRunner, store: ViewStore) -> None:
    head = record(container.app)
    assert runner.catch_up() == head == 15
    assert runner.positions() == {"audit_ledger": head, "tally_total": head}
    before = rows(store)
    assert sorted((r[1], r[2], r[3]) for r in before) == [(f"t{i}", 10, 5) for i in range(3)]
    assert runner.catch_up() == 0
    assert rows(store) == before


def test_a_batch_already_tracked_is_skipped(
        container: Container, runner: ProjectionRunner, store: ViewStore) -> None:
    record(container.app)
    runner.catch_up()
    before = rows(store)
    page = next(iter(runner.pages(1, 7)))
    # A stale runner that still believes the projection is at 0 re-applies the first page.
    assert runner.applier.apply(runner.projections["tally_total"], page, 0) == (15, 0, None)
    assert rows(store) == before


def test_catch_up_stops_at_until_and_reports_progress(
        container: Container, runner: ProjectionRunner) -> None:
    record(container.app)
    calls: list[tuple[int, int]] = []
    runner.catch_up(until=10, progress=lambda done, total: calls.append((done, total)))
    assert runner.positions() == {"audit_ledger": 10, "tally_total": 10}
    assert calls == [(7, 10), (10, 10)]


def test_pages_double_while_they_come_back_full_and_a_catch_up_starts_small(
        container: Container, store: ViewStore) -> None:
    growing = ProjectionRunner(container.app, store, [TallyProjection()], batch_size=2,
                               max_batch_size=6)
    head = record(container.app)
    assert head == 15
    assert [len(page) for page in growing.pages(1, head)] == [2, 4, 6, 3]
    calls: list[tuple[int, int]] = []
    thresholds = gc.get_threshold()
    assert growing.catch_up(progress=lambda d, t: calls.append((d, t))) == 15
    assert calls == [(2, 15), (6, 15), (12, 15), (15, 15)]
    assert gc.get_threshold() == thresholds  # relaxed for the long catch-up only
    record(container.app, tallies=1)
    assert [len(page) for page in growing.pages(16, growing.head())] == [2, 3]


def test_a_rebuild_equals_the_incremental_result(
        container: Container, runner: ProjectionRunner, store: ViewStore) -> None:
    record(container.app)
    runner.catch_up()
    record(container.app, tallies=2)
    runner.catch_up()
    incremental = rows(store), rows(store, "audit_ledger")
    calls: list[tuple[int, int]] = []
    assert runner.rebuild("tally_total", progress=lambda d, t: calls.append((d, t))) == 25
    assert (rows(store), rows(store, "audit_ledger")) == incremental
    assert calls[-1] == (25, 25) and len(calls) == 4


def test_verify_finds_nothing_when_the_view_is_intact(
        container: Container, runner: ProjectionRunner, store: ViewStore) -> None:
    record(container.app)
    runner.catch_up()
    assert runner.verify("tally_total") == []
    assert runner.verify("audit_ledger") == []
    with store.transaction(write=False) as tx:
        tables = tx.fetchall("SELECT name FROM sqlite_master WHERE name LIKE '%%shadow'"
                             if tx.dialect == "sqlite" else
                             "SELECT tablename FROM pg_tables WHERE tablename LIKE '%%shadow' "
                             "AND schemaname = current_schema()")
    assert tables == []


def test_verify_reports_every_row_changed_removed_or_added_by_hand(
        container: Container, runner: ProjectionRunner, store: ViewStore) -> None:
    record(container.app)
    runner.catch_up()
    ids = [r[0] for r in rows(store)]
    with store.transaction() as tx:
        tx.execute("UPDATE tally_total SET total = 99 WHERE id = %s", (ids[0],))
        tx.execute("DELETE FROM tally_total WHERE id = %s", (ids[1],))
        tx.execute("INSERT INTO tally_total VALUES ('forged', 'x', 1, 1)")
    found = {(d.kind, d.key[0]): d for d in runner.verify("tally_total")}
    assert set(found) == {("changed", ids[0]), ("only_shadow", ids[1]), ("only_live", "forged")}
    assert found[("changed", ids[0])].columns == {"total": (99, 10)}
    assert "total: 99 (live) != 10 (rebuilt)" in str(found[("changed", ids[0])])


def test_gaps_in_the_log_are_tolerated(
        container: Container, runner: ProjectionRunner, store: ViewStore) -> None:
    first = record(container.app, tallies=1)
    with gap(container.app, store):
        last = record(container.app, tallies=2)
    assert last == first + 5 + 10
    assert runner.catch_up() == 15
    assert runner.position("tally_total") == last
    assert [r[3] for r in rows(store)] == [5, 5, 5]
    assert runner.verify("audit_ledger") == []


def test_a_runner_killed_mid_batch_resumes_without_counting_twice(
        container: Container, store: ViewStore) -> None:
    record(container.app)
    ProjectionRunner(container.app, store, [TallyProjection()], batch_size=7).catch_up(until=7)
    crashing = ProjectionRunner(container.app, store, [TallyProjection(fail_at=3)], batch_size=7)
    with pytest.raises(Killed, match="killed mid-batch"):
        crashing.catch_up()
    assert crashing.position("tally_total") == 7
    healthy = ProjectionRunner(container.app, store, [TallyProjection()], batch_size=7)
    assert healthy.catch_up() == 8
    resumed = rows(store)
    healthy.rebuild("tally_total")
    assert rows(store) == resumed


def test_the_background_runner_keeps_views_caught_up(
        container: Container, runner: ProjectionRunner) -> None:
    background = BackgroundCatchUp(runner, interval=0.05)
    background.start()
    try:
        head = record(container.app)
        # A request thread may catch up at the same moment: the lock keeps it exactly once.
        runner.catch_up()
        assert background.wait_for(head, timeout=5)
    finally:
        background.stop()
    assert runner.positions() == {"audit_ledger": head, "tally_total": head}
    assert runner.verify("tally_total") == []


def test_wait_for_gives_up_at_the_timeout_when_nothing_runs(
        container: Container, runner: ProjectionRunner) -> None:
    head = record(container.app, tallies=1)
    started = time.monotonic()
    assert runner.wait_for(head, timeout=0.1) is False
    assert time.monotonic() - started < 1
    runner.catch_up()
    assert runner.wait_for(head, timeout=0.1, names=["tally_total"]) is True


def _worker(container: Container) -> tuple[Worker, threading.Thread]:
    runner = ProjectionRunner(container.app, ViewStore(container.database),
                              [AuditLedgerProjection(), TallyProjection()])
    worker = Worker(runner, poll=0.1, retry=0.2)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    return worker, thread


def _until(condition: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _one_active_then_the_other(first: Container, second: Container) -> None:
    one_sender = first.database.kind == "sqlite"  # PostgreSQL: every worker sends
    a, a_thread = _worker(first)
    assert _until(lambda: a.active == {"audit_ledger", "tally_total"})
    b, b_thread = _worker(second)
    try:
        head = record(first.app)
        assert a.runner.wait_for(head, timeout=5)
        assert b.active == set()
        assert a.sends_notices and b.sends_notices is not one_sender
        a.stopping.set()
        a_thread.join(5)
        assert _until(lambda: b.active == {"audit_ledger", "tally_total"}, timeout=3)
        assert b.sends_notices
        head = record(first.app, tallies=2)
        assert b.runner.wait_for(head, timeout=5)
        assert b.runner.verify("tally_total") == []
        assert [r[3] for r in rows(b.runner.store)] == [5] * 5
    finally:
        a.stopping.set()
        b.stopping.set()
        a_thread.join(5)
        b_thread.join(5)
        a.runner.store.close()
        b.runner.store.close()
        first.close()
        second.close()


def test_of_two_postgres_workers_one_is_active_and_the_other_takes_over(
        postgres_base_url: str) -> None:
    with fresh_schema(postgres_base_url) as url:
        _one_active_then_the_other(
            build_container(Settings(database_url=url, jwt_secret=TEST_SECRET)),
            build_container(Settings(database_url=url, jwt_secret=TEST_SECRET)))


def test_of_two_workers_on_one_sqlite_file_one_is_active_and_the_other_takes_over(
        tmp_path: Path) -> None:
    # A name with the characters a file: URI must escape (the worker watches the file).
    settings = Settings(database_url=f"sqlite:///{quote(str(tmp_path / 'one #1?.sqlite'))}",
                        jwt_secret=TEST_SECRET, inprocess_projections=False)
    _one_active_then_the_other(build_container(settings), build_container(settings))


def test_a_servers_own_catch_up_stands_by_while_a_worker_runs_the_files_projections(
        tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'one.sqlite'}",
                        jwt_secret=TEST_SECRET, inprocess_projections=True,
                        projection_poll_seconds=0.05)
    working, serving = build_container(settings.model_copy(
        update={"inprocess_projections": False})), build_container(settings)
    worker, thread = _worker(working)
    assert _until(lambda: worker.active == {"audit_ledger", "tally_total"})
    assert serving.background is not None
    serving.background.start()
    try:
        head = record(serving.app)
        assert worker.runner.wait_for(head, timeout=5)
        time.sleep(0.2)  # a few ticks of the server's own catch-up
        assert not serving.background.active  # it tried, and found the lease held
        assert serving.runner.positions()["case_summary"] == 0  # so it applied nothing
        worker.stopping.set()
        thread.join(5)
        assert _until(lambda: serving.background is not None and serving.background.active)
        head = record(serving.app, tallies=1)
        assert serving.background.wait_for(head, timeout=5)
    finally:
        worker.stopping.set()
        thread.join(5)
        worker.runner.store.close()
        working.close()
        serving.close()


def test_an_in_memory_sqlite_database_has_no_worker() -> None:
    memory = build_container(Settings(database_url="sqlite:///:memory:", jwt_secret=TEST_SECRET,
                                      inprocess_projections=False))
    try:
        with pytest.raises(ValueError, match="needs a database file"):
            Worker(memory.runner)
    finally:
        memory.close()


def test_the_live_catch_up_applies_a_bounded_page_per_transaction(
        container: Container, store: ViewStore) -> None:
    growing = ProjectionRunner(container.app, store, [TallyProjection()], batch_size=2,
                               max_batch_size=6)
    head = record(container.app)
    calls: list[tuple[int, int]] = []
    assert growing.catch_up(progress=lambda d, t: calls.append((d, t)), page=4) == head
    assert calls == [(2, 15), (6, 15), (10, 15), (14, 15), (15, 15)]  # never the doubled 6
    live = BackgroundCatchUp(growing, interval=0.05, page=3)
    record(container.app, tallies=1)
    live.start()
    try:
        assert live.wait_for(growing.head(), timeout=10)
    finally:
        live.stop()
    assert growing.positions() == {"tally_total": growing.head()}


def test_a_views_transaction_waits_for_the_disk_only_when_durable(store: ViewStore) -> None:
    def level(**kwargs: bool) -> str:
        with store.transaction(**kwargs) as tx:
            if tx.dialect == "sqlite":
                return {1: "normal", 2: "full"}[tx.fetchall("PRAGMA synchronous")[0][0]]
            return "off" if tx.fetchall("SHOW synchronous_commit")[0][0] == "off" else "on"

    assert level(durable=False) in ("normal", "off")
    assert level() in ("full", "on")  # and back, on the same connection
    assert level(durable=False) in ("normal", "off")
