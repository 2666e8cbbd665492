"""Who is told: a role in a province (or every province, ``*``), or a named person; by e-mail
or a signed webhook; in Vietnamese (the default) or English."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from application.notifications.notices import Notice
from application.projections.base import ViewTransaction
from domain.errors import InvalidInputError, NotFoundError
from domain.values import ROLES, VIEWER

SUBSCRIPTIONS = "notification_subscription"
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {SUBSCRIPTIONS} (
    id TEXT PRIMARY KEY, role TEXT, province TEXT, person TEXT, channel TEXT NOT NULL,
    address TEXT NOT NULL, language TEXT NOT NULL, secret TEXT, created_by TEXT NOT NULL,
    created_at TEXT NOT NULL)"""
CHANNELS, LANGUAGES = ("email", "webhook"), ("vi", "en")
_COLUMNS = "id, role, province, person, channel, address, language, secret, created_at"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]+$")
_PROVINCE = re.compile(r"^(\*|[A-Z0-9]{1,8})$")
SUBSCRIBING_ROLES = tuple(r for r in ROLES if r != VIEWER)


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


def _invalid(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(message, code=f"invalid_{field}", field=field)


def _check(role: str | None, province: str | None, person: str | None, channel: str,
           address: str, language: str) -> None:
    if person is None and (role is None or province is None):
        raise _invalid("target", "give a role and a province, or a person")
    if person is not None and (role is not None or province is not None):
        raise _invalid("target", "a subscription names a role and a province, or a person")
    if role is not None and role not in SUBSCRIBING_ROLES:
        raise _invalid("role", f"role must be one of {', '.join(SUBSCRIBING_ROLES)}")
    if province is not None and not _PROVINCE.match(province):
        raise _invalid("province", "province must be a code such as BN, or *")
    if person is not None and not 0 < len(person) <= 200:
        raise _invalid("person", "person must be a user id of at most 200 characters")
    if channel not in CHANNELS:
        raise _invalid("channel", "channel must be email or webhook")
    if language not in LANGUAGES:
        raise _invalid("language", "language must be vi or en")
    good = (_EMAIL.match(address) if channel == "email"
            else re.match(r"^https?://[^\s/]+(/\S*)?$", address))
    if not good or len(address) > 500:
        raise _invalid("address", "an e-mail address for email, an http(s) URL for webhook")


def subscribe(tx: ViewTransaction, *, role: str | None, province: str | None,
              person: str | None, channel: str, address: str, language: str = "vi",
              created_by: str, now: datetime) -> Subscription:
    """A new subscription; a webhook's gets a new signing secret."""
    _check(role, province, person, channel, address, language)
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
