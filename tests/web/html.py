"""Reading the workspace's pages in tests: the HTML tree, a table's rows, a link's filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from lxml import html


def page(response: httpx.Response, status: int = 200) -> Any:
    """The page's HTML tree, once it is known to be an HTML page with ``status``."""
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return html.fromstring(response.text)


def rows(tree: Any, caption: str) -> list[list[Any]]:
    """The body rows of the table whose caption holds ``caption``: each row's cells."""
    tables = [t for t in tree.iter("table") if caption in t.findtext("caption", "")
              or caption in "".join(t.xpath("caption//text()"))]
    assert tables, f"no table captioned {caption!r}"
    return [row.xpath("./th|./td") for row in tables[0].xpath("./tbody/tr")]


def text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def href(element: Any) -> str:
    links = element.xpath(".//a/@href")
    assert links, f"no link in {text(element)!r}"
    return str(links[0])


def filters(link: str) -> tuple[str, dict[str, str]]:
    """A link's path and its query values (one each)."""
    parts = urlsplit(link)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def whole(figure: str) -> int:
    """The number in a figure as the English pages write it (₫1,234 or 1,234)."""
    digits = "".join(c for c in figure if c.isdigit())
    return int(digits) if digits else 0
