"""Reports and closure: submit and review reports, complete, hand over, audit, close."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.case import AidCase
from domain.errors import ConflictError, InvalidInputError, NotFoundError, ProcessGuardError
from tests.unit.conftest import AUDITOR, FOCAL, OWNER, Walker, doc, recorded, refused, usd

H1 = ("half_year", date(2026, 1, 1), date(2026, 6, 30))


def submit(case: AidCase, kind: str, start: date, end: date, on: date, **kw: Any) -> None:
    case.submit_report(kind=kind, period_start=start, period_end=end, document=doc("report"),
                       actor=OWNER, effective_date=on, **kw)


def review(case: AidCase, rid: str, accepted: bool, **kw: Any) -> None:
    case.review_report(report_id=rid, accepted=accepted, actor=FOCAL,
                       effective_date=date(2026, 7, 15), **kw)


def test_a_half_year_report_gets_a_deterministic_id(walk: Walker) -> None:
    case = walk.to("in_implementation")
    submit(case, *H1, date(2026, 7, 10))
    assert recorded(case) == ["ReportSubmitted"]
    assert case.reports["half_year-20260101-20260630"]["status"] == "submitted"


@pytest.mark.parametrize("kind,start,end,on,code", [
    ("quarterly", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 5), "invalid_kind"),
    ("half_year", date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 5), "report_period"),
    ("annual", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 5), "report_period"),
    ("half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 29), "period_not_ended"),
    ("completion", date(2026, 5, 1), date(2026, 4, 1), date(2026, 7, 5), "date_order"),
])
def test_reports_with_a_wrong_kind_or_period_are_refused(walk: Walker, kind: str, start: date,
                                                         end: date, on: date,
                                                         code: str) -> None:
    case = walk.to("in_implementation")
    refused(case, InvalidInputError, code, lambda: submit(case, kind, start, end, on))


def test_a_report_cannot_be_submitted_twice_unless_returned(walk: Walker) -> None:
    case = walk.to("in_implementation")
    submit(case, *H1, date(2026, 7, 10))
    case.collect_events()
    refused(case, ProcessGuardError, "report_already_submitted",
            lambda: submit(case, *H1, date(2026, 7, 11)))
    review(case, "half_year-20260101-20260630", False, reasons=["figures missing"])
    submit(case, *H1, date(2026, 7, 16))
    assert recorded(case) == ["ReportReturned", "ReportSubmitted"]
    assert [h["change"] for h in case.reports["half_year-20260101-20260630"]["history"]] == [
        "submitted", "returned", "submitted"]


def test_a_report_id_naming_another_report_is_refused(walk: Walker) -> None:
    case = walk.to("in_implementation")
    submit(case, *H1, date(2026, 7, 10), report_id="R1")
    case.collect_events()
    refused(case, ConflictError, "report_id_conflict",
            lambda: submit(case, "completion", date(2026, 3, 5), date(2026, 7, 1),
                           date(2026, 7, 10), report_id="R1"))


@pytest.mark.parametrize("state", ["approved", "appraised", "closed"])
def test_reports_outside_implementation_and_closing_are_refused(walk: Walker,
                                                                state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: submit(case, *H1, date(2026, 7, 10)))


def test_a_submitted_report_is_accepted(walk: Walker) -> None:
    case = walk.to("in_implementation")
    submit(case, *H1, date(2026, 7, 10))
    review(case, "half_year-20260101-20260630", True)
    assert recorded(case) == ["ReportSubmitted", "ReportAccepted"]
    assert case.reports["half_year-20260101-20260630"]["status"] == "accepted"


def test_reviewing_an_unknown_or_reviewed_report_is_refused(walk: Walker) -> None:
    case = walk.to("in_implementation")
    refused(case, NotFoundError, "report_not_found", lambda: review(case, "nope", True))
    submit(case, *H1, date(2026, 7, 10))
    review(case, "half_year-20260101-20260630", True)
    case.collect_events()
    refused(case, ProcessGuardError, "report_not_submitted",
            lambda: review(case, "half_year-20260101-20260630", True))


def test_returning_a_report_needs_reasons(walk: Walker) -> None:
    case = walk.to("in_implementation")
    submit(case, *H1, date(2026, 7, 10))
    case.collect_events()
    refused(case, InvalidInputError, "reasons_required",
            lambda: review(case, "half_year-20260101-20260630", False, reasons=[]))


def test_obligations_show_overdue_reports_and_a_returned_report_does_not_count(
        walk: Walker) -> None:
    case = walk.to("in_implementation")
    owed = case.obligations(walk.profile, date(2026, 7, 21))
    assert [(o["kind"], o["overdue"]) for o in owed] == [("half_year", True), ("annual", False)]
    submit(case, *H1, date(2026, 7, 22))
    assert not case.obligations(walk.profile, date(2026, 7, 22))[0]["overdue"]
    review(case, "half_year-20260101-20260630", False, reasons=["redo"])
    assert case.obligations(walk.profile, date(2026, 7, 23))[0]["overdue"]


def test_activities_complete_with_an_actual_end_in_the_past(walk: Walker) -> None:
    case = walk.to("spent")
    case.complete_activities(actual_end=date(2026, 12, 15), today=date(2026, 12, 20),
                             actor=OWNER, effective_date=date(2026, 12, 20))
    assert recorded(case) == ["ActivitiesCompleted"]
    assert (case.status, case.iati_status, case.actual_end) == (
        "completed", 3, date(2026, 12, 15))


def test_an_actual_end_in_the_future_is_refused(walk: Walker) -> None:
    case = walk.to("spent")
    refused(case, InvalidInputError, "actual_end_in_future",
            lambda: case.complete_activities(actual_end=date(2026, 12, 21),
                                             today=date(2026, 12, 20), actor=OWNER,
                                             effective_date=date(2026, 12, 20)))


def test_an_actual_end_before_the_actual_start_is_refused(walk: Walker) -> None:
    case = walk.to("spent")
    refused(case, InvalidInputError, "date_order",
            lambda: case.complete_activities(actual_end=date(2026, 3, 1),
                                             today=date(2026, 12, 20), actor=OWNER,
                                             effective_date=date(2026, 12, 20)))


def test_completion_with_a_pending_amendment_is_refused(walk: Walker) -> None:
    case = walk.to("spent")
    case.request_amendment(changes={"title": "Phase two"}, reason="scope", actor=OWNER,
                           effective_date=date(2026, 6, 1))
    case.collect_events()
    refused(case, ProcessGuardError, "amendment_pending",
            lambda: case.complete_activities(actual_end=date(2026, 12, 15),
                                             today=date(2026, 12, 20), actor=OWNER,
                                             effective_date=date(2026, 12, 20)))


@pytest.mark.parametrize("state", ["approved", "suspended", "completed"])
def test_completing_from_other_states_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.complete_activities(actual_end=date(2026, 12, 15),
                                             today=date(2026, 12, 20), actor=OWNER,
                                             effective_date=date(2026, 12, 20)))


@pytest.mark.parametrize("state", ["completed", "terminated"])
def test_assets_are_handed_over_after_completion_or_termination(walk: Walker,
                                                                state: str) -> None:
    case = walk.to(state)
    case.record_handover(document=doc("handover"), actor=OWNER,
                         effective_date=date(2027, 1, 5))
    assert recorded(case) == ["AssetsHandedOver"] and case.handover is not None


def test_a_handover_during_implementation_is_refused(walk: Walker) -> None:
    case = walk.to("in_implementation")
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.record_handover(document=doc(), actor=OWNER,
                                         effective_date=date(2027, 1, 5)))


@pytest.mark.parametrize("state", ["in_implementation", "closed", "rejected"])
def test_an_audit_is_recorded_from_approval_on(walk: Walker, state: str) -> None:
    case = walk.to(state)
    case.record_audit(auditor="State Audit Office", summary="no findings",
                      document=doc("audit"), actor=AUDITOR, effective_date=date(2027, 3, 1))
    assert recorded(case) == ["AuditRecorded"] and case.audits[0]["summary"] == "no findings"


def test_an_audit_of_a_draft_is_refused(walk: Walker) -> None:
    case = walk.to("draft")
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.record_audit(auditor="SAO", summary="s", document=doc(),
                                      actor=AUDITOR, effective_date=date(2027, 3, 1)))


def close(case: AidCase, walk: Walker, on: date = date(2027, 2, 15)) -> None:
    case.close(profile=walk.profile, actor=FOCAL, effective_date=on)


def test_a_case_with_everything_done_is_closed(walk: Walker) -> None:
    case = walk.to("closable")
    close(case, walk)
    assert recorded(case) == ["Closed"]
    assert (case.status, case.iati_status) == ("closed", 4)


def test_closing_without_accepted_completion_and_settlement_is_refused(walk: Walker) -> None:
    case = walk.to("completed")
    case.record_handover(document=doc("handover"), actor=OWNER, effective_date=date(2027, 1, 5))
    case.collect_events()
    error = refused(case, ProcessGuardError, "reports_not_accepted", lambda: close(case, walk))
    assert "reports_overdue" in error.extra["problems"]


def test_closing_without_a_handover_is_refused(walk: Walker) -> None:
    case = walk.to("reported")
    refused(case, ProcessGuardError, "handover_missing", lambda: close(case, walk))


def test_closing_with_an_overdue_report_is_refused(walk: Walker) -> None:
    case = walk.to("completed")
    for kind in ("completion", "settlement"):
        submit(case, kind, date(2026, 3, 5), date(2026, 12, 15), date(2027, 1, 25))
        review(case, f"{kind}-20260305-20261215", True)
    case.record_handover(document=doc("handover"), actor=OWNER, effective_date=date(2027, 2, 1))
    case.collect_events()
    error = refused(case, ProcessGuardError, "reports_overdue", lambda: close(case, walk))
    assert "half_year-20260101-20260630" in error.detail


def test_closing_with_an_unexplained_balance_is_refused_until_a_refund(
        walk: Walker, monkeypatch: pytest.MonkeyPatch) -> None:
    def spend_less(case: AidCase) -> None:
        case.record_expenditure(amount=usd("59000.00"), vnd_rate=Decimal("25000"),
                                aid_account="VCB-0011", profile=walk.profile, actor=OWNER,
                                effective_date=date(2026, 5, 1))

    monkeypatch.setattr(walk, "_spent", spend_less)
    case = walk.to("closable")
    assert case.balance == Decimal("1000.00")
    refused(case, ProcessGuardError, "balance_unexplained", lambda: close(case, walk))
    case.record_refund(amount=usd("1000.00"), vnd_rate=Decimal("25000"), aid_account="VCB-0011",
                       profile=walk.profile, actor=OWNER, effective_date=date(2027, 2, 10))
    close(case, walk)
    assert recorded(case) == ["RefundRecorded", "Closed"]


def test_a_terminated_case_without_money_closes_after_its_reports(walk: Walker) -> None:
    case = walk.to("approved")
    case.terminate(reason="donor withdrew", decision="d", actor=FOCAL,
                   effective_date=date(2026, 3, 1))
    for kind in ("completion", "settlement"):
        submit(case, kind, date(2026, 2, 20), date(2026, 3, 1), date(2026, 3, 10))
        review(case, f"{kind}-20260220-20260301", True)
    case.record_handover(document=doc("handover"), actor=OWNER, effective_date=date(2026, 3, 20))
    close(case, walk, date(2026, 3, 25))
    assert case.status == "closed"


@pytest.mark.parametrize("state", ["in_implementation", "approved", "closed"])
def test_closing_from_other_states_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed", lambda: close(case, walk))
