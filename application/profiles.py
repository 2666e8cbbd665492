"""The rules a case is judged by: the one lookup behind commands and views."""

from __future__ import annotations

from datetime import date

from application.ports import RuleBookPort
from domain.case import AidCase
from domain.rules import RuleProfile


def case_profile(rulebook: RuleBookPort, case: AidCase, on: date | None = None) -> RuleProfile:
    """The case's own rules: the profile its legal basis names, with the province's overrides.

    The basis is fixed when the dossier is first submitted (SPEC §1). Before that a command
    passes its effective date ``on`` and gets the rules in force then, which the submission
    will record. A view has no date: it passes none and reads the basis recorded at opening
    (SPEC §1 lets an import set it), else the rules in force on the day the case was opened.
    Both are right for their reader: a command must judge by the rules it will record; a
    rebuilt view must not depend on the day it ran.
    """
    if case.submissions or on is None:
        base = rulebook.by_ref(case.legal_basis)
        if base is not None:
            return rulebook.in_force(base.effective_from, case.province)
    return rulebook.in_force(on or case.opened_on, case.province)
