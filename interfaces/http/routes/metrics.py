"""``GET /metrics`` (Prometheus text format): not behind the API's tokens, so held back by
its own rule: its bearer token when one is set, otherwise loopback clients only."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response
from fastapi.security.utils import get_authorization_scheme_param
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from application.errors import MetricsLoopbackOnlyError, MetricsTokenRequiredError
from infrastructure.settings import Settings
from interfaces.http.metrics_scrape import exposition

router = APIRouter(tags=["operations"])
# Headers a reverse proxy adds: a request carrying them came through one, whatever its
# socket's address, unless the proxy is trusted (then uvicorn has put the client in place).
_FORWARDING = ("forwarded", "x-forwarded-for", "x-real-ip")


def check_metrics_access(request: Request, settings: Settings) -> None:
    if not settings.metrics_enabled:
        raise HTTPException(404, "Not Found")
    if settings.metrics_token:
        scheme, given = get_authorization_scheme_param(request.headers.get("authorization"))
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.encode(), settings.metrics_token.encode()):
            raise MetricsTokenRequiredError("/metrics needs the bearer token set in "
                                            "AIDTRAIL_METRICS_TOKEN")
        return
    forwarded = settings.forwarded_allow_ips is None and any(
        h in request.headers for h in _FORWARDING)
    if forwarded or not _is_loopback(request.client.host if request.client else ""):
        raise MetricsLoopbackOnlyError("/metrics is answered to loopback clients only; set "
                                       "AIDTRAIL_METRICS_TOKEN to scrape it from elsewhere")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    container = request.app.state.container
    check_metrics_access(request, container.settings)
    body = await run_in_threadpool(exposition, container)  # reads the database
    return Response(body, media_type=CONTENT_TYPE_LATEST)
