"""The API process killed (SIGKILL) again and again under a load of keyed commands whose
clients retry the same key and body until they get an answer: every command is recorded
exactly once, and every acknowledged one is there.

The server is a real process of its own (``aidtrail serve``), on each backend; the load is
bounded (a fixed number of commands, a fixed number of kills), so the test ends on its own.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.api.keyed_load import (
    CLIENTS,
    COMMANDS_PER_CLIENT,
    Clients,
    recorded_notes,
    seed,
    serving,
)

KILLS = 3


@pytest.mark.slow
def test_keyed_commands_retried_through_three_kills_of_the_server_are_each_recorded_once(
    database_url: str,
) -> None:
    cases = seed(database_url)
    total = CLIENTS * COMMANDS_PER_CLIENT
    with serving(database_url) as server:
        clients = Clients(server)
        threads = [threading.Thread(target=clients.run, args=(c,), daemon=True) for c in cases]
        for t in threads:
            t.start()
        for kill in range(KILLS):  # killed at a quarter, a half, three quarters of the load
            while clients.count() < total * (kill + 1) // (KILLS + 1) and any(
                    t.is_alive() for t in threads):
                time.sleep(0.01)
            server.kill()
            server.start()
        for t in threads:
            t.join()
    assert clients.cut, "no kill cut a command in flight: the test proved nothing"
    clients.assert_each_recorded_once(recorded_notes(database_url, cases), total)
