"""Checks on each movement of money: C01 before approval, C11 outside the period, C13 cash
outside the aid account, C14 state-budget revenue not entered in the budget."""

from __future__ import annotations

from datetime import date, timedelta

from domain import case_guards as g
from domain.compliance.context import MOVEMENTS, Context
from domain.compliance.timeline import intervals


# C01 [critical] Decree 80/2020 Art. 4: aid is received and used only after approval.
def c01_money_before_approval(cx: Context) -> None:
    """Money received or used before the approval decision."""
    approval, currency = cx.facts.approval, cx.case.currency
    for t, versions in cx.transactions(MOVEMENTS):
        on = t.effective_date
        if approval is None or on < approval.decision_date:
            cx.add("C01", f"{t.kind} {t.case_amount} {currency} on {on.isoformat()} before "
                   "approval", g.rule_ref("receipt_before_approval", cx.profile), on,
                   evidence=versions,
                   verified=g.rule_verified("receipt_before_approval", cx.profile))
    cx.from_deviations("receipt_before_approval", "money received or used before approval")


# C11 [warning] Decree 80/2020 (article not read): aid used within the approved (amended) period.
def c11_money_outside_approved_period(cx: Context) -> None:
    """Money moved on a date outside the approved period (as amended)."""
    ref = g.rule_ref("outside_approved_period", cx.profile)
    verified = g.rule_verified("outside_approved_period", cx.profile)
    start, end = cx.case.planned_start, cx.case.planned_end
    for t, versions in cx.transactions(MOVEMENTS):
        on = t.effective_date
        if not start <= on <= end:
            cx.add("C11", f"{t.kind} on {on.isoformat()} outside the approved period "
                   f"{start.isoformat()}..{end.isoformat()}", ref, on, evidence=versions,
                   verified=verified)
    for entry, on, versions in cx.deviations("outside_approved_period"):
        if not start <= on <= end:
            cx.add("C11", entry.text(), ref, on, evidence=versions, verified=verified)
            continue
        cover = _covering_amendment(cx, on)
        cx.add("C11", f"money moved on {on.isoformat()} outside the period then approved; "
               f"{entry.text()}", ref, on, cover[0] if cover else None,
               evidence=versions + (cover[1] if cover else []), verified=verified)


def _covering_amendment(cx: Context, on: date) -> tuple[date, list[int]] | None:
    """The first approved amendment after ``on`` whose period covers ``on``."""
    approved = [a for a in cx.facts.amendments if a.approved]
    # The period before any amendment is known only where no amendment changed it.
    period: dict[str, date | None] = {
        "planned_start": None if any("planned_start" in a.changes for a in approved)
        else cx.case.planned_start,
        "planned_end": None if any("planned_end" in a.changes for a in approved)
        else cx.case.planned_end}
    for a in approved:
        for name in period:
            if name in a.changes:
                period[name] = a.changes[name]
        assert a.decision is not None  # an approved amendment has its decision
        decided = a.decision.effective_date
        low, high = period["planned_start"], period["planned_end"]
        moved = "planned_start" in a.changes or "planned_end" in a.changes
        covers = (low is None or low <= on) and (high is None or on <= high)
        if moved and decided >= on and covers:
            return decided, cx.h.named("AmendmentApproved", a.id)
    return None


# C13 [critical] Decree 80/2020 Art. 4: all cash passes through the aid account.
def c13_cash_without_aid_account(cx: Context) -> None:
    """Cash received, used or refunded without the aid account."""
    ref = g.rule_ref("aid_account_missing", cx.profile)
    for t, versions in cx.transactions(MOVEMENTS + ("refunded",)):
        if not t.in_kind and not t.aid_account.strip():
            on = t.effective_date
            cx.add("C13", f"cash {t.kind} {t.case_amount} {cx.case.currency} on "
                   f"{on.isoformat()} without the aid account", ref, on, evidence=versions,
                   verified=g.rule_verified("aid_account_missing", cx.profile))
    cx.from_deviations("aid_account_missing", "cash moved without the aid account")


# C14 [warning] Decree 80/2020 Art. 4: aid that is state-budget revenue is accounted for in
# the state budget; no deadline is stated (the grace days are rule data, 0).
def c14_budget_revenue_not_entered(cx: Context) -> None:
    """State-budget revenue received with no budget entry on or after its receipt."""
    days = cx.profile.params.get("state_budget_revenue_entry_days")
    receipts = list(cx.transactions(("received",)))
    if not cx.case.state_budget_revenue or days is None or not receipts:
        return
    grace = timedelta(days=int(days.value))
    entries = [e["on"] for e in cx.case.budget_entries]
    versions = cx.h.named("BudgetEntryRecorded", which=None)

    def unentered(day: date) -> list[date]:
        return [t.effective_date for t, _ in receipts if t.effective_date + grace <= day
                and not any(t.effective_date <= e <= day for e in entries)]

    points = {t.effective_date + grace for t, _ in receipts} | set(entries)
    first = min(t.effective_date for t, _ in receipts) + grace
    for start, until in intervals(points, lambda d: bool(unentered(d)), first, None):
        cx.add("C14", f"state-budget revenue received on {min(unentered(start)).isoformat()} "
               "not entered in the state budget", cx.cite("state_budget_revenue_entry_days"),
               start, until,
               evidence=[v for t, vs in receipts if t.effective_date in unentered(start)
                         for v in vs] + [v for e, v in zip(entries, versions, strict=False)
                                         if e == until],
               verified=cx.profile.verified("state_budget_revenue_entry_days"))
