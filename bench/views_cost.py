"""``python -m bench.views_cost [--base REV | --each]``: the CPU per event of the views' catch-up
beside commands, on SQLite, for two sides measured in one run: this tree against a git
revision (``--base``), or, without it, this tree with the compliance projection's marks kept in
memory against the same with none kept (every touched case read back from
``compliance_event``). ``--each`` measures instead each projection caught up alone, and all of
them together, on this tree.

One file is made first, by this tree: ``--cases`` cases in implementation, their views caught
up, then ``--events`` one-dollar disbursements spread round-robin over them (the bench's
command load). Each round copies that file and catches its views up in pages of the worker's
size (``infrastructure.views.worker.WORKER_PAGE``) in a fresh process, once with each side,
alternating which goes first; each process measures its own CPU around the catch-up only.
The median ratio of their CPU per event is what a change is judged by. Both sides must share
the views' schema.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from application.commands.funds import RecordDisbursement
from bench import loaders
from bench.compare import _export
from bench.server import BENCH_SECRET
from domain.money import Money
from infrastructure.settings import Settings
from infrastructure.views.worker import WORKER_PAGE
from interfaces.container import Container, build_container

ROOT = Path(__file__).resolve().parents[1]
FILES = ("", "-wal", "-shm")


def _open(path: Path) -> Container:
    return build_container(Settings(database_url=f"sqlite:///{path}", jwt_secret=BENCH_SECRET,
                                    inprocess_projections=False, log_format="json"),
                           migrate=True)


def prepare(path: Path, cases: int, events: int, settled: int = 0) -> None:
    """``cases`` cases in implementation, their views caught up, then ``events``
    disbursements round-robin; with ``settled``, those are caught up too (in large pages)
    and ``settled`` more follow: what is measured is then the views of cases grown long."""
    container = _open(path)
    try:
        ids: list[UUID] = loaders.implementation_cases(container.services, cases)
        container.runner.catch_up()
        _disburse(container, ids, events)
        if settled:
            container.runner.catch_up()
            _disburse(container, ids, settled)
    finally:
        container.close()


def _disburse(container: Container, ids: list[UUID], count: int) -> None:
    for i in range(count):
        container.services.handle_case(RecordDisbursement(
            case_id=ids[i % len(ids)], actor=loaders.OWNER,
            amount=Money.of("1", "USD"), vnd_rate=Decimal("25000"), aid_account="VCB-1",
            effective_date=date(2025, 3, 1)))


def _deep_size(o: object, seen: set[int]) -> int:
    """The bytes of ``o`` and of what it holds, each object counted once."""
    if id(o) in seen:
        return 0
    seen.add(id(o))
    if isinstance(o, dict):
        inner: list[object] = [*o.keys(), *o.values()]
    elif isinstance(o, (list, tuple, set, frozenset)):
        inner = list(o)
    else:
        inner = [getattr(o, a) for a in getattr(type(o), "__slots__", ()) if hasattr(o, a)]
    return sys.getsizeof(o) + sum(_deep_size(x, seen) for x in inner)


def _bytes_per_mark(known: object) -> float:
    """The memory of the marks the compliance projection keeps, per mark (NaN: none kept)."""
    kept = getattr(known, "_kept", None)
    if not kept:
        return math.nan
    seen: set[int] = set()
    return sum(_deep_size(rows, seen) for rows in kept.values()) / len(known)  # type: ignore[arg-type]


def catch_up(path: Path, keep_marks: bool, only: str = "", warm: int = 0) -> None:
    """In the child: catch the views of ``path`` up (``only``: that projection alone); print
    the CPU ms per event and the bytes per kept mark. With ``warm``, the first ``warm`` events
    are caught up before the measure starts, so that what is measured is a worker that has
    run a while (its caches filled), not one just started."""
    container = _open(path)
    try:
        runner = container.runner
        compliance = runner.projections["compliance_flag"]
        if not keep_marks:
            compliance.marks.capacity = 0  # type: ignore[attr-defined]
        names = [only] if only else None
        if warm:
            at = min(v for k, v in runner.positions().items() if only in ("", k))
            runner.catch_up(until=at + warm, page=WORKER_PAGE, names=names)
        started = time.process_time()
        applied = runner.catch_up(page=WORKER_PAGE, names=names)
        spent = time.process_time() - started
        size = _bytes_per_mark(getattr(compliance, "marks", None))
    finally:
        container.close()
    print(f"{spent * 1000 / max(applied, 1):.6f} {size:.1f} {applied}")


def _side(tree: Path, source: Path, work: Path, keep_marks: bool, only: str = "",
          warm: int = 0, measured: int | None = None) -> tuple[float, float]:
    copy = work / "copy.sqlite"
    for suffix in FILES:
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
    try:
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from bench.views_cost import catch_up; "
             "from pathlib import Path; catch_up(Path(sys.argv[1]), sys.argv[2] == 'kept', "
             "sys.argv[3], int(sys.argv[4]))", str(copy), "kept" if keep_marks else "read",
             only, str(warm)],
            cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True,
            text=True, check=True)
    finally:
        for suffix in FILES:
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    cpu, size, applied = done.stdout.strip().splitlines()[-1].split()
    if measured is not None and int(applied) != measured:
        raise SystemExit(f"the measuring process caught up {applied} events, not {measured}")
    return float(cpu), float(size)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.views_cost", description=__doc__)
    parser.add_argument("--base", help="a git revision to compare this tree with")
    parser.add_argument("--cases", type=int, default=256)
    parser.add_argument("--events", type=int, default=8192)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--settled", type=int, default=0,
                        help="catch the --events up first, then measure this many more")
    parser.add_argument("--warm", type=int, default=0,
                        help="of the events measured, catch this many up in the measuring "
                             "process before its measure starts (a worker that has run a "
                             "while)")
    parser.add_argument("--each", action="store_true",
                        help="each projection alone, and all together, on this tree")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="aidtrail-views-cost-"))
    try:
        source = work / "source.sqlite"
        prepare(source, args.cases, args.events, args.settled)
        measured = (args.settled or args.events) - args.warm
        if measured <= 0:
            parser.error("--warm must leave events to measure")
        what = f"{measured:,} disbursements over {args.cases} cases" + (
            f", after {args.events:,} caught up" if args.settled else "") + (
            f" and {args.warm:,} more in the measuring process" if args.warm else "")
        if args.each:
            _each(source, work, args.rounds, what, args.warm, measured)
            return
        if args.base:
            names = ("this tree", args.base)
            # The base's code, measured by this tree's copy of this script.
            base = _export(args.base, work)
            shutil.copyfile(Path(__file__), base / "bench" / "views_cost.py")
            sides = [(ROOT, True), (base, True)]
        else:
            names = ("marks kept", "read back")
            sides = [(ROOT, True), (ROOT, False)]
        spent: list[list[float]] = [[], []]
        sizes: list[list[float]] = [[], []]
        for r in range(args.rounds):
            for i in ((0, 1) if r % 2 == 0 else (1, 0)):
                cpu, size = _side(sides[i][0], source, work, sides[i][1], "", args.warm,
                                  measured)
                spent[i].append(cpu)
                sizes[i] += [] if math.isnan(size) else [size]
            print(f"round {r + 1}: {names[0]} {spent[0][-1]:.3f} ms, {names[1]} "
                  f"{spent[1][-1]:.3f} ms per event", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [a / b for a, b in zip(spent[0], spent[1], strict=True)]
    print(f"views' CPU per event ({what}, pages of {WORKER_PAGE}): {names[0]} "
          f"{statistics.median(spent[0]):.3f} ms, {names[1]} "
          f"{statistics.median(spent[1]):.3f} ms; {names[0]} / {names[1]}: median "
          f"{statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f})")
    for name, kept in zip(names, sizes, strict=True):
        if kept:
            print(f"memory of the compliance marks kept, {name}: "
                  f"{statistics.median(kept):.0f} bytes per mark")


def _each(source: Path, work: Path, rounds: int, what: str, warm: int = 0,
          measured: int | None = None) -> None:
    container = _open(source)
    try:
        names = [*container.runner.projections, ""]
    finally:
        container.close()
    spent: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            spent[name].append(_side(ROOT, source, work, True, name, warm, measured)[0])
        print(f"round {r + 1} done", flush=True)
    print(f"views' CPU per event ({what}, pages of {WORKER_PAGE}), each projection caught up "
          f"alone (median of {rounds}):")
    for name in names:
        print(f"  {name or 'all together':<22} {statistics.median(spent[name]) * 1000:8.1f} us")


if __name__ == "__main__":
    main()
