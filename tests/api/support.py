"""Driving the API as each kind of user: tokens per role and a walker to any case state."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from infrastructure.tokens import issue_token
from tests.conftest import TEST_SECRET

API = "/api/v1"
USERS = {
    "aid_owner": "owner-1", "focal_officer": "focal-1", "approver": "chair-1",
    "registry_officer": "registry-1", "auditor": "auditor-1", "viewer": "viewer-1",
}
_counter = itertools.count(1)


def token(role: str, sub: str | None = None, provinces: list[str] | None = None) -> str:
    return issue_token(TEST_SECRET, sub=sub or USERS[role], roles=[role],
                       provinces=provinces or ["*"])


def auth(role: str, **kw: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, **kw)}"}


def doc(kind: str, title: str = "document") -> dict[str, str]:
    return {"kind": kind, "title": title, "uri": f"https://files.example/{kind}.pdf",
            "sha256": "b" * 64, "language": "vi"}


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def post(self, path: str, body: dict[str, Any] | None, role: str, expect: int = 200,
             **headers: str) -> dict[str, Any]:
        response = self.client.post(API + path, json=body or {},
                                    headers={**auth(role), **headers})
        assert response.status_code == expect, (path, response.status_code, response.text)
        return response.json()  # type: ignore[no-any-return]

    def raw_post(self, path: str, body: Any, role: str, **headers: str) -> Response:
        return self.client.post(API + path, json=body, headers={**auth(role), **headers})

    def get(self, path: str, role: str = "viewer", expect: int = 200, **params: Any
            ) -> dict[str, Any]:
        response = self.client.get(API + path, params=params, headers=auth(role))
        assert response.status_code == expect, (path, response.status_code, response.text)
        return response.json()  # type: ignore[no-any-return]

    # --- givens -------------------------------------------------------------------------------

    def donor(self, kind: str = "foreign_ngo", provinces: tuple[str, ...] = ("BN", "HN"),
              fields: tuple[str, ...] = ("1", "7")) -> str:
        n = next(_counter)
        donor_id = self.post("/donors", {"code": f"DONOR-{n}", "name": f"Donor {n}",
                                         "country": "GB", "kind": kind},
                             "registry_officer", 201)["id"]
        if kind == "foreign_ngo":
            self.post(f"/donors/{donor_id}/certificates", {
                "number": f"{n}/GDK-BNG", "kind": "operation", "issued_on": "2024-06-01",
                "expires_on": "2027-05-31", "provinces": list(provinces),
                "fields": list(fields), "effective_date": "2024-06-01"}, "registry_officer")
        return str(donor_id)

    def open_case(self, donor_id: str, aid_form: str = "technical_assistance_project",
                  currency: str = "USD", amount: str = "100000", **extra: Any) -> str:
        n = next(_counter)
        body = {
            "reference": f"BN-2025-{n:04d}", "title": f"Case {n}", "aid_form": aid_form,
            "donor_id": donor_id, "province": "BN",
            "managing_agency": "Bac Ninh Provincial People's Committee",
            "aid_owner": "Bac Ninh Health Department",
            "sectors": [{"code": "12220", "percentage": "100"}],
            "planned_start": "2025-01-01", "planned_end": "2026-06-30",
            "requested": {"amount": amount, "currency": currency},
            "requested_vnd_rate": None if currency == "VND" else "25000",
            "effective_date": "2025-01-02", **extra,
        }
        return str(self.post("/cases", body, "aid_owner", 201)["id"])

    def submit(self, case_id: str) -> None:
        for kind in ("request", "donor_consent", "project_document", "donor_legal_status"):
            self.post(f"/cases/{case_id}/documents",
                      {"document": doc(kind), "effective_date": "2025-01-03"}, "aid_owner")
        self.post(f"/cases/{case_id}/submit", {"effective_date": "2025-01-05"}, "aid_owner")

    def appraise(self, case_id: str) -> None:
        self.post(f"/cases/{case_id}/accept", {"effective_date": "2025-01-06"}, "focal_officer")
        self.post(f"/cases/{case_id}/consultations",
                  {"agency": "VUFO", "effective_date": "2025-01-07"}, "focal_officer")
        self.post(f"/cases/{case_id}/consultations/VUFO/opinion",
                  {"stance": "agree", "effective_date": "2025-01-12"}, "focal_officer")
        self.post(f"/cases/{case_id}/appraisal",
                  {"recommendation": "approve", "effective_date": "2025-01-20"},
                  "focal_officer")

    def approve(self, case_id: str, amount: str = "100000", currency: str = "USD",
                level: str = "head_of_managing_agency", **extra: Any) -> dict[str, Any]:
        return self.post(f"/cases/{case_id}/approve", {
            "decision_no": "12/QD-UBND", "decision_date": "2025-01-25",
            "signer": "Chair of the People's Committee", "authority_level": level,
            "approved_amount": {"amount": amount, "currency": currency},
            "vnd_rate": None if currency == "VND" else "25000",
            "effective_date": "2025-01-25", **extra}, "approver")

    def money(self, case_id: str, kind: str, amount: str, on: str, currency: str = "USD",
              expect: int = 200, **extra: Any) -> dict[str, Any]:
        body = {"amount": {"amount": amount, "currency": currency}, "effective_date": on,
                "aid_account": "VCB-0011-AID", "vnd_rate": None if currency == "VND"
                else "25000", **extra}
        return self.post(f"/cases/{case_id}/{kind}", body, "aid_owner", expect)

    def walk_to(self, state: str, aid_form: str = "technical_assistance_project",
                currency: str = "USD") -> str:
        """Open a case for a fresh foreign-NGO donor and take it to ``state``."""
        amount = "2500000000" if currency == "VND" else "100000"
        # Decree 80/2020 Art. 7: unaddressed humanitarian aid is approved by the VFF president.
        level = "vff_president" if aid_form == "humanitarian_unaddressed" \
            else "head_of_managing_agency"
        case_id = self.open_case(self.donor(), aid_form=aid_form, currency=currency,
                                 amount=amount)
        steps = ["draft", "submitted", "appraised", "approved", "in_implementation",
                 "completed", "closed"]
        target = steps.index(state)
        if target >= 1:
            self.submit(case_id)
        if target >= 2:
            self.appraise(case_id)
        if target >= 3:
            self.approve(case_id, amount=amount, currency=currency, level=level)
        if target >= 4:
            self.money(case_id, "receipts", amount, "2025-02-01", currency)
        if target >= 5:
            half = str(int(amount) // 2)
            self.money(case_id, "disbursements", half, "2025-03-01", currency)
            self.money(case_id, "expenditures", half, "2025-04-01", currency)
            for kind, start, end, on in [
                ("half_year", "2025-01-01", "2025-06-30", "2025-07-10"),
                ("annual", "2025-01-01", "2025-12-31", "2026-01-20"),
                ("half_year", "2026-01-01", "2026-06-30", "2026-07-10"),
            ]:
                self.report(case_id, kind, start, end, on)
            self.post(f"/cases/{case_id}/complete",
                      {"actual_end": "2026-06-30", "effective_date": "2026-06-30"}, "aid_owner")
        if target >= 6:
            for kind in ("completion", "settlement"):
                self.report(case_id, kind, "2025-01-01", "2026-06-30", "2026-08-01")
            self.post(f"/cases/{case_id}/handover",
                      {"document": doc("handover"), "effective_date": "2026-08-05"},
                      "aid_owner")
            self.post(f"/cases/{case_id}/close", {"effective_date": "2026-08-10"},
                      "focal_officer")
        return case_id

    def report(self, case_id: str, kind: str, start: str, end: str, on: str) -> None:
        submitted = self.post(f"/cases/{case_id}/reports", {
            "kind": kind, "period_start": start, "period_end": end, "document": doc("report"),
            "effective_date": on}, "aid_owner")
        assert submitted["status"]
        state = self.get(f"/cases/{case_id}", "focal_officer")
        report_id = next(r for r in state["reports"] if r["kind"] == kind
                         and r["period_start"] == start)["report_id"] \
            if isinstance(state["reports"], list) else next(
                rid for rid, r in state["reports"].items()
                if r["kind"] == kind and r["period_start"] == start)
        self.post(f"/cases/{case_id}/reports/{report_id}/review",
                  {"accepted": True, "effective_date": on}, "focal_officer")


def today() -> date:
    return date.today()
