"""Schema version 8 gives every sort and filter of the views an index of its own (and text
search a trigram index on PostgreSQL): a version 6 store gets them at the migration, loses
the indexes they replace, and keeps its rows and answers."""

from __future__ import annotations

from datetime import date

from application.projections.queries import query_cases
from application.projections.queries_compliance import query_obligations
from infrastructure.schema import SCHEMA_VERSION, current_version
from infrastructure.schema_upgrade import REPLACED_INDEXES
from infrastructure.settings import Settings
from infrastructure.text_search import TRIGRAM_INDEXES
from infrastructure.views.sql import SqlTransaction
from interfaces.container import Container, build_container
from tests.application.support import approved_case, walk_to_implementation

# The indexes of schema version 6 that version 8 replaces, as version 6 made them.
_VERSION_6 = {"case_summary_donor_ix": "case_summary (donor_id)",
              "case_summary_reference_ix": "case_summary (reference, id)",
              "case_summary_last_event_ix": "case_summary (last_event_at, id)",
              "compliance_flag_open": "compliance_flag (active_from, active_until)",
              "compliance_flag_province": "compliance_flag (province, active_from)",
              "reporting_obligation_due": "reporting_obligation (due_on)",
              "reporting_obligation_province": "reporting_obligation (province, due_on)"}
_ADDED = ("case_summary_by_disbursed_vnd_ix", "case_summary_by_next_report_due_ix",
          "case_summary_aid_form_ix", "case_summary_donor_id_ix", "compliance_flag_by_code_ix",
          "compliance_flag_active_until_ix", "reporting_obligation_by_kind_ix",
          "reporting_obligation_accepted_on_set_ix")


def _indexes(tx: SqlTransaction) -> set[str]:
    sql = ("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
           if tx.dialect == "postgres" else "SELECT name FROM sqlite_master WHERE type = 'index'")
    return {str(r[0]) for r in tx.fetchall(sql)}


def _as_version_6(container: Container) -> None:
    with container.views.transaction() as tx:
        for name in _indexes(tx):
            if name.startswith(("case_summary_", "compliance_flag_", "reporting_obligation_",
                                "donor_status_search")) and not name.endswith("pkey"):
                tx.execute(f"DROP INDEX {name}")
        for name, on in _VERSION_6.items():
            tx.execute(f"CREATE INDEX {name} ON {on}")
        tx.execute("DELETE FROM aidtrail_schema WHERE version = %s", (SCHEMA_VERSION,))


def _found(container: Container, text: str) -> list[str]:
    with container.views.transaction(write=False) as tx:
        page = query_cases(tx, provinces=None, filters={"q": text}, as_of=date(2026, 3, 1),
                           cursor=None, limit=50, sort="-disbursed_vnd")
    return [item["reference"] for item in page.items]


def test_a_version_6_store_gets_an_index_per_sort_and_filter_and_keeps_its_answers(
    settings: Settings,
) -> None:
    before = build_container(settings)
    case_id = walk_to_implementation(before.services)
    donor_id = before.services.get_case(case_id).donor_id
    approved_case(before.services, donor_id, "BN-2025-0002", "500", [("12220", "100")],
                  title="Nước sạch cho trường học")
    before.runner.catch_up()
    _as_version_6(before)
    before.close()

    after = build_container(settings, migrate=True)
    try:
        assert current_version(after.views) == SCHEMA_VERSION
        with after.views.transaction(write=False) as tx:
            present = _indexes(tx)
            owed = query_obligations(tx, provinces=None, filters={"status": ["upcoming"]},
                                     as_of=date(2025, 3, 1), cursor=None, limit=50, sort="")
        assert present.isdisjoint(REPLACED_INDEXES)
        assert set(_ADDED) <= present
        trigram = {name for name, _, _ in TRIGRAM_INDEXES}
        assert (trigram <= present) if after.views.dialect == "postgres" else \
            present.isdisjoint(trigram)
        # The rows are kept, and found as before: diacritics optional, any case.
        assert _found(after, "NUOC SACH") == ["BN-2025-0002"]
        assert _found(after, "nước sạch") == ["BN-2025-0002"]
        assert owed[0] and {(o["case_id"], o["status"]) for o in owed[0]} == {
            (str(case_id), "upcoming")}
    finally:
        after.close()
