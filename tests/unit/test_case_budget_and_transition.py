"""Given a case, when its state-budget revenue is entered in the budget or its approval under
replaced rules is reviewed against the new ones, then the event, or the refusal."""

from __future__ import annotations

from datetime import date

from domain.donor import Donor
from domain.errors import ProcessGuardError
from domain.rules import RuleProfile
from tests.unit.conftest import FOCAL, OWNER, Walker, doc, profile_on, recorded, refused

DECREE_80 = profile_on(date(2025, 6, 1))
DECREE_313 = profile_on(date(2026, 1, 15))


def test_state_budget_revenue_entered_in_the_budget_is_recorded_and_shown(
        walk: Walker) -> None:
    case = walk.to("in_implementation")
    case.record_budget_entry(reference="GNT-2026-0117", document=doc(), note="receipt of 5 March",
                             actor=OWNER, effective_date=date(2026, 3, 20))
    assert recorded(case) == ["BudgetEntryRecorded"]
    assert [(e["reference"], e["on"]) for e in case.budget_entries] == [
        ("GNT-2026-0117", date(2026, 3, 20))]
    assert case.state()["budget_entries"][0]["reference"] == "GNT-2026-0117"


def test_a_budget_entry_for_aid_that_is_not_state_budget_revenue_is_refused(
        walk: Walker) -> None:
    case = walk.to("in_implementation", state_budget_revenue=False)
    refused(case, ProcessGuardError, "not_state_budget_revenue",
            lambda: case.record_budget_entry(reference="GNT-1", document=doc(), actor=OWNER,
                                             effective_date=date(2026, 3, 20)))
    assert "budget_entries" not in case.state()


def test_a_budget_entry_before_the_approval_is_refused(walk: Walker) -> None:
    case = walk.to("appraised")
    error = refused(case, ProcessGuardError, "transition_not_allowed",
                    lambda: case.record_budget_entry(reference="GNT-1", document=doc(),
                                                     actor=OWNER,
                                                     effective_date=date(2026, 2, 16)))
    assert isinstance(error, ProcessGuardError) and error.state == "appraised"


def test_a_case_approved_under_decree_80_is_reviewed_against_decree_313(donor: Donor) -> None:
    walk = Walker(donor, DECREE_80)
    case = walk.to("in_implementation")
    case.record_transition_review(note="reporting follows Decree 313 from now", document=doc(),
                                  profile=DECREE_313, actor=FOCAL,
                                  effective_date=date(2026, 3, 10))
    assert recorded(case) == ["TransitionReviewed"]
    assert case.transition_reviews[0]["rule_profile"] == DECREE_313.ref
    assert case.state()["transition_reviews"][0]["on"] == "2026-03-10"


def test_a_transition_review_under_the_rules_the_case_was_approved_under_is_refused(
        walk: Walker, profile: RuleProfile) -> None:
    case = walk.to("approved")
    refused(case, ProcessGuardError, "no_rules_transition",
            lambda: case.record_transition_review(note="nothing changed", document=doc(),
                                                  profile=profile, actor=FOCAL,
                                                  effective_date=date(2026, 3, 10)))


def test_a_transition_review_before_the_approval_is_refused(walk: Walker) -> None:
    case = walk.to("submitted")
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.record_transition_review(note="too early", document=doc(),
                                                  profile=DECREE_313, actor=FOCAL,
                                                  effective_date=date(2026, 3, 10)))
