"""compliance_flag and reporting_obligation on both backends: flags after catch-up, donor
suspensions, rebuild equals incremental, and the queries (filters, as_of, pagination)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from application.commands.appraisal import CompleteAppraisal, RecordOpinion, RequestConsultation
from application.commands.base import CaseCommand
from application.commands.certificates import IssueCertificate, SuspendCertificate
from application.commands.closure import CompleteActivities
from application.commands.decision import Approve
from application.commands.dossier import AcceptDossier, AttachDocument, Submit
from application.commands.funds import RecordDisbursement, RecordReceipt
from application.commands.opening import OpenCase, RegisterDonor
from application.commands.reporting import ReviewReport, SubmitReport
from application.projections.queries_compliance import (
    open_flag_counts,
    query_compliance,
    query_obligations,
)
from application.services import Services
from domain.errors import InvalidInputError
from domain.money import Money
from domain.values import Deviation
from interfaces.container import Container
from tests.application.support import APPROVER, FOCAL, OWNER, REGISTRY, document

DEVIATION = Deviation("the bank account was not yet opened", "memo 4/2025")
TABLES = ("compliance_flag", "compliance_case", "compliance_event", "reporting_obligation")


def register(services: Services, code: str, certificates: dict[str, list[str]]) -> UUID:
    donor_id = services.register_donor(RegisterDonor(actor=REGISTRY, code=code,
                                                     name=f"Donor {code}", country="GB",
                                                     kind="foreign_ngo", iati_ref=None,
                                                     effective_date=date(2024, 1, 1))).id
    for number, provinces in certificates.items():
        services.handle_donor(IssueCertificate(donor_id=donor_id, actor=REGISTRY, number=number,
                                               kind="operation", issued_on=date(2024, 6, 1),
                                               expires_on=date(2027, 5, 31), provinces=provinces,
                                               fields=["1"], effective_date=date(2024, 6, 1)))
    return donor_id


def implemented(services: Services, donor_id: UUID, reference: str, province: str = "BN",
                catch_up: Any = None) -> UUID:
    """A case approved on 25 January 2025 that received 1,000 USD on 1 February 2025."""
    case_id = services.open_case(OpenCase(actor=OWNER, donor_id=donor_id,
                                          requested=Money.of("1000", "USD"),
                                          effective_date=date(2025, 1, 2), reference=reference,
                                          title=f"Case {reference}", description="",
                                          aid_form="programme", province=province,
                                          managing_agency="PPC", aid_owner="DoH",
                                          sectors=[{"code": "14030", "percentage": Decimal(100)}],
                                          planned_start=date(2025, 1, 1),
                                          planned_end=date(2026, 6, 30),
                                          requested_vnd_rate=Decimal("25000"),
                                          state_budget_revenue=False, sensitive_flags=[],
                                          moha_licensed=False)).id
    steps: list[tuple[type[CaseCommand], dict[str, Any]]] = [
        *[(AttachDocument, {"actor": OWNER, "document": document(kind)}) for kind in
          ("request", "donor_consent", "project_document", "donor_legal_status")],
        (Submit, {"actor": OWNER, "effective_date": date(2025, 1, 5)}),
        (AcceptDossier, {"actor": FOCAL, "effective_date": date(2025, 1, 6)}),
        (RequestConsultation, {"actor": FOCAL, "agency": "VUFO",
                               "effective_date": date(2025, 1, 7)}),
        (RecordOpinion, {"actor": FOCAL, "agency": "VUFO", "stance": "agree",
                         "effective_date": date(2025, 1, 10)}),
        (CompleteAppraisal, {"actor": FOCAL, "recommendation": "approve",
                             "effective_date": date(2025, 1, 20)}),
        (Approve, {"actor": APPROVER, "decision_no": "1/QD", "decision_date": date(2025, 1, 25),
                   "signer": "Chair", "authority_level": "head_of_managing_agency",
                   "approved_amount": Money.of("1000", "USD"), "vnd_rate": Decimal("25000"),
                   "effective_date": date(2025, 1, 25)}),
        (RecordReceipt, {"actor": OWNER, "amount": Money.of("1000", "USD"),
                         "vnd_rate": Decimal("25000"), "aid_account": "VCB-1",
                         "effective_date": date(2025, 2, 1)}),
    ]
    for command, kwargs in steps:
        kwargs.setdefault("effective_date", date(2025, 1, 3))
        services.handle_case(command(case_id=case_id, **kwargs))
        if catch_up is not None:
            catch_up()
    return case_id


def flags(container: Container, as_of: date, **kw: Any) -> list[dict[str, Any]]:
    args: dict[str, Any] = dict(provinces=None, filters={}, cursor=None, limit=200,
                                sort="active_from")
    args.update(kw)
    with container.views.transaction(write=False) as tx:
        rows, _ = query_compliance(tx, as_of=as_of, **args)
    return rows


def obligations(container: Container, as_of: date, **kw: Any) -> list[dict[str, Any]]:
    args: dict[str, Any] = dict(provinces=None, filters={}, cursor=None, limit=200,
                                sort="due_on")
    args.update(kw)
    with container.views.transaction(write=False) as tx:
        rows, _ = query_obligations(tx, as_of=as_of, **args)
    return rows


def table(container: Container, name: str) -> list[tuple[Any, ...]]:
    with container.views.transaction(write=False) as tx:
        return sorted(tx.fetchall(f"SELECT * FROM {name}"), key=repr)


def test_a_deviation_shows_as_a_flag_with_its_evidence_after_catch_up(
        container: Container) -> None:
    services = container.services
    donor_id = register(services, "OXF", {"C-1": ["BN"]})
    case_id = implemented(services, donor_id, "BN-2025-0001")
    result = services.handle_case(RecordReceipt(case_id=case_id, actor=OWNER,
                                                amount=Money.of("10", "USD"),
                                                vnd_rate=Decimal("25000"),
                                                effective_date=date(2025, 3, 1),
                                                deviation=DEVIATION))
    container.runner.catch_up()
    [flag] = flags(container, date(2025, 3, 1), filters={"code": "C13"})
    assert flag["case_id"] == str(case_id) and flag["severity"] == "critical"
    assert flag["active_from"] == "2025-03-01" and flag["active_until"] is None
    assert flag["open"] is True and flag["reference"] == "BN-2025-0001"
    assert flag["evidence"] == [result.position]
    assert flag["first_seen_position"] == flag["updated_position"] == result.position
    assert DEVIATION.reason in flag["message"]
    assert flags(container, date(2025, 2, 28), filters={"code": "C13"}) == []


def test_a_certificate_suspension_flags_every_active_case_it_covers_at_once(
        container: Container) -> None:
    services = container.services
    donor_id = register(services, "SCF", {"C-1": ["BN", "HN"], "C-2": ["QN"]})
    bn = implemented(services, donor_id, "BN-2025-0002")
    hn = implemented(services, donor_id, "HN-2025-0003", province="HN")
    qn = implemented(services, donor_id, "QN-2025-0004", province="QN")
    done = implemented(services, donor_id, "BN-2025-0005")
    services.handle_case(CompleteActivities(case_id=done, actor=OWNER,
                                            actual_end=date(2025, 3, 31),
                                            effective_date=date(2025, 4, 1)))
    container.runner.catch_up()
    assert flags(container, date(2025, 6, 1), filters={"code": "C03"}) == []
    suspension = services.handle_donor(SuspendCertificate(donor_id=donor_id, actor=REGISTRY,
                                                          number="C-1", reason="inspection",
                                                          effective_date=date(2025, 6, 1)))
    container.runner.catch_up()
    found = flags(container, date(2025, 6, 1), filters={"code": "C03"})
    assert {f["case_id"] for f in found} == {str(bn), str(hn)}
    assert all(f["active_from"] == "2025-06-01" and f["severity"] == "critical"
               and f["updated_position"] == suspension.position for f in found)
    assert str(qn) not in {f["case_id"] for f in found}
    assert str(done) not in {f["case_id"] for f in found}
    with container.views.transaction(write=False) as tx:
        counts = open_flag_counts(tx, [bn, qn], date(2025, 6, 1))
    assert counts == {bn: 1, qn: 0}


def test_a_rebuild_equals_the_incremental_views(container: Container) -> None:
    services, runner = container.services, container.runner
    donor_id = register(services, "PLN", {"C-1": ["BN"]})
    first = implemented(services, donor_id, "BN-2025-0006", catch_up=runner.catch_up)
    second = implemented(services, donor_id, "BN-2025-0007", catch_up=runner.catch_up)
    services.handle_case(SubmitReport(case_id=first, actor=OWNER, kind="half_year",
                                      period_start=date(2025, 1, 1), period_end=date(2025, 6, 30),
                                      document=document("report"),
                                      effective_date=date(2025, 8, 1)))
    runner.catch_up()
    services.handle_case(RecordDisbursement(case_id=second, actor=OWNER,
                                            amount=Money.of("1500", "USD"),
                                            vnd_rate=Decimal("25000"), aid_account="VCB-1",
                                            effective_date=date(2025, 4, 1), deviation=DEVIATION))
    runner.catch_up()
    services.handle_donor(SuspendCertificate(donor_id=donor_id, actor=REGISTRY, number="C-1",
                                             reason="inspection", effective_date=date(2025, 9, 1)))
    runner.catch_up()
    assert runner.verify("compliance_flag") == []
    assert runner.verify("reporting_obligation") == []
    before = {name: table(container, name) for name in TABLES}
    assert before["compliance_flag"] and before["reporting_obligation"]
    runner.rebuild("compliance_flag")
    runner.rebuild("reporting_obligation")
    assert {name: table(container, name) for name in TABLES} == before


def test_compliance_queries_filter_by_state_code_place_and_page_with_a_cursor(
        container: Container) -> None:
    services = container.services
    donor_id = register(services, "CRE", {"C-1": ["BN", "HN"]})
    cases = [implemented(services, donor_id, f"{p}-2025-01{i}", province=p)
             for i, p in enumerate(("BN", "BN", "HN"))]
    container.runner.catch_up()
    # No report was sent: the half-year 2025 one is overdue from 21 July 2025, the annual
    # 2025 one (due 30 January 2026) from 31 January 2026.
    later = date(2026, 2, 1)
    assert {f["case_id"] for f in flags(container, later, filters={"code": "C08"})} == {
        str(c) for c in cases}
    assert len(flags(container, later, filters={"code": "C08"})) == 6
    assert len(flags(container, date(2026, 1, 30), filters={"code": "C08"})) == 3
    assert flags(container, date(2025, 7, 20), filters={"code": "C08"}) == []
    assert {f["province"] for f in flags(container, later, provinces=["HN"])} == {"HN"}
    assert flags(container, later, provinces=[]) == []
    assert all(f["case_id"] == str(cases[0]) for f in flags(
        container, later, filters={"case_id": str(cases[0])}))
    assert all(f["severity"] == "warning" for f in flags(
        container, later, filters={"severity": "warning"}))
    assert flags(container, later, filters={"severity": "critical"}) == []
    # Half-year 2025 was overdue from 21 July 2025 and is resolved once submitted.
    services.handle_case(SubmitReport(case_id=cases[0], actor=OWNER, kind="half_year",
                                      period_start=date(2025, 1, 1), period_end=date(2025, 6, 30),
                                      document=document("report"),
                                      effective_date=date(2025, 8, 1)))
    container.runner.catch_up()
    [resolved] = flags(container, later, filters={"state": "resolved"})
    assert (resolved["active_from"], resolved["active_until"]) == ("2025-07-21", "2025-08-01")
    assert resolved["resolved_on"] == "2025-08-01" and resolved["open"] is False
    assert len(flags(container, date(2025, 7, 31), filters={"code": "C08"})) == 3
    everything = flags(container, later, filters={"state": "all"})
    paged: list[dict[str, Any]] = []
    cursor = None
    while True:
        with container.views.transaction(write=False) as tx:
            page, cursor = query_compliance(tx, provinces=None, filters={"state": "all"},
                                            as_of=later, cursor=cursor, limit=2,
                                            sort="-active_from")
        assert len(page) <= 2
        paged += page
        if cursor is None:
            break
    assert sorted(map(repr, paged)) == sorted(map(repr, everything)) and len(paged) > 2
    assert [p["active_from"] for p in paged] == sorted((p["active_from"] for p in paged),
                                                       reverse=True)
    with container.views.transaction(write=False) as tx, pytest.raises(InvalidInputError):
        query_compliance(tx, provinces=None, filters={}, as_of=later, cursor=cursor or "x",
                         limit=2, sort="message")


def test_the_reporting_calendar_computes_each_status_as_of_a_date(container: Container) -> None:
    services = container.services
    donor_id = register(services, "ACT", {"C-1": ["BN"]})
    case_id = implemented(services, donor_id, "BN-2025-0020")
    rid = "half_year-20250101-20250630"
    services.handle_case(SubmitReport(case_id=case_id, actor=OWNER, kind="half_year",
                                      period_start=date(2025, 1, 1), period_end=date(2025, 6, 30),
                                      document=document("report"),
                                      effective_date=date(2025, 7, 10)))
    services.handle_case(ReviewReport(case_id=case_id, actor=FOCAL, report_id=rid, accepted=True,
                                      effective_date=date(2025, 7, 15)))
    container.runner.catch_up()

    def status(as_of: date) -> dict[tuple[str, str], str]:
        return {(o["kind"], o["period_start"]): o["status"] for o in obligations(container,
                                                                                 as_of)}

    assert status(date(2025, 6, 1)) == {("half_year", "2025-01-01"): "upcoming",
                                        ("annual", "2025-01-01"): "upcoming"}
    assert status(date(2025, 7, 1))[("half_year", "2025-01-01")] == "due"
    assert status(date(2025, 7, 12))[("half_year", "2025-01-01")] == "submitted"
    assert status(date(2025, 7, 15))[("half_year", "2025-01-01")] == "accepted"
    later = status(date(2026, 2, 1))
    assert later[("annual", "2025-01-01")] == "overdue"
    assert later[("half_year", "2026-01-01")] == "upcoming"
    assert ("annual", "2026-01-01") in later  # the planned end (30 June 2026) is in 2026
    overdue = obligations(container, date(2026, 2, 1), filters={"status": "overdue"})
    assert [(o["kind"], o["due_on"], o["overdue"]) for o in overdue] == [
        ("annual", "2026-01-30", True)]
    assert [o["kind"] for o in obligations(container, date(2026, 2, 1),
                                           filters={"kind": "half_year"})] == [
        "half_year", "half_year"]
    window = obligations(container, date(2027, 3, 1),
                         filters={"due_from": "2026-01-01", "due_to": "2026-12-31"})
    assert [o["due_on"] for o in window] == ["2026-01-30", "2026-07-20"]
    assert obligations(container, date(2026, 2, 1), provinces=["HN"]) == []
    with container.views.transaction(write=False) as tx:
        first, cursor = query_obligations(tx, provinces=None, filters={}, as_of=date(2027, 3, 1),
                                          cursor=None, limit=3, sort="due_on")
        rest, end = query_obligations(tx, provinces=None, filters={}, as_of=date(2027, 3, 1),
                                      cursor=cursor, limit=3, sort="due_on")
    assert cursor is not None and end is None
    assert [o["due_on"] for o in first + rest] == [
        "2025-07-20", "2026-01-30", "2026-07-20", "2027-01-30"]
    with container.views.transaction(write=False) as tx, pytest.raises(InvalidInputError):
        query_obligations(tx, provinces=None, filters={"status": "late"}, as_of=date(2026, 1, 1),
                          cursor=None, limit=10, sort="due_on")


def test_a_case_touched_again_is_checked_on_the_transactions_of_the_later_batch(
        container: Container) -> None:
    services, runner = container.services, container.runner
    donor_id = register(services, "MSF", {"C-1": ["BN"]})
    case_id = implemented(services, donor_id, "BN-2025-0008", catch_up=runner.catch_up)
    services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                            amount=Money.of("1500", "USD"),
                                            vnd_rate=Decimal("25000"), aid_account="VCB-1",
                                            effective_date=date(2025, 4, 1), deviation=DEVIATION))
    runner.catch_up()
    codes = {f["code"] for f in flags(container, date(2025, 4, 1))}
    assert "C10" in codes, codes
    assert runner.verify("compliance_flag") == []
