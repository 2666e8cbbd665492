"""Guards shared by the AidCase's phases: the process guard, input checks, rule checks, and
the checks every command of a phase may need (who, the donor, the case's money)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from domain import bounds
from domain.donor import Donor
from domain.errors import InvalidInputError, ProcessGuardError, RuleViolationError
from domain.money import Money, minor_units, quantize_for, to_decimal
from domain.phases.case_record import CaseRecord

# The procedure's states, re-exported: the phases read them as ``g.DRAFT`` and so on.
from domain.phases.process import (  # noqa: F401
    ALLOWED,
    APPRAISED,
    APPROVED,
    CLOSED,
    COMPLETED,
    DRAFT,
    IATI_STATUS,
    IN_IMPLEMENTATION,
    PRE_APPROVAL,
    REJECTED,
    RETURNED,
    REVOKED,
    SUBMITTED,
    SUSPENDED,
    TERMINATED,
    UNDER_APPRAISAL,
)
from domain.phases.records import DeviationRecord
from domain.rules import RuleProfile
from domain.values import Actor, Deviation, as_date

AID_FORMS = (
    "programme", "technical_assistance_project", "investment_project", "non_project_cash",
    "non_project_goods", "non_project_experts", "non_project_events", "disaster_relief",
    "humanitarian_unaddressed",
)
SENSITIVE_FLAGS = ("security", "defence", "religion", "legal_drafting", "pm_reserved_goods")

MONEY_COMMANDS = ("record_commitment", "record_receipt", "record_disbursement",
                  "record_expenditure", "record_refund")

# Rule codes and the compliance flag each one raises (SPEC §3).
RULE_FLAGS = {
    "receipt_before_approval": "C01",
    "dossier_incomplete": "C05",
    "dossier_untranslated": "C05",
    "authority_level": "C02",
    "donor_certificate_invalid": "C03",
    "overspending": "C10",
    "commitment_exceeds_approved": "C10",
    "outside_approved_period": "C11",
    "aid_account_missing": "C13",
    "segregation_of_duties": "C18",
}


def rule_ref(code: str, profile: RuleProfile) -> str:
    """The citation a refusal names: the rule's basis in the profile's data."""
    text = profile.basis(code).citation
    if code == "overspending":
        return f"{text}; {profile.citation('overspend_tolerance_percent')}"
    return text


def rule_verified(code: str, profile: RuleProfile) -> bool:
    """Whether a named source that was read states the rule (and the parameters it uses)."""
    verified = profile.basis(code).verified
    if code == "overspending":
        return verified and profile.verified("overspend_tolerance_percent")
    return verified


@dataclass(frozen=True)
class Violation:
    code: str
    detail: str


def resolve(violations: list[Violation], deviation: Deviation | None,
            profile: RuleProfile, **facts: Any) -> list[dict[str, str]]:
    """Refuse on the first broken rule (the refusal carries ``facts``), or, with a deviation,
    the entries to record. A deviation where no rule is broken is refused too: it would
    record nothing, and the caller would believe a justification was kept."""
    if deviation is not None and not violations:
        raise InvalidInputError("a deviation was given, but no rule is broken: remove it",
                                code="deviation_without_breach", field="deviation")
    if violations and deviation is None:
        first = violations[0]
        raise RuleViolationError(
            f"{first.detail} (a deviation with reason and document may be given)",
            code=first.code, flag=RULE_FLAGS[first.code], rule_ref=rule_ref(first.code, profile),
            basis_verified=rule_verified(first.code, profile),
            violations=[v.code for v in violations], **facts)
    return [deviation.entry(v.code, RULE_FLAGS[v.code]) for v in violations] if deviation else []


def certificate_violation(donor: Any, on: date, province: str,
                          sectors: list[dict[str, Any]]) -> Violation | None:
    # Decree 58/2022: a foreign NGO may work only where and in what its certificate says.
    if not donor.is_foreign_ngo:
        return None
    problem = donor.certificate_problem(on, province, [s["code"] for s in sectors])
    return Violation("donor_certificate_invalid", problem) if problem else None


_REFERENCE = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
_DAC = re.compile(r"^[0-9]{5}$")


def text(value: Any, field: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise InvalidInputError(f"{field} is required", code="required", field=field)
    return value.strip()


def texts(values: Any, field: str) -> list[str]:
    """A non-empty list of non-empty texts (reasons, conditions...)."""
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidInputError(f"{field}: give at least one", code="reasons_required",
                                field=field)
    return [text(v, field) for v in values]


def reference(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 64 or not _REFERENCE.match(value):
        raise InvalidInputError("reference: letters and digits separated by dashes",
                                code="invalid_reference", field="reference")
    return value


def choice(value: Any, options: Iterable[str], field: str) -> str:
    options = tuple(options)
    if value not in options:
        raise InvalidInputError(f"{field} must be one of {', '.join(options)}",
                                code=f"invalid_{field}", field=field)
    return str(value)


def sectors(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidInputError("at least one sector is required", code="sector_percentages",
                                field="sectors")
    result: list[dict[str, Any]] = []
    for item in value:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not _DAC.match(code):
            raise InvalidInputError("sector codes are 5-digit OECD DAC codes",
                                    code="invalid_sector", field="sectors")
        pct = to_decimal(item.get("percentage"), "sectors.percentage")
        if pct <= 0:
            raise InvalidInputError("sector percentages must be positive",
                                    code="sector_percentages", field="sectors")
        result.append({"code": code, "percentage": pct})
    if len({s["code"] for s in result}) != len(result):
        raise InvalidInputError("a sector is listed twice", code="sector_percentages",
                                field="sectors")
    if sum(s["percentage"] for s in result) != 100:
        raise InvalidInputError("sector percentages must sum to exactly 100",
                                code="sector_percentages", field="sectors")
    return result


def positive_rate(value: Any, field: str) -> Decimal:
    rate = to_decimal(value, field)
    if rate <= 0:
        raise InvalidInputError(f"{field} must be positive", code="invalid_rate", field=field)
    return rate


def vnd_equivalent(money: Money, vnd_rate: Any, field: str = "vnd_rate",
                   amount_field: str = "amount") -> tuple[Decimal, Decimal]:
    """(rate, VND amount) for ``money``; the rate is VND per unit of its currency. Both, and
    the amount, within the bounds (``domain.bounds``)."""
    bounds.check_amount(money.amount, money.currency, minor_units(money.currency), amount_field)
    if money.currency == "VND":
        if vnd_rate is not None and to_decimal(vnd_rate, field) != 1:
            raise InvalidInputError("a VND amount has a VND rate of 1", code="invalid_rate",
                                    field=field)
        return Decimal(1), money.amount
    if vnd_rate is None:
        raise InvalidInputError(f"{field} is required for {money.currency}",
                                code="vnd_rate_required", field=field)
    rate = positive_rate(vnd_rate, field)
    bounds.check_vnd_rate(rate, money.currency, field)
    bounds.check_vnd(money.amount * rate, amount_field)
    return rate, quantize_for("VND", money.amount * rate)


def check_totals(currency: str, kind: str, total: Decimal, total_vnd: Decimal) -> None:
    """A case's totals of ``kind`` after a money event stay within the bounds too."""
    bounds.check_amount(total, currency, minor_units(currency), "amount",
                        f"the case's {kind} total in {currency}")
    bounds.check_vnd(total_vnd, "amount", f"the case's {kind} total in VND")


