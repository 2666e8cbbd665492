"""My work: what waits for the signed-in person, by role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from infrastructure.clock import today_in_vietnam
from interfaces.web.route import PageRoute
from interfaces.web.session import SignedIn
from interfaces.web.templating import render
from interfaces.web.work import my_work

router = APIRouter(route_class=PageRoute)


@router.get("/")
def my_work_page(request: Request, user: SignedIn) -> HTMLResponse:
    today = today_in_vietnam()
    with request.app.state.container.views.transaction(write=False) as tx:
        groups = my_work(tx, user.principal, today)
    return render(request, "work.html", {"nav": "work", "groups": groups, "today": today})
