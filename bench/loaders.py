"""Fast dataset creation: aggregates built with the domain in memory (the same guards and
events as the services), saved many per ``app.save(*aggregates)`` (one transaction)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.commands.appraisal import CompleteAppraisal, RecordOpinion, RequestConsultation
from application.commands.base import CaseCommand, Command, DonorCommand
from application.commands.certificates import IssueCertificate
from application.commands.decision import Approve
from application.commands.dossier import AcceptDossier, AttachDocument, Submit
from application.commands.funds import RecordDisbursement, RecordReceipt
from application.handlers.registry import CASE_HANDLERS, DONOR_HANDLERS
from application.services import CommandNeeds, Services
from domain.case import AidCase
from domain.donor import Donor
from domain.money import Money
from domain.values import Actor, Document

OWNER = Actor("owner-1", "aid_owner")
FOCAL = Actor("focal-1", "focal_officer")
APPROVER = Actor("chair-1", "approver")
REGISTRY = Actor("registry-1", "registry_officer")
PROVINCES = ["BN", "HN", "HP", "QN", "DN"]
AID_FORMS = ["programme", "technical_assistance_project", "investment_project", "non_project_goods"]
DOSSIER = ("request", "donor_consent", "project_document", "donor_legal_status")
# Titles as aid cases are named, with the diacritics a search has to see through.
TITLES = ("Nước sạch cho trường học", "Đường nông thôn", "Y tế cộng đồng",
          "Học bổng cho học sinh", "Phòng chống thiên tai")
BIG = "300000000"  # received and approved: room for many one-dollar disbursements, within
# the bounds of one case (domain/bounds.py: 9 × 10^12 VND)


def _doc(kind: str) -> Document:
    return Document(kind=kind, title=kind, uri=f"https://files.example/{kind}.pdf")


def run(services: Services, aggregate: Any, command: Command, donor: Donor | None) -> None:
    """One command through its handler, as the services run it, without I/O."""
    on = command.effective_date or services.clock()
    # The donor is held in memory: the services find it before the store.
    needs = CommandNeeds(services, on, {donor.id: donor} if donor is not None else None)
    if isinstance(command, CaseCommand):
        CASE_HANDLERS[type(command)](aggregate, command, needs)
    elif isinstance(command, DonorCommand):
        DONOR_HANDLERS[type(command)](aggregate, command, needs)


def new_donor(services: Services, code: str) -> Donor:
    donor = Donor.register(actor=REGISTRY, code=code, name=f"Donor {code}", country="GB",
                           kind="foreign_ngo", iati_ref=None, effective_date=date(2024, 1, 1))
    run(services, donor, IssueCertificate(
        donor_id=donor.id, actor=REGISTRY, number=f"C-{code}", kind="operation",
        issued_on=date(2024, 6, 1), expires_on=date(2027, 5, 31), provinces=PROVINCES,
        fields=["1", "7"], effective_date=date(2024, 6, 1)), None)
    return donor


def new_case(services: Services, donor: Donor, reference: str, stage: str,
             province: str = "BN", aid_form: str = "programme", amount: str = BIG,
             title: str = "Case") -> AidCase:
    """A case opened and taken to ``stage``: draft (2 documents), submitted or implementation."""
    basis = services.rulebook.in_force(date(2025, 1, 2), province).ref
    case = AidCase.open(
        donor=donor, requested=Money.of(amount, "USD"), legal_basis=basis,
        actor=OWNER, effective_date=date(2025, 1, 2), reference=reference,
        title=f"{title} {reference}", description="", aid_form=aid_form, province=province,
        managing_agency="PPC", aid_owner="DoH",
        sectors=[{"code": "12220", "percentage": Decimal(100)}],
        planned_start=date(2025, 1, 1), planned_end=date(2026, 6, 30),
        requested_vnd_rate=Decimal("25000"), state_budget_revenue=False, sensitive_flags=[],
        moha_licensed=False)
    kinds = DOSSIER[:2] if stage == "draft" else DOSSIER
    for kind in kinds:
        run(services, case, AttachDocument(case_id=case.id, actor=OWNER, document=_doc(kind),
                                           effective_date=date(2025, 1, 3)), donor)
    if stage == "draft":
        return case
    run(services, case, Submit(case_id=case.id, actor=OWNER, effective_date=date(2025, 1, 5)),
        donor)
    if stage == "submitted":
        return case
    for command in _to_implementation(case.id, amount):
        run(services, case, command, donor)
    return case


def _to_implementation(case_id: UUID, amount: str) -> list[CaseCommand]:
    """From a submitted dossier to funds received: appraisal, approval, a receipt."""
    return [
        AcceptDossier(case_id=case_id, actor=FOCAL, effective_date=date(2025, 1, 6)),
        RequestConsultation(case_id=case_id, actor=FOCAL, agency="VUFO",
                            effective_date=date(2025, 1, 7)),
        RecordOpinion(case_id=case_id, actor=FOCAL, agency="VUFO", stance="agree",
                      effective_date=date(2025, 1, 10)),
        CompleteAppraisal(case_id=case_id, actor=FOCAL, recommendation="approve",
                          effective_date=date(2025, 1, 20)),
        Approve(case_id=case_id, actor=APPROVER, decision_no="1/QD",
                decision_date=date(2025, 1, 25), signer="Chair",
                authority_level="head_of_managing_agency",
                approved_amount=Money.of(amount, "USD"), vnd_rate=Decimal("25000"),
                effective_date=date(2025, 1, 25)),
        RecordReceipt(case_id=case_id, actor=OWNER, amount=Money.of(amount, "USD"),
                      vnd_rate=Decimal("25000"), aid_account="VCB-1",
                      effective_date=date(2025, 2, 1)),
    ]


# psycopg 3.3 pipeline mode (used by the library's insert) hangs when one statement's
# parameters exceed ~500 KB on a Unix socket (psycopg issue #685): keep each save() small.
MAX_EVENTS_PER_SAVE = 400


def save_all(app: Any, aggregates: list[Any]) -> int:
    """Save in as few transactions as the limit above allows; returns the events saved."""
    events, pending = 0, 0
    chunk: list[Any] = []
    for a in aggregates:
        n = len(a.pending_events)
        if chunk and pending + n > MAX_EVENTS_PER_SAVE:
            app.save(*chunk)
            chunk, pending = [], 0
        chunk.append(a)
        pending += n
        events += n
    if chunk:
        app.save(*chunk)
    return events


def _stage(i: int) -> str:
    """7 in 10 drafts (3 events), 2 submitted (6), 1 in implementation (14): ~4.7 per case."""
    r = i % 10
    return "draft" if r < 7 else "submitted" if r < 9 else "implementation"


def load_portfolio(services: Services, cases: int, *, prefix: str = "P", donors: int = 100,
                   batch: int = 1000, progress: Callable[[int, int], None] | None = None
                   ) -> dict[str, float]:
    """``cases`` cases over ``donors`` donors, provinces and stages varied; returns counts."""
    app = services.app
    started = time.perf_counter()
    pool = [new_donor(services, f"{prefix}D{n:04d}") for n in range(donors)]
    events = save_all(app, pool)
    done = 0
    for chunk in _chunks(range(cases), batch):
        aggregates = [new_case(services, pool[i % donors], f"{prefix}-{i:07d}", _stage(i),
                               province=PROVINCES[i % len(PROVINCES)],
                               aid_form=AID_FORMS[(i // 3) % len(AID_FORMS)],
                               title=TITLES[(i // 7) % len(TITLES)]) for i in chunk]
        events += save_all(app, aggregates)
        done += len(aggregates)
        if progress:
            progress(done, cases)
    return {"cases": cases, "events": events, "seconds": time.perf_counter() - started}


def _chunks(items: range, size: int) -> Iterator[range]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def implementation_cases(services: Services, count: int, prefix: str = "W") -> list[UUID]:
    """``count`` cases in implementation with a large receipt (room for disbursements)."""
    donor = new_donor(services, f"{prefix}DONOR")
    services.app.save(donor)
    cases = [new_case(services, donor, f"{prefix}-{i:05d}", "implementation")
             for i in range(count)]
    save_all(services.app, cases)
    return [c.id for c in cases]


def grow_case(services: Services, case_id: UUID, events: int) -> int:
    """Add one-dollar disbursements through the services (snapshots as in production) until
    the case has ``events`` events; returns its version."""
    version = services.get_case(case_id).version
    while version < events:
        version = services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                          amount=Money.of("1", "USD"),
                                                          vnd_rate=Decimal("25000"),
                                                          aid_account="VCB-1",
                                                          effective_date=date(2025, 3, 1))).version
    return version


def disbursement_body() -> dict[str, Any]:
    """The HTTP body of a one-dollar disbursement (the command the load generator sends)."""
    return {"amount": {"amount": "1", "currency": "USD"}, "vnd_rate": "25000",
            "aid_account": "VCB-1", "effective_date": "2025-03-01"}
