"""Blocking code on the event loop's thread (application/on_loop.py): it waits for its
awaitables while the loop goes on with other work, in a context of its own."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest

from application.on_loop import blocking, on_loop, pause, refuse_on_loop, run_on_loop, wait_for
from tests.support.event_loop import run_in_new_loop

REQUEST = contextvars.ContextVar("request", default="none")


def test_code_run_on_the_loop_gets_what_it_waits_for_while_other_work_goes_on() -> None:
    order: list[str] = []

    async def main() -> list[str]:
        first: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def waits() -> str:
            order.append("waiting")
            return wait_for(first) + " answered"

        async def answers() -> None:
            order.append("the loop is free")
            first.set_result("first")

        return list(await asyncio.gather(run_on_loop(waits), answers()))

    assert run_in_new_loop(main) == ["first answered", None]
    assert order == ["waiting", "the loop is free"]


def test_an_error_awaited_is_raised_where_the_code_waited() -> None:
    async def fails() -> None:
        raise LookupError("gone")

    def waits() -> str:
        try:
            wait_for(fails())
        except LookupError as exc:
            return f"caught {exc}"
        return "not raised"

    assert run_in_new_loop(lambda: run_on_loop(waits)) == "caught gone"


def test_an_error_of_the_code_is_raised_to_its_caller() -> None:
    def refuses() -> None:
        pause(0)
        raise PermissionError("refused")

    with pytest.raises(PermissionError, match="refused"):
        run_in_new_loop(lambda: run_on_loop(refuses))


def test_each_call_runs_in_a_copy_of_the_callers_context() -> None:
    async def main() -> tuple[str, str, str]:
        REQUEST.set("r1")

        def reads_and_sets() -> str:
            seen = REQUEST.get()
            REQUEST.set("changed inside")
            pause(0)
            return seen + " / " + REQUEST.get()

        inside = await run_on_loop(reads_and_sets)
        other = await run_on_loop(REQUEST.get)
        return inside, other, REQUEST.get()

    assert run_in_new_loop(main) == ("r1 / changed inside", "r1", "r1")


def test_blocking_work_goes_to_another_thread_only_when_on_the_loop() -> None:
    here = threading.get_ident()
    assert not on_loop() and blocking(threading.get_ident) == here

    def on_the_loop() -> tuple[bool, int, int]:
        return on_loop(), threading.get_ident(), blocking(threading.get_ident)

    async def main() -> tuple[tuple[bool, int, int], int]:
        return await run_on_loop(on_the_loop), threading.get_ident()

    (running, inside, worker), loop_thread = run_in_new_loop(main)
    assert running and inside == loop_thread and worker != loop_thread


def test_pauses_on_the_loop_interleave_and_do_not_block_it() -> None:
    order: list[str] = []

    def sleeper(name: str, seconds: float) -> None:
        pause(seconds)
        order.append(name)

    async def main() -> None:
        await asyncio.gather(run_on_loop(lambda: sleeper("slow", 0.05)),
                             run_on_loop(lambda: sleeper("quick", 0.0)))

    run_in_new_loop(main)
    assert order == ["quick", "slow"]


def test_waiting_or_a_refused_call_outside_its_place_is_an_error() -> None:
    sleeping = asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="only for code run by run_on_loop"):
        wait_for(sleeping)
    sleeping.close()
    refuse_on_loop("a database connection")  # off the loop: allowed

    def asks() -> None:
        refuse_on_loop("a database connection")

    with pytest.raises(RuntimeError, match="a database connection was asked for on the event"):
        run_in_new_loop(lambda: run_on_loop(asks))
