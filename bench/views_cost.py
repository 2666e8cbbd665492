"""``python -m bench.views_cost``: the CPU per event of the views' catch-up beside commands, on
SQLite, with the compliance projection's marks kept in memory and read back, in one run.

One file is made first: ``--cases`` cases in implementation, their views caught up, then
``--events`` one-dollar disbursements spread round-robin over them (the bench's command
load). Each round copies that file and catches its views up in pages of the worker's size
(``infrastructure.views.worker.WORKER_PAGE``), once with each side, alternating which goes
first; the median ratio of their CPU per event is what a change is judged by.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from application.commands.funds import RecordDisbursement
from bench import loaders
from bench.server import BENCH_SECRET
from domain.money import Money
from infrastructure.settings import Settings
from infrastructure.views.worker import WORKER_PAGE
from interfaces.container import Container, build_container


def _open(path: Path) -> Container:
    return build_container(Settings(database_url=f"sqlite:///{path}", jwt_secret=BENCH_SECRET,
                                    inprocess_projections=False, log_format="json"),
                           migrate=True)


def prepare(path: Path, cases: int, events: int) -> None:
    container = _open(path)
    try:
        ids: list[UUID] = loaders.implementation_cases(container.services, cases)
        container.runner.catch_up()
        for i in range(events):
            container.services.handle_case(RecordDisbursement(
                case_id=ids[i % len(ids)], actor=loaders.OWNER,
                amount=Money.of("1", "USD"), vnd_rate=Decimal("25000"), aid_account="VCB-1",
                effective_date=date(2025, 3, 1)))
    finally:
        container.close()


def catch_up_cpu(source: Path, work: Path, keep_marks: bool) -> float:
    """CPU milliseconds per event of catching up a copy of ``source``."""
    copy = work / "copy.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
    container = _open(copy)
    try:
        if not keep_marks:
            container.runner.projections["compliance_flag"].marks.capacity = 0  # type: ignore[attr-defined]
        started = time.process_time()
        applied = container.runner.catch_up(page=WORKER_PAGE)
        spent = time.process_time() - started
    finally:
        container.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return spent * 1000 / max(applied, 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.views_cost", description=__doc__)
    parser.add_argument("--cases", type=int, default=256)
    parser.add_argument("--events", type=int, default=8192)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aidtrail-views-cost-") as folder:
        work = Path(folder)
        source = work / "source.sqlite"
        prepare(source, args.cases, args.events)
        kept: list[float] = []
        read: list[float] = []
        for r in range(args.rounds):
            order = (True, False) if r % 2 == 0 else (False, True)
            for keep in order:
                (kept if keep else read).append(catch_up_cpu(source, work, keep))
            print(f"round {r + 1}: marks kept {kept[-1]:.3f} ms, read back {read[-1]:.3f} ms "
                  f"per event", flush=True)
    ratios = [a / b for a, b in zip(kept, read, strict=True)]
    print(f"views' CPU per event ({args.events:,} disbursements over {args.cases} cases, pages "
          f"of {WORKER_PAGE}): marks kept {statistics.median(kept):.3f} ms, read back "
          f"{statistics.median(read):.3f} ms; kept / read back: median "
          f"{statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f})")


if __name__ == "__main__":
    main()
