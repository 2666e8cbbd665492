"""``aidtrail import`` of a legacy workbook into a fresh SQLite file: rows per second, the
workbook read and every case recorded whole (strict, so one bad row would fail the run)."""

from __future__ import annotations

import time

from application.imports.run import Importer
from bench.harness import FULL, Bench, log
from bench.legacy_workbook import legacy_rows, write_workbook
from bench.server import BENCH_SECRET
from infrastructure.settings import Settings
from interfaces.container import build_container
from interfaces.legacy.reader import read_book

# About 50,000 rows in a full run (12 rows a case: the case, 4 documents, a decision, 5
# money rows, a report; plus donors and certificates).
FULL_CASES, SMOKE_CASES = 4_100, 60


def legacy_import(bench: Bench) -> None:
    cases = FULL_CASES if bench.sizes is FULL else SMOKE_CASES
    rows, _ = legacy_rows(donors=max(5, cases // 40), cases=cases)
    path = bench.work / "legacy.xlsx"
    count = write_workbook(path, rows)
    url = f"sqlite:///{bench.work / 'import.sqlite'}"
    container = build_container(Settings(database_url=url, jwt_secret=BENCH_SECRET,
                                         inprocess_projections=False), migrate=True)
    log(f"importing {count:,} rows")
    try:
        started = time.perf_counter()
        book, problems = read_book(path)
        report = Importer(container.services, book, "bench").run(write=True, strict=True)
        seconds = time.perf_counter() - started
    finally:
        container.close()
    if problems or not report.ok:
        bad = (problems or report.problems)[:3]
        raise RuntimeError(f"the bench workbook did not import: {bad}")
    bench.facts["import"] = bench.row(
        "import", f"legacy import, {count:,} rows, {report.events:,} events (SQLite)",
        "rows/s", [count / seconds]).median
