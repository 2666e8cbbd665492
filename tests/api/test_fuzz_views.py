"""Fuzzing every query parameter of every view, on both backends: never a server error.

Each parameter is read from the OpenAPI document (so a new one is fuzzed without a change
here) and drawn from what its schema allows, what lies just outside it, and arbitrary text
(control characters included). Cursors are random text, random base64, and base64 JSON of the
server's own shape with the view's sorts and arbitrary values: huge integers, lone surrogates,
NUL, nested lists, wrong types. Dates reach the ends of the calendar.

``AIDTRAIL_FUZZ_EXAMPLES`` sets the examples per view and backend (20 in ``make test``, 500
in ``make fuzz``; small runs are derandomized so that ``make test`` is reproducible).
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.projections.portfolio import GROUP
from application.projections.queries import CASE_SORTS, DONOR_SORTS, PORTFOLIO_SUMS
from application.projections.queries_compliance import FLAG_SORTS, OBLIGATION_SORTS
from tests.api.seeded_views import VIEWS, Seeded
from tests.api.support import API

EXAMPLES = int(os.environ.get("AIDTRAIL_FUZZ_EXAMPLES", "20"))
DELIBERATE_503 = {"database_unavailable", "view_not_caught_up"}
SORTS = {"cases": list(CASE_SORTS), "donors": list(DONOR_SORTS),
         "portfolio": [*GROUP, "case_count", *PORTFOLIO_SUMS],
         "compliance": list(FLAG_SORTS), "obligations": list(OBLIGATION_SORTS)}

ODD_TEXT = st.sampled_from(["", " ", "\x00", "a\x00b", "\n", "%", "_", "!", "'", "\\", "-",
                            "--x", "9999-12-31", "0001-01-01", "2026-02-30", str(2**63),
                            "-1", "1e400", "NaN", "é", "\ufffd", ",", ",,", "null"])
TEXT = st.one_of(ODD_TEXT, st.text(max_size=30))
SPECIAL = st.sampled_from([2**63, -(2**63) - 1, 2**63 - 1, 10**30, "\ud800", "\udfff", "\x00",
                           "a\x00", 1.5, True, None, [1, 2], {"k": 1}])
JSON_SCALAR = st.one_of(SPECIAL, st.integers(min_value=-(2**70), max_value=2**70),
                        st.text(max_size=20), st.floats())
JSON = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=8)
# The sort a view uses when none is given (a cursor names the sort it belongs to).
DEFAULT_SORT = {"cases": "reference", "donors": "name", "portfolio": "-approved_vnd",
                "compliance": "-active_from", "obligations": "due_on"}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursors(sort: str) -> st.SearchStrategy[str]:
    """Cursors for a query sorted by ``sort``: mostly of the server's shape (or the shape of
    the other read module) with arbitrary values, else any JSON, bytes or text."""
    values = st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.lists(JSON_SCALAR, min_size=n, max_size=n))
    shaped = st.one_of(st.builds(lambda k: {"s": sort, "k": k}, values),
                       st.builds(lambda k: {"sort": sort, "after": k}, values))
    other = st.one_of(shaped, shaped, JSON, st.builds(lambda s, k: {"s": s, "k": k}, TEXT, JSON))
    return st.one_of(other.map(lambda d: _b64(json.dumps(d).encode())),
                     st.binary(max_size=60).map(_b64), TEXT)


def _for(schema: dict[str, Any], name: str, view: str, ids: list[str]
         ) -> st.SearchStrategy[Any]:
    """Values for one parameter, from its schema (the part that is not null)."""
    given = next((s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"), {})
    if given.get("type") == "array":
        item = _for(given["items"], name, view, ids)
        return st.one_of(st.lists(item, min_size=1, max_size=3),
                         st.lists(item, min_size=2, max_size=3).map(",".join))
    if "enum" in given:
        return st.one_of(st.sampled_from(given["enum"]), TEXT)
    if given.get("format") == "uuid" or "[0-9A-Fa-f]{8}" in given.get("pattern", ""):
        return st.one_of(st.sampled_from(ids), st.sampled_from(ids).map(str.upper),
                         st.uuids().map(str), st.sampled_from(ids).map(lambda i: f"{{{i}}}"),
                         TEXT)
    if given.get("format") == "date":
        return st.one_of(st.sampled_from(["9999-12-31", "0001-01-01", "2200-12-31"]),
                         st.dates().map(str), TEXT)
    if given.get("type") == "integer":
        return st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), TEXT)
    if given.get("type") == "boolean":
        return st.one_of(st.sampled_from(["true", "false", "1", "0", "yes"]), TEXT)
    return TEXT


def _queries(seeded: Seeded, view: str) -> st.SearchStrategy[dict[str, Any]]:
    spec = seeded.client.get("/openapi.json").json()
    parameters = [p for p in spec["paths"][f"{API}/views/{view}"]["get"]["parameters"]
                  if p["in"] == "query" and p["name"] not in ("sort", "cursor")]
    ids = [seeded.case_id, seeded.donor_id]
    others = st.fixed_dictionaries({}, optional={
        p["name"]: _for(p["schema"], p["name"], view, ids) for p in parameters})
    sorts = st.sampled_from(SORTS[view]).flatmap(
        lambda s: st.sampled_from([s, "-" + s, "--" + s]))

    @st.composite
    def query(draw: st.DrawFn) -> dict[str, Any]:
        drawn = dict(draw(others))
        sort = draw(st.one_of(st.none(), sorts, TEXT))
        if sort is not None:
            drawn["sort"] = sort
        if draw(st.booleans()):
            drawn["cursor"] = draw(_cursors(sort or DEFAULT_SORT[view]))
        return drawn

    return query()


@pytest.mark.parametrize("view", VIEWS)
def test_no_query_of_a_view_gets_a_server_error(seeded: Seeded, view: str) -> None:
    @given(query=_queries(seeded, view))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
              suppress_health_check=list(HealthCheck), database=None)
    def run(query: dict[str, Any]) -> None:
        response = seeded.get(f"/views/{view}", **query)
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", query
            code = response.json()["code"]
            assert response.status_code < 500 or (
                response.status_code == 503 and code in DELIBERATE_503), (query, response.text)

    run()
