"""The report on aid received and used as JSON, CSV or an Excel workbook: its header (the
province, the period, when and at which log position it was made, on which rules), then
each section's rows and subtotal, then the total. Made twice at one position on one day,
it is the same bytes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, time
from typing import IO, Any

from application.reports import AidReceivedReport
from domain.reports import SECTIONS
from infrastructure.report_layouts import ReportLayout
from interfaces.tables.columns import Column, Lang
from interfaces.tables.labels import label, sheet_name, text
from interfaces.tables.writers import Row, Sheet, flat

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


def write_xlsx(out: IO[bytes], report: AidReceivedReport, layout: ReportLayout,
               lang: Lang) -> None:
    cols = columns(layout)
    sheet = Sheet(out, sheet_name(VIEW, lang), [label(VIEW, c.name, lang) for c in cols], cols,
                  preamble(report, layout, lang), datetime.combine(report.made_on, time()))
    for kind, row in lines(report, lang):
        if kind == "title":
            sheet.title(row["text"])
        else:
            sheet.add(row, bold=kind == "total")
    sheet.close()


def write_csv(out: IO[bytes], report: AidReceivedReport, layout: ReportLayout,
              lang: Lang) -> None:
    cols = columns(layout)
    stream = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(stream)
    writer.writerows(preamble(report, layout, lang))
    writer.writerow([label(VIEW, c.name, lang) for c in cols])
    for kind, row in lines(report, lang):
        cells = [row["text"]] if kind == "title" else \
            ["" if (v := flat(row.get(c.name), c)) is None else v for c in cols]
        writer.writerow(cells)
    stream.flush()
    stream.detach()


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
