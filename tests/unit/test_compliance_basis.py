"""A flag or a refusal says whether the rules it rests on are verified (``basis_verified``):
Decree 80/2020 Art. 4 was read, no article of Decree 313/2025 was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.compliance import FlagSpan, History, evaluate_case, marks_of
from domain.compliance.spans import merge
from domain.errors import RuleViolationError
from tests.unit.conftest import OWNER, Walker, profile_on, refused, usd

DECREE_80 = profile_on(date(2025, 3, 1))


def test_a_flag_resting_on_a_verified_parameter_says_so_and_one_under_decree_313_does_not(
        walk: Walker) -> None:
    case = walk.to("approved")
    for profile, verified in ((DECREE_80, True), (walk.profile, False)):
        [flag] = [s for s in evaluate_case(case, walk.donor, profile,
                                           History(marks_of(case.pending_events)))
                  if s.code == "C07"]
        assert flag.basis_verified is verified, profile.ref


def test_spans_merged_into_one_flag_are_verified_only_when_each_of_them_is() -> None:
    day = date(2026, 3, 1)
    parts = [FlagSpan("C06", "warning", m, "ref", day, basis_verified=v)
             for m, v in (("late", True), ("no VUFO", False))]
    assert [s.basis_verified for s in merge(parts)] == [False]
    assert [s.basis_verified for s in merge(parts[:1])] == [True]


def test_a_span_alone_on_its_day_is_kept_as_merging_it_with_its_twin_would_make_it() -> None:
    span = FlagSpan("C13", "critical", "cash", "ref", date(2026, 3, 1), date(2026, 4, 1),
                    (3, 7), (2,), True)
    later = FlagSpan("C13", "critical", "cash", "ref", date(2026, 5, 1))
    assert merge([later, span]) == [span, later] and merge([later, span])[0] is span
    assert merge([span, span]) == [span]


def test_a_rule_refusal_says_whether_its_basis_is_verified(walk: Walker) -> None:
    for profile, verified in ((DECREE_80, True), (walk.profile, False)):
        case = walk.to("appraised")
        error = refused(case, RuleViolationError, "receipt_before_approval",
                        lambda: case.record_receipt(
                            amount=usd("10000.00"), vnd_rate=Decimal("25000"),
                            aid_account="VCB-0011", donor=walk.donor, profile=profile,
                            actor=OWNER, effective_date=date(2026, 3, 5)))
        assert isinstance(error, RuleViolationError)
        assert error.basis_verified is verified, profile.ref
