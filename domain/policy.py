"""Computed policy: required authority, due dates and the reporting calendar, as pure functions.

Every number comes from the rule profile; the results are stored in the events that use them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.rules import MINISTER_HOME_AFFAIRS, PRIME_MINISTER, VFF_PRESIDENT, RuleProfile
from domain.values import REQUIRED_DOSSIER_KINDS

HALF_YEAR = "half_year"
ANNUAL = "annual"
COMPLETION = "completion"
SETTLEMENT = "settlement"
REPORT_KINDS = (HALF_YEAR, ANNUAL, COMPLETION, SETTLEMENT)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def missing_dossier_items(documents: Iterable[Mapping[str, Any]]) -> list[str]:
    """The items of the dossier (Decree 80/2020 Art. 8) with no document attached."""
    kinds = {d["kind"] for d in documents}
    return [k for k in REQUIRED_DOSSIER_KINDS if k not in kinds]


def untranslated_dossier_items(documents: Iterable[Mapping[str, Any]],
                               language: str) -> list[str]:
    """The items of the dossier attached only in a foreign language: a document in another
    language comes with its translation, a document of the same kind in ``language``."""
    languages: dict[str, set[str]] = {}
    for d in documents:
        languages.setdefault(d["kind"], set()).add(d["language"])
    return [k for k in REQUIRED_DOSSIER_KINDS if k in languages and language not in languages[k]]


def _vnd(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def required_authority(profile: RuleProfile, *, aid_form: str, sensitive_flags: Iterable[str],
                       moha_licensed: bool, vnd_amount: Decimal) -> str:
    """The authority level that must approve the aid.

    Precedence: Prime Minister flags, then associations licensed by the Ministry of Home
    Affairs, then humanitarian aid with no named locality, then the optional value bands,
    then the default (head of the managing agency, disaster relief included).
    """
    authority = profile.authority
    # Decree 80/2020 Art. 7: security, defence, religion, legal drafting, PM-reserved goods.
    if set(sensitive_flags) & set(authority.get("prime_minister_flags", ())):
        return PRIME_MINISTER
    # Decree 80/2020 Art. 7: associations and funds licensed by the Ministry of Home Affairs.
    if moha_licensed:
        return str(authority.get("moha_licensed", MINISTER_HOME_AFFAIRS))
    # Decree 80/2020 Art. 7: humanitarian aid with no named locality, President of the VFF.
    if aid_form == "humanitarian_unaddressed":
        return str(authority.get("humanitarian_unaddressed", VFF_PRESIDENT))
    # Value bands are legacy or provincial data, not Decree 80 (which sets no thresholds).
    bands = sorted(authority.get("value_bands", ()),
                   key=lambda b: (_vnd(b.get("max_vnd")) is None, _vnd(b.get("max_vnd")) or 0))
    for band in bands:
        limit = _vnd(band.get("max_vnd"))
        if limit is None or vnd_amount <= limit:
            return str(band["level"])
    return str(authority["default"])


def authority_covers(profile: RuleProfile, *, required: str, signer_level: str,
                     vnd_amount: Decimal) -> bool:
    """True when the signer holds the required level, or a delegation in the profile lets it."""
    if signer_level == required:
        return True
    for delegation in profile.authority.get("delegations", ()):
        limit = _vnd(delegation.get("max_vnd"))
        if (delegation.get("level") == required and delegation.get("delegate") == signer_level
                and (limit is None or vnd_amount <= limit)):
            return True
    return False


def appraisal_due_on(profile: RuleProfile, accepted_on: date) -> date:
    # Decree 80/2020: appraisal within 20 days of a complete, valid dossier.
    return accepted_on + timedelta(days=int(profile.value("appraisal_days")))


def consultee_reply_due_on(profile: RuleProfile, requested_on: date) -> date:
    return requested_on + timedelta(days=int(profile.value("consultee_reply_days")))


def implementation_deadline(profile: RuleProfile, approved_on: date) -> date:
    # Decree 80/2020: an approval not implemented within 6 months may be revoked.
    return add_months(approved_on, int(profile.value("implementation_start_months")))


@dataclass(frozen=True)
class Obligation:
    kind: str
    period_start: date
    period_end: date
    due_on: date

    @property
    def report_id(self) -> str:
        return report_id(self.kind, self.period_start, self.period_end)


def report_id(kind: str, period_start: date, period_end: date) -> str:
    """The deterministic id of a report: kind and period."""
    # As "%Y%m%d" would write them, without strftime (a good part of a calendar's cost).
    start, end = period_start, period_end
    return (f"{kind}-{start.year}{start.month:02d}{start.day:02d}"
            f"-{end.year}{end.month:02d}{end.day:02d}")


def reporting_obligations(profile: RuleProfile, *, first_receipt_on: date | None,
                          actual_end_on: date | None, as_of: date,
                          closed_on: date | None = None) -> list[Obligation]:
    """The reports a case owes, in due-date order.

    Implementation runs from the first receipt to the actual end. The ``half_year`` report is
    the first-half (1 Jan - 30 Jun) report, due ``half_year_report_due_days`` after 30 June;
    the second half is covered by the ``annual`` report, due ``annual_report_due_days`` after
    31 December. A period is owed when implementation touched at least one of its days.
    Completion and settlement are owed once there is an actual end. Without an actual end,
    only periods that started on or before ``as_of`` are listed. Closing a case (which needs
    the completion report and settlement accepted) discharges the periodic reports that fall
    due after it.
    """
    if first_receipt_on is None:
        return []
    # Decree 80/2020: the aid owner reports every 6 months and annually (due days unverified).
    half_days = timedelta(days=int(profile.value("half_year_report_due_days")))
    annual_days = timedelta(days=int(profile.value("annual_report_due_days")))
    last_day = actual_end_on if actual_end_on is not None else as_of
    result: list[Obligation] = []
    for year in range(first_receipt_on.year, last_day.year + 1):
        h1_end = date(year, 6, 30)
        if first_receipt_on <= h1_end and date(year, 1, 1) <= last_day:
            result.append(Obligation(HALF_YEAR, date(year, 1, 1), h1_end, h1_end + half_days))
        year_end = date(year, 12, 31)
        result.append(Obligation(ANNUAL, date(year, 1, 1), year_end, year_end + annual_days))
    if actual_end_on is not None:
        completion = timedelta(days=int(profile.value("completion_report_due_days")))
        settlement = timedelta(days=int(profile.value("settlement_due_days")))
        result.append(Obligation(COMPLETION, first_receipt_on, actual_end_on,
                                 actual_end_on + completion))
        result.append(Obligation(SETTLEMENT, first_receipt_on, actual_end_on,
                                 actual_end_on + settlement))
    if closed_on is not None:
        result = [o for o in result if o.due_on <= closed_on
                  or o.kind in (COMPLETION, SETTLEMENT)]
    return sorted(result, key=lambda o: (o.due_on, REPORT_KINDS.index(o.kind)))


def overdue_on(due_on: date, counted: Iterable[tuple[date, date | None]], day: date) -> bool:
    """The one overdue rule (SPEC §3): overdue on D when D is after the due date and no
    submission counts on D; a submission counts from its date until the report is returned
    (``counted`` holds those intervals, the end excluded)."""
    return day > due_on and not any(start <= day and (end is None or day < end)
                                    for start, end in counted)


def is_overdue(obligation: Obligation, submitted_on: date | None, as_of: date) -> bool:
    """Overdue as of D, given the submission that counts (None: none does)."""
    counted = () if submitted_on is None else ((submitted_on, None),)
    return overdue_on(obligation.due_on, counted, as_of)
