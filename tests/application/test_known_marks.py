"""The compliance projection's marks kept in memory (``application/projections/known_marks.py``)
are used only while they are what ``compliance_event`` holds, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from application.commands.certificates import SuspendCertificate
from application.commands.funds import RecordDisbursement
from application.projections.known_marks import AggregateMarks, KnownMarks, MarkRow
from domain.money import Money
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from tests.application.support import OWNER, REGISTRY
from tests.application.test_compliance_projection import (
    flags,
    implemented,
    register,
)

EVENTS = "compliance_event"


def marks(first: int, last: int) -> list[MarkRow]:
    return [MarkRow(v, 100 + v, "DisbursementRecorded", "", 0) for v in range(first, last + 1)]


@pytest.fixture
def stored(container: Container) -> Container:
    """``compliance_event`` holding versions 1 to 3 of aggregate "a"."""
    with container.views.transaction() as tx:
        tx.insert_rows(EVENTS, ("aggregate_id", "version", "position", "name", "event_key",
                                "deviations"), [("a", *m) for m in marks(1, 3)])
    return container


class Reads:
    """A view transaction that remembers what it was asked."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx
        self.asked: list[str] = []

    def fetchall(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        self.asked.append(sql)
        return list(self.tx.fetchall(sql, params))


def kept(rows: list[MarkRow]) -> AggregateMarks:
    return AggregateMarks(rows)


def whole(container: Container, known: KnownMarks, added: dict[str, list[MarkRow]]
          ) -> tuple[dict[str, int], list[str]]:
    """The last version of what ``known`` can tell of "a" now, and the statements it read
    with."""
    with container.views.transaction(write=False) as tx:
        reads = Reads(tx)
        found = known.whole(reads, EVENTS, ["a"], added)  # type: ignore[arg-type]
        return {k: m.version for k, m in found.items()}, reads.asked


def test_kept_marks_that_end_where_the_table_does_are_used_with_one_query_of_versions(
        stored: Container) -> None:
    known = KnownMarks()
    known.keep({"a": kept(marks(1, 3))})
    found, reads = whole(stored, known, {})
    assert found == {"a": 3}
    assert len(reads) == 1 and "MAX(version)" in reads[0]


def test_a_batchs_own_marks_that_follow_the_kept_ones_complete_them(stored: Container) -> None:
    known = KnownMarks()
    known.keep({"a": kept(marks(1, 2))})
    assert whole(stored, known, {"a": marks(3, 3)})[0] == {"a": 3}
    # Completed in place: the kept marks now end at version 3, and their positions are the
    # stored ones.
    assert whole(stored, known, {})[0] == {"a": 3}
    assert known._kept.get("a").positions([1, 3, 4]) == {101, 103}  # type: ignore[union-attr]


def test_kept_marks_ahead_of_the_table_as_after_a_rolled_back_batch_are_not_used(
        stored: Container) -> None:
    known = KnownMarks()
    known.keep({"a": kept(marks(1, 5))})
    assert whole(stored, known, {})[0] == {}


def test_kept_marks_behind_the_table_as_after_another_process_wrote_are_not_used(
        stored: Container) -> None:
    known = KnownMarks()
    known.keep({"a": kept(marks(1, 2))})
    assert whole(stored, known, {})[0] == {}
    # Nor joined to a batch's marks that do not follow them.
    known.keep({"a": kept(marks(1, 1))})
    assert whole(stored, known, {"a": marks(3, 3)})[0] == {}


def test_the_marks_kept_are_bounded_and_marks_larger_than_the_bound_are_not_kept() -> None:
    known = KnownMarks(capacity=5)
    known.keep({"a": kept(marks(1, 3))})
    known.keep({"b": kept(marks(1, 2))})
    assert len(known) == 5
    known.keep({"c": kept(marks(1, 2))})  # one of the others is forgotten to make room
    assert len(known) <= 5 and "c" in known._kept
    known.keep({"d": kept(marks(1, 6))})  # more than all it may keep: not kept at all
    assert "d" not in known._kept and len(known) <= 5


def test_with_no_capacity_nothing_is_kept_and_everything_is_read_back(
        stored: Container) -> None:
    known = KnownMarks(capacity=0)
    known.keep({"a": kept(marks(1, 3))})
    assert len(known) == 0
    assert whole(stored, known, {}) == ({}, [])


@pytest.fixture
def two_processes(settings: Settings) -> Iterator[tuple[Container, Container]]:
    """Two containers on one store, each catching its views up only when told."""
    quiet = settings.model_copy(update={"inprocess_projections": False})
    first = build_container(quiet)
    try:
        second = build_container(quiet)
        try:
            yield first, second
        finally:
            second.close()
    finally:
        first.close()


def test_a_runner_whose_kept_marks_another_runner_overtook_evaluates_from_the_table(
        two_processes: tuple[Container, Container]) -> None:
    first, second = two_processes
    services = first.services
    donor_id = register(services, "KMA", {"C-1": ["BN"]})
    case_id = implemented(services, donor_id, "BN-2025-0101")
    first.runner.catch_up()
    _disburse(services, case_id, date(2025, 5, 1))
    first.runner.catch_up()  # touched again: the first keeps the donor's and the case's marks
    kept = first.runner.projections["compliance_flag"].marks._kept  # type: ignore[attr-defined]
    assert str(case_id) in kept and str(donor_id) in kept
    # The other applies the donor's suspension: the first's donor marks are now behind.
    services.handle_donor(SuspendCertificate(donor_id=donor_id, actor=REGISTRY, number="C-1",
                                             reason="inspection", effective_date=date(2025, 6, 1)))
    second.runner.catch_up()
    # A new event of the case, applied by the first: it evaluates the case with the donor.
    _disburse(services, case_id, date(2025, 7, 1))
    first.runner.catch_up()
    assert first.runner.verify("compliance_flag") == []
    assert [f["code"] for f in flags(first, date(2025, 7, 1), filters={"code": "C03"})] == ["C03"]


def _disburse(services: Any, case_id: Any, on: date) -> None:
    services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                            amount=Money.of("10", "USD"),
                                            vnd_rate=Decimal("25000"), aid_account="VCB-1",
                                            effective_date=on))


def test_an_aggregate_first_seen_in_a_batch_is_kept_only_once_touched_again(
        container: Container) -> None:
    """A rebuild sees most cases within one page: keeping them all would fill the bound
    with marks never used again."""
    services = container.services
    donor_id = register(services, "KMB", {"C-1": ["BN"]})
    case_id = implemented(services, donor_id, "BN-2025-0102")
    _disburse(services, case_id, date(2025, 5, 1))
    compliance: Any = container.runner.projections["compliance_flag"]
    container.runner.catch_up()  # one batch: the donor and the case are first seen in it
    assert len(compliance.marks) == 0 and len(compliance.transactions) == 0
    _disburse(services, case_id, date(2025, 6, 1))
    container.runner.catch_up()
    assert str(case_id) in compliance.marks._kept and str(donor_id) in compliance.marks._kept
    assert len(compliance.transactions) > 0
    assert container.runner.verify("compliance_flag") == []
