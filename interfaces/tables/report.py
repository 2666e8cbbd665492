"""The report on aid received and used as JSON, CSV or an Excel workbook: its header (the
province, the period, when and at which log position it was made, on which rules), then
each section's rows and subtotal, then the total. Made twice at one position on one day,
it is the same bytes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from application.reports import AidReceivedReport
from domain.reports import SECTIONS
from infrastructure.report_layouts import ReportLayout
from interfaces.tables.columns import Column, Lang
from interfaces.tables.labels import sheet_name, text
from interfaces.tables.writers import Row

VIEW = "aid_received"


def columns(layout: ReportLayout) -> list[Column]:
    money = ("approved", "opening", "received", "used", "refunded", "closing")
    return [Column(c, "vnd" if c.endswith("_vnd") else "money" if c in money else "text")
            for c in layout.columns]


def preamble(report: AidReceivedReport, layout: ReportLayout, lang: Lang) -> list[list[Any]]:
    basis = layout.citation + ("" if layout.verified else " " + text("not_verified", lang))
    p = report.period
    return [[text("title", lang)],
            [text("province", lang), report.province],
            [text("period", lang), f"{p.label} ({p.start:%d/%m/%Y} – {p.end:%d/%m/%Y})"],
            [text("made_on", lang), report.made_on],
            [text("rule_profile", lang), report.rule_profile],
            [text("position", lang), report.position],
            [text("columns_basis", lang), basis], []]


def lines(report: AidReceivedReport, lang: Lang) -> Iterator[tuple[str, Row]]:
    """("title", …), ("row", …) and ("total", …) lines, section by section."""
    for section in SECTIONS:
        rows = [r for r in report.rows if r["section"] == section]
        if not rows:
            continue
        yield "title", {"text": text(section, lang)}
        for row in rows:
            yield "row", {**row, "category": text(row["category"], lang)}
        yield "total", {"category": text("subtotal", lang), **report.totals["sections"][section]}
    yield "total", {"category": sheet_name("total", lang),
                    **{k: v for k, v in report.totals.items() if k != "sections"}}


def as_json(report: AidReceivedReport, layout: ReportLayout) -> dict[str, Any]:
    p = report.period
    return {"province": report.province,
            "period": {"label": p.label, "start": p.start, "end": p.end},
            "made_on": report.made_on, "position": report.position,
            "rule_profile": report.rule_profile,
            "columns": {"names": list(layout.columns), "citation": layout.citation,
                        "verified": layout.verified,
                        "effective_from": layout.effective_from},
            "rows": report.rows, "totals": report.totals}
