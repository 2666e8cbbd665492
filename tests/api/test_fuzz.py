"""Fuzzing the API from its own OpenAPI document (schemathesis), authenticated as a user who
holds every role in every province.

Every operation, with valid (positive) and invalid (negative) data: never a server error (a
503 only as the deliberate ``database_unavailable`` / ``view_not_caught_up`` problem), and every
response documented: its status code, its content type and its body schema. Half of the
generated path parameters name objects that exist (a donor and cases in five states).

``AIDTRAIL_FUZZ_EXAMPLES`` sets the examples per operation and mode (20 in ``make test``, 500
in ``make fuzz``; small runs are derandomized so that ``make test`` is reproducible). The fuzz
runs on SQLite only: the HTTP contract does not depend on the backend (the error table maps
both drivers' errors; the outage and concurrency tests exercise PostgreSQL), and on
PostgreSQL the same run takes about twice as long.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from application.roles import ALL_ROLES
from infrastructure.settings import Settings
from infrastructure.tokens import issue_token
from interfaces.container import build_container
from interfaces.http.app import create_app
from tests.api.support import Api
from tests.conftest import SHARED, TEST_SECRET

EXAMPLES = int(os.environ.get("AIDTRAIL_FUZZ_EXAMPLES", "20"))
EVERYTHING = {"Authorization": "Bearer " + issue_token(
    TEST_SECRET, sub="fuzzer", roles=sorted(ALL_ROLES), provinces=["*"])}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
# The only 503s the API gives on purpose: problem+json with one of these codes.
DELIBERATE_503 = {"database_unavailable", "view_not_caught_up"}


def _settings(root: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{root / 'fuzz.sqlite'}", jwt_secret=TEST_SECRET,
                    log_format="json", iati_dir=SHARED / "iati", inprocess_projections=True,
                    projection_poll_seconds=0.05,
                    # ?min_position beyond the head waits this long, then 503s (deliberately)
                    min_position_timeout_seconds=0.05)


def _operations() -> list[tuple[str, str, GenerationMode]]:
    """Every (method, path) of the app's OpenAPI document, read at collection time, with the
    modes that apply (negative data needs a parameter or a body to break)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="aidtrail-fuzz-") as root:
        container = build_container(_settings(Path(root)))
        try:
            spec = create_app(container=container).openapi()
        finally:
            container.close()
    return [(method.upper(), path, mode) for path, item in spec["paths"].items()
            for method, op in item.items()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            if mode is GenerationMode.POSITIVE or op.get("parameters") or op.get("requestBody")]


OPERATIONS = _operations()


def _seed(app: FastAPI) -> dict[str, list[str]]:
    """A donor with a certificate, and cases in five states with a reviewed report."""
    with TestClient(app) as client:
        api = Api(client)
        cases = [api.walk_to(state) for state in
                 ("draft", "submitted", "appraised", "approved", "in_implementation")]
        api.report(cases[-1], "half_year", "2025-01-01", "2025-06-30", "2025-07-10")
        reports = api.get(f"/cases/{cases[-1]}", "focal_officer")["reports"]
        donor = api.donor()
        certificates = api.get(f"/donors/{donor}")["certificates"]
    ids = lambda items: [i.get("report_id") or i.get("number") for i in items] \
        if isinstance(items, list) else list(items)  # noqa: E731
    return {"case_id": cases, "donor_id": [donor], "number": ids(certificates),
            "key": ["VUFO", *ids(reports)]}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    container = build_container(_settings(tmp_path_factory.mktemp("fuzz")))
    container.start()
    try:
        app = create_app(container=container)
        seeds = _seed(app)
        yield schemathesis.openapi.from_asgi("/openapi.json", app), seeds
    finally:
        container.close()


@pytest.mark.parametrize(("method", "path", "mode"), OPERATIONS,
                         ids=[f"{m} {p} {mode.value}" for m, p, mode in OPERATIONS])
def test_every_operation_answers_within_its_documented_contract(
    fuzzed: tuple[Any, dict[str, list[str]]], method: str, path: str, mode: GenerationMode
) -> None:
    schema, seeds = fuzzed
    operation = schema[path][method]
    names = [p.name for p in operation.path_parameters]
    strategy = operation.as_strategy(mode)
    if any(n in seeds for n in names):
        existing = st.fixed_dictionaries({n: st.sampled_from(seeds[n]) for n in names
                                          if n in seeds})
        strategy = st.one_of(strategy, existing.flatmap(
            lambda known: operation.as_strategy(mode, path_parameters=known)))

    with asgi.get_client(operation.app) as client:
        @given(case=strategy)
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
                  suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any) -> None:
            response = case.call(session=client, headers=EVERYTHING)
            checks = CHECKS
            if response.status_code == 503:  # only ever the deliberate, documented problem
                assert response.headers.get("content-type") in (
                    "application/problem+json", ["application/problem+json"]), response.headers
                assert response.json()["code"] in DELIBERATE_503, response.text
                checks = [c for c in CHECKS if c is not not_a_server_error]
            case.validate_response(response, checks=checks, headers=EVERYTHING)

        run()
