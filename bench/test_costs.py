"""``python -m bench.test_costs``: what the test suite's own set-up choices cost, in CPU per unit,
each side measured in the same run (the README's "The two commands" quotes them).

- an httpx client built with its default TLS context (which loads the CA bundle) against one
  given a context built once;
- an argon2id hash and its check at the shipped cost against the tests' least cost;
- a started container with nothing to catch up, polling its views every 0.05 s (what the
  tests' settings had) against the shipped 0.2 s: CPU per second, its own and PostgreSQL's;
- a fresh process importing the command line (what every CLI call and served process pays).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg
from argon2 import PasswordHasher, profiles

from bench.server import postgres_cpu
from infrastructure.accounts import _hasher as shipped_hasher
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import conninfo, postgres_server, with_query
from interfaces.container import build_container

ROOT = Path(__file__).resolve().parents[1]
TESTS_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)  # as tests/conftest.py


def _cpu_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm: imports and caches are not what is measured
    started = time.process_time()
    for _ in range(repeat):
        work()
    return (time.process_time() - started) / repeat * 1000


def _argon2(hasher: PasswordHasher) -> Callable[[], object]:
    return lambda: hasher.verify(hasher.hash("a long enough passphrase"),
                                 "a long enough passphrase")


def _idle_ms_per_second(base: str, poll: float, seconds: float) -> tuple[float, float]:
    """CPU per second of an idle started container: this process's and PostgreSQL's."""
    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(conninfo(base), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    settings = Settings(database_url=with_query(base, schema=name), jwt_secret="x" * 40,
                        log_format="json", auto_migrate=True, inprocess_projections=True,
                        projection_poll_seconds=poll)
    container = build_container(settings)
    meter = postgres_cpu(conninfo(base))
    try:
        container.start()
        time.sleep(0.5)
        own, server = time.process_time(), meter() if meter else 0.0
        time.sleep(seconds)
        return ((time.process_time() - own) / seconds * 1000,
                ((meter() - server) / seconds * 1000) if meter else float("nan"))
    finally:
        container.close()


def _cli_import_ms(repeat: int) -> float:
    total = 0.0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", "from interfaces.cli.main import main"],
                       cwd=ROOT, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        total += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return total / repeat * 1000


def measure(repeat: int) -> list[tuple[str, str]]:
    shared = httpx.create_ssl_context()
    rows = [
        ("httpx client, default TLS context (ms CPU)",
         f"{_cpu_ms(lambda: httpx.Client().close(), repeat):.1f}"),
        ("httpx client, one shared TLS context (ms CPU)",
         f"{_cpu_ms(lambda: httpx.Client(verify=shared).close(), repeat):.2f}"),
        ("argon2id hash + check, shipped cost (ms CPU)",
         f"{_cpu_ms(_argon2(shipped_hasher), repeat):.1f}"),
        ("argon2id hash + check, the tests' cost (ms CPU)",
         f"{_cpu_ms(_argon2(TESTS_HASHER), repeat):.2f}"),
    ]
    with postgres_server() as base:
        for poll in (0.05, 0.2):
            own, server = _idle_ms_per_second(base, poll, seconds=repeat / 4)
            rows.append((f"idle views catch-up every {poll} s, PostgreSQL (ms CPU per s)",
                         f"{own:.1f} here + {server:.1f} PostgreSQL"))
    rows.append(("a process importing the command line (ms CPU)",
                 f"{_cli_import_ms(max(1, repeat // 10)):.0f}"))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="units of work per figure")
    args = parser.parse_args(argv)
    print(f"| cost (mean of {args.repeat}) | value |\n|---|---|")
    for name, value in measure(args.repeat):
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
