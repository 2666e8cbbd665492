"""The case's dates the checks share: when it is active, and when its flags may still change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from domain import case_guards as g
from domain.compliance.records import dated

if TYPE_CHECKING:
    from domain.case import AidCase

FINAL_STATES = (g.REJECTED, g.REVOKED, g.CLOSED)
# After these a case takes no more receipts: its certificate-relevant dates are all known.
SETTLED_STATES = FINAL_STATES + (g.COMPLETED, g.TERMINATED)
DAY = timedelta(days=1)


def active_interval(case: AidCase) -> tuple[date, date | None] | None:
    """Active from the approval decision until revoked, terminated, closed or the day after
    the actual end; suspension does not end it (a suspended case is still a live case)."""
    if case.approval is None:
        return None
    start: date = case.approval["decision_date"]
    ends = [d for d in (dated(case.revocation), dated(case.termination), dated(case.closure),
                        case.actual_end + DAY if case.actual_end else None) if d is not None]
    end = min(ends) if ends else None
    if end is not None and end <= start:
        return None
    return start, end


def certificate_horizon(case: AidCase) -> date | None:
    """The last date on which the donor's certificates matter to this case, or None while
    the case can still take money (a donor change dated later cannot change its flags)."""
    if case.status not in SETTLED_STATES:
        return None
    dates = [s["on"] for s in case.submissions] + [t["effective_date"] for t in
                                                   case.transactions]
    active = active_interval(case)
    if case.approval is not None:
        dates.append(case.approval["decision_date"])
    if active is not None and active[1] is not None:
        dates.append(active[1])
    return max(dates) if dates else case.opened_on


def intervals(points: Iterable[date], holds: Callable[[date], bool], start: date,
              end: date | None) -> list[tuple[date, date | None]]:
    """Maximal intervals of [start, end) where ``holds``; it may change only at ``points``."""
    cuts = sorted({start} | {p for p in points if p > start and (end is None or p < end)})
    result: list[tuple[date, date | None]] = []
    opened: date | None = None
    for cut in cuts:
        if holds(cut):
            opened = cut if opened is None else opened
        elif opened is not None:
            result.append((opened, cut))
            opened = None
    if opened is not None:
        result.append((opened, end))
    return result
