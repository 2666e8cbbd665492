"""Authentication and authorisation over EVERY route under /api/v1, on each backend.

``MATRIX`` lists each (method, path) with the roles it admits (SPEC §2.1, §5;
application/roles.py). The test fails if the app has a route that is not in it, so a new route
cannot be added without deciding who may call it. For every route:

1. no token → 401          2. a malformed token → 401
3. a wrong signature (another secret, or ``alg: none``) → 401
4. an expired token → 401
5. each role not admitted → 403 (the admitted roles pass: neither 401 nor 403, and the body
   is valid, so the 403 is the role's doing); a token with no known role → 403 everywhere
6. a case outside the caller's provinces → 404 (every route with ``{case_id}``, and opening a
   case in such a province)
7. the routes over the whole store (every province's events: ``WHOLE_STORE``) → 403
   ``whole_store_requires_all_provinces`` for an admitted role whose provinces are not ``*``
8. a role not admitted to a command → 403 before its body is read, so an invalid body does
   not reveal the command's schema

Every 401 carries ``WWW-Authenticate: Bearer`` (with ``error="invalid_token"`` when a token
was given) and none repeats the JWT library's message.

Routes open to every role (reads; SPEC §5 "reads need any role"): GET /cases/{id},
GET /cases/{id}/iati.xml, GET /donors/{id}, GET /projections, GET /iati/activities.xml and the
read models under /views. Reads with a restriction: the case history (auditor, focal officer,
approver), the audit chain and export (auditor), and the notification subscriptions and
outbox (registry and focal officers).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response

from infrastructure.tokens import issue_token
from tests.api.support import API, USERS, Api, doc, token
from tests.conftest import TEST_SECRET

AID_OWNER, FOCAL, APPROVER = "aid_owner", "focal_officer", "approver"
REGISTRY, AUDITOR, VIEWER = "registry_officer", "auditor", "viewer"
ANY = frozenset({AID_OWNER, FOCAL, APPROVER, REGISTRY, AUDITOR, VIEWER})
OWNER_ONLY, FOCAL_ONLY = frozenset({AID_OWNER}), frozenset({FOCAL})
APPROVER_ONLY, REGISTRY_ONLY = frozenset({APPROVER}), frozenset({REGISTRY})
REGISTRY_OR_FOCAL = frozenset({REGISTRY, FOCAL})  # application/roles.py NOTIFICATION_ROLES
N = "/api/v1/notifications"
C = "/api/v1/cases/{case_id}"
D = "/api/v1/donors/{donor_id}"

MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("POST", "/api/v1/cases"): frozenset({AID_OWNER, FOCAL}),
    ("PATCH", C): OWNER_ONLY,
    ("GET", C): ANY,
    ("GET", f"{C}/history"): frozenset({AUDITOR, FOCAL, APPROVER}),
    ("GET", f"{C}/iati.xml"): ANY,
    ("POST", f"{C}/documents"): OWNER_ONLY,
    ("POST", f"{C}/submit"): OWNER_ONLY,
    ("POST", f"{C}/return"): FOCAL_ONLY,
    ("POST", f"{C}/accept"): FOCAL_ONLY,
    ("POST", f"{C}/consultations"): FOCAL_ONLY,
    ("POST", f"{C}/consultations/{{agency}}/opinion"): FOCAL_ONLY,
    ("POST", f"{C}/appraisal"): FOCAL_ONLY,
    ("POST", f"{C}/approve"): APPROVER_ONLY,
    ("POST", f"{C}/reject"): APPROVER_ONLY,
    ("POST", f"{C}/donor-notifications"): FOCAL_ONLY,
    ("POST", f"{C}/commitments"): OWNER_ONLY,
    ("POST", f"{C}/receipts"): OWNER_ONLY,
    ("POST", f"{C}/disbursements"): OWNER_ONLY,
    ("POST", f"{C}/expenditures"): OWNER_ONLY,
    ("POST", f"{C}/refunds"): OWNER_ONLY,
    ("POST", f"{C}/budget-entries"): OWNER_ONLY,
    ("POST", f"{C}/transition-reviews"): FOCAL_ONLY,
    ("POST", f"{C}/amendments"): OWNER_ONLY,
    ("POST", f"{C}/amendments/{{amendment_id}}/decision"): APPROVER_ONLY,
    ("POST", f"{C}/suspend"): APPROVER_ONLY,
    ("POST", f"{C}/resume"): APPROVER_ONLY,
    ("POST", f"{C}/revoke"): APPROVER_ONLY,
    ("POST", f"{C}/terminate"): APPROVER_ONLY,
    ("POST", f"{C}/delay-justifications"): APPROVER_ONLY,
    ("POST", f"{C}/reports"): OWNER_ONLY,
    ("POST", f"{C}/reports/{{report_id}}/review"): FOCAL_ONLY,
    ("POST", f"{C}/complete"): OWNER_ONLY,
    ("POST", f"{C}/handover"): OWNER_ONLY,
    ("POST", f"{C}/audits"): frozenset({AUDITOR}),
    ("POST", f"{C}/close"): FOCAL_ONLY,
    ("POST", "/api/v1/donors"): REGISTRY_ONLY,
    ("GET", D): ANY,
    ("POST", f"{D}/certificates"): REGISTRY_ONLY,
    ("POST", f"{D}/certificates/{{number}}/extend"): REGISTRY_ONLY,
    ("POST", f"{D}/certificates/{{number}}/amend"): REGISTRY_ONLY,
    ("POST", f"{D}/certificates/{{number}}/suspend"): REGISTRY_ONLY,
    ("POST", f"{D}/certificates/{{number}}/revoke"): REGISTRY_ONLY,
    ("POST", f"{D}/certificates/{{number}}/terminate"): REGISTRY_ONLY,
    ("GET", "/api/v1/projections"): ANY,
    ("GET", "/api/v1/audit/verify"): frozenset({AUDITOR}),
    ("GET", "/api/v1/audit/export"): frozenset({AUDITOR}),
    ("GET", "/api/v1/iati/activities.xml"): ANY,
    ("GET", "/api/v1/views/cases"): ANY,
    ("GET", "/api/v1/views/portfolio"): ANY,
    ("GET", "/api/v1/views/obligations"): ANY,
    ("GET", "/api/v1/views/compliance"): ANY,
    ("GET", "/api/v1/views/donors"): ANY,
    ("GET", "/api/v1/reports/aid-received"): ANY,
    ("GET", N): REGISTRY_OR_FOCAL,
    ("GET", f"{N}/subscriptions"): REGISTRY_OR_FOCAL,
    ("POST", f"{N}/subscriptions"): REGISTRY_OR_FOCAL,
    ("DELETE", f"{N}/subscriptions/{{subscription_id}}"): REGISTRY_OR_FOCAL,
}
# The query a GET needs to pass validation, by its path.
QUERIES = {"/api/v1/reports/aid-received": "?province=BN&period=2025"}
# In the matrix before the app serves them: tolerated when absent, checked once they exist.
PLANNED: set[tuple[str, str]] = set()
# Routes whose answer covers every province at once: only for tokens whose provinces are "*".
WHOLE_STORE = {("GET", "/api/v1/audit/verify"), ("GET", "/api/v1/audit/export")}

_MONEY = {"amount": {"amount": "10", "currency": "USD"}, "vnd_rate": "25000",
          "aid_account": "VCB-0011-AID", "effective_date": "2025-03-01"}
_DECISION = {"decision_no": "1/QD", "signer": "Chair", "authority_level": "head_of_managing_agency"}
# A body that passes validation, by the path's last fixed segment: a refusal is then the
# role's or the province's doing, never the body's.
BODIES: dict[str, dict[str, Any]] = {
    "documents": {"document": doc("request")},
    "submit": {}, "accept": {}, "close": {},
    "return": {"reasons": ["incomplete"]},
    "consultations": {"agency": "VUFO"},
    "opinion": {"stance": "agree"},
    "appraisal": {"recommendation": "approve"},
    "approve": {**_DECISION, "decision_date": "2025-01-25",
                "approved_amount": {"amount": "100000", "currency": "USD"}, "vnd_rate": "25000"},
    "reject": {"decision_no": "1/QD", "reasons": ["no"]},
    "donor-notifications": {"about": "rejection"},
    "commitments": {"amount": {"amount": "10", "currency": "USD"}, "agreement_ref": "A-1"},
    "receipts": _MONEY, "disbursements": _MONEY, "expenditures": _MONEY, "refunds": _MONEY,
    "amendments": {"changes": {"title": "New title"}, "reason": "scope"},
    "decision": {**_DECISION, "approved": True},
    "suspend": {"reason": "audit", "decision": "2/QD"},
    "resume": {"decision": "3/QD"},
    "revoke": {"reason": "idle", "decision": "4/QD"},
    "terminate": {"reason": "ended", "decision": "5/QD"},
    "delay-justifications": {"reason": "floods", "document": doc("decision")},
    "budget-entries": {"reference": "GNT-1", "document": doc("other")},
    "transition-reviews": {"note": "reviewed against Decree 313", "document": doc("decision")},
    "reports": {"kind": "half_year", "period_start": "2025-01-01", "period_end": "2025-06-30",
                "document": doc("report")},
    "review": {"accepted": True},
    "complete": {"actual_end": "2025-06-30"},
    "handover": {"document": doc("handover")},
    "audits": {"auditor": "State Audit", "summary": "clean", "document": doc("audit")},
    "{case_id}": {"title": "Renamed"},
    "donors": {"code": "DONOR-AUTH", "name": "Donor", "country": "GB", "kind": "foreign_ngo"},
    "certificates": {"number": "9/GDK-BNG", "kind": "operation", "issued_on": "2024-06-01",
                     "expires_on": "2027-05-31", "provinces": ["BN"], "fields": ["1"]},
    "extend": {"expires_on": "2028-05-31"},
    "amend": {"provinces": ["BN"], "fields": ["1"]},
    "{number}": {"reason": "review"},  # suspend, revoke and terminate of a certificate
    "subscriptions": {"role": "focal_officer", "province": "BN", "channel": "email",
                      "address": "focal@bn.example"},
    "{subscription_id}": {},
    "cases": {"reference": "BN-2025-9999", "title": "t", "aid_form": "programme",
              "donor_id": "{donor_id}", "province": "BN", "managing_agency": "PPC",
              "aid_owner": "DoH", "sectors": [{"code": "12220", "percentage": "100"}],
              "planned_start": "2025-01-01", "planned_end": "2025-12-31",
              "requested": {"amount": "1000", "currency": "VND"}},
}
_CERTIFICATE_ACTIONS = {"suspend", "revoke", "terminate"}

EXPIRED = issue_token(TEST_SECRET, sub="x", roles=sorted(ANY), provinces=["*"],
                      ttl=timedelta(seconds=1), now=datetime.now(UTC) - timedelta(hours=1))
_CLAIMS = {"sub": "x", "roles": sorted(ANY), "provinces": "*",
           "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp())}
# kind → (the token, the problem's code)
BAD_TOKENS: dict[str, tuple[str | None, str]] = {
    "no token": (None, "not_authenticated"),
    "malformed": ("not-a-jwt", "not_authenticated"),
    "wrong signature": (jwt.encode(_CLAIMS, "another-secret-that-is-also-long-enough!",
                                   algorithm="HS256"), "not_authenticated"),
    "unsigned (alg none)": (jwt.encode(_CLAIMS, key=None, algorithm="none"),
                            "not_authenticated"),
    "expired": (EXPIRED, "not_authenticated"),
    "valid for centuries": (jwt.encode({**_CLAIMS, "exp": 10**20}, TEST_SECRET,
                                       algorithm="HS256"), "token_lifetime_too_long"),
    "NUL in sub": (jwt.encode({**_CLAIMS, "sub": "a\x00b"}, TEST_SECRET, algorithm="HS256"),
                   "invalid_token_claims"),
}


def _library_message(value: str) -> str:
    """What PyJWT itself says of a bad token (never to be shown to the caller)."""
    try:
        jwt.decode(value, TEST_SECRET, algorithms=["HS256"])
    except jwt.InvalidTokenError as exc:
        return str(exc)
    return "<accepted by PyJWT>"


def _normal(path: str) -> str:
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    """Every (method, path) the app serves under /api/v1: its routes (through included
    routers) and, in case a route is hidden from them, its OpenAPI document."""
    app: Any = client.app
    try:  # FastAPI >= 0.16x keeps included routers nested; this walks them
        from fastapi.routing import iter_route_contexts
        routes: Any = iter_route_contexts(app.routes)
    except ImportError:
        routes = [r for r in app.routes if isinstance(r, APIRoute)]
    found = {(method, _normal(route.path)) for route in routes
             if (route.path or "").startswith(API)
             for method in (route.methods or ()) if method != "HEAD"}
    found |= {(method.upper(), path) for path, item in app.openapi()["paths"].items()
              if path.startswith(API) for method in item}
    assert len(found) >= 50, found  # never vacuous
    return found


def body_for(method: str, path: str, given: Given) -> dict[str, Any] | None:
    if method == "GET":
        return None
    parts = path.split("/")
    last = parts[-1]
    if last in _CERTIFICATE_ACTIONS and "certificates" in parts:
        last = "{number}"
    body = BODIES[last]
    return {k: given.donor_id if v == "{donor_id}" else v for k, v in body.items()}


def problem_code(response: Response) -> str | None:
    if response.headers["content-type"] in ("application/json", "application/problem+json"):
        return response.json().get("code")  # type: ignore[no-any-return]
    return None


class Given:
    """A case in province BN in implementation, its donor and certificate, a submitted
    report and a pending amendment (so that every path names something that exists)."""

    def __init__(self, api: Api) -> None:
        self.case_id = api.walk_to("in_implementation")
        api.post(f"/cases/{self.case_id}/reports", {**BODIES["reports"],
                                                    "effective_date": "2025-07-10"}, AID_OWNER)
        state = api.get(f"/cases/{self.case_id}")
        reports = state["reports"]
        self.report_id = reports[0]["report_id"] if isinstance(reports, list) \
            else next(iter(reports))
        api.post(f"/cases/{self.case_id}/amendments",
                 {**BODIES["amendments"], "amendment_id": "AM-1"}, AID_OWNER)
        self.donor_id = state["donor_id"]
        certificates = api.get(f"/donors/{self.donor_id}")["certificates"]
        self.number = (certificates[0]["number"] if isinstance(certificates, list)
                       else next(iter(certificates)))

    @classmethod
    def unknown(cls) -> Given:
        """Ids of nothing: enough for refusals that come before any lookup."""
        given = cls.__new__(cls)
        given.case_id, given.donor_id = str(uuid.uuid4()), str(uuid.uuid4())
        given.report_id, given.number = "R-1", "1/GDK-BNG"
        return given

    def url(self, path: str) -> str:
        return (path.replace("{case_id}", self.case_id).replace("{donor_id}", self.donor_id)
                .replace("{number}", self.number).replace("{amendment_id}", "AM-1")
                .replace("{report_id}", self.report_id).replace("{agency}", "VUFO")
                .replace("{subscription_id}", "00000000-0000-4000-8000-000000000000")
                + QUERIES.get(path, ""))


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def given(api: Api) -> Given:
    return Given(api)


def send(client: TestClient, given: Given, method: str, path: str,
         authorization: str | None, body: Any = None) -> Response:
    headers = {"Authorization": authorization} if authorization else {}
    if body is None and method != "GET":
        body = {}
    return client.request(method, given.url(path), headers=headers,
                          json=body if method != "GET" else None)


def bearer(role: str | None = None, *, roles: list[str] | None = None,
           provinces: list[str] | None = None) -> str:
    if roles is not None:
        claims = {**_CLAIMS, "roles": roles}
        return "Bearer " + jwt.encode(claims, TEST_SECRET, algorithm="HS256")
    assert role is not None
    return "Bearer " + token(role, sub=USERS[role], provinces=provinces)


def _check_all(routes: set[tuple[str, str]], check: Callable[[str, str], str | None]) -> None:
    failures = [f"{m} {p}: {msg}" for m, p in sorted(routes) if (msg := check(m, p))]
    assert not failures, "\n".join(failures)


def test_every_route_is_in_the_matrix_and_every_entry_is_a_route(client: TestClient) -> None:
    routes = app_routes(client)
    missing = routes - set(MATRIX)
    assert not missing, f"routes without an entry in MATRIX (add who may call them): {missing}"
    stale = set(MATRIX) - routes - PLANNED
    assert not stale, f"MATRIX entries the app does not serve: {stale}"
    assert len(routes) >= 45


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_a_missing_or_bad_token_is_a_401_problem_on_every_route(
    client: TestClient, kind: str
) -> None:
    value, code = BAD_TOKENS[kind]
    given = Given.unknown()
    challenge = 'Bearer error="invalid_token"' if value else "Bearer"
    library = _library_message(value) if value else None

    def check(method: str, path: str) -> str | None:
        response = send(client, given, method, path, f"Bearer {value}" if value else None)
        if response.status_code != 401:
            return f"{response.status_code} {response.text[:200]}"
        if response.headers["content-type"] != "application/problem+json" or \
                response.json()["code"] != code:
            return f"not a {code} problem: {response.text[:200]}"
        if response.headers.get("www-authenticate") != challenge:
            return f"WWW-Authenticate is {response.headers.get('www-authenticate')!r}"
        if library and library in response.json()["detail"]:
            return f"the detail repeats the library: {response.json()['detail']!r}"
        return None

    _check_all(app_routes(client), check)


def test_each_role_not_admitted_is_a_403_and_each_admitted_role_passes(
    client: TestClient, given: Given
) -> None:
    def check(method: str, path: str) -> str | None:
        body = body_for(method, path, given)
        wrong = []
        for role in sorted(ANY):
            response = send(client, given, method, path, bearer(role), body)
            code = problem_code(response)
            if role in MATRIX[(method, path)]:
                if response.status_code in (401, 403) or code == "validation_error":
                    wrong.append(f"{role} admitted but got {response.status_code} {code}")
            elif response.status_code != 403 or code != "forbidden":
                wrong.append(f"{role} not admitted but got {response.status_code} {code}")
        return "; ".join(wrong) or None

    _check_all(app_routes(client), check)


def test_a_token_with_no_known_role_is_a_403_on_every_route(
    client: TestClient, given: Given
) -> None:
    def check(method: str, path: str) -> str | None:
        response = send(client, given, method, path, bearer(roles=["janitor"]),
                        body_for(method, path, given))
        if response.status_code != 403 or problem_code(response) != "forbidden":
            return f"{response.status_code} {response.text[:200]}"
        return None

    _check_all(app_routes(client), check)


def test_a_case_outside_the_callers_provinces_is_a_404_on_every_case_route(
    client: TestClient, given: Given
) -> None:
    def check(method: str, path: str) -> str | None:
        if "{case_id}" not in path and path != f"{API}/cases":
            return None
        role = sorted(MATRIX[(method, path)])[0]
        body = body_for(method, path, given)  # POST /cases: opens a case in BN
        response = send(client, given, method, path, bearer(role, provinces=["HN"]), body)
        if response.status_code != 404 or problem_code(response) not in (
                "case_not_found", "province_not_found"):
            return f"{role} of HN got {response.status_code} {response.text[:200]}"
        # ... and the same caller in BN is let through (the 404 is the province's doing).
        allowed = send(client, given, method, path, bearer(role, provinces=["BN"]), body)
        if allowed.status_code in (401, 403, 404):
            return f"{role} of BN got {allowed.status_code} {allowed.text[:200]}"
        return None

    _check_all(app_routes(client), check)


def test_a_role_not_admitted_is_a_403_before_an_invalid_body_is_read(
    client: TestClient
) -> None:
    given = Given.unknown()
    invalid = {"not_a_field_of_any_command": 1}

    def check(method: str, path: str) -> str | None:
        if method == "GET":
            return None
        wrong = [f"{role} got {response.status_code} {problem_code(response)}"
                 for role in sorted(ANY - MATRIX[(method, path)])
                 if (response := send(client, given, method, path, bearer(role), invalid))
                 .status_code != 403 or problem_code(response) != "forbidden"]
        return "; ".join(wrong) or None

    _check_all(app_routes(client), check)


def test_the_whole_store_is_refused_to_an_admitted_role_of_some_provinces(
    client: TestClient, given: Given
) -> None:
    def check(method: str, path: str) -> str | None:
        if (method, path) not in WHOLE_STORE:
            return None
        wrong = []
        for role in sorted(MATRIX[(method, path)]):
            some = send(client, given, method, path, bearer(role, provinces=["BN", "HN"]))
            if some.status_code != 403 or \
                    problem_code(some) != "whole_store_requires_all_provinces":
                wrong.append(f"{role} of BN, HN got {some.status_code} {some.text[:200]}")
            every = send(client, given, method, path, bearer(role))
            if every.status_code != 200:
                wrong.append(f"{role} of every province got {every.status_code}")
        return "; ".join(wrong) or None

    assert WHOLE_STORE <= app_routes(client)
    _check_all(app_routes(client), check)
