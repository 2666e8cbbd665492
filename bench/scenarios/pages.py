"""The workspace's pages as a signed-in person reads them: the case list (filtered,
searched, sorted), a case's page, the dashboards and My work — p50 and p95 at
concurrency 1, each request one page rendered by the server. The dashboards keep their
counts while the views are unchanged; ``counted`` measures them as they are the first time
after a change, against a server that keeps none (``AIDTRAIL_DASHBOARD_COUNTS_KEPT=0``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from bench.harness import BENCH_SECRET, Bench
from bench.http_load import run_load
from infrastructure.settings import Settings
from interfaces.container import build_container
from interfaces.web.session import COOKIE

USER, PASSWORD = "bench.reader", "bench reader password of some length"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def probes(case_id: uuid.UUID | None) -> list[tuple[str, str]]:
    out = [("page /cases", "/cases"),
           ("page /cases filtered", "/cases?province=BN&status=draft"),
           ("page /cases searched", "/cases?q=case+1"),
           ("page /cases sorted by disbursed", "/cases?sort=-disbursed_vnd"),
           ("page /dashboards", "/dashboards"),
           ("page /dashboards/portfolio by province", "/dashboards/portfolio"),
           ("page /dashboards/portfolio by donor", "/dashboards/portfolio?by=donor_id"),
           ("page /dashboards/compliance", "/dashboards/compliance"),
           ("page /dashboards/flags", "/dashboards/flags"),
           ("page /dashboards/reports", "/dashboards/reports"),
           ("page /dashboards/obligations", "/dashboards/obligations?status=overdue"),
           ("page / (My work)", "/")]
    if case_id is not None:
        out.insert(4, ("page /cases/{id}", f"/cases/{case_id}"))
    return out


COUNTED = "AIDTRAIL_DASHBOARD_COUNTS_KEPT"  # 0 on the server of the ``counted`` run


def pages(bench: Bench, base: str, pg: str, case_id: uuid.UUID | None, *,
          counted: bool = False) -> None:
    """Rows per page; the worst p95 becomes the fact ``pages_p95`` (``pages_counted_p95``:
    the dashboards counted on every request)."""
    cookie = _signed_in(base, pg)
    worst = -1.0
    chosen = probes(case_id)
    if counted:
        chosen = [(f"{label}, counted on every request", path) for label, path in chosen
                  if path.startswith("/dashboards") and "/flags" not in path
                  and "/obligations" not in path]
    for label, path in chosen:
        results = [run_load(base, _get(path),
                            headers={"Cookie": f"{COOKIE}={cookie}"}, concurrency=1,
                            seconds=bench.sizes.view_seconds, max_requests=200_000)
                   for _ in range(bench.sizes.repeats)]
        if not results[0].ok:
            bench.row("pages", f"{label}: p95", "ms", [], f"no 200 answer at {path}",
                      available=False)
            continue
        bench.row("pages", f"{label}: p50", "ms", [r.percentile(50) * 1000 for r in results],
                  note=path)
        worst = max(worst, bench.row("pages", f"{label}: p95", "ms",
                                     [r.percentile(95) * 1000 for r in results]).median)
    bench.facts["pages_counted_p95" if counted else "pages_p95"] = worst if worst >= 0 else None


def _get(path: str) -> Callable[[int], tuple[str, str, None]]:
    return lambda _: ("GET", path, None)


def _signed_in(base: str, pg: str) -> str:
    """A session cookie of an account that sees every province in every role."""
    container = build_container(Settings(database_url=pg, jwt_secret=BENCH_SECRET,
                                         inprocess_projections=False))
    try:
        if container.accounts.get(USER) is None:
            container.accounts.add(USER, ["aid_owner", "focal_officer", "approver", "auditor",
                                          "registry_officer", "viewer"], ["*"],
                                   password=PASSWORD, lang="vi", register=container.register,
                                   now=datetime.now(UTC))
    finally:
        container.close()
    jar = CookieJar()
    browser = build_opener(HTTPCookieProcessor(jar))
    form = browser.open(f"{base}/signin", timeout=30).read().decode()
    found = _TOKEN.search(form)
    assert found, "the sign-in page has no CSRF token"
    body = urlencode({"username": USER, "password": PASSWORD, "csrf_token": found.group(1),
                      "next": "/"}).encode()
    browser.open(Request(f"{base}/signin", data=body, method="POST"), timeout=30).read()
    for cookie in jar:
        if cookie.name == COOKIE and cookie.value:
            return cookie.value
    raise RuntimeError("signing in to the workspace gave no session cookie")
