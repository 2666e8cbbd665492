"""One lookup finds the rules a case is judged by, for commands and for views alike."""

from __future__ import annotations

from datetime import date

from application.profiles import case_profile
from application.projections.compliance import ProfileCache, cached_profile
from domain.donor import Donor
from infrastructure.rule_profiles import load_rulebook
from tests.unit.conftest import Walker, open_case, profile_on, register_donor

BOOK = load_rulebook()
TODAY = date(2026, 2, 1)


def _donor() -> Donor:
    return register_donor(profile_on(date(2025, 6, 1)))


def test_a_submitted_case_is_judged_by_its_legal_basis_by_commands_and_views() -> None:
    donor = _donor()
    case = Walker(donor, profile_on(date(2026, 1, 15))).to("submitted")

    assert case_profile(BOOK, case, date(2030, 1, 1)).ref == case.legal_basis
    assert case_profile(BOOK, case).ref == case.legal_basis


def test_before_submission_a_command_reads_the_rules_in_force_a_view_the_recorded_basis(
) -> None:
    donor = _donor()
    legacy = open_case(donor, legal_basis="decree-80-2020@1")

    assert case_profile(BOOK, legacy, TODAY) == BOOK.in_force(TODAY, "BN")
    assert case_profile(BOOK, legacy) == BOOK.in_force(date(2020, 7, 11), "BN")


def test_a_basis_the_rule_book_does_not_know_falls_back_to_the_rules_of_the_opening_day() -> None:
    donor = _donor()
    early = open_case(donor, legal_basis="provisional", effective_date=date(2025, 1, 10))
    later = open_case(donor, legal_basis="provisional", effective_date=date(2026, 1, 10))
    cache: ProfileCache = {}

    assert cached_profile(early, BOOK, cache) == BOOK.in_force(date(2025, 1, 10), "BN")
    assert cached_profile(later, BOOK, cache) == BOOK.in_force(date(2026, 1, 10), "BN")
    assert cached_profile(early, BOOK, cache) != cached_profile(later, BOOK, cache)
