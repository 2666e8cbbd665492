"""PostgreSQL stopped with ``pg_ctl -m immediate`` (no shutdown: what a power cut leaves)
while commands are committed in batches (group commit on): a command is acknowledged only
once its batch has committed, so after recovery every acknowledged command is there, and
keyed retries record none twice."""

from __future__ import annotations

import threading
import time

import pytest

from tests.api import keyed_load as load
from tests.support.cluster import Cluster

STOPS = 2
DOWN_SECONDS = 1.0


@pytest.mark.slow
def test_postgres_stopped_immediately_twice_under_batched_load_loses_no_acknowledged_command(
    cluster: Cluster,
) -> None:
    cases = load.seed(cluster.url)
    total = load.CLIENTS * load.COMMANDS_PER_CLIENT
    with load.serving(cluster.url, {"AIDTRAIL_GROUP_COMMIT_WAIT_MS": "2"}) as server:
        clients = load.Clients(server)
        threads = [threading.Thread(target=clients.run, args=(c,), daemon=True) for c in cases]
        for t in threads:
            t.start()
        for stop in range(STOPS):  # at a third and two thirds of the load
            while clients.count() < total * (stop + 1) // (STOPS + 1) and any(
                    t.is_alive() for t in threads):
                time.sleep(0.01)
            cluster.stop("immediate")
            time.sleep(DOWN_SECONDS)
            cluster.start()
        for t in threads:
            t.join()
    clients.assert_each_recorded_once(load.recorded_notes(cluster.url, cases), total)
