"""The workspace's pages, one module per area."""

from fastapi import APIRouter

from interfaces.web.pages import cases, donors, language, work

ROUTERS: list[APIRouter] = [work.router, cases.router, language.router, donors.router]
