"""The schema changes ``CREATE ... IF NOT EXISTS`` cannot make to a table that exists already:
run by a migration, ``upgrade`` before the projections create what is missing and
``after_setup`` once they have (``schema.SCHEMA_VERSION``)."""

from __future__ import annotations

from application.projections.case_summary import SUMMARY
from application.projections.compliance import BASIS_VERIFIED_TYPE, FLAGS
from application.projections.obligations import OBLIGATIONS, STATUS_DATES
from application.projections.text_index import fill_search
from infrastructure.logging import get_logger
from infrastructure.text_search import trigram_indexes
from infrastructure.views.sql import ViewStore

log = get_logger("aidtrail.schema")

# 7: indexes that each page of a sort or filter now has of its own replace these; 10: the
# status dates' indexes, replaced by ones over the rows that have the date.
REPLACED_INDEXES = ("case_summary_donor_ix", "case_summary_reference_ix",
                    "case_summary_last_event_ix", f"{FLAGS}_open", f"{FLAGS}_province",
                    "reporting_obligation_due", "reporting_obligation_province",
                    *(f"{OBLIGATIONS}_{column}_ix" for column in STATUS_DATES))


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
    they replace are dropped, and on PostgreSQL the text search gets trigram indexes. 10: on
    SQLite the case search index is filled with the cases already there."""
    with views.transaction() as tx:
        for name in REPLACED_INDEXES:
            tx.execute(f"DROP INDEX IF EXISTS {name}")
        if tx.dialect != "postgres":
            fill_search(tx, SUMMARY)  # 10: the cases a store made before the index holds
            return
        if not trigram_indexes(tx):
            log.warning("text_search_unindexed", reason="the pg_trgm extension is not "
                        "available: a search reads every row")
