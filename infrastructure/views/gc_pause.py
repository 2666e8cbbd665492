"""Fewer cyclic garbage collections while a long catch-up (a rebuild) runs."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_gc_guard = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections(wanted: bool) -> Iterator[None]:
    """Fewer cyclic garbage collections for the length of a long catch-up (a rebuild).

    A rebuild allocates objects for every event and keeps thousands of aggregates alive, so
    the collector's default thresholds (a young collection per 700 net allocations) made it
    run about a thousand times per 90,000 events: 14% of a rebuild, measured. The replay
    creates no cyclic garbage to speak of (refcounting frees it), so memory stays as flat.
    The thresholds are process-wide: they are restored when the last such catch-up ends.
    """
    global _gc_depth, _gc_saved
    if not wanted:
        yield
        return
    with _gc_guard:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], 20_000), max(_gc_saved[1], 20),
                             max(_gc_saved[2], 20))
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_guard:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None
