"""FastAPI dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from application.services import Services


async def get_services(request: Request) -> Services:
    # async: no I/O here, and FastAPI runs a plain `def` dependency in a worker thread
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]
