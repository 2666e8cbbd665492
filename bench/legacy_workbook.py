"""A province's years of records as a legacy workbook's rows (for the import's bench and
tests), with the VND sums its money rows add up to."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from application.imports.columns import SHEETS


def legacy_rows(donors: int, cases: int) -> tuple[dict[str, list[dict[str, Any]]],
                                                           dict[str, Decimal]]:
    """A province's decade of records, and the VND sums its money rows add up to."""
    rows: dict[str, list[dict[str, Any]]] = {s: [] for s in SHEETS}
    sums = {"received_vnd": Decimal(0), "disbursed_vnd": Decimal(0), "spent_vnd": Decimal(0)}
    for d in range(donors):
        code = f"NGO-{d:02d}"
        rows["donors"].append({"code": code, "name": f"Tổ chức {d}", "country": "JP",
                               "kind": "foreign_ngo"})
        for start in (2015, 2018, 2021, 2024):
            rows["certificates"].append({
                "donor_code": code, "number": f"{d}-{start}/GDK", "kind": "operation",
                "issued_on": f"{start}-01-01", "expires_on": f"{start + 2}-12-31",
                "provinces": "BG; BN", "fields": "1; 7"})
    for n in range(cases):
        year, ref = 2015 + n % 10, f"BG-{2015 + n % 10}-{n:04d}"
        rate = 150 + n % 50
        rows["cases"].append({
            "reference": ref, "title": f"Dự án {n}", "aid_form": "technical_assistance_project",
            "donor_code": f"NGO-{n % donors:02d}", "province": "BG",
            "managing_agency": "UBND tỉnh Bắc Giang", "aid_owner": "Sở Y tế",
            "sectors": "12220:100", "planned_start": f"{year}-03-01",
            "planned_end": f"{year + 1}-12-31", "currency": "JPY",
            "requested_amount": 3000000, "requested_vnd_rate": rate,
            "opened_on": f"{year}-01-05"})
        for kind in ("request", "donor_consent", "project_document", "donor_legal_status"):
            rows["documents"].append({"reference": ref, "kind": kind, "title": kind,
                                      "uri": f"luu-tru://{ref}/{kind}", "on": f"{year}-01-06"})
        rows["decisions"].append({
            "reference": ref, "decision": "approved", "submitted_on": f"{year}-01-10",
            "consultees": "VUFO:agree", "appraised_on": f"{year}-01-25",
            "decision_no": f"{n}/QĐ-UBND", "decision_date": f"{year}-02-01",
            "signer": "Chủ tịch UBND tỉnh", "authority_level": "head_of_managing_agency",
            "approved_amount": 3000000, "vnd_rate": rate})
        for kind, month, amount in (("receipt", "03", 2000000), ("receipt", "09", 1000000),
                                    ("disbursement", "04", 1500000),
                                    ("disbursement", "10", 1000000),
                                    ("expenditure", "11", 400000)):
            rows["transactions"].append({
                "reference": ref, "kind": kind, "on": f"{year}-{month}-15", "amount": amount,
                "vnd_rate": rate, "aid_account": "Vietcombank 0011"})
            total = {"receipt": "received_vnd", "disbursement": "disbursed_vnd",
                     "expenditure": "spent_vnd"}[kind]
            sums[total] += Decimal(amount * rate)
        rows["reports"].append({"reference": ref, "kind": "half_year",
                                "period_start": f"{year}-01-01", "period_end": f"{year}-06-30",
                                "submitted_on": f"{year}-07-10", "accepted_on": f"{year}-07-20"})
    return rows, sums


def write_workbook(path: Path, rows: dict[str, list[dict[str, Any]]]) -> int:
    """Write ``rows`` as a workbook of the template's sheets; the number of data rows."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    count = 0
    for name, lines in rows.items():
        sheet = book.add_worksheet(name)
        columns = [c[0] for c in SHEETS[name]]
        sheet.write_row(0, 0, columns)
        for n, line in enumerate(lines, 1):
            sheet.write_row(n, 0, [line.get(c) for c in columns])
        count += len(lines)
    book.close()
    return count
