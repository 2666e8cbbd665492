"""A case's commune, former district and aid owner's kind, and the focal agency recorded on
acceptance: new optional event fields that leave the cases recorded without them unchanged."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.agencies import FocalAgency
from domain.case import AidCase
from domain.donor import Donor
from domain.errors import InvalidInputError
from domain.rules import RuleProfile
from domain.values import Place
from tests.unit.conftest import FOCAL, Walker, open_case

BAC_NINH_FINANCE = FocalAgency(province="BN", name="Bac Ninh Department of Finance",
                               managing_agency="Bac Ninh Provincial People's Committee",
                               effective_from=date(2025, 3, 1), source="a source",
                               verified=False)


def _replayed(events: list[Any], without: tuple[str, ...] = ()) -> AidCase:
    """The case rebuilt from events, as if recorded before the fields ``without`` existed."""
    aggregate: Any = None
    for event in events:
        for name in without:
            event.__dict__.pop(name, None)
        aggregate = event.mutate(aggregate)
    return aggregate  # type: ignore[no-any-return]


def test_a_case_opened_with_its_commune_keeps_it(donor: Donor) -> None:
    case = open_case(donor, place=Place(commune_code="07210", commune_name="Xã Tân Sỏi",
                                        aid_owner_kind="commune"))

    assert case.state()["place"] == {"commune_code": "07210", "commune_name": "Xã Tân Sỏi",
                                     "former_district": None, "aid_owner_kind": "commune"}


def test_a_case_recorded_before_places_existed_loads_with_the_state_it_had(donor: Donor) -> None:
    events = open_case(donor).collect_events()

    state = _replayed(list(events), without=("place",)).state()

    assert "place" not in state and state["province"] == "BN"


def test_a_commune_code_without_a_name_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        Place(commune_code="07210")
    assert refused.value.code == "commune_incomplete"


def test_an_aid_owner_kind_outside_the_list_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        Place(aid_owner_kind="ministry")
    assert refused.value.code == "invalid_aid_owner_kind"


def test_accepting_the_dossier_records_the_focal_agency_in_force(
        donor: Donor, profile: RuleProfile) -> None:
    case = Walker(donor, profile).to("submitted")
    case.accept_dossier(donor=donor, profile=profile, actor=FOCAL,
                        effective_date=date(2026, 2, 3), focal=BAC_NINH_FINANCE)

    (started,) = case.collect_events()

    assert started.__dict__["focal_agency"]["name"] == "Bac Ninh Department of Finance"
    assert case.state()["appraisal"]["focal_agency"] == BAC_NINH_FINANCE.record()


def test_an_acceptance_recorded_before_focal_agencies_replays_without_one(
        donor: Donor, profile: RuleProfile) -> None:
    walk = Walker(donor, profile)
    case = open_case(donor)
    for step in walk.PATHS["under_appraisal"]:
        getattr(walk, "_" + step)(case)

    replayed = _replayed(list(case.collect_events()), without=("focal_agency", "place"))

    assert replayed.status == "under_appraisal"
    assert "focal_agency" not in replayed.state()["appraisal"]
