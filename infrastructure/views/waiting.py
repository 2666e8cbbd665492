"""Waiting for the views to reach a log position (read-your-writes)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import infrastructure.views.failures as failures
import infrastructure.views.tracking as tracking
from infrastructure.views.sql import ViewStore


def wait_for(store: ViewStore, wanted: Sequence[str], position: int, timeout: float) -> bool:
    """True once every projection in ``wanted`` has applied ``position``; False at the
    timeout; ``ProjectionFailedError`` at once if one of them fails at or before ``position``
    (waiting could not help)."""
    deadline = time.monotonic() + timeout
    while True:
        with store.transaction(write=False) as tx:
            known = tracking.read_all(tx)
            failing = failures.read_all(tx)
        if all(known.get(n, 0) >= position for n in wanted):
            return True
        blocked = [failing[n] for n in wanted if n in failing
                   and known.get(n, 0) < position and failing[n].position <= position]
        if blocked:
            raise failures.refusal(blocked)
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(0.02, max(0.0, deadline - time.monotonic())))
