"""A command's Idempotency-Key, recorded in the very transaction that appends its events:
a command is either wholly recorded with its key, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class CommandKey:
    """Who sent the command, under which key, and the fingerprint of what they sent."""

    principal: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class KeyedSave:
    """What the event recorder writes beside the events: the key and the command's result
    (its log position is the last notification id of the same transaction)."""

    key: CommandKey
    aggregate_id: UUID
    version: int
    status: str


class KeyAlreadyRecorded(Exception):
    """The key is recorded already (an earlier or concurrent twin): nothing was written."""
