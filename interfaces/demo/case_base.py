"""One case's calendar and the helpers its steps are built with."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain import policy
from domain.case import AidCase
from domain.money import Money, quantize_for
from domain.values import Actor, Deviation, Document
from interfaces.demo.dataset import CaseSpec, Dataset
from interfaces.demo.schedule import Schedule


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return policy.add_months(_first_of_month(day), 1) - timedelta(days=1)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class CaseBase:
    """One case's steps, computed back from the date of its defining event."""

    # Set while the steps are built (the aid owner, the approval, the reviews).
    owner: Actor
    approver: Actor
    level: str
    signer: str
    review_dates: list[date]

    def __init__(self, demo: Schedule, data: Dataset, spec: CaseSpec, index: int) -> None:
        self.demo, self.data, self.spec, self.index = demo, data, spec, index
        rng = demo.rng
        self.twists = set(spec.twists.split())
        self.province = data.provinces[spec.province]
        self.donor = data.donor(spec.donor)
        self.is_ngo = self.donor.kind == "foreign_ngo"
        theme = data.themes[spec.theme]
        self.district = rng.choice(self.province.districts)
        self.title = rng.choice(theme.titles).format(d=self.district, n=rng.randint(3, 9),
                                                     p=self.province.name)
        self.sectors = [{"code": c, "percentage": Decimal(p)}
                        for c, p in rng.choice(theme.sectors)]
        self.aid_owner = theme.owner.format(p=self.province.name, d=self.district)
        usd = Decimal(rng.randint(*theme.usd))
        self.currency = spec.currency
        currency = data.currencies[spec.currency]
        unit = currency.round_to
        amount = (usd * currency.per_usd / unit).quantize(Decimal(1)) * unit
        if spec.twists == "vice_chair":  # within the BN delegation (10 billion VND)
            amount = Decimal(30_000_000)
        self.requested = max(amount, Decimal(unit))
        self.approved = self.requested if rng.random() < 0.7 else \
            (self.requested * Decimal("0.95") / unit).quantize(Decimal(1)) * unit
        self.rate = currency.vnd_rate
        self.account = f"Vietcombank {rng.randint(10**12, 10**13 - 1)}"
        self.decision_no = rng.randint(120, 3900)
        self.commit = rng.random() < 0.7
        self.extra_consultee = rng.random() < 0.35
        self.resubmitted = rng.random() < 0.2
        self.reference = ""
        self.dates()

    # --- the calendar ---------------------------------------------------------------------

    def dates(self) -> None:
        demo, spec, rng = self.demo, self.spec, self.demo.rng
        state, e = spec.state, demo.ago(spec.anchor)
        if state in ("draft", "returned", "submitted", "under_appraisal"):
            self.approve_on = None
            self.accept_on = e if state == "under_appraisal" else None
            self.submit_on = {"returned": e - timedelta(days=6), "submitted": e,
                              "under_appraisal": e - timedelta(days=4)}.get(state)
            self.open_on = e - timedelta(days={"draft": 6, "returned": 25, "submitted": 12,
                                               "under_appraisal": 16}[state])
            base = e
            self.resubmitted = False
        else:
            approval = e + timedelta(days=7) if state == "appraised" else e
            self.approve_on = approval if state not in ("appraised", "rejected") else None
            self.accept_on = approval - timedelta(days=21)
            self.submit_on = approval - timedelta(days=25)
            self.open_on = approval - timedelta(days=38 + rng.randint(0, 20))
            if self.resubmitted:
                self.open_on -= timedelta(days=25)
            base = approval
        if self.twists & {"c01_appraised", "c01_early", "c01_in_kind"}:
            self.planned_start = _first_of_month(self.open_on)
        elif "receipt_before_start" in self.twists:
            self.planned_start = policy.add_months(_first_of_month(base), 2)
        else:
            self.planned_start = policy.add_months(_first_of_month(base),
                                                   1 if self.approve_on else 2)
        self.actual_end: date | None = None
        if state in ("completed", "closed") and spec.end is not None:
            self.actual_end = demo.ago(spec.end)
            self.planned_end = _month_end(self.actual_end)
        else:
            self.planned_end = policy.add_months(self.planned_start,
                                                 spec.duration) - timedelta(days=1)
        if state == "terminated" and spec.end is not None:
            self.actual_end = demo.ago(spec.end)

    # --- building -------------------------------------------------------------------------

    @property
    def case_id(self) -> UUID:
        return AidCase.create_id(self.reference)

    def add(self, on: date, command: str, actor: Actor, /, **kwargs: Any) -> None:
        self.demo.add(on, "case", self.case_id, command, actor, **kwargs)

    def money(self, amount: Decimal) -> Money:
        return Money(quantize_for(self.currency, amount), self.currency)

    def doc(self, kind: str, title: str, on: date | None = None,
            language: str | None = None) -> Document:
        suffix = f"-{on:%Y%m%d}" if on else ""
        lang = language or ("en" if kind == "donor_consent" else "vi")
        uri = f"https://docs.aidtrail.example/{self.reference}/{kind}{suffix}-{lang}.pdf" \
            if language else f"https://docs.aidtrail.example/{self.reference}/{kind}{suffix}.pdf"
        return Document(kind=kind, title=title, uri=uri, sha256=_sha(uri), language=lang)

    def deviation(self, reason: str, on: date) -> Deviation:
        return Deviation(reason, f"Minutes {self.reference}/BB-{on:%Y%m%d}")

