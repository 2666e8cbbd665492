"""The map from the facts of a state back to the versions of the events that made them."""

from __future__ import annotations

from collections.abc import Sequence

from domain.compliance.marks import Marked

MONEY_EVENTS = ("CommitmentRecorded", "FundsReceived", "DisbursementRecorded",
                "ExpenditureRecorded", "RefundRecorded")


class History:
    """Maps the facts of an aggregate's state back to the versions of the events that made
    them: the i-th deviation, the i-th money transaction, events by name and key."""

    def __init__(self, case: Sequence[Marked] = (), donor: Sequence[Marked] = ()) -> None:
        ordered = sorted(case, key=lambda m: m.version)
        self._deviations = [m.version for m in ordered for _ in range(m.deviations)]
        self._money = [m.version for m in ordered if m.name in MONEY_EVENTS]
        self._named: dict[tuple[str, str], list[int]] = {}
        for m in ordered:
            self._named.setdefault((m.name, ""), []).append(m.version)
            if m.key:
                self._named.setdefault((m.name, m.key), []).append(m.version)
        self._certs: dict[str, list[int]] = {}
        for m in sorted(donor, key=lambda m: m.version):
            if m.key and m.name.startswith("Certificate"):
                self._certs.setdefault(m.key, []).append(m.version)

    def deviation(self, index: int) -> list[int]:
        return _at(self._deviations, index)

    def transaction(self, index: int) -> list[int]:
        return _at(self._money, index)

    def named(self, name: str, key: str = "", which: int | None = -1) -> list[int]:
        found = self._named.get((name, key), [])
        return list(found) if which is None else _at(found, which)

    def certificate(self, number: str, index: int) -> list[int]:
        """The donor event that wrote the index-th history entry of a certificate."""
        return _at(self._certs.get(number, []), index)


def _at(items: list[int], index: int) -> list[int]:
    return [items[index]] if -len(items) <= index < len(items) else []
