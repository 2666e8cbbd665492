"""Blocking code run on the event loop's thread, in a greenlet, that waits without blocking it.

A command whose aggregate is in hand needs the database only for its save, which the
group-commit writer does. Run on the event loop in a greenlet, the command gives the loop
back while its batch commits (``wait_for``), instead of taking a thread of its own: the
hand-overs between 16 command threads, the writer and the loop cost the server more CPU
than the command's own work (8 context switches per command, 0.5 on the loop). The pattern
is SQLAlchemy's ``greenlet_spawn`` / ``await_only``: the coroutine runs the function in a
child greenlet, awaits each awaitable the child hands back, and switches the result back in.
Code that may run there calls ``blocking`` for any other database work, and ``pause`` to
sleep.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import greenlet

T = TypeVar("T")


class _OnLoop(greenlet.greenlet):  # type: ignore[misc]
    """A greenlet running blocking code on the event loop's thread."""


def on_loop() -> bool:
    """True in code run by ``run_on_loop``: it must not block, but ``wait_for``."""
    return isinstance(greenlet.getcurrent(), _OnLoop)


async def run_on_loop(call: Callable[[], T]) -> T:
    """``call()`` on this thread, in a copy of this context; its ``wait_for`` are awaited."""
    child = _OnLoop(call, greenlet.getcurrent())
    child.gr_context = contextvars.copy_context()
    handed = child.switch()
    while not child.dead:
        try:
            value = await handed
        except BaseException as exc:  # noqa: BLE001 - raised in the child, where it waited
            handed = child.throw(exc)
        else:
            handed = child.switch(value)
    return handed  # type: ignore[no-any-return]


def wait_for(awaitable: Awaitable[T]) -> T:
    """The result of ``awaitable``, awaited by the event loop meanwhile (only ``on_loop``)."""
    current = greenlet.getcurrent()
    if not isinstance(current, _OnLoop):
        raise RuntimeError("wait_for is only for code run by run_on_loop")
    return current.parent.switch(awaitable)  # type: ignore[no-any-return]


def refuse_on_loop(what: str) -> None:
    """A programming error made loud: ``what`` would block the event loop (use ``blocking``)."""
    if on_loop():
        raise RuntimeError(f"{what} was asked for on the event loop")


def pause(seconds: float) -> None:
    """Sleep ``seconds``: on the loop without blocking it, elsewhere as ``time.sleep``."""
    if on_loop():
        wait_for(asyncio.sleep(seconds))
    else:
        time.sleep(seconds)


def blocking(call: Callable[[], T], executor: Any = None) -> T:
    """``call()``, on a worker thread when ``on_loop`` (so that it does not block the loop)."""
    if not on_loop():
        return call()
    context = contextvars.copy_context()
    return wait_for(asyncio.get_running_loop().run_in_executor(executor, context.run, call))
