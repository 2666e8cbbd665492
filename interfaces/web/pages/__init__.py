"""The workspace's pages, one module per area."""

from fastapi import APIRouter

from interfaces.web.pages import cases, language, signin, work

ROUTERS: list[APIRouter] = [work.router, cases.router, language.router,
                           signin.router]
