"""The reports an office files, under /api/v1/reports (issue: periodic reports)."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from application.errors import ProvinceNotInScopeError
from application.reports import aid_received
from domain.periods import parse_period
from infrastructure.report_layouts import report_layout
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.exports import MEDIA, SPREADSHEETS, OutputDep
from interfaces.http.reader import VIEW_ERRORS
from interfaces.http.schemas import reports as s
from interfaces.tables import report as table
from interfaces.tables import report_files

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/aid-received", operation_id="get_aid_received_report",
            response_model=s.AidReceivedReport,
            responses={**VIEW_ERRORS, **SPREADSHEETS, 403: {
                "description": "the province is outside the caller's provinces "
                               "(`province_not_in_scope`)",
                "content": {"application/problem+json": {}}}},
            summary="The report on aid received and used, for a province and a period")
def aid_received_report(
    request: Request, principal: CurrentPrincipal, out: OutputDep,
    province: Annotated[str, Query(pattern=r"^[A-Z0-9]{1,8}$", description="e.g. BN")],
    period: Annotated[str, Query(max_length=7, description="2026, 2026-H1, 2026-H2 or 2026-06")],
    position: Annotated[int | None, Query(ge=0, description="The log position to make it at "
                                          "(the head when omitted): the same position, the "
                                          "same report")] = None,
) -> Any:
    """Cash aid per category and donor (opening balance, received, used, refunded, closing
    balance, in the case currency and in VND), aid in kind and aid that is state-budget
    revenue apart, section subtotals and the total in VND. JSON by default; `format=xlsx`
    or `csv` (or an Accept header) for the file to file."""
    if principal.provinces is not None and province not in principal.provinces:
        raise ProvinceNotInScopeError(f"province {province} is not one of your provinces")
    chosen = parse_period(period)
    layout = report_layout("aid-received", chosen.end)  # before the work: a period too early
    report = aid_received(request.app.state.container.services, province, chosen, position)
    if not out.table:
        return table.as_json(report, layout)
    buffer = io.BytesIO()
    write = report_files.write_xlsx if out.format == "xlsx" else report_files.write_csv
    write(buffer, report, layout, out.lang)
    name = f"aid-received-{province}-{chosen.label}.{out.format}"
    return Response(buffer.getvalue(), media_type=MEDIA[out.format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
