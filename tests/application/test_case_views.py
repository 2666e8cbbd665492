"""The case views (case_summary, portfolio, donor_status) agree with the aggregates, on both
backends; a rebuild equals the incremental result, and verify notices a hand-made change."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from application.commands.certificates import IssueCertificate, SuspendCertificate
from application.commands.funds import (
    MoneyMovement,
    RecordDisbursement,
    RecordExpenditure,
    RecordReceipt,
)
from application.commands.opening import RegisterDonor
from application.commands.reporting import SubmitReport
from application.commands.sanctions import Revoke
from application.projections.case_summary import from_minor
from application.projections.portfolio import split_exactly
from application.services import Services
from domain.money import Money
from interfaces.container import Container
from tests.application.support import (
    APPROVER,
    OWNER,
    REGISTRY,
    approved_case,
    document,
    walk_to_implementation,
)

VIEWS = ("case_summary", "portfolio", "donor_status")
TABLES = ("case_summary", "case_summary_donor", "portfolio", "portfolio_contribution",
          "donor_status", "donor_case")


def rows(container: Container, table: str, where: str = "", params: tuple[Any, ...] = ()
         ) -> list[dict[str, Any]]:
    with container.views.transaction(write=False) as tx:
        if tx.dialect == "sqlite":
            names = [str(r[1]) for r in tx.fetchall(f"PRAGMA table_info({table})")]
        else:
            names = [str(r[0]) for r in tx.fetchall(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() ORDER BY ordinal_position", (table,))]
        found = tx.fetchall(f"SELECT {', '.join(names)} FROM {table}{where}", params)
    return sorted((dict(zip(names, r, strict=True)) for r in found), key=repr)


def donor(services: Services, code: str, provinces: list[str] | None = None) -> UUID:
    donor_id = services.register_donor(RegisterDonor(actor=REGISTRY, code=code,
                                                     name=f"Donor {code}", country="GB",
                                                     kind="foreign_ngo", iati_ref=None,
                                                     effective_date=date(2024, 1, 1))).id
    services.handle_donor(IssueCertificate(donor_id=donor_id, actor=REGISTRY, number=f"C-{code}",
                                           kind="operation", issued_on=date(2024, 6, 1),
                                           expires_on=date(2027, 5, 31),
                                           provinces=provinces or ["BN", "HN"], fields=["1"],
                                           effective_date=date(2024, 6, 1)))
    return donor_id


def money(services: Services, case_id: UUID, command: type[MoneyMovement], amount: str,
          on: date, rate: str = "25000") -> None:
    services.handle_case(command(case_id=case_id, actor=OWNER, amount=Money.of(amount, "USD"),
                                 vnd_rate=Decimal(rate), aid_account="VCB-1", effective_date=on))


def test_a_case_summary_row_is_the_aggregates_state_after_catch_up(container: Container
                                                                   ) -> None:
    services = container.services
    case_id = walk_to_implementation(services, received="1000.50")
    money(services, case_id, RecordDisbursement, "400.25", date(2025, 3, 1), rate="25100")
    container.runner.catch_up()
    state = services.get_case(case_id).state()
    [row] = rows(container, "case_summary")
    assert row["id"] == state["id"] and row["reference"] == state["reference"]
    for key in ("title", "province", "donor_id", "aid_form", "status", "iati_status",
                "currency", "planned_start", "planned_end", "actual_start", "version"):
        assert row[key] == state[key], key
    assert row["sectors"] == "14030"
    assert row["donor_name"] == "Oxfam"
    assert row["last_position"] == container.runner.head()
    assert row["approved_on"] == "2025-01-25"
    # Case currency in minor units (cents), VND in whole dong: both exact.
    assert from_minor(row["approved_minor"], "USD") == Decimal(state["approved_amount"])
    assert from_minor(row["received_minor"], "USD") == Decimal(state["totals"]["received"])
    assert row["received_minor"] == 100050 and row["disbursed_minor"] == 40025
    assert row["received_vnd"] == int(Decimal(state["totals_vnd"]["received"])) == 25012500
    assert row["disbursed_vnd"] == int(Decimal(state["totals_vnd"]["disbursed"])) == 10046275
    assert row["approved_vnd"] == 25012500 and row["spent_vnd"] == 0
    # First receipt on 1 Feb 2025: the half-year report is due 20 days after 30 June.
    assert row["next_report_due"] == "2025-07-20"


def test_the_next_report_due_moves_on_when_the_report_is_submitted(container: Container
                                                                   ) -> None:
    services = container.services
    case_id = walk_to_implementation(services)
    services.handle_case(SubmitReport(case_id=case_id, actor=OWNER, kind="half_year",
                                      period_start=date(2025, 1, 1), period_end=date(2025, 6, 30),
                                      document=document("report"),
                                      effective_date=date(2025, 7, 10)))
    container.runner.catch_up()
    [row] = rows(container, "case_summary")
    assert row["next_report_due"] == "2026-01-30"  # the annual report for 2025


def test_portfolio_sums_equal_the_cases_split_exactly_by_sector(container: Container) -> None:
    services = container.services
    d1, d2 = donor(services, "D1"), donor(services, "D2")
    thirds = [("12220", "33.33"), ("14030", "33.33"), ("11110", "33.34")]
    a = approved_case(services, d1, "BN-2025-0101", "1000.01", thirds)
    b = approved_case(services, d1, "BN-2025-0102", "777.77", [("12220", "60"), ("14030", "40")])
    c = approved_case(services, d2, "HN-2025-0103", "12345.67", [("12220", "100")],
                      province="HN")
    money(services, a, RecordReceipt, "1000.01", date(2025, 2, 1), rate="25123.45")
    money(services, a, RecordExpenditure, "333.33", date(2025, 3, 1), rate="25001.99")
    money(services, c, RecordReceipt, "5000", date(2025, 2, 1))
    container.runner.catch_up()

    cases = [services.get_case(x) for x in (a, b, c)]
    portfolio = rows(container, "portfolio")
    for total in ("received", "disbursed", "spent"):
        assert sum(r[f"{total}_vnd"] for r in portfolio) == sum(
            int(k.totals_vnd[total]) for k in cases)
    assert sum(r["approved_vnd"] for r in portfolio) == sum(int(k.approved_vnd) for k in cases)
    assert sum(r["lead_case_count"] for r in portfolio) == 3
    assert sum(r["case_count"] for r in portfolio) == 6  # one per (case, sector)
    # Each case's shares add up exactly to its own totals, and follow its percentages.
    shares = rows(container, "portfolio_contribution", " WHERE case_id = %s", (str(a),))
    received = int(cases[0].totals_vnd["received"])
    assert sum(r["received_vnd"] for r in shares) == received
    assert sorted(r["received_vnd"] for r in shares) == sorted(
        split_exactly(received, [Decimal(p) for _, p in thirds]))
    # The aggregate is the sum of the contributions, group by group.
    expected: dict[tuple[Any, ...], int] = defaultdict(int)
    for r in rows(container, "portfolio_contribution"):
        expected[(r["province"], r["donor_id"], r["sector"], r["status"], r["year"])] += \
            r["spent_vnd"]
    assert {(r["province"], r["donor_id"], r["sector"], r["status"], r["year"]):
            r["spent_vnd"] for r in portfolio} == dict(expected)
    assert {r["status"] for r in portfolio} == {"approved", "in_implementation"}
    assert {r["year"] for r in portfolio} == {2025}


def test_a_case_leaves_its_old_portfolio_group_when_its_status_changes(container: Container
                                                                      ) -> None:
    services = container.services
    d = donor(services, "D1")
    case_id = approved_case(services, d, "BN-2025-0201", "100", [("12220", "100")])
    container.runner.catch_up()
    assert [r["status"] for r in rows(container, "portfolio")] == ["approved"]
    money(services, case_id, RecordReceipt, "100", date(2025, 2, 1))
    container.runner.catch_up()
    [row] = rows(container, "portfolio")
    assert (row["status"], row["case_count"], row["received_vnd"]) == (
        "in_implementation", 1, 2500000)


def test_split_exactly_gives_whole_shares_that_add_up() -> None:
    assert split_exactly(100, [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]) == \
        [33, 33, 34]
    assert split_exactly(10, [Decimal(1), Decimal(1), Decimal(1)]) == [4, 3, 3]
    assert split_exactly(7, [Decimal("50"), Decimal("50")]) == [4, 3]
    big = 10**18 + 7
    assert sum(split_exactly(big, [Decimal("0.01"), Decimal("99.99")])) == big


def test_donor_status_counts_the_donors_active_cases(container: Container) -> None:
    services = container.services
    d1, d2 = donor(services, "D1"), donor(services, "D2")
    approved_case(services, d1, "BN-2025-0301", "100", [("12220", "100")])
    revoked = approved_case(services, d1, "HN-2025-0302", "100", [("12220", "100")],
                            province="HN")
    approved_case(services, d1, "HN-2025-0303", "100", [("12220", "100")], province="HN")
    container.runner.catch_up()
    counts = {r["donor_id"]: r["active_cases"] for r in rows(container, "donor_status")}
    assert counts == {str(d1): 3, str(d2): 0}
    services.handle_case(Revoke(case_id=revoked, actor=APPROVER, reason="nothing implemented",
                                decision="9/QD", effective_date=date(2025, 9, 1)))
    container.runner.catch_up()
    [row] = rows(container, "donor_status", " WHERE donor_id = %s", (str(d1),))
    assert row["active_cases"] == 2
    assert (row["certificate_no"], row["status"], row["valid_to"], row["provinces"]) == (
        "C-D1", "active", "2027-05-31", "BN,HN")
    services.handle_donor(SuspendCertificate(donor_id=d1, actor=REGISTRY, number="C-D1",
                                             reason="inspection",
                                             effective_date=date(2025, 10, 1)))
    container.runner.catch_up()
    [row] = rows(container, "donor_status", " WHERE donor_id = %s", (str(d1),))
    assert (row["status"], row["active_cases"]) == ("suspended", 2)


def test_a_donor_without_a_certificate_has_one_row(container: Container) -> None:
    services = container.services
    services.register_donor(RegisterDonor(actor=REGISTRY, code="GOV", name="A government",
                                          country="JP", kind="foreign_government", iati_ref=None,
                                          effective_date=date(2024, 1, 1)))
    container.runner.catch_up()
    [row] = rows(container, "donor_status")
    assert (row["certificate_no"], row["status"], row["donor_kind"]) == (
        "", None, "foreign_government")


def _everything(container: Container) -> dict[str, list[dict[str, Any]]]:
    return {t: rows(container, t) for t in TABLES}


def _populate(services: Services) -> None:
    d = donor(services, "D1")
    walk_to_implementation(services)
    a = approved_case(services, d, "BN-2025-0401", "5000", [("12220", "70"), ("14030", "30")])
    money(services, a, RecordReceipt, "2500", date(2025, 2, 1))
    money(services, a, RecordDisbursement, "1000", date(2025, 3, 1))
    b = approved_case(services, d, "HN-2025-0402", "100", [("12220", "100")], province="HN")
    services.handle_case(Revoke(case_id=b, actor=APPROVER, reason="nothing implemented",
                                decision="9/QD", effective_date=date(2025, 9, 1)))


@pytest.mark.parametrize("batch_size", [3, 500])
def test_a_rebuild_equals_the_incremental_views(container: Container, batch_size: int) -> None:
    services = container.services
    runner = container.runner
    runner.batch_size = batch_size
    _populate(services)
    runner.catch_up()  # a command at a time would do the same: see the next test
    before = _everything(container)
    assert before["case_summary"] and before["portfolio"] and before["donor_status"]
    for name in VIEWS:
        runner.rebuild(name)
    assert _everything(container) == before


def test_views_caught_up_event_by_event_equal_a_rebuild(container: Container) -> None:
    services = container.services
    runner = container.runner
    runner.batch_size = 1
    original = services.handle_case

    def run_and_catch_up(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        runner.catch_up()
        return result

    services.handle_case = run_and_catch_up  # type: ignore[method-assign]
    _populate(services)
    runner.catch_up()
    incremental = _everything(container)
    runner.batch_size = 500
    for name in VIEWS:
        runner.rebuild(name)
    assert _everything(container) == incremental


def test_verify_finds_no_difference_then_the_row_altered_by_hand(container: Container) -> None:
    services = container.services
    _populate(services)
    container.runner.catch_up()
    for name in VIEWS:
        assert container.runner.verify(name) == []
    with container.views.transaction() as tx:
        tx.execute("UPDATE case_summary SET title = 'forged' WHERE reference = %s",
                   ("BN-2025-0401",))
        tx.execute("UPDATE portfolio SET spent_vnd = spent_vnd + 1 WHERE sector = %s",
                   ("14030",))
        tx.execute("UPDATE donor_status SET active_cases = 99")
    [summary] = container.runner.verify("case_summary")
    assert summary.kind == "changed" and summary.columns["title"][0] == "forged"
    differences = container.runner.verify("portfolio")
    assert differences and all(d.kind == "changed" and set(d.columns) == {"spent_vnd"}
                               for d in differences)
    assert container.runner.verify("donor_status")
