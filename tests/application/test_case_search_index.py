"""The case search and the sector filter find the same cases however they are served: on
SQLite by the FTS5 index when few cases match, by reading the rows in order when many do or
the term is too short for it, on PostgreSQL by the trigram indexes; the index follows every
change of a case and is filled for a store made before it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest

import application.projections.text_index as text_index
from application.commands.dossier import UpdateDraft
from application.commands.opening import OpenCase, RegisterDonor
from application.projections.case_summary import SUMMARY
from application.projections.queries import query_cases
from application.services import Services
from domain.money import Money
from infrastructure.schema import SCHEMA_VERSION, current_version
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from tests.application.support import OWNER, REGISTRY
from tests.conftest import TEST_SECRET

TITLES = {"BN-2025-0001": ("Nước sạch cho trường học", "14030"),
          "BN-2025-0002": ("Cấp nước sạch nông thôn", "14031"),
          "BN-2025-0003": ("Đường nông thôn", "21020"),
          "BN-2025-0004": ("Trạm y tế xã", "12220"),
          "BN-2025-0005": ("Y tế học đường 100%", "12191")}
SEARCHES = ["nuoc sach", "NƯỚC SẠCH", "nong thon", "y te", "te", "100%", "bn-2025-000",
            "khong co nhu the", "đường"]
SECTORS = ["12", "122", "1403", "14031", "2", "151"]


def _open(services: Services, donor_id: UUID, reference: str, title: str, sector: str) -> UUID:
    return services.open_case(OpenCase(
        actor=OWNER, donor_id=donor_id, requested=Money.of("1000", "USD"),
        effective_date=date(2025, 1, 2), reference=reference, title=title, description="",
        aid_form="programme", province="BN", managing_agency="PPC", aid_owner="DoH",
        sectors=[{"code": sector, "percentage": Decimal("100")}],
        planned_start=date(2025, 1, 1), planned_end=date(2026, 6, 30),
        requested_vnd_rate=Decimal("25000"), state_budget_revenue=False, sensitive_flags=[],
        moha_licensed=False)).id


def _cases(container: Container) -> dict[str, UUID]:
    donor_id = container.services.register_donor(RegisterDonor(
        actor=REGISTRY, code="D-1", name="Oxfam", country="GB", kind="foreign_ngo",
        iati_ref=None, effective_date=date(2024, 1, 1))).id
    made = {ref: _open(container.services, donor_id, ref, title, sector)
            for ref, (title, sector) in TITLES.items()}
    container.runner.catch_up()
    return made


def _found(container: Container, **filters: str) -> list[str]:
    with container.views.transaction(write=False) as tx:
        page = query_cases(tx, provinces=None, filters=filters, as_of=date(2026, 3, 1),
                           cursor=None, limit=50, sort="reference")
    return [item["reference"] for item in page.items]


def _every_way(container: Container, monkeypatch: pytest.MonkeyPatch, **filters: str
               ) -> list[str]:
    """What a filter finds with the index asked for every match, and with it never asked
    (any match more than none is 'many'); both must agree."""
    monkeypatch.setattr(text_index, "FEW", 1000)
    by_index = _found(container, **filters)
    monkeypatch.setattr(text_index, "FEW", 0)
    by_rows = _found(container, **filters)
    assert by_index == by_rows, filters
    return by_index


def test_searches_and_sector_filters_find_the_same_cases_by_the_index_and_by_the_rows(
    container: Container, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _cases(container)
    found = {text: _every_way(container, monkeypatch, q=text) for text in SEARCHES}
    sectors = {code: _every_way(container, monkeypatch, sector=code) for code in SECTORS}

    assert found["nuoc sach"] == found["NƯỚC SẠCH"] == ["BN-2025-0001", "BN-2025-0002"]
    assert found["nong thon"] == ["BN-2025-0002", "BN-2025-0003"]
    assert found["y te"] == ["BN-2025-0004", "BN-2025-0005"]
    assert found["100%"] == ["BN-2025-0005"]  # a wildcard is a character, not a pattern
    assert found["bn-2025-000"] == sorted(TITLES)
    assert found["khong co nhu the"] == []
    assert found["đường"] == ["BN-2025-0003", "BN-2025-0005"]
    assert sectors["12"] == ["BN-2025-0004", "BN-2025-0005"]
    assert sectors["122"] == ["BN-2025-0004"]
    assert sectors["1403"] == ["BN-2025-0001", "BN-2025-0002"]
    assert sectors["14031"] == ["BN-2025-0002"]
    assert sectors["2"] == ["BN-2025-0003"]
    assert sectors["151"] == []


def test_the_index_follows_a_changed_title_and_a_rebuild(container: Container) -> None:
    made = _cases(container)
    container.services.handle_case(UpdateDraft(
        case_id=made["BN-2025-0001"], actor=OWNER, title="Nhà văn hoá thôn",
        sectors=[{"code": "15150", "percentage": Decimal("100")}],
        effective_date=date(2025, 1, 3)))
    container.runner.catch_up()
    assert _found(container, q="nuoc sach") == ["BN-2025-0002"]
    assert _found(container, q="nha van hoa") == ["BN-2025-0001"]
    assert _found(container, sector="151") == ["BN-2025-0001"]

    container.runner.rebuild(SUMMARY)
    assert _found(container, q="nha van hoa") == ["BN-2025-0001"]
    assert _found(container, q="nuoc sach") == ["BN-2025-0002"]
    if container.views.dialect == "sqlite":
        with container.views.transaction(write=False) as tx:
            counts = [tx.fetchall(f"SELECT count(*) FROM {t}")[0][0]
                      for t in (SUMMARY, text_index.SEARCH_KEY, text_index.SEARCH)]
        assert counts == [len(TITLES)] * 3


def test_a_sqlite_store_made_before_the_index_has_its_cases_indexed_at_the_migration(
    tmp_path: Path,
) -> None:
    # The index is SQLite's (PostgreSQL's trigram indexes: test_view_index_migration).
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'aidtrail.sqlite'}",
                        jwt_secret=TEST_SECRET, inprocess_projections=False)
    before = build_container(settings)
    _cases(before)
    with before.views.transaction() as tx:
        for trigger in ("added", "changed", "removed"):
            tx.execute(f"DROP TRIGGER {text_index.SEARCH}_{trigger}")
        tx.execute(f"DROP TABLE {text_index.SEARCH}")
        tx.execute(f"DROP TABLE {text_index.SEARCH_KEY}")
        tx.execute("DELETE FROM aidtrail_schema WHERE version = %s", (SCHEMA_VERSION,))
        tx.execute("INSERT INTO aidtrail_schema (version, migrated_at) VALUES (9, 'before')")
    before.close()

    after = build_container(settings, migrate=True)
    try:
        assert current_version(after.views) == SCHEMA_VERSION
        with after.views.transaction(write=False) as tx:
            assert text_index.matching_ids(tx, "search_text", "nuoc sach") is not None
        assert _found(after, q="nuoc sach") == ["BN-2025-0001", "BN-2025-0002"]
        assert _found(after, sector="122") == ["BN-2025-0004"]
    finally:
        after.close()
