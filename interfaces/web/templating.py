"""Rendering a page: the Jinja2 templates, in the language of the person asking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from interfaces.web import i18n, words
from interfaces.web.commands import may_give
from interfaces.web.csrf import CSRF_FIELD
from interfaces.web.error_words import error_message
from interfaces.web.session import current_user, request_language

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")

environment = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
    undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], trim_blocks=True,
    lstrip_blocks=True)
environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]  # each page passes its own


def page_context(request: Request) -> dict[str, Any]:
    """What every template may use: the person, their language and its formats."""
    lang = request_language(request)
    catalog = i18n.translations(lang)
    user = current_user(request)

    def gettext(message: str, **values: Any) -> str:
        text = catalog.gettext(message)
        return text % values if values else text

    def ngettext(one: str, many: str, n: int, **values: Any) -> str:
        text = catalog.ngettext(one, many, n)
        return text % {"num": n, **values}

    return {
        "request": request, "lang": lang, "user": user, "csrf_field": CSRF_FIELD, "nav": "",
        "gettext": gettext, "_": gettext, "ngettext": ngettext,
        "date": lambda value: i18n.format_date(value, lang),
        "datetime": lambda value: i18n.format_moment(value, lang),
        "money": lambda amount, currency="VND": i18n.format_money(amount, currency, lang),
        "may": lambda command: user is not None and may_give(user.principal, command),
        "explain": lambda code: gettext(error_message(code)),
        "state": lambda value: gettext(words.state_label(value)),
        "label": lambda kind, code: gettext(words.label(kind, str(code))),
    }


def render(request: Request, template: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    values = {**page_context(request), **(context or {})}
    html = environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)
