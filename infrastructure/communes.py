"""Loads the optional commune list: none ships with AidTrail; a deployment may configure one."""

from __future__ import annotations

import csv
from pathlib import Path

from infrastructure.rule_profiles import RuleDataError


def load_communes(path: Path | None) -> frozenset[str] | None:
    """The commune codes of a configured list (a CSV whose first column is the code, with a
    header row); None when no list is configured."""
    if path is None:
        return None
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise RuleDataError(f"commune list {path.name}: {exc.strerror}") from exc
    return frozenset(row[0].strip() for row in rows[1:] if row and row[0].strip())
