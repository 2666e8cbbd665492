"""Who is told: a role in a province (or every province, ``*``), or a named person; by e-mail
or a signed webhook; in Vietnamese (the default) or English."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from application.notifications.notices import Notice
from application.notifications.rules import check_subscription
from application.projections.base import ViewTransaction
from domain.errors import NotFoundError

SUBSCRIPTIONS = "notification_subscription"
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {SUBSCRIPTIONS} (
    id TEXT PRIMARY KEY, role TEXT, province TEXT, person TEXT, channel TEXT NOT NULL,
    address TEXT NOT NULL, language TEXT NOT NULL, secret TEXT, created_by TEXT NOT NULL,
    created_at TEXT NOT NULL)"""
_COLUMNS = "id, role, province, person, channel, address, language, secret, created_at"


class SubscriptionNotFoundError(NotFoundError):
    code = "subscription_not_found"


@dataclass(frozen=True)
class Subscription:
    id: str
    role: str | None
    province: str | None
    person: str | None
    channel: str
    address: str
    language: str
    secret: str | None  # the webhook's signing key; never listed, shown once on creation
    created_at: str


def subscribe(tx: ViewTransaction, *, role: str | None, province: str | None,
              person: str | None, channel: str, address: str, language: str = "vi",
              created_by: str, now: datetime) -> Subscription:
    """A new subscription; a webhook's gets a new signing secret."""
    check_subscription(role, province, person, channel, address, language)
    found = Subscription(id=str(uuid.uuid4()), role=role, province=province, person=person,
                         channel=channel, address=address, language=language,
                         secret=secrets.token_hex(32) if channel == "webhook" else None,
                         created_at=now.isoformat())
    tx.execute(f"INSERT INTO {SUBSCRIPTIONS} ({_COLUMNS}, created_by) VALUES "
               "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
               (found.id, role, province, person, channel, address, language, found.secret,
                found.created_at, created_by))
    return found


def unsubscribe(tx: ViewTransaction, subscription_id: str,
                provinces: Collection[str] | None = None) -> None:
    if get(tx, subscription_id, provinces) is None:
        raise SubscriptionNotFoundError(f"no subscription {subscription_id}")
    tx.execute(f"DELETE FROM {SUBSCRIPTIONS} WHERE id = %s", (subscription_id,))


def get(tx: ViewTransaction, subscription_id: str,
        provinces: Collection[str] | None = None) -> Subscription | None:
    found = [s for s in _select(tx, "WHERE id = %s", [subscription_id])
             if visible(s, provinces)]
    return found[0] if found else None


def listed(tx: ViewTransaction, provinces: Collection[str] | None = None) -> list[Subscription]:
    """Every subscription the caller may see: those of its provinces (and of persons)."""
    return [s for s in _select(tx, "ORDER BY created_at, id", []) if visible(s, provinces)]


def visible(s: Subscription, provinces: Collection[str] | None) -> bool:
    return provinces is None or s.province is None or s.province in provinces


def recipients(tx: ViewTransaction, notice: Notice) -> list[Subscription]:
    """The subscriptions a notice goes to: a role it is for, in one of its provinces (or
    ``*``), or a person it names."""
    roles, places = list(notice.audience), ["*", *notice.provinces]
    people = list(notice.people) or [""]
    where = (f"WHERE (person IS NULL AND role IN ({', '.join(['%s'] * len(roles))}) AND "
             f"province IN ({', '.join(['%s'] * len(places))})) OR "
             f"person IN ({', '.join(['%s'] * len(people))}) ORDER BY id")
    return _select(tx, where, [*roles, *places, *people])


def _select(tx: ViewTransaction, where: str, params: list[str]) -> list[Subscription]:
    rows = tx.fetchall(f"SELECT {_COLUMNS} FROM {SUBSCRIPTIONS} {where}", params)
    return [Subscription(*(None if v is None else str(v) for v in row))  # type: ignore[arg-type]
            for row in rows]
