"""The data the measurements run on, loaded into a fresh PostgreSQL schema: the portfolio
for the view, rebuild and verify runs, cases in implementation for the commands, and a short
and a long case for ``GET /cases/{id}``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from bench import loaders
from bench.harness import FULL, Bench, log
from bench.server import BENCH_SECRET
from infrastructure.settings import Settings
from interfaces.container import Container, build_container

Case = tuple[uuid.UUID, int]  # (case id, its events)


@dataclass
class Dataset:
    head: int = 0                                          # log position when loaded
    cmd_cases: list[uuid.UUID] = field(default_factory=list)
    cmd_cases2: list[uuid.UUID] = field(default_factory=list)  # for serve --workers 2
    small: Case | None = None
    big: Case | None = None


def load(bench: Bench, pg: str) -> Dataset:
    """What the chosen measurements need, saved at ``pg`` (migrated first)."""
    settings = Settings(database_url=pg, jwt_secret=BENCH_SECRET, inprocess_projections=False)
    container = build_container(settings, migrate=True)  # a fresh schema
    data = Dataset()
    sizes = bench.sizes
    try:
        if bench.wants("views", "pages", "rebuild", "verify", "baselines"):
            _portfolio(bench, container)
        if bench.wants("commands", "lag"):
            data.cmd_cases = loaders.implementation_cases(container.services, sizes.cmd_cases)
        if bench.wants("commands") and sizes is FULL:  # fresh cases for the 2-worker variant
            data.cmd_cases2 = loaders.implementation_cases(container.services, sizes.cmd_cases,
                                                           prefix="W2")
        if bench.wants("get", "pages"):
            data.small, data.big = _get_cases(bench, container)
        if not bench.wants("rebuild"):  # else the rebuild (full size last) brings them up
            log("catching up the projections")
            container.runner.catch_up()
        data.head = container.runner.head()
    finally:
        container.close()
    return data


def _portfolio(bench: Bench, container: Container) -> None:
    cases = bench.sizes.cases
    log(f"loading {cases:,} cases")
    loaded = loaders.load_portfolio(
        container.services, cases,
        progress=lambda d, t: log(f"  {d:,}/{t:,} cases") if d % 20_000 == 0 else None)
    bench.setup.append(
        f"portfolio: {cases:,} cases over 100 donors (7/10 drafts, 2/10 "
        f"submitted, 1/10 in implementation; 5 provinces), {loaded['events']:,.0f} "
        f"events, built with the domain and saved ≤ 400 events per save() (psycopg "
        f"pipeline limit, see analysis) in "
        f"{loaded['seconds']:.0f} s ({loaded['events'] / loaded['seconds']:,.0f} "
        f"events/s)")


def _get_cases(bench: Bench, container: Container) -> tuple[Case, Case]:
    services = container.services
    small_case = loaders.implementation_cases(services, 1, prefix="G10")[0]
    small = (small_case, services.get_case(small_case).version)
    big_case = loaders.implementation_cases(services, 1, prefix="G1K")[0]
    return small, (big_case, loaders.grow_case(services, big_case, bench.sizes.big_case))
