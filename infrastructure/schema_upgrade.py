"""The schema changes ``CREATE ... IF NOT EXISTS`` cannot make to a table that exists already:
run by a migration before the projections create what is missing (``schema.SCHEMA_VERSION``)."""

from __future__ import annotations

from application.projections.compliance import BASIS_VERIFIED_TYPE, FLAGS
from infrastructure.views.sql import ViewStore


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
