"""Commands start from the state this process saved last, brought up to date with what any
other process wrote since (application/latest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from application.commands.funds import RecordDisbursement
from domain.errors import RuleViolationError
from domain.money import Money
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from tests.application.support import OWNER, walk_to_implementation


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
