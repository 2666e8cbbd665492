"""Commands start from the state this process saved last, brought up to date with what any
other process wrote since (application/latest.py): by a version conflict and a full load,
and after one, by reading first what was stored after the state in hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from eventsourcing.persistence import IntegrityError

from application.commands.funds import RecordDisbursement
from application.on_loop import run_on_loop
from application.services import CONTESTED_READS
from domain.errors import RuleViolationError
from domain.money import Money
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from tests.application.support import OWNER, walk_to_implementation
from tests.support.event_loop import run_in_new_loop


def _disburse(container: Container, case_id: object, amount: str,
              expected_version: int | None = None) -> int:
    return container.services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                             amount=Money.of(amount, "USD"),
                                                             vnd_rate=Decimal("25000"),
                                                             aid_account="VCB-1",
                                                             effective_date=date(2025, 3, 1),
                                                             expected_version=expected_version)).version


@pytest.fixture
def other_process(settings: Settings) -> Iterator[Container]:
    """A second container on the same database: what another serving process sees."""
    other = build_container(settings.model_copy(update={"inprocess_projections": False}))
    yield other
    other.close()


def test_a_command_after_another_process_wrote_decides_on_the_newer_state(
    container: Container, other_process: Container,
) -> None:
    case_id = walk_to_implementation(container.services, received="1000")
    _disburse(container, case_id, "600")          # kept in this process's cache
    version = _disburse(other_process, case_id, "300")
    # If-Match with the version the other process produced: not stale here.
    assert _disburse(container, case_id, "50", expected_version=version) == version + 1
    with pytest.raises(RuleViolationError):        # 600 + 300 + 50 + 100 > 1,000 received
        _disburse(container, case_id, "100")
    assert container.services.get_case(case_id).totals["disbursed"] == Decimal("950")


def test_a_refused_command_leaves_the_saved_state_for_the_next_command(
    container: Container,
) -> None:
    case_id = walk_to_implementation(container.services, received="1000")
    version = _disburse(container, case_id, "600")
    with pytest.raises(RuleViolationError):
        _disburse(container, case_id, "500")
    assert _disburse(container, case_id, "400") == version + 1
    case = container.services.get_case(case_id)
    assert case.version == version + 1 and case.totals["disbursed"] == Decimal("1000")


def test_with_the_cache_off_commands_load_from_the_store(settings: Settings) -> None:
    uncached = build_container(settings.model_copy(update={"aggregate_cache_size": 0,
                                                           "inprocess_projections": False}))
    try:
        case_id = walk_to_implementation(uncached.services, received="1000")
        version = _disburse(uncached, case_id, "10")
        assert len(uncached.services._latest) == 0
        assert uncached.services.get_case(case_id).version == version
    finally:
        uncached.close()


class _Counted:
    """How often a process's saves conflicted and how often it read before deciding."""

    def __init__(self, container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
        self.conflicts = self.reads = 0
        app = container.services.app
        save, fast_forward = app.save, app.fast_forward

        def counted_save(*objs: object, **kwargs: object) -> object:
            try:
                return save(*objs, **kwargs)
            except IntegrityError:
                self.conflicts += 1
                raise

        def counted_fast_forward(aggregate: object) -> object:
            self.reads += 1
            return fast_forward(aggregate)

        monkeypatch.setattr(app, "save", counted_save)
        monkeypatch.setattr(app, "fast_forward", counted_fast_forward)


def _after_a_conflict(container: Container, other_process: Container) -> object:
    """A case whose last command in ``container`` conflicted with ``other_process``'s."""
    case_id = walk_to_implementation(container.services, received="1000")
    _disburse(container, case_id, "10")
    _disburse(other_process, case_id, "10")
    _disburse(container, case_id, "10")            # decided on v(n), saved on a full load
    return case_id


def test_after_a_conflict_a_process_reads_what_another_wrote_instead_of_conflicting_again(
    container: Container, other_process: Container, monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = walk_to_implementation(container.services, received="1000")
    _disburse(container, case_id, "100")
    counted = _Counted(container, monkeypatch)
    _disburse(other_process, case_id, "100")
    _disburse(container, case_id, "100")           # decided on v(n), saved on a full load
    assert (counted.conflicts, counted.reads) == (1, 0)
    for _ in range(3):                             # the two processes take turns
        _disburse(other_process, case_id, "100")
        _disburse(container, case_id, "100")
    assert (counted.conflicts, counted.reads) == (1, 3)
    _disburse(other_process, case_id, "100")
    with pytest.raises(RuleViolationError):        # 1,000 disbursed: refused on what was read
        _disburse(container, case_id, "200")
    assert counted.conflicts == 1
    assert container.services.get_case(case_id).totals["disbursed"] == Decimal("1000")


def test_a_process_that_writes_alone_again_stops_reading_before_deciding(
    container: Container, other_process: Container, monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = _after_a_conflict(container, other_process)
    counted = _Counted(container, monkeypatch)
    for _ in range(CONTESTED_READS + 3):
        _disburse(container, case_id, "1")
    assert (counted.conflicts, counted.reads) == (0, CONTESTED_READS)
    assert container.services.get_case(case_id).totals["disbursed"] == Decimal(
        30 + CONTESTED_READS + 3)


def test_a_command_on_the_event_loop_reads_what_another_process_wrote_off_the_loop(
    container: Container, other_process: Container, monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = _after_a_conflict(container, other_process)
    counted = _Counted(container, monkeypatch)
    version = _disburse(other_process, case_id, "100")
    # Run as the API runs a command (application/on_loop.py), where a query would block.
    assert run_in_new_loop(lambda: run_on_loop(
        lambda: _disburse(container, case_id, "100"))) == version + 1
    assert (counted.conflicts, counted.reads) == (0, 1)
