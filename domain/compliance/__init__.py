"""Compliance checks C01-C24 (SPEC §3) as pure functions: a case in, business-date spans out.

A ``FlagSpan`` is the interval of business dates in which a condition holds: open on D when
``active_from <= D`` and (``active_until`` is None or ``D < active_until``). One table of spans
therefore answers "what was open on any date"; a resolved span keeps both of its dates.
Flags that record a fact (money before approval, a wrong signer...) never close.

One file per family of checks, one function per check named after its code; ``CHECKS`` in
``registry`` lists them in the order they run.
"""

from domain.compliance.context import MOVEMENTS
from domain.compliance.history import MONEY_EVENTS, History
from domain.compliance.marks import Mark, mark, marks_of
from domain.compliance.obligations import ObligationState, case_obligations, reporting_horizon
from domain.compliance.registry import CHECKS, evaluate_case
from domain.compliance.spans import CRITICAL, SEVERITY, WARNING, FlagSpan
from domain.compliance.timeline import (
    DAY,
    FINAL_STATES,
    SETTLED_STATES,
    active_interval,
    certificate_horizon,
)

__all__ = [
    "CHECKS", "CRITICAL", "DAY", "FINAL_STATES", "MONEY_EVENTS", "MOVEMENTS", "SETTLED_STATES",
    "SEVERITY", "WARNING", "FlagSpan", "History", "Mark", "ObligationState", "active_interval",
    "case_obligations", "certificate_horizon", "evaluate_case", "mark", "marks_of",
    "reporting_horizon",
]
