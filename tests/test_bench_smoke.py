"""The benchmark harness in smoke mode, so that `make test` (CI) keeps it working."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench.ceilings import lag_ceiling, latency_ceiling
from bench.server import postgres_cpu
from infrastructure.throwaway_postgres import conninfo
from tests.conftest import BACKENDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif("postgres" not in BACKENDS, reason="the bench measures PostgreSQL too")
def test_bench_smoke_runs_every_measurement_and_writes_the_results(
        postgres_base_url: str, tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    env = {**os.environ, "AIDTRAIL_BENCH_DATABASE_URL": postgres_base_url}
    done = subprocess.run([sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    text = out.read_text(encoding="utf-8")
    for heading in ("## Results", "## Targets"):
        assert heading in text
    for group in ("| baseline |", "| commands |", "| get |", "| views |", "| pages |",
                  "| rebuild |",
                  "| verify |", "| lag |"):
        assert group in text, group
    # Every view query, on each backend, answered and measured.
    for backend in ("PostgreSQL", "SQLite"):
        assert f"## View queries on {backend}" in text, backend
        assert f"| views | {backend}, cases: worst p95 of " in text, backend
    assert "| views |" in text and "not available" not in text.split("## Targets", 1)[0]
    # Every target is evaluated (smoke numbers are too small to judge, so only that they run).
    targets = text.split("## Targets", 1)[1]
    assert targets.count("PASS") + targets.count("FAIL") + targets.count("N/A") >= 7
    assert "HTTP command throughput" in done.stdout
    # The CPU that bounds the ratios is measured per process (PostgreSQL's when it is local).
    for row in ("server CPU per command", "load generator CPU per command",
                "bare FastAPI def endpoint: server CPU per request",
                "bare FastAPI async endpoint: server CPU per request",
                "rebuild process CPU per event"):
        assert row in text, row
    if postgres_cpu(conninfo(postgres_base_url)) is not None:
        assert "PostgreSQL CPU per command" in text
        assert "PostgreSQL CPU per event" in text


@pytest.mark.slow
@pytest.mark.skipif("postgres" not in BACKENDS, reason="the comparison runs on PostgreSQL")
def test_the_side_by_side_comparison_serves_two_versions_and_gives_their_ratio(
        postgres_base_url: str) -> None:
    env = {**os.environ, "AIDTRAIL_BENCH_DATABASE_URL": postgres_base_url}
    before = set(Path(tempfile.gettempdir()).glob("aidtrail-compare-*"))
    done = subprocess.run([sys.executable, "-m", "bench.compare", "--base", "HEAD",
                           "--rounds", "1", "--seconds", "0.5", "--cases", "4",
                           "--events", "14"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "server CPU per command, this tree / HEAD: median " in done.stdout
    assert "; all rounds together " in done.stdout
    assert "growing 8 cases to 14 events" in done.stderr
    assert "round 1: base " in done.stderr
    # Its work folder (the exported base, 5 MB, and the servers' logs) goes once it is done.
    assert set(Path(tempfile.gettempdir()).glob("aidtrail-compare-*")) == before


def test_the_test_suites_own_costs_are_measured_side_by_side() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.test_costs", "--repeat", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ") and "ms CPU" in line]
    assert len(rows) == 7, done.stdout
    assert all(any(ch.isdigit() for ch in row.rsplit("|", 2)[1]) for row in rows), done.stdout


def test_a_missed_p99_is_explained_by_the_runs_own_rate_and_spread() -> None:
    facts = {"commands": {"SQLite, 1 process": 400.0}, "p50 SQLite, 1 process": 30.0,
             "p99 SQLite, 1 process": 75.0}
    text = latency_ceiling(facts, "SQLite, 1 process")
    # 16 in flight at 400/s: 40 ms on average; a 2.5x spread needs a p50 of 20 ms (800/s).
    assert "40.0 ms at 400 commands/s" in text
    assert "2.5 x the p50" in text
    assert "needs a p50 of 20.0 ms, about 800 commands/s" in text
    assert latency_ceiling({"commands": {}}, "SQLite, 1 process") == ""


def test_a_missed_lag_is_explained_by_the_cores_the_paced_commands_and_their_views_need() -> None:
    facts = {"lag rate": 800.0, "views cpu postgres": 1.5,
             "cpu PostgreSQL, 1 process": (0.6, 0.15, 0.05)}
    text = lag_ceiling(facts, 2)
    # 800/s x 0.8 ms = 0.64 cores for the commands, 800/s x 1.5 ms = 1.2 for the views.
    assert "need 0.64 cores" in text and "worker 1.20 cores" in text
    assert "1.84 of the 2 cores" in text and "1.9 x the CPU of the command" in text
    cheap = {**facts, "views cpu postgres": 0.5}
    assert "x the CPU of the command" not in lag_ceiling(cheap, 2)
    assert lag_ceiling({"lag rate": 800.0}, 2) == ""


def test_the_views_cost_is_measured_side_by_side_against_a_revision() -> None:
    before = set(Path(tempfile.gettempdir()).glob("aidtrail-views-cost-*"))
    done = subprocess.run([sys.executable, "-m", "bench.views_cost", "--base", "HEAD",
                           "--cases", "4", "--events", "32", "--rounds", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "round 2: this tree " in done.stdout
    assert "32 disbursements over 4 cases" in done.stdout
    assert "this tree / HEAD: median " in done.stdout
    assert "bytes per mark" in done.stdout
    assert set(Path(tempfile.gettempdir()).glob("aidtrail-views-cost-*")) == before


def test_the_views_cost_of_each_projection_alone_is_measured_on_cases_grown_first() -> None:
    # Of the 12 disbursements after the first 32, the measuring process catches 4 up first
    # and measures the 8 after them (it fails when it measured another count).
    done = subprocess.run([sys.executable, "-m", "bench.views_cost", "--each", "--cases", "4",
                           "--events", "32", "--settled", "12", "--warm", "4",
                           "--rounds", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    assert ("(8 disbursements over 4 cases, after 32 caught up and 4 more in the measuring "
            "process, pages of") in done.stdout
    assert "each projection caught up alone (median of 1)" in done.stdout
    lines = done.stdout.splitlines()
    measured = {line.split()[0] for line in lines if line.endswith(" us")}
    assert {"compliance_flag", "audit_ledger", "all"} <= measured
