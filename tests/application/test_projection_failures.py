"""A projection that fails on an event stops there, visibly, and holds no other projection back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event
from structlog.testing import capture_logs

from application.audit import AuditLedgerProjection
from application.errors import ProjectionFailedError
from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from infrastructure.logging import get_logger
from infrastructure.settings import Settings
from infrastructure.views import BackgroundCatchUp, ProjectionRunner, ViewStore
from infrastructure.views import set_aside as set_aside_module
from infrastructure.views.failures import Backoff
from infrastructure.views.worker import Worker
from interfaces.container import Container, build_container
from tests.application.test_projection_runner import TallyProjection, record, rows
from tests.conftest import TEST_SECRET

TOO_WIDE = 2 ** 70  # no 64-bit integer column holds it


@contextmanager
def projection_logs() -> Iterator[list[dict[str, Any]]]:
    """The runner's log lines: a logger made inside the capture, since loggers are cached on
    first use (an earlier test may already have used the runner's)."""
    with capture_logs() as logs:
        original = set_aside_module.log
        set_aside_module.log = get_logger("aidtrail.projections")
        try:
            yield logs
        finally:
            set_aside_module.log = original


class Gauge(Aggregate):
    @event("Created")
    def __init__(self, name: str) -> None:
        self.name = name
        self.value = 0

    @event("Set")
    def set(self, value: int) -> None:
        self.value = value


class LastAmount(Projection):
    """The last value of each gauge, in a 64-bit column; ``fixed`` caps the value."""

    name = "tally_last"
    tables = ["tally_last"]

    def __init__(self, fixed: bool = False) -> None:
        self.fixed = fixed

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        return [f"CREATE TABLE IF NOT EXISTS tally_last{suffix} (id TEXT PRIMARY KEY, "
                "amount BIGINT NOT NULL)"]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        t = tx.table("tally_last")
        for item in (n for n in events if isinstance(n.event, Gauge.Set)):
            amount = item.event.value
            if self.fixed:
                amount = min(amount, 2 ** 62)
            tx.execute(f"INSERT INTO {t} (id, amount) VALUES (%s, %s) ON CONFLICT (id) "
                       "DO UPDATE SET amount = excluded.amount", (str(item.originator_id),
                                                                  amount))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(container: Container) -> Iterator[ViewStore]:
    s = ViewStore(container.database)
    yield s
    s.close()


def runner_of(container: Container, store: ViewStore, last: LastAmount,
              clock: Clock) -> ProjectionRunner:
    return ProjectionRunner(container.app, store, [AuditLedgerProjection(), TallyProjection(),
                                                   last], batch_size=7, max_batch_size=7,
                            backoff=Backoff(base=1.0, cap=8.0), clock=clock)


def poison(app: Any) -> int:
    """Save a gauge whose second value no view column holds; return that event's position."""
    gauge = Gauge(name="wide")
    gauge.set(1)
    gauge.set(TOO_WIDE)
    gauge.set(2)
    return int(app.save(gauge)[2].notification.id)


@pytest.fixture
def poisoned(container: Container) -> tuple[int, int]:
    """15 events, the poisoned one after them, then 15 more: (its position, the head)."""
    record(container.app)
    bad = poison(container.app)
    return bad, record(container.app)


def failed_lines(logs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for entry in logs if entry["event"] == "projection_failed"]


def test_a_projection_that_cannot_store_a_row_stops_at_that_event_while_the_others_reach_the_head(
        container: Container, store: ViewStore, poisoned: tuple[int, int]) -> None:
    bad, head = poisoned
    runner = runner_of(container, store, LastAmount(), Clock())
    runner.catch_up()
    assert runner.positions() == {"audit_ledger": head, "tally_total": head,
                                  "tally_last": bad - 1}
    # Every event before the bad one is in the view, exactly once; none after it.
    assert [r[1] for r in rows(store, "tally_last")] == [1]
    assert sorted(r[3] for r in rows(store)) == [4] + [5] * 6  # the gauge has 4 events
    failure = runner.failures()["tally_last"]
    assert (failure.position, failure.code, failure.attempts) == (bad, "value_out_of_range", 1)
    assert failure.error_class in {"OverflowError", "psycopg.errors.NumericValueOutOfRange"}
    assert str(TOO_WIDE) not in failure.message
    assert set(runner.failures()) == {"tally_last"}


def test_retries_back_off_and_log_once_per_step_whatever_the_number_of_catch_ups(
        container: Container, store: ViewStore, poisoned: tuple[int, int]) -> None:
    bad, _ = poisoned
    clock = Clock()
    runner = runner_of(container, store, LastAmount(), clock)
    with projection_logs() as logs:
        for step in range(6):
            for _ in range(20):  # as often as the loop runs: only a due retry is tried
                runner.catch_up()
            clock.now += 2 ** step
    lines = failed_lines(logs)
    assert [line["retry_in_seconds"] for line in lines] == [1, 2, 4, 8, 8, 8]  # capped
    assert [line["attempt"] for line in lines] == [1, 2, 3, 4, 5, 6]
    assert all(line["projection"] == "tally_last" and line["position"] == bad
               and line["code"] == "value_out_of_range" for line in lines)
    assert runner.failures()["tally_last"].attempts == 6


def test_after_the_cause_is_removed_the_projection_catches_up_and_its_failure_is_cleared(
        container: Container, store: ViewStore, poisoned: tuple[int, int]) -> None:
    bad, head = poisoned
    clock = Clock()
    last = LastAmount()
    runner = runner_of(container, store, last, clock)
    runner.catch_up()
    last.fixed = True  # a transient cause gone: tried again when the back-off has passed
    assert runner.catch_up() == 0
    clock.now += 1
    with projection_logs() as logs:
        assert runner.catch_up() == head - bad + 1
    assert runner.positions()["tally_last"] == head and runner.failures() == {}
    assert [e["event"] for e in logs] == ["projection_recovered"]
    record(container.app, tallies=1)
    assert runner.catch_up() == 5  # back on the one-transaction path with the others


def test_a_runner_started_after_a_fix_tries_a_recorded_failure_at_once(
        container: Container, store: ViewStore, poisoned: tuple[int, int]) -> None:
    _, head = poisoned
    runner_of(container, store, LastAmount(), Clock()).catch_up()
    restarted = runner_of(container, store, LastAmount(fixed=True), Clock())
    assert set(restarted.failures()) == {"tally_last"}  # seen by another runner too
    restarted.catch_up()
    assert restarted.positions()["tally_last"] == head and restarted.failures() == {}
    assert restarted.verify("tally_last") == []


def test_waiting_for_a_position_behind_a_failed_projection_fails_at_once_naming_it(
        container: Container, store: ViewStore, poisoned: tuple[int, int]) -> None:
    bad, head = poisoned
    runner = runner_of(container, store, LastAmount(), Clock())
    runner.catch_up()
    with pytest.raises(ProjectionFailedError) as raised:
        runner.wait_for(head, timeout=60)
    assert raised.value.code == "projection_failed"
    assert [(p["projection"], p["position"]) for p in raised.value.extra["projections"]] == [
        ("tally_last", bad)]
    assert runner.wait_for(bad - 1, timeout=60, names=["tally_last"]) is True
    assert runner.wait_for(head, timeout=60, names=["audit_ledger", "tally_total"]) is True


def test_a_rebuild_clears_the_failure_and_records_it_again_if_the_cause_remains(
        container: Container, store: ViewStore, poisoned: tuple[int, int]) -> None:
    bad, _ = poisoned
    runner = runner_of(container, store, LastAmount(), Clock())
    runner.catch_up()
    with projection_logs() as logs:
        runner.rebuild("tally_last")
    assert [line["attempt"] for line in failed_lines(logs)] == [1]
    assert runner.failures()["tally_last"].position == bad
    assert runner.position("tally_last") == bad - 1


def test_the_background_thread_logs_a_failure_once_per_back_off_step_and_keeps_the_others_up(
        container: Container, store: ViewStore, poisoned: tuple[int, int]) -> None:
    _, head = poisoned
    backoff = Backoff(base=0.1, cap=0.4)
    runner = ProjectionRunner(container.app, store, [AuditLedgerProjection(), TallyProjection(),
                                                     LastAmount()], backoff=backoff)
    background = BackgroundCatchUp(runner, interval=0.005)  # 200 ticks a second
    with projection_logs() as logs:
        started = time.monotonic()
        background.start()
        try:
            assert background.wait_for(head, timeout=30, names=["audit_ledger", "tally_total"])
            time.sleep(1.0)
        finally:
            background.stop()
        elapsed = time.monotonic() - started
    # Waits of 0.1, 0.2, 0.4, 0.4 … s: attempts start at 0, 0.1, 0.3, 0.7, 1.1 … s at the
    # earliest, so no more of them fit in the window.
    steps, due = 0, 0.0
    while due <= elapsed:
        steps += 1
        due += min(0.4, 0.1 * 2 ** (steps - 1))
    lines = failed_lines(logs)
    assert 1 <= len(lines) <= steps
    assert [line["attempt"] for line in lines] == list(range(1, len(lines) + 1))
    assert runner.positions()["tally_total"] == head


def test_a_postgres_worker_sets_a_failing_projection_aside_and_keeps_the_others_caught_up(
        postgres_url: str) -> None:
    container = build_container(Settings(database_url=postgres_url, jwt_secret=TEST_SECRET))
    runner = ProjectionRunner(container.app, ViewStore(container.database),
                              [AuditLedgerProjection(), TallyProjection(), LastAmount()])
    worker = Worker(runner, poll=0.05, retry=0.1)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        record(container.app)
        bad = poison(container.app)
        head = record(container.app)
        assert runner.wait_for(head, timeout=30, names=["audit_ledger", "tally_total"])
        with pytest.raises(ProjectionFailedError):
            runner.wait_for(head, timeout=30, names=["tally_last"])
        assert runner.failures()["tally_last"].position == bad
        assert thread.is_alive()
    finally:
        worker.stopping.set()
        thread.join(5)
        runner.store.close()
        container.close()
