"""One case from its opening to its approval: dossier, appraisal, decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain import policy
from domain.donor import Donor
from domain.rules import HEAD_OF_MANAGING_AGENCY
from domain.values import AID_OWNER, APPROVER, Actor
from interfaces.demo.case_funds import CaseFunds


class CasePlan(CaseFunds):
    """A case of the demo: its steps, added to the schedule by ``build``."""

    def build(self) -> None:
        spec, demo = self.spec, self.demo
        owner = self.province.owner
        if "c18" in self.twists:
            owner = Actor(f"{spec.province.lower()}.director.an", AID_OWNER)
        self.owner = owner
        donor_id = Donor.create_id(spec.donor)
        sensitive = list(spec.sensitive)
        managing = self.province.agency
        if spec.form == "humanitarian_unaddressed":
            # The rule data's own words (C22 compares the case's managing agency with them).
            managing = "Central Committee of the Vietnam Fatherland Front"
        elif spec.moha:
            managing = "Bộ Nội vụ"
        elif spec.theme == "legal":
            managing = "Bộ Tư pháp"
        demo.add(self.open_on, "open_case", None, "open_case", self.province.owner,
                 donor_id=donor_id, requested=self.money(self.requested),
                 reference=self.reference, title=self.title,
                 description=f"{self.title}, do {self.donor.name} tài trợ và "
                             f"{self.aid_owner} thực hiện.",
                 aid_form=spec.form, province=spec.province, managing_agency=managing,
                 aid_owner=self.aid_owner, sectors=self.sectors,
                 planned_start=self.planned_start, planned_end=self.planned_end,
                 requested_vnd_rate=self.rate, state_budget_revenue=spec.form in (
                     "investment_project", "programme") and not self.is_ngo,
                 sensitive_flags=sensitive, moha_licensed=spec.moha)
        self.dossier()
        if spec.state in ("draft", "returned", "submitted"):
            self.early_money()
            return
        self.appraisal()
        if spec.state == "under_appraisal":
            return
        if spec.state == "appraised":
            self.early_money()
            return
        if spec.state == "rejected":
            self.reject()
            return
        self.approve()
        if spec.state in ("approved", "revoked"):
            self.unimplemented()
            return
        self.implementation()

    def dossier(self) -> None:
        spec, owner, focal = self.spec, self.owner, self.province.focal
        docs_on = self.open_on + timedelta(days=2)
        kinds = [("request", f"Văn bản đề nghị phê duyệt: {self.title}"),
                 ("donor_consent", f"Letter of commitment from {self.donor.name}"),
                 ("project_document", f"Văn kiện dự án: {self.title}"),
                 ("donor_legal_status",
                  f"Registration certificate of {self.donor.name}" if self.is_ngo
                  else f"Proof of legal status of {self.donor.name}")]
        if spec.state == "draft":
            for kind, title in kinds[:2]:
                self.add(docs_on, "attach_document", owner, document=self.doc(kind, title))
            self.add(docs_on + timedelta(days=3), "attach_document", owner,
                     document=self.doc(*kinds[2]))
            return
        for kind, title in kinds:
            self.add(docs_on, "attach_document", owner, document=self.doc(kind, title))
        # The donor's letter is in English: its Vietnamese translation (Decree 80/2020 Art. 8).
        self.add(docs_on, "attach_document", owner, document=self.doc(
            "donor_consent", f"Bản dịch thư cam kết của {self.donor.name}", language="vi"))
        assert self.submit_on is not None
        if self.resubmitted:
            first = self.submit_on - timedelta(days=22)
            self.submit(first)
            self.add(first + timedelta(days=5), "return_dossier", focal,
                     reasons=["Thư cam kết của nhà tài trợ chưa được ký"])
            self.add(first + timedelta(days=14), "attach_document", owner,
                     document=self.doc("donor_consent", "Signed letter of commitment from "
                                       f"{self.donor.name}", first + timedelta(days=14)))
        self.submit(self.submit_on)
        if spec.state == "returned":
            self.add(self.demo.ago(spec.anchor), "return_dossier", focal,
                     reasons=["Văn kiện dự án chưa có dự toán chi tiết theo từng năm",
                              "Còn thiếu cam kết vốn đối ứng của cấp xã"])

    def submit(self, on: date) -> None:
        kwargs: dict[str, Any] = {}
        if "cert_gap" in self.twists:
            kwargs["deviation"] = self.deviation(
                "Submitted while the certificate amendment is pending at the Ministry of "
                "Foreign Affairs", on)
        self.add(on, "submit", self.owner, **kwargs)

    def appraisal(self) -> None:
        spec, focal, demo = self.spec, self.province.focal, self.demo
        accept = self.accept_on
        assert accept is not None
        self.add(accept, "accept_dossier", focal)
        vufo = "VUFO"
        if spec.state == "under_appraisal":
            if "c06_no_vufo" in self.twists:
                return
            if "c06_overdue" in self.twists or "c06_reply_overdue" in self.twists:
                self.add(accept + timedelta(days=1), "request_consultation", focal,
                         agency=vufo)
                return
            agency = vufo if self.is_ngo else f"Sở Tài chính {self.province.name}"
            self.add(accept + timedelta(days=1), "request_consultation", focal, agency=agency)
            if accept + timedelta(days=6) <= demo.today:
                self.add(accept + timedelta(days=6), "record_opinion", focal, agency=agency,
                         stance="agree", document=self.doc("opinion", f"Ý kiến của {agency}"))
            return
        complete = accept + timedelta(days=14)
        if self.is_ngo:
            self.add(accept + timedelta(days=1), "request_consultation", focal, agency=vufo)
            self.add(accept + timedelta(days=9), "record_opinion", focal, agency=vufo,
                     stance="agree" if demo.rng.random() < 0.7 else "agree_with_conditions",
                     summary="No objection; the donor is in good standing",
                     document=self.doc("opinion", "Ý kiến của Liên hiệp các tổ chức hữu nghị "
                                       "Việt Nam (VUFO)"))
        if self.extra_consultee:
            finance = f"Sở Tài chính {self.province.name}"
            self.add(accept + timedelta(days=1), "request_consultation", focal,
                     agency=finance)
            self.add(accept + timedelta(days=8), "record_opinion", focal, agency=finance,
                     stance="agree", document=self.doc("opinion", f"Ý kiến của {finance}"))
        self.add(complete, "complete_appraisal", focal,
                 recommendation="reject" if spec.state == "rejected" else "approve")

    def required_level(self) -> str:
        services = self.demo.services
        assert self.submit_on is not None
        profile = services.rulebook.in_force(self.submit_on, self.spec.province)
        vnd = self.money(self.approved).amount * (self.rate or 1)
        return policy.required_authority(profile, aid_form=self.spec.form,
                                         sensitive_flags=self.spec.sensitive,
                                         moha_licensed=self.spec.moha, vnd_amount=vnd)

    def approve(self) -> None:
        on = self.approve_on
        assert on is not None
        level = self.required_level()
        actor, signer, series = self.province.chair, \
            f"Chủ tịch {self.province.agency}", "QD-UBND"
        kwargs: dict[str, Any] = {}
        if "c02" in self.twists:
            level = HEAD_OF_MANAGING_AGENCY
            kwargs["deviation"] = self.deviation(
                f"Signed by the chair of the {self.province.agency} for urgency; "
                "regularisation by the competent authority requested", on)
        elif "vice_chair" in self.twists:
            level, actor = self.data.vice_chair_level, self.data.vice_chair
            signer = f"Phó Chủ tịch {self.province.agency} (được ủy quyền)"
        elif level in self.data.central_approvers:
            actor, signer, series = self.data.central_approvers[level]
        if "c18" in self.twists:
            actor = Actor(self.owner.id, APPROVER)
            kwargs["deviation"] = self.deviation(
                "The director who submitted the dossier signed the decision as acting chair "
                "during the chair's leave", on)
        if "cert_gap" in self.twists:
            kwargs["deviation"] = self.deviation(
                "Approved pending the certificate amendment the Ministry of Foreign Affairs "
                "has acknowledged", on)
        conditions = ["Report every six months to the Department of Foreign Affairs"] \
            if self.demo.rng.random() < 0.4 else []
        self.approver, self.level, self.signer = actor, level, signer
        self.add(on, "approve", actor, decision_no=f"{self.decision_no}/{series}",
                 decision_date=on, signer=signer, authority_level=level,
                 approved_amount=self.money(self.approved), vnd_rate=self.rate,
                 conditions=conditions, **kwargs)
        if self.commit and on + timedelta(days=8) <= self.demo.today:
            self.add(on + timedelta(days=8), "record_commitment", self.owner,
                     amount=self.money(self.approved), vnd_rate=self.rate,
                     agreement_ref=f"{self.spec.donor}/GA-{on.year}-{self.decision_no % 97:02d}")

    def reject(self) -> None:
        on = self.demo.ago(self.spec.anchor)
        self.add(on, "reject", self.province.chair, decision_no=f"{self.decision_no}/QD-UBND",
                 reasons=["The equipment is on the list of goods that may not be imported"
                          if self.spec.form == "non_project_goods" else
                          "The activities duplicate a programme already funded from the "
                          "provincial budget"])
        if "no_notice" not in self.twists:
            self.add(on, "notify_donor", self.province.focal,
                     about="rejection", document=self.doc("decision", "Letter to the donor "
                                                          "on the refusal"))

    def unimplemented(self) -> None:
        on = self.approve_on
        assert on is not None
        if "delay_justified" in self.twists:
            self.add(policy.add_months(on, 5), "record_justified_delay", self.approver,
                     reason="Site clearance delayed by the commune land-use plan revision",
                     document=self.doc("decision", "Justified delay", on))
        if self.spec.state == "revoked":
            revoke = policy.add_months(on, 6) + timedelta(days=12)
            self.add(revoke, "revoke", self.province.chair,
                     reason="Not implemented within six months of approval",
                     decision=f"{self.decision_no + 400}/QD-UBND")
            if "no_notice" not in self.twists:
                self.add(revoke, "notify_donor", self.province.focal,
                         about="revocation",
                         document=self.doc("decision", "Letter to the donor on the "
                                           "revocation"))

    def early_money(self) -> None:
        """Money recorded before approval, with the deviation that makes it a fact (C01)."""
        demo, spec = self.demo, self.spec
        if "c01_appraised" in self.twists:
            on = demo.ago(6)
            self.add(on, "record_receipt", self.owner,
                     amount=self.money(self.approved * Decimal("0.3")), vnd_rate=self.rate,
                     aid_account=self.account,
                     deviation=self.deviation("Emergency funds transferred by the donor before "
                                              "the decision, as the floods worsened", on))
        elif "c01_in_kind" in self.twists:
            on = demo.ago(spec.anchor - 6)
            self.add(on, "record_receipt", self.owner, in_kind=True,
                     amount=self.money(self.approved * Decimal("0.4")), vnd_rate=self.rate,
                     counterparty="Da Nang port customs warehouse",
                     deviation=self.deviation("Relief goods arrived at the port before the "
                                              "decision and were stored under seal", on))

