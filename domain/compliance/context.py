"""What every check reads (the case as typed records, its donor, its rules, the history of
its events) and where it writes (``add`` a span)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from domain import case_guards as g
from domain.compliance.certificates import DonorCertificates
from domain.compliance.history import History
from domain.compliance.obligations import ObligationState, case_obligations
from domain.compliance.records import CaseFacts, DeviationEntry, Transaction
from domain.compliance.spans import SEVERITY, FlagSpan
from domain.rules import RuleProfile

if TYPE_CHECKING:
    from domain.case import AidCase
    from domain.donor import Donor

MOVEMENTS = ("received", "disbursed", "spent")


class Context:
    def __init__(self, case: AidCase, donor: Donor | None, profile: RuleProfile,
                 history: History, obligations: list[ObligationState] | None = None,
                 transactions: tuple[Transaction, ...] | None = None,
                 certificates: DonorCertificates | None = None) -> None:
        self.case, self.donor, self.profile, self.h = case, donor, profile, history
        self.facts = CaseFacts.of(case, transactions)
        # The donor's certificates, shared with the donor's other cases when the caller has
        # them (DonorCertificates(donor), for this donor at this version).
        self.certificates = certificates if certificates is not None else (
            None if donor is None else DonorCertificates(donor))
        self.spans: list[FlagSpan] = []
        self._of_kinds: dict[tuple[str, ...], list[tuple[Transaction, list[int]]]] = {}
        if obligations is not None:  # the caller's ``case_obligations(case, profile)``
            self.__dict__["obligations"] = obligations

    def add(self, code: str, message: str, rule_ref: str, start: date,
            until: date | None = None, evidence: Iterable[int] = (),
            donor_evidence: Iterable[int] = (), *, verified: bool) -> None:
        """A span; ``verified``: whether every rule and parameter it rests on is verified."""
        if until is not None and until <= start:
            return
        self.spans.append(FlagSpan(code, SEVERITY[code], message, rule_ref, start, until,
                                   tuple(sorted(set(evidence))),
                                   tuple(sorted(set(donor_evidence))), verified))

    def deviations(self, rule: str) -> Iterable[tuple[DeviationEntry, date, list[int]]]:
        """(entry, business date, evidence) of each deviation recorded against ``rule``."""
        approval = self.facts.approval
        for i, entry in enumerate(self.facts.deviations):
            if entry.rule != rule:
                continue
            on = entry.effective_date
            if entry.event == "Approved" and approval is not None:
                on = approval.decision_date
            yield entry, on, self.h.deviation(i)

    def from_deviations(self, rule: str, what: str) -> None:
        code = g.RULE_FLAGS[rule]
        for entry, on, versions in self.deviations(rule):
            self.add(code, f"{what} ({entry.event} on {on.isoformat()}); {entry.text()}",
                     g.rule_ref(rule, self.profile), on, evidence=versions,
                     verified=g.rule_verified(rule, self.profile))

    def transactions(self, kinds: tuple[str, ...]) -> list[tuple[Transaction, list[int]]]:
        """Each transaction of ``kinds`` with the versions behind it, in the case's order
        (the list and the lists in it are shared by every check: read them, never change
        them)."""
        found = self._of_kinds.get(kinds)
        if found is None:
            present = self._kinds
            if present.issubset(kinds):  # often: every transaction is of those kinds
                found = self._money
            elif present.isdisjoint(kinds):
                found = []
            else:
                found = [p for p in self._money if p[0].kind in kinds]
            self._of_kinds[kinds] = found
        return found

    @cached_property
    def _kinds(self) -> set[str]:
        return {t.kind for t in self.facts.transactions}

    @cached_property
    def _money(self) -> list[tuple[Transaction, list[int]]]:
        txs = self.facts.transactions
        return list(zip(txs, self.h.transactions(len(txs)), strict=True))

    @cached_property
    def obligations(self) -> list[ObligationState]:
        """The case's reporting calendar, computed once for the checks that read it."""
        return case_obligations(self.case, self.profile)

    def cite(self, name: str) -> str:
        """The citation of a rule parameter, naming the parameter while it is not verified."""
        param = self.profile.params.get(name)
        if param is None:
            return self.profile.instrument
        text = param.citation
        return text if param.verified else f"{text} (parameter {name} of {self.profile.ref})"
