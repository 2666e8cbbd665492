"""One case's money: the tranches received, disbursed and spent, and what comes late."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain import policy
from domain.money import Money
from interfaces.demo.case_closing import CaseClosing


class CaseFunds(CaseClosing):
    def implementation(self) -> None:
        """Receipts, disbursements and spending in tranches, then the twists and the end."""
        assert self.approve_on is not None and self.accept_on is not None
        in_kind = self.spec.form == "non_project_goods"
        account = None if in_kind else self.account
        stop = self.last_ordinary_day()
        if "c01_early" in self.twists:
            on = self.accept_on + timedelta(days=5)
            self.add(on, "record_receipt", self.owner, amount=self.money(self.approved / 5),
                     vnd_rate=self.rate, aid_account=account,
                     deviation=self.deviation("The donor's first instalment arrived while the "
                                              "dossier was under appraisal", on))
        tranches, shift = self.tranches(), self.suspended_once()
        received, used, first_receipt = self.money_flows(tranches, shift, stop, account,
                                                         in_kind)
        received = self.late_money(received, used, account)
        self.finish(received, used, account, in_kind)
        self.amendments(first_receipt)
        self.end_of_case()
        self.reports(first_receipt)
        if self.spec.state == "closed":
            self.closure()

    def last_ordinary_day(self) -> date:
        """The last day an ordinary movement of money may be dated."""
        spec, demo, ae = self.spec, self.demo, self.actual_end
        stop = demo.today - timedelta(days=2)
        if spec.state == "suspended" and spec.end is not None:
            stop = demo.ago(spec.end) - timedelta(days=3)
        if ae is not None:
            stop = min(stop, ae - timedelta(days=3 if spec.state == "terminated" else 5))
        if spec.donor in demo.cutoff:
            stop = min(stop, demo.cutoff[spec.donor] - timedelta(days=1))
        stop = min(stop, self.planned_end)
        # Nothing ordinary after the deliberate over-spending (it would be refused).
        if "overspend_received" in self.twists:
            stop = min(stop, demo.ago(10))
        if "overspend_approved" in self.twists:
            stop = min(stop, demo.ago(32))
        return stop

    def tranches(self) -> list[tuple[date, Money]]:
        """The donor's instalments: dates spread over the case's period, equal shares."""
        assert self.approve_on is not None
        finished, ae = self.spec.state in ("completed", "closed"), self.actual_end
        first = max(self.planned_start + timedelta(days=6),
                    self.approve_on + timedelta(days=10))
        if "receipt_before_start" in self.twists:
            first = self.approve_on + timedelta(days=10)
        last = ae - timedelta(days=30) if finished and ae else \
            self.planned_end - timedelta(days=60)
        months = max(0, (last.year - first.year) * 12 + last.month - first.month)
        n = max(1, min(3, months // 4 + 1)) if finished else max(1, min(4, months // 6 + 1))
        step = max(1, months // max(1, n - 1)) if n > 1 else 0
        tranche_dates = [min(policy.add_months(first, k * step), max(first, last))
                         for k in range(n)]
        shares = [self.money(self.approved / n) for _ in range(n - 1)]
        shares.append(self.money(self.approved - sum((m.amount for m in shares), Decimal(0))))
        return list(zip(tranche_dates, shares, strict=True))

    def suspended_once(self) -> Callable[[date], date]:
        """Record the one suspension of a ``suspended_once`` case; the day a movement dated
        ``on`` is recorded instead (two days after the resumption, inside the window)."""
        window: tuple[date, date] | None = None
        if "suspended_once" in self.twists:
            s_on = self.planned_start + timedelta(days=150)
            window = (s_on, s_on + timedelta(days=30))
            self.add(window[0], "suspend", self.province.chair,
                     reason="Flooding cut access to the project communes",
                     decision=f"{self.decision_no + 50}/QD-UBND")
            self.add(window[1], "resume", self.province.chair,
                     decision=f"{self.decision_no + 80}/QD-UBND")

        def shift(on: date) -> date:
            if window and window[0] <= on <= window[1]:
                return window[1] + timedelta(days=2)
            return on

        return shift

    def money_flows(self, tranches: list[tuple[date, Money]], shift: Callable[[date], date],
                    stop: date, account: str | None,
                    in_kind: bool) -> tuple[Decimal, Decimal, date]:
        """Each instalment received, then partly disbursed and spent, up to ``stop``."""
        owner = self.owner
        received = used = Decimal(0)
        first_receipt: date | None = None
        kind_args: dict[str, Any] = {"in_kind": True} if in_kind else {}
        for k, (on, share) in enumerate(tranches):
            on = shift(on)
            if on > stop:
                break
            kwargs: dict[str, Any] = {}
            if k == 0 and "receipt_before_start" in self.twists:
                kwargs["deviation"] = self.deviation(
                    "The donor released the first instalment before the planned start to "
                    "catch the school year", on)
            if k == 0 and "receipt_no_account" in self.twists:
                account_used = None
                kwargs["deviation"] = self.deviation(
                    "The donor transferred to the provincial treasury general account by "
                    "mistake; moved to the aid account later", on)
            else:
                account_used = account
            if "cert_gap" in self.twists:
                kwargs["deviation"] = self.deviation("Received pending the certificate "
                                                     "amendment", on)
            self.add(on, "record_receipt", owner, amount=share, vnd_rate=self.rate,
                     aid_account=account_used, counterparty=self.donor.name, **kind_args,
                     **kwargs)
            first_receipt = first_receipt or on
            received += share.amount
            disb_on = shift(max(on + timedelta(days=10), self.planned_start))
            spend_on = shift(max(on + timedelta(days=35), self.planned_start))
            disb = self.money(share.amount * Decimal("0.4"))
            if disb_on <= stop:
                kwargs = {}
                acct = account
                if k == 0 and "disbursement_no_account" in self.twists:
                    acct = None
                    kwargs["deviation"] = self.deviation(
                        "Cash advanced to commune health stations by the project accountant "
                        "outside the aid account", disb_on)
                self.add(disb_on, "record_disbursement", owner, amount=disb,
                         vnd_rate=self.rate, aid_account=acct, **kind_args,
                         counterparty=f"Các xã thuộc {self.district}", **kwargs)
                used += disb.amount
            spend = self.money(share.amount * Decimal("0.45"))
            if spend_on <= stop:
                self.add(spend_on, "record_expenditure", owner, amount=spend,
                         vnd_rate=self.rate, aid_account=account, **kind_args,
                         counterparty="Contractors and suppliers")
                used += spend.amount
        assert first_receipt is not None, f"{self.reference}: no receipt before {stop}"
        return received, used, first_receipt

    def late_money(self, received: Decimal, used: Decimal, account: str | None) -> Decimal:
        """The deliberate late or excess movements of the twists; what was received."""
        demo, owner = self.demo, self.owner
        if "receipt_after_suspension" in self.twists:
            on = demo.ago(10)
            share = self.money(self.approved / 5)
            self.add(on, "record_receipt", owner, amount=share, vnd_rate=self.rate,
                     aid_account=account, counterparty=self.donor.name,
                     deviation=self.deviation("Instalment already in transit when the "
                                              "donor's certificate was suspended", on))
            received += share.amount
        if "overspend_received" in self.twists:
            on = demo.ago(8)
            spend = self.money(received - used + received * Decimal("0.1"))
            self.add(on, "record_expenditure", owner, amount=spend, vnd_rate=self.rate,
                     aid_account=account, counterparty="Pipe and pump contractor",
                     deviation=self.deviation("Contractor paid the full milestone before the "
                                              "second instalment arrived", on))
        if "overspend_approved" in self.twists:
            target = self.approved * Decimal("1.03")
            top_up = self.money(target - received + self.approved * Decimal("0.01"))
            self.add(demo.ago(30), "record_receipt", owner, amount=top_up, vnd_rate=self.rate,
                     aid_account=account, counterparty=self.donor.name,
                     note="Top-up from the donor's emergency reserve")
            self.add(demo.ago(12), "record_expenditure", owner,
                     amount=self.money(target - used), vnd_rate=self.rate,
                     aid_account=account, counterparty="Food suppliers",
                     deviation=self.deviation("Extra food rations bought during the drought "
                                              "before an amendment was requested",
                                              demo.ago(12)))
        if "spent_after_end" in self.twists:
            on = demo.ago(20)
            self.add(on, "record_expenditure", owner,
                     amount=self.money((received - used) / 2), vnd_rate=self.rate,
                     aid_account=account, counterparty="Construction contractor",
                     deviation=self.deviation("Retention paid to the contractor after the "
                                              "planned end, amendment not yet requested", on))
        return received

    def finish(self, received: Decimal, used: Decimal, account: str | None,
               in_kind: bool) -> None:
        """The final payments, the end of activities and a refund of a finished case."""
        finished, ae, owner = self.spec.state in ("completed", "closed"), self.actual_end, \
            self.owner
        kind_args: dict[str, Any] = {"in_kind": True} if in_kind else {}
        if finished and ae is not None:
            refund = self.money(received * Decimal("0.015")) if "refund" in self.twists \
                else None
            rest = received - used - (refund.amount if refund else Decimal(0))
            self.add(ae - timedelta(days=5), "record_expenditure", owner,
                     amount=self.money(rest), vnd_rate=self.rate, aid_account=account,
                     **kind_args, counterparty="Final payments to suppliers")
            self.add(ae + timedelta(days=3), "complete_activities", owner, actual_end=ae)
            if refund is not None:
                self.add(ae + timedelta(days=45), "record_refund", owner, amount=refund,
                         vnd_rate=self.rate, aid_account=self.account,
                         counterparty=self.donor.name, note="Unspent balance returned")
