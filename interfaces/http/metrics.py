"""Prometheus metrics: what each serving process counts, and what the database says at scrape.

Requests, commands and pool use are counted by each process; with ``PROMETHEUS_MULTIPROC_DIR``
set (``serve --workers N`` sets it for its processes) every process writes them to files there
and a scrape of any one of them sums them all. Projection positions, lags and failures are read
from the database when scraped, so they are the same whichever process answers.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

disable_created_metrics()  # no `_created` series beside every counter
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
OWN = CollectorRegistry(auto_describe=True)
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("aidtrail_http_requests", "HTTP requests answered, by route template",
                   ["route", "method", "status"], registry=OWN)
LATENCY = Histogram("aidtrail_http_request_duration_seconds", "Time to answer a request",
                    ["route", "method"], buckets=_LATENCY_BUCKETS, registry=OWN)
COMMANDS = Counter("aidtrail_commands", "Commands by type and outcome (recorded, replayed, "
                   "conflict, refused, failed) and the problem code of a refusal",
                   ["command", "outcome", "code"], registry=OWN)
POOL_CONNECTIONS = Gauge("aidtrail_db_pool_connections", "Connections of the pool, by state",
                         ["pool", "state"], multiprocess_mode="livesum", registry=OWN)
POOL_WAITING = Gauge("aidtrail_db_pool_waiting", "Requests waiting for a connection (or, on "
                     "SQLite, for their turn to write) now", ["pool"],
                     multiprocess_mode="livesum", registry=OWN)
POOL_WAITS = Counter("aidtrail_db_pool_waits", "Requests that had to wait", ["pool"],
                     registry=OWN)
POOL_WAIT_SECONDS = Counter("aidtrail_db_pool_wait_seconds", "Total time spent waiting",
                            ["pool"], registry=OWN)
POOL_TIMEOUTS = Counter("aidtrail_db_pool_timeouts", "Requests that gave up waiting",
                        ["pool"], registry=OWN)
GROUP_COMMIT_BATCHES = Counter("aidtrail_group_commit_batches", "Transactions "
                               "committed by the group-commit writer", registry=OWN)
GROUP_COMMIT_COMMANDS = Counter("aidtrail_group_commit_commands", "Commands' saves in those "
                                "transactions (÷ batches: the mean batch size)", registry=OWN)
