"""The tracking table: one row per projection holding the last log position it applied."""

from __future__ import annotations

from datetime import UTC, datetime

from application.projections.base import ViewTransaction

TRACKING_DDL = ("CREATE TABLE IF NOT EXISTS projection_tracking ("
                "name TEXT PRIMARY KEY, position BIGINT NOT NULL, updated_at TEXT NOT NULL)")


def read_position(tx: ViewTransaction, name: str, lock: str = "") -> int:
    """``lock`` may be `` FOR SHARE`` (PostgreSQL) to hold the row until the transaction ends."""
    rows = tx.fetchall(f"SELECT position FROM projection_tracking WHERE name = %s{lock}",
                       (name,))
    return int(rows[0][0]) if rows else 0


def read_all(tx: ViewTransaction) -> dict[str, int]:
    rows = tx.fetchall("SELECT name, position FROM projection_tracking")
    return {str(n): int(p) for n, p in rows}


def advance(tx: ViewTransaction, name: str, expected: int, position: int) -> bool:
    """Move the row from ``expected`` to ``position``; False if someone else moved it first."""
    now = datetime.now(UTC).isoformat()
    if expected == 0:
        # A missing row and a row at 0 both mean "nothing applied yet".
        tx.execute("INSERT INTO projection_tracking (name, position, updated_at) "
                   "VALUES (%s, 0, %s) ON CONFLICT (name) DO NOTHING", (name, now))
    changed = tx.execute("UPDATE projection_tracking SET position = %s, updated_at = %s "
                         "WHERE name = %s AND position = %s", (position, now, name, expected))
    return changed == 1


def forget(tx: ViewTransaction, name: str) -> None:
    tx.execute("DELETE FROM projection_tracking WHERE name = %s", (name,))
