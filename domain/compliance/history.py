"""The map from the facts of a state back to the versions of the events that made them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from domain.compliance.marks import Marked

MONEY_EVENTS = frozenset(("CommitmentRecorded", "FundsReceived", "DisbursementRecorded",
                          "ExpenditureRecorded", "RefundRecorded"))


class EventIndex:
    """One aggregate's marks as ``History`` reads them, made in one pass and grown by adding
    later versions (a case touched again adds only its new events)."""

    __slots__ = ("version", "_deviations", "_money", "_by_name", "_by_key", "_certs")

    def __init__(self, marks: Iterable[Marked] = ()) -> None:
        self.version = 0  # the latest version added
        self._deviations: list[int] = []
        self._money: list[int] = []
        self._by_name: dict[str, list[int]] = {}
        self._by_key: dict[tuple[str, str], list[int]] = {}
        self._certs: dict[str, list[int]] = {}
        for m in marks:
            self.add(m.version, m.name, m.key, m.deviations)

    def add(self, version: int, name: str, key: str = "", deviations: int = 0) -> None:
        """The mark of the next event; its version must be later than every one added."""
        if version <= self.version:
            raise ValueError(f"version {version} added after version {self.version}")
        self.version = version
        if deviations:
            self._deviations += [version] * deviations
        if name in MONEY_EVENTS:
            self._money.append(version)
        named = self._by_name.get(name)
        if named is None:
            self._by_name[name] = [version]
        else:
            named.append(version)
        if key:
            self._by_key.setdefault((name, key), []).append(version)
            if name.startswith("Certificate"):
                self._certs.setdefault(key, []).append(version)


_EMPTY = EventIndex()
_version = attrgetter("version")


class History:
    """Maps the facts of an aggregate's state back to the versions of the events that made
    them: the i-th deviation, the i-th money transaction, events by name and key.

    ``case`` and ``donor`` are the aggregates' marks (in any order), or their ``EventIndex``
    when the caller keeps one."""

    def __init__(self, case: Sequence[Marked] | EventIndex = (),
                 donor: Sequence[Marked] | EventIndex = ()) -> None:
        self._case = _indexed(case)
        self._donor = _indexed(donor)

    def deviation(self, index: int) -> list[int]:
        return _at(self._case._deviations, index)

    def transaction(self, index: int) -> list[int]:
        return _at(self._case._money, index)

    def transactions(self, count: int) -> list[list[int]]:
        """``[transaction(i) for i in range(count)]``, in one step."""
        money = self._case._money[:count]
        return [[v] for v in money] + [[] for _ in range(count - len(money))]

    def named(self, name: str, key: str = "", which: int | None = -1) -> list[int]:
        c = self._case
        found = (c._by_key.get((name, key)) if key else c._by_name.get(name)) or []
        return list(found) if which is None else _at(found, which)

    def certificate(self, number: str, index: int) -> list[int]:
        """The donor event that wrote the index-th history entry of a certificate."""
        return _at(self._donor._certs.get(number, []), index)


def _indexed(marks: Sequence[Marked] | EventIndex) -> EventIndex:
    if isinstance(marks, EventIndex):
        return marks
    return EventIndex(sorted(marks, key=_version)) if marks else _EMPTY


def _at(items: list[int], index: int) -> list[int]:
    return [items[index]] if -len(items) <= index < len(items) else []
