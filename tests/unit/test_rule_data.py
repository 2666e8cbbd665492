"""The rule files tell the truth about their sources: ``verified = true`` only where a named
source that was read states the rule (instrument, article, where it was read), and every
date in them is cited."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.case_guards import RULE_FLAGS
from infrastructure.rule_profiles import DEFAULT_RULES_DIR, RuleDataError, load_rulebook

RULE_FILES = sorted(DEFAULT_RULES_DIR.rglob("*.toml"))
# Rules a check applies without a parameter, besides the rule guards' own codes.
CHECK_BASES = ("donor_notified_of_rejection", "donor_notified_of_revocation")


def _tables(raw: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    yield path or "(top)", raw
    for key, value in raw.items():
        if isinstance(value, dict):
            yield from _tables(value, f"{path}.{key}" if path else key)


def _entries(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, table in _tables(tomllib.loads(path.read_text(encoding="utf-8"))):
        if "verified" in table:
            yield name, table


def test_there_are_rule_files_to_check() -> None:
    assert len(RULE_FILES) >= 3


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_no_entry_is_verified_while_its_citation_says_it_is_not(path: Path) -> None:
    wrong = [name for name, t in _entries(path)
             if t["verified"] is True and "not verified" in str(t.get("citation", "")).lower()]
    assert wrong == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_a_verified_entry_names_its_article_and_where_it_was_read(path: Path) -> None:
    wrong = [name for name, t in _entries(path) if t["verified"] is True
             and not ("Art. " in str(t.get("citation", "")) and str(t.get("source", "")))]
    assert wrong == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_date_in_a_rule_file_is_cited(path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    cited_dates = raw.get("dates", {})
    uncited = [f"{name}.{key}" for name, table in _tables(raw)
               for key, value in table.items() if isinstance(value, date)
               and "citation" not in table
               and "citation" not in cited_dates.get(key, {})]
    assert uncited == []


def test_every_profile_names_the_source_of_each_rule_it_applies_without_a_parameter() -> None:
    for profile in load_rulebook().profiles:
        missing = [r for r in (*RULE_FLAGS, *CHECK_BASES)
                   if r != "authority_level" and r not in profile.bases]
        assert missing == [], profile.id


def test_a_profile_whose_effective_date_is_not_cited_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        'id="x"\nversion=1\ninstrument="X"\neffective_from=2020-01-01\n')
    with pytest.raises(RuleDataError, match=r"effective_from needs a citation"):
        load_rulebook(tmp_path)
