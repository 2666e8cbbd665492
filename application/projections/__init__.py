"""The registry of projections the runner keeps up to date."""

from __future__ import annotations

from typing import Any

from application.ports import RuleBookPort
from application.projections.base import Projection


def all_projections(app: Any, rulebook: RuleBookPort) -> list[Projection]:
    """Every projection, in the order the runner applies a batch to them."""
    # Imported here: application.audit itself imports this package's base module.
    from application.audit import AuditLedgerProjection

    return [
        AuditLedgerProjection(),
    ]
