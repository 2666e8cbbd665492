"""The report on aid received and used written as an Excel workbook or as CSV: its header
block, then each section's rows and subtotal, then the total (``report.py`` lays them out)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time
from typing import IO

from application.reports import AidReceivedReport
from infrastructure.report_layouts import ReportLayout
from interfaces.tables.columns import Lang
from interfaces.tables.labels import label, sheet_name
from interfaces.tables.report import VIEW, columns, lines, preamble
from interfaces.tables.writers import Sheet, csv_cell, flat


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
            [csv_cell(flat(row.get(c.name), c)) for c in cols]
        writer.writerow(cells)
    stream.flush()
    stream.detach()
