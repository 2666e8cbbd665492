"""The periodic report on aid received and used: its periods and its rows, from cases'
transactions only (no I/O, no clock: the period and the cases are given)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.balances import movements
from domain.periods import Period

# The report's categories (programme, project, non-project aid), by the case's aid form;
# every other form is non-project aid.
CATEGORY = {"programme": "programme", "technical_assistance_project": "project",
            "investment_project": "project"}
SECTIONS = ("cash", "in_kind", "state_budget")
MONEY = ("opening", "received", "used", "refunded", "closing")


def section_of(case: Any, in_kind: bool) -> str:
    """Aid in kind apart, then aid that is state-budget revenue apart from other cash."""
    return "in_kind" if in_kind else "state_budget" if case.state_budget_revenue else "cash"


def case_rows(case: Any, donor_name: str, period: Period) -> list[dict[str, Any]]:
    """A case's rows: one for its cash, one for its aid in kind, each when it moved or holds
    a balance by the period's end."""
    rows = []
    for in_kind in (False, True):
        txs = [t for t in case.transactions if t["kind"] != "committed"
               and bool(t.get("in_kind")) is in_kind and t["effective_date"] <= period.end]
        if not txs:
            continue
        money = movements(txs, period, "case_amount")
        vnd = movements(txs, period, "vnd_amount")
        if not any(money.values()):
            continue
        entries = [e for e in case.budget_entries if e["on"] <= period.end]
        rows.append({"section": section_of(case, in_kind), "goods": goods_received(txs, period),
                     "budget_entry": "; ".join(e["reference"] for e in entries)
                     if case.state_budget_revenue else None,
                     "category": CATEGORY.get(case.aid_form, "non_project"),
                     "donor": donor_name, "reference": case.reference, "title": case.title,
                     "aid_form": case.aid_form, "currency": case.currency,
                     "approved": case.approved_amount, "approved_vnd": case.approved_vnd,
                     **money, **{f"{k}_vnd": v for k, v in vnd.items()}})
    return rows


def goods_received(transactions: list[dict[str, Any]], period: Period) -> str:
    """The goods received in the period, summed by kind and unit: "Gạo: 12000 kg; …"."""
    summed: dict[tuple[str, str], Decimal] = {}
    for t in transactions:
        goods = t.get("goods")
        if goods and t["kind"] == "received" and period.start <= t["effective_date"] <= period.end:
            key = (goods["kind"], goods["unit"])
            summed[key] = summed.get(key, Decimal(0)) + Decimal(goods["quantity"])
    return "; ".join(f"{kind}: {quantity.normalize():f} {unit}"
                     for (kind, unit), quantity in sorted(summed.items()))


def totals(rows: list[dict[str, Any]]) -> dict[str, Decimal]:
    """The VND sums of every money column (amounts in case currencies do not add up)."""
    return {f"{k}_vnd": sum((r[f"{k}_vnd"] for r in rows), Decimal(0)) for k in MONEY}
