"""Baselines measured in the same run: what the database and the HTTP stack can do bare."""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any

import psycopg

EVENT_TABLE_DDL = """CREATE TABLE {name} (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea,
    notification_id bigserial,
    PRIMARY KEY (originator_id, originator_version))"""
STATE = json.dumps({"amount": "1", "currency": "USD", "rate_to_case": "1", "case_amount": "1",
                    "vnd_rate": "25000", "vnd_amount": "25000", "in_kind": False,
                    "aid_account": "VCB-1", "counterparty": "", "note": "",
                    "rule_profile": "decree-80-2020", "deviations": [], "actor_id": "owner-1",
                    "actor_role": "aid_owner", "effective_date": "2025-03-01",
                    "timestamp": "2025-03-01T00:00:00+00:00"}).encode()
TOPIC = "domain.case:AidCase.DisbursementRecorded"


def raw_insert_commit(conninfo: str, schema: str, seconds: float, max_rows: int = 200_000
                      ) -> dict[str, float]:
    """Single-row INSERT + COMMIT per transaction on one connection, into a table shaped like
    the library's event table (uuid + version primary key, bytea state, bigserial id)."""
    table = f"{schema}.raw_events_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(EVENT_TABLE_DDL.format(name=table))
        conn.execute(f"CREATE UNIQUE INDEX ON {table} (notification_id)")
    try:
        with psycopg.connect(conninfo) as conn:
            sql = (f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                   "VALUES (%s, %s, %s, %s)")
            ids = [uuid.uuid4() for _ in range(64)]
            rows = 0
            latencies: list[float] = []
            start = time.perf_counter()
            stop = start + seconds
            while rows < max_rows:
                t = time.perf_counter()
                if t >= stop:
                    break
                conn.execute(sql, (ids[rows % 64], rows // 64 + 1, TOPIC, STATE))
                conn.commit()
                latencies.append(time.perf_counter() - t)
                rows += 1
            took = time.perf_counter() - start
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    latencies.sort()
    return {"rows": rows, "seconds": took, "rate": rows / took,
            "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else float("nan")}


def raw_read_decode(conninfo: str, schema: str, table: str = "aidtrail_events",
                    page: int = 1000) -> dict[str, float]:
    """Read the whole event log in pages of ``page`` by notification id and JSON-decode each
    state: the floor under any rebuild or verification."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        sql = (f"SELECT notification_id, originator_id, originator_version, topic, state "
               f"FROM {schema}.{table} WHERE notification_id >= %s "
               "ORDER BY notification_id LIMIT %s")
        start_id, count = 1, 0
        started = time.perf_counter()
        loads = json.loads
        while True:
            rows: list[Any] = conn.execute(sql, (start_id, page)).fetchall()
            if not rows:
                break
            for row in rows:
                loads(row[4])
            count += len(rows)
            start_id = rows[-1][0] + 1
        took = time.perf_counter() - started
    return {"events": count, "seconds": took, "rate": count / took if took else 0.0}


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count() or 0}
