"""Computed policy: competent authority, due dates and the reporting calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain import policy
from domain.policy import Obligation
from domain.rules import RuleProfile
from tests.unit.conftest import profile_on


def authority(profile: RuleProfile, **kw: object) -> str:
    args: dict[str, object] = dict(aid_form="programme", sensitive_flags=[],
                                   moha_licensed=False, vnd_amount=Decimal("1000"))
    args.update(kw)
    return policy.required_authority(profile, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize("flag", ["security", "defence", "religion", "legal_drafting",
                                  "pm_reserved_goods"])
def test_sensitive_aid_needs_the_prime_minister(profile: RuleProfile, flag: str) -> None:
    assert authority(profile, sensitive_flags=[flag], moha_licensed=True) == "prime_minister"


def test_moha_licensed_associations_need_the_minister_of_home_affairs(
        profile: RuleProfile) -> None:
    assert authority(profile, moha_licensed=True) == "minister_home_affairs"


def test_unaddressed_humanitarian_aid_needs_the_vff_president(profile: RuleProfile) -> None:
    assert authority(profile, aid_form="humanitarian_unaddressed") == "vff_president"


def test_disaster_relief_and_everything_else_goes_to_the_managing_agency(
        profile: RuleProfile) -> None:
    assert authority(profile, aid_form="disaster_relief") == "head_of_managing_agency"
    assert authority(profile, vnd_amount=Decimal("10") ** 15) == "head_of_managing_agency"


def test_value_bands_from_profile_data_choose_the_level(profile: RuleProfile) -> None:
    banded = replace(profile, authority={**profile.authority, "value_bands": [
        {"max_vnd": "1000000000", "level": "provincial_department"},
        {"max_vnd": "5000000000", "level": "head_of_managing_agency"}]})
    assert authority(banded, vnd_amount=Decimal("999")) == "provincial_department"
    assert authority(banded, vnd_amount=Decimal("2000000000")) == "head_of_managing_agency"
    assert authority(banded, vnd_amount=Decimal("9000000000")) == "head_of_managing_agency"


def test_a_delegation_covers_its_level_up_to_its_ceiling(profile: RuleProfile) -> None:
    covers = lambda vnd: policy.authority_covers(  # noqa: E731
        profile, required="head_of_managing_agency",
        signer_level="vice_chair_provincial_peoples_committee", vnd_amount=Decimal(vnd))
    assert covers("10000000000") and not covers("10000000001")


def test_the_required_level_covers_itself_and_nothing_else(profile: RuleProfile) -> None:
    assert policy.authority_covers(profile, required="prime_minister",
                                   signer_level="prime_minister", vnd_amount=Decimal(1))
    assert not policy.authority_covers(profile, required="prime_minister",
                                       signer_level="head_of_managing_agency",
                                       vnd_amount=Decimal(1))


def test_delegations_do_not_exist_without_the_province_override() -> None:
    national = profile_on(date(2026, 2, 1), None)
    assert not policy.authority_covers(national, required="head_of_managing_agency",
                                       signer_level="vice_chair_provincial_peoples_committee",
                                       vnd_amount=Decimal(1))


def test_due_dates_come_from_the_profile(profile: RuleProfile) -> None:
    assert policy.appraisal_due_on(profile, date(2026, 2, 3)) == date(2026, 2, 23)
    assert policy.consultee_reply_due_on(profile, date(2026, 2, 4)) == date(2026, 2, 14)
    longer = replace(profile, params={**profile.params, "appraisal_days": replace(
        profile.params["appraisal_days"], value=30)})
    assert policy.appraisal_due_on(longer, date(2026, 2, 3)) == date(2026, 3, 5)


def test_appraisal_due_dates_use_the_profile_in_force_either_side_of_8_december_2025() -> None:
    before, after = profile_on(date(2025, 12, 7)), profile_on(date(2025, 12, 8))
    assert before.id == "decree-80-2020" and after.id == "decree-313-2025"
    assert policy.appraisal_due_on(before, date(2025, 12, 7)) == date(2025, 12, 27)
    assert policy.appraisal_due_on(after, date(2025, 12, 8)) == date(2025, 12, 28)


def test_implementation_deadline_clamps_to_the_end_of_the_month(profile: RuleProfile) -> None:
    assert policy.implementation_deadline(profile, date(2026, 8, 31)) == date(2027, 2, 28)
    assert policy.implementation_deadline(profile, date(2026, 2, 20)) == date(2026, 8, 20)


def test_a_case_in_implementation_owes_h1_and_annual_reports_then_completion(
        profile: RuleProfile) -> None:
    owed = policy.reporting_obligations(profile, first_receipt_on=date(2026, 3, 5),
                                        actual_end_on=date(2027, 4, 10), as_of=date(2026, 1, 1))
    assert [(o.kind, o.period_start, o.due_on) for o in owed] == [
        ("half_year", date(2026, 1, 1), date(2026, 7, 20)),
        ("annual", date(2026, 1, 1), date(2027, 1, 30)),
        ("half_year", date(2027, 1, 1), date(2027, 7, 20)),
        ("completion", date(2026, 3, 5), date(2027, 10, 7)),
        ("settlement", date(2026, 3, 5), date(2027, 10, 7)),
        ("annual", date(2027, 1, 1), date(2028, 1, 30)),
    ]


def test_a_first_receipt_in_the_second_half_owes_no_h1_report_that_year(
        profile: RuleProfile) -> None:
    owed = policy.reporting_obligations(profile, first_receipt_on=date(2026, 9, 1),
                                        actual_end_on=None, as_of=date(2026, 12, 1))
    assert [o.kind for o in owed] == ["annual"]


def test_without_an_actual_end_only_started_periods_are_owed(profile: RuleProfile) -> None:
    owed = policy.reporting_obligations(profile, first_receipt_on=date(2026, 3, 5),
                                        actual_end_on=None, as_of=date(2027, 1, 2))
    assert [(o.kind, o.period_start.year) for o in owed] == [
        ("half_year", 2026), ("annual", 2026), ("half_year", 2027), ("annual", 2027)]


def test_nothing_is_owed_before_the_first_receipt(profile: RuleProfile) -> None:
    assert policy.reporting_obligations(profile, first_receipt_on=None, actual_end_on=None,
                                        as_of=date(2030, 1, 1)) == []


def test_an_obligation_is_overdue_only_after_its_due_date_without_a_submission() -> None:
    ob = Obligation("half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 20))
    assert not policy.is_overdue(ob, None, date(2026, 7, 20))
    assert policy.is_overdue(ob, None, date(2026, 7, 21))
    assert not policy.is_overdue(ob, date(2026, 7, 25), date(2026, 7, 30))
    assert policy.is_overdue(ob, date(2026, 7, 25), date(2026, 7, 24))


def test_closing_a_case_discharges_the_reports_that_fall_due_after_it() -> None:
    profile = profile_on(date(2025, 1, 1))
    owed = policy.reporting_obligations(profile, first_receipt_on=date(2025, 1, 10),
                                        actual_end_on=date(2025, 3, 31), as_of=date(2026, 6, 1),
                                        closed_on=date(2025, 5, 1))
    assert {o.kind for o in owed} == {"completion", "settlement"}
    open_ = policy.reporting_obligations(profile, first_receipt_on=date(2025, 1, 10),
                                         actual_end_on=date(2025, 3, 31),
                                         as_of=date(2026, 6, 1))
    assert {o.kind for o in open_} == {"half_year", "annual", "completion", "settlement"}
