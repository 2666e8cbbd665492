"""Unit fixtures: rule profiles, actors, a foreign-NGO donor, and a walker to any case state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.case import AidCase
from domain.donor import Donor
from domain.errors import DomainError
from domain.money import Money
from domain.rules import RuleProfile
from domain.values import Actor, Deviation, Document
from infrastructure.rule_profiles import load_rulebook

OWNER = Actor("owner-1", "aid_owner")
FOCAL = Actor("focal-1", "focal_officer")
APPRAISER = Actor("focal-2", "focal_officer")
APPROVER = Actor("chair-1", "approver")
REGISTRY = Actor("registry-1", "registry_officer")
AUDITOR = Actor("auditor-1", "auditor")
DEVIATION = Deviation("the donor wired funds early by mistake", "letter 12/2026")
SECTORS = [{"code": "12220", "percentage": Decimal("60")},
           {"code": "14030", "percentage": Decimal("40")}]
PLANNED_START, PLANNED_END = date(2026, 3, 1), date(2027, 12, 31)


def doc(kind: str = "other", title: str = "a document") -> Document:
    return Document(kind=kind, title=title, uri=f"https://docs.example/{kind}.pdf",
                    sha256="a" * 64, language="vi")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def profile_on(day: date, province: str | None = "BN") -> RuleProfile:
    return load_rulebook().in_force(day, province)


def refused(case: Any, error: type[DomainError], code: str, command: Callable[[], Any]
            ) -> DomainError:
    """Then: the command raises ``error`` with ``code`` and nothing new is recorded."""
    version = case.version
    with pytest.raises(error) as caught:
        command()
    assert caught.value.code == code
    assert case.collect_events() == []
    assert case.version == version
    return caught.value


def recorded(case: Any) -> list[str]:
    """Then: the names of the events just recorded (and clears them)."""
    return [type(e).__name__ for e in case.collect_events()]


@pytest.fixture
def profile() -> RuleProfile:
    return profile_on(date(2026, 2, 1))


def register_donor(profile: RuleProfile, kind: str = "foreign_ngo") -> Donor:
    donor = Donor.register(code="OXF-GB", name="Oxfam", country="GB", kind=kind,
                           iati_ref="GB-CHC-202918", actor=REGISTRY,
                           effective_date=date(2025, 5, 1))
    if kind == "foreign_ngo":
        donor.issue_certificate(number="123/GDK", kind="operation", issued_on=date(2025, 6, 1),
                                expires_on=date(2028, 5, 31), provinces=["BN", "HN"],
                                fields=["12", "140"], profile=profile, actor=REGISTRY,
                                effective_date=date(2025, 6, 2))
    donor.collect_events()
    return donor


@pytest.fixture
def donor(profile: RuleProfile) -> Donor:
    return register_donor(profile)


def open_case(donor: Donor, **overrides: Any) -> AidCase:
    fields: dict[str, Any] = dict(
        reference="BN-2026-0042", title="Clean water for Gia Binh",
        description="Wells and filters", aid_form="technical_assistance_project", donor=donor,
        province="BN", managing_agency="Bac Ninh People's Committee",
        aid_owner="Bac Ninh Women's Union", sectors=SECTORS, planned_start=PLANNED_START,
        planned_end=PLANNED_END, requested=usd("100000.00"),
        requested_vnd_rate=Decimal("25000"), state_budget_revenue=True, sensitive_flags=[],
        moha_licensed=False, legal_basis="decree-313-2025@1+BN@1", actor=OWNER,
        effective_date=date(2026, 1, 10))
    fields.update(overrides)
    return AidCase.open(**fields)


class Walker:
    """Walks a case along the usual path to any state; every step's events are collected."""

    PATHS: dict[str, tuple[str, ...]] = {
        "draft": (),
        "dossier": ("dossier",),
        "submitted": ("dossier", "submitted"),
        "returned": ("dossier", "submitted", "returned"),
        "under_appraisal": ("dossier", "submitted", "under_appraisal"),
        "consulted": ("dossier", "submitted", "under_appraisal", "consulted"),
        "appraised": ("dossier", "submitted", "under_appraisal", "consulted", "appraised"),
        "approved": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                     "approved"),
        "rejected": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                     "rejected"),
        "revoked": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                    "approved", "revoked"),
        "in_implementation": ("dossier", "submitted", "under_appraisal", "consulted",
                              "appraised", "approved", "in_implementation"),
        "suspended": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                      "approved", "in_implementation", "suspended"),
        "terminated": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                       "approved", "in_implementation", "terminated"),
        "spent": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                  "approved", "in_implementation", "spent"),
        "completed": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                      "approved", "in_implementation", "spent", "completed"),
        "reported": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                     "approved", "in_implementation", "spent", "completed", "reported"),
        "closable": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                     "approved", "in_implementation", "spent", "completed", "reported",
                     "handed_over"),
        "closed": ("dossier", "submitted", "under_appraisal", "consulted", "appraised",
                   "approved", "in_implementation", "spent", "completed", "reported",
                   "handed_over", "closed"),
    }

    def __init__(self, donor: Donor, profile: RuleProfile) -> None:
        self.donor, self.profile = donor, profile

    def to(self, state: str, **open_overrides: Any) -> AidCase:
        case = open_case(self.donor, **open_overrides)
        for step in self.PATHS[state]:
            getattr(self, "_" + step)(case)
        case.collect_events()
        return case

    def _dossier(self, case: AidCase) -> None:
        for kind in ("request", "donor_consent", "project_document", "donor_legal_status"):
            case.attach_document(document=doc(kind), actor=OWNER, effective_date=date(2026, 1, 20))

    def _submitted(self, case: AidCase) -> None:
        case.submit(donor=self.donor, profile=self.profile, actor=OWNER,
                    effective_date=date(2026, 2, 1))

    def _returned(self, case: AidCase) -> None:
        case.return_dossier(reasons=["budget annex missing"], actor=FOCAL,
                            effective_date=date(2026, 2, 2))

    def _under_appraisal(self, case: AidCase) -> None:
        case.accept_dossier(donor=self.donor, profile=self.profile, actor=FOCAL,
                            effective_date=date(2026, 2, 3))

    def _consulted(self, case: AidCase) -> None:
        case.request_consultation(agency="VUFO", profile=self.profile, actor=FOCAL,
                                  effective_date=date(2026, 2, 4))
        case.record_opinion(agency="VUFO", stance="agree", document=doc("opinion"),
                            actor=FOCAL, effective_date=date(2026, 2, 10))

    def _appraised(self, case: AidCase) -> None:
        case.complete_appraisal(recommendation="approve", actor=APPRAISER,
                                effective_date=date(2026, 2, 15))

    def _approved(self, case: AidCase) -> None:
        case.approve(decision_no="123/QD-UBND", decision_date=date(2026, 2, 20),
                     signer="Chair of Bac Ninh PC", authority_level="head_of_managing_agency",
                     approved_amount=usd("100000.00"), vnd_rate=Decimal("25000"),
                     conditions=["quarterly site visits"], donor=self.donor,
                     profile=self.profile, actor=APPROVER, effective_date=date(2026, 2, 20))

    def _rejected(self, case: AidCase) -> None:
        case.reject(decision_no="9/QD", reasons=["duplicates a state programme"],
                    actor=APPROVER, effective_date=date(2026, 2, 20))

    def _revoked(self, case: AidCase) -> None:
        case.revoke(reason="not implemented within 6 months", decision="77/QD",
                    actor=APPROVER, effective_date=date(2026, 9, 1))

    def _in_implementation(self, case: AidCase) -> None:
        case.record_receipt(amount=usd("60000.00"), vnd_rate=Decimal("25000"),
                            aid_account="VCB-0011", donor=self.donor, profile=self.profile,
                            actor=OWNER, effective_date=date(2026, 3, 5))

    def _suspended(self, case: AidCase) -> None:
        case.suspend(reason="audit findings under review", decision="55/QD", actor=APPROVER,
                     effective_date=date(2026, 4, 1))

    def _terminated(self, case: AidCase) -> None:
        case.terminate(reason="donor withdrew", decision="56/QD", actor=APPROVER,
                       effective_date=date(2026, 4, 1))

    def _spent(self, case: AidCase) -> None:
        case.record_disbursement(amount=usd("20000.00"), vnd_rate=Decimal("25000"),
                                 aid_account="VCB-0011", counterparty="Gia Binh commune",
                                 profile=self.profile, actor=OWNER,
                                 effective_date=date(2026, 4, 1))
        case.record_expenditure(amount=usd("40000.00"), vnd_rate=Decimal("25000"),
                                aid_account="VCB-0011", profile=self.profile, actor=OWNER,
                                effective_date=date(2026, 5, 1))

    def _completed(self, case: AidCase) -> None:
        case.complete_activities(actual_end=date(2026, 12, 15), today=date(2026, 12, 20),
                                 actor=OWNER, effective_date=date(2026, 12, 20))

    def _reported(self, case: AidCase) -> None:
        reports = [("half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 10)),
                   ("annual", date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 20)),
                   ("completion", date(2026, 3, 5), date(2026, 12, 15), date(2027, 1, 25)),
                   ("settlement", date(2026, 3, 5), date(2026, 12, 15), date(2027, 1, 25))]
        for kind, start, end, on in reports:
            case.submit_report(kind=kind, period_start=start, period_end=end,
                               document=doc("report"), actor=OWNER, effective_date=on)
            rid = f"{kind}-{start:%Y%m%d}-{end:%Y%m%d}"
            case.review_report(report_id=rid, accepted=True, actor=FOCAL, effective_date=on)

    def _handed_over(self, case: AidCase) -> None:
        case.record_handover(document=doc("handover"), actor=OWNER,
                             effective_date=date(2027, 2, 1))

    def _closed(self, case: AidCase) -> None:
        case.close(profile=self.profile, actor=FOCAL, effective_date=date(2027, 2, 15))


@pytest.fixture
def walk(donor: Donor, profile: RuleProfile) -> Walker:
    return Walker(donor, profile)
