"""From the workbook's rows to commands: one plan per donor and per case, each step with the
row it comes from, in business-date order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from application.commands import appraisal, closure, decision, dossier, funds, reporting
from application.commands.base import CaseCommand, Command, DonorCommand
from application.commands.certificates import IssueCertificate
from application.commands.opening import OpenCase, RegisterDonor
from application.imports.cells import BadCell, Problem, Row
from application.roles import COMMAND_ROLES
from domain.case import AidCase
from domain.donor import Donor
from domain.errors import CodedError
from domain.money import Money
from domain.policy import report_id
from domain.values import Actor, Document

Book = dict[str, list[Row]]
MONEY = {"receipt": funds.RecordReceipt, "disbursement": funds.RecordDisbursement,
         "expenditure": funds.RecordExpenditure, "refund": funds.RecordRefund}


@dataclass
class Plan:
    key: str  # a donor's code or a case's reference
    row: Row
    first: Command | None  # RegisterDonor or OpenCase; None when its row is bad
    steps: list[tuple[Row, Command]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    donor_code: str = ""
    deviations: int = 0  # rule refusals recorded as deviations


def actor(actor_id: str, kind: type[Command]) -> Actor:
    """The importing person, in the first role that may give this command."""
    return Actor(id=actor_id, role=COMMAND_ROLES[kind][0])


def guarded(plan: Plan, row: Row, make: Callable[[], Any]) -> Any:
    """``make()``, or None with the row's problem noted on the plan."""
    try:
        return make()
    except BadCell as exc:
        plan.problems.append(row.problem(exc.column, str(exc)))
    except (CodedError, ValueError, TypeError) as exc:
        plan.problems.append(row.problem(getattr(exc, "field", None) or "", str(exc)))
    return None


def _keep(plans: dict[str, Plan], plan: Plan) -> None:
    """A new plan; a second row with the same key makes the first one bad, never replaces it."""
    first = plans.setdefault(plan.key, plan)
    if first is not plan:
        first.problems.append(plan.row.problem(
            "", f"{plan.key} is on {plan.row.sheet} row {first.row.number} already"))


def donor_plans(book: Book, who: str) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    for row in book.get("donors", []):
        code = row.text("code", "")
        command = RegisterDonor(actor=actor(who, RegisterDonor), code=code,
                                name=row.text("name", ""), country=row.text("country", ""),
                                kind=row.text("kind", ""), iati_ref=row.optional_text("iati_ref"))
        _keep(plans, Plan(code, row, command, donor_code=code))
    for row in book.get("certificates", []):
        plan = plans.get(row.text("donor_code", ""))
        if plan is None:
            continue  # reported by the checks of references (Importer.orphans)
        step = guarded(plan, row, _certificate(row, plan.key, who))
        if step is not None:
            plan.steps.append((row, step))
    return plans


def _certificate(row: Row, code: str, who: str) -> Callable[[], IssueCertificate]:
    return lambda: IssueCertificate(
        actor=actor(who, IssueCertificate), donor_id=Donor.create_id(code),
        number=row.text("number"), kind=row.text("kind"), issued_on=row.day("issued_on"),
        expires_on=row.day("expires_on"), provinces=row.items("provinces"),
        fields=row.items("fields"), effective_date=row.day("issued_on"))


def case_plans(book: Book, who: str) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    for row in book.get("cases", []):
        reference = row.text("reference", "")
        holder = Plan(reference, row, None)
        holder.first = guarded(holder, row, partial(_open, row, who))
        holder.donor_code = row.text("donor_code", "")
        _keep(plans, holder)
    by_case: dict[str, list[Row]] = defaultdict(list)
    for sheet in ("documents", "decisions", "transactions", "reports"):
        for row in book.get(sheet, []):
            by_case[row.text("reference", "")].append(row)
    for reference, plan in plans.items():
        if not plan.problems:
            _steps(plan, by_case[reference], who)
    return plans


def orphans(book: Book, donors: dict[str, Plan], cases: dict[str, Plan]) -> list[Problem]:
    """Rows naming a donor or a case the workbook does not hold: never silently left out."""
    found = [row.problem("donor_code", f"no donor {row.text('donor_code', '')!r} in the donors "
                                       "sheet") for row in book.get("certificates", [])
             if row.text("donor_code", "") not in donors]
    for sheet in ("documents", "decisions", "transactions", "reports"):
        found += [row.problem("reference", f"no case {row.text('reference', '')!r} in the "
                                           "cases sheet") for row in book.get(sheet, [])
                  if row.text("reference", "") not in cases]
    return found


