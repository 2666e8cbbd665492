"""A problem's ``type`` is a page of the server explaining its code, and every code the code
base can answer has one."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urljoin

from fastapi.testclient import TestClient

from domain.case_guards import RULE_FLAGS
from interfaces.http.problem_types import EXPLANATIONS, FAMILIES, explanation
from tests.api.support import API, auth

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "application", "infrastructure", "interfaces")
_LITERAL = re.compile(r'\bcode(?:=| = |: str = )"([a-z][a-z0-9_]*)"')
_FAMILY = re.compile(r'\bcode=f"([a-z_]*\{[a-z_]+\}[a-z_]*)"')
# interfaces/http/errors.py: fixed codes of the table and of the handlers.
_TABLE = [re.compile(p) for p in (
    r'\d{3}, "[A-Z][^"]*", "([a-z_]+)"', r'problem\(\d{3}, "([a-z_]+)"', r'\d{3}: "([a-z_]+)"',
    r'else "([a-z_]+)"', r'frozenset\(\{"([a-z_]+)"\}\)', r'status_code, "([a-z_]+)"\)')]


def _codes_in_the_code_base() -> tuple[set[str], set[str]]:
    literal, families = set(RULE_FLAGS), set()
    for layer in LAYERS:
        for file in (ROOT / layer).rglob("*.py"):
            text = file.read_text(encoding="utf-8")
            literal |= set(_LITERAL.findall(text))
            families |= {re.sub(r"\{([a-z_]+)\}", r"<\1>", f) for f in _FAMILY.findall(text)}
    errors = (ROOT / "interfaces/http/errors.py").read_text(encoding="utf-8")
    for pattern in _TABLE:
        literal |= set(pattern.findall(errors))
    return literal, families


def test_every_code_the_code_base_can_answer_has_an_explanation() -> None:
    literal, families = _codes_in_the_code_base()
    assert {"database_unavailable", "overspending", "method_not_allowed"} <= literal
    assert sorted(literal - set(EXPLANATIONS)) == []
    assert sorted(families - set(FAMILIES)) == []
    assert explanation("invalid_severity") == FAMILIES["invalid_<field>"]


def test_a_problems_type_resolves_to_the_page_that_explains_its_code(client: TestClient) -> None:
    url = f"{API}/cases/{uuid.uuid4()}"
    problem = client.get(url, headers=auth("viewer")).json()
    assert problem["code"] == "case_not_found"

    page = client.get(urljoin(f"http://testserver{url}", problem["type"]))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "case_not_found" in page.text and EXPLANATIONS["case_not_found"] in page.text
    index = client.get("/problems")
    assert index.status_code == 200 and all(f'id="{code}"' in index.text for code in EXPLANATIONS)


def test_a_code_the_server_never_sends_has_no_page(client: TestClient) -> None:
    missing = client.get("/problems/no_such_code")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"
