"""The checks, in the order they run, and the evaluation of a case against them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from domain.compliance.appraisal import c06_appraisal_overdue
from domain.compliance.certificate import (
    c03_donor_certificate_invalid,
    c04_donor_certificate_expiring,
)
from domain.compliance.certificates import DonorCertificates
from domain.compliance.closure import c23_required_audit_missing
from domain.compliance.context import Context
from domain.compliance.decision import (
    c02_wrong_approving_authority,
    c07_not_implemented_after_approval,
    c17_donor_not_notified,
    c18_segregation_of_duties,
    c22_unaddressed_aid_not_routed_to_vff,
)
from domain.compliance.dossier import c05_dossier_incomplete
from domain.compliance.funds import (
    c01_money_before_approval,
    c11_money_outside_approved_period,
    c13_cash_without_aid_account,
    c14_budget_revenue_not_entered,
)
from domain.compliance.history import History
from domain.compliance.obligations import ObligationState
from domain.compliance.records import Transaction
from domain.compliance.reporting import c08_periodic_report_overdue, c09_completion_report_overdue
from domain.compliance.spans import FlagSpan, merge
from domain.compliance.spending import c10_overspending
from domain.compliance.transition import c24_transition_not_reviewed
from domain.rules import RuleProfile

if TYPE_CHECKING:
    from domain.case import AidCase
    from domain.donor import Donor

Check = Callable[[Context], None]

# A new check: a function named after its code in the file of its family, listed here.
CHECKS: tuple[Check, ...] = (
    c01_money_before_approval,
    c02_wrong_approving_authority,
    c03_donor_certificate_invalid,
    c04_donor_certificate_expiring,
    c05_dossier_incomplete,
    c06_appraisal_overdue,
    c07_not_implemented_after_approval,
    c08_periodic_report_overdue,
    c09_completion_report_overdue,
    c10_overspending,
    c11_money_outside_approved_period,
    c13_cash_without_aid_account,
    c14_budget_revenue_not_entered,
    c17_donor_not_notified,
    c18_segregation_of_duties,
    c22_unaddressed_aid_not_routed_to_vff,
    c23_required_audit_missing,
    c24_transition_not_reviewed,
)


def evaluate_case(case: AidCase, donor: Donor | None, profile: RuleProfile,
                  history: History | None = None,
                  obligations: list[ObligationState] | None = None,
                  transactions: tuple[Transaction, ...] | None = None,
                  certificates: DonorCertificates | None = None) -> list[FlagSpan]:
    """Every flag span of the case, sorted by code and start.

    ``profile`` is the case's own rule profile (its legal basis). ``history`` lets evidence
    name event versions; without it evidence is empty. What the caller has worked out
    already: ``obligations``, the case's reporting calendar under ``profile``
    (``case_obligations``); ``transactions``, the case's transactions as records
    (``Transaction.of``); ``certificates``, the donor's (``DonorCertificates(donor)``, shared
    by its cases). Spans
    of one code that start on the same day are merged (the table's key is case, code and
    start).
    """
    cx = Context(case, donor, profile, history or History(), obligations, transactions,
                 certificates)
    for check in CHECKS:
        check(cx)
    return merge(cx.spans)
