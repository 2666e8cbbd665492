"""An event loop of a test's own, on a thread of its own: the browser tests' driver keeps a
loop running on the main thread of the worker, where ``asyncio.run`` would refuse."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_in_new_loop(main: Callable[[], Coroutine[Any, Any, T]], timeout: float = 60) -> T:
    """``asyncio.run(main())`` on a new thread; its result or its error. A loop still running
    after ``timeout`` seconds fails the test (its daemon thread is left behind) rather than
    hanging it."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["value"] = asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller
            done["error"] = exc

    thread = threading.Thread(target=run, daemon=True, name="test-event-loop")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"the event loop did not finish within {timeout:g} s")
    if "error" in done:
        raise done["error"]
    return done["value"]  # type: ignore[no-any-return]
