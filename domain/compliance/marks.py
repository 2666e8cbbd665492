"""Marks of stored events: as much of each as is needed to say which event a fact came from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, Protocol


class Marked(Protocol):
    """What ``History`` reads of a mark (a ``Mark``, or a stored row that has these too)."""

    @property
    def version(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def deviations(self) -> int: ...


class Mark(NamedTuple):  # a tuple: made for stored events, many at each evaluation
    """One stored event, as much as is needed to say which event a fact came from."""

    version: int
    name: str
    key: str = ""
    deviations: int = 0


def mark(version: int, name: str, event: Any) -> Mark:
    key = next((str(getattr(event, a)) for a in ("report_id", "agency", "amendment_id",
                                                 "number", "about") if hasattr(event, a)), "")
    return Mark(version, name, key, len(getattr(event, "deviations", None) or ()))


def marks_of(events: Iterable[Any]) -> list[Mark]:
    """Marks of domain events (e.g. an aggregate's pending events in a test)."""
    return [mark(e.originator_version, type(e).__name__, e) for e in events]
