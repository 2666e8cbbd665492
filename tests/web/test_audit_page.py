"""The audit page: projection status for anyone signed in; the chain's check, head hash and
export only for auditors of every province, exactly as the API answers them."""

from __future__ import annotations

import pytest

from tests.api.support import API, auth
from tests.web.html import page, rows, text
from tests.web.seeded import Demo, demo, module_store
from tests.web.support import sign_in

__all__ = ["demo", "module_store"]


def test_anyone_signed_in_sees_each_projections_position_and_lag(demo: Demo) -> None:
    sign_in(demo.client, "viewer-hn", {"viewer"}, {"HN"}, "en")
    tree = page(demo.client.get("/audit"))
    api = demo.api("/projections")

    shown = rows(tree, "Log head")
    assert [text(r[0]) for r in shown] == [p["name"] for p in api["projections"]]
    assert [int(text(r[2])) for r in shown] == [p["position"] for p in api["projections"]]
    assert [text(r[1]) for r in shown] == ["Up to date"] * len(shown)
    assert f"Log head: position {api['head']}" in text(tree)


@pytest.mark.parametrize(("roles", "provinces", "code"), [
    ({"viewer", "focal_officer"}, None, "forbidden"),
    ({"auditor"}, {"HN"}, "whole_store_requires_all_provinces"),
])
def test_the_chain_is_for_auditors_of_every_province(demo: Demo, roles: set[str],
                                                     provinces: set[str] | None,
                                                     code: str) -> None:
    sign_in(demo.client, "someone", roles, provinces, "en")
    tree = page(demo.client.get("/audit"))
    assert not tree.xpath("//a[@href='/audit/export' or @href='/audit/verify']")
    assert "is for auditors" in text(tree)

    for path in ("/audit/verify", "/audit/export"):
        refused = page(demo.client.get(path), 403)
        assert refused.xpath("//p[@class='code']/code/text()") == [code]


def test_an_auditor_checks_the_chain_and_sees_the_apis_head_hash(demo: Demo) -> None:
    sign_in(demo.client, "auditor", {"auditor"}, None, "en")
    assert page(demo.client.get("/audit")).xpath("//a[@href='/audit/verify']")
    tree = page(demo.client.get("/audit/verify"))
    api = demo.client.get(f"{API}/audit/verify", headers=auth("auditor")).json()

    assert api["ok"] is True
    assert "The chain is intact." in text(tree)
    assert f"{api['count']} events checked." in text(tree)
    assert tree.xpath("//dd/code/text()") == [api["head_hash"]]


def test_an_auditor_downloads_the_apis_export(demo: Demo) -> None:
    sign_in(demo.client, "auditor", {"auditor"}, None, "en")
    download = demo.client.get("/audit/export")
    api = demo.client.get(f"{API}/audit/export", headers=auth("auditor"))

    assert download.status_code == 200
    assert download.headers["content-type"] == "application/x-ndjson"
    assert download.headers["content-disposition"].startswith(
        'attachment; filename="aidtrail-audit-')
    assert download.content == api.content
    assert len(download.content.splitlines()) == demo.container.runner.head()
