"""The donor register: certificates under Decree 58/2022 and their history."""

from __future__ import annotations

from datetime import date

import pytest

from domain.donor import Donor
from domain.errors import ConflictError, InvalidInputError, NotFoundError, ProcessGuardError
from domain.rules import RuleProfile
from tests.unit.conftest import REGISTRY, recorded, refused, register_donor


def issue(donor: Donor, profile: RuleProfile, **kw: object) -> None:
    args: dict[str, object] = dict(number="200/GDK", kind="operation",
                                   issued_on=date(2026, 1, 1), expires_on=date(2028, 12, 31),
                                   provinces=["HN"], fields=["15"], profile=profile,
                                   actor=REGISTRY, effective_date=date(2026, 1, 2))
    args.update(kw)
    donor.issue_certificate(**args)  # type: ignore[arg-type]


def test_registering_a_donor_records_registered_with_a_deterministic_id() -> None:
    donor = Donor.register(code="SC-US", name="Save the Children", country="US",
                           kind="foreign_ngo", iati_ref=None, actor=REGISTRY,
                           effective_date=date(2026, 1, 1))
    assert recorded(donor) == ["Registered"]
    assert donor.id == Donor.create_id("SC-US") and donor.is_foreign_ngo


@pytest.mark.parametrize("field,value,code", [
    ("country", "GBR", "invalid_country"), ("kind", "charity", "invalid_donor_kind"),
    ("code", "", "invalid_code"), ("name", " ", "required")])
def test_registration_with_bad_input_is_refused(field: str, value: str, code: str) -> None:
    args: dict[str, object] = dict(code="X1", name="X", country="FR", kind="other",
                                   iati_ref=None, actor=REGISTRY, effective_date=date(2026, 1, 1))
    args[field] = value
    with pytest.raises(InvalidInputError) as caught:
        Donor.register(**args)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_a_government_donor_is_not_a_foreign_ngo(profile: RuleProfile) -> None:
    assert not register_donor(profile, kind="foreign_government").is_foreign_ngo


def test_issuing_a_certificate_records_it(donor: Donor, profile: RuleProfile) -> None:
    issue(donor, profile)
    assert recorded(donor) == ["CertificateIssued"]
    assert donor.certificates["200/GDK"]["status"] == "active"


@pytest.mark.parametrize("kind,expires", [("operation", date(2029, 1, 2)),
                                          ("representative_office", date(2031, 1, 2))])
def test_a_certificate_longer_than_its_kind_allows_is_refused(
        donor: Donor, profile: RuleProfile, kind: str, expires: date) -> None:
    refused(donor, InvalidInputError, "certificate_validity_too_long",
            lambda: issue(donor, profile, kind=kind, expires_on=expires))


def test_a_representative_office_certificate_may_last_five_years(
        donor: Donor, profile: RuleProfile) -> None:
    issue(donor, profile, kind="representative_office", expires_on=date(2031, 1, 1))
    assert recorded(donor) == ["CertificateIssued"]


def test_a_duplicate_certificate_number_is_refused(donor: Donor, profile: RuleProfile) -> None:
    refused(donor, ConflictError, "duplicate_certificate",
            lambda: issue(donor, profile, number="123/GDK"))


def test_an_extension_is_refused_beyond_the_maximum_from_the_issue_date(
        donor: Donor, profile: RuleProfile) -> None:
    refused(donor, InvalidInputError, "certificate_validity_too_long",
            lambda: donor.extend_certificate(number="123/GDK", expires_on=date(2028, 6, 2),
                                             profile=profile, actor=REGISTRY,
                                             effective_date=date(2027, 1, 1)))


def test_an_extension_within_the_maximum_moves_the_expiry(donor: Donor,
                                                          profile: RuleProfile) -> None:
    issue(donor, profile, expires_on=date(2027, 1, 1))
    donor.collect_events()
    donor.extend_certificate(number="200/GDK", expires_on=date(2028, 12, 31), profile=profile,
                             actor=REGISTRY, effective_date=date(2026, 12, 1))
    assert recorded(donor) == ["CertificateExtended"]
    assert donor.certificate_problem(date(2028, 6, 1), "HN", ["15110"]) is None
    # Before the extension was made, the register said it ended on 1 January 2027.
    assert donor.certificate_as_of("200/GDK", date(2026, 6, 1))["expires_on"] == date(2027, 1, 1)


def test_an_amendment_changes_provinces_and_fields_from_its_date(donor: Donor) -> None:
    donor.amend_certificate(number="123/GDK", provinces=["BN", "HN", "HP"], fields=["1"],
                            actor=REGISTRY, effective_date=date(2026, 6, 1))
    assert recorded(donor) == ["CertificateAmended"]
    assert donor.certificate_problem(date(2026, 6, 1), "HP", ["15110"]) is None
    assert donor.certificate_problem(date(2026, 5, 31), "HP", ["12220"]) is not None


def test_commands_on_an_unknown_certificate_are_refused(donor: Donor) -> None:
    refused(donor, NotFoundError, "certificate_not_found",
            lambda: donor.revoke_certificate(number="nope", reason="x", actor=REGISTRY,
                                             effective_date=date(2026, 1, 1)))


