"""Cases: the list (filters, search, sort, pages) and each case's page."""

from __future__ import annotations

from fastapi import APIRouter

from interfaces.web.route import PageRoute

router = APIRouter(route_class=PageRoute)
