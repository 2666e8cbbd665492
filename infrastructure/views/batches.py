"""Applies a page of the log to projections: view rows and tracking in one transaction, and a
failing event isolated so that the events before it still count."""

from __future__ import annotations

from typing import Any

import infrastructure.views.failures as failures
import infrastructure.views.tracking as tracking
from application.projections.base import Projection, StoredNotification
from infrastructure.views.fault_kinds import is_outage
from infrastructure.views.set_aside import SetAside
from infrastructure.views.sql import ViewStore


class _Conflict(Exception):
    """Another runner moved the tracking row first; this batch was rolled back."""


# A projection's fault found in a page: the event it fails on, and what it raised.
_Fault = tuple[int, Exception]


class PageApplier:
    def __init__(self, store: ViewStore, set_aside: SetAside) -> None:
        self.store = store
        self.set_aside = set_aside

    def apply_page(self, chosen: list[Projection], page: list[StoredNotification],
                   positions: dict[str, int]) -> tuple[int, set[str]]:
        """Apply one page; ``positions`` is moved on; return how many events were new and
        the projections that failed on one of them."""
        at = {positions[p.name] for p in chosen}
        healthy = not any(self.set_aside.holds(p.name) for p in chosen)
        together = (self._apply_together(chosen, page, at.pop())
                    if len(at) == 1 and healthy else 0)
        if together:
            positions.update({p.name: page[-1].position for p in chosen})
            return together, set()
        fresh, failed = 0, set()
        for p in chosen:
            positions[p.name], n, fault = self.apply(p, page, positions[p.name])
            fresh = max(fresh, n)
            if self.set_aside.holds(p.name) and n:
                self.set_aside.recovered(p, positions[p.name])
            if fault is not None:
                failed.add(p.name)
                self.set_aside.failed(p, *fault)
        return fresh, failed

    def _apply_together(self, chosen: list[Projection], page: list[StoredNotification],
                        at: int) -> int:
        """Apply the page to every projection at the same position in one transaction (one
        commit instead of one each); 0 if another runner moved first or one of them failed
        (then one by one)."""
        batch = [n for n in page if n.position > at]
        if not batch:
            return 0
        try:
            with self.store.transaction(durable=False) as tx:
                for p in chosen:
                    self._write(tx, p, batch, at)
            return len(batch)
        except Exception as exc:  # noqa: BLE001 - one projection's fault: found one by one
            if is_outage(exc):
                raise
            return 0

    def _write(self, tx: Any, p: Projection, batch: list[StoredNotification], at: int) -> None:
        p.process_batch(tx, batch)
        if not tracking.advance(tx, p.name, at, batch[-1].position):
            raise _Conflict
        failures.passed(tx, p.name, batch[-1].position)

    def _position(self, name: str) -> int:
        with self.store.transaction(write=False) as tx:
            return tracking.read_position(tx, name)

    def apply(self, p: Projection, page: list[StoredNotification],
              at: int) -> tuple[int, int, _Fault | None]:
        """Apply the part of ``page`` after ``at``; return the new position, the count, and
        the fault if an event fails: the events before it are applied (halving the batch
        until the failing event is alone), the position stays just before it."""
        batch = [n for n in page if n.position > at]
        applied, size = 0, len(batch)
        while batch:
            try:
                with self.store.transaction(durable=False) as tx:
                    self._write(tx, p, batch[:size], at)
            except Exception as exc:  # noqa: BLE001 - isolated below, outages excepted
                if is_outage(exc):
                    raise
                moved = self._position(p.name)
                if moved != at:  # a race: another runner applied some of it first
                    at, batch = moved, [n for n in batch if n.position > moved]
                    size = len(batch)
                    continue
                if size == 1:
                    return at, applied, (batch[0].position, exc)
                size //= 2
                continue
            at, applied, batch = batch[size - 1].position, applied + size, batch[size:]
            size = len(batch)
        return at, applied, None