def _open(row: Row, who: str) -> OpenCase:
    sectors = []
    for item in row.items("sectors"):
        code, _, share = item.partition(":")
        sectors.append({"code": code.strip(), "percentage": share.strip() or "100"})
    currency = row.text("currency")
    return OpenCase(actor=actor(who, OpenCase), reference=row.text("reference"),
                    title=row.text("title"), aid_form=row.text("aid_form"),
                    donor_id=Donor.create_id(row.text("donor_code")),
                    province=row.text("province"), managing_agency=row.text("managing_agency"),
                    aid_owner=row.text("aid_owner"), sectors=sectors,
                    planned_start=row.day("planned_start"), planned_end=row.day("planned_end"),
                    requested=Money.of(row.decimal("requested_amount"), currency),
                    requested_vnd_rate=row.optional_decimal("requested_vnd_rate"),
                    state_budget_revenue=row.flag("state_budget_revenue"),
                    effective_date=row.day("opened_on"))


def _steps(plan: Plan, rows: list[Row], who: str) -> None:
    opened = plan.first
    assert isinstance(opened, OpenCase)
    case_id, currency = AidCase.create_id(opened.reference), opened.requested.currency
    dated: list[tuple[date, int, int, Row, CaseCommand]] = []

    def add(row: Row, on: date, order: int, command_type: type[CaseCommand], /,
            **kwargs: Any) -> None:
        command = command_type(actor=actor(who, command_type), case_id=case_id,
                               effective_date=on, **kwargs)
        dated.append((on, order, len(dated), row, command))

    builders = {"documents": _document, "decisions": _decision, "transactions": _money,
                "reports": _report}
    for row in rows:
        guarded(plan, row, partial(builders[row.sheet], row, add, currency))
    completed = guarded(plan, plan.row, lambda: plan.row.optional_day("completed_on"))
    if completed is not None:
        add(plan.row, completed, 9, closure.CompleteActivities, actual_end=completed)
    plan.steps = [(row, command) for *_, row, command in sorted(dated, key=lambda d: d[:3])]


Add = Callable[..., None]


def _document(row: Row, add: Add, currency: str) -> None:
    add(row, row.day("on"), 0, dossier.AttachDocument, document=Document(
        kind=row.text("kind"), title=row.text("title"), uri=row.text("uri")))


def _decision(row: Row, add: Add, currency: str) -> None:
    submitted, appraised = row.day("submitted_on"), row.day("appraised_on")
    add(row, submitted, 1, dossier.Submit)
    add(row, submitted, 2, dossier.AcceptDossier)
    replies = [item.partition(":") for item in row.items("consultees")]
    for agency, _, _stance in replies:
        add(row, submitted, 3, appraisal.RequestConsultation, agency=agency.strip())
    for agency, _, stance in replies:
        add(row, appraised, 4, appraisal.RecordOpinion, agency=agency.strip(),
            stance=stance.strip() or "agree")
    approved = row.text("decision") == "approved"
    if row.text("decision") not in ("approved", "rejected"):
        raise BadCell("decision", "is approved or rejected")
    add(row, appraised, 5, appraisal.CompleteAppraisal,
        recommendation="approve" if approved else "reject")
    on = row.day("decision_date")
    if approved:
        add(row, on, 6, decision.Approve, decision_no=row.text("decision_no"), decision_date=on,
            signer=row.text("signer"), authority_level=row.text("authority_level"),
            approved_amount=Money.of(row.decimal("approved_amount"), currency),
            vnd_rate=row.optional_decimal("vnd_rate"))
    else:
        add(row, on, 6, decision.Reject, decision_no=row.text("decision_no"),
            reasons=row.items("reasons") or ["see the decision"])


def _money(row: Row, add: Add, currency: str) -> None:
    kind = row.text("kind")
    if kind not in MONEY:
        raise BadCell("kind", f"is one of {', '.join(MONEY)}")
    add(row, row.day("on"), 7, MONEY[kind], amount=Money.of(row.decimal("amount"), currency),
        vnd_rate=row.optional_decimal("vnd_rate"), aid_account=row.optional_text("aid_account"),
        in_kind=row.flag("in_kind"), counterparty=row.text("counterparty", ""),
        note=row.text("note", ""))


def _report(row: Row, add: Add, currency: str) -> None:
    kind, start, end = row.text("kind"), row.day("period_start"), row.day("period_end")
    uri = row.text("uri", f"legacy://{row.text('reference')}/{kind}/{start.isoformat()}")
    add(row, row.day("submitted_on"), 8, reporting.SubmitReport, kind=kind, period_start=start,
        period_end=end, document=Document(kind="report", title=f"{kind} {start}–{end}", uri=uri))
    accepted = row.optional_day("accepted_on")
    if accepted is not None:
        add(row, accepted, 8, reporting.ReviewReport, report_id=report_id(kind, start, end),
            accepted=True)


__all__ = ["Book", "DonorCommand", "Plan", "case_plans", "donor_plans"]
