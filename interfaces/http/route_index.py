"""The route of a request found by a dictionary lookup instead of the framework's scan.

FastAPI 0.165 finds a request's route by trying every route in the order they were added,
and for an included router matches its routes twice (once to say it matches, once to
handle): about 70 µs for a command near the middle of the app, a tenth of a command's whole
web-stack cost (bench/RESULTS.md, "Write path after the route index"). ``RouteIndex`` knows,
for each method, the API routes that no earlier route can take first, bucketed by their
number of path segments and their last literal segment. A request is handed to such a
route after the route's own match (its regular expression and convertors) says FULL; every
other request (no bucket, no match, a route some earlier route may shadow, a mount, a
redirect to the path with or without its trailing slash, a 404 or 405) goes to the
framework's router, which answers it exactly as before.

Which route is first is decided when the index is built, from the path templates
(``route_templates.py``). Anything the index does not understand (a host route, a route of
an unknown kind) is taken to shadow everything after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import routing
from starlette.routing import Match, Mount, Route, WebSocketRoute

from interfaces.http.route_templates import ANY, Seen, Template

# The framework's own names for what the route handling reads from a request's scope
# (private in 0.165: checked at startup; without them there is no index).
_SCOPE_KEY: str = getattr(routing, "_FASTAPI_SCOPE_KEY", "")
_CONTEXT_KEY: str = getattr(routing, "_FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY", "")
_INCLUDED = getattr(routing, "_IncludedRouter", None)


class RouteIndex:
    def __init__(self, app: Any) -> None:
        self.buckets: dict[str, dict[tuple[int, str | None], list[Any]]] = {}
        seen: list[Seen] = []
        for context in routing.iter_route_contexts(app.routes):
            effective = getattr(context, "_route_context", None)
            route = context.original_route
            if isinstance(route, WebSocketRoute):
                continue  # never takes an HTTP request
            if isinstance(route, routing.APIRoute) and effective is not None and context.path:
                template = Template.of(context.path)
                methods = frozenset(context.methods or ())
                if not template.open_end:
                    for method in methods:
                        if not any(s.may_take(method, template) for s in seen):
                            self._add(method, template, effective)
                seen.append(Seen(methods or None, template))
            elif isinstance(route, Mount) and not getattr(route, "host", None):
                seen.append(Seen(None, Template.of(route.path, mount=True)))
            elif isinstance(route, Route):
                seen.append(Seen(frozenset(route.methods or ()) or None,
                                  Template.of(route.path)))
            else:
                seen.append(Seen(None, None))  # not understood: shadows everything after

    def _add(self, method: str, template: Template, effective: Any) -> None:
        last = template.segments[-1] if template.segments else ""
        by_key = self.buckets.setdefault(method, {})
        by_key.setdefault((len(template.segments), last), []).append(effective)

    def __len__(self) -> int:
        return sum(len(v) for by_key in self.buckets.values() for v in by_key.values())

    def candidates(self, method: str, path: str) -> Iterator[Any]:
        by_key = self.buckets.get(method)
        if not by_key:
            return
        if path != "/" and path.endswith("/"):
            return  # the framework's redirect to the path without its slash
        trimmed = path.strip("/")
        parts = trimmed.split("/") if trimmed else []
        yield from by_key.get((len(parts), parts[-1] if parts else ""), ())
        yield from by_key.get((len(parts), ANY), ())

    def find(self, scope: dict[str, Any]) -> tuple[Any, dict[str, Any]] | None:
        """The route context that the framework would pick for this request, and its child
        scope; None: let the framework look."""
        for effective in self.candidates(scope["method"], scope["path"]):
            match, child = effective.matches(scope)
            if match == Match.FULL:
                return effective, child
        return None


def _form_limits(routes: list[Any]) -> bool:
    for route in routes:
        if _INCLUDED is not None and isinstance(route, _INCLUDED):
            if route.include_context.form_limits or _form_limits(
                    route.original_router.routes):
                return True
    return False


def can_index(app: Any) -> bool:
    """The index hands requests to routes as the framework's router does only in the setup
    it was written for: its scope names present, no form limits on a router, no telemetry
    (which the router tells the route chosen)."""
    return (bool(_SCOPE_KEY and _CONTEXT_KEY) and _INCLUDED is not None
            and not getattr(app.router, "form_limits", None)
            and not _form_limits(app.router.routes))


class IndexedRouter:
    """The app's router behind a route index (the innermost layer of the middleware stack)."""

    def __init__(self, app: Any, router: Any) -> None:
        self.app, self.router = app, router
        self.index: RouteIndex | None = None
        self._routes = -1

    def _current(self) -> RouteIndex:
        count = len(self.router.routes)
        if self.index is None or count != self._routes:  # routes added after the first call
            self.index, self._routes = RouteIndex(self.app), count
        return self.index

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and "fastapi.telemetry" not in scope:
            found = self._current().find(scope)
            if found is not None:
                effective, child = found
                scope.setdefault("router", self.router)
                scope.update(child)
                scope["route"] = effective.original_route
                scope.setdefault(_SCOPE_KEY, {})[_CONTEXT_KEY] = effective
                await effective.original_route.handle(scope, receive, send)
                return
        await self.router(scope, receive, send)


def install_route_index(app: Any, stack: Any) -> Any:
    """``stack`` (the app's middleware stack) with the router at its bottom behind an index;
    ``stack`` unchanged where the index cannot be used."""
    if not can_index(app):
        return stack
    layer = stack
    while getattr(layer, "app", None) is not None:
        if layer.app is app.router:
            layer.app = IndexedRouter(app, app.router)
            return stack
        layer = layer.app
    return stack
