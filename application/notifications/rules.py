"""What a subscription must be: a role in a province, or a person; an e-mail address for
e-mail, an http(s) URL for a webhook; Vietnamese or English."""

from __future__ import annotations

import re

from domain.errors import InvalidInputError
from domain.values import ROLES, VIEWER

CHANNELS, LANGUAGES = ("email", "webhook"), ("vi", "en")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]+$")
_PROVINCE = re.compile(r"^(\*|[A-Z0-9]{1,8})$")
SUBSCRIBING_ROLES = tuple(r for r in ROLES if r != VIEWER)


def _invalid(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(message, code=f"invalid_{field}", field=field)


def check_subscription(role: str | None, province: str | None, person: str | None,
                       channel: str, address: str, language: str) -> None:
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
