"""Walk a case to implementation through the application services (no HTTP)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from application.commands.appraisal import CompleteAppraisal, RecordOpinion, RequestConsultation
from application.commands.certificates import IssueCertificate
from application.commands.decision import Approve
from application.commands.dossier import AcceptDossier, AttachDocument, Submit
from application.commands.funds import RecordReceipt
from application.commands.opening import OpenCase, RegisterDonor
from application.services import Services
from domain.money import Money
from domain.values import Actor, Document

OWNER = Actor("owner-1", "aid_owner")
FOCAL = Actor("focal-1", "focal_officer")
APPROVER = Actor("chair-1", "approver")
REGISTRY = Actor("registry-1", "registry_officer")


def document(kind: str) -> Document:
    return Document(kind=kind, title=kind, uri=f"https://files.example/{kind}.pdf")


def walk_to_implementation(services: Services, received: str = "1000",
                           reference: str = "BN-2025-0001") -> UUID:
    donor = services.register_donor(RegisterDonor(
        actor=REGISTRY, code=f"D-{reference}", name="Oxfam", country="GB", kind="foreign_ngo",
        iati_ref=None, effective_date=date(2024, 1, 1))).id
    services.handle_donor(IssueCertificate(donor_id=donor, actor=REGISTRY, number=f"C-{reference}",
                                           kind="operation", issued_on=date(2024, 6, 1),
                                           expires_on=date(2027, 5, 31), provinces=["BN"],
                                           fields=["1"], effective_date=date(2024, 6, 1)))
    case_id = approved_case(services, donor, reference, received, [("14030", "100")])
    services.handle_case(RecordReceipt(case_id=case_id, actor=OWNER,
                                       amount=Money.of(received, "USD"), vnd_rate=Decimal("25000"),
                                       aid_account="VCB-1", effective_date=date(2025, 2, 1)))
    return case_id


def approved_case(services: Services, donor_id: UUID, reference: str, amount: str | Money,
                  sectors: Sequence[tuple[str, str]], province: str = "BN",
                  vnd_rate: Decimal | None = Decimal("25000"), title: str | None = None) -> UUID:
    """A case approved on 25 January 2025 for ``amount`` (USD when a string) at ``vnd_rate``
    VND per unit (None for an amount in VND)."""
    requested = amount if isinstance(amount, Money) else Money.of(amount, "USD")
    case_id = services.open_case(OpenCase(actor=OWNER, donor_id=donor_id, requested=requested,
                                          effective_date=date(2025, 1, 2), reference=reference,
                                          title=title or f"Case {reference}", description="",
                                          aid_form="programme", province=province,
                                          managing_agency="PPC", aid_owner="DoH",
                                          sectors=[{"code": c, "percentage": Decimal(p)}
                                                   for c, p in sectors],
                                          planned_start=date(2025, 1, 1),
                                          planned_end=date(2026, 6, 30),
                                          requested_vnd_rate=vnd_rate,
                                          state_budget_revenue=False, sensitive_flags=[],
                                          moha_licensed=False)).id
    for kind in ("request", "donor_consent", "project_document", "donor_legal_status"):
        services.handle_case(AttachDocument(case_id=case_id, actor=OWNER, document=document(kind),
                                            effective_date=date(2025, 1, 3)))
    services.handle_case(Submit(case_id=case_id, actor=OWNER, effective_date=date(2025, 1, 5)))
    services.handle_case(AcceptDossier(case_id=case_id, actor=FOCAL,
                                       effective_date=date(2025, 1, 6)))
    services.handle_case(RequestConsultation(case_id=case_id, actor=FOCAL, agency="VUFO",
                                             effective_date=date(2025, 1, 7)))
    services.handle_case(RecordOpinion(case_id=case_id, actor=FOCAL, agency="VUFO", stance="agree",
                                       effective_date=date(2025, 1, 10)))
    services.handle_case(CompleteAppraisal(case_id=case_id, actor=FOCAL, recommendation="approve",
                                           effective_date=date(2025, 1, 20)))
    services.handle_case(Approve(case_id=case_id, actor=APPROVER, decision_no="1/QD",
                                 decision_date=date(2025, 1, 25), signer="Chair",
                                 authority_level="head_of_managing_agency",
                                 approved_amount=requested, vnd_rate=vnd_rate,
                                 effective_date=date(2025, 1, 25)))
    return case_id
