"""What the read-only pages share with the API's views: the person's scope and date (the
API's ``Reader``), every row of a view, and the page's labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Depends, Request

from application.errors import ForbiddenError
from application.projections.queries import MAX_LIMIT
from application.roles import ALL_ROLES
from infrastructure.tokens import Principal
from interfaces.http.auth import in_jurisdiction
from interfaces.http.params import refuse_control_characters
from interfaces.http.reader import Reader
from interfaces.web import i18n
from interfaces.web.labels import labeller
from interfaces.web.query_fields import day_of
from interfaces.web.route import PageRoute
from interfaces.web.session import WebUser, request_language

PAGE_ROWS = 50


def page_router() -> APIRouter:
    """The router of a read page: errors answered as pages, no control character in a
    query (as the API refuses them)."""
    return APIRouter(route_class=PageRoute, dependencies=[Depends(refuse_control_characters)])


def principal_of(request: Request, user: WebUser) -> Principal:
    """The signed-in person as the API sees a token's caller: its known roles (one at least),
    and its provinces resolved through the province register."""
    principal = replace(user.principal, roles=user.principal.roles & ALL_ROLES)
    if not principal.roles:
        raise ForbiddenError("the account has no known role")
    return in_jurisdiction(principal, request.app.state.container.register)


def reader(request: Request, user: WebUser, as_of: str | None) -> Reader:
    """The API's reader for the signed-in person, on the date asked for."""
    return Reader(request, principal_of(request, user), day_of(as_of))


def every_row(read: Reader, names: Iterable[str], query: Any,
              **kwargs: Any) -> list[dict[str, Any]]:
    """Every row of a view query, read a page at a time in one read transaction."""
    return [item for page in read.read_all(names, query, None, MAX_LIMIT, **kwargs)
            for item in page.items]


def labels(request: Request) -> Callable[[str, object], str]:
    """The page's ``label(kind, code)``, in the person's language."""
    lang = request_language(request)
    return labeller(lambda message: i18n.gettext(lang, message))
