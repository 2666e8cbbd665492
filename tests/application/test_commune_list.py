"""A commune code is checked against the commune list only when one is configured (on both
backends): no list ships with AidTrail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from application.commands.opening import OpenCase, RegisterDonor
from domain.case import AidCase
from domain.errors import InvalidInputError
from domain.money import Money
from domain.values import Place
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from tests.application.support import OWNER, REGISTRY


@pytest.fixture
def listed(settings: Settings, tmp_path: Path) -> Iterator[Container]:
    communes = tmp_path / "communes.csv"
    communes.write_text("code,name\n07210,Xã Tân Sỏi\n", encoding="utf-8")
    container = build_container(settings.model_copy(update={"communes_file": communes}))
    try:
        yield container
    finally:
        container.close()


def _open(container: Container, reference: str, commune: str) -> None:
    donor = container.services.register_donor(RegisterDonor(
        actor=REGISTRY, code=f"D-{reference}", name="Oxfam", country="GB", kind="foreign_ngo",
        effective_date=date(2024, 1, 1))).id
    container.services.open_case(OpenCase(
        actor=OWNER, reference=reference, title="Wells", aid_form="investment_project",
        donor_id=donor, province="BN", managing_agency="Bac Ninh Provincial People's Committee",
        aid_owner="Tan Soi commune", sectors=[{"code": "14030", "percentage": "100"}],
        planned_start=date(2026, 1, 1), planned_end=date(2026, 12, 31),
        requested=Money.of("1000000", "VND"), effective_date=date(2026, 1, 5),
        place=Place(commune_code=commune, commune_name="Xã Tân Sỏi")))


def test_a_commune_on_the_configured_list_is_accepted(listed: Container) -> None:
    _open(listed, "BN-2026-0001", "07210")

    case = listed.services.get_case(AidCase.create_id("BN-2026-0001"))

    assert case.place is not None and case.place["commune_code"] == "07210"


def test_a_commune_not_on_the_configured_list_is_refused_and_nothing_is_recorded(
        listed: Container) -> None:
    with pytest.raises(InvalidInputError) as refused:
        _open(listed, "BN-2026-0002", "99999")

    assert (refused.value.code, refused.value.field) == ("unknown_commune", "commune_code")
    assert listed.services.head_version(AidCase.create_id("BN-2026-0002")) == 0


def test_without_a_list_any_commune_code_is_accepted(container: Container) -> None:
    _open(container, "BN-2026-0003", "99999")

    assert container.services.get_case(AidCase.create_id("BN-2026-0003")).place is not None
