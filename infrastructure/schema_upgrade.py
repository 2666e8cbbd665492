"""The schema changes ``CREATE ... IF NOT EXISTS`` cannot make to a table that exists already:
run by a migration, ``upgrade`` before the projections create what is missing and
``after_setup`` once they have (``schema.SCHEMA_VERSION``)."""

from __future__ import annotations

import psycopg

from application.projections.case_summary import SUMMARY
from application.projections.compliance import BASIS_VERIFIED_TYPE, FLAGS
from application.projections.donor_status import DONOR_STATUS
from infrastructure.logging import get_logger
from infrastructure.views.sql import SqlTransaction, ViewStore

log = get_logger("aidtrail.schema")

# 7: indexes that each page of a sort or filter now has of its own replace these.
REPLACED_INDEXES = ("case_summary_donor_ix", "case_summary_reference_ix",
                    "case_summary_last_event_ix", f"{FLAGS}_open", f"{FLAGS}_province",
                    "reporting_obligation_due", "reporting_obligation_province")
# 7: text search on PostgreSQL, by trigram (pg_trgm): ``LIKE '%text%'`` on the folded text
# (``case_summary.fold``) and the sector codes, an index lookup instead of a scan.
TRIGRAM_INDEXES = (("case_summary_search_ix", SUMMARY, "search_text"),
                   ("case_summary_sectors_ix", SUMMARY, "(',' || sectors)"),
                   ("donor_status_search_ix", DONOR_STATUS, "search_text"))


def upgrade(views: ViewStore) -> None:
    """5: ``compliance_flag.basis_verified``. Rows written before read false (not verified)
    until ``aidtrail projections rebuild compliance_flag`` evaluates them again.
    """
    with views.transaction() as tx:
        if tx.dialect == "postgres":
            tx.execute("SELECT pg_advisory_xact_lock(hashtext('aidtrail:ddl'))")
            columns = tx.fetchall(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema()", (FLAGS,))
        else:
            columns = tx.fetchall(f"SELECT name FROM pragma_table_info('{FLAGS}')")
        names = {str(c[0]) for c in columns}
        if names and "basis_verified" not in names:
            tx.execute(f"ALTER TABLE {FLAGS} ADD COLUMN basis_verified {BASIS_VERIFIED_TYPE}")


def after_setup(views: ViewStore) -> None:
    """7: the view indexes. The projections have created one per sort and filter; the ones
    they replace are dropped, and on PostgreSQL the text search gets trigram indexes."""
    with views.transaction() as tx:
        for name in REPLACED_INDEXES:
            tx.execute(f"DROP INDEX IF EXISTS {name}")
        if tx.dialect != "postgres":
            return
        ops = _trigram_ops(tx)
        if ops is None:
            log.warning("text_search_unindexed", reason="the pg_trgm extension is not "
                        "available: a search reads every row")
            return
        for name, table, expression in TRIGRAM_INDEXES:
            tx.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                       f"USING gin (({expression}) {ops})")


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
