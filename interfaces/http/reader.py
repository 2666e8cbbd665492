"""What every view route needs: the caller's scope, the date, a caught-up view, and one
page as JSON or every page as a spreadsheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from application.errors import ViewNotCaughtUpError
from application.projections.base import ViewTransaction
from application.projections.queries import Page, view_position
from domain.errors import InvalidInputError
from infrastructure.clock import today_in_vietnam
from infrastructure.tokens import Principal
from interfaces.container import Container
from interfaces.http.auth import CurrentPrincipal

AsOf = Annotated[date | None, Query(description="The date time-based fields are judged on; "
                                    "today in Vietnam when omitted")]
MinPosition = Annotated[int | None, Query(ge=0, description="Wait until the view has applied "
                                          "this log position (a command's `position`)")]

VIEW_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/problem+json": {}}}
    for code, text in [(401, "no or invalid token"), (403, "no known role"),
                       (422, "invalid filter, sort, cursor or date"),
                       (503, "the view has not reached min_position in time "
                             "(`view_not_caught_up`), its projection fails on an event at or "
                             "before it (`projection_failed`), or the database is unavailable")]
}

class Reader:
    """What every view route needs: the caller's scope, the date, and a caught-up view."""

    def __init__(self, request: Request, principal: CurrentPrincipal,
                 as_of: AsOf = None, min_position: MinPosition = None) -> None:
        self.container: Container = request.app.state.container
        self.principal: Principal = principal
        self.as_of = as_of or today_in_vietnam()
        self.min_position = min_position

    @property
    def provinces(self) -> list[str] | None:
        scope = self.principal.provinces
        return None if scope is None else sorted(scope)

    def asked(self, codes: list[str] | None, on: date | None = None) -> list[str] | None:
        """The province codes asked for, resolved through the province register on ``on``
        (today by default): after 1 July 2025, BN also asks for the cases opened in BG."""
        return None if codes is None else sorted(
            self.container.register.scope(codes, on or today_in_vietnam()))

    def answer(self, page: Page) -> dict[str, Any]:
        """A page of a view as the route answers it: items, next cursor, date and position."""
        return {"items": page.items, "next_cursor": page.next_cursor, "as_of": self.as_of,
                "position": page.position}

    def read(self, names: Iterable[str], query: Any, **kwargs: Any) -> Any:
        """Wait for ``names`` if asked to, then run ``query`` in one read transaction."""
        self._wait(names)
        with self.container.views.transaction(write=False) as tx:
            return query(tx, provinces=self.provinces, **kwargs)

    def counted(self, name: str, query: Any, **kwargs: Any) -> Any:
        """``query``'s answer over the whole view ``name``, counted again only when the view
        has changed since the same question was last asked (``ViewCounts``)."""
        self._wait([name])
        scope = ("*",) if self.provinces is None else tuple(self.provinces)
        question = (query.__module__, query.__qualname__, scope, repr(sorted(kwargs.items())))
        with self.container.views.transaction(write=False) as tx:
            return self.container.counts.get(
                tx, name, question, lambda: query(tx, provinces=self.provinces, **kwargs))

    def read_all(self, names: Iterable[str], query: Any, cursor: str | None, limit: int,
                 **kwargs: Any) -> Iterator[Page]:
        """Every page of ``query`` (``limit`` rows each) from ``cursor`` on, in one read
        transaction."""
        self._wait(names)
        with self.container.views.transaction(write=False) as tx:
            while True:
                page = query(tx, provinces=self.provinces, cursor=cursor, limit=limit, **kwargs)
                yield page
                if not page.next_cursor:
                    return
                cursor = page.next_cursor

    def _wait(self, names: Iterable[str]) -> None:
        known = [n for n in names if n in self.container.runner.projections]
        if self.min_position is not None and self.min_position > self.container.runner.head():
            # No write has that position yet: waiting could not help (a client's own
            # write is always at or below the head).
            raise InvalidInputError(
                f"min_position {self.min_position} is beyond the log head "
                f"({self.container.runner.head()})", code="min_position_beyond_head",
                field="min_position")
        if self.min_position is not None and not self.container.wait_for_views(
                self.min_position, known):
            raise ViewNotCaughtUpError(
                f"the view has not reached position {self.min_position} yet; retry shortly",
                min_position=self.min_position)


ReaderDep = Annotated[Reader, Depends()]


def respond(reader: Reader, out: Any, view: str, model: Any, names: list[str], query: Any,
            cursor: str | None, limit: int, answer: Callable[[Page], dict[str, Any]] | None = None,
            **kwargs: Any) -> dict[str, Any] | Response:
    """One page as JSON (``answer``, by default the page's items, cursor, date and position),
    or every page from ``cursor`` on as the spreadsheet asked for."""
    if out.table:
        return out.respond(view, model, reader.read_all(names, query, cursor, limit, **kwargs))
    page: Page = reader.read(names, query, cursor=cursor, limit=limit, **kwargs)
    return (answer or reader.answer)(page)


def positioned(query: Any, name: str) -> Any:
    """A query of the compliance views (items, cursor) that also reports the view's position."""
    def run(tx: ViewTransaction, **kwargs: Any) -> Page:
        position = view_position(tx, name)
        items, next_cursor = query(tx, **kwargs)
        return Page(items, next_cursor, position)

    return run


def with_province_now(query: Any, reader: Reader) -> Any:
    """A case query whose rows also name the province that holds each case's territory today
    (``province_now``), so that a list or a spreadsheet names both where they differ."""
    def run(tx: ViewTransaction, **kwargs: Any) -> Page:
        page: Page = query(tx, **kwargs)
        today, register = today_in_vietnam(), reader.container.register
        for item in page.items:
            item["province_now"] = register.resolve(item["province"], today)
        return page

    return run
