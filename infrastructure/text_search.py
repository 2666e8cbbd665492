"""Text search on PostgreSQL by trigram (pg_trgm): ``LIKE '%text%'`` on the folded text
(``case_summary.fold``: lower case, no diacritics) and on the sector codes is an index lookup
instead of a scan of every row. (SQLite: an FTS5 index, ``application.projections.text_index``.)"""

from __future__ import annotations

import psycopg

from application.projections.case_summary import SUMMARY
from application.projections.donor_status import DONOR_STATUS
from infrastructure.views.sql import SqlTransaction

TRIGRAM_INDEXES = (("case_summary_search_ix", SUMMARY, "search_text"),
                   ("case_summary_sectors_ix", SUMMARY, "(',' || sectors)"),
                   ("donor_status_search_ix", DONOR_STATUS, "search_text"))


def trigram_indexes(tx: SqlTransaction) -> bool:
    """The trigram indexes created where missing; False when pg_trgm cannot be had."""
    ops = _trigram_ops(tx)
    if ops is None:
        return False
    for name, table, expression in TRIGRAM_INDEXES:
        tx.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                   f"USING gin (({expression}) {ops})")
    return True


def _trigram_ops(tx: SqlTransaction) -> str | None:
    """``gin_trgm_ops`` named with the schema of pg_trgm, the extension created first where it
    is missing: in ``public`` when there is one (the extension is the database's, and a
    schema of AidTrail's may be dropped with everything in it), else in the current schema.
    None when the server has no pg_trgm or this role may not create it."""
    tx.execute("SELECT pg_advisory_xact_lock(hashtext('aidtrail:pg_trgm'))")
    found = _extension_schema(tx)
    if found is None:
        if not tx.fetchall("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"):
            return None
        public = tx.fetchall("SELECT 1 FROM pg_namespace WHERE nspname = 'public'")
        where = " SCHEMA public" if public else ""
        tx.execute("SAVEPOINT aidtrail_pg_trgm")
        try:
            tx.execute(f"CREATE EXTENSION IF NOT EXISTS pg_trgm{where}")
        except psycopg.errors.InsufficientPrivilege:
            tx.execute("ROLLBACK TO SAVEPOINT aidtrail_pg_trgm")
            return None
        found = _extension_schema(tx)
    return None if found is None else f'"{found}".gin_trgm_ops'


def _extension_schema(tx: SqlTransaction) -> str | None:
    rows = tx.fetchall("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                       "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")
    return str(rows[0][0]) if rows else None
