"""The workspace's pages, one module per area."""

from fastapi import APIRouter

from interfaces.web.pages import cases, language, work

ROUTERS: list[APIRouter] = [work.router, cases.router, language.router]
