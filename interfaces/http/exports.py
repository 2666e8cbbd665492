"""Every view as a spreadsheet: ``?format=csv|xlsx`` or an ``Accept`` header, ``?lang=vi|en``
(Vietnamese by default, or from ``Accept-Language``). All pages from the cursor given (the
first when none), read in one read transaction, written to a temporary file, then streamed:
a bad filter is still a 422 problem before any byte is sent, never a truncated file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from application.projections.queries import Page
from infrastructure.clock import today_in_vietnam
from interfaces.tables.columns import Lang, columns_of
from interfaces.tables.labels import label, sheet_name
from interfaces.tables.pages import chunks, page_rows, with_totals
from interfaces.tables.writers import Sheet, write_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}
SPREADSHEETS: dict[int | str, dict[str, Any]] = {200: {"content": {
    "text/csv": {"schema": {"type": "string"}},
    XLSX: {"schema": {"type": "string", "format": "binary"}}}}}
Format = Literal["json", "csv", "xlsx"]


def _accepted(accept: str) -> Format:
    """The format of the highest-q media type of ``Accept`` that a view answers in (JSON when
    none is, or when JSON is preferred); a type with ``q=0`` is refused, never chosen."""
    ours: dict[str, Format] = {XLSX: "xlsx", "text/csv": "csv", "application/json": "json"}
    best: tuple[float, Format] = (0.0, "json")
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            weight = float(q)
        except ValueError:
            continue
        if media.lower() in ours and weight > best[0]:
            best = (weight, ours[media.lower()])
    return best[1]


class Output:
    """The representation a reader asked for: JSON (one page) or a spreadsheet (every page)."""

    def __init__(self, request: Request, format: Annotated[Format | None, Query(  # noqa: A002
            description="csv or xlsx: every page as a spreadsheet (or send Accept: text/csv "
                        "or the xlsx media type); json (default): one page")] = None,
                 lang: Annotated[Lang | None, Query(description="Spreadsheet headers: vi "
                                                    "(default) or en")] = None) -> None:
        self.format: Format = format if format is not None else _accepted(
            request.headers.get("accept", ""))
        spoken = request.headers.get("accept-language", "").strip().lower()
        self.lang: Lang = lang or ("en" if spoken.startswith("en") else "vi")

    @property
    def table(self) -> bool:
        return self.format != "json"

    def respond(self, view: str, model: type[BaseModel], pages: Iterable[Page]) -> Any:
        """Every row of ``pages`` (then the totals of the last, when it has them) as a file."""
        columns = columns_of(model)
        headers = [label(view, c.name, self.lang) for c in columns]
        last: list[Page] = []
        rows = page_rows(model, pages, last)
        out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
        if self.format == "csv":
            write_csv(out, headers, columns, with_totals(rows, last, columns, self.lang))
        else:
            sheet = Sheet(out, sheet_name(view, self.lang), headers, columns)
            for row in with_totals(rows, last, columns, self.lang):
                sheet.add(row, bold=row is last[0].totals)
            sheet.close()
        out.seek(0)
        name = f"{view}-{today_in_vietnam().isoformat()}.{self.format}"
        return StreamingResponse(chunks(out), media_type=MEDIA[self.format],
                                 headers={"Content-Disposition":
                                          f'attachment; filename="{name}"'})


OutputDep = Annotated[Output, Depends()]
