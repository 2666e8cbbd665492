"""Who is told of reminders and alerts, and what was sent: /api/v1/notifications (issue 19)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from application.errors import ProvinceNotInScopeError
from application.notifications.outbox import STATUSES
from application.notifications.service import Notifications
from infrastructure.clock import now_utc
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.guard import CommandRoute
from interfaces.http.permissions import notifier_for
from interfaces.http.schemas import notifications as s

router = APIRouter(prefix="/notifications", tags=["notifications"], route_class=CommandRoute)


def _problems(*pairs: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    return {code: {"description": text, "content": {"application/problem+json": {}}}
            for code, text in [(401, "no or invalid token"),
                               (403, "a role other than registry or focal officer "
                                     "(`forbidden`)"),
                               (422, "invalid input (`validation_error`)"), *pairs]}


def _service(request: Request) -> Notifications:
    return request.app.state.container.notifications  # type: ignore[no-any-return]


@router.get("/subscriptions", operation_id="list_notification_subscriptions",
            response_model=s.SubscriptionList, responses=_problems(),
            summary="The subscriptions of your provinces and of named persons")
def list_subscriptions(request: Request, principal: CurrentPrincipal) -> Any:
    notifier_for(principal, "manage_subscriptions")
    found = _service(request).subscriptions(principal.provinces)
    return {"items": [asdict(x) for x in found]}


@router.post("/subscriptions", operation_id="subscribe_to_notifications", status_code=201,
             name="subscribe_to_notifications", response_model=s.SubscriptionCreated,
             responses=_problems(
                 (422, "a role and a province, or a person; an e-mail address or an http(s) "
                       "URL (`invalid_target`, `invalid_role`, `invalid_province`, "
                       "`invalid_address`, `validation_error`)")),
             summary="Tell a role in a province, or a person, by e-mail or signed webhook")
def subscribe(request: Request, principal: CurrentPrincipal, body: s.SubscribeRequest) -> Any:
    """A webhook subscription's answer carries its signing secret, once."""
    actor = notifier_for(principal, "manage_subscriptions")
    wanted = principal.provinces
    if wanted is not None and body.province is not None and body.province not in wanted:
        raise ProvinceNotInScopeError(f"province {body.province} is not one of your provinces")
    found = _service(request).subscribe(
        role=body.role, province=body.province, person=body.person, channel=body.channel,
        address=body.address, language=body.language, created_by=actor.id, now=now_utc())
    return asdict(found)


@router.delete("/subscriptions/{subscription_id}", status_code=204,
               operation_id="unsubscribe_from_notifications",
               responses=_problems((404, "no such subscription in your provinces "
                                         "(`subscription_not_found`)")),
               summary="Remove a subscription; its notices not yet sent are cancelled")
def unsubscribe(request: Request, principal: CurrentPrincipal,
                subscription_id: str) -> Response:
    notifier_for(principal, "manage_subscriptions")
    _service(request).unsubscribe(subscription_id, principal.provinces)
    return Response(status_code=204)


@router.get("", operation_id="list_notifications", response_model=s.NoticeList,
            responses=_problems((422, "an unknown status (`invalid_status`)")),
            summary="The outbox: every notice of your provinces, its status and attempts")
def list_notifications(
    request: Request, principal: CurrentPrincipal,
    status: Annotated[str | None, Query(description=f"One of {', '.join(STATUSES)}")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many")] = 100,
) -> Any:
    notifier_for(principal, "read_notifications")
    found = _service(request).notices(provinces=principal.provinces, status=status,
                                      limit=limit)
    return {"items": found}
