"""``GET /problems/<code>``: the page a problem's ``type`` points to, explaining its code;
``GET /problems`` lists them all. Public, like ``/docs``: no token."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from domain.errors import NotFoundError
from interfaces.http.problem_types import EXPLANATIONS, FAMILIES, explanation
from interfaces.web.i18n import gettext

router = APIRouter(prefix="/problems", include_in_schema=False)

_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>{title}</title></head><body>{body}</body></html>")


def _vietnamese(text: str) -> str:
    return f"<p lang=\"vi\">{escape(gettext('vi', text))}</p>"


def _entry(code: str, text: str) -> str:
    return (f"<dt id=\"{escape(code)}\"><a href=\"/problems/{escape(code)}\"><code>"
            f"{escape(code)}</code></a></dt><dd><p>{escape(text)}</p>{_vietnamese(text)}</dd>")


@router.get("", response_class=HTMLResponse)
def problem_index() -> HTMLResponse:
    entries = "".join(_entry(c, t) for c, t in sorted({**EXPLANATIONS, **FAMILIES}.items()))
    body = ("<h1>AidTrail problem codes</h1><p>Every error is <code>application/problem+json"
            "</code> with a stable <code>code</code>; its <code>type</code> is the page of "
            f"that code.</p><dl>{entries}</dl>")
    return HTMLResponse(_PAGE.format(title="AidTrail problem codes", body=body))


@router.get("/{code}", response_class=HTMLResponse)
def problem_page(code: str = Path(max_length=64)) -> HTMLResponse:
    text = explanation(code)
    if text is None:
        raise NotFoundError(f"no problem has the code {code!r}", code="not_found")
    body = (f"<h1><code>{escape(code)}</code></h1><p>{escape(text)}</p>{_vietnamese(text)}"
            "<p><a href=\"/problems\">Every code</a></p>")
    return HTMLResponse(_PAGE.format(title=f"AidTrail problem {escape(code)}", body=body))
