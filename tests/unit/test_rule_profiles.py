"""Rule profiles are data: the one in force is chosen by date, then a province overrides it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.rules import NoProfileInForceError
from infrastructure.rule_profiles import RuleDataError, load_rulebook


def test_decree_80_is_in_force_on_the_last_day_before_decree_313() -> None:
    assert load_rulebook().in_force(date(2025, 12, 7)).id == "decree-80-2020"


def test_decree_313_is_in_force_from_8_december_2025() -> None:
    assert load_rulebook().in_force(date(2025, 12, 8)).id == "decree-313-2025"


def test_historic_cases_are_judged_by_decree_93() -> None:
    assert load_rulebook().in_force(date(2015, 3, 1)).id == "decree-93-2009"


def test_a_date_before_every_profile_has_none_in_force() -> None:
    with pytest.raises(NoProfileInForceError):
        load_rulebook().in_force(date(1990, 1, 1))


def test_a_province_override_replaces_only_its_own_parameters() -> None:
    book = load_rulebook()
    national = book.in_force(date(2026, 3, 1))
    bac_ninh = book.in_force(date(2026, 3, 1), "BN")
    assert bac_ninh.ref == "decree-313-2025@1+BN@1"
    assert bac_ninh.value("focal_agency") != national.value("focal_agency")
    assert bac_ninh.value("appraisal_days") == national.value("appraisal_days")
    assert bac_ninh.authority["delegations"] and not national.authority["delegations"]


def test_unverified_parameters_are_marked_and_verified_ones_are_not() -> None:
    decree_80 = load_rulebook().in_force(date(2025, 3, 1))
    assert "half_year_report_due_days" in decree_80.unverified()
    assert "implementation_start_months" not in decree_80.unverified()


def test_no_parameter_of_decree_313_is_verified_while_no_article_of_it_was_read() -> None:
    decree_313 = load_rulebook().in_force(date(2026, 1, 15), "BN")
    assert decree_313.unverified() == sorted(decree_313.params)
    assert not decree_313.basis("authority_level").verified


def test_every_parameter_cites_its_source() -> None:
    for profile in load_rulebook().profiles:
        assert all(p.citation for p in profile.params.values()), profile.id


def test_a_parameter_without_its_citation_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        'id="x"\nversion=1\ninstrument="X"\neffective_from=2020-01-01\n'
        "[params.appraisal_days]\nvalue = 20\n"
    )
    with pytest.raises(RuleDataError, match="appraisal_days"):
        load_rulebook(tmp_path)


def test_a_missing_rules_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RuleDataError, match="not found"):
        load_rulebook(tmp_path / "nowhere")
