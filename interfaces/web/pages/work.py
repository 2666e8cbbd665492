"""My work: what waits for the signed-in person, by role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from interfaces.web.route import PageRoute
from interfaces.web.session import SignedIn
from interfaces.web.templating import render

router = APIRouter(route_class=PageRoute)


@router.get("/")
def my_work(request: Request, user: SignedIn) -> HTMLResponse:
    return render(request, "work.html", {"nav": "work", "groups": []})
