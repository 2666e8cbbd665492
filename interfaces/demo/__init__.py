"""The demo dataset (``data/*.toml``) and the script that records it through the services.

Everything is deterministic for a given ``today``: a seeded random generator picks amounts,
districts and decision numbers, and every effective date is computed back from ``today`` so
that each case ends in its intended state and trips exactly the compliance checks it is meant
to (``DemoSummary.intended_flags``). Rule guards are broken only through explicit, evidenced
deviations (SPEC §2.1), as an office would record a fact that really happened.

The steps of every donor and case are executed in business-date order across the whole
dataset, so the event log reads like years of real work (a certificate suspended last month
is recorded after the cases that were running under it).
"""

from interfaces.demo.dataset import load_dataset
from interfaces.demo.loader import (
    DemoConflictError,
    DemoPlan,
    DemoStepError,
    DemoSummary,
    load_demo,
    plan_demo,
)

__all__ = ["DemoConflictError", "DemoPlan", "DemoStepError", "DemoSummary", "load_dataset",
           "load_demo", "plan_demo"]