@pytest.mark.parametrize("command,event", [("suspend", "CertificateSuspended"),
                                           ("revoke", "CertificateRevoked"),
                                           ("terminate", "CertificateTerminated")])
def test_a_certificate_can_be_suspended_revoked_or_terminated(
        donor: Donor, command: str, event: str) -> None:
    getattr(donor, f"{command}_certificate")(number="123/GDK", reason="breach of scope",
                                              actor=REGISTRY, effective_date=date(2026, 3, 1))
    assert recorded(donor) == [event]
    assert donor.certificate_problem(date(2026, 2, 28), "BN", ["12220"]) is None
    assert "123/GDK" in (donor.certificate_problem(date(2026, 3, 1), "BN", ["12220"]) or "")


def test_a_revoked_certificate_cannot_be_extended_or_suspended(donor: Donor,
                                                               profile: RuleProfile) -> None:
    donor.revoke_certificate(number="123/GDK", reason="fraud", actor=REGISTRY,
                             effective_date=date(2026, 3, 1))
    donor.collect_events()
    refused(donor, ProcessGuardError, "certificate_not_active",
            lambda: donor.extend_certificate(number="123/GDK", expires_on=date(2028, 5, 31),
                                             profile=profile, actor=REGISTRY,
                                             effective_date=date(2026, 4, 1)))
    refused(donor, ProcessGuardError, "certificate_not_active",
            lambda: donor.suspend_certificate(number="123/GDK", reason="x", actor=REGISTRY,
                                              effective_date=date(2026, 4, 1)))


def test_a_suspended_certificate_cannot_be_suspended_again(donor: Donor) -> None:
    donor.suspend_certificate(number="123/GDK", reason="inquiry", actor=REGISTRY,
                              effective_date=date(2026, 3, 1))
    donor.collect_events()
    refused(donor, ProcessGuardError, "certificate_not_active",
            lambda: donor.suspend_certificate(number="123/GDK", reason="again", actor=REGISTRY,
                                              effective_date=date(2026, 3, 5)))


def test_a_suspension_with_an_end_date_lapses_after_it(donor: Donor) -> None:
    donor.suspend_certificate(number="123/GDK", reason="inquiry", actor=REGISTRY,
                              effective_date=date(2026, 3, 1), until=date(2026, 3, 31))
    assert donor.certificate_problem(date(2026, 3, 31), "BN", ["12220"]) is not None
    assert donor.certificate_problem(date(2026, 4, 1), "BN", ["12220"]) is None


def test_a_back_dated_suspension_changes_the_answer_for_past_dates(donor: Donor) -> None:
    assert donor.certificate_problem(date(2026, 2, 10), "BN", ["12220"]) is None
    donor.suspend_certificate(number="123/GDK", reason="found later", actor=REGISTRY,
                              effective_date=date(2026, 2, 1))
    assert donor.certificate_problem(date(2026, 2, 10), "BN", ["12220"]) is not None


@pytest.mark.parametrize("on,province,sectors,fragment", [
    (date(2025, 5, 31), "BN", ["12220"], "not yet issued"),
    (date(2028, 6, 1), "BN", ["12220"], "expired"),
    (date(2026, 1, 1), "DN", ["12220"], "province DN"),
    (date(2026, 1, 1), "BN", ["12220", "15110"], "15110"),
])
def test_certificate_problems_name_the_reason(donor: Donor, on: date, province: str,
                                              sectors: list[str], fragment: str) -> None:
    problem = donor.certificate_problem(on, province, sectors)
    assert problem is not None and fragment in problem


def test_a_certificate_covers_sectors_by_prefix(donor: Donor) -> None:
    assert donor.certificate_problem(date(2026, 1, 1), "HN", ["12220", "14030"]) is None


def test_a_donor_without_certificates_has_a_problem(profile: RuleProfile) -> None:
    donor = register_donor(profile, kind="foreign_government")
    assert "no registration certificate" in (donor.certificate_problem(
        date(2026, 1, 1), "BN", ["12220"]) or "")


def test_donor_state_is_plain_json_with_the_certificate_history(donor: Donor) -> None:
    state = donor.state()
    assert state["code"] == "OXF-GB" and state["version"] == 2
    cert = state["certificates"][0]
    assert cert["expires_on"] == "2028-05-31" and cert["history"][0]["change"] == "issued"


def test_a_donor_replays_from_its_events_to_the_same_state(profile: RuleProfile) -> None:
    donor = Donor.register(code="OXF-GB", name="Oxfam", country="GB", kind="foreign_ngo",
                           iati_ref=None, actor=REGISTRY, effective_date=date(2025, 5, 1))
    issue(donor, profile)
    donor.suspend_certificate(number="200/GDK", reason="inquiry", actor=REGISTRY,
                              effective_date=date(2026, 3, 1), until=date(2026, 4, 1))
    replayed = None
    for e in donor.collect_events():
        replayed = e.mutate(replayed)
    assert isinstance(replayed, Donor) and replayed.state() == donor.state()
