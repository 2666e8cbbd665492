"""Command types by name, for callers whose commands come as data (the demo set, imports)."""

from __future__ import annotations

from application.commands.base import Command
from application.roles import COMMAND_ROLES

BY_NAME: dict[str, type[Command]] = {kind.snake_name(): kind for kind in COMMAND_ROLES}


def command_type(name: str) -> type[Command]:
    """The command type called ``name`` (``record_disbursement`` → ``RecordDisbursement``)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no command {name!r}") from None
