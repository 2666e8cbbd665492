"""One case's amendments, reports and closure."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from domain import policy
from interfaces.demo.case_base import CaseBase


class CaseClosing(CaseBase):
    def amendments(self, first_receipt: date) -> None:
        demo, owner = self.demo, self.owner
        if "amend_extend" in self.twists:
            on = first_receipt + timedelta(days=120)
            self.add(on, "request_amendment", owner,
                     changes={"planned_end": policy.add_months(self.planned_end, 6)},
                     reason="Two communes were added at the donor's request")
            self.decide(on + timedelta(days=14))
        if "amend_pending" in self.twists:
            self.add(demo.ago(5), "request_amendment", owner,
                     changes={"approved_amount": self.money(self.approved * Decimal("1.15")),
                              "vnd_rate": self.rate},
                     reason="More pupils qualify after the flood season")

    def end_of_case(self) -> None:
        spec, demo, ae = self.spec, self.demo, self.actual_end
        if spec.state == "suspended" and spec.end is not None:
            self.add(demo.ago(spec.end), "suspend", self.province.chair,
                     reason="The donor's registration certificate was revoked"
                     if spec.donor in demo.cutoff else
                     "Landslides blocked access to the project sites",
                     decision=f"{self.decision_no + 200}/QD-UBND")
        if spec.state == "terminated" and ae is not None:
            self.add(ae, "terminate", self.province.chair,
                     reason="The donor closed its Viet Nam country programme",
                     decision=f"{self.decision_no + 300}/QD-UBND")

    def decide(self, on: date) -> None:
        self.add(on, "decide_amendment", self.approver, amendment_id="A1", approved=True,
                 decision_no=f"{self.decision_no + 500}/QD-UBND", signer=self.signer,
                 authority_level=self.level)

    def reports(self, first_receipt: date) -> None:
        demo, focal, owner = self.demo, self.province.focal, self.owner
        assert self.submit_on is not None
        profile = demo.services.rulebook.in_force(self.submit_on, self.spec.province)
        obligations = policy.reporting_obligations(profile, first_receipt_on=first_receipt,
                                                   actual_end_on=self.actual_end,
                                                   as_of=demo.today)
        target: policy.Obligation | None = None
        wanted = {"skip_half_year": policy.HALF_YEAR, "skip_annual": policy.ANNUAL,
                  "returned_report": policy.HALF_YEAR}
        for twist, kind in wanted.items():
            if twist in self.twists:
                overdue = [o for o in obligations if o.kind == kind and o.due_on < demo.today]
                target = overdue[-1]
        self.review_dates: list[date] = []
        for ob in obligations:
            if ob == target and "returned_report" not in self.twists:
                continue
            if ob.kind in (policy.COMPLETION, policy.SETTLEMENT):
                if "no_final_reports" in self.twists:
                    continue
                assert self.actual_end is not None
                on = self.actual_end + timedelta(days=40 if ob.kind == policy.COMPLETION
                                                 else 55)
            else:
                on = ob.due_on - timedelta(days=demo.rng.randint(3, 9))
            on = max(on, ob.period_end + timedelta(days=1))
            if on > demo.today:
                continue
            label = ob.kind.replace("_", "-")
            self.add(on, "submit_report", owner, kind=ob.kind, period_start=ob.period_start,
                     period_end=ob.period_end, report_id=ob.report_id,
                     document=self.doc("report", f"{label} report "
                                       f"{ob.period_start}..{ob.period_end}", on))
            review = on + timedelta(days=8)
            if review > demo.today:
                continue
            if ob == target:
                self.add(review, "review_report", focal, report_id=ob.report_id,
                         accepted=False, reasons=["Expenditure table does not match the "
                                                  "bank statements"])
            else:
                self.add(review, "review_report", focal, report_id=ob.report_id,
                         accepted=True)
            self.review_dates.append(review)
        ae = self.actual_end
        if ae is not None and self.spec.state in ("completed", "closed") and \
                ae + timedelta(days=20) <= demo.today:
            self.add(ae + timedelta(days=20), "record_handover", owner,
                     document=self.doc("handover", "Handover of assets to the communes", ae),
                     note="Assets handed over to the commune People's Committees")
            self.review_dates.append(ae + timedelta(days=20))

    def closure(self) -> None:
        close_on = max(self.review_dates) + timedelta(days=10)
        if "refund" in self.twists:
            assert self.actual_end is not None
            close_on = max(close_on, self.actual_end + timedelta(days=55))
        if "audit" in self.twists:
            self.add(close_on - timedelta(days=4), "record_audit", self.data.auditor,
                     auditor="State Audit Office of Viet Nam, Region I",
                     summary="Expenditure in line with the approved budget; no findings",
                     document=self.doc("audit", "Audit report", close_on))
        self.add(close_on, "close", self.province.focal)

