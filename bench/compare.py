"""Two versions of the server side by side: the server CPU per command of this working tree
against a git revision, both served at once under the same load, so that a busy moment of a
shared machine weighs on both alike.

    python -m bench.compare [--base REV] [--rounds 8] [--seconds 4] [--concurrency 8]
                            [--cases 256] [--events 0] [--workers 1]

Each version gets its own uvicorn process (as ``aidtrail serve`` runs it; with ``--workers N``
it is ``aidtrail serve --workers N``, its CPU that of all its processes) on one PostgreSQL
started for the run, and its own cases in implementation (256; with ``--events N`` each is
first grown to N events by disbursements, a history long enough to cost what a long one
costs, e.g. its snapshots); in each round both are sent
``POST /cases/{id}/disbursements`` for the same seconds, at the same time, and each one's
CPU per command (user + system, from /proc) is taken. The ratio this tree / base is given per
round and as the median: below 1 is less CPU per command here. Sequential runs of one
version on a shared 2-core machine vary by ±20%; the ratio of simultaneous runs by a few %.
The exported base and the servers' logs live in a temporary folder, removed at the end and
kept (its path printed) when the run fails.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

import psycopg

from bench import loaders
from bench.harness import FULL, Bench, Request, Sizes, log, postgres
from bench.http_load import json_body
from bench.server import (
    BENCH_SECRET,
    ROOT,
    Served,
    app_env,
    cpu_seconds,
    uvicorn_server,
)
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import conninfo, with_query
from interfaces.container import build_container

CASES = 256  # per version, by default


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="HEAD", help="the git revision to compare against")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, default=8, help="per version")
    parser.add_argument("--cases", type=int, default=CASES, help="per version")
    parser.add_argument("--events", type=int, default=0,
                        help="grow each case to this many events first (0: as opened)")
    parser.add_argument("--workers", type=int, default=1,
                        help="serving processes per version (`aidtrail serve --workers N`)")
    return parser.parse_args(argv)


def _export(rev: str, into: Path) -> Path:
    """The tree of ``rev`` (``git archive``), unpacked in ``into``."""
    archive = into / "base.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), rev], cwd=ROOT,
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "base", filter="data")
    return into / "base"


@contextmanager
def _serve(tree: Path, database_url: str, log_file: Path, workers: int = 1
           ) -> Iterator[Served]:
    env = app_env(database_url)
    env["PYTHONPATH"] = str(tree)
    with uvicorn_server("bench.aidtrail_app:aidtrail", env, log_file, workers=workers,
                        cwd=tree) as served:
        yield served


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    work = Path(tempfile.mkdtemp(prefix="aidtrail-compare-"))
    try:
        ratios, overall = _compare(args, work)
    except BaseException:
        log(f"the exported base and the servers' logs are kept in {work}")
        raise
    shutil.rmtree(work, ignore_errors=True)
    print(f"server CPU per command, this tree / {args.base}: median {statistics.median(ratios):.3f}"
          f" over {len(ratios)} rounds ({', '.join(f'{r:.3f}' for r in ratios)}); all rounds"
          f" together {overall:.3f}")
    return 0


def _compare(args: argparse.Namespace, work: Path) -> tuple[list[float], float]:
    trees = {"base": _export(args.base, work), "this tree": ROOT}
    bench = Bench(Sizes(**{**FULL.__dict__, "concurrency": args.concurrency}), set(), False,
                  work)
    body = json_body(loaders.disbursement_body())
    with postgres() as server_url:
        schema = "compare_" + uuid.uuid4().hex[:8]
        with psycopg.connect(conninfo(server_url), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        url = with_query(server_url, schema=schema)
        container = build_container(Settings(database_url=url, jwt_secret=BENCH_SECRET,
                                             inprocess_projections=False), migrate=True)
        try:
            cases = {name: loaders.implementation_cases(container.services, args.cases,
                                                              prefix=p)
                     for name, p in (("base", "CA"), ("this tree", "CB"))}
            if args.events:
                log(f"growing {2 * args.cases} cases to {args.events} events")
                for case_id in cases["base"] + cases["this tree"]:
                    loaders.grow_case(container.services, case_id, args.events)
        finally:
            container.close()
        with ExitStack() as stack:
            served = {name: stack.enter_context(_serve(tree, url, work / f"{i}.log",
                                                       args.workers))
                      for i, (name, tree) in enumerate(trees.items())}
            return _rounds(bench, served, cases, body, args)


def _rounds(bench: Bench, served: dict[str, Served], cases: dict[str, list[uuid.UUID]],
            body: bytes, args: argparse.Namespace) -> tuple[list[float], float]:
    """The ratio of each round, and of all rounds' CPU over all their commands (work done
    now and then, such as a snapshot every N events, weighs there as often as it comes)."""
    def paths(name: str) -> list[str]:
        return [f"/api/v1/cases/{c}/disbursements" for c in cases[name]]

    routes = {name: paths(name) for name in served}
    _together(bench, served, routes, body, 1.0)  # warm-up
    ratios = []
    totals = {name: [0.0, 0] for name in served}  # CPU ms, commands
    for r in range(args.rounds):
        done = _together(bench, served, routes, body, args.seconds)
        per = {name: cpu / max(1, n) for name, (cpu, n) in done.items()}
        for name, (cpu, n) in done.items():
            totals[name][0] += cpu
            totals[name][1] += n
        ratios.append(per["this tree"] / per["base"])
        log(f"round {r + 1}: base {per['base']:.3f} ms, this tree {per['this tree']:.3f} ms "
            f"per command, ratio {ratios[-1]:.3f}")
    mine, base = totals["this tree"], totals["base"]
    return ratios, (mine[0] / max(1, mine[1])) / (base[0] / max(1, base[1]))


def _request(paths: list[str], body: bytes, i: int) -> Request:
    return "POST", paths[i % len(paths)], body


def _together(bench: Bench, served: dict[str, Served], routes: dict[str, list[str]],
              body: bytes, seconds: float) -> dict[str, tuple[float, int]]:
    """Both versions loaded at once for ``seconds``: each one's server CPU (ms) and
    commands sent."""
    per: dict[str, tuple[float, int]] = {}

    def run(name: str) -> None:
        s, p = served[name], routes[name]
        before = cpu_seconds(s.pid)
        result = bench.load(s.base, partial(_request, p, body), seconds=seconds)
        per[name] = ((cpu_seconds(s.pid) - before) * 1000, result.ok + result.errors)

    threads = [threading.Thread(target=run, args=(name,)) for name in served]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return per


if __name__ == "__main__":
    sys.exit(main())
