"""Authorisation: which of the caller's roles the role table admits, and the actor recorded."""

from __future__ import annotations

from application.commands.base import Command
from application.errors import ForbiddenError, ProvincesNotEnoughError
from application.roles import COMMAND_ROLES, NOTIFICATION_ROLES, READ_ROLES
from domain.values import Actor
from infrastructure.tokens import Principal


def actor_for(principal: Principal, command: type[Command]) -> Actor:
    """The actor recorded on the event: the caller, in the first of its roles allowed here."""
    return _actor(principal, command.snake_name(), COMMAND_ROLES[command])


def reader_for(principal: Principal, read: str) -> Actor:
    """The caller, if one of its roles may make this read (history, audit)."""
    return _actor(principal, read, READ_ROLES[read])


def notifier_for(principal: Principal, what: str) -> Actor:
    """The caller, if one of its roles may manage subscriptions or read the outbox."""
    return _actor(principal, what, NOTIFICATION_ROLES[what])


def _actor(principal: Principal, what: str, allowed: tuple[str, ...]) -> Actor:
    for role in allowed:
        if role in principal.roles:
            return Actor(id=principal.sub, role=role)
    raise ForbiddenError(
        f"{what} needs the role {' or '.join(allowed)}", allowed_roles=list(allowed)
    )


def require_every_province(principal: Principal, what: str) -> None:
    """The whole store (every province's events) is for callers whose provinces are ``*``."""
    if principal.provinces is not None:
        raise ProvincesNotEnoughError(f"{what} covers every province; it needs a token whose "
                                      "provinces are '*'")
