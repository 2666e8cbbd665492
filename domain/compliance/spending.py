"""C10: over-spending, swept over the dates on which the running totals or the approved
amount change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain import case_guards as g
from domain.compliance.context import Context
from domain.compliance.records import Approval, Transaction
from domain.compliance.timeline import intervals

TOTALS = ("committed", "received", "disbursed", "spent", "refunded")
Change = tuple[date, Decimal, str]  # decision date, approved amount, amendment id


# C10 [critical] Decree 80/2020 and §2.3: uses within receipts (+ tolerance, not verified)
# and within the approved amount as amended; commitments within the approved amount.
def c10_overspending(cx: Context) -> None:
    """Uses above receipts, or uses or commitments above the approved amount as amended."""
    records = cx.facts.transactions
    if not records:
        return
    dates = [t.effective_date for t in records]
    txs = [(i, records[i]) for i in sorted(range(len(records)), key=dates.__getitem__)]
    approval = cx.facts.approval
    changes = sorted(((a.decision.effective_date, a.changes["approved_amount"], a.id)
                      for a in cx.facts.amendments if a.approved and a.decision is not None
                      and "approved_amount" in a.changes), key=lambda c: c[0])
    points = set(dates) | {c[0] for c in changes}
    if approval is not None:
        points.add(approval.decision_date)
    snapshot = _running_totals(sorted(points), [t for _, t in txs])
    ceiling = 1 + g.tolerance(cx.profile) / 100

    def problems(day: date) -> list[str]:
        return _problems(snapshot[day], _approved(approval, changes, day), ceiling,
                         cx.case.currency)

    ref = g.rule_ref("overspending", cx.profile)
    notes = [(e, on, v) for rule in ("overspending", "commitment_exceeds_approved")
             for e, on, v in cx.deviations(rule)]
    for start, until in intervals(points, lambda d: bool(problems(d)),
                                  txs[0][1].effective_date, None):
        evidence = [v for i, t in txs if t.effective_date in (start, until)
                    for v in cx.h.transaction(i)]
        evidence += [v for on, _, aid in changes if on == until
                     for v in cx.h.named("AmendmentApproved", aid)]
        inside = [(e, v) for e, on, v in notes if start <= on and (until is None or on < until)]
        text = "; ".join(problems(start) + [e.text() for e, _ in inside])
        cx.add("C10", f"over-spending from {start.isoformat()}: {text}", ref, start, until,
               evidence=evidence + [x for _, v in inside for x in v],
               verified=g.rule_verified("overspending", cx.profile)
               and g.rule_verified("commitment_exceeds_approved", cx.profile))


def _approved(approval: Approval | None, changes: list[Change], day: date) -> Decimal | None:
    """The approved amount as amended on ``day`` (None before the approval)."""
    if approval is None or day < approval.decision_date:
        return None
    amount = approval.approved_amount
    for on, value, _ in changes:
        if on <= day:
            amount = value
    return amount


def _running_totals(days: list[date], txs: list[Transaction]) -> dict[date, dict[str, Decimal]]:
    """One sweep: the running totals on each of ``days`` (``txs`` in date order)."""
    totals = dict.fromkeys(TOTALS, Decimal(0))
    snapshot: dict[date, dict[str, Decimal]] = {}
    i, count = 0, len(txs)
    for day in days:
        while i < count and txs[i].effective_date <= day:
            t = txs[i]
            totals[t.kind] += t.case_amount
            i += 1
        snapshot[day] = dict(totals)
    return snapshot


def _problems(t: dict[str, Decimal], limit: Decimal | None, ceiling: Decimal,
              cur: str) -> list[str]:
    used = t["disbursed"] + t["spent"]
    found = []
    if used + t["refunded"] > t["received"] * ceiling:
        found.append(f"disbursed + spent + refunded {used + t['refunded']} exceed "
                     f"received {t['received']} {cur}")
    if limit is not None and used > limit:
        found.append(f"disbursed + spent {used} exceed the approved {limit} {cur}")
    if limit is not None and t["committed"] > limit:
        found.append(f"commitments {t['committed']} exceed the approved {limit} {cur}")
    return found
