"""Counts over a whole view, kept for as long as the view is unchanged.

A dashboard counts every open flag, every report owed and the whole portfolio; at 100,000
cases that is tens of thousands of rows a request. The answer depends only on the view's
rows and the question, and a view's rows change only with its tracking row (the projection
writes both in one transaction), so a count is kept with the tracking row's position and
time and given again while they are the same. The tracking row is read before the count:
a count may hold a newer write than its stamp says, never an older one. A rebuild rewrites
the tracking row, so nothing counted before it is given after it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from application.projections.base import ViewTransaction

T = TypeVar("T")
ENTRIES = 256  # questions kept per process (scope × date × filters); the oldest goes first


class ViewCounts:
    """Counts kept per view and question, each with the view's stamp when it was counted."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self._entries = entries
        self._kept: OrderedDict[tuple[str, Hashable], tuple[tuple[Any, ...], Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.counted = 0  # how many times a count was made rather than given again

    def get(self, tx: ViewTransaction, view: str, question: Hashable,
            count: Callable[[], T]) -> T:
        """``count()``'s answer, made in ``tx`` unless the same question was answered on the
        view as it is now."""
        stamp = tuple(tx.fetchall(
            "SELECT position, updated_at FROM projection_tracking WHERE name = %s", (view,)))
        key = (view, question)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] == stamp:
                self._kept.move_to_end(key)
                return kept[1]  # type: ignore[no-any-return]
        answer = count()
        with self._lock:
            self.counted += 1
            if not self._entries:
                return answer
            self._kept[key] = (stamp, answer)
            self._kept.move_to_end(key)
            while len(self._kept) > self._entries:
                self._kept.popitem(last=False)
        return answer
