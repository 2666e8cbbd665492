"""The demo dataset: every state, form and currency, each compliance check tripped on purpose,
clean cases clean, and a second load that records nothing (on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import sys
from datetime import date, timedelta

import pytest

from application.iati import ReportingOrg
from application.iati_export import list_case_ids, validate_cases
from application.services import Services
from domain import policy
from domain.case import AidCase
from domain.case_guards import AID_FORMS, IATI_STATUS
from domain.donor import Donor
from infrastructure.clock import today_in_vietnam
from infrastructure.iati_validation import IatiValidator
from interfaces.cli.main import main
from interfaces.container import Container
from interfaces.demo import load_dataset, load_demo, plan_demo
from tests.application.support import walk_to_implementation
from tests.conftest import TEST_SECRET

CODES = {"C01", "C02", "C03", "C04", "C06", "C07", "C08", "C09", "C10", "C11", "C13", "C17",
         "C18"}
ACTIVE = ("approved", "in_implementation", "suspended")
REFERENCE = re.compile(r"^(BN|HN|QN|TH|CT)-20[0-9]{2}-[0-9]{4}$")


def open_flags(services: Services, case: AidCase, today: date) -> set[str]:
    """An independent reading of SPEC §3: the codes whose condition holds on ``today``."""
    found = {d["flag"] for d in case.deviations}
    donor = services.get_donor(case.donor_id)
    profile = services.profile_for(case, today)
    if donor.is_foreign_ngo and case.status in ACTIVE:
        if donor.certificate_problem(today, case.province, [s["code"] for s in case.sectors]):
            found.add("C03")
        else:
            warn = int(profile.value("certificate_expiry_warning_days"))
            views = [donor.certificate_as_of(n, today) for n in donor.certificates]
            ends = [v["expires_on"] for v in views if v and v["status"] == "active"
                    and v["issued_on"] <= today <= v["expires_on"]]
            if ends and (max(ends) - today).days <= warn:
                found.add("C04")
    if case.status == "under_appraisal":
        assert case.appraisal is not None
        if today > case.appraisal["due_on"] or any(
                c["replied_on"] is None and today > c["reply_due_on"]
                for c in case.consultations.values()) or any(
                m not in case.consultations for m in case.appraisal["mandatory_consultees"]):
            found.add("C06")
    if case.status == "approved" and case.actual_start is None and \
            case.delay_justified is None and case.approval is not None and \
            today > policy.add_months(case.approval["decision_date"], 6):
        found.add("C07")
    for ob in case.obligations(profile, today):
        if ob["overdue"]:
            found.add("C08" if ob["kind"] in ("half_year", "annual") else "C09")
    if case.status in ("rejected", "revoked"):
        about = "rejection" if case.status == "rejected" else "revocation"
        if not any(n["about"] == about for n in case.donor_notifications):
            found.add("C17")
    return found


def test_the_demo_loads_once_with_every_state_form_currency_and_flag(
        container: Container) -> None:
    services = container.services
    today = services.clock()
    seen: list[tuple[int, int]] = []

    summary = load_demo(services, today, progress=lambda done, total: seen.append((done, total)))

    assert not summary.already_loaded
    assert summary.donors >= 10 and summary.cases >= 60
    assert seen and seen[-1][0] == seen[-1][1]
    assert container.app.recorder.max_notification_id() == summary.events
    assert set(summary.by_state) == set(IATI_STATUS)  # every state
    assert sum(summary.by_state.values()) == summary.cases
    assert set(summary.by_form) == set(AID_FORMS)
    assert set(summary.by_currency) == {"USD", "EUR", "JPY", "VND"}

    flags = summary.intended_flags
    assert len(flags) == summary.cases
    counts = {code: sum(code in codes for codes in flags.values()) for code in CODES}
    assert all(n >= 2 for n in counts.values()), counts  # several cases per check
    assert sum(not codes for codes in flags.values()) >= 30  # plenty of clean cases

    states, rates, split = set(), {}, False
    for reference, intended in flags.items():
        assert REFERENCE.match(reference)
        case = services.get_case(AidCase.create_id(reference))
        states.add(case.status)
        rates[case.currency] = case.requested_vnd_rate
        split |= len(case.sectors) == 2
        assert open_flags(services, case, today) == set(intended), reference
    assert states == set(IATI_STATUS)
    assert rates == {"USD": 25400, "EUR": 27600, "JPY": 168, "VND": 1}
    assert split

    donors = [services.get_donor(Donor.create_id(d.code)) for d in load_dataset().donors]
    certs = [c for d in donors for c in d.certificates.values()]
    assert {c["status"] for c in certs} == {"active", "suspended", "revoked"}
    assert any(c["status"] == "active" and c["expires_on"] <= today + timedelta(days=90)
               for c in certs)
    assert {d.kind for d in donors if not d.certificates} == {"foreign_government",
                                                               "multilateral"}

    again = load_demo(services, today)

    assert again.already_loaded
    assert container.app.recorder.max_notification_id() == summary.events


def test_the_dataset_is_the_same_for_the_same_day(container: Container) -> None:
    today = container.services.clock()

    def plan() -> list[tuple[date, str, str]]:
        steps = plan_demo(container.services, today).schedule.steps
        assert all(step.on <= today for step in steps)
        return [(s.on, s.command, repr(sorted(s.kwargs.items()))) for s in steps]

    assert load_dataset().seed and plan() == plan()


def test_every_case_of_the_demo_exports_to_iati_and_validates_against_the_official_schema(
    container: Container,
) -> None:
    load_demo(container.services, today=container.services.clock())
    validator = IatiValidator(container.settings.iati_dir)
    assert validator.available, validator.unavailable_reason
    case_ids = list(list_case_ids(container.app))
    assert len(case_ids) >= 60
    org = ReportingOrg(ref=container.settings.reporting_org_ref,
                       name=container.settings.reporting_org_name,
                       type=container.settings.reporting_org_type)
    assert validate_cases(container.services, case_ids, org=org, validator=validator) == {}


def test_the_demo_refuses_a_store_holding_one_of_its_cases_in_one_line_recording_nothing(
        container: Container, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    services = container.services
    reference = sorted(plan_demo(services, today_in_vietnam()).intended)[-1]
    walk_to_implementation(services, reference=reference)
    before = container.app.recorder.max_notification_id()
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("AIDTRAIL_JWT_SECRET", TEST_SECRET)
    monkeypatch.setattr(sys, "argv", ["aidtrail", "demo", "load"])

    with pytest.raises(SystemExit) as stopped:
        main()

    out, err = capsys.readouterr()
    assert stopped.value.code == 1
    assert err.strip().splitlines() == [
        f"aidtrail: error: a case with reference {reference!r} already exists in this store "
        "(1 of the demo's 98 donors and cases do): nothing recorded; load the demo into an "
        "empty store"]
    assert "loaded" not in out
    assert container.app.recorder.max_notification_id() == before
