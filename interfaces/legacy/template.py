"""``aidtrail import template``: the legacy workbook, one sheet per kind of record with its
columns, a filled example row, and a guide sheet describing every column."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from application.imports.columns import SHEETS
from domain.values import REQUIRED_DOSSIER_KINDS

GUIDE = "huong_dan"
INTRO = ("Mỗi trang là một loại hồ sơ; dòng 1 là tên cột (giữ nguyên), dòng 2 là ví dụ "
         "(thay bằng dữ liệu của đơn vị). Ngày: 2019-07-10 hoặc 10/07/2019. Cột có dấu * là "
         "bắt buộc. Kiểm tra trước: aidtrail import FILE --dry-run.")


def _examples(sheet: str, column: str, example: object) -> list[object]:
    """One example row; the documents sheet has one per document the dossier needs."""
    if sheet != "documents":
        return [example]
    kinds = list(REQUIRED_DOSSIER_KINDS)
    if column == "kind":
        return list(kinds)
    if column in ("title", "uri"):
        return [f"{example} ({kind})" for kind in kinds]
    return [example] * len(kinds)


def write_template(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    guide = book.add_worksheet(GUIDE)
    guide.write(0, 0, INTRO)
    guide.write_row(2, 0, ["Trang", "Cột", "Bắt buộc", "Nội dung"], bold)
    line = 3
    for sheet_name, columns in SHEETS.items():
        sheet = book.add_worksheet(sheet_name)
        for i, (name, required, meaning, example) in enumerate(columns):
            sheet.write(0, i, name, bold)
            sheet.write_comment(0, i, f"{'* ' if required else ''}{meaning}")
            for n, value in enumerate(_examples(sheet_name, name, example), 1):
                sheet.write(n, i, value)
            sheet.set_column(i, i, max(14, len(name) + 4))
            guide.write_row(line, 0, [sheet_name, name, "*" if required else "", meaning])
            line += 1
        sheet.freeze_panes(1, 0)
    guide.set_column(0, 1, 18)
    guide.set_column(3, 3, 80)
    book.close()
