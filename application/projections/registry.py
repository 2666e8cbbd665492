"""The registry of projections the runner keeps up to date."""

from __future__ import annotations

from typing import Any

from application.audit import AuditLedgerProjection
from application.notifications.events import Clock
from application.ports import RuleBookPort
from application.projections.base import Projection
from application.projections.case_summary import CaseFeed, CaseSummaryProjection
from application.projections.compliance import ComplianceProjection
from application.projections.donor_status import DonorStatusProjection
from application.projections.obligations import ReportingObligationProjection
from application.projections.portfolio import PortfolioProjection


def all_projections(app: Any, rulebook: RuleBookPort,
                    clock: Clock | None = None) -> list[Projection]:
    """Every projection, in the order the runner applies a batch to them; with a ``clock``
    the compliance projection also enqueues its alerts (``notifications.events``)."""
    feed = CaseFeed(app)  # one replay of each batch for the case views
    return [
        AuditLedgerProjection(),
        CaseSummaryProjection(feed, rulebook),
        PortfolioProjection(feed),
        DonorStatusProjection(feed),
        ComplianceProjection(app, rulebook, feed, clock=clock),
        ReportingObligationProjection(app, rulebook, feed),
    ]
