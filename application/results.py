"""What every command returns: the aggregate's id, new version, status and log position."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class CommandResult:
    id: UUID
    version: int
    status: str
    position: int
