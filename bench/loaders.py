"""Fast dataset creation: aggregates built with the domain in memory (the same guards and
events as the services), saved many per ``app.save(*aggregates)`` (one transaction)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.commands.funds import RecordDisbursement
from application.services import Services, _needs
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
BIG = "1000000000"  # received and approved: room for many one-dollar disbursements


def _doc(kind: str) -> Document:
    return Document(kind=kind, title=kind, uri=f"https://files.example/{kind}.pdf")


def run(services: Services, aggregate: Any, command: str, actor: Actor, donor: Donor | None,
        **kwargs: Any) -> None:
    """One domain command with the context the services would give it, without I/O."""
    on = kwargs.pop("effective_date")
    needs = _needs(type(aggregate), command)
    context: dict[str, Any] = {}
    if "today" in needs:
        context["today"] = services.clock()
    if "profile" in needs:
        context["profile"] = (services.profile_for(aggregate, on)
                              if isinstance(aggregate, AidCase)
                              else services.rulebook.in_force(on))
    if "donor" in needs:
        context["donor"] = donor
    getattr(aggregate, command)(actor=actor, effective_date=on, **kwargs, **context)


def new_donor(services: Services, code: str) -> Donor:
    donor = Donor.register(actor=REGISTRY, code=code, name=f"Donor {code}", country="GB",
                           kind="foreign_ngo", iati_ref=None, effective_date=date(2024, 1, 1))
    run(services, donor, "issue_certificate", REGISTRY, None, number=f"C-{code}",
        kind="operation", issued_on=date(2024, 6, 1), expires_on=date(2027, 5, 31),
        provinces=PROVINCES, fields=["1", "7"], effective_date=date(2024, 6, 1))
    return donor


def new_case(services: Services, donor: Donor, reference: str, stage: str,
             province: str = "BN", aid_form: str = "programme", amount: str = BIG) -> AidCase:
    """A case opened and taken to ``stage``: draft (2 documents), submitted or implementation."""
    basis = services.rulebook.in_force(date(2025, 1, 2), province).ref
    case = AidCase.open(
        donor=donor, requested=Money.of(amount, "USD"), legal_basis=basis,
        actor=OWNER, effective_date=date(2025, 1, 2), reference=reference,
        title=f"Case {reference}", description="", aid_form=aid_form, province=province,
        managing_agency="PPC", aid_owner="DoH",
        sectors=[{"code": "12220", "percentage": Decimal(100)}],
        planned_start=date(2025, 1, 1), planned_end=date(2026, 6, 30),
        requested_vnd_rate=Decimal("25000"), state_budget_revenue=False, sensitive_flags=[],
        moha_licensed=False)
    kinds = DOSSIER[:2] if stage == "draft" else DOSSIER
    for kind in kinds:
        run(services, case, "attach_document", OWNER, donor, document=_doc(kind),
            effective_date=date(2025, 1, 3))
    if stage == "draft":
        return case
    run(services, case, "submit", OWNER, donor, effective_date=date(2025, 1, 5))
    if stage == "submitted":
        return case
    run(services, case, "accept_dossier", FOCAL, donor, effective_date=date(2025, 1, 6))
    run(services, case, "request_consultation", FOCAL, donor, agency="VUFO",
        effective_date=date(2025, 1, 7))
    run(services, case, "record_opinion", FOCAL, donor, agency="VUFO", stance="agree",
        effective_date=date(2025, 1, 10))
    run(services, case, "complete_appraisal", FOCAL, donor, recommendation="approve",
        effective_date=date(2025, 1, 20))
    run(services, case, "approve", APPROVER, donor, decision_no="1/QD",
        decision_date=date(2025, 1, 25), signer="Chair",
        authority_level="head_of_managing_agency", approved_amount=Money.of(amount, "USD"),
        vnd_rate=Decimal("25000"), effective_date=date(2025, 1, 25))
    run(services, case, "record_receipt", OWNER, donor, amount=Money.of(amount, "USD"),
        vnd_rate=Decimal("25000"), aid_account="VCB-1", effective_date=date(2025, 2, 1))
    return case


# psycopg 3.3 pipeline mode (used by the library's insert) hangs when one statement's
# parameters exceed ~500 KB on a Unix socket (psycopg issue #685): keep each save() small.
MAX_EVENTS_PER_SAVE = 400


def save_all(app: Any, aggregates: list[Any]) -> int:
    """Save in as few transactions as the limit above allows; returns the events saved."""
    events, chunk, pending = 0, [], 0
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
                               aid_form=AID_FORMS[(i // 3) % len(AID_FORMS)]) for i in chunk]
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
