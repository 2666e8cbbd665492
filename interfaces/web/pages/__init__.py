"""The workspace's pages, one module per area."""

from fastapi import APIRouter

from interfaces.web.pages import audit, board, cases, dashboards, donors, language, reports, work

ROUTERS: list[APIRouter] = [work.router, cases.router, language.router, donors.router,
                             dashboards.router, board.router, reports.router,
                             audit.router]
