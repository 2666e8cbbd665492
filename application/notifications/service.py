"""The notification use cases: subscriptions, the daily evaluation, reads of the outbox."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.notifications import listing, outbox, subscriptions
from application.notifications.daily import daily_notices
from application.notifications.events import people_of
from application.notifications.subscriptions import Subscription
from application.ports import RuleBookPort
from application.projections.base import ViewStorePort


class Notifications:
    def __init__(self, store: ViewStorePort, rulebook: RuleBookPort, app: Any, *,
                 due_days: int = 7, late_days: int = 14) -> None:
        self.store, self.rulebook, self.app = store, rulebook, app
        self.due_days, self.late_days = due_days, late_days

    def create_tables(self, head: int) -> None:
        """Made by a migration; events up to ``head`` (already in the log) make no alerts."""
        with self.store.transaction() as tx:
            tx.execute(subscriptions.SCHEMA)
            outbox.create_tables(tx, head)

    def evaluate(self, as_of: date, now: datetime) -> int:
        """Enqueue what is due on ``as_of``; returns how many rows are new (0 on a rerun)."""
        # Not verified: the warning window is rule data (SPEC §1, default 90 days).
        warning = int(self.rulebook.in_force(as_of).value("certificate_expiry_warning_days"))
        known: dict[str, tuple[str, ...]] = {}
        with self.store.transaction() as tx:
            listed = subscriptions.listed(tx)
            if not listed:
                return 0
            named = any(s.person for s in listed)  # a case is loaded only for them

            def people(case_id: str) -> tuple[str, ...]:
                if named and case_id not in known:
                    known[case_id] = people_of(self.app.repository.get(UUID(case_id)))
                return known.get(case_id, ())

            found = daily_notices(tx, as_of, due_days=self.due_days, late_days=self.late_days,
                                  warning_days=warning, people=people)
            return outbox.enqueue(tx, found, now)

    def subscribe(self, *, role: str | None, province: str | None, person: str | None,
                  channel: str, address: str, language: str, created_by: str,
                  now: datetime) -> Subscription:
        with self.store.transaction() as tx:
            return subscriptions.subscribe(tx, role=role, province=province, person=person,
                                           channel=channel, address=address,
                                           language=language, created_by=created_by, now=now)

    def unsubscribe(self, subscription_id: str, provinces: Collection[str] | None = None) -> None:
        """Remove it; its notices not yet sent are cancelled (dead, ``unsubscribed``)."""
        with self.store.transaction() as tx:
            subscriptions.unsubscribe(tx, subscription_id, provinces)
            outbox.cancel(tx, subscription_id)

    def subscriptions(self, provinces: Collection[str] | None = None) -> list[Subscription]:
        with self.store.transaction(write=False) as tx:
            return subscriptions.listed(tx, provinces)

    def notices(self, *, provinces: Collection[str] | None = None, status: str | None = None,
                limit: int = 100) -> list[dict[str, Any]]:
        with self.store.transaction(write=False) as tx:
            return listing.notices(tx, provinces=provinces, status=status, limit=limit)

    def counts(self) -> dict[tuple[str, str], int]:
        with self.store.transaction(write=False) as tx:
            return listing.counts(tx)

    def failed_attempts(self) -> dict[str, int]:
        with self.store.transaction(write=False) as tx:
            return outbox.failed_attempts(tx)
