"""Many writers on one case: nothing acknowledged is lost and nothing is over-spent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from application.commands.funds import RecordDisbursement
from application.errors import ConcurrentWriteError
from domain.errors import RuleViolationError
from domain.money import Money
from domain.values import Actor
from interfaces.container import Container
from tests.application.support import walk_to_implementation

OWNER = Actor("owner-1", "aid_owner")


def test_sixteen_threads_disbursing_on_one_case_lose_nothing_and_never_overspend(
    container: Container,
) -> None:
    services = container.services
    case_id = walk_to_implementation(services, received="1000")
    acknowledged: list[Decimal] = []
    refusals: list[str] = []

    def disburse(_: int) -> None:
        for _ in range(10):
            try:
                services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                        amount=Money.of("10", "USD"),
                                                        vnd_rate=Decimal("25000"),
                                                        aid_account="VCB-1",
                                                        effective_date=date(2025, 3, 1)))
                acknowledged.append(Decimal("10"))
            except (RuleViolationError, ConcurrentWriteError) as exc:
                refusals.append(exc.code)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(disburse, range(16)))
    case = services.get_case(case_id)
    assert case.totals["disbursed"] == sum(acknowledged)
    assert case.totals["disbursed"] <= case.totals["received"]
    assert sum(acknowledged) == Decimal("1000")
    assert set(refusals) <= {"overspending", "concurrent_write"}
