"""The workspace's pages, one module per area."""

from fastapi import APIRouter

from interfaces.web.pages import case_forms, cases, language, signin, work

ROUTERS: list[APIRouter] = [work.router, case_forms.router, cases.router, language.router,
                            signin.router]
