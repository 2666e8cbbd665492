"""The threads that run the command routes' blocking work: one small pool per app."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from application.idempotency import CommandKey
from application.on_loop import run_on_loop
from application.results import CommandResult
from infrastructure.tokens import Principal
from interfaces.http.commands import run_command

T = TypeVar("T")
THREAD_NAME = "aidtrail-command"


class CommandThreads:
    """A command handed to a plain executor from an ``async`` route costs the server less
    than a ``def`` route's trip through the framework's worker threads (the SQLite writer
    queue and the PostgreSQL group-commit writer take saves from any thread). ``on_loop``
    (a group-commit writer is there to take the saves): commands run on the event loop
    instead (``application/on_loop.py``), and the threads are not started."""

    def __init__(self, size: int, *, on_loop: bool = False) -> None:
        self.size, self.on_loop = size, on_loop
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _running(self) -> ThreadPoolExecutor:
        # Started by the first command (an app may be called without its lifespan, as a
        # test client does), and again after a shutdown should the app be started again.
        executor = self._executor
        if executor is None:
            with self._lock:
                if self._executor is None:
                    self._executor = ThreadPoolExecutor(self.size, THREAD_NAME)
                executor = self._executor
        return executor

    async def run(self, call: Callable[[], T]) -> T:
        """``call()`` on a command thread, in a copy of this context (the request id, the
        language and the log's bound values go with it)."""
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            self._running(), context.run, call)

    def shutdown(self) -> None:
        """Waits for the commands under way, then ends the threads."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


async def run_command_async(
    request: Request,
    principal: Principal,
    body: BaseModel | None,
    idempotency_key: str | None,
    command: Callable[[CommandKey | None], CommandResult],
    *,
    created: bool = False,
    location: Callable[[CommandResult], str] | None = None,
) -> JSONResponse:
    """``run_command`` on the app's command threads, or on the event loop."""
    threads: CommandThreads = request.app.state.command_threads
    call = partial(run_command, request, principal, body, idempotency_key, command,
                   created=created, location=location)
    return await (run_on_loop(call) if threads.on_loop else threads.run(call))
