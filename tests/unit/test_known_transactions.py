"""The compliance projection converts a case's transactions touched again only from where it
left off, and a list it has not seen whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from application.projections.known_transactions import KnownTransactions
from domain.compliance.records import Transaction


def movement(amount: str) -> dict[str, Any]:
    return {"kind": "disbursed", "effective_date": date(2025, 3, 1),
            "case_amount": Decimal(amount), "in_kind": False, "aid_account": "VCB-1"}


def test_a_case_touched_again_converts_only_the_transactions_appended_since() -> None:
    known = KnownTransactions()
    dicts = [movement("1"), movement("2")]
    first = known.of("case", dicts)
    dicts.append(movement("3"))
    again = known.of("case", dicts)
    assert again == tuple(Transaction.of(t) for t in dicts)
    assert again[0] is first[0] and again[1] is first[1]  # not made again


def test_a_list_that_is_another_object_is_converted_whole() -> None:
    known = KnownTransactions()
    first = known.of("case", [movement("1")])
    reloaded = [movement("1"), movement("5")]  # the aggregate loaded again
    again = known.of("case", reloaded)
    assert again == tuple(Transaction.of(t) for t in reloaded)
    assert again[0] is not first[0]


def test_records_are_kept_up_to_the_capacity_and_a_case_larger_than_it_is_not_kept() -> None:
    known = KnownTransactions(capacity=4)
    lists = {case: [movement("1"), movement("2")] for case in ("a", "b", "c")}
    made = {case: known.of(case, dicts) for case, dicts in lists.items()}
    assert len(known) == 4  # two cases' records: one of the three was forgotten
    kept = [c for c in lists if known.of(c, lists[c])[0] is made[c][0]]
    assert 1 <= len(kept) <= 2
    assert known.of("big", [movement("1")] * 5)  # more than the capacity: not kept
    assert len(known) <= 4
    nothing = KnownTransactions(capacity=0)
    nothing.of("a", lists["a"])
    assert len(nothing) == 0
