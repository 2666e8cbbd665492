"""The workspace's pages, one module per area (the forms first: ``/cases/new`` and
``/donors/new`` before the pages of one case or donor)."""

from fastapi import APIRouter

from interfaces.web.pages import (
    audit,
    board,
    case_forms,
    cases,
    dashboards,
    donors,
    language,
    reports,
    signin,
    work,
)

ROUTERS: list[APIRouter] = [case_forms.router, work.router, cases.router, language.router,
                            signin.router, donors.router, dashboards.router, board.router,
                            reports.router, audit.router]
