"""What the read-only pages share with the API's views: the person's scope and date (the
API's ``Reader``), a GET form's fields, and links to the case list with its filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request

from application.errors import ForbiddenError
from application.projections.queries import MAX_LIMIT
from application.roles import ALL_ROLES
from domain.errors import InvalidInputError
from infrastructure.tokens import Principal
from interfaces.http.auth import in_jurisdiction
from interfaces.http.params import refuse_control_characters
from interfaces.http.reader import Reader
from interfaces.web import i18n
from interfaces.web.labels import labeller
from interfaces.web.route import PageRoute
from interfaces.web.session import WebUser, request_language

# A GET form sends an empty field as ``name=``: every field is read as text, blank is none.
Text = Annotated[str | None, Query(max_length=200)]
PAGE_ROWS = 50


def page_router() -> APIRouter:
    """The router of a read page: errors answered as pages, no control character in a
    query (as the API refuses them)."""
    return APIRouter(route_class=PageRoute, dependencies=[Depends(refuse_control_characters)])


def blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def fields(**values: str | None) -> dict[str, str | None]:
    """A GET form's fields as sent, blank ones as none (to fill the form in again)."""
    return {name: blank(value) for name, value in values.items()}


def day_of(value: str | None, field: str = "as_of") -> date | None:
    """A date field of a form (``YYYY-MM-DD``, as a date input sends it); blank is none."""
    text = blank(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{field}: {text!r} is not a date (YYYY-MM-DD)",
                                code="invalid_date", field=field) from None


def yes_no(value: str | None, field: str) -> bool | None:
    text = blank(value)
    if text is None:
        return None
    if text in ("true", "false"):
        return text == "true"
    raise InvalidInputError(f"{field}: {text!r} is not true or false", code="invalid_filter",
                            field=field)


def listed(value: str | None) -> list[str] | None:
    """A field that may name several values (comma-separated), as the API's filters take."""
    text = blank(value)
    return None if text is None else [text]


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


def link(path: str, values: Mapping[str, Any]) -> str:
    """``path`` with the given query values (lists comma-separated; none and empty left out)."""
    pairs = []
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        if value is None or value == "":
            continue
        pairs.append((name, value.isoformat() if isinstance(value, date) else
                      str(value).lower() if isinstance(value, bool) else str(value)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def cases_link(as_of: date, **filters: Any) -> str:
    """The case list with the filters of ``/api/v1/views/cases`` (province, status, aid_form,
    donor_id, sector, q, report_overdue), judged on ``as_of``."""
    return link("/cases", {**filters, "as_of": as_of})
