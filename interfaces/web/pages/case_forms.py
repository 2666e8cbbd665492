"""Commands as forms: a case's (``/cases/{id}/do/{command}``), opening a case
(``/cases/new``), registering a donor and a donor's certificates
(``/donors/new``, ``/donors/{id}/do/{command}``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from application.errors import ForbiddenError
from application.services import Services
from domain.errors import CodedError, NotFoundError, RuleViolationError
from interfaces.http.deps import ServicesDep
from interfaces.http.params import Uuid
from interfaces.web import form_page as fp
from interfaces.web.commands import CommandForm, form_named, may_give
from interfaces.web.csrf import posted_form
from interfaces.web.form_choices import choices_for
from interfaces.web.giving import build, give
from interfaces.web.refusals import explain_refusal
from interfaces.web.route import PageRoute
from interfaces.web.session import SignedIn, WebUser
from interfaces.web.templating import render

router = APIRouter(route_class=PageRoute)


# The forms that make a case or a donor: no target yet.
NEW = {"/cases/new": "open_case", "/donors/new": "register_donor"}


def _new_form(name: str) -> tuple[Callable[..., Response], Callable[..., Awaitable[Response]]]:
    def show(request: Request, user: SignedIn, services: ServicesDep) -> Response:
        return _show(request, user, services, name, None)

    async def post(request: Request, user: SignedIn, services: ServicesDep) -> Response:
        return await _post(request, user, services, name, None)

    return show, post


for _path, _name in NEW.items():
    _get, _send = _new_form(_name)
    router.add_api_route(_path, _get, methods=["GET"], name=f"{_name}_form")
    router.add_api_route(_path, _send, methods=["POST"], name=_name)


@router.get("/cases/{target}/do/{name}")
@router.get("/donors/{target}/do/{name}")
def command_form(target: Uuid, name: str, request: Request, user: SignedIn,
                 services: ServicesDep) -> Response:
    return _show(request, user, services, name, target)


@router.post("/cases/{target}/do/{name}")
@router.post("/donors/{target}/do/{name}")
async def give_command(target: Uuid, name: str, request: Request, user: SignedIn,
                       services: ServicesDep) -> Response:
    return await _post(request, user, services, name, target)


def _checked(request: Request, user: WebUser, name: str, target: UUID | None) -> CommandForm:
    """The command's form, if the page's path fits it and the person's role may give it."""
    form = form_named(name)
    on_donors = request.url.path.startswith("/donors")
    if (target is None) != (name in ("open_case", "register_donor")) or \
            (target is not None and (form.on_donor != on_donors or form.on_case == on_donors)):
        raise NotFoundError(f"there is no command {name!r} here", code="command_not_found")
    if not may_give(user.principal, name):
        raise ForbiddenError(f"{name} needs another role")
    return form


def _show(request: Request, user: WebUser, services: Services, name: str,
          target: UUID | None) -> Response:
    form = _checked(request, user, name, target)
    version, choices = choices_for(request, services, user.principal, form, target)
    filled = fp.blank(form, version, choices)
    if form.on_case and target is not None:
        allowed = services.get_case(target).allowed_commands()
        if name not in allowed:  # the process guard's answer, before anything is typed
            filled.notice, filled.allowed = "process", allowed
            return _page(request, filled, target, status_code=409)
    return _page(request, filled, target)


async def _post(request: Request, user: WebUser, services: Services, name: str,
                target: UUID | None) -> Response:
    form = _checked(request, user, name, target)
    posted = await posted_form(request, user)
    body, extra, version, key = fp.read_post(form, posted)
    head, choices = choices_for(request, services, user.principal, form, target)
    deviation = "deviation" in body
    try:
        checked = form.body.model_validate(body)
    except ValidationError as invalid:
        filled = fp.refilled(form, body, extra, version, choices,
                             fp.validation_problems(invalid), deviation)
        filled.notice = "invalid"
        return _page(request, filled, target, status_code=422)
    try:
        command = build(form, checked, user.principal, target, version, extra)
        answer, _ = give(request, services, user.principal, checked, command, key)
    except CodedError as refused:
        with_deviation = deviation or isinstance(refused, RuleViolationError)
        filled = fp.refilled(form, body, extra, version, choices, None, with_deviation)
        return _page(request, explain_refusal(filled, refused, head), target,
                     status_code=409 if not isinstance(refused, ValueError) else 422)
    return RedirectResponse(_done_at(form, answer, target), status_code=303)


def _done_at(form: CommandForm, answer: dict[str, Any], target: UUID | None) -> str:
    where = "cases" if form.on_case or form.name == "open_case" else "donors"
    return f"/{where}/{target or answer['id']}?done={form.name}"


def _page(request: Request, filled: fp.Filled, target: UUID | None,
          status_code: int = 200) -> Response:
    return render(request, "command_form.html", {
        "nav": "cases" if filled.form.on_case or filled.form.name == "open_case" else "donors",
        "filled": filled, "target": target, "action": request.url.path,
        "back": request.url.path.rsplit("/do/", 1)[0] if target else
        ("/cases" if filled.form.name == "open_case" else "/donors")}, status_code=status_code)
