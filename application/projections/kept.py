"""A bound on what the compliance projection keeps per aggregate, counted in rows, that forgets
an aggregate chosen at random when it is full.

Forgetting the least recently used keeps nothing when the aggregates evaluated go round in a
cycle a little longer than the bound: each is forgotten just before it comes round again, and
every evaluation then reads its history back in full. The bench's command load is such a
cycle (256 cases in turn, grown to about 215 marks each: 55,000 against the 50,000 the
bound then was). Forgetting at random keeps most of such a cycle, and on a load that comes
back to a few aggregates it keeps those as the least recently used order would; on that cycle
the views' CPU per event was × 0.777 (README, *Compliance checks*). The choice is seeded: a
run repeats.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, capacity: int, seed: int = 0) -> None:
        self.capacity = capacity  # rows in all; 0: nothing is kept
        self._values: dict[str, tuple[V, int]] = {}
        self._keys: list[str] = []  # the keys of _values, for a choice in constant time
        self._at: dict[str, int] = {}  # each key's index in _keys
        self._size = 0
        self._random = random.Random(seed)  # noqa: S311 - which to forget, not a secret

    def get(self, key: str) -> V | None:
        kept = self._values.get(key)
        return None if kept is None else kept[0]

    def pop(self, key: str) -> V | None:
        kept = self._values.pop(key, None)
        if kept is None:
            return None
        self._size -= kept[1]
        index = self._at.pop(key)
        last = self._keys.pop()
        if last != key:  # the last key takes the place of the one gone
            self._keys[index] = last
            self._at[last] = index
        return kept[0]

    def put(self, key: str, value: V, size: int) -> None:
        """Keep ``value`` (``size`` rows) for ``key``; others are forgotten, chosen at random,
        until the rows kept fit the capacity. A value larger than the capacity is not kept."""
        self.pop(key)
        if size > self.capacity or size <= 0:
            return
        while self._size + size > self.capacity:
            self.pop(self._keys[self._random.randrange(len(self._keys))])
        self._values[key] = (value, size)
        self._at[key] = len(self._keys)
        self._keys.append(key)
        self._size += size

    def values(self) -> Iterator[V]:
        return (value for value, _ in self._values.values())

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        """The rows kept."""
        return self._size
