"""The command line: version, and one clear line (no traceback) for a configuration error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _aidtrail(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "interfaces.cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **env})


def test_version_prints_the_package_version() -> None:
    result = _aidtrail("--version")
    assert result.returncode == 0 and result.stdout.startswith("aidtrail ")


def test_serve_with_a_malformed_database_url_says_so_in_one_line() -> None:
    result = _aidtrail("serve", AIDTRAIL_DATABASE_URL="mysql://db/aid")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "aidtrail: error: unsupported database scheme 'mysql': use sqlite or postgresql"]


def test_serve_with_an_unreachable_database_says_so_in_one_line() -> None:
    result = _aidtrail("serve", AIDTRAIL_DATABASE_URL="postgresql://nobody@127.0.0.1:1/none",
                       AIDTRAIL_JWT_SECRET="x" * 40)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidtrail: error: database 127.0.0.1:1/none")
    assert "Traceback" not in result.stderr


def test_rules_show_marks_unverified_parameters() -> None:
    result = _aidtrail("rules", "show", "--date", "2025-12-08", "--province", "BN",
                       COLUMNS="200")
    assert result.returncode == 0
    assert "decree-313-2025@1+BN@1" in result.stdout and "NOT VERIFIED" in result.stdout


def test_rules_show_does_not_call_a_parameter_verified_that_no_read_source_states() -> None:
    result = _aidtrail("rules", "show", "--date", "2026-01-15", "--province", "BN",
                       COLUMNS="200")
    assert result.returncode == 0
    [row] = [line for line in result.stdout.splitlines() if "│ appraisal_days " in line]
    assert "NOT VERIFIED" in row and "│ yes " not in row
    assert "effective_from" in result.stdout


def test_serve_with_several_workers_on_sqlite_says_it_needs_postgresql(tmp_path: Path) -> None:
    result = _aidtrail("serve", "--workers", "2",
                       AIDTRAIL_DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite'}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "aidtrail: error: --workers above 1 needs PostgreSQL (a SQLite file has one serving "
        "process)"]
