"""A donor's certificates, worked out once for every case of the donor that reads them."""

from __future__ import annotations

from datetime import date

from domain.compliance.certificates import DonorCertificates
from domain.donor import Donor

DAYS = (date(2025, 5, 31), date(2025, 6, 1), date(2026, 1, 1), date(2028, 6, 1))


def test_its_answers_are_the_donors_own_on_every_day_province_and_field(donor: Donor) -> None:
    certs = DonorCertificates(donor)
    for day in DAYS:
        for province, sectors in (("BN", ["12220"]), ("HN", ["14030"]), ("DN", ["12220"]),
                                  ("BN", ["31120"])):
            assert certs.problem(day, province, sectors) == donor.certificate_problem(
                day, province, sectors)
        assert certs.as_of("123/GDK", day) == donor.certificate_as_of("123/GDK", day)
    assert any(certs.problem(day, "BN", ["12220"]) is None for day in DAYS)
    assert certs.problem(date(2025, 5, 31), "BN", ["12220"]) is not None  # not yet issued


def test_each_answer_is_worked_out_once(donor: Donor) -> None:
    certs = DonorCertificates(donor)
    asked: list[date] = []
    original = donor.certificate_problem

    def counting(on: date, province: str, sectors: list[str]) -> str | None:
        asked.append(on)
        return original(on, province, sectors)

    donor.certificate_problem = counting  # type: ignore[method-assign]
    for _ in range(3):
        certs.problem(date(2026, 1, 1), "BN", ("12220",))
        certs.problem(date(2026, 1, 1), "BN", ["12220"])
    assert asked == [date(2026, 1, 1)]
    assert certs.dates(0) is certs.dates(0)
    assert {c.number for c in certs.changes()} == {"123/GDK"}
    assert date(2028, 6, 1) in certs.dates(0)  # the day after it expires
    assert date(2028, 5, 31 - 30) in certs.dates(30)  # its warning, 30 days before
