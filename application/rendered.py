"""Rendered case states by (id, version): a read checks the head version, then reuses the
bytes if that version was rendered before. Bounded by total size."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Rendered:
    version: int
    province: str
    body: bytes


class RenderedStates:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max = max_bytes
        self._size = 0
        self._items: OrderedDict[tuple[UUID, int], Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, case_id: UUID, version: int, render: Callable[[], Rendered]) -> Rendered:
        key = (case_id, version)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        rendered = render()
        with self._lock:
            if key not in self._items and len(rendered.body) <= self._max:
                self._items[key] = rendered
                self._size += len(rendered.body)
                while self._size > self._max:
                    _, dropped = self._items.popitem(last=False)
                    self._size -= len(dropped.body)
        return rendered
