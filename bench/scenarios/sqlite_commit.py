"""What a commit costs SQLite as AidTrail opens it (WAL, ``synchronous`` at its default
FULL: every commit waits for its log to reach the disk), one row per transaction against
sixteen — the question whether group commit would help on SQLite too. Rows of the size
of a stored event, in a file of the run's own; each pair measured interleaved."""

from __future__ import annotations

import os
import sqlite3
import time

from bench.harness import FULL, Bench

ROWS = 1600  # per measurement (a tenth in the smoke run)
PER_COMMIT = (1, 16)


def sqlite_commit(bench: Bench) -> None:
    runs: dict[int, tuple[list[float], list[float]]] = {n: ([], []) for n in PER_COMMIT}
    rows = ROWS if bench.sizes is FULL else ROWS // 10
    for repeat in range(bench.sizes.repeats):
        for per in PER_COMMIT:
            wall, cpu = _inserts(bench.work / f"commit-{repeat}-{per}.sqlite", per, rows)
            runs[per][0].append(wall)
            runs[per][1].append(cpu)
    for per, (walls, cpus) in runs.items():
        bench.row("sqlite commit", f"{per} row(s) per commit: time per row", "µs", walls,
                  note="WAL, synchronous FULL (the default)")
        bench.row("sqlite commit", f"{per} row(s) per commit: CPU per row", "µs", cpus)


def _inserts(path: os.PathLike[str], per: int, rows: int) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE stored (id INTEGER PRIMARY KEY, state BLOB NOT NULL)")
        state = os.urandom(300)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(0, rows, per):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO stored (state) VALUES (?)", [(state,)] * per)
            conn.execute("COMMIT")
        return ((time.perf_counter() - started) / rows * 1e6,
                (time.process_time() - cpu) / rows * 1e6)
    finally:
        conn.close()
