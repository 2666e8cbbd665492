"""A serving process freezes what its startup made, so full collections skip it."""

from __future__ import annotations

import gc
import weakref

from infrastructure.heap import settle_heap


class Node:
    def __init__(self) -> None:
        self.itself = self  # a cycle: only the collector frees it


def test_settling_the_heap_collects_the_garbage_then_freezes_what_is_left() -> None:
    node = Node()
    gone = weakref.ref(node)
    del node
    assert gone() is not None and gc.get_freeze_count() == 0
    try:
        settle_heap()
        assert gone() is None  # collected, not frozen with the rest
        assert gc.get_freeze_count() > 1000  # the modules at least
    finally:
        gc.unfreeze()  # the rest of the test session collects as before
