"""The command line's top group, whose heavy commands are imported only when they are used."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup

# Command name -> module whose one-command ``app`` it is. ``serve`` imports the HTTP app,
# which no other command needs and which costs about as much as the rest of ``aidtrail``'s
# start-up (0.44 s against 0.50 s, ``python -X importtime``).
LAZY = {"serve": "interfaces.cli.serve"}


class LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name, in order; a lazy one is imported on first lookup.

    Its name is known without the import, so listing names and suggesting one for a typo
    (``serv``) cost nothing; ``--help`` looks every command up for its help line.
    """

    def __init__(self, loaded: Mapping[str, Any], lazy: Mapping[str, str]) -> None:
        self._lazy = dict(lazy)
        self._loaded = dict(loaded)
        self._order = [*self._lazy, *(n for n in self._loaded if n not in self._lazy)]

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded and name in self._lazy:
            module = importlib.import_module(self._lazy[name])
            self._loaded[name] = typer.main.get_command(module.app)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._order:
            self._order.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._loaded.pop(name, None)
        self._lazy.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)


class LazyGroup(TyperGroup):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = LazyCommands(self.commands, LAZY)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: no lazy command is imported
