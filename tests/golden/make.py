"""Regenerate the golden store from the code as it is now: ``python -m tests.golden.make``
(``--views``: only the views, rebuilt from the recorded store; ``--openapi``: only the
OpenAPI document; ``--demo``: only the demo's recorded events of ``test_demo_golden.py``).

Run it only when behaviour is meant to change (and say why in the commit): the golden test
exists to show that moving code changed nothing. The demo is loaded as of a fixed date, its
generator is seeded, and the walks use fixed dates, so what is recorded depends on the code
alone (event timestamps and ids differ between runs, and are part of the stored events).
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from application.audit import export_events, import_events, verify_chain
from domain.case import AidCase
from domain.donor import Donor
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from interfaces.demo import load_demo
from interfaces.http.app import create_app
from tests.application.test_demo_golden import GOLDEN, TODAY, normalised
from tests.golden import record
from tests.unit.conftest import OWNER, REGISTRY, Walker, open_case, profile_on, usd
from tests.unit.test_case_replay import full_history

DEMO_TODAY = date(2026, 3, 1)
SECRET = "golden-store-secret-for-hs256-signing-32-bytes"
WALKS = {"BN-2026-9002": "closed", "BN-2026-9003": "revoked", "BN-2026-9004": "rejected",
         "BN-2026-9005": "terminated", "BN-2026-9006": "returned", "HN-2026-9007": "suspended"}


def _container(path: Path) -> Container:
    return build_container(Settings(database_url=f"sqlite:///{path}", jwt_secret=SECRET,
                                    inprocess_projections=False), migrate=True)


def _long_implementation(walk: Walker) -> AidCase:
    """Past a snapshot interval: sixty receipts and disbursements."""
    case = open_case(walk.donor, reference="BN-2026-9008")
    for step in Walker.PATHS["in_implementation"]:
        getattr(walk, "_" + step)(case)
    for month in range(1, 31):
        on = date(2026, 4, 1) + timedelta(days=14 * month)
        case.record_receipt(amount=usd("1000.00"), vnd_rate=Decimal("25100"),
                            aid_account="VCB-0011", donor=walk.donor, profile=walk.profile,
                            actor=OWNER, effective_date=on)
        case.record_disbursement(amount=usd("750.50"), vnd_rate=Decimal("25100"),
                                 aid_account="VCB-0011", counterparty=f"commune {month}",
                                 profile=walk.profile, actor=OWNER, effective_date=on)
    return case


def _donor() -> Donor:
    donor = Donor.register(code="GOLDEN-GB", name="Golden Walks Trust", country="GB",
                           kind="foreign_ngo", iati_ref="GB-CHC-000001", actor=REGISTRY,
                           effective_date=date(2025, 5, 1))
    donor.issue_certificate(number="900/GDK", kind="operation", issued_on=date(2025, 6, 1),
                            expires_on=date(2028, 5, 31), provinces=["BN", "HN"],
                            fields=["12", "140"], profile=profile_on(date(2025, 6, 2)),
                            actor=REGISTRY, effective_date=date(2025, 6, 2))
    return donor


def add_walks(container: Container) -> None:
    """The walks' events, saved as the aggregates recorded them; then the donor's
    certificate is suspended and revoked."""
    events: Any = container.app.events
    donor = _donor()
    events.put(donor.collect_events())
    walk = Walker(donor, profile_on(date(2026, 2, 1)))
    # Every phase to closure, with a deviation, an amendment, a suspension and a refund.
    events.put(full_history(walk)[1])
    events.put(_long_implementation(walk).collect_events())
    for reference, state in WALKS.items():
        case = open_case(donor, reference=reference, province=reference[:2])
        for step in Walker.PATHS[state]:
            getattr(walk, "_" + step)(case)
        events.put(case.collect_events())
    donor.suspend_certificate(number="900/GDK", reason="inspection", actor=REGISTRY,
                              effective_date=date(2027, 3, 1), until=date(2027, 6, 1))
    donor.revoke_certificate(number="900/GDK", reason="false declarations", actor=REGISTRY,
                             effective_date=date(2027, 4, 1))
    events.put(donor.collect_events())


def record_imported(lines: list[str], target: Container) -> dict[str, Any]:
    imported = import_events(target.runner, lines)
    assert imported.ok, imported.detail
    target.runner.rebuild_many(list(target.runner.projections))
    verified = verify_chain(target.runner)
    states = {aggregate_id: {"kind": kind, "states": record.state_digests(target, aggregate_id)}
              for aggregate_id, kind in record.aggregates(lines).items()}
    return {"count": verified.count, "head_hash": verified.head_hash, "aggregates": states}


def record_openapi() -> None:
    """Only the OpenAPI document: for a change of the HTTP contract that leaves the store alone."""
    with tempfile.TemporaryDirectory() as tmp:
        source = _container(Path(tmp) / "source.sqlite")
        try:
            openapi = create_app(container=source).openapi()
        finally:
            source.close()
    record.OPENAPI.write_text(json.dumps(openapi, indent=1, sort_keys=True) + "\n")


def record_views() -> None:
    """Only the views, rebuilt from the recorded store: for a change of what the views hold
    that leaves the events alone."""
    with tempfile.TemporaryDirectory() as tmp:
        target = _container(Path(tmp) / "imported.sqlite")
        try:
            imported = import_events(target.runner, record.store_lines())
            assert imported.ok, imported.detail
            target.runner.rebuild_many(list(target.runner.projections))
            views = record.view_dump(target)
        finally:
            target.close()
    _write_views(views)


def _write_views(views: dict[str, Any]) -> None:
    with gzip.GzipFile(record.VIEWS, "wb", mtime=0) as f:
        f.write(json.dumps(views, indent=0, sort_keys=True).encode() + b"\n")


def record_demo() -> None:
    """The demo's events as ``tests/application/test_demo_golden.py`` compares them."""
    with tempfile.TemporaryDirectory() as tmp:
        source = _container(Path(tmp) / "demo.sqlite")
        try:
            load_demo(source.services, TODAY)
            rows = [normalised(r) for r in export_events(source.runner)]
        finally:
            source.close()
    with gzip.GzipFile(GOLDEN, "wb", mtime=0) as f:
        f.write("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                        for r in rows).encode())
    print(f"{len(rows)} demo events", file=sys.stderr)


def main() -> None:
    if sys.argv[1:] == ["--demo"]:
        record_demo()
        return
    if sys.argv[1:] == ["--openapi"]:
        record_openapi()
        return
    if sys.argv[1:] == ["--views"]:
        record_views()
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = _container(Path(tmp) / "source.sqlite")
        try:
            load_demo(source.services, DEMO_TODAY)
            add_walks(source)
            source.runner.catch_up()
            lines = [json.dumps(r, separators=(",", ":")) for r in export_events(source.runner)]
            openapi = create_app(container=source).openapi()
        finally:
            source.close()
        target = _container(Path(tmp) / "imported.sqlite")
        try:
            recorded = record_imported(lines, target)
            views = record.view_dump(target)
        finally:
            target.close()
    with gzip.GzipFile(record.STORE, "wb", mtime=0) as f:
        f.write("".join(line + "\n" for line in lines).encode())
    record.RECORDED.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    _write_views(views)
    record.OPENAPI.write_text(json.dumps(openapi, indent=1, sort_keys=True) + "\n")
    print(f"{recorded['count']} events, {len(recorded['aggregates'])} aggregates, head hash "
          f"{recorded['head_hash']}", file=sys.stderr)


if __name__ == "__main__":
    main()
