"""The rebuild's fast paths (event decoding, replay, COPY of new rows, pages that open their
cases) give exactly what the library's paths and a build event by event give, on both
backends, also when a rebuild is interrupted and resumed."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.domain import OriginatorIDError, OriginatorVersionError

from application.projections.aggregates import mutate
from application.projections.base import EventDecoder, StoredNotification
from infrastructure.views.runner import ProjectionRunner
from interfaces.container import Container
from interfaces.demo import load_demo
from tests.application.test_case_views import rows

TABLES = ("audit_ledger", "case_summary", "case_summary_donor", "portfolio",
          "portfolio_contribution", "donor_status", "donor_case", "compliance_flag",
          "compliance_case", "compliance_event", "reporting_obligation")


@pytest.fixture
def demo(container: Container) -> Container:
    if container.background is not None:
        container.background.stop()  # the tests drive the runner themselves
    load_demo(container.services, today=container.services.clock())
    return container


def _log(container: Container) -> list[StoredNotification]:
    runner = container.runner
    return [n for page in runner.pages(1, runner.head()) for n in page]


def _views(container: Container) -> dict[str, list[dict[str, Any]]]:
    return {t: rows(container, t) for t in TABLES}


def test_decoded_events_and_their_replay_equal_the_librarys(demo: Container) -> None:
    app = demo.app
    decoder = EventDecoder(app.mapper)
    assert decoder.fast
    fast: dict[Any, Any] = {}
    slow: dict[Any, Any] = {}
    log = _log(demo)
    assert len(log) > 500
    for n in log:
        event = decoder(n)
        library = decoder._slow(n)
        assert type(event) is type(library)
        assert event.__dict__ == library.__dict__
        fast[n.originator_id] = mutate(event, fast.get(n.originator_id))
        slow[n.originator_id] = library.mutate(slow.get(n.originator_id))
    assert fast.keys() == slow.keys()
    for key, aggregate in fast.items():
        assert vars(aggregate) == vars(slow[key])
        assert vars(aggregate) == vars(app.repository.get(key))


def test_a_replay_refuses_an_event_out_of_sequence(demo: Container) -> None:
    log = [n for n in _log(demo) if n.topic.startswith("domain.case:")]
    first = log[0]
    later = [n for n in log if n.originator_id == first.originator_id]
    other = next(n for n in log if n.originator_id != first.originator_id
                 and n.originator_version == 3)
    assert len(later) >= 3
    aggregate = mutate(later[0].event, None)
    with pytest.raises(OriginatorVersionError):
        mutate(later[2].event, aggregate)
    with pytest.raises(OriginatorIDError):
        mutate(other.event, mutate(later[1].event, aggregate))


def test_new_rows_are_copied_and_a_conflict_fails_the_transaction(container: Container
                                                                    ) -> None:
    store = container.views
    with store.transaction() as tx:
        tx.execute("CREATE TABLE copied (id TEXT PRIMARY KEY, n BIGINT, flag BOOLEAN, "
                   "note TEXT)")
    with store.transaction() as tx:
        tx.insert_rows("copied", ("id", "n", "flag", "note"),
                       [("a", 1, True, None), ("b", 2**40, False, "tab\there, 'quoted'\n")])
        tx.insert_rows("copied", ("id", "n", "flag", "note"), [])
    with pytest.raises(Exception):  # noqa: B017 - sqlite3 or psycopg IntegrityError
        with store.transaction() as tx:
            tx.insert_rows("copied", ("id", "n", "flag", "note"), [("c", 3, True, "")])
            tx.insert_rows("copied", ("id", "n", "flag", "note"), [("a", 4, True, "")])
    with store.transaction(write=False) as tx:
        found = tx.fetchall("SELECT id, n, flag, note FROM copied ORDER BY id")
    assert [(i, n, bool(f), note) for i, n, f, note in found] == [
        ("a", 1, True, None), ("b", 2**40, False, "tab\there, 'quoted'\n")]


class _Crash(BaseException):
    """The process killed mid-batch (an Exception would set the projection aside instead)."""


def test_a_rebuild_interrupted_mid_way_resumes_to_the_views_built_in_small_batches(
        demo: Container) -> None:
    runner = demo.runner
    names = list(runner.projections)
    # The reference: small batches, so most of them continue cases opened in earlier ones.
    runner.batch_size = 7
    for name in names:
        runner.reset(name)
    runner.catch_up()
    built = _views(demo)
    assert built["compliance_flag"] and built["reporting_obligation"] and built["portfolio"]

    # A rebuild in large pages (each opens many cases and has several events of each),
    # with one projection failing in the third page: that page's transaction rolls back.
    runner.batch_size = 200
    compliance = runner.projections["compliance_flag"]
    calls = 0
    original = compliance.process_batch

    def failing(tx: Any, events: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise _Crash
        original(tx, events)

    compliance.process_batch = failing  # type: ignore[method-assign]
    for name in names:
        runner.reset(name)
    with pytest.raises(_Crash):
        runner.catch_up()
    reached = runner.positions()
    assert set(reached.values()) == {max(reached.values())}
    assert 0 < max(reached.values()) < runner.head()
    compliance.process_batch = original  # type: ignore[method-assign]
    runner.catch_up()
    assert _views(demo) == built

    # A fresh process (empty caches) resuming from the same point agrees too.
    for name in names:
        runner.reset(name)
    runner.catch_up(until=reached["audit_ledger"])
    fresh = ProjectionRunner(demo.app, demo.views, list(runner.projections.values()),
                             batch_size=300)
    for p in runner.projections.values():
        feed = getattr(p, "feed", None)
        if feed is not None:
            feed.replay.forget()
    fresh.catch_up()
    assert _views(demo) == built