def tolerance(profile: RuleProfile) -> Decimal:
    return to_decimal(str(profile.value("overspend_tolerance_percent")), "tolerance")


# --- shared by the phases -------------------------------------------------------------------

def require(case: CaseRecord, command: str) -> None:
    """The process guard every command passes first."""
    allowed = case.allowed_commands()
    if command not in ALLOWED[case.status]:
        raise ProcessGuardError(f"{command} is not allowed when the case is {case.status}",
                                code="transition_not_allowed", state=case.status,
                                allowed_commands=allowed, command=command)


def require_in(case: CaseRecord, command: str, states: Iterable[str]) -> None:
    """The process guard of a command the state table does not list: ``allowed_commands``
    is part of every recorded state, so commands added later keep their states here."""
    if case.status not in tuple(states):
        raise refuse(case, f"{command} is not allowed when the case is {case.status}",
                     "transition_not_allowed", command=command)


def require_money(case: CaseRecord, command: str) -> None:
    if case.status == SUSPENDED:
        raise refuse(case, "no money moves while the case is suspended", "case_suspended",
                     command=command)
    require(case, command)


def who(actor: Actor, effective_date: date) -> dict[str, Any]:
    """The fields every event ends with."""
    if not isinstance(actor, Actor):
        raise InvalidInputError("actor must be an Actor", code="invalid_actor", field="actor")
    return {"actor_id": actor.id, "actor_role": actor.role,
            "effective_date": as_date(effective_date)}


def refuse(case: CaseRecord, detail: str, code: str, **extra: Any) -> ProcessGuardError:
    """The procedure's refusal, naming the case's state and the commands it accepts now."""
    return ProcessGuardError(detail, code=code, state=case.status,
                             allowed_commands=case.allowed_commands(), **extra)


def check_donor(case: CaseRecord, donor: Donor) -> None:
    if not isinstance(donor, Donor) or donor.id != case.donor_id:
        raise InvalidInputError("this is not the case's donor", code="donor_mismatch",
                                field="donor")


def case_money(case: CaseRecord, value: Any, field: str) -> Money:
    if not isinstance(value, Money) or not value.is_positive:
        raise InvalidInputError(f"{field} must be positive Money", code="invalid_amount",
                                field=field)
    if value.currency != case.currency:
        raise InvalidInputError(f"{field} must be in the case currency {case.currency}",
                                code="currency_mismatch", field=field)
    return value


def segregation(case: CaseRecord, actor: Actor, *others: str) -> list[Violation]:
    involved = {case.submitted_by, case.appraised_by, *others} - {None}
    if actor.id in involved:
        return [Violation("segregation_of_duties",
                          f"{actor.id} took part earlier in this case and may not decide")]
    return []


def note_deviations(case: CaseRecord, event_name: str, entries: list[dict[str, str]],
                    effective_date: date) -> None:
    """Applies an event's deviations (replay-safe: only assigns)."""
    for entry in entries:
        case.deviations.append(cast(DeviationRecord, {**entry, "event": event_name,
                                                      "effective_date": effective_date}))
