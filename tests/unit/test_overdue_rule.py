"""The one overdue rule, and the obligation state's overdue intervals that follow it."""

from __future__ import annotations

from datetime import date, timedelta

from domain import policy
from domain.compliance.obligations import Interval, ObligationState

DUE = date(2026, 7, 20)


def day(n: int) -> date:
    return DUE + timedelta(days=n)


def state(*counted: Interval) -> ObligationState:
    return ObligationState(policy.HALF_YEAR, date(2026, 1, 1), date(2026, 6, 30), DUE, "r",
                           counted=counted)


def test_an_obligation_is_overdue_after_its_due_date_while_no_submission_counts() -> None:
    counted = [(day(2), day(4))]
    assert [policy.overdue_on(DUE, counted, day(n)) for n in range(-1, 6)] == [
        False, False, True, False, False, True, True]
    assert not policy.overdue_on(DUE, [(day(-3), None)], day(9))


def test_the_overdue_intervals_hold_exactly_on_the_days_the_rule_says_overdue() -> None:
    for counted in [(), ((day(2), day(4)),), ((day(-2), day(1)), (day(3), None)),
                    ((day(1), day(2)), (day(2), day(3))), ((day(3), day(3)),)]:
        ob = state(*counted)
        spans = ob.overdue()
        for n in range(-2, 8):
            inside = any(s <= day(n) and (e is None or day(n) < e) for s, e in spans)
            assert inside == policy.overdue_on(DUE, counted, day(n)), (counted, n)


def test_a_report_submitted_and_returned_on_one_day_leaves_one_unbroken_overdue_span() -> None:
    assert state((day(3), day(3))).overdue() == [(day(1), None)]
    assert state((day(2), day(4))).overdue() == [(day(1), day(2)), (day(4), None)]


def test_the_aggregate_overdue_flag_is_the_rule_with_its_counting_submission() -> None:
    ob = policy.Obligation(policy.HALF_YEAR, date(2026, 1, 1), date(2026, 6, 30), DUE)
    for submitted in (None, day(-1), day(0), day(2)):
        for n in range(-1, 4):
            counted = [] if submitted is None else [(submitted, None)]
            assert policy.is_overdue(ob, submitted, day(n)) == policy.overdue_on(
                DUE, counted, day(n))
